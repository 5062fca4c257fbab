"""The ``planaura`` Processing provider: registers the algorithms, never fails QGIS start-up.

Each algorithm module is imported inside try/except: a broken import (or a missing optional
package) is logged and that algorithm left out, while the provider itself always registers.
torch is not imported here: algorithms import it when they run and say how to install it.
"""
from __future__ import annotations

import importlib
import os
import traceback
from typing import List, Tuple

from qgis.core import Qgis, QgsMessageLog, QgsProcessingProvider, QgsSettings
from qgis.PyQt.QtCore import QCoreApplication, QLocale
from qgis.PyQt.QtGui import QIcon

PROVIDER_ID = "planaura"
PLUGIN_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ICON_PATH = os.path.join(PLUGIN_DIR, "icons", "planaura.svg")
LOG_TAG = "Planaura"

# (module in this package, algorithm class)
ALGORITHMS: Tuple[Tuple[str, str], ...] = (
    ("change_map", "ChangeMapAlgorithm"),
    ("embeddings", "EmbeddingsAlgorithm"),
    ("persistence_mosaic", "PersistenceMosaicAlgorithm"),
    ("change_polygons", "ChangePolygonsAlgorithm"),
    ("change_types", "ChangeTypesAlgorithm"),
    ("change_over_time", "ChangeOverTimeAlgorithm"),
    ("run_config", "RunConfigAlgorithm"),
    ("find_imagery", "FindImageryAlgorithm"),
    ("catalog_change_map", "CatalogChangeMapAlgorithm"),
    ("embedding_colour_view", "EmbeddingColourViewAlgorithm"),
    ("embedding_similarity", "SimilaritySearchAlgorithm"),
    ("embedding_clusters", "EmbeddingClustersAlgorithm"),
    ("embedding_classes", "ClassesFromExamplesAlgorithm"),
)


def set_core_language(settings=None) -> str:
    """Messages of the core (errors, warnings, progress lines) in QGIS's language: ``locale/userLocale``
    (as the plugin's own translations), else the system's locale.

    Args:
        settings: the QgsSettings to read (tests give their own); None: QGIS's.

    Returns:
        The language the core now speaks (``fr`` or ``en``).
    """
    from ..planaura_plugin.i18n import set_language

    value = (settings or QgsSettings()).value("locale/userLocale", "")
    return set_language(str(value or QLocale().name() or "en"))


class PlanauraProvider(QgsProcessingProvider):
    """Planaura change maps, embeddings, persistence mosaics and the upstream YAML runner."""

    def __init__(self) -> None:
        super().__init__()
        self.load_errors: List[str] = []

    def id(self) -> str:
        return PROVIDER_ID

    def name(self) -> str:
        return "Planaura"

    def longName(self) -> str:  # noqa: N802 - QGIS API
        return QCoreApplication.translate("PlanauraProvider", "Planaura foundation models (NRCan)")

    def icon(self) -> QIcon:
        return QIcon(ICON_PATH)

    def svgIconPath(self) -> str:  # noqa: N802 - QGIS API
        return ICON_PATH

    def supportedOutputRasterLayerExtensions(self) -> List[str]:  # noqa: N802 - QGIS API
        return ["tif"]  # the core writes tiled, compressed GeoTIFFs only

    def defaultRasterFileExtension(self) -> str:  # noqa: N802 - QGIS API
        return "tif"

    def supportedOutputVectorLayerExtensions(self) -> List[str]:  # noqa: N802 - QGIS API
        return ["gpkg", "fgb", "geojson"]  # files the analysis core writes with long field names

    def defaultVectorFileExtension(self, hasGeometry: bool = True) -> str:  # noqa: N802 - QGIS API
        return "gpkg"

    def loadAlgorithms(self) -> None:  # noqa: N802 - QGIS API
        self.load_errors = []
        try:
            set_core_language()
        except Exception:  # noqa: BLE001 - messages in English rather than no provider
            QgsMessageLog.logMessage(f"Planaura: core messages stay in English:\n{traceback.format_exc()}", LOG_TAG,
                                     Qgis.Warning)
        for module_name, class_name in ALGORITHMS:
            try:
                module = importlib.import_module(f".{module_name}", __package__)
                self.addAlgorithm(getattr(module, class_name)())
            except Exception:  # noqa: BLE001 - one broken algorithm must not break QGIS
                message = f"Planaura: the algorithm {module_name} could not be loaded:\n{traceback.format_exc()}"
                self.load_errors.append(message)
                QgsMessageLog.logMessage(message, LOG_TAG, Qgis.Warning)
