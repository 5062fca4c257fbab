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


class FakeRegistry:
    """Stands in for QgsApplication.processingRegistry(): the session's real registry may already
    hold the provider (other tests), and removing it there would delete their C++ object."""

    def __init__(self):
        self.providers = {}

    def addProvider(self, provider):  # noqa: N802 - QGIS API
        if provider.id() in self.providers:
            return False
        self.providers[provider.id()] = provider
        return True

    def removeProvider(self, provider):  # noqa: N802 - QGIS API
        return self.providers.pop(provider.id(), None) is not None

    def providerById(self, provider_id):  # noqa: N802 - QGIS API
        return self.providers.get(provider_id)


@pytest.fixture
def registry(monkeypatch):
    fake = FakeRegistry()
    monkeypatch.setattr(QgsApplication, "processingRegistry", staticmethod(lambda: fake))
    return fake


@pytest.fixture
def plugin(qgis_iface, menus, registry):
    instance = plugin_package().classFactory(qgis_iface)
    yield instance
    instance.unload()


def test_class_factory_builds_menu_and_registers_provider(plugin, menus, registry):
    plugin.initGui()
    names = [action.objectName() for _menu, action in menus.added]
    assert names == ["planaura_settings", "planaura_free_gpu_memory", "planaura_help"]
    assert {menu for menu, _action in menus.added} == {plugin.menu_name}
    assert plugin.menu_name.replace("&", "") == "Planaura"
    assert [a.text() for _m, a in menus.added] == ["Settings…", "Free GPU memory", "Help"]
    assert not menus.added[0][1].icon().isNull()
    provider = registry.providerById("planaura")
    assert provider is plugin.provider
    provider.loadAlgorithms()
    assert {alg.id() for alg in provider.algorithms()} >= {
        "planaura:changemap", "planaura:embeddings", "planaura:persistencemosaic", "planaura:runconfig"}


def test_unload_removes_menu_and_provider(plugin, menus, registry):
    plugin.initGui()
    added = [action for _menu, action in menus.added]
    plugin.unload()
    assert [action for _menu, action in menus.removed] == added
    assert registry.providerById("planaura") is None
    assert plugin.actions == [] and plugin.provider is None
    plugin.unload()  # twice is harmless (QGIS may call it on a half-loaded plugin)


def test_init_processing_alone_like_qgis_process(registry):
    """qgis_process calls classFactory(None) then initProcessing() only."""
    instance = plugin_package().classFactory(None)
    instance.initProcessing()
    instance.initProcessing()  # idempotent (QGIS desktop calls it again from initGui)
    assert registry.providerById("planaura") is instance.provider is not None
    instance.initGui()  # no iface: no menu, no error
    assert instance.actions == []
    instance.unload()
    assert registry.providerById("planaura") is None


def test_registers_in_a_real_processing_registry(tmp_path):
    """The real registry, in a fresh QGIS (this session's registry belongs to other tests)."""
    script = tmp_path / "register.py"
    script.write_text(f"""
import sys
sys.path.insert(0, {str(Path(plugin_package().__file__).parents[1])!r})
from qgis.core import QgsApplication
app = QgsApplication([], False)
app.initQgis()
import planaura_qgis
plugin = planaura_qgis.classFactory(None)
plugin.initProcessing()
registry = QgsApplication.processingRegistry()
print("ALGORITHMS", sorted(a.id() for a in registry.providerById("planaura").algorithms()))
plugin.unload()
print("AFTER UNLOAD", registry.providerById("planaura"))
""")
    import os
    import subprocess

    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, env=env, timeout=300)
    names = ["catalogchangemap", "changemap", "changeovertime", "changepolygons", "changetypes", "classesfromexamples",
             "embeddingclusters", "embeddingcolourview", "embeddings", "findimagery", "persistencemosaic", "runconfig",
             "similaritysearch"]
    assert f"ALGORITHMS {['planaura:' + n for n in names]}" in done.stdout, done.stdout + done.stderr
    assert "AFTER UNLOAD None" in done.stdout


def test_a_failing_provider_import_never_breaks_loading(qgis_iface, menus, registry, monkeypatch):
    plugin_package()
    monkeypatch.setitem(sys.modules, "planaura_qgis.processing_provider.provider", None)  # import fails
    instance = plugin_package().classFactory(qgis_iface)
    instance.initGui()
    assert instance.provider is None and registry.providers == {}
    assert len(menus.added) == 3  # the menu still works (settings, install dependencies)
    instance.unload()


def test_dependency_folder_goes_first_on_sys_path(qgis_iface, registry, tmp_path, monkeypatch):
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


def test_free_gpu_memory_speaks_of_a_gpu_only_where_there_is_one(plugin, qgis_iface, monkeypatch):
    from qgis.core import Qgis

    from planaura_qgis.planaura_plugin.model import loading
    from planaura_qgis.ui import plugin as plugin_module

    plugin.initGui()
    action = next(a for a in plugin.actions if a.objectName() == "planaura_free_gpu_memory")
    for gpu, expected, absent in ((False, "their memory is free", "GPU"), (True, "GPU memory is free", "their")):
        monkeypatch.setattr(plugin_module, "gpu_in_use", lambda gpu=gpu: gpu)
        monkeypatch.setitem(loading._CACHE, ("fake",), object())
        qgis_iface.messageBar().clear_messages()
        action.trigger()
        (message,) = [m for m in qgis_iface.messageBar().get_messages(Qgis.Info) if "Released" in m]
        assert expected in message and absent not in message
