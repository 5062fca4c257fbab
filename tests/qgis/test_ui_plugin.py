"""The plugin object: classFactory with a mocked iface, menu, provider, dependency folder, unload."""
from __future__ import annotations

import importlib
import importlib.util
import sys
import tempfile
from pathlib import Path

import pytest
from qgis.core import QgsApplication

REPO = Path(__file__).resolve().parents[2]


def plugin_package():
    """``planaura_qgis`` as QGIS imports it (tests/qgis/conftest.py usually set this up already)."""
    if importlib.util.find_spec("planaura_qgis") is None:
        folder = Path(tempfile.mkdtemp(prefix="planaura_ui_plugins_"))
        (folder / "planaura_qgis").symlink_to(REPO, target_is_directory=True)
        sys.path.insert(0, str(folder))
    return importlib.import_module("planaura_qgis")


class MenuRecorder:
    """Records what the plugin adds to and removes from the Plugins menu."""

    def __init__(self):
        self.added, self.removed = [], []

    def add(self, menu, action):
        self.added.append((menu, action))

    def remove(self, menu, action):
        self.removed.append((menu, action))


@pytest.fixture
def menus(qgis_iface, monkeypatch):
    recorder = MenuRecorder()
    monkeypatch.setattr(qgis_iface, "addPluginToMenu", recorder.add, raising=False)
    monkeypatch.setattr(qgis_iface, "removePluginMenu", recorder.remove, raising=False)
    return recorder


@pytest.fixture
def plugin(qgis_iface, menus, qgis_processing):
    registry = QgsApplication.processingRegistry()
    existing = registry.providerById("planaura")
    if existing is not None:  # another test registered it: start from a clean registry
        registry.removeProvider(existing)
    instance = plugin_package().classFactory(qgis_iface)
    yield instance
    instance.unload()
    if existing is not None and registry.providerById("planaura") is None:
        from planaura_qgis.processing_provider.provider import PlanauraProvider

        registry.addProvider(PlanauraProvider())


def test_class_factory_builds_menu_and_registers_provider(plugin, menus):
    plugin.initGui()
    names = [action.objectName() for _menu, action in menus.added]
    assert names == ["planaura_settings", "planaura_free_gpu_memory", "planaura_help"]
    assert {menu for menu, _action in menus.added} == {plugin.menu_name}
    assert plugin.menu_name.replace("&", "") == "Planaura"
    assert [a.text() for _m, a in menus.added] == ["Settings…", "Free GPU memory", "Help"]
    assert not menus.added[0][1].icon().isNull()
    provider = QgsApplication.processingRegistry().providerById("planaura")
    assert provider is plugin.provider
    assert {alg.id() for alg in provider.algorithms()} >= {
        "planaura:changemap", "planaura:embeddings", "planaura:persistencemosaic", "planaura:runconfig"}


def test_unload_removes_menu_and_provider(plugin, menus):
    plugin.initGui()
    added = [action for _menu, action in menus.added]
    plugin.unload()
    assert [action for _menu, action in menus.removed] == added
    assert QgsApplication.processingRegistry().providerById("planaura") is None
    assert plugin.actions == [] and plugin.provider is None
    plugin.unload()  # twice is harmless (QGIS may call it on a half-loaded plugin)


def test_init_processing_alone_like_qgis_process():
    """qgis_process calls classFactory(None) then initProcessing() only."""
    registry = QgsApplication.processingRegistry()
    existing = registry.providerById("planaura")
    if existing is not None:
        registry.removeProvider(existing)
    instance = plugin_package().classFactory(None)
    instance.initProcessing()
    instance.initProcessing()  # idempotent (QGIS desktop calls it again from initGui)
    assert registry.providerById("planaura") is instance.provider
    instance.initGui()  # no iface: no menu, no error
    assert instance.actions == []
    instance.unload()
    assert registry.providerById("planaura") is None


def test_a_failing_provider_import_never_breaks_loading(qgis_iface, menus, monkeypatch):
    plugin_package()
    monkeypatch.setitem(sys.modules, "planaura_qgis.processing_provider.provider", None)  # import fails
    registry = QgsApplication.processingRegistry()
    existing = registry.providerById("planaura")
    if existing is not None:
        registry.removeProvider(existing)
    instance = plugin_package().classFactory(qgis_iface)
    instance.initGui()
    assert instance.provider is None
    assert len(menus.added) == 3  # the menu still works (settings, install dependencies)
    instance.unload()


def test_dependency_folder_goes_first_on_sys_path(qgis_iface, tmp_path, monkeypatch):
    folder = tmp_path / "planaura_deps" / "py3.11"
    folder.mkdir(parents=True)
    monkeypatch.setenv("PLANAURA_DEPS_DIR", str(folder))
    monkeypatch.setattr(sys, "path", list(sys.path))
    instance = plugin_package().classFactory(qgis_iface)
    assert sys.path[0] == str(folder)
    assert instance.deps_folder == folder
    instance.unload()


def test_free_gpu_memory_releases_cached_models(plugin, qgis_iface, monkeypatch):
    from planaura_qgis.planaura_plugin.model import loading

    monkeypatch.setitem(loading._CACHE, ("fake",), object())
    qgis_iface.messageBar().clear_messages()
    plugin.initGui()
    action = next(a for a in plugin.actions if a.objectName() == "planaura_free_gpu_memory")
    action.trigger()
    assert loading._CACHE == {}
    from qgis.core import Qgis

    assert any("Released 1 cached model" in m for m in qgis_iface.messageBar().get_messages(Qgis.Info))


def test_settings_action_opens_the_dialog(plugin, monkeypatch):
    plugin.initGui()
    action = next(a for a in plugin.actions if a.objectName() == "planaura_settings")
    action.trigger()
    dialog = plugin.settings_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.windowTitle() == "Planaura settings"
    action.trigger()  # reopening reuses the dialog
    assert plugin.settings_dialog is dialog
    dialog.reject()
