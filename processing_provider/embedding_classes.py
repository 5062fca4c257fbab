"""``planaura:classesfromexamples``: a classifier trained on a few labelled examples, unknown where unsure."""
from __future__ import annotations

import json
from typing import Any, Dict

from qgis.core import (
    QgsProcessing,
    QgsProcessingOutputString,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterNumber,
    QgsProcessingParameterRasterDestination,
)
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP

from .base import OutputSpec, ProcessingFeedbackAdapter
from .embedding_styles import STYLE_EMBEDDING_CLASSES, STYLE_SIMILARITY
from .embedding_tool_base import EmbeddingToolAlgorithm


class ClassesFromExamplesAlgorithm(EmbeddingToolAlgorithm):
    """A class raster and a confidence raster from labelled points or polygons."""

    TR_CONTEXT = "ClassesFromExamplesAlgorithm"

    P_EXAMPLES, _EXAMPLES = "EXAMPLES", QT_TRANSLATE_NOOP("ClassesFromExamplesAlgorithm",
                                                          "Labelled examples (points or polygons)")
    P_FIELD, _FIELD = "CLASS_FIELD", QT_TRANSLATE_NOOP("ClassesFromExamplesAlgorithm", "Class field")
    P_THRESHOLD, _THRESHOLD = "THRESHOLD", QT_TRANSLATE_NOOP("ClassesFromExamplesAlgorithm",
                                                             "Confidence below which a pixel is unknown")
    P_OUTPUT, _OUTPUT = "OUTPUT", QT_TRANSLATE_NOOP("ClassesFromExamplesAlgorithm", "Classes")
    P_OUTPUT_CONFIDENCE, _OUTPUT_CONFIDENCE = "OUTPUT_CONFIDENCE", QT_TRANSLATE_NOOP(
        "ClassesFromExamplesAlgorithm", "Confidence")
    O_ACCURACY, _ACCURACY = "ACCURACY", QT_TRANSLATE_NOOP("ClassesFromExamplesAlgorithm",
                                                          "Cross-validated accuracy per class (JSON)")

    def name(self) -> str:
        return "classesfromexamples"

    def displayName(self) -> str:  # noqa: N802 - QGIS API
        return self.tr("Classes from examples")

    def shortDescription(self) -> str:  # noqa: N802 - QGIS API
        return self.tr("A class map from a few labelled examples; pixels unlike every example are unknown.")

    def shortHelpString(self) -> str:  # noqa: N802 - QGIS API
        intro = self.tr(
            "Trains a logistic regression on the embeddings under labelled examples and classes every pixel. "
            "The confidence is the class probability, lowered when the pixel lies farther from the examples of "
            "its class than they lie from one another (probability x exp(-(d / r - 1)) beyond that spread r), so "
            "a kind of land no example showed comes out unknown instead of being forced into a class. The "
            "accuracy of each class is estimated by cross-validation on the examples and written in the log.")
        params = [
            (self.ctr(self._INPUT), self.ctr(self._INPUT_HELP)),
            (self.tr(self._EXAMPLES), self.tr(
                "Points (the pixel under each) or polygons (the pixels whose centre is inside), any CRS; at least "
                "2 classes, a few examples each (5 or more).")),
            (self.tr(self._FIELD), self.tr("The field holding each example's class (text or number).")),
            (self.tr(self._THRESHOLD), self.tr("0 to 1; pixels below it get the class value 0, unknown.")),
        ]
        outputs = [
            (self.tr(self._OUTPUT), self.tr(
                "A byte GeoTIFF: classes 1, 2, ... in the order of their names (labelled in the style and the "
                "file's CLASS_n metadata), 0 unknown, nodata 255.")),
            (self.tr(self._OUTPUT_CONFIDENCE), self.tr("A float32 GeoTIFF of the confidence (0 to 1), nodata -1.")),
        ]
        return self.help_html(intro, params, outputs, weights=False)

    def initAlgorithm(self, config=None):  # noqa: N802 - QGIS API
        self.add_input()
        kinds = [QgsProcessing.TypeVectorPoint, QgsProcessing.TypeVectorPolygon]
        self.addParameter(QgsProcessingParameterFeatureSource(self.P_EXAMPLES, self.tr(self._EXAMPLES), kinds))
        self.addParameter(QgsProcessingParameterField(self.P_FIELD, self.tr(self._FIELD),
                                                      parentLayerParameterName=self.P_EXAMPLES))
        self.addParameter(QgsProcessingParameterNumber(self.P_THRESHOLD, self.tr(self._THRESHOLD),
                                                       type=QgsProcessingParameterNumber.Double, defaultValue=0.5,
                                                       minValue=0.0, maxValue=1.0))
        self.addParameter(QgsProcessingParameterRasterDestination(self.P_OUTPUT, self.tr(self._OUTPUT)))
        self.addParameter(QgsProcessingParameterRasterDestination(
            self.P_OUTPUT_CONFIDENCE, self.tr(self._OUTPUT_CONFIDENCE), optional=True, createByDefault=True))
        self.addOutput(QgsProcessingOutputString(self.O_ACCURACY, self.tr(self._ACCURACY)))

    def processAlgorithm(self, parameters: Dict[str, Any], context, feedback) -> Dict[str, Any]:  # noqa: N802
        from ..planaura_plugin.embedding_tools.blocks import open_features
        from ..planaura_plugin.embedding_tools.classes import classes_map
        from ..planaura_plugin.embedding_tools.examples import example_pixels

        embeddings = self.input_path(parameters, context)
        output = self.raster_output(parameters, self.P_OUTPUT, context)
        confidence = self.output_path(parameters, self.P_OUTPUT_CONFIDENCE, context)
        field = self.parameterAsString(parameters, self.P_FIELD, context)
        with self.core_errors(feedback):
            pixels = example_pixels(self.vector_file(parameters, self.P_EXAMPLES, context, feedback),
                                    open_features(embeddings), field=field, what=self.tr("examples"),
                                    feedback=ProcessingFeedbackAdapter(feedback))
        report = self.call_core(classes_map, feedback, embeddings, pixels, output, confidence,
                                threshold=self.parameterAsDouble(parameters, self.P_THRESHOLD, context))
        written = {"classes": output, **({"confidence": confidence} if confidence else {})}
        results = self.publish_outputs(written, {
            "classes": OutputSpec(self.P_OUTPUT, STYLE_EMBEDDING_CLASSES, self.tr("Classes")),
            "confidence": OutputSpec(self.P_OUTPUT_CONFIDENCE, STYLE_SIMILARITY, self.tr("Confidence"),
                                     companion=True)}, context, feedback)
        results.setdefault(self.P_OUTPUT_CONFIDENCE, None)
        results[self.O_ACCURACY] = json.dumps(report.accuracy)
        return results
