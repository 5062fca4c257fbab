"""The import graph of ``planaura_plugin/``, read with :mod:`ast` (nothing is imported).

Used by ``tests/test_layering.py`` (the floors and who may import whom) and, as a script, to
count what the layering test looks at in any checkout::

    python tests/import_graph.py [REPO]      # file-level cycles, upward imports, _private crossings

Every ``import`` statement counts, at module level or inside a function (an import moved into a
function to step around a cycle is still an edge of the cycle); imports under
``if TYPE_CHECKING:`` are edges too, but not of cycles (they never run).
"""
from __future__ import annotations

import ast
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterator, List, Mapping, Optional, Sequence, Set, Tuple

CORE = "planaura_plugin"
#: what the core never imports (absolute names, first component)
FORBIDDEN_ROOTS = ("qgis", "PyQt5", "PyQt6", "qgis_process", "ui", "processing_provider", "planaura_qgis")


#: root modules and folders of the run layer before ``runs/`` (counted on the floor of ``runs``)
PRE_RUNS_MODULES = ("pair_task", "resumable_run", "run_manifest", "run_mosaic_step", "distributed")


@dataclass(frozen=True)
class Import:
    """One imported module (or name of a module) of one file."""

    source: str  # importing module, e.g. planaura_plugin.runs.resumable
    target: str  # imported module, e.g. planaura_plugin.upstream (a package: its __init__)
    names: Tuple[str, ...]  # the names taken from it (``from x import a, b``); () for ``import x``
    path: str  # the importing file, relative to the repository
    line: int
    type_only: bool = False  # under ``if TYPE_CHECKING:``

    def where(self) -> str:
        return f"{self.path}:{self.line}"


def module_name(path: Path, root: Path) -> str:
    """``planaura_plugin/runs/__init__.py`` -> ``planaura_plugin.runs``."""
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def core_modules(repo: Path) -> Dict[str, Path]:
    """module name -> file of every module of the core."""
    return {module_name(p, repo): p for p in sorted((repo / CORE).rglob("*.py"))}


def _type_checking_lines(tree: ast.AST) -> Set[int]:
    lines: Set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and getattr(node.test, "id", getattr(node.test, "attr", "")) == "TYPE_CHECKING":
            for stmt in node.body:
                lines.update(range(stmt.lineno, (stmt.end_lineno or stmt.lineno) + 1))
    return lines


def _base(module: str, is_package: bool, level: int) -> str:
    """The package a relative import of ``level`` dots starts from (may climb above the core)."""
    parts = module.split(".") if is_package else module.split(".")[:-1]
    climb = level - 1
    if climb > len(parts):
        return ""
    return ".".join(parts[:len(parts) - climb]) if climb else ".".join(parts)


def imports_of(module: str, path: Path, repo: Path, known: Mapping[str, Path]) -> Iterator[Import]:
    """Every import of one file, resolved to module names (relative imports made absolute).

    ``from pkg import name`` is an import of ``pkg.name`` when that is a module, else of ``pkg``.
    Imports that leave the core (stdlib, numpy, qgis ...) are yielded with their absolute name.
    """
    text = path.read_text(encoding="utf-8")
    tree = ast.parse(text, filename=str(path))
    typed = _type_checking_lines(tree)
    rel = path.relative_to(repo).as_posix()
    is_package = path.name == "__init__.py"
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Import(module, alias.name, (), rel, node.lineno, node.lineno in typed)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = _base(module, is_package, node.level)
                if not base:  # above the top package: outside the core
                    target = f"<above {CORE}>.{node.module or ''}"
                else:
                    target = f"{base}.{node.module}" if node.module else base
            else:
                target = node.module or ""
            plain = [a.name for a in node.names if f"{target}.{a.name}" not in known]
            for alias in node.names:
                if f"{target}.{alias.name}" in known:  # a submodule: ``from . import pipelines``
                    yield Import(module, f"{target}.{alias.name}", (), rel, node.lineno, node.lineno in typed)
            if plain:
                yield Import(module, target, tuple(plain), rel, node.lineno, node.lineno in typed)


def all_imports(repo: Path) -> List[Import]:
    """Every import of every core module."""
    known = core_modules(repo)
    return [imp for module, path in known.items() for imp in imports_of(module, path, repo, known)]


def core_edges(imports: Sequence[Import], known: Mapping[str, Path]) -> List[Import]:
    """The imports between two different core modules."""
    return [i for i in imports if i.target in known and i.target != i.source]


def cycles(imports: Sequence[Import], known: Mapping[str, Path]) -> List[List[str]]:
    """File-level import cycles: strongly connected components of more than one module (Tarjan),
    type-only imports left out. Each is sorted; the list is sorted."""
    graph: Dict[str, Set[str]] = {m: set() for m in known}
    for imp in core_edges(imports, known):
        if not imp.type_only:
            graph[imp.source].add(imp.target)
    index: Dict[str, int] = {}
    low: Dict[str, int] = {}
    stack: List[str] = []
    on_stack: Set[str] = set()
    found: List[List[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10 * len(graph) + 100))
    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(found)


def private_names(imp: Import) -> List[str]:
    """The ``_private`` names an import takes from another module (``_``, gettext's, is public)."""
    return [n for n in imp.names if n.startswith("_") and n != "_" and not n.startswith("__")]


def part_of(module: str) -> str:
    """The folder (or root module) of the core a module belongs to: ``planaura_plugin.runs.dask.cluster``
    -> ``runs``, ``planaura_plugin.errors`` -> ``errors``, ``planaura_plugin`` -> ``__init__``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def upward(imports: Sequence[Import], known: Mapping[str, Path], floors: Mapping[str, int]) -> List[Import]:
    """Imports from a lower floor to a higher one (parts missing from ``floors`` are not judged)."""
    out = []
    for imp in core_edges(imports, known):
        low, high = floors.get(part_of(imp.source)), floors.get(part_of(imp.target))
        if low is not None and high is not None and high > low:
            out.append(imp)
    return out


def counts(repo: Path, floors: Mapping[str, int]) -> Dict[str, int]:
    """The numbers of the layering note for one checkout (``floors``: the table of ``test_layering``)."""
    known = core_modules(repo)
    imports = all_imports(repo)
    found = cycles(imports, known)
    edges = core_edges(imports, known)
    return {"modules": len(known), "core imports": len(edges), "file-level cycles": len(found),
            "modules in cycles": sum(len(c) for c in found), "upward imports": len(upward(imports, known, floors)),
            "_private crossings": sum(len(private_names(i)) for i in edges),
            "function-local core imports": sum(1 for i in edges if _in_function(i, repo))}


def _in_function(imp: Import, repo: Path) -> bool:
    text = (repo / imp.path).read_text(encoding="utf-8")
    return text.splitlines()[imp.line - 1].startswith((" ", "\t"))


def main(argv: Optional[Sequence[str]] = None) -> int:
    repo = Path((argv or sys.argv[1:] or [str(Path(__file__).resolve().parents[1])])[0])
    from test_layering import FLOORS  # the table lives in the test

    floors = dict(FLOORS)
    floors.update({old: FLOORS["runs"] for old in PRE_RUNS_MODULES})  # a checkout from before runs/
    known = core_modules(repo)
    imports = all_imports(repo)
    for key, value in counts(repo, floors).items():
        print(f"{key}: {value}")
    for component in cycles(imports, known):
        print("cycle:", " ".join(m.removeprefix(CORE + ".") for m in component))
    return 0


if __name__ == "__main__":
    sys.exit(main())
