"""``planaura:embeddings``: Planaura embeddings of one image (static mode) or of one date of a pair."""
from __future__ import annotations

import os
from typing import Any, Dict

from qgis.core import (
    QgsProcessingException,
    QgsProcessingParameterBand,
    QgsProcessingParameterExtent,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterNumber,
    QgsProcessingParameterRasterDestination,
    QgsProcessingParameterRasterLayer,
    QgsProcessingParameterString,
)
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP

from ..planaura_plugin.products import PRODUCTS, frame_kind, request_fields
from .optional_packages import missing_package_message
from .base import GROUP_EMBEDDINGS, STRIDES, OutputSpec, PlanauraAlgorithm, require_torch, single_date
from .product_layers import pair_layer_name

TABLE_EXTENSIONS = (".csv", ".parquet", ".geoparquet", ".gpkg")
#: the registry's products this algorithm writes: the embeddings raster and table of frame 0 (the image;
#: frame 1 is the second date, encoded for its context only)
EMBEDDINGS, TABLE = PRODUCTS["feature_maps"], PRODUCTS["feature_table"]
RASTER_KIND, TABLE_KIND = frame_kind(EMBEDDINGS.key, 0), frame_kind(TABLE.key, 0)


class EmbeddingsAlgorithm(PlanauraAlgorithm):
    """Per-patch (or per-pixel) Planaura encoder features as a multi-band raster and a table."""

    TR_CONTEXT = "EmbeddingsAlgorithm"
    GROUP_ID = GROUP_EMBEDDINGS
    ICON = "embeddings.svg"

    P_INPUT, _INPUT = "INPUT", QT_TRANSLATE_NOOP("EmbeddingsAlgorithm", "Image")
    P_SECOND_DATE, _SECOND_DATE = "SECOND_DATE", QT_TRANSLATE_NOOP(
        "EmbeddingsAlgorithm", "Second date (bi-temporal context)")
    P_INPUT_BANDS, _INPUT_BANDS = "INPUT_BANDS", QT_TRANSLATE_NOOP(
        "EmbeddingsAlgorithm", "Image bands (B02, B03, B04, B8A, B11, B12)")
    P_MIN_VALID, _MIN_VALID = "MIN_VALID", QT_TRANSLATE_NOOP("EmbeddingsAlgorithm",
                                                             "Minimum valid fraction of a tile")
    P_INPUT_DATE, _INPUT_DATE = "INPUT_DATE", QT_TRANSLATE_NOOP("EmbeddingsAlgorithm",
                                                                "Date of the image (YYYY-MM-DD)")
    P_DATE_REGEX, _DATE_REGEX = "DATE_REGEX", QT_TRANSLATE_NOOP(
        "EmbeddingsAlgorithm", "Date regular expression (default: the model's)")
    P_OUTPUT, _OUTPUT = "OUTPUT", QT_TRANSLATE_NOOP("EmbeddingsAlgorithm", "Embeddings")
    P_OUTPUT_TABLE, _OUTPUT_TABLE = "OUTPUT_TABLE", QT_TRANSLATE_NOOP(
        "EmbeddingsAlgorithm", "Embeddings table (CSV, GeoParquet or GeoPackage points)")

    def name(self) -> str:
        return "embeddings"

    def displayName(self) -> str:  # noqa: N802 - QGIS API
        return self.tr("Planaura embeddings")

    def shortDescription(self) -> str:  # noqa: N802 - QGIS API
        return self.tr("Planaura encoder features of an image, per 16 px patch or per pixel.")

    def shortHelpString(self) -> str:  # noqa: N802 - QGIS API
        intro = self.tr(
            "Runs the Planaura encoder over an image and writes its embeddings: one vector of 768 numbers "
            "(for Planaura-1.0) per 16 x 16 pixel patch, or per pixel in dense mode. Use them for "
            "clustering, similarity search or as features of a classifier. Alone, the image is encoded in "
            "static mode (one frame, computed position embeddings, as upstream requires); with a second "
            "date, both are encoded together and the embeddings of the first image are written.")
        params = [
            (self.tr(self._INPUT), self.tr(
                "The image: a raster with the bands B02, B03, B04, B8A, B11, B12, any band file of an HLS v2.0 "
                "granule, or a Sentinel-2 L2A product; its grid is the output's grid.")),
            (self.tr(self._INPUT_BANDS), self.tr(
                "Optional: the image's bands holding B02, B03, B04, B8A, B11, B12, chosen in this order, for "
                "stacks in another order or with more bands (band descriptions are used otherwise).")),
            (self.tr(self._SECOND_DATE), self.tr(
                "Another date of the same place, read on the image's grid; the embeddings then carry the "
                "bi-temporal context of the pair (frame 0 = the image, frame 1 = this one).")),
        ]
        params += self.model_parameters_help() + self.stride_parameters_help()
        params += [
            (self.btr(self._EMBEDDINGS), self.tr(
                "Which dimensions to keep, e.g. 0,5,17 or 0-15; empty keeps all (768 for Planaura-1.0).")),
            (self.btr(self._EXTENT), self.tr("Only process this area (default: the whole image).")),
            (self.tr(self._MIN_VALID), self.tr(
                "A tile is skipped when it has more nodata than 1 minus this fraction.")),
            (self.tr(self._DATE_REGEX), self.tr("Finds the date in the file names of a pair.")),
            (self.tr(self._INPUT_DATE), self.tr(
                "Optional: the image's acquisition date when its name holds none (e.g. a temporary output in a "
                "model), as YYYY-MM-DD; written into the embeddings' metadata and used in the layer name.")),
        ]
        params += self.device_parameters_help()
        outputs = [
            (self.tr(self._OUTPUT), self.tr(
                "float32 raster, one band per kept dimension named f<k>, nodata -100 where a patch touches "
                "nodata.")),
            (self.tr(self._OUTPUT_TABLE), self.tr(
                "One row per map pixel with its x, y and f<k> columns: CSV, GeoParquet (.parquet, needs "
                "pyarrow) or GeoPackage points (.gpkg), chosen by the file extension.")),
        ]
        return self.help_html(intro, params, outputs)

    def initAlgorithm(self, config=None):  # noqa: N802 - QGIS API
        self.addParameter(QgsProcessingParameterRasterLayer(self.P_INPUT, self.tr(self._INPUT)))
        self.advanced(QgsProcessingParameterBand(self.P_INPUT_BANDS, self.tr(self._INPUT_BANDS), None, self.P_INPUT,
                                                 optional=True, allowMultiple=True))
        self.addParameter(QgsProcessingParameterRasterLayer(self.P_SECOND_DATE, self.tr(self._SECOND_DATE),
                                                            optional=True))
        self.add_model_parameters()
        self.add_stride_parameters()
        # embeddings keep the model's stride: upsampling 16 px cells to the pixels multiplies the size by 256
        self.parameterDefinition(self.P_UPSAMPLE).setDefaultValue(False)
        self.addParameter(QgsProcessingParameterString(self.P_EMBEDDINGS, self.btr(self._EMBEDDINGS), optional=True))
        self.addParameter(QgsProcessingParameterExtent(self.P_EXTENT, self.btr(self._EXTENT), optional=True))
        self.advanced(QgsProcessingParameterNumber(self.P_MIN_VALID, self.tr(self._MIN_VALID),
                                                   type=QgsProcessingParameterNumber.Double, defaultValue=0.7,
                                                   minValue=0.0, maxValue=1.0))
        self.advanced(QgsProcessingParameterString(self.P_DATE_REGEX, self.tr(self._DATE_REGEX), optional=True))
        self.advanced(QgsProcessingParameterString(self.P_INPUT_DATE, self.tr(self._INPUT_DATE), optional=True))
        self.add_device_parameters()
        self.addParameter(QgsProcessingParameterRasterDestination(self.P_OUTPUT, self.tr(self._OUTPUT)))
        self.addParameter(QgsProcessingParameterFileDestination(
            self.P_OUTPUT_TABLE, self.tr(self._OUTPUT_TABLE),
            fileFilter=self.tr("CSV (*.csv);;GeoParquet (*.parquet *.geoparquet);;GeoPackage (*.gpkg)"),
            optional=True, createByDefault=False))

    def checkParameterValues(self, parameters: Dict[str, Any], context):  # noqa: N802 - QGIS API
        """Before the run: a GeoParquet table needs pyarrow (installed by Settings ▸ Install dependencies)."""
        ok, message = super().checkParameterValues(parameters, context)
        if not ok:
            return ok, message
        table = self.parameterAsFileOutput(parameters, self.P_OUTPUT_TABLE, context)
        if table and os.path.splitext(table)[1].lower() in (".parquet", ".geoparquet"):
            missing = missing_package_message("pyarrow", self.tr("The GeoParquet table {0}").format(table))
            if missing:
                return False, missing
        return True, ""

    def processAlgorithm(self, parameters: Dict[str, Any], context, feedback) -> Dict[str, Any]:  # noqa: N802
        require_torch()
        from ..planaura_plugin.pipeline.requests import ChangeMapOutputs, ChangeMapRequest

        image = self.raster_path(parameters, self.P_INPUT, context, self.tr(self._INPUT))
        second = self.raster_path(parameters, self.P_SECOND_DATE, context, self.tr(self._SECOND_DATE), optional=True)
        inputs = [image] + ([second] if second else [])
        given = (self.parameterAsString(parameters, self.P_INPUT_DATE, context) or "").strip()
        input_date = None
        if given:
            from ..planaura_plugin.dates import parse_iso_date

            with self.core_errors(feedback):
                input_date = parse_iso_date(given, self.tr(self._INPUT_DATE))
        stride = STRIDES[self.parameterAsEnum(parameters, self.P_STRIDE, context)]
        spec, date_regex = self.model_spec(parameters, context, feedback, num_frames=len(inputs),
                                           patch_stride=stride, static=len(inputs) == 1)
        date_regex = (self.parameterAsString(parameters, self.P_DATE_REGEX, context) or "").strip() or date_regex
        bands = [self.band_choice(parameters, self.P_INPUT_BANDS, context)] + ([None] if second else [])
        for path, label, chosen in zip(inputs, (self._INPUT, self._SECOND_DATE), bands):
            self.check_input(path, spec, self.tr(label), chosen)
        dims = self.parse_dimensions(self.parameterAsString(parameters, self.P_EMBEDDINGS, context),
                                     spec.config.embed_dim)

        layer = self.parameterAsRasterLayer(parameters, self.P_INPUT, context)
        from .area_of_interest import extent_in_crs

        bbox = extent_in_crs(self, parameters, self.P_EXTENT, context, layer.crs())

        raster = self.output_path(parameters, self.P_OUTPUT, context) or \
            self.parameterDefinition(self.P_OUTPUT).generateTemporaryDestination()
        table = self.file_output_path(parameters, self.P_OUTPUT_TABLE, context)
        if table and os.path.splitext(table)[1].lower() not in TABLE_EXTENSIONS:
            raise QgsProcessingException(self.tr(
                "The embeddings table must end in .csv, .parquet, .geoparquet or .gpkg, got {0}.").format(table))

        upsample = self.parameterAsBoolean(parameters, self.P_UPSAMPLE, context)
        self.log_size_estimate(layer, bbox, len(dims) if dims else spec.config.embed_dim,
                               spec.config.patch_size, stride, upsample, feedback)
        with self.core_errors(feedback):
            spec = self.resolve_weights(spec, feedback)
        request = ChangeMapRequest(
            inputs=inputs, bands=bands, outputs=ChangeMapOutputs(**request_fields({RASTER_KIND: raster,
                                                                                  TABLE_KIND: table})),
            model=spec, patch_stride=stride, upsample=upsample,
            min_valid=self.parameterAsDouble(parameters, self.P_MIN_VALID, context), date_regex=date_regex,
            bbox=bbox, embeddings=dims, dates=[input_date] if input_date is not None else [])

        from ..planaura_plugin.pipeline.change import run_change_map

        written = self.run_core(run_change_map, request, feedback)
        if not written.get(RASTER_KIND):
            raise self.nothing_written(
                self.tr("No tile could be processed: no embeddings were written.") + f" ({', '.join(inputs)})")
        from ..planaura_plugin.dates import format_date

        from .input_labels import undated_label

        day = (format_date(input_date) if input_date is not None else None) or single_date(image, date_regex) \
            or undated_label(image, "image")
        if second:  # the registry's name of a pair's embeddings: "Embeddings <day> (with <other day>)"
            name = pair_layer_name(RASTER_KIND, day, single_date(second, date_regex) or undated_label(second, "image"))
        else:  # one image: no pair, no registry name
            name = self.tr("Embeddings {0}").format(day)
        results = self.publish_outputs(written, {
            RASTER_KIND: OutputSpec(self.P_OUTPUT, EMBEDDINGS.style, name, companion=EMBEDDINGS.companion)},
            context, feedback)
        if written.get(TABLE_KIND):
            results[self.P_OUTPUT_TABLE] = written[TABLE_KIND]
            if context.willLoadLayerOnCompletion(written.get(RASTER_KIND, "")):
                self.load_table(written[TABLE_KIND], self.tr("Embeddings table {0}").format(day), context)
        return results

    def load_table(self, path: str, name: str, context) -> bool:
        """Load the embeddings table with the raster (QGIS loads no file output by itself) when this QGIS's
        GDAL reads it (a GeoParquet table needs GDAL's Parquet driver); True when it was added."""
        from qgis.core import QgsProcessingContext, QgsVectorLayer

        if context.project() is None or not QgsVectorLayer(path, name, "ogr").isValid():
            return False
        details = QgsProcessingContext.LayerDetails(name, context.project(), self.P_OUTPUT_TABLE)
        details.forceName = True
        context.addLayerToLoadOnCompletion(path, details)
        return True

    def log_size_estimate(self, layer, bbox, channels: int, patch_size: int, stride: int, upsample: bool,
                          feedback) -> int:
        """Log the embeddings raster's size before the run; warn above 2 GB with what makes it smaller.

        Args:
            layer: the input raster layer (its pixels give the area).
            bbox: the area of interest in the layer's CRS, or None for the whole layer.
            channels: embedding dimensions kept.
            patch_size, stride, upsample: the model's patch size and the run's stride and upsampling.
            feedback: where the estimate goes.

        Returns:
            The estimate in bytes.
        """
        from ..planaura_plugin.pipeline.change import LARGE_EMBEDDINGS_BYTES, embeddings_bytes, format_bytes

        width, height = layer.width(), layer.height()
        if bbox is not None and layer.rasterUnitsPerPixelX() > 0 and layer.rasterUnitsPerPixelY() > 0:
            extent = layer.extent()
            w = max(0.0, min(bbox[2], extent.xMaximum()) - max(bbox[0], extent.xMinimum()))
            h = max(0.0, min(bbox[3], extent.yMaximum()) - max(bbox[1], extent.yMinimum()))
            width = min(width, int(round(w / layer.rasterUnitsPerPixelX())))
            height = min(height, int(round(h / layer.rasterUnitsPerPixelY())))
        size = embeddings_bytes(width, height, channels, patch_size, stride, upsample)
        cells = self.tr("one value per {0} x {0} px patch").format(patch_size) \
            if stride == patch_size and not upsample else self.tr("one value per pixel")
        feedback.pushInfo(self.tr("Embeddings raster: about {0} ({1} dimensions, {2}, {3} x {4} px).").format(
            format_bytes(size), channels, cells, width, height))
        if size > LARGE_EMBEDDINGS_BYTES:
            feedback.pushWarning(self.tr(
                "The embeddings raster will take about {0} on disk and in memory while written: keep fewer "
                "dimensions (e.g. 0-15), a smaller area, or the 16 px stride without upsampling.").format(
                format_bytes(size)))
        return size
