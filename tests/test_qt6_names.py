"""QGIS 4 (Qt6) readiness: every Qt name the plugin uses exists in PyQt6, and nothing is Qt5-only.

QGIS 4 runs the plugin on PyQt6, where enums are reachable only through their type
(``Qt.AlignmentFlag.AlignLeft``, ``QDialogButtonBox.StandardButton.Ok``): an unscoped
``Qt.AlignLeft`` raises AttributeError there. QGIS 4 cannot be installed here, so the check is
static: the attribute chains rooted at a name imported from ``qgis.PyQt`` are read from the
sources with :mod:`ast` (nothing of the plugin is imported), then resolved in PyQt6 (PyPI's, from
requirements-dev.txt) in a subprocess with ``QT_QPA_PLATFORM=offscreen``. The same scoped names
resolve on PyQt5 5.15, which the tests of QGIS 3 run.
"""
from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Dict, Iterator, List, Set, Tuple

import pytest

REPO = Path(__file__).resolve().parents[1]
#: What QGIS runs: the plugin's Qt code, the scripts of the repository and the QGIS tests.
SCANNED = ("__init__.py", "ui", "processing_provider", "scripts", "tests")
#: Names used only in the PyQt5 branch of a ``hasattr`` version check.
PYQT5_BRANCH = {("QtCore", "QLibraryInfo.location"): "tests/qgis/test_i18n.py",
                ("QtCore", "QLibraryInfo.TranslationsPath"): "tests/qgis/test_i18n.py"}
#: Names QGIS's ``qgis.PyQt`` shim re-exports from another module on Qt6 (``qgis/PyQt/QtWidgets.py``:
#: QAction and QShortcut moved to QtGui in Qt6).
SHIM = {("QtWidgets", "QAction"): "QtGui", ("QtWidgets", "QShortcut"): "QtGui"}
#: (module, dotted chain) resolved in PyQt6 by the subprocess; prints the chains that do not resolve.
RESOLVE = """
import importlib, json, sys
missing = []
for module, chain in json.load(sys.stdin):
    found = importlib.import_module("PyQt6." + module)
    try:
        for part in chain.split("."):
            found = getattr(found, part)
    except AttributeError:
        missing.append([module, chain])
print(json.dumps(missing))
"""


def sources() -> Iterator[Path]:
    for entry in SCANNED:
        path = REPO / entry
        yield from sorted(path.rglob("*.py")) if path.is_dir() else [path]


def _chain(node: ast.AST) -> List[str]:
    """``['Qt', 'AlignmentFlag', 'AlignLeft']`` for ``Qt.AlignmentFlag.AlignLeft``; [] if not a plain chain."""
    parts: List[str] = []
    while isinstance(node, ast.Attribute):
        parts.insert(0, node.attr)
        node = node.value
    return [node.id] + parts if isinstance(node, ast.Name) else []


def qt_names(path: Path) -> Set[Tuple[str, str, int]]:
    """(PyQt module, dotted chain, line) of every import from ``qgis.PyQt`` and every attribute chain
    rooted at such a name (the longest chain only: ``Qt.AlignmentFlag.AlignLeft``, not ``Qt.AlignmentFlag``)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    imported: Dict[str, str] = {}
    found: Set[Tuple[str, str, int]] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("qgis.PyQt."):
            module = node.module.split(".", 2)[2]
            for alias in node.names:
                imported[alias.asname or alias.name] = module
                source = SHIM.get((module, alias.name), module)
                found.add((source, alias.name, node.lineno))
        elif isinstance(node, ast.ImportFrom) and node.module == "qgis.PyQt":
            for alias in node.names:
                imported[alias.asname or alias.name] = ""
    inner = {id(child) for node in ast.walk(tree) if isinstance(node, ast.Attribute)
             for child in [node.value] if isinstance(child, ast.Attribute)}
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and id(node) not in inner:
            parts = _chain(node)
            if parts and parts[0] in imported:
                module = imported[parts[0]]
                name = parts[0] if module else parts[1]
                module = module or parts[0]
                rest = parts[1:] if imported[parts[0]] else parts[2:]
                source = SHIM.get((module, name), module)
                found.add((source, ".".join([name] + rest), node.lineno))
    return found


def qt5_only(path: Path, root: Path = REPO) -> List[str]:
    """Qt5-only uses ``qgis.PyQt`` cannot hide: PyQt5 imports and ``exec_()`` (PyQt6 has only ``exec()``)."""
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "PyQt5":
            out.append(f"{path.relative_to(root)}:{node.lineno}: from {node.module}: import it from qgis.PyQt")
        if isinstance(node, ast.Import) and any(a.name.split(".")[0] == "PyQt5" for a in node.names):
            out.append(f"{path.relative_to(root)}:{node.lineno}: import PyQt5: use qgis.PyQt")
        if isinstance(node, ast.Attribute) and node.attr == "exec_":
            out.append(f"{path.relative_to(root)}:{node.lineno}: exec_(): use exec()")
    return out


def test_the_scan_finds_the_names_of_a_known_file(tmp_path):
    """The reader itself: imports, chains through a class and through a module, the shim."""
    sample = tmp_path / "sample.py"
    sample.write_text("from qgis.PyQt.QtCore import Qt\nfrom qgis.PyQt.QtWidgets import QAction, QDialogButtonBox\n"
                      "from qgis.PyQt import QtGui\nx = Qt.AlignLeft | Qt.AlignmentFlag.AlignTop\n"
                      "b = QDialogButtonBox.StandardButton.Ok\nQtGui.QColor.fromRgb(1, 2, 3)\nother.exec_()\n")
    names = {(module, chain) for module, chain, _line in qt_names(sample)}
    assert names == {("QtCore", "Qt"), ("QtGui", "QAction"), ("QtWidgets", "QDialogButtonBox"),
                     ("QtCore", "Qt.AlignLeft"), ("QtCore", "Qt.AlignmentFlag.AlignTop"),
                     ("QtWidgets", "QDialogButtonBox.StandardButton.Ok"), ("QtGui", "QColor.fromRgb")}
    assert [line.split(": ", 1)[1] for line in qt5_only(sample, tmp_path)] == ["exec_(): use exec()"]


def _resolve_in_pyqt6(names: List[Tuple[str, str]]) -> List[Tuple[str, str]]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run([sys.executable, "-c", RESOLVE], input=json.dumps(names), capture_output=True, text=True,
                          env=env, timeout=300)
    if done.returncode != 0 and "No module named 'PyQt6'" in done.stderr:
        pytest.fail("PyQt6 is not installed: it comes from requirements-dev.txt (make setup)")
    assert done.returncode == 0, done.stderr
    return [tuple(item) for item in json.loads(done.stdout)]


def test_every_qt_name_of_the_plugin_exists_in_pyqt6():
    uses: Dict[Tuple[str, str], List[str]] = {}
    for path in sources():
        for module, chain, line in qt_names(path):
            uses.setdefault((module, chain), []).append(f"{path.relative_to(REPO)}:{line}")
    assert ("QtCore", "Qt.TextInteractionFlag.TextSelectableByMouse") in uses  # the scan sees the dialog
    missing = [key for key in map(tuple, _resolve_in_pyqt6(sorted(uses)))
               if not (key in PYQT5_BRANCH and all(u.startswith(PYQT5_BRANCH[key] + ":") for u in uses[key]))]
    assert not missing, "not in PyQt6 (unscoped enum? Qt5-only class?):\n" + "\n".join(
        f"{', '.join(uses[key])}: {key[0]}.{key[1]}" for key in missing)


def test_the_check_finds_an_unscoped_enum():
    """The PyQt6 side can fail: the unscoped names QGIS 3 accepted are reported."""
    assert _resolve_in_pyqt6([("QtCore", "Qt.AlignLeft"), ("QtCore", "Qt.AlignmentFlag.AlignLeft"),
                              ("QtWidgets", "QAction"), ("QtGui", "QAction")]) == [("QtCore", "Qt.AlignLeft"),
                                                                                  ("QtWidgets", "QAction")]


def test_nothing_qt5_only():
    found = [problem for path in sources() for problem in qt5_only(path)]
    assert not found, "\n".join(found)
