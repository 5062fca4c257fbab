"""Parameters shared by *Find imagery* and *Change map from a catalogue*: the catalogue, the area of
interest, date windows and the cloud limit, read into the core's objects (:mod:`planaura_plugin.catalog`)."""
from __future__ import annotations

import datetime as dt
from typing import Any, Dict, List, Tuple

from qgis.core import (
    QgsProcessingException,
    QgsProcessingParameterEnum,
    QgsProcessingParameterExtent,
    QgsProcessingParameterNumber,
    QgsProcessingParameterString,
)
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP

from ..planaura_plugin import catalog  # noqa: F401 - a STAC asset layer or item URL is an image of every algorithm
from .algorithm_common import translate

CONTEXT = "CatalogAlgorithm"
SOURCE_KEYS = ("hls", "earth-search", "planetary-computer", "url")


class CatalogParameters:
    """Mixin of a :class:`~.base.PlanauraAlgorithm`: the catalogue's parameters and their reading."""

    P_SOURCE, _SOURCE = "SOURCE", QT_TRANSLATE_NOOP("CatalogAlgorithm", "Catalogue")
    P_URL, _URL = "STAC_URL", QT_TRANSLATE_NOOP("CatalogAlgorithm", "Other STAC API URL")
    P_COLLECTIONS, _COLLECTIONS = "COLLECTIONS", QT_TRANSLATE_NOOP(
        "CatalogAlgorithm", "Collections (comma-separated; empty = the catalogue's)")
    P_AOI, _AOI = "EXTENT", QT_TRANSLATE_NOOP("CatalogAlgorithm", "Area of interest (extent or layer)")
    P_MAX_CLOUD, _MAX_CLOUD = "MAX_CLOUD", QT_TRANSLATE_NOOP("CatalogAlgorithm",
                                                             "Maximum cloud over the area (%)")

    def ctr(self, text: str) -> str:
        return translate(CONTEXT, text)

    def add_catalog_parameters(self) -> None:
        options = [translate("CatalogAlgorithm", "NASA CMR-STAC LPCLOUD: HLS S30 + L30 (Earthdata login)"),
                   translate("CatalogAlgorithm", "Earth Search v1: Sentinel-2 L2A"),
                   translate("CatalogAlgorithm", "Microsoft Planetary Computer: Sentinel-2 L2A"),
                   translate("CatalogAlgorithm", "Other STAC API (URL below)")]
        add: Any = self.addParameter
        add(QgsProcessingParameterEnum(self.P_SOURCE, self.ctr(self._SOURCE), options=options, defaultValue=0))
        add(QgsProcessingParameterString(self.P_URL, self.ctr(self._URL), optional=True))
        self.advanced(QgsProcessingParameterString(self.P_COLLECTIONS, self.ctr(self._COLLECTIONS),
                                                   optional=True))
        add(QgsProcessingParameterExtent(self.P_AOI, self.ctr(self._AOI)))

    def catalog_parameters_help(self) -> List[Tuple[str, str]]:
        """Help of the catalogue's parameters."""
        return [
            (self.ctr(self._SOURCE), translate(
                "CatalogAlgorithm",
                "Where to search: HLS S30 and L30 from NASA's CMR-STAC (LPCLOUD; the data needs an Earthdata login: "
                "set EARTHDATA_TOKEN in the environment or keep the login in ~/.netrc), Sentinel-2 L2A from Earth "
                "Search v1 or from the Planetary Computer (its URLs are signed for you), or another STAC API.")),
            (self.ctr(self._URL), translate(
                "CatalogAlgorithm", "The STAC API's address when the catalogue is 'Other STAC API'.")),
            (self.ctr(self._COLLECTIONS), translate(
                "CatalogAlgorithm",
                "Which collections to search, e.g. HLSS30_2.0; empty: the catalogue's own (all for another API).")),
            (self.ctr(self._AOI), translate(
                "CatalogAlgorithm", "The area: an extent, or a layer's extent (e.g. a polygon layer).")),
            (self.ctr(self._MAX_CLOUD), translate(
                "CatalogAlgorithm",
                "Scenes with more cloud, adjacent cloud or shadow over the area are left out. It is measured from "
                "each scene's quality layer (HLS Fmask, Sentinel-2 SCL) read over the area only; the scene's own "
                "cloud cover is not used: it covers the whole tile, and NASA's catalogue ignores it in queries.")),
        ]

    def add_max_cloud(self, default: float) -> None:
        self.addParameter(QgsProcessingParameterNumber(
            self.P_MAX_CLOUD, self.ctr(self._MAX_CLOUD), type=QgsProcessingParameterNumber.Double,
            defaultValue=default, minValue=0.0, maxValue=100.0))

    def catalogue(self, parameters: Dict[str, Any], context) -> Tuple[Any, Tuple[str, ...]]:
        """The core's Catalogue and the collections asked for."""
        from ..planaura_plugin.catalog.sources import catalogue_for

        alg: Any = self
        key = SOURCE_KEYS[alg.parameterAsEnum(parameters, self.P_SOURCE, context)]
        url = (alg.parameterAsString(parameters, self.P_URL, context) or "").strip()
        if key == "url" and not url:
            raise QgsProcessingException(translate("CatalogAlgorithm", "Give the STAC API URL for 'Other STAC API'."))
        collections = tuple(c.strip() for c in (alg.parameterAsString(parameters, self.P_COLLECTIONS, context)
                                                or "").split(",") if c.strip())
        return catalogue_for(url if key == "url" else key), collections

    def aoi(self, parameters: Dict[str, Any], context) -> Any:
        """The area of interest as the core's Aoi (its rectangle in its own CRS)."""
        from ..planaura_plugin.catalog.aoi_quality import Aoi

        alg: Any = self
        rect = alg.parameterAsExtent(parameters, self.P_AOI, context)
        crs = alg.parameterAsExtentCrs(parameters, self.P_AOI, context)
        if rect.isNull() or rect.isEmpty() or not crs.isValid():
            raise QgsProcessingException(translate("CatalogAlgorithm", "Give an area of interest with its CRS."))
        return Aoi((rect.xMinimum(), rect.yMinimum(), rect.xMaximum(), rect.yMaximum()), crs.toWkt())

    def date_value(self, parameters: Dict[str, Any], key: str, label: str, context) -> dt.date:
        """A YYYY-MM-DD parameter as a date.

        Raises:
            QgsProcessingException: not such a date (the message names the parameter).
        """
        text = (self.parameterAsString(parameters, key, context) or "").strip()
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            raise QgsProcessingException(translate(
                "CatalogAlgorithm", "{0}: '{1}' is not a date as YYYY-MM-DD.").format(label, text)) from None
