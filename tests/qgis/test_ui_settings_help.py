"""Settings dialog: long paths, the advice of a failed download, Help offline, Copy diagnostics, the PyTorch build."""
from __future__ import annotations

from pathlib import Path

import pytest
from qgis.core import QgsSettings
from qgis.PyQt.QtCore import QSettings
from qgis.PyQt.QtWidgets import QApplication

DATA = Path(__file__).resolve().parents[1] / "services" / "data" / "nvidia_smi"


@pytest.fixture
def settings(tmp_path):
    return QgsSettings(str(tmp_path / "planaura_test.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def dialog(qgis_app, settings):

    from planaura_qgis.ui.settings_dialog import PlanauraSettingsDialog

    dlg = PlanauraSettingsDialog(settings=settings, probe_torch=False)
    dlg.confirm = lambda _text: True
    yield dlg
    dlg.cancel_tasks()
    dlg.deleteLater()


def recorded(name: str, returncode: int = 0):
    from planaura_qgis.plugin_services import torch_build

    return torch_build.SmiResult(found=True, returncode=returncode, stdout=(DATA / name).read_text())


def test_long_paths_elide_in_the_middle_with_the_full_path_as_tooltip(dialog):
    long_path = "/home/user/" + "/".join(f"folder_{i:02d}" for i in range(30)) + "/planaura_deps/py3.11"
    label = dialog.dep_folder
    label.resize(300, label.height())
    label.set_path(long_path)
    shown = label.text()
    assert "…" in shown and len(shown) < len(long_path)
    head, tail = shown.split("…")
    assert head and tail and long_path.startswith(head) and long_path.endswith(tail)  # the middle went
    assert tail.endswith("py3.11") and abs(len(head) - len(tail)) <= 3
    assert label.toolTip() == long_path == label.path()
    assert label.fontMetrics().horizontalAdvance(shown) <= 300
    label.resize(5000, label.height())
    label.set_path(long_path)
    assert label.text() == long_path  # room enough: the whole path


def test_failed_download_shows_the_whole_advice_library_message_last(dialog, settings):
    from planaura_qgis.plugin_services.last_error import last_error

    dialog._download_done("Planaura-1.0-S2", "", "ConnectionError: Max retries exceeded with url")
    text = dialog.weight_rows["Planaura-1.0-S2"].status.text()
    assert text.startswith("The weights could not be downloaded.")
    assert "Planaura-1.0-S2.pth" in text
    assert "https://huggingface.co/NRCan/Planaura-1.0/resolve/main/Planaura-1.0-S2.pth" in text
    assert "another computer" in text and "checkpoint file of Planaura-1.0-S2" in text
    assert text.endswith("Details: ConnectionError: Max retries exceeded with url")
    assert "[download Planaura-1.0-S2] ConnectionError" in last_error()  # kept for Copy diagnostics


def test_failed_download_advice_in_french(dialog):
    from planaura_qgis.ui.i18n import load_translator, unload_translator

    translator = load_translator("fr")
    try:
        text = dialog.download_advice("Planaura-1.0-HLS", "HTTPError: 503")
    finally:
        unload_translator(translator)
    assert translator is not None
    assert text.startswith("Les poids n'ont pas pu être téléchargés.")
    assert "Planaura-1.0-HLS.pth" in text and "https://huggingface.co/NRCan/Planaura-1.0/resolve/main/" in text
    assert text.endswith("Détails : HTTPError: 503")


def test_help_shows_the_url_when_no_browser_opens(dialog, monkeypatch):
    from planaura_qgis.plugin_services import help as plugin_help
    from planaura_qgis.ui import settings_dialog

    monkeypatch.setattr(plugin_help, "is_online", lambda *a, **k: True)
    monkeypatch.setattr(settings_dialog.QDesktopServices, "openUrl", lambda _url: False)
    dialog.show_help()
    items = dialog.bar.items()
    assert items and plugin_help.HELP_URL in items[-1].text()


def test_help_opens_the_shipped_html_when_offline(tmp_path):

    from planaura_qgis.plugin_services import help as plugin_help

    assert plugin_help.help_target("fr_CA", online=False, folder=tmp_path) == plugin_help.HELP_URL_FR
    (tmp_path / "help").mkdir()
    (tmp_path / "help" / "README.html").write_text("<html></html>")
    assert plugin_help.help_target("en", online=False, folder=tmp_path) == (tmp_path / "help" / "README.html").as_uri()
    # no French copy: the English one
    assert plugin_help.help_target("fr", online=False, folder=tmp_path).endswith("/help/README.html")
    assert plugin_help.help_target("en", online=True, folder=tmp_path) == plugin_help.HELP_URL
    opened, shown = [], []
    url = plugin_help.open_help("en", lambda u: opened.append(u) or False, shown.append, online=lambda: False,
                                folder=tmp_path)
    assert url.startswith("file://") and opened == shown == [url]


def test_copy_diagnostics_puts_the_report_on_the_clipboard(dialog, settings, monkeypatch):
    from qgis.core import Qgis

    from planaura_qgis.plugin_services.last_error import record_error
    from planaura_qgis.plugin_services import diagnostics, torch_build

    record_error("Planaura change map", "Out of memory: lower the batch size.", settings)
    monkeypatch.setattr(torch_build, "run_nvidia_smi", lambda: recorded("linux_570_query.txt"))
    monkeypatch.setattr(diagnostics.sys, "platform", "linux")
    QApplication.clipboard().setText("")
    dialog.diagnostics_button.click()
    text = QApplication.clipboard().text()
    lines = dict(line.split(": ", 1) for line in text.splitlines()[1:])
    assert text.startswith("Planaura for QGIS diagnostics\n")
    assert lines["Planaura for QGIS"] == diagnostics.plugin_version() == "0.1.0"
    assert lines["QGIS"] == Qgis.QGIS_VERSION
    assert lines["Python"].startswith("3.")
    assert lines["NVIDIA driver"] == "570.133.07"
    assert lines["GPU"] == "NVIDIA RTX A4000 (seen by nvidia-smi, not by torch)"
    assert lines["PyTorch build for this machine"].startswith("PyTorch CUDA 12.8 build")
    assert lines["Package folder"].startswith(str(dialog.dependency_folder()))
    assert lines["Last error"].endswith("[Planaura change map] Out of memory: lower the batch size.")
    assert {"PyTorch", "CUDA", "OS", "Packages"} <= set(lines)


def test_diagnostics_with_torch_say_its_cuda(qgis_app):

    import torch

    from planaura_qgis.plugin_services import dependencies, diagnostics, torch_build

    status = dependencies.probe(Path("/nonexistent"), import_torch=True)
    facts = diagnostics.collect(status, "3.22.16", "", smi=torch_build.SmiResult(found=False))
    assert facts["torch"].startswith(torch.__version__)
    assert facts["cuda"].startswith(f"built for {torch.version.cuda or 'none (CPU build)'}; available: ")
    assert facts["driver"] == "no nvidia-smi" and facts["last_error"] == "none recorded"


def test_panel_and_question_say_which_pytorch_and_why(dialog, monkeypatch, tmp_path):
    from planaura_qgis.plugin_services import dependencies, torch_build

    dialog.detect_build = lambda: torch_build.choose_torch_build("linux", recorded("linux_570_query.txt"))
    monkeypatch.setattr(dependencies, "missing_requirements",
                        lambda reqs, version_of=None: [r for r in reqs if r.name in ("torch", "pyarrow")])
    dialog.refresh_dependencies()
    build = dialog.dep_build.text()
    assert build.startswith("PyTorch 2.13.0 for CUDA 12.8 (from https://download.pytorch.org/whl/cu128)")
    assert "570.133.07 (NVIDIA RTX A4000)" in build and "570.26 or newer" in build
    assert "pyarrow" in dialog.dep_optional.text() and "GeoParquet tables" in dialog.dep_optional.text()
    question = dialog.install_question(dialog.to_install(), tmp_path / "deps")
    assert question.startswith(f"Install torch==2.13.0, pyarrow=={dependencies.read_pins()['pyarrow']} into")
    assert build in question and "GeoParquet tables" in question and "numpy" in question
    # a too old driver: the CPU build, and what to do for the GPU
    dialog.detect_build = lambda: torch_build.choose_torch_build("win32", recorded("windows_551_query.txt"))
    dialog.refresh_dependencies()
    assert "CPU build (from https://download.pytorch.org/whl/cpu)" in dialog.dep_build.text()
    assert "older than 560.76" in dialog.dep_build.text() and "Update the driver" in dialog.dep_build.text()


def test_a_cpu_torch_on_a_cuda_machine_is_offered_for_reinstall(dialog, monkeypatch):
    from planaura_qgis.plugin_services import dependencies, torch_build

    real_probe = dependencies.probe

    def cpu_torch(folder, import_torch=True):
        status = real_probe(folder, import_torch=False)
        status.packages["torch"] = "2.13.0+cpu"
        return status

    monkeypatch.setattr(dependencies, "probe", cpu_torch)
    monkeypatch.setattr(dependencies, "missing_requirements", lambda reqs, version_of=None: [])
    dialog.detect_build = lambda: torch_build.choose_torch_build("linux", recorded("linux_570_query.txt"))
    dialog.refresh_dependencies()
    assert [r.spec for r in dialog.to_install()] == ["torch==2.13.0"]
    assert dialog.install_button.text() == "Install dependencies"


def test_diagnostics_name_the_python_interpreter_not_the_qgis_program(qgis_app, monkeypatch, tmp_path):
    """Inside QGIS sys.executable is the qgis program: the report names the interpreter QGIS runs."""
    import sys

    from planaura_qgis.plugin_services import dependencies, diagnostics

    prefix = tmp_path / "usr"
    python = prefix / "bin" / f"python{sys.version_info[0]}.{sys.version_info[1]}"
    python.parent.mkdir(parents=True)
    python.write_text("")
    monkeypatch.setattr(dependencies.sys, "executable", "/usr/bin/qgis")
    monkeypatch.setattr(dependencies.sys, "exec_prefix", str(prefix))
    assert diagnostics.interpreter() == str(python)
    status = dependencies.DependencyStatus(python="3.11.2", folder=tmp_path, folder_on_path=False, packages={})
    facts = diagnostics.collect(status, "3.22.16", None, smi=diagnostics.torch_build.SmiResult(found=False))
    assert facts["python"] == f"3.11.2 ({python})" and "qgis" not in facts["python"]


def test_a_failed_download_details_hold_the_library_error_not_english_advice(qgis_app, monkeypatch, tmp_path):
    """Issue 27 point 7: the French dialog's 'Détails' once repeated fetch_weights' English advice."""
    import huggingface_hub

    from planaura_qgis.plugin_services import weights
    from planaura_qgis.ui import tasks

    def refused(**_kwargs):
        raise ConnectionError("Max retries exceeded with url: /NRCan/Planaura-1.0")

    monkeypatch.setattr(huggingface_hub, "hf_hub_download", refused)
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    monkeypatch.setattr(weights, "offline_mode", lambda: False)
    with pytest.raises(Exception) as info:
        weights.fetch_weights("Planaura-1.0-S2", cache_dir=str(tmp_path))
    details = tasks.download_details(info.value)
    assert details == "ConnectionError: Max retries exceeded with url: /NRCan/Planaura-1.0"
    assert "Check the internet connection" not in details
