"""Plugins ▸ Planaura ▸ Settings: values saved in QgsSettings, weights, dependency panel, tasks."""
from __future__ import annotations

import importlib
import importlib.util
import sys
import tempfile
import time
from pathlib import Path

import pytest
from qgis.core import QgsApplication, QgsSettings
from qgis.PyQt.QtCore import QCoreApplication, QSettings

REPO = Path(__file__).resolve().parents[2]


def plugin_package():
    """``planaura_qgis`` as QGIS imports it (tests/qgis/conftest.py usually set this up already)."""
    if importlib.util.find_spec("planaura_qgis") is None:
        folder = Path(tempfile.mkdtemp(prefix="planaura_ui_plugins_"))
        (folder / "planaura_qgis").symlink_to(REPO, target_is_directory=True)
        sys.path.insert(0, str(folder))
    return importlib.import_module("planaura_qgis")


def wait_for(condition, timeout: float = 60.0) -> None:
    """Spin the event loop (task manager, queued signals) until ``condition()`` holds."""
    end = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > end:
            raise AssertionError("timed out waiting for a background task")
        QCoreApplication.processEvents()
        time.sleep(0.02)


@pytest.fixture
def settings(tmp_path):
    """A private settings file, so the test never touches the session's QGIS profile."""
    return QgsSettings(str(tmp_path / "planaura_test.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def dialog_class(qgis_app):
    plugin_package()
    from planaura_qgis.ui.settings_dialog import PlanauraSettingsDialog

    return PlanauraSettingsDialog


@pytest.fixture
def dialog(dialog_class, settings):
    dlg = dialog_class(settings=settings, probe_torch=False)
    dlg.confirm = lambda _text: True
    yield dlg
    dlg.cancel_tasks()
    dlg.deleteLater()


def test_dialog_opens_with_defaults(dialog):
    dialog.show()
    assert dialog.isVisible()
    values = dialog.values()
    assert (values.device, values.precision, values.batch_size) == ("auto", "float32", 4)
    assert set(values.checkpoints) == {"Planaura-1.0-HLS", "Planaura-1.0-S2", "Planaura-1.0-S2-Senegal"}
    assert [dialog.device.itemData(i) for i in range(dialog.device.count())] == ["auto", "cpu", "cuda"]
    # one list of precisions: the core's, the dialog's and the algorithms' PRECISION parameter
    from planaura_qgis.planaura_plugin.model.precision import PRECISIONS
    from planaura_qgis.processing_provider.base import PlanauraAlgorithm

    offered = [dialog.precision.itemData(i) for i in range(dialog.precision.count())]
    assert offered == list(PRECISIONS) == ["float32", "bfloat16", "float16", "int8"]
    assert list(PlanauraAlgorithm.PRECISIONS) == ["default", *offered]
    # never smaller than its size hint
    hint = dialog.sizeHint()
    assert dialog.width() >= hint.width() and dialog.height() >= hint.height()


def test_int8_is_saved_and_is_the_default_precision_of_the_algorithms(dialog, settings):
    from planaura_qgis.plugin_services import settings_keys as keys
    from planaura_qgis.plugin_services.settings import load_settings

    dialog.precision.setCurrentIndex(dialog.precision.findData("int8"))
    dialog.accept()
    assert settings.value("planaura/precision") == "int8"
    assert settings.value(keys.HALF_PRECISION, type=bool) is False  # the run's half switch stays off
    assert load_settings(settings).precision == "int8"
    # a run with PRECISION=default: int8 unless its half switch is on
    assert keys.default_precision(False, "int8") == "int8"
    assert keys.default_precision(True, "int8") == "float16"
    assert keys.default_precision(True, "bfloat16") == "bfloat16"
    assert keys.default_precision(False, "bfloat16") == "float32"


def test_mps_is_offered_where_torch_reports_it(dialog, monkeypatch):
    from planaura_qgis.plugin_services import dependencies

    real_probe = dependencies.probe

    def apple(folder, import_torch=True):
        status = real_probe(folder, import_torch=False)
        status.mps_available = True
        return status

    monkeypatch.setattr(dependencies, "probe", apple)
    dialog.refresh_dependencies()
    assert [dialog.device.itemData(i) for i in range(dialog.device.count())] == ["auto", "cpu", "cuda", "mps"]
    assert dialog.dep_gpu.text() == "Apple GPU (mps)"
    dialog.device.setCurrentIndex(dialog.device.findData("mps"))
    assert dialog.values().device == "mps"


def test_ok_saves_the_keys_the_algorithms_read(dialog, settings, tmp_path):
    from planaura_qgis.plugin_services import settings_keys as keys

    checkpoint = tmp_path / "mine.pth"
    checkpoint.write_bytes(b"x")
    dialog.device.setCurrentIndex(dialog.device.findData("cuda"))
    dialog.precision.setCurrentIndex(dialog.precision.findData("bfloat16"))
    dialog.batch_size.setValue(12)
    dialog.weight_rows["Planaura-1.0-S2"].path.setFilePath(str(checkpoint))
    dialog.hf_cache.setFilePath(str(tmp_path / "hf"))
    assert "local file" in dialog.weight_rows["Planaura-1.0-S2"].status.text()
    dialog.accept()
    settings.sync()
    assert settings.value(keys.DEVICE) == "cuda"
    assert settings.value(keys.HALF_PRECISION, type=bool) is True
    assert settings.value("planaura/precision") == "bfloat16"
    assert settings.value(keys.BATCH_SIZE, type=int) == 12
    assert settings.value(keys.checkpoint_key("Planaura-1.0-S2")) == str(checkpoint)
    assert settings.value(keys.checkpoint_key("Planaura-1.0-HLS")) == ""
    assert settings.value(keys.HF_CACHE_DIR) == str(tmp_path / "hf")


def test_saved_values_come_back(dialog_class, settings):
    from planaura_qgis.plugin_services.settings import PlanauraSettings, save_settings

    save_settings(PlanauraSettings(device="cpu", precision="float16", batch_size=2,
                                   checkpoints={"Planaura-1.0-HLS": "/x/hls.pth"}), settings)
    dlg = dialog_class(settings=settings, probe_torch=False)
    values = dlg.values()
    assert (values.device, values.precision, values.batch_size) == ("cpu", "float16", 2)
    assert values.checkpoints["Planaura-1.0-HLS"] == "/x/hls.pth"
    assert "not found" in dlg.weight_rows["Planaura-1.0-HLS"].status.text()
    dlg.deleteLater()


def test_half_precision_alone_reads_as_float16(settings):
    plugin_package()
    from planaura_qgis.plugin_services.settings import load_settings

    settings.setValue("planaura/half_precision", True)
    assert load_settings(settings).precision == "float16"
    settings.setValue("planaura/device", "tpu")  # unknown values fall back to defaults
    settings.setValue("planaura/batch_size", "many")
    assert (load_settings(settings).device, load_settings(settings).batch_size) == ("auto", 4)


def test_dependency_panel_shows_torch_cuda_and_gpu(dialog_class, settings):
    dlg = dialog_class(settings=settings, probe_torch=True)
    import torch

    assert dlg.dep_torch.text().startswith(torch.__version__)
    assert dlg.dep_cuda.text() == ("yes" if torch.cuda.is_available() else "no")
    if not torch.cuda.is_available():
        assert dlg.dep_gpu.text() == "none"
    assert "huggingface_hub" in dlg.dep_packages.text()
    dlg.deleteLater()


def test_dependency_panel_without_torch(dialog, monkeypatch):
    from planaura_qgis.plugin_services import dependencies

    real_probe = dependencies.probe

    def without_torch(folder, import_torch=True):
        status = real_probe(folder, import_torch=False)
        status.packages["torch"] = None
        return status

    monkeypatch.setattr(dependencies, "probe", without_torch)
    monkeypatch.setattr(dependencies, "missing_requirements",
                        lambda reqs, version_of=None: [r for r in reqs if r.name == "torch"])
    dialog.refresh_dependencies()
    assert dialog.dep_torch.text() == "not installed"
    assert dialog.install_button.text() == "Install dependencies"
    assert "torch==2.13.0" in dialog.install_status.text()


def test_download_offline_reports_the_missing_file(dialog, tmp_path, monkeypatch):
    """HF_HUB_OFFLINE=1 and an empty cache: the task fails with the core's clear message."""
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf_home"))
    dialog.hf_cache.setFilePath(str(tmp_path / "empty_cache"))
    task = dialog.start_download("Planaura-1.0-HLS")
    assert task is not None and dialog.start_download("Planaura-1.0-HLS") is None  # one at a time
    assert not dialog.weight_rows["Planaura-1.0-HLS"].download.isEnabled()
    wait_for(lambda: "Planaura-1.0-HLS" not in dialog.tasks)
    status = dialog.weight_rows["Planaura-1.0-HLS"].status.text()
    assert status.startswith("The weights could not be downloaded.")
    assert "Planaura-1.0-HLS.pth" in status and "NRCan/Planaura-1.0" in status
    assert "offline" in status.lower()
    assert dialog.weight_rows["Planaura-1.0-HLS"].download.isEnabled()


def test_download_finds_weights_already_in_the_cache(dialog, tmp_path, monkeypatch):
    """A checkpoint in the hub's cache layout is found without any network access."""
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    cache = tmp_path / "hub"
    repo = cache / "models--NRCan--Planaura-1.0"
    commit = "0123456789abcdef0123456789abcdef01234567"
    (repo / "refs").mkdir(parents=True)
    (repo / "refs" / "main").write_text(commit)
    snapshot = repo / "snapshots" / commit
    snapshot.mkdir(parents=True)
    (snapshot / "Planaura-1.0-S2.pth").write_bytes(b"weights")
    dialog.hf_cache.setFilePath(str(cache))
    assert "In the Hugging Face cache" in dialog.weight_rows["Planaura-1.0-S2"].status.text()
    dialog.start_download("Planaura-1.0-S2")
    wait_for(lambda: "Planaura-1.0-S2" not in dialog.tasks)
    status = dialog.weight_rows["Planaura-1.0-S2"].status.text()
    location = dialog.weight_rows["Planaura-1.0-S2"].location
    assert "Downloaded into the Hugging Face cache" in status and location.path().endswith("Planaura-1.0-S2.pth")
    assert location.toolTip() == location.path() and location.isVisibleTo(dialog)


def fake_python(tmp_path: Path, body: str) -> str:
    """An executable standing in for ``python -m pip ...`` (prints like pip, exits as told)."""
    script = tmp_path / "fake_python"
    script.write_text("#!/bin/sh\n" + body)
    script.chmod(0o755)
    return str(script)


def test_install_task_runs_pip_and_adds_the_folder(qgis_app, tmp_path, monkeypatch):
    plugin_package()
    from planaura_qgis.plugin_services import dependencies
    from planaura_qgis.ui.tasks import InstallDependenciesTask

    monkeypatch.setattr(sys, "path", list(sys.path))
    target = tmp_path / "planaura_deps" / "py3.11"
    python = fake_python(tmp_path, 'echo "$@" > "$(dirname "$0")/args"\n'
                                   f'mkdir -p "{target}"\n'
                                   'echo "Collecting torch==2.13.0"\necho "Installing collected packages: torch"\n'
                                   'echo "Successfully installed torch-2.13.0"\n')
    reqs = dependencies.runtime_requirements()[:1]
    task = InstallDependenciesTask(target, reqs, python=python, numpy_version="1.24.2")
    results = []
    task.done.connect(lambda ok, message: results.append((ok, message)))
    QgsApplication.taskManager().addTask(task)
    wait_for(lambda: results)
    assert results == [(True, str(target))]
    assert sys.path[0] == str(target)
    args = (tmp_path / "args").read_text()
    assert f"--target {target}" in args and "torch==2.13.0" in args
    scipy = dependencies.system_version("scipy")
    assert dependencies.read_stamp(target)["constraints"] == ["numpy==1.24.2"] + ([f"scipy=={scipy}"] if scipy else [])
    assert any(line.startswith("Successfully installed") for line in task.log)


def test_install_task_reports_pip_errors(qgis_app, tmp_path):
    plugin_package()
    from planaura_qgis.plugin_services import dependencies
    from planaura_qgis.ui.tasks import InstallDependenciesTask

    python = fake_python(tmp_path, 'echo "ERROR: No matching distribution found for torch==2.13.0"\nexit 1\n')
    task = InstallDependenciesTask(tmp_path / "t", dependencies.runtime_requirements()[:1], python=python)
    results = []
    task.done.connect(lambda ok, message: results.append((ok, message)))
    QgsApplication.taskManager().addTask(task)
    wait_for(lambda: results)
    assert results[0][0] is False and "No matching distribution" in results[0][1]


def test_install_task_an_optional_package_failing_never_blocks_torch(dialog, tmp_path, monkeypatch):
    """pyarrow without a wheel for this Python or numpy: torch is installed all the same (its own pip
    call, first), the task succeeds, and the dialog names what was left out."""
    from planaura_qgis.plugin_services import dependencies
    from planaura_qgis.ui.tasks import InstallDependenciesTask

    monkeypatch.setattr(sys, "path", list(sys.path))
    target = tmp_path / "planaura_deps" / "py3.11"
    python = fake_python(tmp_path, 'echo "$@" >> "$(dirname "$0")/calls"\n'
                                   'case "$*" in *pyarrow==*) echo "ERROR: No matching distribution"; exit 1;; esac\n'
                                   f'mkdir -p "{target}"\n')
    reqs = dependencies.runtime_requirements()
    task = InstallDependenciesTask(target, reqs, python=python, numpy_version="2.2.4")
    results = []
    task.done.connect(lambda ok, message: results.append((ok, message)))
    dialog.tasks["planaura-install"] = task
    task.done.connect(dialog._install_done)
    QgsApplication.taskManager().addTask(task)
    wait_for(lambda: results)
    calls = (tmp_path / "calls").read_text().splitlines()
    pyarrow = next(r.spec for r in reqs if r.name == "pyarrow")
    assert results == [(True, str(target))] and task.optional_failed == [pyarrow]
    assert len(calls) == 3 and "torch==" in calls[0] and "pyarrow" not in calls[0]
    assert calls[1].endswith(next(r.spec for r in reqs if r.name == "scikit-learn")) and calls[2].endswith(pyarrow)
    assert "numpy==2.2.4" in dependencies.read_stamp(target)["constraints"]
    assert pyarrow in dialog.install_status.text() and "optional" in dialog.install_status.text()


def test_install_task_can_be_cancelled(qgis_app, tmp_path):
    plugin_package()
    from planaura_qgis.plugin_services import dependencies
    from planaura_qgis.ui.tasks import InstallDependenciesTask

    python = fake_python(tmp_path, 'echo "Collecting torch"\nexec sleep 60\n')
    task = InstallDependenciesTask(tmp_path / "t", dependencies.runtime_requirements()[:1], python=python)
    results = []
    task.done.connect(lambda ok, message: results.append((ok, message)))
    QgsApplication.taskManager().addTask(task)
    wait_for(lambda: task.status() == task.Running and task.log)
    started = time.monotonic()
    task.cancel()
    wait_for(lambda: results, timeout=20)
    assert results == [(False, "")]
    assert time.monotonic() - started < 15
    assert dependencies.read_stamp(tmp_path / "t") is None


def test_install_button_runs_the_task_and_refreshes(dialog, tmp_path, monkeypatch):
    from planaura_qgis.plugin_services import dependencies
    from planaura_qgis.ui import tasks

    monkeypatch.setenv("PLANAURA_DEPS_DIR", str(tmp_path / "deps"))
    monkeypatch.setattr(sys, "path", list(sys.path))
    python = fake_python(tmp_path, f'mkdir -p "{tmp_path / "deps"}"\necho "Collecting einops"\n')
    original = tasks.InstallDependenciesTask.__init__

    def with_fake_python(self, target, requirements, python_=None, numpy_version=None, build=None, **kwargs):
        original(self, target, requirements, python=python, numpy_version=numpy_version, build=build, **kwargs)

    monkeypatch.setattr(tasks.InstallDependenciesTask, "__init__", with_fake_python)
    asked = []
    dialog.confirm = lambda text: asked.append(text) or True
    task = dialog.start_install()
    assert task is not None and "numpy" in asked[0] and str(tmp_path / "deps") in asked[0]
    assert not dialog.install_button.isEnabled()
    wait_for(lambda: "planaura-install" not in dialog.tasks)
    assert dialog.install_button.isEnabled()
    assert str(tmp_path / "deps") in dialog.install_status.text()
    assert "failed" not in dialog.install_status.text()  # a success's message (the folder) is not an error
    assert dependencies.read_stamp(tmp_path / "deps") is not None
    dialog.confirm = lambda text: False
    assert dialog.start_install() is None  # declined: nothing queued


def test_install_task_with_real_pip_installs_a_pinned_package(qgis_app, tmp_path, monkeypatch):
    """The real pip command line, end to end, on a small pinned package (einops: pure Python, no
    dependencies; not a plugin requirement, only a test package here)."""
    plugin_package()
    from planaura_qgis.plugin_services import dependencies
    from planaura_qgis.ui.tasks import InstallDependenciesTask

    monkeypatch.setattr(sys, "path", list(sys.path))
    target = tmp_path / "planaura_deps" / dependencies.python_tag()
    einops = dependencies.Requirement("einops", "einops", "0.8.2")
    task = InstallDependenciesTask(target, [einops], numpy_version=dependencies.numpy_version())
    results = []
    task.done.connect(lambda ok, message: results.append((ok, message)))
    QgsApplication.taskManager().addTask(task)
    wait_for(lambda: results, timeout=240)
    ok, message = results[0]
    if not ok and any(s in message for s in ("No matching distribution", "Could not find a version",
                                             "NewConnectionError", "Temporary failure in name resolution")):
        pytest.skip(f"no package index reachable: {message.splitlines()[-1]}")
    assert ok, message
    assert (target / "einops" / "__init__.py").is_file()
    assert not (target / "numpy").exists()
    assert sys.path[0] == str(target)
    assert dependencies.read_stamp(target)["requirements"] == [einops.spec]
