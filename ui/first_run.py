"""The plugin's first run after a ZIP install: tell the user, once, what is missing and where to install it.

QGIS's plugin manager installs the plugin's files only; PyTorch and the other packages come from
*Settings ▸ Install dependencies*. At start-up (``initGui``) the needed packages are looked up
(their installed versions, no import: start-up stays fast) and, when some are missing, a message bar
names them with a button that opens the settings dialog. The same missing set is told once: the
packages last told are kept in QgsSettings.
"""
from __future__ import annotations

from typing import Callable, List, Optional

from qgis.core import Qgis, QgsSettings
from qgis.gui import QgsMessageBarItem
from qgis.PyQt.QtCore import QCoreApplication, QTimer
from qgis.PyQt.QtWidgets import QPushButton

from ..plugin_services import dependencies

#: the packages the notice last named (comma-separated specs)
TOLD_KEY = "planaura/missing_dependencies_told"


def missing_needed_packages(version_of: Callable[[dependencies.Requirement], Optional[str]]
                            = dependencies.installed_version) -> List[dependencies.Requirement]:
    """The needed (not optional) packages absent or at another version than requirements.txt pins."""
    needed = [r for r in dependencies.runtime_requirements() if r.name not in dependencies.OPTIONAL_PACKAGES]
    return dependencies.missing_requirements(needed, version_of)


def tell_missing_dependencies(bar, open_settings: Callable[[], None], settings: Optional[QgsSettings] = None,
                              missing: Optional[List[dependencies.Requirement]] = None
                              ) -> Optional[QgsMessageBarItem]:
    """Push the notice on ``bar`` (a QgsMessageBar) when needed packages are missing and this set was
    not told before; its button calls ``open_settings``. Returns the message item, or None when nothing
    was said."""
    settings = settings if settings is not None else QgsSettings()
    missing = missing_needed_packages() if missing is None else missing
    told = ", ".join(r.spec for r in missing)
    if not missing:
        settings.remove(TOLD_KEY)  # all there: a later loss is told again
        return None
    if settings.value(TOLD_KEY, "") == told:
        return None
    title = QCoreApplication.translate("PlanauraPlugin", "Planaura")
    text = QCoreApplication.translate(
        "PlanauraPlugin", "The algorithms need Python packages that QGIS does not have: {0}. Install them from "
        "Plugins ▸ Planaura ▸ Settings (Install dependencies; without internet, from a wheel folder).").format(told)
    button = QPushButton(QCoreApplication.translate("PlanauraPlugin", "Install dependencies…"), bar)
    button.setObjectName("planaura_install_dependencies_notice")
    item = QgsMessageBarItem(title, text, button, Qgis.Warning, 0)
    # the item (and this button) are removed after the click, not inside it
    button.clicked.connect(lambda: (open_settings(), QTimer.singleShot(0, lambda: bar.popWidget(item))))
    bar.pushItem(item)
    settings.setValue(TOLD_KEY, told)
    return item
