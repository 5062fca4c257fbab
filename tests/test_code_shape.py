"""Code shape of the plugin: short functions, modules of one concept, no dead ``TYPE_CHECKING`` blocks.

Read with :mod:`ast` (nothing is imported): in ``planaura_plugin/``, ``processing_provider/``,
``ui/`` and ``plugin_services/`` no function is over :data:`MAX_FUNCTION_LINES` lines (decorators excluded, docstring
included) and no module over :data:`MAX_MODULE_LINES`; an exception is listed below with its
reason. ``if TYPE_CHECKING:`` blocks that hold only ``pass`` are dead code.
"""
from __future__ import annotations

import ast
from pathlib import Path
from typing import Dict, Iterator, List, Tuple

REPO = Path(__file__).resolve().parents[1]
PACKAGES = ("planaura_plugin", "processing_provider", "ui", "plugin_services")
MAX_FUNCTION_LINES = 80
MAX_MODULE_LINES = 600

#: "path:function" -> why it may be longer (help-text functions are mostly translated prose).
FUNCTION_EXCEPTIONS: Dict[str, str] = {}
#: path -> why it may be longer.
MODULE_EXCEPTIONS: Dict[str, str] = {}


def sources() -> Iterator[Tuple[str, str]]:
    for package in PACKAGES:
        for path in sorted((REPO / package).rglob("*.py")):
            yield path.relative_to(REPO).as_posix(), path.read_text(encoding="utf-8")


def long_functions(name: str, text: str) -> List[Tuple[str, int]]:
    """(``path:function``, lines) of the functions over the limit in one module."""
    out = []
    for node in ast.walk(ast.parse(text, filename=name)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            lines = (node.end_lineno or node.lineno) - node.lineno + 1
            if lines > MAX_FUNCTION_LINES:
                out.append((f"{name}:{node.name}", lines))
    return out


def empty_type_checking_blocks(name: str, text: str) -> List[str]:
    """``path:line`` of ``if TYPE_CHECKING:`` blocks whose body is only ``pass``."""
    out = []
    for node in ast.walk(ast.parse(text, filename=name)):
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING" \
                and all(isinstance(stmt, ast.Pass) for stmt in node.body) and not node.orelse:
            out.append(f"{name}:{node.lineno}")
    return out


def test_the_checks_see_what_they_look_for():
    """The checks find a long function and an empty TYPE_CHECKING block (so an empty result means something)."""
    body = "\n".join(f"    x = {i}" for i in range(MAX_FUNCTION_LINES))
    assert long_functions("m.py", f"def f():\n{body}\n") == [("m.py:f", MAX_FUNCTION_LINES + 1)]
    just = "\n".join(f"    x = {i}" for i in range(MAX_FUNCTION_LINES - 1))
    assert long_functions("m.py", f"def f():\n{just}\n") == []
    assert empty_type_checking_blocks("m.py", "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    pass\n") \
        == ["m.py:2"]
    assert empty_type_checking_blocks("m.py", "if TYPE_CHECKING:\n    import os\n") == []


def test_no_function_over_the_limit():
    found = [(f, n) for name, text in sources() for f, n in long_functions(name, text)
             if f not in FUNCTION_EXCEPTIONS]
    assert found == [], (f"functions over {MAX_FUNCTION_LINES} lines (split them into named steps, or list "
                         f"them in FUNCTION_EXCEPTIONS with a reason): {found}")


def test_no_module_over_the_limit():
    found = [(name, len(text.splitlines())) for name, text in sources()
             if len(text.splitlines()) > MAX_MODULE_LINES and name not in MODULE_EXCEPTIONS]
    assert found == [], (f"modules over {MAX_MODULE_LINES} lines (split them along their concepts, or list "
                         f"them in MODULE_EXCEPTIONS with a reason): {found}")


def test_exceptions_are_still_needed():
    """An exception whose function or module is now short enough is removed from the lists."""
    long_now = {f for name, text in sources() for f, _n in long_functions(name, text)}
    long_now |= {name for name, text in sources() if len(text.splitlines()) > MAX_MODULE_LINES}
    assert sorted(set(FUNCTION_EXCEPTIONS) | set(MODULE_EXCEPTIONS)) == sorted(
        (set(FUNCTION_EXCEPTIONS) | set(MODULE_EXCEPTIONS)) & long_now)


def test_no_empty_type_checking_blocks():
    found = [block for name, text in sources() for block in empty_type_checking_blocks(name, text)]
    assert found == [], f"empty 'if TYPE_CHECKING: pass' blocks (dead code): {found}"
