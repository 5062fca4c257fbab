"""``planaura:changeovertime``: a series of images of one place, compared pair by pair and merged per pixel.

The core's :func:`planaura_plugin.series.run.run_series` does the work; this module reads the
parameters (images, pairing, threshold, rule, points, model, device) and publishes the outputs
of the product registry (``scope`` series) with their styles and names carrying the series' dates.
"""
from __future__ import annotations

import os
import tempfile
from typing import Any, Dict, List, Optional, Tuple

from qgis.core import (
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterEnum,
    QgsProcessingParameterExtent,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterFolderDestination,
    QgsProcessingParameterMultipleLayers,
    QgsProcessingParameterNumber,
    QgsProcessingParameterRasterDestination,
    QgsProcessingParameterString,
)
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP

from ..planaura_plugin.products import PRODUCTS
from .base import GROUP_CHANGE, STRIDES, OutputSpec, PlanauraAlgorithm, require_torch
from .product_layers import pair_layer_name, product_label

SERIES_OUTPUTS = ("date_of_change", "change_intensity", "valid_observations", "cosine_per_pair")
PAIRINGS = ("consecutive", "reference")
RULES = ("strongest", "first_persistent")


class ChangeOverTimeAlgorithm(PlanauraAlgorithm):
    """When each pixel changed over a series of dates, how much, and from how many clear observations."""

    TR_CONTEXT = "ChangeOverTimeAlgorithm"
    GROUP_ID = GROUP_CHANGE

    P_INPUTS, _INPUTS = "INPUTS", QT_TRANSLATE_NOOP("ChangeOverTimeAlgorithm", "Images of the series (any order)")
    P_PAIRING, _PAIRING = "PAIRING", QT_TRANSLATE_NOOP("ChangeOverTimeAlgorithm", "Pairs")
    P_REFERENCE_DATE, _REFERENCE_DATE = "REFERENCE_DATE", QT_TRANSLATE_NOOP(
        "ChangeOverTimeAlgorithm", "Reference date (YYYY-MM-DD; empty = the earliest image)")
    P_THRESHOLD, _THRESHOLD = "THRESHOLD", QT_TRANSLATE_NOOP(
        "ChangeOverTimeAlgorithm", "Change threshold (cosine below it = change)")
    P_RULE, _RULE = "RULE", QT_TRANSLATE_NOOP("ChangeOverTimeAlgorithm", "Date of change")
    P_PERSISTENCE, _PERSISTENCE = "PERSISTENCE", QT_TRANSLATE_NOOP(
        "ChangeOverTimeAlgorithm", "Persistence (observations in a row, first persistent change)")
    P_POINTS, _POINTS = "POINTS", QT_TRANSLATE_NOOP("ChangeOverTimeAlgorithm", "Points for the report")
    P_FMASK_BITWISE, _FMASK_BITWISE = "FMASK_BITWISE", QT_TRANSLATE_NOOP(
        "ChangeOverTimeAlgorithm", "Quality layers are HLS bit flags (else Fmask classes)")
    P_MISSING_CLEAR, _MISSING_CLEAR = "MISSING_QUALITY_CLEAR", QT_TRANSLATE_NOOP(
        "ChangeOverTimeAlgorithm", "Dates without a quality layer count as clear")
    P_DATE_REGEX, _DATE_REGEX = "DATE_REGEX", QT_TRANSLATE_NOOP(
        "ChangeOverTimeAlgorithm", "Date regular expression of the file names")
    P_SCHEDULER, _SCHEDULER = "SCHEDULER", QT_TRANSLATE_NOOP(
        "ChangeOverTimeAlgorithm", "Dask scheduler for the pairs (e.g. local:2; empty = in QGIS)")
    P_PAIRS_FOLDER, _PAIRS_FOLDER = "PAIRS_FOLDER", QT_TRANSLATE_NOOP(
        "ChangeOverTimeAlgorithm", "Folder of the pairs' change maps (kept for a resumed run)")
    P_REPORT, _REPORT = "OUTPUT_REPORT", QT_TRANSLATE_NOOP("ChangeOverTimeAlgorithm", "Report (HTML)")
    _PAIRING_OPTIONS = (QT_TRANSLATE_NOOP("ChangeOverTimeAlgorithm", "Consecutive dates"),
                        QT_TRANSLATE_NOOP("ChangeOverTimeAlgorithm", "Each date against the reference date"))
    _RULE_OPTIONS = (QT_TRANSLATE_NOOP("ChangeOverTimeAlgorithm", "Strongest change"),
                     QT_TRANSLATE_NOOP("ChangeOverTimeAlgorithm", "First persistent change"))

    def name(self) -> str:
        return "changeovertime"

    def displayName(self) -> str:  # noqa: N802 - QGIS API
        return self.tr("Change over time")

    def shortDescription(self) -> str:  # noqa: N802 - QGIS API
        return self.tr("When each pixel changed over a series of images of one place, how much, and how sure.")

    def shortHelpString(self) -> str:  # noqa: N802 - QGIS API
        intro = self.tr(
            "Compares a series of images of one place (two or more, in any order, on one grid) pair by pair and "
            "merges the pairs per pixel. The images are sorted by their acquisition dates (from the product's "
            "metadata or the file name, as Planaura change map finds them); each pair is the ordinary change map "
            "of Planaura change map, with its quality layer, on the first image's grid. A pair takes no part in a "
            "pixel's decision where its quality is cloud, cloud shadow, snow/ice or no information, so a passing "
            "cloud is never a date of change.")
        return self.help_html(intro, self.parameters_help(), self.outputs_help())

    def parameters_help(self) -> List[Tuple[str, str]]:
        """(label, text) of each parameter, for the help."""
        return [
            (self.tr(self._INPUTS), self.tr(
                "Any input the change map takes (stacks, HLS granules, Sentinel-2 products), one per date; "
                "quality layers are found with each image (fmask_<image name>, a granule's Fmask, a product's SCL).")),
            (self.tr(self._PAIRING), self.tr(
                "Consecutive dates: (t1, t2), (t2, t3), ...: a change is seen once, at the date it happens. Each "
                "date against the reference date: (t0, t1), (t0, t2), ...: a lasting change is seen in every pair "
                "from its date on.")),
            (self.tr(self._REFERENCE_DATE), self.tr("The date of the image the others are compared with; images "
                                                    "before it take no part.")),
            (self.tr(self._THRESHOLD), self.tr(
                "A pair changed a pixel where its cosine is below this (1 = the same, lower = more change).")),
            (self.tr(self._RULE), self.tr(
                "Strongest change: the after date of the pair with the lowest cosine below the threshold. First "
                "persistent change: the first date from which the cosine stays below the threshold for the "
                "persistence's number of observations in a row (meant for pairs against a reference date).")),
            (self.tr(self._PERSISTENCE), self.tr("Observations in a row; pairs that do not observe the pixel are "
                                                 "skipped, an observed unchanged pair breaks the run.")),
            (self.tr(self._POINTS), self.tr(
                "Each point's cosine through time is plotted and listed in the report (its field 'name', else "
                "its feature id).")),
            (self.tr(self._FMASK_BITWISE), self.tr("HLS Fmask bit flags; off for Fmask class codes.")),
            (self.tr(self._MISSING_CLEAR), self.tr(
                "Off: a date without a quality layer is 'no information' and its pairs observe nothing. On: its "
                "pixels count as clear.")),
            (self.tr(self._DATE_REGEX), self.tr("Empty: the model's (HLS .2021250T, Sentinel-2 _20210907_).")),
            (self.tr(self._SCHEDULER), self.tr(
                "The pairs run as Dask tasks on this scheduler (local:N starts N workers on this computer).")),
            (self.tr(self._PAIRS_FOLDER), self.tr(
                "Each pair's change map and quality, with a record of them: a second run with the same images and "
                "parameters reuses them without model work (another threshold or rule needs no model work).")),
        ] + self.model_parameters_help() + self.stride_parameters_help() + [
            (self.btr(self._EXTENT), self.tr("Only this area of the images.")),
        ] + self.device_parameters_help()

    def outputs_help(self) -> List[Tuple[str, str]]:
        """(label, text) of each output, for the help."""
        return [
            (product_label("date_of_change"), self.tr(
                "int32 YYYYDDD per pixel (nodata -100 where no pair crosses the threshold).")),
            (product_label("change_intensity"), self.tr("The cosine of the deciding pair (nodata -100).")),
            (product_label("valid_observations"), self.tr("The number of pairs that observe each pixel.")),
            (product_label("cosine_per_pair"), self.tr("One band per pair, named by its dates.")),
            (self.tr(self._REPORT), self.tr(
                "Changed area per date of change (hectares on the ellipsoid), a timeline, the points' cosines.")),
        ]

    def initAlgorithm(self, config=None):  # noqa: N802 - QGIS API
        self.addParameter(QgsProcessingParameterMultipleLayers(self.P_INPUTS, self.tr(self._INPUTS),
                                                               layerType=QgsProcessing.TypeRaster))
        self.addParameter(QgsProcessingParameterEnum(self.P_PAIRING, self.tr(self._PAIRING),
                                                     options=[self.tr(o) for o in self._PAIRING_OPTIONS],
                                                     defaultValue=0))
        self.advanced(QgsProcessingParameterString(self.P_REFERENCE_DATE, self.tr(self._REFERENCE_DATE),
                                                   optional=True))
        self.addParameter(QgsProcessingParameterNumber(self.P_THRESHOLD, self.tr(self._THRESHOLD),
                                                       type=QgsProcessingParameterNumber.Double, defaultValue=0.6,
                                                       minValue=-1.0, maxValue=1.0))
        self.addParameter(QgsProcessingParameterEnum(self.P_RULE, self.tr(self._RULE),
                                                     options=[self.tr(o) for o in self._RULE_OPTIONS], defaultValue=0))
        self.addParameter(QgsProcessingParameterNumber(self.P_PERSISTENCE, self.tr(self._PERSISTENCE),
                                                       type=QgsProcessingParameterNumber.Integer, defaultValue=2,
                                                       minValue=1))
        self.addParameter(QgsProcessingParameterFeatureSource(self.P_POINTS, self.tr(self._POINTS),
                                                              [QgsProcessing.TypeVectorPoint], optional=True))
        self.addParameter(QgsProcessingParameterBoolean(self.P_FMASK_BITWISE, self.tr(self._FMASK_BITWISE),
                                                        defaultValue=True))
        self.advanced(QgsProcessingParameterBoolean(self.P_MISSING_CLEAR, self.tr(self._MISSING_CLEAR),
                                                    defaultValue=False))
        self.advanced(QgsProcessingParameterString(self.P_DATE_REGEX, self.tr(self._DATE_REGEX), optional=True))
        self.add_model_parameters()
        self.add_stride_parameters()
        self.addParameter(QgsProcessingParameterExtent(self.P_EXTENT, self.btr(self._EXTENT), optional=True))
        self.add_device_parameters()
        self.advanced(QgsProcessingParameterString(self.P_SCHEDULER, self.tr(self._SCHEDULER), optional=True))
        self.addParameter(QgsProcessingParameterFolderDestination(self.P_PAIRS_FOLDER, self.tr(self._PAIRS_FOLDER),
                                                                  optional=True, createByDefault=False))
        for kind in SERIES_OUTPUTS:
            product = PRODUCTS[kind]
            optional = kind != "date_of_change"
            self.addParameter(QgsProcessingParameterRasterDestination(
                product.parameter, product_label(kind), optional=optional,
                createByDefault=kind != "cosine_per_pair"))
        self.addParameter(QgsProcessingParameterFileDestination(
            self.P_REPORT, self.tr(self._REPORT), self.tr("HTML files (*.html)"), optional=True,
            createByDefault=False))

    def points(self, parameters: Dict[str, Any], context) -> Tuple[List[Tuple[str, float, float]], Optional[str]]:
        """(name, x, y) of the points layer's features (its 'name' field, else the feature id), and its CRS."""
        source = self.parameterAsSource(parameters, self.P_POINTS, context)
        if source is None:
            return [], None
        names = source.fields().indexOf("name")
        out: List[Tuple[str, float, float]] = []
        for feature in source.getFeatures():
            geometry = feature.geometry()
            if geometry is None or geometry.isEmpty():
                continue
            point = geometry.centroid().asPoint()
            name = str(feature.attribute(names)) if names >= 0 else str(feature.id())
            out.append((name, point.x(), point.y()))
        return out, source.sourceCrs().toWkt() or None

    def series_request(self, parameters: Dict[str, Any], context, feedback):
        """The core's SeriesRequest of the parameters (weights not yet resolved, outputs set)."""
        from ..planaura_plugin.dates import parse_iso_date
        from ..planaura_plugin.errors import PlanauraError
        from ..planaura_plugin.series.date_of_change import MergeRule
        from ..planaura_plugin.series.run import SeriesRequest

        inputs = self.raster_paths(parameters, self.P_INPUTS, context, self.tr(self._INPUTS))
        if len(inputs) < 2:
            raise QgsProcessingException(self.tr("{0}: give at least two images of the same place.").format(
                self.tr(self._INPUTS)))
        stride = STRIDES[self.parameterAsEnum(parameters, self.P_STRIDE, context)]
        spec, date_regex = self.model_spec(parameters, context, feedback, num_frames=2, patch_stride=stride)
        reference_text = (self.parameterAsString(parameters, self.P_REFERENCE_DATE, context) or "").strip()
        try:
            reference = parse_iso_date(reference_text, self.tr(self._REFERENCE_DATE)) if reference_text else None
        except PlanauraError as exc:
            raise QgsProcessingException(str(exc)) from exc
        points, points_crs = self.points(parameters, context)
        folder = self.file_output_path(parameters, self.P_PAIRS_FOLDER, context) or tempfile.mkdtemp(
            prefix="planaura_series_")
        outputs = {kind: self.output_path(parameters, PRODUCTS[kind].parameter, context) for kind in SERIES_OUTPUTS}
        outputs["report"] = self.file_output_path(parameters, self.P_REPORT, context)
        return SeriesRequest(
            inputs=inputs, output_dir=folder, model=spec, pairing=PAIRINGS[self.parameterAsEnum(
                parameters, self.P_PAIRING, context)], reference_date=reference,
            rule=MergeRule(self.parameterAsDouble(parameters, self.P_THRESHOLD, context),
                           RULES[self.parameterAsEnum(parameters, self.P_RULE, context)],
                           self.parameterAsInt(parameters, self.P_PERSISTENCE, context)),
            kinds=[k for k in SERIES_OUTPUTS if outputs.get(k)], outputs={k: v for k, v in outputs.items() if v},
            report=bool(outputs["report"]), points=points, points_crs=points_crs,
            date_regex=(self.parameterAsString(parameters, self.P_DATE_REGEX, context) or "").strip() or date_regex,
            fmask_bitwise=self.parameterAsBoolean(parameters, self.P_FMASK_BITWISE, context),
            missing_quality_clear=self.parameterAsBoolean(parameters, self.P_MISSING_CLEAR, context),
            patch_stride=stride, upsample=self.parameterAsBoolean(parameters, self.P_UPSAMPLE, context),
            bbox=self.area_of_interest(parameters, context, inputs[0]),
            scheduler=(self.parameterAsString(parameters, self.P_SCHEDULER, context) or "").strip() or None)

    def area_of_interest(self, parameters: Dict[str, Any], context, first: str):
        """The extent in the first image's CRS (xmin, ymin, xmax, ymax), or None."""
        if not parameters.get(self.P_EXTENT):
            return None
        layer = self.parameterAsLayerList(parameters, self.P_INPUTS, context)[0]
        rect = self.parameterAsExtent(parameters, self.P_EXTENT, context, layer.crs())
        return None if rect.isNull() else (rect.xMinimum(), rect.yMinimum(), rect.xMaximum(), rect.yMaximum())

    def processAlgorithm(self, parameters: Dict[str, Any], context, feedback) -> Dict[str, Any]:  # noqa: N802
        require_torch()
        from dataclasses import replace

        from ..planaura_plugin.dates import format_date
        from ..planaura_plugin.series.run import run_series

        request = self.series_request(parameters, context, feedback)
        with self.core_errors(feedback):
            request = replace(request, model=self.resolve_weights(request.model, feedback))
        written = self.run_core(run_series, request, feedback)
        first, last = self.series_period(written)
        specs = {kind: OutputSpec(PRODUCTS[kind].parameter, PRODUCTS[kind].style,
                                  pair_layer_name(kind, format_date(first), format_date(last)) if first else
                                  product_label(kind), companion=PRODUCTS[kind].companion)
                 for kind in SERIES_OUTPUTS}
        report = written.pop("report", None)
        results = self.publish_outputs(written, specs, context, feedback)
        if report:
            results[self.P_REPORT] = report
            feedback.pushInfo(self.tr("Report: {0}").format(report))
        results[self.P_PAIRS_FOLDER] = os.path.join(request.output_dir, "pairs")
        return results

    @staticmethod
    def series_period(written: Dict[str, str]) -> Tuple[Optional[int], Optional[int]]:
        """The first and last dates (YYYYDDD) the core recorded in the date of change's metadata."""
        import json

        from osgeo import gdal

        path = written.get("date_of_change")
        ds = gdal.Open(path) if path else None
        text = ds.GetMetadataItem("PLANAURA_DATES") if ds is not None else None
        dates = json.loads(text) if text else []
        return (dates[0], dates[-1]) if dates else (None, None)

