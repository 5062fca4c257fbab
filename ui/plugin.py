"""The QGIS plugin object: dependency folder, translation, Processing provider, menu.

QGIS desktop calls ``initGui``; ``qgis_process`` calls only ``initProcessing`` (with
``iface=None``). Both paths register the provider; neither may fail QGIS's start-up, so
every import of the provider or the core is guarded and reported in the message log.
The provider is made by a factory the entry point (``__init__.classFactory``) hands over:
``ui/`` never imports ``processing_provider/``.
"""
from __future__ import annotations

import traceback
from pathlib import Path
from typing import Any, Callable, List, Optional

from qgis.core import Qgis, QgsApplication, QgsMessageLog
from qgis.PyQt.QtCore import QCoreApplication, QUrl
from qgis.PyQt.QtGui import QDesktopServices, QIcon
from qgis.PyQt.QtWidgets import QAction

from ..plugin_services import dependencies
from ..plugin_services import help as plugin_help
from .i18n import load_translator, unload_translator, user_locale

PLUGIN_DIR = Path(__file__).resolve().parents[1]
ICON = PLUGIN_DIR / "icons" / "planaura.svg"
LOG_TAG = "Planaura"
HELP_URL = plugin_help.HELP_URL
HELP_URL_FR = plugin_help.HELP_URL_FR


def add_dependency_folder() -> Optional[Path]:
    """Put the plugin's own package folder (``planaura_deps/pyX.Y``) on ``sys.path`` if it exists."""
    try:
        folder = dependencies.deps_dir(QgsApplication.qgisSettingsDirPath())
    except Exception:  # never block start-up on a path question
        return None
    return folder if dependencies.add_to_sys_path(folder) else None


def gpu_in_use() -> bool:
    """Whether PyTorch is loaded and sees a GPU (CUDA or Apple's); never imports torch."""
    import sys

    torch = sys.modules.get("torch")
    if torch is None:
        return False
    try:
        mps = getattr(torch.backends, "mps", None)
        return bool(torch.cuda.is_available() or (mps is not None and mps.is_available()))
    except Exception:  # noqa: BLE001 - a driver problem: no GPU to speak of
        return False


class PlanauraPlugin:
    """Planaura for QGIS: the Processing provider ``planaura`` and the Plugins ▸ Planaura menu."""

    def __init__(self, iface, provider_factory: Callable[[], Any]) -> None:
        """``provider_factory`` imports and builds the Processing provider; it is called (guarded) by
        :meth:`initProcessing`."""
        self.iface = iface
        self.provider_factory = provider_factory
        self.provider = None
        self.actions: List[QAction] = []
        self.settings_dialog = None
        self.deps_folder = add_dependency_folder()
        # before any menu or provider is built, so that their labels are translated
        self.translator = load_translator(user_locale())
        self.menu_name = QCoreApplication.translate("PlanauraPlugin", "&Planaura")

    # --- Processing -----------------------------------------------------------------------
    def initProcessing(self) -> None:  # noqa: N802 - QGIS API
        """Register the provider (idempotent; a failure is logged, never raised)."""
        if self.provider is not None:
            return
        try:
            provider = self.provider_factory()
            if QgsApplication.processingRegistry().addProvider(provider):
                self.provider = provider
        except Exception:
            text = QCoreApplication.translate("PlanauraPlugin", "The Planaura Processing provider could not be loaded:")
            QgsMessageLog.logMessage(text + "\n" + traceback.format_exc(), LOG_TAG, Qgis.Critical)
            try:
                from ..plugin_services.last_error import record_error

                record_error("provider", traceback.format_exc())
            except Exception:  # noqa: BLE001 - start-up must go on
                pass

    # --- GUI ------------------------------------------------------------------------------
    def initGui(self) -> None:  # noqa: N802 - QGIS API
        self.initProcessing()
        if self.iface is None:
            return
        icon = QIcon(str(ICON))
        parent = self.iface.mainWindow()
        entries = (
            (QCoreApplication.translate("PlanauraPlugin", "Settings…"), self.show_settings, "planaura_settings", True),
            (QCoreApplication.translate("PlanauraPlugin", "Free GPU memory"), self.free_gpu_memory,
             "planaura_free_gpu_memory", False),
            (QCoreApplication.translate("PlanauraPlugin", "Help"), self.show_help, "planaura_help", False))
        for text, slot, name, with_icon in entries:
            action = QAction(icon, text, parent) if with_icon else QAction(text, parent)
            action.setObjectName(name)
            action.triggered.connect(slot)
            self.iface.addPluginToMenu(self.menu_name, action)
            self.actions.append(action)
        self.tell_missing_dependencies()

    def tell_missing_dependencies(self) -> None:
        """A ZIP install's first run: name the missing packages once, with a button to Settings."""
        try:
            from .first_run import tell_missing_dependencies

            tell_missing_dependencies(self.iface.messageBar(), self.show_settings)
        except Exception:  # noqa: BLE001 - start-up must go on
            QgsMessageLog.logMessage(traceback.format_exc(), LOG_TAG, Qgis.Warning)

    def unload(self) -> None:
        for action in self.actions:
            if self.iface is not None:
                self.iface.removePluginMenu(self.menu_name, action)
            action.deleteLater()
        self.actions = []
        if self.settings_dialog is not None:
            self.settings_dialog.cancel_tasks()
            self.settings_dialog.deleteLater()
            self.settings_dialog = None
        if self.provider is not None:
            QgsApplication.processingRegistry().removeProvider(self.provider)
            self.provider = None
        unload_translator(self.translator)
        self.translator = None

    # --- actions --------------------------------------------------------------------------
    def show_settings(self) -> None:
        from .settings_dialog import PlanauraSettingsDialog

        if self.settings_dialog is None:
            parent = self.iface.mainWindow() if self.iface is not None else None
            self.settings_dialog = PlanauraSettingsDialog(parent)
        else:  # reopened: show what is saved, not what was left unsaved last time
            from ..plugin_services.settings import load_settings

            self.settings_dialog.set_values(load_settings())
            self.settings_dialog.refresh_weights()
        self.settings_dialog.show()
        self.settings_dialog.raise_()
        self.settings_dialog.activateWindow()

    def free_gpu_memory(self) -> int:
        """Drop the cached networks (and CUDA's cache); returns how many were released."""
        try:
            from ..planaura_plugin.model.loading import release_models

            released = release_models()
        except Exception as exc:
            self._message(QCoreApplication.translate("PlanauraPlugin", "The models could not be released: {0}")
                          .format(exc), Qgis.Warning)
            return 0
        if gpu_in_use():
            text = QCoreApplication.translate("PlanauraPlugin", "Released {0} cached model(s); GPU memory is free.")
        else:  # a CPU machine: the memory freed is the computer's
            text = QCoreApplication.translate("PlanauraPlugin", "Released {0} cached model(s); their memory is free.")
        self._message(text.format(released), Qgis.Info)
        return released

    def show_help(self) -> None:
        """The README (the HTML copy shipped in the plugin when offline); the URL in the message bar
        when no browser opens."""
        plugin_help.open_help(user_locale(), lambda url: QDesktopServices.openUrl(QUrl(url)), self._show_url)

    def _show_url(self, url: str) -> None:
        self._message(QCoreApplication.translate("PlanauraPlugin", "No web browser could be opened; the help is "
                                                 "at {0}").format(url), Qgis.Info)

    def _message(self, text: str, level) -> None:
        QgsMessageLog.logMessage(text, LOG_TAG, level)
        if self.iface is not None:
            title = QCoreApplication.translate("PlanauraPlugin", "Planaura")
            self.iface.messageBar().pushMessage(title, text, level=level, duration=5)
