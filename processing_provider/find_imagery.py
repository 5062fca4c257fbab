"""``planaura:findimagery``: the scenes of a STAC catalogue over an area and dates, clearest over the area first."""
from __future__ import annotations

from typing import Any, Dict

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsFeature,
    QgsFeatureSink,
    QgsFields,
    QgsGeometry,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterString,
    QgsVectorLayer,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP

from .base import PlanauraAlgorithm
from .catalog_common import CatalogParameters

#: fields of the footprint layer: name, memory-provider type (no QVariant: the same code runs on Qt 6)
FIELDS = (("rank", "integer"), ("item_id", "string"), ("datetime", "string"), ("yyyyddd", "integer"),
          ("sensor", "string"), ("tile", "string"), ("collection", "string"), ("scene_cloud", "double"),
          ("aoi_cloud", "double"), ("aoi_valid", "double"), ("item_url", "string"))


def footprint_fields() -> QgsFields:
    """The footprint layer's fields (:data:`FIELDS`), as QGIS's memory provider makes them."""
    uri = "MultiPolygon?crs=EPSG:4326&" + "&".join(f"field={name}:{kind}" for name, kind in FIELDS)
    return QgsVectorLayer(uri, "fields", "memory").fields()


def footprint(geometry: Dict[str, Any]) -> QgsGeometry:
    """A GeoJSON geometry (WGS 84) as a QgsGeometry, through OGR; empty when there is none."""
    import json

    from osgeo import ogr

    if not geometry:
        return QgsGeometry()
    ogr_geometry = ogr.CreateGeometryFromJson(json.dumps(geometry))
    if ogr_geometry is None:
        return QgsGeometry()
    built = QgsGeometry()
    built.fromWkb(bytes(ogr_geometry.ExportToWkb()))
    return built


class FindImageryAlgorithm(CatalogParameters, PlanauraAlgorithm):
    """Search a catalogue, measure each scene's cloud over the area, list them clearest first."""

    TR_CONTEXT = "FindImageryAlgorithm"
    P_START, _START = "START_DATE", QT_TRANSLATE_NOOP("FindImageryAlgorithm", "From (YYYY-MM-DD)")
    P_END, _END = "END_DATE", QT_TRANSLATE_NOOP("FindImageryAlgorithm", "To (YYYY-MM-DD)")
    P_OUTPUT, _OUTPUT = "OUTPUT", QT_TRANSLATE_NOOP("FindImageryAlgorithm", "Scenes found")

    def name(self) -> str:
        return "findimagery"

    def displayName(self) -> str:  # noqa: N802 - QGIS API
        return self.tr("Find imagery")

    def shortDescription(self) -> str:  # noqa: N802 - QGIS API
        return self.tr("Scenes of a STAC catalogue over an area and dates, clearest over the area first.")

    def shortHelpString(self) -> str:  # noqa: N802 - QGIS API
        intro = self.tr(
            "Searches a STAC catalogue (HLS from NASA's CMR-STAC, Sentinel-2 L2A from Earth Search or the "
            "Planetary Computer, or any STAC API) for the scenes over the area between two dates, reads each "
            "scene's quality layer (HLS Fmask, Sentinel-2 SCL) over the area only, and lists the scenes, "
            "clearest over the area first. Nothing is downloaded whole.")
        params = self.catalog_parameters_help() + [
            (self.tr(self._START) + " / " + self.tr(self._END), self.tr("The date window, both days included.")),
        ]
        outputs = [(self.tr(self._OUTPUT), self.tr(
            "Footprints (WGS 84) with the item id, date, sensor, tile, the scene's cloud cover (%), the cloud "
            "and valid shares over the area (0-1) and the item's URL, sorted clearest first (rank 1).")),
        ]
        return self.help_html(intro, params, outputs, weights=False)

    def initAlgorithm(self, config=None):  # noqa: N802 - QGIS API
        self.add_catalog_parameters()
        self.addParameter(QgsProcessingParameterString(self.P_START, self.tr(self._START)))
        self.addParameter(QgsProcessingParameterString(self.P_END, self.tr(self._END)))
        self.add_max_cloud(100.0)
        self.addParameter(QgsProcessingParameterFeatureSink(self.P_OUTPUT, self.tr(self._OUTPUT)))

    def processAlgorithm(self, parameters: Dict[str, Any], context, feedback) -> Dict[str, Any]:  # noqa: N802
        from ..planaura_plugin.catalog.access import earthdata_token
        from ..planaura_plugin.catalog.find import find_imagery

        catalogue, collections = self.catalogue(parameters, context)
        aoi = self.aoi(parameters, context)
        start = self.date_value(parameters, self.P_START, self.tr(self._START), context)
        end = self.date_value(parameters, self.P_END, self.tr(self._END), context)
        max_cloud = self.parameterAsDouble(parameters, self.P_MAX_CLOUD, context) / 100.0

        def job(_request, adapter):
            return {"found": find_imagery(catalogue, aoi, start, end, max_cloud=max_cloud, collections=collections,
                                          token=earthdata_token() if catalogue.earthdata else None,
                                          feedback=adapter)}

        found = self.run_core(job, None, feedback)["found"]
        fields = footprint_fields()
        sink, dest = self.parameterAsSink(parameters, self.P_OUTPUT, context, fields, QgsWkbTypes.MultiPolygon,
                                          QgsCoordinateReferenceSystem("EPSG:4326"))
        for rank, (scene, cover) in enumerate(found, start=1):
            feature = QgsFeature(fields)
            geometry = footprint(scene.geometry)
            if not geometry.isNull():
                geometry.convertToMultiType()
            feature.setGeometry(geometry)
            feature.setAttributes([rank, scene.item_id, scene.datetime, scene.date, scene.sensor, scene.tile,
                                   scene.collection, scene.scene_cloud, cover.cloud, cover.valid, scene.self_href])
            sink.addFeature(feature, QgsFeatureSink.FastInsert)
        return {self.P_OUTPUT: dest}
