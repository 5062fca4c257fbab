"""Loading the plugin's translations (``i18n/planaura_<locale>.qm``) for QGIS's user locale."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

from qgis.core import QgsSettings
from qgis.PyQt.QtCore import QCoreApplication, QLocale, QTranslator

I18N_DIR = Path(__file__).resolve().parents[1] / "i18n"

def user_locale(settings: Optional[QgsSettings] = None) -> str:
    """QGIS's ``locale/userLocale`` (``fr_CA``, ``fr``, ``en_US``...), else the system's locale."""
    value = (settings or QgsSettings()).value("locale/userLocale", "")
    return str(value or QLocale().name() or "en")


def load_translator(locale: Optional[str] = None, folder: Path = I18N_DIR) -> Optional[QTranslator]:
    """A QTranslator installed on the application, or None (English, or no compiled file).

    ``QTranslator.load`` falls back from ``planaura_fr_CA.qm`` to ``planaura_fr.qm``.
    """
    locale = (locale or user_locale()).replace("-", "_")
    if not locale or locale.lower().startswith("en"):
        return None
    translator = QTranslator()
    if not translator.load(f"planaura_{locale}", str(folder)):
        return None
    QCoreApplication.installTranslator(translator)
    return translator


def unload_translator(translator: Optional[QTranslator]) -> None:
    if translator is not None:
        QCoreApplication.removeTranslator(translator)
