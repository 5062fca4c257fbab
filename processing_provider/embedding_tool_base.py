"""What the embedding tools' algorithms share: the embeddings input, example layers, running the core."""
from __future__ import annotations

from typing import Any, Callable, Dict, Optional

from qgis.core import QgsProcessingParameterNumber, QgsProcessingParameterRasterLayer
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP

from .base import GROUP_EMBEDDINGS, PlanauraAlgorithm, ProcessingFeedbackAdapter

CONTEXT = "EmbeddingToolAlgorithm"


class EmbeddingToolAlgorithm(PlanauraAlgorithm):
    """Base of Embedding colour view, Similarity search, Embedding clusters and Classes from examples."""

    GROUP_ID = GROUP_EMBEDDINGS
    ICON = "embeddings.svg"

    P_INPUT, _INPUT = "INPUT", QT_TRANSLATE_NOOP("EmbeddingToolAlgorithm", "Embeddings")
    P_SAMPLE, _SAMPLE = "SAMPLE_SIZE", QT_TRANSLATE_NOOP("EmbeddingToolAlgorithm", "Sample size (pixels)")
    _INPUT_HELP = QT_TRANSLATE_NOOP(
        "EmbeddingToolAlgorithm",
        "The output of Planaura embeddings (at the model's stride or upsampled), or any multi-band raster whose "
        "pixels are feature vectors. Pixels that are nodata in any band stay nodata. It is read in strips of "
        "rows, so large rasters need little memory.")
    _SAMPLE_HELP = QT_TRANSLATE_NOOP(
        "EmbeddingToolAlgorithm", "Valid pixels drawn at random (the same for the same raster) to fit on.")

    NEEDS_SKLEARN = True  # PCA, clusters, classifiers: scikit-learn (an optional dependency of the plugin)

    def checkParameterValues(self, parameters: Dict[str, Any], context):  # noqa: N802 - QGIS API
        """Before the run: scikit-learn must be installed (Settings ▸ Install dependencies installs it)."""
        ok, message = super().checkParameterValues(parameters, context)
        if ok and self.NEEDS_SKLEARN:
            from .optional_packages import missing_package_message

            missing = missing_package_message("sklearn", self.displayName())
            if missing:
                return False, missing
        return ok, message

    def ctr(self, text: str) -> str:
        """Translate a string of this base class."""
        from qgis.PyQt.QtCore import QCoreApplication

        return QCoreApplication.translate(CONTEXT, text)

    def add_input(self) -> None:
        self.addParameter(QgsProcessingParameterRasterLayer(self.P_INPUT, self.ctr(self._INPUT)))

    def add_sample_size(self, default: int = 20000) -> None:
        self.advanced(QgsProcessingParameterNumber(self.P_SAMPLE, self.ctr(self._SAMPLE),
                                                   type=QgsProcessingParameterNumber.Integer, defaultValue=default,
                                                   minValue=10))

    def input_path(self, parameters: Dict[str, Any], context) -> str:
        return self.raster_path(parameters, self.P_INPUT, context, self.ctr(self._INPUT)) or ""

    def vector_file(self, parameters: Dict[str, Any], name: str, context, feedback) -> Optional[str]:
        """A file OGR reads holding the features of a vector parameter (the layer's own file and sublayer when it is
        one: ``file|layername=name`` or ``file|layerid=n``)."""
        if not parameters.get(name):
            return None
        # QGIS hands back only the file name of a sublayer named by its index ('file.gpkg|layerid=1'): the
        # core would read the file's first layer, so such a layer is exported to a file of its own
        formats = [] if self.sublayer_by_index(parameters, name, context) else ["gpkg", "shp"]
        path = self.parameterAsCompatibleSourceLayerPath(parameters, name, context, formats, "gpkg", feedback)
        return path or None  # '|layername=' kept: the core opens that layer of the file

    def sublayer_by_index(self, parameters: Dict[str, Any], name: str, context) -> bool:
        """Whether the vector parameter is an OGR layer named by a sublayer index above 0 and no layer name."""
        from qgis.core import QgsProviderRegistry

        layer = self.parameterAsVectorLayer(parameters, name, context)
        if layer is None or layer.providerType() != "ogr":
            return False
        parts = QgsProviderRegistry.instance().decodeUri("ogr", layer.source())
        index = str(parts.get("layerId") if parts.get("layerId") is not None else "0")
        return not parts.get("layerName") and index.isdigit() and int(index) > 0

    def call_core(self, function: Callable[..., Any], feedback, *args: Any, **kwargs: Any) -> Any:
        """Run a core function with the adapted feedback; its errors become QgsProcessingException."""
        adapter = ProcessingFeedbackAdapter(feedback)
        with self.core_errors(feedback):
            return function(*args, feedback=adapter, **kwargs)

    def raster_output(self, parameters: Dict[str, Any], name: str, context) -> str:
        """A raster destination's path (a temporary .tif when left empty)."""
        return self.output_path(parameters, name, context) or \
            self.parameterDefinition(name).generateTemporaryDestination()
