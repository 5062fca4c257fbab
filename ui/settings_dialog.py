"""Plugins ▸ Planaura ▸ Settings: computation defaults, model weights, Python dependencies.

Widgets are built in code (no .ui file) so every label goes through ``self.tr`` and lands
in the translation file. Long actions (download, pip) run as QgsTasks in QGIS's task
manager; the dialog only reacts to their ``done`` signals, which arrive on the main thread.
"""
from __future__ import annotations

import os
import sys
from typing import Callable, Dict, Optional

from qgis.core import QgsApplication, QgsSettings, QgsTaskManager
from qgis.gui import QgsFileWidget
from qgis.PyQt.QtCore import Qt, QUrl
from qgis.PyQt.QtGui import QDesktopServices
from qgis.PyQt.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QFormLayout, QGridLayout, QGroupBox,
                                 QHBoxLayout, QLabel, QMessageBox, QPlainTextEdit, QProgressBar, QPushButton,
                                 QSpinBox, QVBoxLayout, QWidget)

from . import dependencies
from .settings import MODEL_NAMES, PlanauraSettings, load_settings, save_settings
from .tasks import DownloadWeightsTask, InstallDependenciesTask
from .weights import cached_weights

HELP_URL = "https://github.com/planaura-qgis/planaura-qgis#readme"


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
        self.status.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.status.setObjectName(f"status_{name}")
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
        self.setWindowTitle(self.tr("Planaura settings"))
        layout = QVBoxLayout(self)
        layout.addWidget(self._build_computation())
        layout.addWidget(self._build_weights())
        layout.addWidget(self._build_dependencies())
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel | QDialogButtonBox.Help, self)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.buttons.helpRequested.connect(self.show_help)
        layout.addWidget(self.buttons)
        self.set_values(load_settings(self.qsettings))
        self.refresh_weights()
        self.refresh_dependencies()

    # --- building -------------------------------------------------------------------------
    def _build_computation(self) -> QGroupBox:
        box = QGroupBox(self.tr("Computation defaults"), self)
        form = QFormLayout(box)
        self.device = QComboBox(box)
        self.device.setObjectName("device")
        self.device.addItem(self.tr("Automatic (GPU when available)"), "auto")
        self.device.addItem(self.tr("CPU"), "cpu")
        self.device.addItem(self.tr("CUDA GPU"), "cuda")
        self.precision = QComboBox(box)
        self.precision.setObjectName("precision")
        self.precision.addItem(self.tr("float32 (reference numbers)"), "float32")
        self.precision.addItem(self.tr("bfloat16 (GPU only, faster)"), "bfloat16")
        self.precision.addItem(self.tr("float16 (GPU only, faster)"), "float16")
        self.batch_size = QSpinBox(box)
        self.batch_size.setObjectName("batch_size")
        self.batch_size.setRange(1, 256)
        form.addRow(self.tr("Device"), self.device)
        form.addRow(self.tr("Precision"), self.precision)
        form.addRow(self.tr("Batch size (tiles per model call)"), self.batch_size)
        hint = QLabel(self.tr("These values are the defaults of the Processing algorithms; each run can "
                              "override them. On a CPU the precision is always float32."), box)
        hint.setWordWrap(True)
        form.addRow(hint)
        return box

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
            grid.addWidget(w.progress, row + 2, 1, 1, 2)
            self.weight_rows[name] = w
            row += 3
        grid.setColumnStretch(1, 1)
        return box

    def _build_dependencies(self) -> QGroupBox:
        box = QGroupBox(self.tr("Python dependencies"), self)
        form = QFormLayout(box)
        self.dep_python = QLabel(box)
        self.dep_folder = QLabel(box)
        self.dep_folder.setWordWrap(True)
        self.dep_folder.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.dep_torch = QLabel(box)
        self.dep_torch.setObjectName("torch_status")
        self.dep_torch.setWordWrap(True)
        self.dep_cuda = QLabel(box)
        self.dep_cuda.setObjectName("cuda_status")
        self.dep_gpu = QLabel(box)
        self.dep_gpu.setObjectName("gpu_status")
        self.dep_packages = QLabel(box)
        self.dep_packages.setWordWrap(True)
        form.addRow(self.tr("Python"), self.dep_python)
        form.addRow(self.tr("Plugin package folder"), self.dep_folder)
        form.addRow(self.tr("PyTorch"), self.dep_torch)
        form.addRow(self.tr("CUDA available"), self.dep_cuda)
        form.addRow(self.tr("GPU"), self.dep_gpu)
        form.addRow(self.tr("Other packages"), self.dep_packages)
        buttons = QHBoxLayout()
        self.install_button = QPushButton(self.tr("Install dependencies"), box)
        self.install_button.setObjectName("install_dependencies")
        self.install_button.clicked.connect(self.start_install)
        refresh = QPushButton(self.tr("Refresh"), box)
        refresh.clicked.connect(self.refresh_dependencies)
        buttons.addWidget(self.install_button)
        buttons.addWidget(refresh)
        buttons.addStretch(1)
        form.addRow(buttons)
        self.install_progress = QProgressBar(box)
        self.install_progress.setRange(0, 100)
        self.install_progress.setVisible(False)
        form.addRow(self.install_progress)
        self.install_status = QLabel(box)
        self.install_status.setObjectName("install_status")
        self.install_status.setWordWrap(True)
        self.install_status.setTextInteractionFlags(Qt.TextSelectableByMouse)
        form.addRow(self.install_status)
        self.install_log = QPlainTextEdit(box)
        self.install_log.setReadOnly(True)
        self.install_log.setMaximumHeight(110)
        self.install_log.setVisible(False)
        form.addRow(self.install_log)
        return box

    # --- values ---------------------------------------------------------------------------
    def set_values(self, values: PlanauraSettings) -> None:
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
        QDesktopServices.openUrl(QUrl(HELP_URL))

    # --- weights --------------------------------------------------------------------------
    def refresh_weights(self) -> None:
        for name in self.weight_rows:
            self._refresh_row(name)

    def _refresh_row(self, name: str) -> None:
        row = self.weight_rows[name]
        if name in self.tasks:
            return
        local = row.path.filePath().strip()
        if local:
            row.status.setText(self.tr("Uses the local file.") if os.path.isfile(local)
                               else self.tr("<span style='color:#a50f15'>File not found.</span>"))
            return
        cached = cached_weights(name, cache_dir=self.hf_cache.filePath().strip() or None)
        row.status.setText(self.tr("In the Hugging Face cache: {0}").format(cached) if cached
                           else self.tr("Not downloaded yet."))

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
        row.status.setText(self.tr("Downloading… (see the task manager to cancel)"))
        self.task_manager.addTask(task)
        return task

    def _download_done(self, name: str, path: str, error: str) -> None:
        self.tasks.pop(name, None)
        row = self.weight_rows[name]
        row.download.setEnabled(True)
        row.progress.setVisible(False)
        if path:
            row.status.setText(self.tr("Downloaded into the Hugging Face cache: {0}").format(path))
        elif error:
            row.status.setText(self.tr("The weights could not be downloaded.") + "\n" + error)
        else:
            row.status.setText(self.tr("Download cancelled."))

    # --- dependencies ---------------------------------------------------------------------
    def dependency_folder(self):
        return dependencies.deps_dir(QgsApplication.qgisSettingsDirPath())

    def refresh_dependencies(self) -> None:
        status = dependencies.probe(self.dependency_folder(), import_torch=self.probe_torch)
        self.dependency_status = status
        self.dep_python.setText(status.python)
        self.dep_folder.setText(str(status.folder))
        if status.torch_version:
            self.dep_torch.setText(self.tr("{0} ({1})").format(status.torch_version, status.torch_location))
        elif status.torch_error:
            self.dep_torch.setText(self.tr("installed but cannot be imported: {0}").format(status.torch_error))
        elif status.packages.get("torch"):
            self.dep_torch.setText(status.packages["torch"])
        else:
            self.dep_torch.setText(self.tr("not installed"))
        self.dep_cuda.setText(self.tr("yes") if status.cuda_available else self.tr("no"))
        self.dep_gpu.setText(status.gpu_name or self.tr("none"))
        self.dep_packages.setText(", ".join(
            f"{name} {version or self.tr('not installed')}" for name, version in status.packages.items()
            if name != "torch"))
        missing = dependencies.missing_requirements(dependencies.runtime_requirements())
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
        return answer == QMessageBox.Yes

    def start_install(self) -> Optional[InstallDependenciesTask]:
        """Queue pip in QGIS's task manager (after a confirmation: PyTorch is large)."""
        if "planaura-install" in self.tasks:
            return None
        requirements = dependencies.missing_requirements(dependencies.runtime_requirements()) \
            or dependencies.runtime_requirements()
        target = self.dependency_folder()
        text = self.tr("Install {0} into {1}?\n\nPyTorch needs about 1 GB of disk space. QGIS's own numpy "
                       "({2}) is kept.").format(", ".join(r.spec for r in requirements), target,
                                                dependencies.numpy_version() or "-")
        if not self.confirm(text):
            return None
        task = InstallDependenciesTask(target, requirements, numpy_version=dependencies.numpy_version())
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
        if task is not None and getattr(task, "log", None):
            self.install_log.setPlainText("\n".join(task.log[-200:]))
            self.install_log.setVisible(True)
        torch_was_loaded = "torch" in sys.modules
        self.refresh_dependencies()
        if ok and torch_was_loaded:
            self.install_status.setText(self.tr("Installed into {0}. Restart QGIS to use the new PyTorch.")
                                        .format(message))
        elif ok:
            self.install_status.setText(self.tr("Installed into {0}; no restart needed.").format(message))
        elif message:
            self.install_status.setText(self.tr("The installation failed:") + "\n" + message)
        else:
            self.install_status.setText(self.tr("Installation cancelled."))

    def cancel_tasks(self) -> None:
        """Cancel the downloads and installs this dialog started (plugin unload)."""
        for task in list(self.tasks.values()):
            try:
                task.cancel()
            except RuntimeError:  # already deleted by the task manager
                pass
