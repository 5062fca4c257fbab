"""Plugins ▸ Planaura ▸ Settings: computation defaults, model weights, Python dependencies.

Widgets are built in code (no .ui file) so every label goes through ``self.tr`` and lands
in the translation file. Long actions (download, pip) run as QgsTasks in QGIS's task
manager; the dialog only reacts to their ``done`` signals, which arrive on the main thread.
"""
from __future__ import annotations

import os
import sys
from typing import Callable, Dict, List, Optional

from qgis.core import Qgis, QgsApplication, QgsSettings, QgsTaskManager
from qgis.gui import QgsFileWidget, QgsMessageBar
from qgis.PyQt.QtCore import Qt, QUrl
from qgis.PyQt.QtGui import QDesktopServices
from qgis.PyQt.QtWidgets import (QApplication, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QFrame,
                                 QGridLayout, QGroupBox, QHBoxLayout, QLabel, QMessageBox, QPlainTextEdit,
                                 QProgressBar, QPushButton, QScrollArea, QSpinBox, QVBoxLayout, QWidget)

from ..plugin_services import dependencies, diagnostics, help as plugin_help, torch_build
from ..plugin_services.last_error import last_error, record_error
from ..plugin_services.settings import DEVICES, MODEL_NAMES, PRECISIONS, PlanauraSettings, load_settings, save_settings
from ..plugin_services.weights import cached_weights, checkpoint_filename
from .i18n import user_locale
from .install_panel import DetailsToggle, OfflineInstallBox, failure_advice
from .tasks import DownloadWeightsTask, InstallDependenciesTask
from .widgets import ElidedPathLabel


class ModelWeightsRow:
    """The widgets of one model: checkpoint path, Download button, status and progress."""

    def __init__(self, name: str, parent: QWidget) -> None:
        self.name = name
        self.label = QLabel(f"<b>{name}</b>", parent)
        self.path = QgsFileWidget(parent)
        self.path.setStorageMode(QgsFileWidget.GetFile)
        self.path.setObjectName(f"checkpoint_{name}")
        self.download = QPushButton(parent)
        self.download.setObjectName(f"download_{name}")
        self.status = QLabel(parent)
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status.setObjectName(f"status_{name}")
        self.location = ElidedPathLabel(parent)
        self.location.setObjectName(f"location_{name}")
        self.location.setVisible(False)
        self.progress = QProgressBar(parent)
        self.progress.setRange(0, 100)
        self.progress.setVisible(False)


class PlanauraSettingsDialog(QDialog):
    """Edits the plugin's QgsSettings and starts downloads and dependency installs."""

    def __init__(self, parent: Optional[QWidget] = None, task_manager: Optional[QgsTaskManager] = None,
                 settings: Optional[QgsSettings] = None, probe_torch: bool = True) -> None:
        super().__init__(parent)
        self.setObjectName("PlanauraSettingsDialog")
        self.task_manager = task_manager or QgsApplication.taskManager()
        self.qsettings = settings
        self.probe_torch = probe_torch
        self.tasks: Dict[str, object] = {}
        #: asks before a long install; replaced in tests
        self.confirm: Callable[[str], bool] = self._ask
        #: the PyTorch build for this machine (runs nvidia-smi); replaced in tests
        self.detect_build: Callable[[], torch_build.TorchBuild] = (
            lambda: torch_build.torch_build_for_this_machine(dependencies.torch_pin()))
        self.torch_build: Optional[torch_build.TorchBuild] = None
        self.setWindowTitle(self.tr("Planaura settings"))
        layout = QVBoxLayout(self)
        self.bar = QgsMessageBar(self)
        layout.addWidget(self.bar)
        # the content scrolls (advice and pip's output grow); the buttons stay on the screen
        self.scroll = QScrollArea(self)
        self.scroll.setObjectName("settings_scroll")
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        content = QWidget(self.scroll)
        inner = QVBoxLayout(content)
        inner.setContentsMargins(0, 0, 0, 0)
        inner.addWidget(self._build_computation())
        inner.addWidget(self._build_weights())
        inner.addWidget(self._build_dependencies())
        inner.addStretch(1)
        self.scroll.setWidget(content)
        layout.addWidget(self.scroll, 1)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
                                        | QDialogButtonBox.StandardButton.Help, self)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.buttons.helpRequested.connect(self.show_help)
        layout.addWidget(self.buttons)
        self.set_values(load_settings(self.qsettings))
        self.refresh_weights()
        self.refresh_dependencies()
        self.resize(self.sizeHint())

    def sizeHint(self):  # noqa: N802 - Qt API
        """The whole content without scrolling when the screen has room, never more than the screen
        (a 1366 × 768 laptop included: :mod:`fit_screen`)."""
        from .fit_screen import content_size_hint

        return content_size_hint(self, self.scroll)

    def showEvent(self, event) -> None:  # noqa: N802 - Qt API
        """Never smaller than the size hint (word-wrapped texts otherwise open squeezed)."""
        super().showEvent(event)
        self.resize(self.size().expandedTo(self.sizeHint()))

    # --- building -------------------------------------------------------------------------
    def _build_computation(self) -> QGroupBox:
        box = QGroupBox(self.tr("Computation defaults"), self)
        form = QFormLayout(box)
        self.device = QComboBox(box)
        self.device.setObjectName("device")
        self.offer_devices(mps=False)
        self.precision = QComboBox(box)
        self.precision.setObjectName("precision")
        labels = {"float32": self.tr("float32 (reference numbers)"),
                  "bfloat16": self.tr("bfloat16 (GPU, or a CPU with AVX-512 BF16 or AMX; faster)"),
                  "float16": self.tr("float16 (GPU only, faster)"),
                  "int8": self.tr("int8 (CPU only, dynamic quantisation; faster)")}
        for value in PRECISIONS:  # the core's list (planaura_plugin/model/precision.py)
            self.precision.addItem(labels.get(value, value), value)
        self.batch_size = QSpinBox(box)
        self.batch_size.setObjectName("batch_size")
        self.batch_size.setRange(1, 256)
        form.addRow(self.tr("Device"), self.device)
        form.addRow(self.tr("Precision"), self.precision)
        form.addRow(self.tr("Batch size (tiles per model call)"), self.batch_size)
        hint = QLabel(self.tr("These values are the defaults of the Processing algorithms; each run can "
                              "override them. A precision the device cannot run falls back to float32, "
                              "and the run's log says so."), box)
        hint.setWordWrap(True)
        form.addRow(hint)
        return box

    def offer_devices(self, mps: bool) -> None:
        """Fill the device list; the Apple GPU (mps) only where torch reports it (or when it is saved)."""
        current = self.device.currentData() or "auto"
        labels = {"auto": self.tr("Automatic (GPU when available)"), "cpu": self.tr("CPU"),
                  "cuda": self.tr("CUDA GPU"), "mps": self.tr("Apple GPU (mps)")}
        self.device.clear()
        for value in DEVICES:
            if value != "mps" or mps or current == "mps":
                self.device.addItem(labels[value], value)
        self.device.setCurrentIndex(max(0, self.device.findData(current)))

    def _build_weights(self) -> QGroupBox:
        from ..planaura_plugin.presets import HF_REPO_ID

        box = QGroupBox(self.tr("Model weights"), self)
        grid = QGridLayout(box)
        intro = QLabel(self.tr("Leave a path empty to use the official weights from Hugging Face ({0}): "
                               "they are downloaded once into the Hugging Face cache.").format(HF_REPO_ID), box)
        intro.setWordWrap(True)
        grid.addWidget(intro, 0, 0, 1, 3)
        grid.addWidget(QLabel(self.tr("Hugging Face cache folder"), box), 1, 0)
        self.hf_cache = QgsFileWidget(box)
        self.hf_cache.setObjectName("hf_cache_dir")
        self.hf_cache.setStorageMode(QgsFileWidget.GetDirectory)
        self.hf_cache.lineEdit().setPlaceholderText(self.tr("default (HF_HOME or ~/.cache/huggingface)"))
        self.hf_cache.fileChanged.connect(lambda _path: self.refresh_weights())
        grid.addWidget(self.hf_cache, 1, 1, 1, 2)
        self.weight_rows: Dict[str, ModelWeightsRow] = {}
        row = 2
        for name in MODEL_NAMES:
            w = ModelWeightsRow(name, box)
            w.path.setFilter(self.tr("PyTorch checkpoints (*.pth *.pt);;All files (*)"))
            w.path.setDialogTitle(self.tr("Checkpoint of {0}").format(name))
            w.path.lineEdit().setPlaceholderText(self.tr("official weights (Hugging Face)"))
            w.path.fileChanged.connect(lambda _path, n=name: self._refresh_row(n))
            w.download.setText(self.tr("Download"))
            w.download.setToolTip(self.tr("Download {0}.pth from Hugging Face into its cache").format(name))
            w.download.clicked.connect(lambda _checked=False, n=name: self.start_download(n))
            grid.addWidget(w.label, row, 0)
            grid.addWidget(w.path, row, 1)
            grid.addWidget(w.download, row, 2)
            grid.addWidget(w.status, row + 1, 1, 1, 2)
            grid.addWidget(w.location, row + 2, 1, 1, 2)
            grid.addWidget(w.progress, row + 3, 1, 1, 2)
            self.weight_rows[name] = w
            row += 4
        grid.setColumnStretch(1, 1)
        return box

    def _build_dependencies(self) -> QGroupBox:
        box = QGroupBox(self.tr("Python dependencies"), self)
        form = QFormLayout(box)
        self.dep_python = QLabel(box)
        self.dep_folder = ElidedPathLabel(box)
        self.dep_folder.setObjectName("package_folder")
        self.dep_torch = QLabel(box)
        self.dep_torch.setObjectName("torch_status")
        self.dep_torch.setWordWrap(True)
        self.dep_cuda = QLabel(box)
        self.dep_cuda.setObjectName("cuda_status")
        self.dep_gpu = QLabel(box)
        self.dep_gpu.setObjectName("gpu_status")
        self.dep_packages = QLabel(box)
        self.dep_packages.setWordWrap(True)
        self.dep_optional = QLabel(box)
        self.dep_optional.setObjectName("optional_packages")
        self.dep_optional.setWordWrap(True)
        self.dep_build = QLabel(box)
        self.dep_build.setObjectName("torch_build")
        self.dep_build.setWordWrap(True)
        self.dep_build.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow(self.tr("Python"), self.dep_python)
        form.addRow(self.tr("Plugin package folder"), self.dep_folder)
        form.addRow(self.tr("PyTorch"), self.dep_torch)
        form.addRow(self.tr("CUDA available"), self.dep_cuda)
        form.addRow(self.tr("GPU"), self.dep_gpu)
        form.addRow(self.tr("Other packages"), self.dep_packages)
        form.addRow(self.tr("Optional packages"), self.dep_optional)
        form.addRow(self.tr("PyTorch to install"), self.dep_build)
        buttons = QHBoxLayout()
        self.install_button = QPushButton(self.tr("Install dependencies"), box)
        self.install_button.setObjectName("install_dependencies")
        self.install_button.clicked.connect(lambda: self.start_install())
        refresh = QPushButton(self.tr("Refresh"), box)
        refresh.clicked.connect(self.refresh_dependencies)
        self.diagnostics_button = QPushButton(self.tr("Copy diagnostics"), box)
        self.diagnostics_button.setObjectName("copy_diagnostics")
        self.diagnostics_button.setToolTip(self.tr("Copy the plugin, QGIS, Python, PyTorch, CUDA, GPU and driver "
                                                   "versions and the last error to the clipboard, for a bug report"))
        self.diagnostics_button.clicked.connect(self.copy_diagnostics)
        buttons.addWidget(self.install_button)
        buttons.addWidget(refresh)
        buttons.addWidget(self.diagnostics_button)
        buttons.addStretch(1)
        form.addRow(buttons)
        self.install_progress = QProgressBar(box)
        self.install_progress.setRange(0, 100)
        self.install_progress.setVisible(False)
        form.addRow(self.install_progress)
        self.install_status = QLabel(box)
        self.install_status.setObjectName("install_status")
        self.install_status.setWordWrap(True)
        self.install_status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow(self.install_status)
        self.install_log = QPlainTextEdit(box)
        self.install_log.setObjectName("install_log")
        self.install_log.setReadOnly(True)
        self.install_log.setMaximumHeight(110)
        self.log_toggle = DetailsToggle(self.tr("pip's output"), self.install_log, box)
        self.log_toggle.setObjectName("install_log_toggle")
        self.log_toggle.setVisible(False)  # until pip has run
        form.addRow(self.log_toggle)
        form.addRow(self.install_log)
        self.offline_box = OfflineInstallBox(box)
        self.offline_box.folder_chosen.connect(self.start_install)
        self.offline_toggle = DetailsToggle(self.tr("Without internet: install from a wheel folder"),
                                            self.offline_box, box)
        self.offline_toggle.setObjectName("offline_toggle")
        form.addRow(self.offline_toggle)
        form.addRow(self.offline_box)
        return box

    # --- values ---------------------------------------------------------------------------
    def set_values(self, values: PlanauraSettings) -> None:
        if self.device.findData(values.device) < 0 and values.device in DEVICES:  # saved mps, not reported now
            self.device.addItem(values.device, values.device)
        self.device.setCurrentIndex(max(0, self.device.findData(values.device)))
        self.precision.setCurrentIndex(max(0, self.precision.findData(values.precision)))
        self.batch_size.setValue(values.batch_size)
        self.hf_cache.setFilePath(values.hf_cache_dir)
        for name, row in self.weight_rows.items():
            row.path.setFilePath(values.checkpoints.get(name, ""))

    def values(self) -> PlanauraSettings:
        return PlanauraSettings(
            device=self.device.currentData(), precision=self.precision.currentData(),
            batch_size=self.batch_size.value(), hf_cache_dir=self.hf_cache.filePath().strip(),
            checkpoints={name: row.path.filePath().strip() for name, row in self.weight_rows.items()})

    def accept(self) -> None:
        save_settings(self.values(), self.qsettings)
        super().accept()

    def show_help(self) -> None:
        """The README (the shipped HTML copy when offline); its URL in the message bar when no browser opens."""
        plugin_help.open_help(user_locale(), lambda url: QDesktopServices.openUrl(QUrl(url)), self._show_url)

    def _show_url(self, url: str) -> None:
        self.bar.pushMessage(self.tr("Help"), self.tr("No web browser could be opened; the help is at {0}").format(url),
                             level=Qgis.Info, duration=0)

    # --- weights --------------------------------------------------------------------------
    def refresh_weights(self) -> None:
        for name in self.weight_rows:
            self._refresh_row(name)

    def _show_location(self, row: ModelWeightsRow, path: Optional[str]) -> None:
        row.location.set_path(path or "")
        row.location.setVisible(bool(path))

    def _refresh_row(self, name: str) -> None:
        row = self.weight_rows[name]
        if name in self.tasks:
            return
        local = row.path.filePath().strip()
        if local:
            self._show_location(row, None)
            row.status.setText(self.tr("Uses the local file.") if os.path.isfile(local)
                               else self.tr("<span style='color:#a50f15'>File not found.</span>"))
            return
        cached = cached_weights(name, cache_dir=self.hf_cache.filePath().strip() or None)
        row.status.setText(self.tr("In the Hugging Face cache:") if cached else self.tr("Not downloaded yet."))
        self._show_location(row, str(cached) if cached else None)

    def start_download(self, name: str) -> Optional[DownloadWeightsTask]:
        """Queue the download of ``name`` in QGIS's task manager."""
        if name in self.tasks:
            return None
        row = self.weight_rows[name]
        task = DownloadWeightsTask(name, cache_dir=self.hf_cache.filePath().strip() or None)
        task.progressChanged.connect(lambda p, bar=row.progress: bar.setValue(int(p)))
        task.done.connect(lambda path, error, n=name: self._download_done(n, path, error))
        self.tasks[name] = task
        row.download.setEnabled(False)
        row.progress.setValue(0)
        row.progress.setVisible(True)
        self._show_location(row, None)
        row.status.setText(self.tr("Downloading… (see the task manager to cancel)"))
        self.task_manager.addTask(task)
        return task

    def download_advice(self, name: str, error: str) -> str:
        """The whole advice after a failed download, translated; the library's message last."""
        from ..planaura_plugin.presets import HF_REPO_ID

        filename = checkpoint_filename(name)
        url = f"https://huggingface.co/{HF_REPO_ID}/resolve/main/{filename}"
        advice = self.tr(
            "The weights could not be downloaded. Without internet access from QGIS: download {0} on another "
            "computer from {1}, copy it here, then choose it as the checkpoint file of {2} above (the … button); "
            "or set the Hugging Face cache folder to a cache that already holds it. Behind a proxy, set it in "
            "Settings ▸ Options ▸ Network, or in the HTTPS_PROXY environment variable.").format(filename, url, name)
        return advice + "\n\n" + self.tr("Details: {0}").format(error)

    def _download_done(self, name: str, path: str, error: str) -> None:
        self.tasks.pop(name, None)
        row = self.weight_rows[name]
        row.download.setEnabled(True)
        row.progress.setVisible(False)
        if path:
            row.status.setText(self.tr("Downloaded into the Hugging Face cache:"))
            self._show_location(row, path)
        elif error:
            row.status.setText(self.download_advice(name, error))
            record_error(f"download {name}", error)
        else:
            row.status.setText(self.tr("Download cancelled."))

    # --- dependencies ---------------------------------------------------------------------
    def dependency_folder(self):
        return dependencies.deps_dir(QgsApplication.qgisSettingsDirPath())

    def build_text(self, build: torch_build.TorchBuild, version: str) -> str:
        """What PyTorch build *Install dependencies* installs, and why (translated)."""
        where = build.index_url or "PyPI"
        if build.reason == "driver":
            return self.tr("PyTorch {0} for CUDA {1} (from {2}): the NVIDIA driver {3} ({4}) supports it "
                           "(CUDA {1} needs driver {5} or newer).").format(
                version, build.cuda_version, where, build.driver, build.gpu or "GPU", build.needed_driver)
        if build.reason == "driver_too_old":
            return self.tr("PyTorch {0}, CPU build (from {1}): the NVIDIA driver {2} ({3}) is older than {4}, "
                           "the oldest driver the CUDA builds of PyTorch {0} need. Update the driver, then "
                           "install again to use the GPU.").format(
                version, where, build.driver, build.gpu or "GPU", build.needed_driver)
        if build.reason == "nvidia_smi_failed":
            return self.tr("PyTorch {0}, CPU build (from {1}): nvidia-smi failed ({2}), so no NVIDIA GPU "
                           "can be used.").format(version, where, build.detail)
        if build.reason == "apple":
            return self.tr("PyTorch {0} from PyPI (macOS): the Apple GPU (mps) is offered as a device when "
                           "PyTorch reports it.").format(version)
        return self.tr("PyTorch {0}, CPU build (from {1}): no NVIDIA driver was found (no nvidia-smi).").format(
            version, where)

    def optional_text(self, packages: Dict[str, Optional[str]]) -> str:
        purposes = {"pyarrow": self.tr("GeoParquet tables"), "scikit-learn": self.tr("change types")}
        return ", ".join(self.tr("{0} {1} ({2})").format(name, packages.get(name) or self.tr("not installed"),
                                                         purposes.get(name, name))
                         for name in dependencies.OPTIONAL_PACKAGES)

    def to_install(self) -> List[dependencies.Requirement]:
        """The requirements Install installs: the missing ones, torch when its build is wrong for the GPU."""
        requirements = dependencies.runtime_requirements()
        missing = dependencies.missing_requirements(requirements)
        torch_now = self.dependency_status.packages.get("torch")
        if self.torch_build is not None and torch_build.build_mismatch(torch_now, self.torch_build):
            missing = [r for r in requirements if r.name == "torch"] + [r for r in missing if r.name != "torch"]
        return missing

    def refresh_dependencies(self) -> None:
        status = dependencies.probe(self.dependency_folder(), import_torch=self.probe_torch)
        self.dependency_status = status
        self.torch_build = self.detect_build()
        self.dep_python.setText(status.python)
        self.dep_folder.set_path(str(status.folder))
        if status.torch_version:
            self.dep_torch.setText(self.tr("{0} ({1})").format(status.torch_version, status.torch_location))
        elif status.torch_error:
            self.dep_torch.setText(self.tr("installed but cannot be imported: {0}").format(status.torch_error))
        elif status.packages.get("torch"):
            self.dep_torch.setText(status.packages["torch"])
        else:
            self.dep_torch.setText(self.tr("not installed"))
        self.dep_cuda.setText(self.tr("yes") if status.cuda_available else self.tr("no"))
        apple = self.tr("Apple GPU (mps)") if status.mps_available else None
        self.dep_gpu.setText(status.gpu_name or apple or self.tr("none"))
        self.offer_devices(status.mps_available)
        self.dep_packages.setText(", ".join(
            f"{name} {version or self.tr('not installed')}" for name, version in status.packages.items()
            if name != "torch" and name not in dependencies.OPTIONAL_PACKAGES))
        self.dep_optional.setText(self.optional_text(status.packages))
        torch_pin = next(r.version for r in dependencies.runtime_requirements() if r.name == "torch") or ""
        self.dep_build.setText(self.build_text(self.torch_build, torch_pin))
        missing = self.to_install()
        self.offline_box.set_requirements(missing or dependencies.runtime_requirements(), self.torch_build)
        if missing:
            self.install_button.setText(self.tr("Install dependencies"))
            self.install_status.setText(self.tr("Missing or at another version: {0}").format(
                ", ".join(r.spec for r in missing)))
        else:
            self.install_button.setText(self.tr("Reinstall dependencies"))
            if "planaura-install" not in self.tasks:
                self.install_status.setText(self.tr("All dependencies are installed."))

    def _ask(self, text: str) -> bool:
        answer = QMessageBox.question(self, self.tr("Install dependencies"), text)
        return answer == QMessageBox.StandardButton.Yes

    def install_question(self, requirements: List[dependencies.Requirement], target) -> str:
        """The confirmation: what is installed, where, which PyTorch build and why; numpy kept."""
        torch_pin = next((r.version for r in requirements if r.name == "torch"), None)
        text = self.tr("Install {0} into {1}?").format(", ".join(r.spec for r in requirements), target)
        if torch_pin and self.torch_build is not None:
            text += "\n\n" + self.build_text(self.torch_build, torch_pin) + " " + self.tr(
                "PyTorch needs about 1 GB of disk space (CUDA builds about 3 GB).")
        optional = [r.name for r in requirements if r.name in dependencies.OPTIONAL_PACKAGES]
        if optional:
            text += "\n\n" + self.tr("Optional packages, for some outputs: {0}.").format(
                self.optional_text({name: None for name in optional}).replace(" " + self.tr("not installed"), ""))
        return text + "\n\n" + self.tr("QGIS's own numpy ({0}) is kept.").format(
            dependencies.numpy_version() or "-")

    def start_install(self, wheel_folder: str = "") -> Optional[InstallDependenciesTask]:
        """Queue pip in QGIS's task manager (after a confirmation that says what and why); with a
        ``wheel_folder``, pip reads only that folder (the offline route)."""
        if "planaura-install" in self.tasks:
            return None
        requirements = self.to_install() or dependencies.runtime_requirements()
        target = self.dependency_folder()
        question = self.install_question(requirements, target)
        if wheel_folder:
            question += "\n\n" + self.tr("From the wheel folder {0} only (no internet).").format(wheel_folder)
        if not self.confirm(question):
            return None
        task = InstallDependenciesTask(target, requirements, numpy_version=dependencies.numpy_version(),
                                       build=self.torch_build, wheel_folder=wheel_folder or None)
        task.progressChanged.connect(lambda p: self.install_progress.setValue(int(p)))
        task.done.connect(self._install_done)
        self.tasks["planaura-install"] = task
        self.install_button.setEnabled(False)
        self.install_progress.setValue(0)
        self.install_progress.setVisible(True)
        self.install_status.setText(self.tr("Installing… (see the task manager to cancel)"))
        self.task_manager.addTask(task)
        return task
    def _install_done(self, ok: bool, message: str) -> None:
        task = self.tasks.pop("planaura-install", None)
        self.install_button.setEnabled(True)
        self.install_progress.setVisible(False)
        output = "\n".join(getattr(task, "log", None) or [])
        if output:
            self.install_log.setPlainText("\n".join(output.splitlines()[-200:]))
            self.log_toggle.setVisible(True)
        torch_was_loaded = "torch" in sys.modules
        self.refresh_dependencies()
        if ok and torch_was_loaded:
            self.install_status.setText(self.tr("Installed into {0}. Restart QGIS to use the new PyTorch.")
                                        .format(message))
        elif ok:
            self.install_status.setText(self.tr("Installed into {0}; no restart needed.").format(message))
        failed = getattr(task, "optional_failed", None) if ok else None
        if failed:
            self.install_status.setText(self.install_status.text() + "\n" + self.tr(
                "Not installed (optional; pip failed, see the log): {0}. The outputs that need them are "
                "unavailable; everything else works.").format(", ".join(failed)))
        elif ok:
            pass  # said above (a success's message is the folder, not an error)
        elif message:
            offline = bool(getattr(task, "wheel_folder", None))
            self.install_status.setText(self.tr("The installation failed:") + " "
                                        + failure_advice(output or message, offline))
            record_error("install dependencies", message)
        else:
            self.install_status.setText(self.tr("Installation cancelled."))

    def cancel_tasks(self) -> None:
        """Cancel the downloads and installs this dialog started (plugin unload)."""
        for task in list(self.tasks.values()):
            try:
                task.cancel()
            except RuntimeError:  # already deleted by the task manager
                pass

    # --- diagnostics ----------------------------------------------------------------------
    def copy_diagnostics(self) -> str:
        """Put the diagnostics report on the clipboard (and return it)."""
        status = dependencies.probe(self.dependency_folder(), import_torch=self.probe_torch)
        facts = diagnostics.collect(status, Qgis.QGIS_VERSION, last_error(self.qsettings))
        text = diagnostics.diagnostics_text(facts)
        QApplication.clipboard().setText(text)
        self.bar.pushMessage(self.tr("Copy diagnostics"), self.tr("The diagnostics are on the clipboard: paste "
                             "them into the bug report."), level=Qgis.Success, duration=5)
        return text
