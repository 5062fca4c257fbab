"""French: the translation file is complete and consistent, compiles, loads and translates the UI."""
from __future__ import annotations

import importlib
import importlib.util
import re
import shutil
import subprocess
import sys
import tempfile
import warnings
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from qgis.core import QgsSettings
from qgis.PyQt.QtCore import QCoreApplication

REPO = Path(__file__).resolve().parents[2]
TS = REPO / "i18n" / "planaura_fr.ts"
PLACEHOLDER = re.compile(r"\{[^{}]*\}|%\d")


def plugin_package():
    """``planaura_qgis`` as QGIS imports it (tests/qgis/conftest.py usually set this up already)."""
    if importlib.util.find_spec("planaura_qgis") is None:
        folder = Path(tempfile.mkdtemp(prefix="planaura_i18n_plugins_"))
        (folder / "planaura_qgis").symlink_to(REPO, target_is_directory=True)
        sys.path.insert(0, str(folder))
    return importlib.import_module("planaura_qgis")


def messages(path: Path):
    """(context, source, translation or None when unfinished, file of the first location)."""
    for ctx in ET.parse(path).getroot().iter("context"):
        name = ctx.find("name").text
        for msg in ctx.iter("message"):
            tr = msg.find("translation")
            done = tr.get("type") not in ("unfinished", "obsolete", "vanished") and (tr.text or "").strip()
            loc = msg.find("location")
            yield name, msg.find("source").text, tr.text if done else None, loc.get("filename") if loc is not None \
                else ""


def lrelease() -> str:
    for name in ("lrelease", "lrelease-qt5", "/usr/lib/qt5/bin/lrelease"):
        found = shutil.which(name)
        if found:
            return found
    pytest.skip("lrelease (qttools5-dev-tools) is not installed")


@pytest.fixture(scope="module")
def qm_dir(tmp_path_factory) -> Path:
    """The .ts compiled now (so the test checks the committed source, not a stale build)."""
    folder = tmp_path_factory.mktemp("qm")
    subprocess.run([lrelease(), "-silent", str(TS), "-qm", str(folder / "planaura_fr.qm")], check=True)
    return folder


@pytest.fixture
def french(qm_dir, qgis_app):
    plugin_package()
    from planaura_qgis.ui.i18n import load_translator, unload_translator

    translator = load_translator("fr_CA", qm_dir)
    assert translator is not None, "planaura_fr.qm did not load for fr_CA"
    yield translator
    unload_translator(translator)


def test_every_ui_string_is_translated_and_provider_strings_are_reported():
    ui_missing, provider_missing = [], []
    for context, source, translation, filename in messages(TS):
        if translation is None:
            (ui_missing if "/ui/" in filename else provider_missing).append(f"{context}: {source!r}")
    assert not ui_missing, "untranslated UI strings (run `make update-translations`, then translate):\n" + \
        "\n".join(ui_missing)
    if provider_missing:
        warnings.warn("untranslated Processing strings:\n" + "\n".join(provider_missing), stacklevel=2)


def test_translations_keep_placeholders_and_shortcuts():
    for context, source, translation, _filename in messages(TS):
        if translation is None:
            continue
        assert sorted(PLACEHOLDER.findall(source)) == sorted(PLACEHOLDER.findall(translation)), \
            f"{context}: placeholders differ in {source!r} -> {translation!r}"
        assert source.count("&") - source.count("&&") <= translation.count("&"), f"{context}: lost shortcut"
        assert source.count(";;") == translation.count(";;"), f"{context}: file filter broken"


def test_sources_match_the_translation_file(tmp_path):
    """A fresh extraction (pylupdate5) finds no UI string that the .ts lacks."""
    if shutil.which("pylupdate5") is None:
        pytest.skip("pylupdate5 (pyqt5-dev-tools) is not installed")
    copy = tmp_path / "i18n" / "planaura_fr.ts"
    copy.parent.mkdir()
    shutil.copy(TS, copy)
    sources = sorted(str(p) for folder in ("ui", "processing_provider") for p in (REPO / folder).rglob("*.py"))
    subprocess.run(["pylupdate5", "-noobsolete", *sources, "-ts", str(copy)], check=True, capture_output=True)
    new_ui = [f"{c}: {s!r}" for c, s, t, f in messages(copy) if t is None and "/ui/" in f]
    assert not new_ui, "UI strings missing from i18n/planaura_fr.ts (run `make update-translations`):\n" + \
        "\n".join(new_ui)


def test_translator_translates_known_strings(french):
    assert QCoreApplication.translate("PlanauraPlugin", "Free GPU memory") == "Libérer la mémoire GPU"
    assert QCoreApplication.translate("PlanauraSettingsDialog", "Install dependencies") == "Installer les dépendances"
    assert QCoreApplication.translate("ChangeMapAlgorithm", "Planaura change map") == "Carte de changement Planaura"


def test_english_needs_no_translator(qm_dir, qgis_app):
    plugin_package()
    from planaura_qgis.ui.i18n import load_translator

    assert load_translator("en_US", qm_dir) is None
    assert load_translator("de_DE", qm_dir) is None  # no German file: English
    assert QCoreApplication.translate("PlanauraPlugin", "Free GPU memory") == "Free GPU memory"


def test_plugin_menu_in_french_for_a_french_qgis(qgis_iface, qgis_app, monkeypatch):
    """The plugin reads locale/userLocale and loads i18n/planaura_fr.qm before building its menu."""
    built = REPO / "i18n" / "planaura_fr.qm"
    if not built.exists():
        pytest.skip("i18n/planaura_fr.qm is built by `make setup` / `make translations`")
    settings = QgsSettings()
    previous = settings.value("locale/userLocale", None)
    settings.setValue("locale/userLocale", "fr_CA")
    added = []
    monkeypatch.setattr(qgis_iface, "addPluginToMenu", lambda menu, action: added.append((menu, action)),
                        raising=False)
    monkeypatch.setattr(qgis_iface, "removePluginMenu", lambda menu, action: None, raising=False)
    # keep the session's real registry (and the provider other tests registered there) untouched
    from unittest import mock

    from qgis.core import QgsApplication

    monkeypatch.setattr(QgsApplication, "processingRegistry", staticmethod(lambda: mock.MagicMock()))
    try:
        plugin = plugin_package().classFactory(qgis_iface)
        plugin.initGui()
        assert plugin.translator is not None
        assert [a.text() for _m, a in added] == ["Paramètres…", "Libérer la mémoire GPU", "Aide"]
        plugin.unload()
        assert QCoreApplication.translate("PlanauraPlugin", "Help") == "Help"  # translator removed
    finally:
        if previous is None:
            settings.remove("locale/userLocale")
        else:
            settings.setValue("locale/userLocale", previous)


def test_settings_dialog_in_french(french, tmp_path):
    from qgis.PyQt.QtCore import QSettings

    from planaura_qgis.ui.settings_dialog import PlanauraSettingsDialog

    dialog = PlanauraSettingsDialog(settings=QgsSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat),
                                    probe_torch=False)
    assert dialog.windowTitle() == "Paramètres de Planaura"
    assert dialog.install_button.text() in ("Installer les dépendances", "Réinstaller les dépendances")
    assert dialog.weight_rows["Planaura-1.0-HLS"].download.text() == "Télécharger"
    dialog.deleteLater()


def test_processing_algorithms_in_french(french, qgis_processing):
    from planaura_qgis.processing_provider.provider import PlanauraProvider

    provider = PlanauraProvider()
    provider.loadAlgorithms()
    names = {alg.name(): alg for alg in provider.algorithms()}
    assert names["changemap"].displayName() == "Carte de changement Planaura"
    assert names["persistencemosaic"].displayName() == "Mosaïque de persistance"
    assert "Calcule où et à quel point" in names["changemap"].shortHelpString()
    alg = names["changemap"].create()
    assert alg.parameterDefinition("BEFORE").description() == "Image avant"
    # a label equal to an English source whose French differs was not translated at run time
    english = {source for _c, source, translation, _f in messages(TS) if translation and translation != source}
    instances = [algorithm.create() for algorithm in provider.algorithms()]  # alive while read
    untranslated = [f"{instance.id()} {param.name()}: {param.description()}"
                    for instance in instances for param in instance.parameterDefinitions()
                    if param.description() in english]
    assert not untranslated, "parameter labels still in English under a French locale:\n" + "\n".join(untranslated)


def test_qt_own_buttons_have_their_french(qgis_app):
    """Close / Help / Cancel of button boxes come from Qt's catalogue (qt_fr.qm, Debian package
    qttranslations5-l10n, installed by `make setup`), which QGIS loads for its locale: without it
    they stay English in a French QGIS. The package is in setup.sh's list."""
    from qgis.PyQt.QtCore import QLibraryInfo, QTranslator

    assert "qttranslations5-l10n" in (REPO / "scripts" / "setup.sh").read_text(encoding="utf-8")
    if hasattr(QLibraryInfo, "path"):  # Qt6 (QGIS 4): location() and the unscoped name are gone
        folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    else:  # PyQt5 has neither path() nor LibraryPath
        folder = QLibraryInfo.location(QLibraryInfo.TranslationsPath)
    translator = QTranslator()
    assert translator.load("qt_fr", folder), f"qt_fr.qm is missing from {folder}: run `make setup`"
    assert [translator.translate("QPlatformTheme", text) for text in ("Close", "Help", "Cancel")] == \
        ["Fermer", "Aide", "Annuler"]
