"""Every dialog fits 1366 × 768 (English and French): the settings dialog's size hints stay under
700 px whatever its content (a failed install's advice and pip's output included), its OK/Cancel
stay on the dialog, and a failed install says in plain words what failed, pip's output collapsed."""
from __future__ import annotations

import importlib
import importlib.util
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from qgis.core import QgsSettings
from qgis.PyQt.QtCore import QCoreApplication, QSettings

REPO = Path(__file__).resolve().parents[2]
PIP_OUTPUTS = Path(__file__).resolve().parents[1] / "services" / "data" / "pip_outputs"
#: 768 px less a taskbar and the title bar
LIMIT = 700
SCREEN = (1366, 768)


def plugin_package():
    if importlib.util.find_spec("planaura_qgis") is None:
        folder = Path(tempfile.mkdtemp(prefix="planaura_fit_plugins_"))
        (folder / "planaura_qgis").symlink_to(REPO, target_is_directory=True)
        sys.path.insert(0, str(folder))
    return importlib.import_module("planaura_qgis")


@pytest.fixture(params=["en", "fr"])
def language(request, qgis_app, tmp_path_factory):
    """The interface language of the test: English, or French from the .ts compiled now."""
    plugin_package()
    if request.param == "en":
        yield "en"
        return
    tool = next((t for t in ("lrelease", "lrelease-qt5", "/usr/lib/qt5/bin/lrelease") if shutil.which(t)), None)
    if tool is None:
        pytest.skip("lrelease (qttools5-dev-tools) is not installed")
    folder = tmp_path_factory.mktemp("qm")
    subprocess.run([tool, "-silent", str(REPO / "i18n" / "planaura_fr.ts"), "-qm", str(folder / "planaura_fr.qm")],
                   check=True)
    from planaura_qgis.ui.i18n import load_translator, unload_translator

    translator = load_translator("fr_CA", folder)
    assert translator is not None
    yield "fr"
    unload_translator(translator)


@pytest.fixture
def settings_dialog(language, tmp_path, monkeypatch):
    from planaura_qgis.ui import fit_screen
    from planaura_qgis.ui.settings_dialog import PlanauraSettingsDialog

    monkeypatch.setattr(fit_screen, "available_height", lambda _dialog: SCREEN[1] - fit_screen.FRAME_MARGIN)
    dialog = PlanauraSettingsDialog(settings=QgsSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat),
                                    probe_torch=False)
    dialog.confirm = lambda _text: True
    yield dialog
    dialog.cancel_tasks()
    dialog.deleteLater()


def assert_fits(dialog) -> None:
    """Size hints under LIMIT; shown at its hint, OK and Cancel inside the dialog and visible."""
    from qgis.PyQt.QtWidgets import QDialogButtonBox

    for hint in (dialog.sizeHint(), dialog.minimumSizeHint()):
        assert hint.height() <= LIMIT, f"{dialog.objectName()} wants {hint.height()} px (> {LIMIT})"
        assert hint.width() <= SCREEN[0]
    dialog.show()
    dialog.resize(dialog.sizeHint())
    QCoreApplication.processEvents()
    assert dialog.height() <= LIMIT
    box = dialog.findChild(QDialogButtonBox)
    for which in (QDialogButtonBox.StandardButton.Ok, QDialogButtonBox.StandardButton.Cancel):
        button = box.button(which)
        assert button is not None and button.isVisible()
        corner = button.mapTo(dialog, button.rect().bottomRight())
        assert 0 <= corner.y() < dialog.height() and 0 <= corner.x() < dialog.width(), (corner, dialog.size())
    dialog.hide()


def test_settings_dialog_fits_1366_by_768(settings_dialog):
    assert_fits(settings_dialog)
    settings_dialog.offline_toggle.setChecked(True)  # everything unfolded
    assert_fits(settings_dialog)


def test_a_failed_install_says_why_in_plain_words_and_still_fits(settings_dialog, language, tmp_path, monkeypatch):
    """pip behind a proxy (15 retry lines and one ERROR line): the status says 'proxy' and what to do,
    pip's output is in the collapsed details, the dialog does not grow past 700 px."""
    from planaura_qgis.ui import tasks

    recorded = PIP_OUTPUTS / "proxy.txt"
    python = tmp_path / "fake_python"
    python.write_text(f'#!/bin/sh\nfor i in 1 2 3; do cat "{recorded}"; done\nexit 1\n')
    python.chmod(0o755)
    original = tasks.InstallDependenciesTask.__init__

    def with_fake_python(self, target, requirements, **kwargs):
        original(self, target, requirements, **dict(kwargs, python=str(python)))

    monkeypatch.setattr(tasks.InstallDependenciesTask, "__init__", with_fake_python)
    monkeypatch.setenv("PLANAURA_DEPS_DIR", str(tmp_path / "deps"))
    assert settings_dialog.start_install() is not None
    end = time.monotonic() + 60
    while "planaura-install" in settings_dialog.tasks:
        assert time.monotonic() < end, "the install task did not finish"
        QCoreApplication.processEvents()
        time.sleep(0.02)
    status = settings_dialog.install_status.text()
    assert ("proxy" in status) and ("HTTPS_PROXY" in status), status
    assert status.count("\n") <= 3 and "Retrying" not in status
    assert "ERROR: No matching distribution found for torch==2.13.0" in status
    assert settings_dialog.log_toggle.isVisibleTo(settings_dialog)
    assert not settings_dialog.log_toggle.isChecked() and not settings_dialog.install_log.isVisibleTo(settings_dialog)
    assert "ProxyError" in settings_dialog.install_log.toPlainText()
    assert_fits(settings_dialog)
    settings_dialog.log_toggle.setChecked(True)
    assert_fits(settings_dialog)


def test_the_offline_route_shows_the_download_command_and_installs_from_the_folder(settings_dialog, tmp_path,
                                                                                   monkeypatch):
    from planaura_qgis.ui import tasks

    command = settings_dialog.offline_box.command.toPlainText()
    assert " download " in command and "--only-binary=:all:" in command
    assert f"--python-version {sys.version_info[0]}.{sys.version_info[1]}" in command
    python = tmp_path / "fake_python"
    python.write_text('#!/bin/sh\necho "$@" >> "$(dirname "$0")/args"\n')
    python.chmod(0o755)
    original = tasks.InstallDependenciesTask.__init__

    def with_fake_python(self, target, requirements, **kwargs):
        original(self, target, requirements, **dict(kwargs, python=str(python)))

    monkeypatch.setattr(tasks.InstallDependenciesTask, "__init__", with_fake_python)
    monkeypatch.setattr(sys, "path", list(sys.path))
    monkeypatch.setenv("PLANAURA_DEPS_DIR", str(tmp_path / "deps"))
    wheels = tmp_path / "wheels"
    wheels.mkdir()
    settings_dialog.offline_box.folder_chosen.emit(str(wheels))
    end = time.monotonic() + 60
    while "planaura-install" in settings_dialog.tasks or not (tmp_path / "args").exists():
        assert time.monotonic() < end, "the install task did not finish"
        QCoreApplication.processEvents()
        time.sleep(0.02)
    calls = (tmp_path / "args").read_text().splitlines()
    assert calls and all(f"install --no-index --find-links {wheels}" in call for call in calls)
    assert not any("index-url" in call for call in calls)
