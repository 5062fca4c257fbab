"""``planaura:similaritysearch``: "more like this", the cosine similarity of every pixel to example pixels."""
from __future__ import annotations

from typing import Any, Dict

from qgis.core import (
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterNumber,
    QgsProcessingParameterRasterDestination,
    QgsProcessingParameterVectorDestination,
)
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP

from .base import OutputSpec, ProcessingFeedbackAdapter
from .embedding_styles import STYLE_SIMILARITY
from .embedding_tool_base import EmbeddingToolAlgorithm

MODES = ("mean", "max")


class SimilaritySearchAlgorithm(EmbeddingToolAlgorithm):
    """A similarity raster to positive (and negative) examples; polygons of the pixels above a threshold."""

    TR_CONTEXT = "SimilaritySearchAlgorithm"
    NEEDS_SKLEARN = False  # numpy and GDAL only

    P_POSITIVE, _POSITIVE = "POSITIVE", QT_TRANSLATE_NOOP("SimilaritySearchAlgorithm", "Examples (points or polygons)")
    P_NEGATIVE, _NEGATIVE = "NEGATIVE", QT_TRANSLATE_NOOP("SimilaritySearchAlgorithm",
                                                          "Counter-examples")
    P_MODE, _MODE = "MODE", QT_TRANSLATE_NOOP("SimilaritySearchAlgorithm", "Similarity to")
    _MODE_MEAN = QT_TRANSLATE_NOOP("SimilaritySearchAlgorithm", "the mean of the examples")
    _MODE_MAX = QT_TRANSLATE_NOOP("SimilaritySearchAlgorithm", "the closest example")
    P_THRESHOLD, _THRESHOLD = "THRESHOLD", QT_TRANSLATE_NOOP("SimilaritySearchAlgorithm",
                                                             "Threshold of the similar areas")
    P_MIN_AREA, _MIN_AREA = "MIN_AREA", QT_TRANSLATE_NOOP("SimilaritySearchAlgorithm", "Minimum area (hectares)")
    P_OUTPUT, _OUTPUT = "OUTPUT", QT_TRANSLATE_NOOP("SimilaritySearchAlgorithm", "Similarity")
    P_OUTPUT_POLYGONS, _OUTPUT_POLYGONS = "OUTPUT_POLYGONS", QT_TRANSLATE_NOOP("SimilaritySearchAlgorithm",
                                                                               "Similar areas")
    O_AREAS, _AREAS = "AREAS", QT_TRANSLATE_NOOP("SimilaritySearchAlgorithm", "Number of similar areas")
    O_AREA_HA, _AREA_HA = "AREA_HA", QT_TRANSLATE_NOOP("SimilaritySearchAlgorithm", "Area of the similar areas (ha)")

    def name(self) -> str:
        return "similaritysearch"

    def displayName(self) -> str:  # noqa: N802 - QGIS API
        return self.tr("Similarity search")

    def shortDescription(self) -> str:  # noqa: N802 - QGIS API
        return self.tr("More like this: how much each pixel's embedding looks like those of examples.")

    def shortHelpString(self) -> str:  # noqa: N802 - QGIS API
        intro = self.tr(
            "Cosine similarity (from -1 to 1) of every pixel's embedding to the embeddings under the examples: to "
            "their mean direction, or the largest over the examples. With counter-examples, their similarity is "
            "subtracted (similarity to the examples minus similarity to the counter-examples, from -2 to 2), so "
            "pixels more like a counter-example come out below 0. The pixels at or above a threshold can be "
            "written as polygons with their true areas.")
        params = [
            (self.ctr(self._INPUT), self.ctr(self._INPUT_HELP)),
            (self.tr(self._POSITIVE), self.tr(
                "Points (the pixel under each) or polygons (the pixels whose centre is inside), any CRS.")),
            (self.tr(self._NEGATIVE), self.tr("Points or polygons of what is not wanted.")),
            (self.tr(self._MODE), self.tr(
                "The mean of the examples suits examples of one kind; the closest example suits several looks of "
                "one thing.")),
            (self.tr(self._THRESHOLD), self.tr("Pixels at or above it make the similar areas.")),
            (self.tr(self._MIN_AREA), self.tr("Similar areas smaller than this are left out.")),
        ]
        outputs = [
            (self.tr(self._OUTPUT), self.tr("A float32 GeoTIFF on the embeddings' grid, nodata -100.")),
            (self.tr(self._OUTPUT_POLYGONS), self.tr(
                "One polygon per connected patch of pixels at or above the threshold, with area_ha (true area on "
                "the ellipsoid), mean_cos and min_cos (mean and lowest similarity) and pixels.")),
        ]
        return self.help_html(intro, params, outputs, weights=False)

    def initAlgorithm(self, config=None):  # noqa: N802 - QGIS API
        self.add_input()
        kinds = [QgsProcessing.TypeVectorPoint, QgsProcessing.TypeVectorPolygon]
        self.addParameter(QgsProcessingParameterFeatureSource(self.P_POSITIVE, self.tr(self._POSITIVE), kinds))
        self.addParameter(QgsProcessingParameterFeatureSource(self.P_NEGATIVE, self.tr(self._NEGATIVE), kinds,
                                                              optional=True))
        self.addParameter(QgsProcessingParameterEnum(self.P_MODE, self.tr(self._MODE),
                                                     [self.tr(self._MODE_MEAN), self.tr(self._MODE_MAX)],
                                                     defaultValue=0))
        self.addParameter(QgsProcessingParameterNumber(self.P_THRESHOLD, self.tr(self._THRESHOLD),
                                                       type=QgsProcessingParameterNumber.Double, defaultValue=0.8,
                                                       minValue=-2.0, maxValue=2.0))
        self.advanced(QgsProcessingParameterNumber(self.P_MIN_AREA, self.tr(self._MIN_AREA),
                                                   type=QgsProcessingParameterNumber.Double, defaultValue=0.0,
                                                   minValue=0.0))
        self.addParameter(QgsProcessingParameterRasterDestination(self.P_OUTPUT, self.tr(self._OUTPUT)))
        self.addParameter(QgsProcessingParameterVectorDestination(
            self.P_OUTPUT_POLYGONS, self.tr(self._OUTPUT_POLYGONS), type=QgsProcessing.TypeVectorPolygon,
            optional=True, createByDefault=False))
        self.addOutput(QgsProcessingOutputNumber(self.O_AREAS, self.tr(self._AREAS)))
        self.addOutput(QgsProcessingOutputNumber(self.O_AREA_HA, self.tr(self._AREA_HA)))

    def seeds(self, parameters: Dict[str, Any], context, feedback, embeddings: str):
        """The example (and counter-example) pixels of the embeddings raster."""
        from ..planaura_plugin.embedding_tools.blocks import open_features
        from ..planaura_plugin.embedding_tools.examples import example_pixels
        from ..planaura_plugin.embedding_tools.similarity import Seeds

        adapter = ProcessingFeedbackAdapter(feedback)
        with self.core_errors(feedback):
            src = open_features(embeddings)
            positive = example_pixels(self.vector_file(parameters, self.P_POSITIVE, context, feedback), src,
                                      what=self.tr("examples"), feedback=adapter)
            negative_file = self.vector_file(parameters, self.P_NEGATIVE, context, feedback)
            negative = example_pixels(negative_file, src, what=self.tr("counter-examples"),
                                      feedback=adapter) if negative_file else None
        return Seeds(positive.cols, positive.rows, negative.cols if negative else None,
                     negative.rows if negative else None)

    def processAlgorithm(self, parameters: Dict[str, Any], context, feedback) -> Dict[str, Any]:  # noqa: N802
        from ..planaura_plugin.embedding_tools.similar_areas import similar_areas
        from ..planaura_plugin.embedding_tools.similarity import similarity_map

        embeddings = self.input_path(parameters, context)
        output = self.raster_output(parameters, self.P_OUTPUT, context)
        polygons = self.parameterAsOutputLayer(parameters, self.P_OUTPUT_POLYGONS, context) or None
        if polygons and (polygons.startswith("ogr:") or "|layername=" in polygons):
            raise QgsProcessingException(self.tr("Similar areas: save them to a file (.gpkg), not into a database "
                                                 "table ({0}).").format(polygons))
        seeds = self.seeds(parameters, context, feedback, embeddings)
        mode = MODES[self.parameterAsEnum(parameters, self.P_MODE, context)]
        self.call_core(similarity_map, feedback, embeddings, seeds, output, mode=mode)
        results = self.publish_outputs({"similarity": output}, {
            "similarity": OutputSpec(self.P_OUTPUT, STYLE_SIMILARITY, self.tr("Similarity"))}, context, feedback)
        results.update({self.P_OUTPUT_POLYGONS: None, self.O_AREAS: None, self.O_AREA_HA: None})
        if polygons:
            _path, count, area = self.call_core(
                similar_areas, feedback, output, self.parameterAsDouble(parameters, self.P_THRESHOLD, context),
                polygons, min_area_ha=self.parameterAsDouble(parameters, self.P_MIN_AREA, context))
            results.update({self.P_OUTPUT_POLYGONS: polygons, self.O_AREAS: count, self.O_AREA_HA: area})
        return results
