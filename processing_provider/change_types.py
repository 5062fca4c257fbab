"""``planaura:changetypes``: the changed pixels of a pair grouped into change types (HDBSCAN).

The algorithm reuses the pair parameters of ``planaura:changemap`` (images, bands, model, tiling,
extent, device: :meth:`ChangeMapAlgorithm.add_pair_parameters`) and hands the pair to the core's
:func:`planaura_plugin.analysis.change_types.change_types_of_pair`.
"""
from __future__ import annotations

import os
from dataclasses import replace
from typing import Any, Dict, Tuple

from qgis.core import (
    QgsProcessingException,
    QgsProcessingOutputFile,
    QgsProcessingOutputNumber,
    QgsProcessingParameterFile,
    QgsProcessingParameterNumber,
    QgsProcessingParameterRasterDestination,
)
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP

from ..planaura_plugin.analysis.change_types import DEFAULT_COMPONENTS
from ..planaura_plugin.products import PRODUCTS
from .base import OutputSpec, require_torch
from .change_map import ChangeMapAlgorithm
from .product_layers import pair_layer_name, product_label

TYPES = PRODUCTS["change_types"]  # output parameter, label, style, layer name, the .types.json beside it


class ChangeTypesAlgorithm(ChangeMapAlgorithm):
    """Clusters of the embedding differences of the changed pixels of a pair: a raster of change types."""

    TR_CONTEXT = "ChangeTypesAlgorithm"
    ICON = "planaura.svg"

    P_MAX_SIMILARITY, _MAX_SIMILARITY = "MAX_SIMILARITY", QT_TRANSLATE_NOOP(
        "ChangeTypesAlgorithm", "Largest cosine of a changed pixel (max_similarity)")
    P_MIN_CLUSTER_SIZE, _MIN_CLUSTER_SIZE = "MIN_CLUSTER_SIZE", QT_TRANSLATE_NOOP(
        "ChangeTypesAlgorithm", "Smallest change type (min_cluster_size, pixels of the sample)")
    P_COMPONENTS, _COMPONENTS = "COMPONENTS", QT_TRANSLATE_NOOP(
        "ChangeTypesAlgorithm", "Principal components clustered (0 = all embedding channels)")
    P_SEED, _SEED = "SEED", QT_TRANSLATE_NOOP("ChangeTypesAlgorithm", "Random seed of the sample")
    P_TYPES, _TYPES = "TYPES", QT_TRANSLATE_NOOP(
        "ChangeTypesAlgorithm", "Change types of an earlier run (.types.json)")
    P_OUTPUT = TYPES.parameter
    O_TYPES_FILE, _TYPES_FILE = "OUTPUT_TYPES", QT_TRANSLATE_NOOP(
        "ChangeTypesAlgorithm", "Change types file (JSON)")
    O_COUNT, _COUNT = "TYPE_COUNT", QT_TRANSLATE_NOOP("ChangeTypesAlgorithm", "Number of change types")

    def name(self) -> str:
        return "changetypes"

    def displayName(self) -> str:  # noqa: N802 - QGIS API
        return self.tr("Change types")

    def shortDescription(self) -> str:  # noqa: N802 - QGIS API
        return self.tr("Groups the changed pixels of a pair into types of change (HDBSCAN on embedding differences).")

    def shortHelpString(self) -> str:  # noqa: N802 - QGIS API
        intro = self.tr(
            "Runs the pair through the Planaura encoder as Planaura change map does, then groups the changed "
            "pixels (16 px patches in fast mode) by the kind of their change: each pixel whose cosine is below "
            "the largest cosine gets the difference of its two embeddings (after minus before, the "
            "information the cosine leaves out), and these directions are clustered with HDBSCAN "
            "(scikit-learn). A burn scar, a clearing and a flooded field give different types. At most "
            "20 000 changed pixels, drawn with the seed, are clustered; every changed pixel is then given "
            "the nearest type, or -1 (noise) when it is far from all. The same seed gives the same types.")
        params = self.pair_parameters_help(fmasks=False)
        params += [
            (self.tr(self._MAX_SIMILARITY), self.tr(
                "Patches of the model's stride (16 x 16 px; single pixels in dense mode) whose cosine of their "
                "embeddings is below this are changed and get a type; the others are nodata (upstream's "
                "change_map.cluster.max_similarity, default 0.6). Types are whole patches, also on an upsampled "
                "grid, so they do not follow the upsampled change map pixel for pixel.")),
            (self.tr(self._MIN_CLUSTER_SIZE), self.tr(
                "HDBSCAN's min_cluster_size: a type needs at least this many pixels of the sample (upstream's "
                "change_map.cluster.min_cluster_size, default 20). Larger values give fewer, broader types.")),
            (self.tr(self._COMPONENTS), self.tr(
                "The change directions are projected on their first principal components (PCA of the sample) "
                "before HDBSCAN groups them (default 16): in 768 channels the distances of the raw directions "
                "are all alike and kinds of change merge or become noise. The types themselves (mean "
                "direction, radius) are kept in the full embedding space. 0 clusters all channels.")),
            (self.tr(self._SEED), self.tr("Which changed pixels are sampled for the clustering.")),
            (self.tr(self._TYPES), self.tr(
                "The .types.json written beside the change types of an earlier run: no clustering, the "
                "changed pixels are given those types (same model and embedding channels), so that type 0 "
                "means the same change in both runs.")),
        ]
        outputs = [
            (product_label(TYPES.key), self.tr(
                "int16 change type per pixel on the grid of the change map: 0, 1, ... (largest type first), "
                "-1 changed but of no type (noise), nodata -100 where there is no change or no data. Styled "
                "with one colour per type, noise grey.")),
            (self.tr(self._TYPES_FILE), self.tr(
                "<output>.types.json: per type its mean embedding difference, mean direction, radius, pixels "
                "and area in hectares; give it as the earlier run's types to another run.")),
        ]
        return self.help_html(intro, params, outputs)

    def initAlgorithm(self, config=None):  # noqa: N802 - QGIS API
        self.add_pair_parameters(fmasks=False)
        self.addParameter(QgsProcessingParameterNumber(
            self.P_MAX_SIMILARITY, self.tr(self._MAX_SIMILARITY), type=QgsProcessingParameterNumber.Double,
            defaultValue=0.6, minValue=-1.0, maxValue=1.0))
        self.addParameter(QgsProcessingParameterNumber(
            self.P_MIN_CLUSTER_SIZE, self.tr(self._MIN_CLUSTER_SIZE), type=QgsProcessingParameterNumber.Integer,
            defaultValue=20, minValue=2))
        self.advanced(QgsProcessingParameterNumber(self.P_COMPONENTS, self.tr(self._COMPONENTS),
                                                   type=QgsProcessingParameterNumber.Integer,
                                                   defaultValue=DEFAULT_COMPONENTS, minValue=0))
        self.advanced(QgsProcessingParameterNumber(self.P_SEED, self.tr(self._SEED),
                                                   type=QgsProcessingParameterNumber.Integer, defaultValue=0,
                                                   minValue=0))
        self.addParameter(QgsProcessingParameterFile(
            self.P_TYPES, self.tr(self._TYPES), behavior=QgsProcessingParameterFile.File,
            fileFilter=self.tr("Change types (*.types.json *.json)"), optional=True))
        self.addParameter(QgsProcessingParameterRasterDestination(self.P_OUTPUT, product_label(TYPES.key)))
        self.addOutput(QgsProcessingOutputFile(self.O_TYPES_FILE, self.tr(self._TYPES_FILE)))
        self.addOutput(QgsProcessingOutputNumber(self.O_COUNT, self.tr(self._COUNT)))

    def processAlgorithm(self, parameters: Dict[str, Any], context, feedback) -> Dict[str, Any]:  # noqa: N802
        require_torch()
        from ..planaura_plugin.analysis.change_types import change_types_of_pair

        request = self.pair_request(parameters, context, feedback, fmasks=False)
        types_in = (self.parameterAsFile(parameters, self.P_TYPES, context) or "").strip() or None
        if types_in and not os.path.isfile(types_in):
            raise QgsProcessingException(self.tr(
                "Change types of an earlier run: {0} does not exist; give the .types.json written beside that "
                "run's change types, or leave the parameter empty to find new types.").format(types_in))
        output = self.output_path(parameters, self.P_OUTPUT, context)
        if not output:
            output = self.parameterDefinition(self.P_OUTPUT).generateTemporaryDestination()
        with self.core_errors(feedback):
            request = replace(request, model=self.resolve_weights(request.model, feedback))
        max_similarity = self.parameterAsDouble(parameters, self.P_MAX_SIMILARITY, context)
        min_size = self.parameterAsInt(parameters, self.P_MIN_CLUSTER_SIZE, context)
        seed = self.parameterAsInt(parameters, self.P_SEED, context)
        components = self.parameterAsInt(parameters, self.P_COMPONENTS, context)

        def job(req, fb):
            return change_types_of_pair(req, output, max_similarity, min_size, seed=seed, types_in=types_in,
                                        feedback=fb, components=components)

        written = self.run_core(job, request, feedback)
        if not written.get(TYPES.key):
            raise self.nothing_written(self.tr("No tile could be processed: no change types were written.")
                                       + f" ({request.inputs[0]}, {request.inputs[1]})")
        types = self.types_count(written.get("types", ""))
        feedback.pushInfo(self.tr("{0} change type(s) in {1}").format(types, written[TYPES.key]))
        specs = {TYPES.key: OutputSpec(self.P_OUTPUT, TYPES.style, pair_layer_name(TYPES.key, *self.days(request)),
                                       companion=TYPES.companion)}
        results = self.publish_outputs(written, specs, context, feedback)
        results[self.O_TYPES_FILE] = written.get("types")
        results[self.O_COUNT] = types
        return results

    @staticmethod
    def types_count(path: str) -> int:
        """Number of types in a types JSON (0 when it cannot be read)."""
        import json

        try:
            with open(path, encoding="utf-8") as handle:
                return len(json.load(handle).get("types") or [])
        except (OSError, ValueError, AttributeError):
            return 0

    def days(self, request) -> Tuple[str, str]:
        """('2021-09-07', '2022-09-02') from the images' names (their file names when no date is found)."""
        from .base import single_date
        from .input_labels import undated_label

        first, last = request.inputs[0], request.inputs[-1]
        return (single_date(first, request.date_regex) or undated_label(first, "before"),
                single_date(last, request.date_regex) or undated_label(last, "after"))
