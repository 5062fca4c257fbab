"""A ZIP install's first run: the missing packages named once in the message bar, with a button to
the settings dialog (ui/first_run.py, called by the plugin's initGui)."""
from __future__ import annotations

import importlib
import importlib.util
import sys
import tempfile
from pathlib import Path

import pytest
from qgis.core import QgsSettings
from qgis.PyQt.QtCore import QSettings

REPO = Path(__file__).resolve().parents[2]


def plugin_package():
    if importlib.util.find_spec("planaura_qgis") is None:
        folder = Path(tempfile.mkdtemp(prefix="planaura_first_run_plugins_"))
        (folder / "planaura_qgis").symlink_to(REPO, target_is_directory=True)
        sys.path.insert(0, str(folder))
    return importlib.import_module("planaura_qgis")


@pytest.fixture
def first_run(qgis_app):
    plugin_package()
    from planaura_qgis.ui import first_run

    return first_run


@pytest.fixture
def settings(tmp_path):
    return QgsSettings(str(tmp_path / "first_run.ini"), QSettings.Format.IniFormat)


def test_needed_packages_missing_on_a_bare_qgis(first_run):
    from planaura_qgis.plugin_services import dependencies

    missing = first_run.missing_needed_packages(lambda _r: None)
    names = [r.name for r in missing]
    assert "torch" in names and "huggingface_hub" in names
    assert not set(names) & set(dependencies.OPTIONAL_PACKAGES)  # optional ones are not a first-run matter
    assert first_run.missing_needed_packages(lambda r: r.version or "99") == []


def test_missing_packages_told_once_with_a_button_to_settings(first_run, settings):
    from qgis.gui import QgsMessageBar
    from qgis.PyQt.QtWidgets import QPushButton

    from planaura_qgis.plugin_services import dependencies

    bar = QgsMessageBar()
    opened = []
    torch = next(r for r in dependencies.runtime_requirements() if r.name == "torch")
    item = first_run.tell_missing_dependencies(bar, lambda: opened.append(1), settings, [torch])
    assert item is not None and bar.currentItem() is item
    assert torch.spec in item.text() and "Install dependencies" in item.text()
    button = item.widget()
    assert isinstance(button, QPushButton) and button.objectName() == "planaura_install_dependencies_notice"
    button.click()
    assert opened == [1]
    assert first_run.tell_missing_dependencies(bar, lambda: None, settings, [torch]) is None  # told already
    hub = next(r for r in dependencies.runtime_requirements() if r.name == "huggingface_hub")
    assert first_run.tell_missing_dependencies(bar, lambda: None, settings, [torch, hub]) is not None  # a new set
    assert first_run.tell_missing_dependencies(bar, lambda: None, settings, []) is None
    assert settings.value(first_run.TOLD_KEY) is None  # all there: a later loss is told again
    assert first_run.tell_missing_dependencies(bar, lambda: None, settings, [torch]) is not None


def test_plugin_start_tells_a_zip_install_what_is_missing(first_run, settings, qgis_iface, monkeypatch):
    from qgis.gui import QgsMessageBar

    from planaura_qgis.plugin_services import dependencies

    bar = QgsMessageBar()
    monkeypatch.setattr(qgis_iface, "messageBar", lambda: bar)
    monkeypatch.setattr(qgis_iface, "addPluginToMenu", lambda *_a: None, raising=False)
    monkeypatch.setattr(qgis_iface, "removePluginMenu", lambda *_a: None, raising=False)
    monkeypatch.setattr(first_run, "QgsSettings", lambda: settings)
    monkeypatch.setattr(dependencies, "installed_version", lambda _r: None)  # nothing installed
    monkeypatch.setattr(first_run, "missing_needed_packages",
                        lambda: first_run.dependencies.missing_requirements(
                            [r for r in dependencies.runtime_requirements()
                             if r.name not in dependencies.OPTIONAL_PACKAGES], lambda _r: None))
    plugin = plugin_package().classFactory(qgis_iface)
    monkeypatch.setattr(plugin, "initProcessing", lambda: None)
    try:
        plugin.initGui()
        assert bar.currentItem() is not None and "torch" in bar.currentItem().text()
        bar.clearWidgets()
        plugin.initGui()  # a second start with the same packages missing: not told again
        assert bar.currentItem() is None
    finally:
        plugin.unload()
