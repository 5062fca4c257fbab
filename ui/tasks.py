"""The plugin's own long actions as QgsTasks: downloading weights, installing dependencies.

Both run in QGIS's task manager (visible, with progress, cancellable). ``run()`` runs on a
worker thread and touches neither ``iface`` nor any widget; the outcome is handed back
through the ``done`` signal, emitted from ``finished()``, which QGIS calls on the main thread.
"""
from __future__ import annotations

import queue
import subprocess
import threading
import time
from pathlib import Path
from typing import Dict, List, Optional, Sequence

from qgis.core import QgsTask
from qgis.PyQt.QtCore import QCoreApplication, pyqtSignal

from ..plugin_services import dependencies
from ..plugin_services.weights import DownloadCancelled, fetch_weights


class DownloadWeightsTask(QgsTask):
    """Download one published checkpoint into the Hugging Face cache, with progress."""

    #: (local path, error message); exactly one is empty; both empty = cancelled.
    done = pyqtSignal(str, str)

    def __init__(self, model_name: str, repo_id: Optional[str] = None, cache_dir: Optional[str] = None) -> None:
        super().__init__(QCoreApplication.translate("DownloadWeightsTask", "Downloading the Planaura weights {0}")
                         .format(model_name), QgsTask.CanCancel)
        from ..planaura_plugin.presets import HF_REPO_ID

        self.model_name = model_name
        self.repo_id = repo_id or HF_REPO_ID
        self.cache_dir = cache_dir or None
        self.path = ""
        self.error = ""

    def run(self) -> bool:  # worker thread
        try:
            self.path = str(fetch_weights(self.model_name, self.repo_id, self.cache_dir,
                                          report=self.setProgress, cancelled=self.isCanceled))
            return True
        except DownloadCancelled:
            return False
        except Exception as exc:  # reported to the user on the main thread
            if not self.isCanceled():
                self.error = download_details(exc)
            return False

    def finished(self, result: bool) -> None:  # main thread
        self.done.emit(self.path if result else "", "" if result else self.error)


def download_details(exc: BaseException) -> str:
    """The *Details* of a failed download: the library's own error when ``fetch_weights`` wrapped it in
    its English advice (the dialog gives the advice, in the user's language); else the message as is
    (the core's, translated: e.g. offline mode and the file not in the cache)."""
    cause = exc.__cause__
    library = f"{type(cause).__name__}: {cause}" if cause is not None else ""
    if library and f"could not be downloaded: {library}" in str(exc):
        return library
    return str(exc) or type(exc).__name__


class InstallDependenciesTask(QgsTask):
    """Run pip into the plugin's dependency folder; cancelling stops pip."""

    #: (success, message: the folder on success, pip's last lines on failure, empty if cancelled)
    done = pyqtSignal(bool, str)

    def __init__(self, target: Path, requirements: Sequence[dependencies.Requirement],
                 python: Optional[str] = None, numpy_version: Optional[str] = None,
                 build: Optional[dependencies.torch_build.TorchBuild] = None,
                 wheel_folder: Optional[str] = None) -> None:
        super().__init__(QCoreApplication.translate("InstallDependenciesTask", "Installing the Planaura dependencies"),
                         QgsTask.CanCancel)
        #: install only from this folder of wheels (``pip download``), no index (the offline route)
        self.wheel_folder = wheel_folder or None
        self.target = Path(target)
        self.requirements = list(requirements)
        self.python = python
        self.numpy_version = numpy_version
        self.build = build  # the PyTorch build for this machine (its wheel index); None: PyPI's
        self.log: List[str] = []
        self.error = ""
        self.collected = 0  # pip's "Collecting" lines so far (progress)
        #: optional packages that pip could not install (the plugin works without them)
        self.optional_failed: List[str] = []

    def _progress_from(self, line: str, collected: int) -> int:
        if line.startswith("Collecting"):
            collected += 1
            self.setProgress(min(70.0, 5.0 + 4.0 * collected))
        elif line.startswith("Installing collected packages"):
            self.setProgress(80.0)
        return collected

    def _run_pip(self, cmd: List[str]) -> Optional[int]:
        """Run one pip command, its output into the log and the progress; its exit status, None if cancelled."""
        self.log.append(" ".join(cmd))
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                stdin=subprocess.DEVNULL, creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0))
        lines: "queue.Queue[str]" = queue.Queue()
        reader = threading.Thread(target=lambda: [lines.put(line.rstrip()) for line in proc.stdout], daemon=True)
        reader.start()
        while True:
            while not lines.empty():
                line = lines.get()
                self.log.append(line)
                self.collected = self._progress_from(line, self.collected)
            if proc.poll() is not None and not reader.is_alive() and lines.empty():
                return proc.returncode
            if self.isCanceled():
                proc.terminate()
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    proc.kill()
                return None
            time.sleep(0.1)

    def run(self) -> bool:  # worker thread
        """pip once for the needed packages, then once for each optional one
        (:func:`dependencies.install_steps`): an optional package that fails is left out and listed in
        ``optional_failed``; the needed ones failing fails the task."""
        self.collected = 0
        self.setProgress(2.0)
        stamp: Dict[str, object] = {}
        steps = dependencies.install_steps(self.requirements)
        if not steps:
            self.error = "ValueError: nothing to install"
            return False
        for step in steps:
            try:
                python = self.python or dependencies.python_executable()
                cmd, stamp = dependencies.prepare_install(self.target, step, python, self.numpy_version,
                                                          build=self.build)
                if self.wheel_folder:
                    from ..plugin_services.offline_wheels import offline_install_command

                    cmd = offline_install_command(cmd, self.wheel_folder)
                returncode = self._run_pip(cmd)
            except Exception as exc:
                self.error = f"{type(exc).__name__}: {exc}"
                return False
            if returncode is None:
                return False
            if returncode != 0 and step[0].name in dependencies.OPTIONAL_PACKAGES:
                self.optional_failed.append(step[0].spec)
            elif returncode != 0:
                self.error = "\n".join(self.log[-15:])
                return False
        # the constraints of the last step (the same for all), the requirements of them all
        dependencies.write_stamp(self.target, dict(stamp, requirements=sorted(r.spec for r in self.requirements)))
        self.setProgress(100.0)
        return True

    def finished(self, result: bool) -> None:  # main thread: the only place sys.path changes
        if result:
            dependencies.add_to_sys_path(self.target)
        self.done.emit(result, str(self.target) if result else self.error)
