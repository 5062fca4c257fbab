"""Every message a user reads from the core's errors is marked for translation: a French QGIS
shows the core's errors in French only when they are written ``_("...").format(...)``."""
from __future__ import annotations

import ast
from pathlib import Path
from typing import List


CORE = Path(__file__).resolve().parents[2] / "planaura_plugin"
USER_ERRORS = {"InputError", "ConfigError", "OutputError", "CheckpointError", "WeightsUnavailableError",
               "DeviceError", "MissingDependencyError"}


def _plain_text(node: ast.AST) -> bool:
    """A literal message (plain string, f-string or their concatenation), not a ``_()`` call."""
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str)
    if isinstance(node, ast.BinOp):
        return _plain_text(node.left) or _plain_text(node.right)
    return False


def unmarked_error_messages() -> List[str]:
    """``file:line`` of each ``raise <user error>("literal")`` of the core."""
    found = []
    for path in sorted(CORE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call) and node.exc.args):
                continue
            func = node.exc.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            if name in USER_ERRORS and _plain_text(node.exc.args[0]):
                found.append(f"{path.relative_to(CORE.parent)}:{node.lineno}")
    return found


def test_the_scan_finds_a_literal_message_and_accepts_a_marked_one():
    tree = ast.parse('raise InputError(f"{x} is wrong")\nraise InputError(_("{x} is wrong").format(x=x))')
    raises = [n for n in ast.walk(tree) if isinstance(n, ast.Raise)]
    assert [_plain_text(r.exc.args[0]) for r in raises] == [True, False]


def test_every_user_error_message_is_marked_for_translation():
    found = unmarked_error_messages()
    assert not found, f"{len(found)} error message(s) not marked with _(): {', '.join(found)}"
