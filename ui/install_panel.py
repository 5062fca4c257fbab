"""Widgets and words of the *Install dependencies* part of the settings dialog.

- :func:`failure_advice`: what failed and what to do, in plain words, from pip's output
  (:mod:`pip_failures`);
- :class:`DetailsToggle`: a collapsible details area (pip's raw output stays out of the way);
- :class:`OfflineInstallBox`: the offline route: the ``pip download`` command for this QGIS
  (:mod:`offline_wheels`) to run on a computer with internet, and *Install from a wheel folder…*.
"""
from __future__ import annotations

import sys
from typing import Optional, Sequence

from qgis.PyQt.QtCore import QCoreApplication, Qt, pyqtSignal
from qgis.PyQt.QtWidgets import (QApplication, QFileDialog, QHBoxLayout, QLabel, QPlainTextEdit, QPushButton,
                                 QToolButton, QVBoxLayout, QWidget)

from ..plugin_services import dependencies, offline_wheels, pip_failures

translate = QCoreApplication.translate  # with the literal context "InstallPanel" (pylupdate5 reads it)


def failure_advice(output: str, offline: bool = False) -> str:
    """One or two sentences: what made pip fail and what to do (translated); pip's error line last."""
    failure = pip_failures.classify_pip_output(output, offline)
    texts = {
        pip_failures.PROXY: translate(
            "InstallPanel",
            "pip could not get through the proxy of this network. pip does not use QGIS's network settings: "
            "give it the proxy in the HTTPS_PROXY variable (Settings ▸ Options ▸ System ▸ Environment, then "
            "restart QGIS) or in pip's configuration file, then install again; or install from a wheel folder "
            "(below)."),
        pip_failures.SSL: translate(
            "InstallPanel",
            "The secure connection to the package server was refused: this network replaces the server's "
            "certificate (a company firewall). Ask your IT service for its certificate (PIP_CERT), or install "
            "from a wheel folder (below)."),
        pip_failures.NO_CONNECTION: translate(
            "InstallPanel",
            "This computer cannot reach the package server (no internet connection, or a name that cannot be "
            "resolved). Connect and install again, or install from a wheel folder made on another computer "
            "(below)."),
        pip_failures.NO_SPACE: translate(
            "InstallPanel",
            "The disk is full: PyTorch needs about 1 GB (CUDA builds about 3 GB) in the plugin's package folder "
            "and pip's temporary folder. Free some space, then install again."),
        pip_failures.PERMISSION: translate(
            "InstallPanel",
            "The plugin's package folder cannot be written (permission denied). Check the rights on the folder "
            "shown above, or set PLANAURA_DEPS_DIR to a folder you can write."),
        pip_failures.NOT_IN_FOLDER: translate(
            "InstallPanel",
            "The wheel folder has no wheel of {0} for this QGIS's Python and platform. Make the folder again "
            "with the pip download command shown below (it names this Python and platform)."),
        pip_failures.NO_MATCHING: translate(
            "InstallPanel",
            "pip found no release of {0} for this QGIS's Python and platform. Use a QGIS with a Python that "
            "PyTorch supports (see the README), or copy the diagnostics into a bug report."),
        pip_failures.UNKNOWN: translate("InstallPanel", "pip failed; its output is in the details below."),
    }
    advice = texts[failure.kind].format(failure.package or translate("InstallPanel", "a package"))
    return advice + ("\n" + failure.error_line if failure.error_line else "")


class DetailsToggle(QToolButton):
    """A ``▸ Details`` button that shows or hides ``widget`` (hidden at first)."""

    def __init__(self, text: str, widget: QWidget, parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.widget = widget
        self.setText(text)
        self.setCheckable(True)
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.setAutoRaise(True)
        self.toggled.connect(self._show)
        self._show(False)

    def _show(self, shown: bool) -> None:
        self.setArrowType(Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow)
        self.widget.setVisible(shown)


def download_specs(requirements: Sequence[dependencies.Requirement], build=None,
                   numpy_version: Optional[str] = None, scipy_version: Optional[str] = None) -> list:
    """The requirement strings a wheel folder must hold: ``requirements`` (torch with the build's label),
    QGIS's numpy and scipy (the install keeps them, so the folder must have these exact versions)."""
    specs = []
    for r in requirements:
        if r.name == "torch" and r.version and build is not None and build.index_url:
            specs.append(build.torch_spec(r.version.split("+", 1)[0]))
        else:
            specs.append(r.spec)
    specs.append(f"numpy=={numpy_version}" if numpy_version else "numpy<2")
    if scipy_version:
        specs.append(f"scipy=={scipy_version}")
    return specs


class OfflineInstallBox(QWidget):
    """Without internet: the command that makes a wheel folder elsewhere, and the button that installs it."""

    #: the wheel folder the user chose
    folder_chosen = pyqtSignal(str)

    def __init__(self, parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.setObjectName("offline_install")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        intro = QLabel(translate(
            "InstallPanel",
            "On a computer with internet (any system, Python with pip), run this command; copy the folder it "
            "makes (planaura_wheels) here, then install from it. The command names this QGIS's Python and "
            "platform, so the wheels fit this computer."), self)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.command = QPlainTextEdit(self)
        self.command.setObjectName("pip_download_command")
        self.command.setReadOnly(True)
        self.command.setMaximumHeight(72)
        layout.addWidget(self.command)
        buttons = QHBoxLayout()
        copy = QPushButton(translate("InstallPanel", "Copy the command"), self)
        copy.clicked.connect(lambda: QApplication.clipboard().setText(self.command.toPlainText()))
        self.install = QPushButton(translate("InstallPanel", "Install from a wheel folder…"), self)
        self.install.setObjectName("install_from_folder")
        self.install.clicked.connect(self.choose_folder)
        buttons.addWidget(copy)
        buttons.addWidget(self.install)
        buttons.addStretch(1)
        layout.addLayout(buttons)

    def set_requirements(self, requirements: Sequence[dependencies.Requirement], build=None) -> None:
        """Show the pip download command for ``requirements`` (and QGIS's numpy/scipy) on this platform."""
        specs = download_specs(requirements, build, dependencies.numpy_version(),
                               dependencies.system_version("scipy"))
        index = build.index_url if build is not None and any(r.name == "torch" for r in requirements) else None
        try:
            text = offline_wheels.pip_download_command(specs, sys.version_info, index_url=index)
        except ValueError as exc:
            text = str(exc)
        self.command.setPlainText(text)

    def choose_folder(self) -> str:
        title = translate("InstallPanel", "Folder of wheels (made by pip download)")
        folder = QFileDialog.getExistingDirectory(self, title)
        if folder:
            self.folder_chosen.emit(folder)
        return folder
