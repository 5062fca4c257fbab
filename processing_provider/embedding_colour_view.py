"""``planaura:embeddingcolourview``: embeddings shown as RGB (PCA to 3 components, stretched)."""
from __future__ import annotations

from typing import Any, Dict

from qgis.core import (QgsProcessingParameterFile, QgsProcessingParameterFileDestination,
                       QgsProcessingParameterRasterDestination)
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP

from .base import OutputSpec
from .embedding_styles import STYLE_COLOUR_VIEW
from .embedding_tool_base import EmbeddingToolAlgorithm


class EmbeddingColourViewAlgorithm(EmbeddingToolAlgorithm):
    """The 3 principal components of the embeddings as a byte RGB raster; the projection saved as JSON."""

    TR_CONTEXT = "EmbeddingColourViewAlgorithm"

    P_PROJECTION, _PROJECTION = "PROJECTION", QT_TRANSLATE_NOOP(
        "EmbeddingColourViewAlgorithm", "Projection of an earlier run (JSON)")
    P_OUTPUT, _OUTPUT = "OUTPUT", QT_TRANSLATE_NOOP("EmbeddingColourViewAlgorithm", "Colour view")
    P_OUTPUT_PROJECTION, _OUTPUT_PROJECTION = "OUTPUT_PROJECTION", QT_TRANSLATE_NOOP(
        "EmbeddingColourViewAlgorithm", "Projection (JSON)")

    def name(self) -> str:
        return "embeddingcolourview"

    def displayName(self) -> str:  # noqa: N802 - QGIS API
        return self.tr("Embedding colour view")

    def shortDescription(self) -> str:  # noqa: N802 - QGIS API
        return self.tr("Embeddings as an RGB image: their 3 principal components, stretched.")

    def shortHelpString(self) -> str:  # noqa: N802 - QGIS API
        intro = self.tr(
            "Projects the embeddings onto their 3 principal components (PCA, fitted on a random sample of valid "
            "pixels) and writes them as red, green and blue: pixels with similar embeddings get similar colours. "
            "Each component is stretched linearly from its 2nd to its 98th percentile over the sample to the "
            "values 1-255 (0 is nodata).")
        params = [
            (self.ctr(self._INPUT), self.ctr(self._INPUT_HELP)),
            (self.tr(self._PROJECTION), self.tr(
                "The projection saved by an earlier run: the same components and stretch are applied, so that two "
                "dates (embeddings of the same model and dimensions) share one colour space. Empty: fitted on this "
                "raster.")),
            (self.ctr(self._SAMPLE), self.ctr(self._SAMPLE_HELP)),
        ]
        outputs = [
            (self.tr(self._OUTPUT), self.tr("A 3-band byte GeoTIFF on the embeddings' grid, nodata 0.")),
            (self.tr(self._OUTPUT_PROJECTION), self.tr(
                "The projection used (mean, components, stretch, explained variance) as JSON, to give to the run "
                "of another date.")),
        ]
        return self.help_html(intro, params, outputs, weights=False)

    def initAlgorithm(self, config=None):  # noqa: N802 - QGIS API
        self.add_input()
        self.addParameter(QgsProcessingParameterFile(self.P_PROJECTION, self.tr(self._PROJECTION),
                                                     extension="json", optional=True))
        self.add_sample_size()
        self.addParameter(QgsProcessingParameterRasterDestination(self.P_OUTPUT, self.tr(self._OUTPUT)))
        self.addParameter(QgsProcessingParameterFileDestination(
            self.P_OUTPUT_PROJECTION, self.tr(self._OUTPUT_PROJECTION), fileFilter=self.tr("JSON (*.json)"),
            optional=True, createByDefault=False))

    def processAlgorithm(self, parameters: Dict[str, Any], context, feedback) -> Dict[str, Any]:  # noqa: N802
        from ..planaura_plugin.embedding_tools.colour_view import colour_view

        embeddings = self.input_path(parameters, context)
        output = self.raster_output(parameters, self.P_OUTPUT, context)
        saved = self.file_output_path(parameters, self.P_OUTPUT_PROJECTION, context)
        projection = self.call_core(
            colour_view, feedback, embeddings, output,
            projection_in=self.parameterAsFile(parameters, self.P_PROJECTION, context) or None,
            projection_out=saved, sample_size=self.parameterAsInt(parameters, self.P_SAMPLE, context))
        feedback.pushInfo(self.tr("Share of the variance shown: {0:.1f} %").format(100 * sum(projection.explained)))
        results = self.publish_outputs({"colour_view": output}, {
            "colour_view": OutputSpec(self.P_OUTPUT, STYLE_COLOUR_VIEW, self.tr("Colour view"))}, context, feedback)
        results[self.P_OUTPUT_PROJECTION] = saved
        return results
