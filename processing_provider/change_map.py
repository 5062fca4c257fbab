"""``planaura:changemap``: the change-intensity map of a pair of images (and its companions)."""
from __future__ import annotations

import os
from dataclasses import replace
from typing import Any, Dict, List, Optional, Tuple

from qgis.core import (
    QgsProcessingException,
    QgsProcessingParameterBand,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterExtent,
    QgsProcessingParameterNumber,
    QgsProcessingParameterRasterDestination,
    QgsProcessingParameterRasterLayer,
    QgsProcessingParameterString,
)
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP

from ..planaura_plugin.errors import PlanauraError
from ..planaura_plugin.raster.datasets import fmask_beside
from ..planaura_plugin.products import (DEFAULT_CLASS_THRESHOLDS, PRODUCTS, beside_path, check_class_thresholds,
                                        product_of, request_fields)
from .base import (GROUP_CHANGE, STRIDES, OutputSpec, PlanauraAlgorithm, date_period, require_torch, single_date,
                   translate, written_dates)
from .layer_defaults import project_pair_defaults
from .product_layers import output_parameters, pair_layer_name, product_label


def quality_companion_path(cosine_map: str) -> str:
    """Where the quality layer goes when only the change map was asked for: upstream's name
    (``quality_fmask!A!B.tif`` beside ``cosine_map!A!B.tif``), else ``<name>_quality_fmask.tif``.

    The change map's metadata (``PLANAURA_COMPANIONS``) names it, so *Persistence mosaic* finds the
    quality of a pair from its change map alone (a temporary output in a model included).

    Args:
        cosine_map: the change map's path (.tif).

    Returns:
        The quality layer's path, in the change map's folder.
    """
    beside = beside_path(cosine_map, "cosine_map", "quality_fmask")
    if beside:
        return beside
    folder, name = os.path.split(cosine_map)
    stem, ext = os.path.splitext(name)
    return os.path.join(folder, f"{stem}_quality_fmask{ext}")


class ChangeMapAlgorithm(PlanauraAlgorithm):
    """Cosine similarity of Planaura embeddings of two dates, per 16 px patch or per pixel."""

    TR_CONTEXT = "ChangeMapAlgorithm"
    GROUP_ID = GROUP_CHANGE
    ICON = "changemap.svg"

    P_BEFORE, _BEFORE = "BEFORE", QT_TRANSLATE_NOOP("ChangeMapAlgorithm", "Before image")
    P_AFTER, _AFTER = "AFTER", QT_TRANSLATE_NOOP("ChangeMapAlgorithm", "After image")
    P_BEFORE_DATE, _BEFORE_DATE = "BEFORE_DATE", QT_TRANSLATE_NOOP(
        "ChangeMapAlgorithm", "Date of the before image (YYYY-MM-DD)")
    P_AFTER_DATE, _AFTER_DATE = "AFTER_DATE", QT_TRANSLATE_NOOP(
        "ChangeMapAlgorithm", "Date of the after image (YYYY-MM-DD)")
    P_BEFORE_FMASK, _BEFORE_FMASK = "BEFORE_FMASK", QT_TRANSLATE_NOOP("ChangeMapAlgorithm", "Before Fmask")
    P_AFTER_FMASK, _AFTER_FMASK = "AFTER_FMASK", QT_TRANSLATE_NOOP("ChangeMapAlgorithm", "After Fmask")
    P_BEFORE_BANDS, _BEFORE_BANDS = "BEFORE_BANDS", QT_TRANSLATE_NOOP(
        "ChangeMapAlgorithm", "Before image bands (B02, B03, B04, B8A, B11, B12)")
    P_AFTER_BANDS, _AFTER_BANDS = "AFTER_BANDS", QT_TRANSLATE_NOOP(
        "ChangeMapAlgorithm", "After image bands (B02, B03, B04, B8A, B11, B12)")
    P_FIND_FMASKS, _FIND_FMASKS = "FIND_FMASKS", QT_TRANSLATE_NOOP(
        "ChangeMapAlgorithm", "Use the quality layers found with the images (HLS Fmask, Sentinel-2 SCL, "
        "fmask_<image name>)")
    P_FMASK_BITWISE, _FMASK_BITWISE = "FMASK_BITWISE", QT_TRANSLATE_NOOP(
        "ChangeMapAlgorithm", "Fmask is bitwise (HLS original)")
    P_NUM_PREDICTIONS, _NUM_PREDICTIONS = "NUM_PREDICTIONS", QT_TRANSLATE_NOOP(
        "ChangeMapAlgorithm", "Number of shifted predictions")
    P_MIN_VALID, _MIN_VALID = "MIN_VALID", QT_TRANSLATE_NOOP(
        "ChangeMapAlgorithm", "Minimum valid fraction of a tile")
    P_DATE_REGEX, _DATE_REGEX = "DATE_REGEX", QT_TRANSLATE_NOOP(
        "ChangeMapAlgorithm", "Date regular expression (default: the model's)")
    P_THRESHOLD_NO_CHANGE, _THRESHOLD_NO_CHANGE = "THRESHOLD_NO_CHANGE", QT_TRANSLATE_NOOP(
        "ChangeMapAlgorithm", "Class threshold: no change above")
    P_THRESHOLD_LOW, _THRESHOLD_LOW = "THRESHOLD_LOW", QT_TRANSLATE_NOOP(
        "ChangeMapAlgorithm", "Class threshold: low change above")
    P_THRESHOLD_MODERATE, _THRESHOLD_MODERATE = "THRESHOLD_MODERATE", QT_TRANSLATE_NOOP(
        "ChangeMapAlgorithm", "Class threshold: moderate change above")

    # the outputs (parameters, labels, layer names, styles) come from the product registry
    P_OUTPUT = PRODUCTS["cosine_map"].parameter

    def name(self) -> str:
        return "changemap"

    def displayName(self) -> str:  # noqa: N802 - QGIS API
        return self.tr("Planaura change map")

    def shortDescription(self) -> str:  # noqa: N802 - QGIS API
        return self.tr("Change intensity between two dates from Planaura embeddings.")

    def pair_parameters_help(self, fmasks: bool = True) -> List[Tuple[str, str]]:
        """Help of the pair's parameters (images, bands, Fmasks, model, tiling, extent, device)."""
        params = [
            (self.map_tr(self._BEFORE), translate("ChangeMapAlgorithm",
                "The earlier image: a raster with the bands B02, B03, B04, B8A, B11, B12 (in this order, "
                "or named so in its band descriptions), any band file of an HLS v2.0 granule (its other "
                "bands and its Fmask are found beside it), or a Sentinel-2 L2A product (MTD_MSIL2A.xml, "
                "the .SAFE folder's zip). Its grid (CRS, pixels) is the grid of every output.")),
            (self.map_tr(self._AFTER), translate("ChangeMapAlgorithm", "The later image, in any of the same forms.")),
            (self.map_tr(self._BEFORE_DATE) + " / " + self.map_tr(self._AFTER_DATE), translate("ChangeMapAlgorithm",
                "Optional: the acquisition date of an image whose name holds none (e.g. the temporary output "
                "of another algorithm in a model), as YYYY-MM-DD. A date given here wins over the date in "
                "the name or the product's metadata; it goes into the date layers and the change map's "
                "metadata, where Persistence mosaic reads it.")),
            (self.map_tr(self._BEFORE_BANDS) + " / " + self.map_tr(self._AFTER_BANDS), translate("ChangeMapAlgorithm",
                "Optional: the image's bands holding B02, B03, B04, B8A, B11, B12, chosen in this order, for "
                "stacks in another order or with more bands. Without them, band descriptions such as B02 or "
                "Blue, Red, NIR_Narrow, SWIR1 reorder the bands; otherwise six bands are taken in order. "
                "Alpha bands are never model bands: their 0 pixels are nodata.")),
        ]
        fmask_help = [
            (self.map_tr(self._BEFORE_FMASK) + " / " + self.map_tr(self._AFTER_FMASK), translate("ChangeMapAlgorithm",
                "Optional HLS Fmask rasters; they only feed the quality output. A date without a quality layer "
                "is 'no information' (255) in the quality output, never 'clear'.")),
            (self.map_tr(self._FIND_FMASKS), translate("ChangeMapAlgorithm",
                "When an Fmask is not given, use the quality layer that comes with the image: an HLS granule's "
                "Fmask, a Sentinel-2 product's SCL, or fmask_<image file name> in the image's folder (the "
                "upstream convention). Untick it to use only the Fmasks given here. The log names each "
                "date's quality source.")),
            (self.map_tr(self._FMASK_BITWISE), translate("ChangeMapAlgorithm",
                "The Fmask holds HLS bit flags (cloud, adjacent, shadow, snow/ice, aerosol); off when it "
                "already holds class codes.")),
        ]
        params += fmask_help if fmasks else []
        params += self.model_parameters_help() + self.stride_parameters_help()
        params += [
            (self.map_tr(self._NUM_PREDICTIONS), translate("ChangeMapAlgorithm",
                "Repeat the tiling with shifts of 0, 64, 128... px and keep, per pixel, the prediction with "
                "the largest cosine (upstream's num_predictions).")),
            (self.map_tr(self._MIN_VALID), translate("ChangeMapAlgorithm",
                "A tile is skipped when a date has more nodata than 1 minus this fraction.")),
            (self.map_tr(self._DATE_REGEX), translate("ChangeMapAlgorithm",
                "Finds the acquisition date in the file names (YYYYDDD or YYYYMMDD in the first group). "
                "Default: the model configuration's change_map.date_regex, else \\.(\\d{7})T for HLS and "
                "_(\\d{8})_ for Sentinel-2.")),
            (self.btr(self._EXTENT), translate("ChangeMapAlgorithm",
                                               "Only process this area (default: the whole before image).")),
        ]
        params += self.device_parameters_help()
        return params

    def shortHelpString(self) -> str:  # noqa: N802 - QGIS API
        intro = self.tr(
            "Computes where and how much the land changed between two images of the same place: "
            "both dates go through the Planaura encoder together, and each 16 x 16 pixel patch (or each "
            "pixel in dense mode) gets the cosine similarity of its two embeddings. 1 means no change, "
            "lower values more change, -1 the strongest change. Images are cut in tiles of the model's "
            "size with 50 % overlap, processed in batches and stitched as NRCan's reference does. The "
            "after image is read on the before image's grid (reprojected when its CRS or resolution differ).")
        params = self.pair_parameters_help()
        params += [
            (self.tr(self._THRESHOLD_NO_CHANGE) + ", " + self.tr(self._THRESHOLD_LOW) + ", "
             + self.tr(self._THRESHOLD_MODERATE), self.tr(
                 "Cosine limits of the change classes: 1 no change above the first (0.80), 2 low change "
                 "down to the second (0.60), 3 moderate down to the third (0.40), 4 high change below.")),
            (self.btr(self._EMBEDDINGS), self.tr(
                "Which embedding dimensions the embedding outputs keep, e.g. 0,5,17 or 0-15; empty keeps all.")),
        ]
        outputs = [
            (self.output_labels("cosine_map"), self.tr(
                "float32 cosine similarity, nodata -100. Styled dark red (-1) to pale (0.75), transparent "
                "from 0.92 to 1.")),
            (self.output_labels("before_date") + " / " + self.output_labels("after_date"), self.tr(
                "int32 YYYYDDD dates of the images used, nodata -100.")),
            (self.output_labels("quality_fmask"), self.tr(
                "uint8 worst Fmask class of the two dates: 0 clear, 1 cloud, 2 adjacent to cloud/shadow, "
                "3 shadow, 4 snow/ice, 6 high aerosol; 255 nodata. When it is not asked for, it is written "
                "beside the change map anyway (quality_fmask!... or <name>_quality_fmask.tif, not loaded) and "
                "named in the change map's metadata with the dates, so that Persistence mosaic finds the "
                "quality of each pair from the change map alone, in a model too.")),
            (self.output_labels("classes"), self.tr(
                "uint8 change classes: 0 nodata, 1 no change, 2 low, 3 moderate, 4 high.")),
            (self.output_labels("feature_maps"), self.tr(
                "float32 embeddings, one band per kept dimension (band names f<k>), nodata -100.")),
            (self.output_labels("infer"),
             self.tr("The decoder's reconstruction of each image in the input's units (a quality check of "
                     "the model on your data).")),
        ]
        return self.help_html(intro, params, outputs) + "<p>" + self.tr(
            "Optional outputs left empty are not computed. Every output gets a .qml style beside it.") + "</p>"

    def map_tr(self, text: str) -> str:
        """Translate a string declared in ChangeMapAlgorithm (also for the algorithms that reuse its parameters)."""
        return translate("ChangeMapAlgorithm", text)

    def add_pair_parameters(self, fmasks: bool = True) -> None:
        """The pair's parameters: images, bands, Fmasks (optional), model, tiling, extent, device."""
        before_default, after_default = project_pair_defaults()  # never the active layer twice
        self.addParameter(QgsProcessingParameterRasterLayer(self.P_BEFORE, self.map_tr(self._BEFORE),
                                                            defaultValue=before_default))
        self.addParameter(QgsProcessingParameterRasterLayer(self.P_AFTER, self.map_tr(self._AFTER),
                                                            defaultValue=after_default))
        for key, label in ((self.P_BEFORE_DATE, self._BEFORE_DATE), (self.P_AFTER_DATE, self._AFTER_DATE)):
            self.advanced(QgsProcessingParameterString(key, self.map_tr(label), optional=True))
        for key, label, parent in ((self.P_BEFORE_BANDS, self._BEFORE_BANDS, self.P_BEFORE),
                                   (self.P_AFTER_BANDS, self._AFTER_BANDS, self.P_AFTER)):
            self.advanced(QgsProcessingParameterBand(key, self.map_tr(label), None, parent, optional=True,
                                                     allowMultiple=True))
        if fmasks:
            self.addParameter(QgsProcessingParameterRasterLayer(self.P_BEFORE_FMASK, self.map_tr(self._BEFORE_FMASK),
                                                                optional=True))
            self.addParameter(QgsProcessingParameterRasterLayer(self.P_AFTER_FMASK, self.map_tr(self._AFTER_FMASK),
                                                                optional=True))
            self.advanced(QgsProcessingParameterBoolean(self.P_FIND_FMASKS, self.map_tr(self._FIND_FMASKS),
                                                        defaultValue=True))
            self.addParameter(QgsProcessingParameterBoolean(self.P_FMASK_BITWISE,
                                                            self.map_tr(self._FMASK_BITWISE), defaultValue=True))
        self.add_model_parameters()
        self.add_stride_parameters()
        self.advanced(QgsProcessingParameterNumber(self.P_NUM_PREDICTIONS, self.map_tr(self._NUM_PREDICTIONS),
                                                   type=QgsProcessingParameterNumber.Integer, defaultValue=1,
                                                   minValue=1, maxValue=8))
        self.advanced(QgsProcessingParameterNumber(self.P_MIN_VALID, self.map_tr(self._MIN_VALID),
                                                   type=QgsProcessingParameterNumber.Double, defaultValue=0.7,
                                                   minValue=0.0, maxValue=1.0))
        self.advanced(QgsProcessingParameterString(self.P_DATE_REGEX, self.map_tr(self._DATE_REGEX), optional=True))
        self.addParameter(QgsProcessingParameterExtent(self.P_EXTENT, self.btr(self._EXTENT), optional=True))
        self.add_device_parameters()

    def initAlgorithm(self, config=None):  # noqa: N802 - QGIS API
        self.add_pair_parameters()
        for key, label, default in zip((self.P_THRESHOLD_NO_CHANGE, self.P_THRESHOLD_LOW, self.P_THRESHOLD_MODERATE),
                                       (self._THRESHOLD_NO_CHANGE, self._THRESHOLD_LOW, self._THRESHOLD_MODERATE),
                                       DEFAULT_CLASS_THRESHOLDS):
            self.advanced(QgsProcessingParameterNumber(key, self.tr(label), type=QgsProcessingParameterNumber.Double,
                                                       defaultValue=default, minValue=-1.0, maxValue=1.0))
        self.addParameter(QgsProcessingParameterString(self.P_EMBEDDINGS, self.btr(self._EMBEDDINGS), optional=True))

        for kind, key in output_parameters():
            label = product_label(kind)
            if key == self.P_OUTPUT:  # the one output always written
                self.addParameter(QgsProcessingParameterRasterDestination(key, label))
            else:
                self.addParameter(QgsProcessingParameterRasterDestination(key, label, optional=True,
                                                                          createByDefault=False))

    def pair_request(self, parameters: Dict[str, Any], context, feedback, fmasks: bool = True):
        """The core's ChangeMapRequest of the pair's parameters, with no outputs and the weights not yet resolved.

        Args:
            parameters, context, feedback: the algorithm's.
            fmasks: read the Fmask parameters (algorithms without them give none).

        Returns:
            A ``ChangeMapRequest`` (outputs empty, default class thresholds, all embedding channels).

        Raises:
            QgsProcessingException: an image, band choice or model parameter that cannot work.
        """
        from ..planaura_plugin.pipeline.requests import ChangeMapOutputs, ChangeMapRequest

        before = self.raster_path(parameters, self.P_BEFORE, context, self.map_tr(self._BEFORE))
        after = self.raster_path(parameters, self.P_AFTER, context, self.map_tr(self._AFTER))
        given_dates = self.given_dates(parameters, context, feedback)  # a wrong date fails before any work
        masks: List[Optional[str]] = [None, None]
        for i, (key, label, image) in enumerate(((self.P_BEFORE_FMASK, self._BEFORE_FMASK, before),
                                                 (self.P_AFTER_FMASK, self._AFTER_FMASK, after)) if fmasks else ()):
            fmask = self.raster_path(parameters, key, context, self.map_tr(label), optional=True)
            if not fmask and self.parameterAsBoolean(parameters, self.P_FIND_FMASKS, context):
                fmask = fmask_beside(image)  # the core's one lookup (upstream: fmask_<image name>)
                if fmask:
                    feedback.pushInfo(translate("ChangeMapAlgorithm", "Using the Fmask {0}").format(fmask))
            masks[i] = fmask or None

        stride = STRIDES[self.parameterAsEnum(parameters, self.P_STRIDE, context)]
        spec, date_regex = self.model_spec(parameters, context, feedback, num_frames=2, patch_stride=stride)
        user_regex = (self.parameterAsString(parameters, self.P_DATE_REGEX, context) or "").strip()
        bands = [self.band_choice(parameters, self.P_BEFORE_BANDS, context),
                 self.band_choice(parameters, self.P_AFTER_BANDS, context)]
        for path, label, chosen in ((before, self._BEFORE, bands[0]), (after, self._AFTER, bands[1])):
            self.check_input(path, spec, self.map_tr(label), chosen)

        bbox = self.area_of_interest(parameters, context)
        return ChangeMapRequest(
            inputs=[before, after], outputs=ChangeMapOutputs(), model=spec, fmasks=masks, bands=bands,
            fmask_bitwise=fmasks and self.parameterAsBoolean(parameters, self.P_FMASK_BITWISE, context),
            find_quality=fmasks and self.parameterAsBoolean(parameters, self.P_FIND_FMASKS, context),
            patch_stride=stride, upsample=self.parameterAsBoolean(parameters, self.P_UPSAMPLE, context),
            num_predictions=self.parameterAsInt(parameters, self.P_NUM_PREDICTIONS, context),
            min_valid=self.parameterAsDouble(parameters, self.P_MIN_VALID, context),
            date_regex=user_regex or date_regex, bbox=bbox, bbox_crs=None, dates=given_dates)

    def processAlgorithm(self, parameters: Dict[str, Any], context, feedback) -> Dict[str, Any]:  # noqa: N802
        require_torch()
        from ..planaura_plugin.pipeline.requests import ChangeMapOutputs

        request = self.pair_request(parameters, context, feedback)
        before, after = request.inputs
        date_regex = request.date_regex
        thresholds = self.class_thresholds(parameters, context)
        dims = self.parse_dimensions(self.parameterAsString(parameters, self.P_EMBEDDINGS, context),
                                     request.model.config.embed_dim)

        out = {kind: self.output_path(parameters, key, context) for kind, key in output_parameters()}
        if not out["cosine_map"]:
            out["cosine_map"] = self.parameterDefinition(self.P_OUTPUT).generateTemporaryDestination()
        companion_quality = None
        if not out["quality_fmask"]:  # the pair's quality travels with its change map (mosaic, models)
            companion_quality = out["quality_fmask"] = quality_companion_path(out["cosine_map"])
        outputs = ChangeMapOutputs(**request_fields(out))

        with self.core_errors(feedback):
            spec = self.resolve_weights(request.model, feedback)
        request = replace(request, outputs=outputs, model=spec, embeddings=dims, class_thresholds=thresholds)

        from ..planaura_plugin.pipeline.change import run_change_map

        from .input_labels import undated_label

        written = self.run_core(run_change_map, request, feedback)
        if not written.get("cosine_map"):
            raise self.nothing_written(
                self.tr("No tile could be processed: no change map was written.") + f" ({before}, {after})")

        if companion_quality and written.get("quality_fmask") == companion_quality:
            feedback.pushInfo(self.tr("Quality of the pair written beside the change map for Persistence mosaic "
                                      "(not loaded): {0}").format(written.pop("quality_fmask")))
        recorded = written_dates(written["cosine_map"])  # the dates the core used, whatever the file names
        if len(recorded) != 2:
            recorded = list(date_period([before, after], date_regex))
        day0 = recorded[0] or single_date(before, date_regex) or undated_label(before, "before")
        day1 = recorded[1] or single_date(after, date_regex) or undated_label(after, "after")
        specs = {kind: OutputSpec(key, product_of(kind).style, pair_layer_name(kind, day0, day1),
                                  companion=product_of(kind).companion)
                 for kind, key in output_parameters()}
        return self.publish_outputs(written, specs, context, feedback, thresholds)

    def class_thresholds(self, parameters: Dict[str, Any], context) -> Tuple[float, float, float]:
        """The three class limits, checked by the core's one rule (strictly decreasing)."""
        thresholds = (self.parameterAsDouble(parameters, self.P_THRESHOLD_NO_CHANGE, context),
                      self.parameterAsDouble(parameters, self.P_THRESHOLD_LOW, context),
                      self.parameterAsDouble(parameters, self.P_THRESHOLD_MODERATE, context))
        try:
            return check_class_thresholds(thresholds)
        except PlanauraError:
            raise QgsProcessingException(self.tr(
                "The class thresholds must decrease: no change > low > moderate, got {0}.").format(
                    thresholds)) from None

    def area_of_interest(self, parameters: Dict[str, Any], context) -> Optional[Tuple[float, float, float, float]]:
        """EXTENT in the before image's CRS (xmin, ymin, xmax, ymax), or None for the whole image."""
        from .area_of_interest import extent_in_crs

        if not parameters.get(self.P_EXTENT):
            return None
        before_layer = self.parameterAsRasterLayer(parameters, self.P_BEFORE, context)
        return extent_in_crs(self, parameters, self.P_EXTENT, context, before_layer.crs())

    def given_dates(self, parameters: Dict[str, Any], context, feedback) -> List[Optional[int]]:
        """BEFORE_DATE / AFTER_DATE as YYYYDDD (None where not given), for the core's request.

        Raises:
            QgsProcessingException: a value that is not a YYYY-MM-DD date.
        """
        from ..planaura_plugin.dates import parse_iso_date

        dates: List[Optional[int]] = []
        for key, label in ((self.P_BEFORE_DATE, self._BEFORE_DATE), (self.P_AFTER_DATE, self._AFTER_DATE)):
            text = (self.parameterAsString(parameters, key, context) or "").strip()
            with self.core_errors(feedback):
                dates.append(parse_iso_date(text, self.map_tr(label)) if text else None)
        return dates

    def output_labels(self, key: str) -> str:
        """The translated label(s) of one product's output parameter(s), joined by ' / '."""
        return " / ".join(product_label(kind) for kind, _param in output_parameters() if product_of(kind).key == key)
