"""``planaura:changepolygons``: the change patches of a change map as polygons, with an area report."""
from __future__ import annotations

import os
from typing import Any, Dict, List, Optional, Tuple

from qgis.core import (
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingLayerPostProcessorInterface,
    QgsProcessingOutputFile,
    QgsProcessingOutputNumber,
    QgsProcessingParameterExtent,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterNumber,
    QgsProcessingParameterRasterLayer,
    QgsProcessingParameterString,
    QgsProcessingParameterVectorDestination,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from . import styles
from .base import GROUP_CHANGE, PlanauraAlgorithm, translate


def report_texts() -> Dict[str, str]:
    """The report's texts in the interface language (sources in ``planaura_plugin/analysis/report.py``)."""
    from ..planaura_plugin.analysis.report import TEXTS

    return {key: QCoreApplication.translate("PlanauraReport", text) for key, text in TEXTS.items()}


class PolygonStylePostProcessor(QgsProcessingLayerPostProcessorInterface):
    """Names the polygon layer and gives it the change-class style once QGIS has loaded it."""

    def __init__(self, name: str, thresholds: Tuple[float, ...]) -> None:
        super().__init__()
        self.name, self.thresholds = name, thresholds

    def postProcessLayer(self, layer, context, feedback) -> None:  # noqa: N802 - QGIS API
        if not isinstance(layer, QgsVectorLayer):
            return
        layer.setName(self.name)
        layer.setRenderer(styles.polygon_renderer(self.thresholds))
        layer.triggerRepaint()


_PROCESSORS: List[PolygonStylePostProcessor] = []  # kept alive until QGIS has used them (bounded)


class ChangePolygonsAlgorithm(PlanauraAlgorithm):
    """Connected patches of one change class as polygons: class, area, cosine statistics, dates."""

    TR_CONTEXT = "ChangePolygonsAlgorithm"
    GROUP_ID = GROUP_CHANGE

    P_INPUT, _INPUT = "INPUT", QT_TRANSLATE_NOOP("ChangePolygonsAlgorithm", "Change map (cosine map)")
    P_THRESHOLDS, _THRESHOLDS = "THRESHOLDS", QT_TRANSLATE_NOOP(
        "ChangePolygonsAlgorithm", "Class thresholds (no change, low, moderate) or one cosine threshold")
    P_MIN_AREA, _MIN_AREA = "MIN_AREA", QT_TRANSLATE_NOOP("ChangePolygonsAlgorithm", "Minimum area (hectares)")
    P_MASK, _MASK = "MASK", QT_TRANSLATE_NOOP("ChangePolygonsAlgorithm", "Mask polygons")
    P_SIMPLIFY, _SIMPLIFY = "SIMPLIFY", QT_TRANSLATE_NOOP(
        "ChangePolygonsAlgorithm", "Simplification tolerance (map units, 0 = none)")
    P_PERSISTENCE, _PERSISTENCE = "PERSISTENCE", QT_TRANSLATE_NOOP(
        "ChangePolygonsAlgorithm", "Persistence layer (mosaic)")
    P_BEFORE_DATE, _BEFORE_DATE = "BEFORE_DATE", QT_TRANSLATE_NOOP(
        "ChangePolygonsAlgorithm", "Before date layer")
    P_AFTER_DATE, _AFTER_DATE = "AFTER_DATE", QT_TRANSLATE_NOOP(
        "ChangePolygonsAlgorithm", "After date layer")
    P_CHANGE_TYPES, _CHANGE_TYPES = "CHANGE_TYPES", QT_TRANSLATE_NOOP(
        "ChangePolygonsAlgorithm", "Change types layer")
    P_OUTPUT, _OUTPUT = "OUTPUT", QT_TRANSLATE_NOOP("ChangePolygonsAlgorithm", "Change polygons")
    P_OUTPUT_REPORT, _OUTPUT_REPORT = "OUTPUT_REPORT", QT_TRANSLATE_NOOP(
        "ChangePolygonsAlgorithm", "Area report")
    O_CSV, _CSV = "OUTPUT_CSV", QT_TRANSLATE_NOOP("ChangePolygonsAlgorithm", "Area report table (CSV)")
    O_TYPES_CSV, _TYPES_CSV = "OUTPUT_TYPES_CSV", QT_TRANSLATE_NOOP(
        "ChangePolygonsAlgorithm", "Area per change type (CSV)")
    O_POLYGONS, _POLYGONS = "POLYGONS", QT_TRANSLATE_NOOP("ChangePolygonsAlgorithm", "Number of change polygons")
    O_CHANGE_HA, _CHANGE_HA = "CHANGE_AREA_HA", QT_TRANSLATE_NOOP(
        "ChangePolygonsAlgorithm", "Area of the change polygons (ha)")

    def name(self) -> str:
        return "changepolygons"

    def displayName(self) -> str:  # noqa: N802 - QGIS API
        return self.tr("Change polygons")

    def shortDescription(self) -> str:  # noqa: N802 - QGIS API
        return self.tr("Polygons of the change patches of a change map, with their areas and an area report.")

    def shortHelpString(self) -> str:  # noqa: N802 - QGIS API
        intro = self.tr(
            "Turns a change map (the change intensity of Planaura change map, or of Persistence mosaic) into "
            "polygons: one polygon per connected patch of one change class (pixels touching by a side; pixels "
            "that only touch at a corner make two patches), with holes where a patch surrounds other pixels. "
            "Only change is kept (classes 2 low, 3 moderate, 4 high); no change and nodata give no polygon. "
            "Polygons come from GDAL's polygonize; the map is read in strips, so large maps need little "
            "memory.")
        params = [
            (self.tr(self._INPUT), self.tr("A one-band cosine raster (nodata -100).")),
            (self.tr(self._THRESHOLDS), self.tr(
                "Three decreasing cosines, default 0.80, 0.60, 0.40: class 1 no change above the first, 2 low "
                "change down to the second, 3 moderate down to the third, 4 high change below (the rule of the "
                "change classes output). One number instead: change at or below it (class 4).")),
            (self.tr(self._MIN_AREA), self.tr("Polygons smaller than this are left out (the report counts them).")),
            (self.btr(self._EXTENT), self.tr("Only analyse this area (default: the whole map).")),
            (self.tr(self._MASK), self.tr(
                "Only analyse the pixels whose centre lies in these polygons (any CRS).")),
            (self.tr(self._SIMPLIFY), self.tr(
                "Simplify the polygon outlines with this tolerance, in the unit of the change map's CRS (metres, "
                "degrees...), keeping each polygon valid (neighbouring polygons may then slightly overlap or leave "
                "gaps). Areas are those of the unsimplified patches. A tolerance of more than 100 pixels is "
                "refused (metres given for a map in degrees), of more than 10 pixels warned about.")),
            (self.tr(self._PERSISTENCE) + ", " + self.tr(self._BEFORE_DATE) + ", " + self.tr(self._AFTER_DATE),
             self.tr("Layers on the change map's grid; when left empty they are found beside the change map "
                     "(its metadata or upstream file names such as mosaic_persistence_<postfix>_c.tif).")),
            (self.tr(self._CHANGE_TYPES), self.tr(
                "The change types of the same pair (Change types, on the change map's grid); when left empty, "
                "upstream's change_types!<a>!<b>.tif beside cosine_map!<a>!<b>.tif is used if it exists. The "
                "report then also gives the area of each change type.")),
        ]
        outputs = [
            (self.tr(self._OUTPUT), self.tr(
                "Polygons in the change map's CRS (GeoPackage by default) with the fields class, area_ha "
                "(hectares, true area on the ellipsoid of the map's CRS whatever its projection), mean_cos, "
                "min_cos, pixels, "
                "before_date, after_date (the most frequent date of the patch) and, for a mosaic, persistence "
                "(the smallest number of pairs over the patch).")),
            (self.tr(self._OUTPUT_REPORT), self.tr(
                "An HTML page: area per class in hectares and in % of the analysed area, the largest patches, "
                "a histogram of the cosines, the dates, images, model and checkpoint of the change map and the "
                "parameters. A CSV of the areas per class and the PNG histogram are written beside it.")),
            (self.tr(self._TYPES_CSV), self.tr(
                "With change types: <report>_types.csv, pixels, hectares and % of the analysed area per type "
                "(-1: changed pixels of no type).")),
        ]
        return self.help_html(intro, params, outputs, weights=False)

    def initAlgorithm(self, config=None):  # noqa: N802 - QGIS API
        self.addParameter(QgsProcessingParameterRasterLayer(self.P_INPUT, self.tr(self._INPUT)))
        self.addParameter(QgsProcessingParameterString(self.P_THRESHOLDS, self.tr(self._THRESHOLDS),
                                                       defaultValue="0.80, 0.60, 0.40"))
        self.addParameter(QgsProcessingParameterNumber(self.P_MIN_AREA, self.tr(self._MIN_AREA),
                                                       type=QgsProcessingParameterNumber.Double, defaultValue=0.0,
                                                       minValue=0.0))
        self.addParameter(QgsProcessingParameterExtent(self.P_EXTENT, self.btr(self._EXTENT), optional=True))
        self.addParameter(QgsProcessingParameterFeatureSource(self.P_MASK, self.tr(self._MASK),
                                                              [QgsProcessing.TypeVectorPolygon], optional=True))
        self.advanced(QgsProcessingParameterNumber(self.P_SIMPLIFY, self.tr(self._SIMPLIFY),
                                                   type=QgsProcessingParameterNumber.Double, defaultValue=0.0,
                                                   minValue=0.0))
        for key, label in ((self.P_PERSISTENCE, self._PERSISTENCE), (self.P_BEFORE_DATE, self._BEFORE_DATE),
                           (self.P_AFTER_DATE, self._AFTER_DATE)):
            self.advanced(QgsProcessingParameterRasterLayer(key, self.tr(label), optional=True))
        self.advanced(QgsProcessingParameterRasterLayer(self.P_CHANGE_TYPES, self.tr(self._CHANGE_TYPES),
                                                        optional=True))
        self.addParameter(QgsProcessingParameterVectorDestination(self.P_OUTPUT, self.tr(self._OUTPUT),
                                                                  type=QgsProcessing.TypeVectorPolygon))
        self.addParameter(QgsProcessingParameterFileDestination(
            self.P_OUTPUT_REPORT, self.tr(self._OUTPUT_REPORT), fileFilter=self.tr("HTML files (*.html)"),
            optional=True, createByDefault=True))
        self.addOutput(QgsProcessingOutputFile(self.O_CSV, self.tr(self._CSV)))
        self.addOutput(QgsProcessingOutputFile(self.O_TYPES_CSV, self.tr(self._TYPES_CSV)))
        self.addOutput(QgsProcessingOutputNumber(self.O_POLYGONS, self.tr(self._POLYGONS)))
        self.addOutput(QgsProcessingOutputNumber(self.O_CHANGE_HA, self.tr(self._CHANGE_HA)))

    def thresholds(self, parameters: Dict[str, Any], context) -> Tuple[float, ...]:
        """THRESHOLDS as numbers: '0.8, 0.6, 0.4' or '0.5' (commas, semicolons or spaces)."""
        text = (self.parameterAsString(parameters, self.P_THRESHOLDS, context) or "").strip() or "0.80, 0.60, 0.40"
        try:
            values = tuple(float(v) for v in text.replace(";", ",").replace(" ", ",").split(",") if v)
        except ValueError as exc:
            raise QgsProcessingException(self.tr(
                "Class thresholds: '{0}' is not a list of numbers such as 0.80, 0.60, 0.40 or a single 0.5."
            ).format(text)) from exc
        return values

    def bbox(self, parameters: Dict[str, Any], context, layer) -> Optional[Tuple[float, float, float, float]]:
        """The extent in the change map's CRS, or None."""
        from .area_of_interest import extent_in_crs

        return extent_in_crs(self, parameters, self.P_EXTENT, context, layer.crs())

    def mask_path(self, parameters: Dict[str, Any], context, feedback) -> Optional[str]:
        """A file GDAL can read holding the mask polygons (the layer's own file when it is one)."""
        if not parameters.get(self.P_MASK):
            return None
        path = self.parameterAsCompatibleSourceLayerPath(parameters, self.P_MASK, context, ["gpkg", "shp"], "gpkg",
                                                         feedback)
        return path.split("|")[0] if path and "|layername=" not in path else path

    def request(self, parameters: Dict[str, Any], context, feedback):
        """The core's PolygonRequest from the parameters."""
        from ..planaura_plugin.analysis.polygons import PolygonRequest

        layer = self.parameterAsRasterLayer(parameters, self.P_INPUT, context)
        change_map = self.raster_path(parameters, self.P_INPUT, context, self.tr(self._INPUT))
        output = self.parameterAsOutputLayer(parameters, self.P_OUTPUT, context)
        self.destination = output  # asked once: each call gives a temporary output another new file name
        layer_name = "change_polygons"
        if "|layername=" in output:
            output, layer_name = output.split("|layername=", 1)
        if output.startswith("ogr:"):
            raise QgsProcessingException(self.tr("Change polygons: save them to a file (.gpkg), not into a "
                                                 "database table ({0}).").format(output))
        report = self.parameterAsFileOutput(parameters, self.P_OUTPUT_REPORT, context) or None
        companions = {key.lower(): self.raster_path(parameters, key, context, self.tr(label), optional=True)
                      for key, label in ((self.P_PERSISTENCE, self._PERSISTENCE),
                                         (self.P_BEFORE_DATE, self._BEFORE_DATE),
                                         (self.P_AFTER_DATE, self._AFTER_DATE))}
        return PolygonRequest(
            change_map=change_map, output=output, thresholds=self.thresholds(parameters, context),
            min_area_ha=self.parameterAsDouble(parameters, self.P_MIN_AREA, context),
            bbox=self.bbox(parameters, context, layer), mask=self.mask_path(parameters, context, feedback),
            simplify=self.parameterAsDouble(parameters, self.P_SIMPLIFY, context), report=report,
            texts=report_texts(), layer_name=layer_name or "change_polygons",
            change_types=self.raster_path(parameters, self.P_CHANGE_TYPES, context, self.tr(self._CHANGE_TYPES),
                                          optional=True), **companions)

    def polygons_layer_name(self, change_map: str) -> str:
        """'Change polygons 2021-09-07 → 2022-09-02' from the dates the change map records, else
        'Change polygons (cos.tif)' from its file name, else 'Change polygons' for a temporary file."""
        from .base import written_dates
        from .input_labels import is_temporary_output

        dates = written_dates(change_map)
        if len(dates) == 2 and all(dates):
            return self.tr("Change polygons {0}").format(f"{dates[0]} \u2192 {dates[1]}")
        if is_temporary_output(change_map):
            return self.tr("Change polygons")
        return self.tr("Change polygons ({0})").format(os.path.basename(change_map))

    def processAlgorithm(self, parameters: Dict[str, Any], context, feedback) -> Dict[str, Any]:  # noqa: N802
        from ..planaura_plugin.analysis.polygons import change_polygons, class_thresholds

        request = self.request(parameters, context, feedback)
        with self.core_errors(feedback):
            limits = class_thresholds(request.thresholds)
        kept = {}

        def job(req, fb):
            written, kept["summary"] = change_polygons(req, fb)
            return written

        written = self.run_core(job, request, feedback)
        summary = kept.get("summary")
        path = written["polygons"]
        try:
            styles.write_vector_sidecar(path, limits)
        except Exception as exc:  # noqa: BLE001 - a missing style must not lose the result
            feedback.pushWarning(translate("PlanauraAlgorithm", "No style written for {0}: {1}").format(path, exc))
        results: Dict[str, Any] = {self.P_OUTPUT: getattr(self, "destination", "") or path}
        results[self.P_OUTPUT_REPORT] = written.get("report")
        results[self.O_CSV] = written.get("report_csv")
        results[self.O_TYPES_CSV] = written.get("report_types_csv")
        results[self.O_POLYGONS] = summary.total_polygons if summary else None
        results[self.O_CHANGE_HA] = summary.total_change_ha if summary else None
        key = results[self.P_OUTPUT]
        if context.willLoadLayerOnCompletion(key):
            details = context.layerToLoadOnCompletionDetails(key)
            if not self.name_was_given(details, self.P_OUTPUT):  # a model output's name is kept as given
                details.name = self.polygons_layer_name(request.change_map)
                details.forceName = True
            processor = PolygonStylePostProcessor(details.name, limits)
            _PROCESSORS.append(processor)
            del _PROCESSORS[:-200]
            details.setPostProcessor(processor)
        return results
