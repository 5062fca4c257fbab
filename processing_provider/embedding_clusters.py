"""``planaura:embeddingclusters``: k-means or HDBSCAN clusters of the embeddings, centres saved for reuse."""
from __future__ import annotations

from typing import Any, Dict

from qgis.core import (
    QgsProcessingOutputNumber,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFile,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterNumber,
    QgsProcessingParameterRasterDestination,
)
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP

from .base import OutputSpec
from .embedding_styles import STYLE_EMBEDDING_CLASSES
from .embedding_tool_base import EmbeddingToolAlgorithm

METHODS = ("kmeans", "hdbscan")


class EmbeddingClustersAlgorithm(EmbeddingToolAlgorithm):
    """A paletted cluster raster: clusters fitted on a sample, every pixel given its nearest centre."""

    TR_CONTEXT = "EmbeddingClustersAlgorithm"

    P_METHOD, _METHOD = "METHOD", QT_TRANSLATE_NOOP("EmbeddingClustersAlgorithm", "Method")
    P_CLUSTERS, _CLUSTERS = "CLUSTERS", QT_TRANSLATE_NOOP("EmbeddingClustersAlgorithm",
                                                          "Number of clusters (k-means; 0 = chosen)")
    P_MAX_CLUSTERS, _MAX_CLUSTERS = "MAX_CLUSTERS", QT_TRANSLATE_NOOP(
        "EmbeddingClustersAlgorithm", "Most clusters tried when chosen")
    P_MIN_SIZE, _MIN_SIZE = "MIN_CLUSTER_SIZE", QT_TRANSLATE_NOOP(
        "EmbeddingClustersAlgorithm", "Smallest cluster (HDBSCAN, sample pixels)")
    P_CENTRES, _CENTRES = "CENTRES", QT_TRANSLATE_NOOP("EmbeddingClustersAlgorithm",
                                                       "Centres of an earlier run (JSON)")
    P_OUTPUT, _OUTPUT = "OUTPUT", QT_TRANSLATE_NOOP("EmbeddingClustersAlgorithm", "Clusters")
    P_OUTPUT_CENTRES, _OUTPUT_CENTRES = "OUTPUT_CENTRES", QT_TRANSLATE_NOOP("EmbeddingClustersAlgorithm",
                                                                           "Cluster centres (JSON)")
    O_COUNT, _COUNT = "CLUSTER_COUNT", QT_TRANSLATE_NOOP("EmbeddingClustersAlgorithm", "Number of clusters")

    def name(self) -> str:
        return "embeddingclusters"

    def displayName(self) -> str:  # noqa: N802 - QGIS API
        return self.tr("Embedding clusters")

    def shortDescription(self) -> str:  # noqa: N802 - QGIS API
        return self.tr("Groups of pixels with alike embeddings (k-means or HDBSCAN), as a paletted raster.")

    def shortHelpString(self) -> str:  # noqa: N802 - QGIS API
        intro = self.tr(
            "Fits clusters on a random sample of valid pixels, then gives every pixel the cluster of the nearest "
            "centre (Euclidean distance). k-means makes the number of clusters asked; with 0, the number from 2 "
            "to the most tried with the highest silhouette coefficient on the sample (compact, well separated "
            "clusters). HDBSCAN finds the number itself from the density of the sample; each cluster's centre is "
            "the mean of its sample pixels.")
        params = [
            (self.ctr(self._INPUT), self.ctr(self._INPUT_HELP)),
            (self.tr(self._METHOD), self.tr("k-means or HDBSCAN (above).")),
            (self.tr(self._CLUSTERS), self.tr("For k-means: the number of clusters, or 0 to choose it by silhouette.")),
            (self.tr(self._MAX_CLUSTERS), self.tr("The numbers of clusters tried when it is chosen: 2 to this.")),
            (self.tr(self._MIN_SIZE), self.tr(
                "For HDBSCAN: the fewest sample pixels a cluster has; smaller groups are noise, given to the nearest "
                "cluster.")),
            (self.tr(self._CENTRES), self.tr(
                "Centres saved by an earlier run: every pixel goes to the nearest of them, no fitting (embeddings "
                "of the same model and dimensions, e.g. another date).")),
            (self.ctr(self._SAMPLE), self.ctr(self._SAMPLE_HELP)),
        ]
        outputs = [
            (self.tr(self._OUTPUT), self.tr("A byte GeoTIFF of clusters 1, 2, ... with a colour table, nodata 0.")),
            (self.tr(self._OUTPUT_CENTRES), self.tr("The centres as JSON, to assign another image to them.")),
        ]
        return self.help_html(intro, params, outputs, weights=False)

    def initAlgorithm(self, config=None):  # noqa: N802 - QGIS API
        self.add_input()
        self.addParameter(QgsProcessingParameterEnum(self.P_METHOD, self.tr(self._METHOD), ["k-means", "HDBSCAN"],
                                                     defaultValue=0))
        self.addParameter(QgsProcessingParameterNumber(self.P_CLUSTERS, self.tr(self._CLUSTERS),
                                                       type=QgsProcessingParameterNumber.Integer, defaultValue=0,
                                                       minValue=0, maxValue=254))
        self.advanced(QgsProcessingParameterNumber(self.P_MAX_CLUSTERS, self.tr(self._MAX_CLUSTERS),
                                                   type=QgsProcessingParameterNumber.Integer, defaultValue=10,
                                                   minValue=2, maxValue=254))
        self.advanced(QgsProcessingParameterNumber(self.P_MIN_SIZE, self.tr(self._MIN_SIZE),
                                                   type=QgsProcessingParameterNumber.Integer, defaultValue=50,
                                                   minValue=2))
        self.addParameter(QgsProcessingParameterFile(self.P_CENTRES, self.tr(self._CENTRES), extension="json",
                                                     optional=True))
        self.add_sample_size()
        self.addParameter(QgsProcessingParameterRasterDestination(self.P_OUTPUT, self.tr(self._OUTPUT)))
        self.addParameter(QgsProcessingParameterFileDestination(
            self.P_OUTPUT_CENTRES, self.tr(self._OUTPUT_CENTRES), fileFilter=self.tr("JSON (*.json)"),
            optional=True, createByDefault=False))
        self.addOutput(QgsProcessingOutputNumber(self.O_COUNT, self.tr(self._COUNT)))

    def processAlgorithm(self, parameters: Dict[str, Any], context, feedback) -> Dict[str, Any]:  # noqa: N802
        from ..planaura_plugin.embedding_tools.clusters import cluster_map

        embeddings = self.input_path(parameters, context)
        output = self.raster_output(parameters, self.P_OUTPUT, context)
        saved = self.file_output_path(parameters, self.P_OUTPUT_CENTRES, context)
        most = self.parameterAsInt(parameters, self.P_MAX_CLUSTERS, context)
        model = self.call_core(
            cluster_map, feedback, embeddings, output,
            method=METHODS[self.parameterAsEnum(parameters, self.P_METHOD, context)],
            k=self.parameterAsInt(parameters, self.P_CLUSTERS, context), k_range=range(2, most + 1),
            centres_in=self.parameterAsFile(parameters, self.P_CENTRES, context) or None, centres_out=saved,
            sample_size=self.parameterAsInt(parameters, self.P_SAMPLE, context),
            min_cluster_size=self.parameterAsInt(parameters, self.P_MIN_SIZE, context))
        results = self.publish_outputs({"clusters": output}, {
            "clusters": OutputSpec(self.P_OUTPUT, STYLE_EMBEDDING_CLASSES, self.tr("Clusters"))}, context, feedback)
        results.update({self.P_OUTPUT_CENTRES: saved, self.O_COUNT: len(model.centres)})
        return results
