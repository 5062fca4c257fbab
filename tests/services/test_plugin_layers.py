"""Who may import whom among the plugin's top-level folders, read with :mod:`ast` (nothing is imported).

- ``ui/`` (Qt widgets, dialogs, tasks, the plugin object) and ``processing_provider/`` (the
  algorithms) never import each other; the entry point ``__init__.py`` joins them (it hands the
  plugin object a factory of the provider).
- ``plugin_services/`` (what both share) imports neither of them, and no Qt: no ``qgis.PyQt``,
  ``qgis.gui``, ``PyQt5``/``PyQt6`` or ``sip``. ``qgis.core`` only where :data:`QGIS_CORE_ALLOWED`
  says why.
- The core ``planaura_plugin/`` imports none of the three.
- Every module of ``ui/`` uses Qt (``qgis.PyQt`` or ``qgis.gui``): a module without Qt is a service
  and belongs in ``plugin_services/``.

Every import counts, at module level or inside a function, absolute (``planaura_qgis.ui...``)
or relative (``from ..ui import x``, ``from .. import ui``). A failure names the file, the line
and the import.
"""
from __future__ import annotations

import ast
from pathlib import Path
from typing import Dict, Iterator, List, Optional, Tuple

import pytest

REPO = Path(__file__).resolve().parents[2]
#: the name QGIS installs the repository root under
PLUGIN = "planaura_qgis"

#: folder -> {folder it must not import: why}
FORBIDDEN: Dict[str, Dict[str, str]] = {
    "ui": {"processing_provider": "the entry point joins the plugin object and the provider"},
    "processing_provider": {"ui": "the algorithms read settings through plugin_services, not the dialog"},
    "plugin_services": {"ui": "services sit below the interface", "processing_provider": "services sit below the "
                        "algorithms"},
    "planaura_plugin": {"ui": "the core knows no QGIS", "processing_provider": "the core knows no QGIS",
                        "plugin_services": "the core knows no QGIS"},
}
#: modules no file of ``plugin_services/`` imports (Qt and QGIS's widgets)
QT_MODULES = ("qgis.PyQt", "qgis.gui", "PyQt5", "PyQt6", "sip")
#: ``plugin_services/`` files that may import ``qgis.core``, and why
QGIS_CORE_ALLOWED: Dict[str, str] = {
    "plugin_services/settings.py": "QgsSettings: the user's settings live in the QGIS profile",
    "plugin_services/last_error.py": "QgsSettings: the last error is kept in the QGIS profile",
}


def imported_modules(relative: str, source: str) -> Iterator[Tuple[int, str]]:
    """``(line, dotted module)`` of every import in ``source``, relative ones made absolute.

    Args:
        relative: the file's path from the repository root (``ui/plugin.py``); the root is the
            package :data:`PLUGIN`.
        source: the file's text.

    Yields:
        ``planaura_qgis.processing_provider.provider`` for ``from ..processing_provider.provider
        import X`` in ``ui/plugin.py``; for ``from A import b`` both ``A`` and ``A.b`` (``b`` may be a
        module); third-party modules as written (``qgis.core``).
    """
    parts = [PLUGIN] + relative.split("/")[:-1]  # the file's package
    for node in ast.walk(ast.parse(source, filename=relative)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            base = _resolve(parts, node.level, node.module)
            if base is None:
                yield node.lineno, f"<above the plugin: level {node.level}>"
                continue
            yield node.lineno, base
            for alias in node.names:
                yield node.lineno, f"{base}.{alias.name}"


def _resolve(package: List[str], level: int, module: Optional[str]) -> Optional[str]:
    if level == 0:
        return module or ""
    if level > len(package):
        return None
    base = package[:len(package) - level + 1]
    return ".".join(base + ([module] if module else []))


def _top_folder(module: str) -> Optional[str]:
    """``ui`` for ``planaura_qgis.ui.settings_dialog``; None outside the plugin."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == PLUGIN else None


def _is_within(module: str, prefix: str) -> bool:
    return module == prefix or module.startswith(prefix + ".")


def offences(relative: str, source: str) -> List[str]:
    """Every import of ``source`` (at ``relative``) that the rules of this module forbid, as
    ``path:line: imports <module> (<rule>)``; empty when the file keeps to its floor."""
    folder = relative.split("/", 1)[0] if "/" in relative else ""
    found: Dict[int, str] = {}  # one offence a line: the module named first (``from A import b``: A)
    for line, module in imported_modules(relative, source):
        why = _why_forbidden(relative, folder, module)
        if why and line not in found:
            found[line] = f"{relative}:{line}: imports {module} ({why})"
    return [found[line] for line in sorted(found)]


def _why_forbidden(relative: str, folder: str, module: str) -> Optional[str]:
    if module.startswith("<above"):
        return "a relative import above the plugin's root"
    target = _top_folder(module)
    if target is not None and target in FORBIDDEN.get(folder, {}):
        return f"{folder}/ must not import {target}/: {FORBIDDEN[folder][target]}"
    if folder != "plugin_services":
        return None
    if any(_is_within(module, qt) for qt in QT_MODULES):
        return "plugin_services/ has no Qt"
    if _is_within(module, "qgis") and not (_is_within(module, "qgis.core") and relative in QGIS_CORE_ALLOWED):
        return "plugin_services/ may import qgis.core only where QGIS_CORE_ALLOWED says why"
    return None


def plugin_sources() -> Iterator[Tuple[str, str]]:
    for folder in FORBIDDEN:
        for path in sorted((REPO / folder).rglob("*.py")):
            yield path.relative_to(REPO).as_posix(), path.read_text(encoding="utf-8")


def test_folders_import_only_what_their_floor_allows():
    found = [offence for relative, source in plugin_sources() for offence in offences(relative, source)]
    assert not found, "imports across the plugin's floors:\n" + "\n".join(found)


def uses_qt(relative: str, source: str) -> bool:
    """Whether ``source`` imports Qt or QGIS's widgets (:data:`QT_MODULES`)."""
    return any(_is_within(module, qt) for _line, module in imported_modules(relative, source) for qt in QT_MODULES)


def test_every_ui_module_uses_qt():
    without = [relative for relative, source in plugin_sources() if relative.startswith("ui/")
               and not relative.endswith("__init__.py") and not uses_qt(relative, source)]
    assert not without, ("no Qt in " + ", ".join(without) + ": a service without Qt belongs in plugin_services/ "
                         "(git mv, then its import lines)")


@pytest.mark.parametrize("source, expected", [
    ("from qgis.PyQt.QtCore import QCoreApplication\n", True),
    ("def f():\n    from qgis.gui import QgsFileWidget\n", True),
    ("import re\nfrom qgis.core import QgsSettings\n", False), ("from ..plugin_services import pins\n", False),
])
def test_uses_qt(source, expected):
    assert uses_qt("ui/x.py", source) is expected


def test_qgis_core_allowances_name_existing_files_that_need_them():
    """An allowance whose file no longer imports qgis.core is stale: drop it."""
    for relative in QGIS_CORE_ALLOWED:
        source = (REPO / relative).read_text(encoding="utf-8")
        modules = [module for _line, module in imported_modules(relative, source)]
        assert any(_is_within(module, "qgis.core") for module in modules), f"{relative} no longer imports qgis.core"


def test_the_entry_point_joins_ui_and_provider():
    """The root ``__init__.py`` is where both folders meet (the provider factory)."""
    modules = {_top_folder(module) for _line, module in imported_modules("__init__.py", (REPO / "__init__.py")
                                                                         .read_text(encoding="utf-8"))}
    assert {"ui", "processing_provider"} <= modules


@pytest.mark.parametrize("relative, source, expected", [
    ("ui/plugin.py", "def f():\n    from ..processing_provider.provider import P\n",
     "ui/plugin.py:2: imports planaura_qgis.processing_provider"),
    ("ui/x.py", "from .. import processing_provider\n", "ui/x.py:1: imports planaura_qgis.processing_provider"),
    ("ui/x.py", "import planaura_qgis.processing_provider.base\n",
     "ui/x.py:1: imports planaura_qgis.processing_provider"),
    ("processing_provider/a.py", "from ..ui.settings_dialog import D\n", "processing_provider/a.py:1: imports "
                                                                         "planaura_qgis.ui"),
    ("processing_provider/sub/a.py", "from ...ui import tasks\n", "processing_provider/sub/a.py:1: imports "
                                                                  "planaura_qgis.ui"),
    ("plugin_services/x.py", "from qgis.PyQt.QtCore import QCoreApplication\n", "no Qt"),
    ("plugin_services/x.py", "import qgis.gui\n", "no Qt"),
    ("plugin_services/x.py", "from PyQt5 import QtCore\n", "no Qt"),
    ("plugin_services/x.py", "from qgis.core import QgsSettings\n", "only where QGIS_CORE_ALLOWED"),
    ("plugin_services/x.py", "from qgis import processing\n", "only where QGIS_CORE_ALLOWED"),
    ("plugin_services/x.py", "from ..ui import widgets\n", "plugin_services/ must not import ui/"),
    ("planaura_plugin/a/b.py", "from ...plugin_services import settings\n", "the core knows no QGIS"),
    ("ui/x.py", "from .... import y\n", "above the plugin's root"),
])
def test_a_forbidden_import_is_reported(relative, source, expected):
    found = offences(relative, source)
    assert found and expected in found[0], found


@pytest.mark.parametrize("relative, source", [
    ("ui/plugin.py", "from ..plugin_services import dependencies\nfrom .i18n import user_locale\n"),
    ("processing_provider/base.py", "from ..plugin_services.last_error import record_error\n"),
    ("plugin_services/settings.py", "from qgis.core import QgsSettings\nfrom . import settings_keys\n"),
    ("plugin_services/weights.py", "from ..planaura_plugin.presets import HF_REPO_ID\n"),
    ("ui/x.py", "import processing_provider_like\nfrom .ui_helpers import processing_provider\n"),
])
def test_an_allowed_import_is_not_reported(relative, source):
    assert offences(relative, source) == []
