"""``planaura:catalogchangemap``: a change map from a STAC catalogue, from an area and two date windows."""
from __future__ import annotations

from typing import Any, Dict

from qgis.core import (
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterFolderDestination,
    QgsProcessingParameterNumber,
    QgsProcessingParameterRasterDestination,
    QgsProcessingParameterString,
)
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP

from ..planaura_plugin.products import product_of, request_fields
from .base import STRIDES, OutputSpec, PlanauraAlgorithm, require_torch
from .catalog_common import CatalogParameters
from .change_map import quality_companion_path
from .product_layers import output_parameters, pair_layer_name, product_label


class CatalogChangeMapAlgorithm(CatalogParameters, PlanauraAlgorithm):
    """The clearest usable scene of each window, read where it lies, then the ordinary change map."""

    TR_CONTEXT = "CatalogChangeMapAlgorithm"
    ICON = "changemap.svg"
    WINDOWS = (("BEFORE_START", QT_TRANSLATE_NOOP("CatalogChangeMapAlgorithm", "Before: from (YYYY-MM-DD)")),
               ("BEFORE_END", QT_TRANSLATE_NOOP("CatalogChangeMapAlgorithm", "Before: to (YYYY-MM-DD)")),
               ("AFTER_START", QT_TRANSLATE_NOOP("CatalogChangeMapAlgorithm", "After: from (YYYY-MM-DD)")),
               ("AFTER_END", QT_TRANSLATE_NOOP("CatalogChangeMapAlgorithm", "After: to (YYYY-MM-DD)")))
    P_BEFORE_ID, _BEFORE_ID = "BEFORE_ID", QT_TRANSLATE_NOOP("CatalogChangeMapAlgorithm",
                                                             "Before scene id (instead of the clearest)")
    P_AFTER_ID, _AFTER_ID = "AFTER_ID", QT_TRANSLATE_NOOP("CatalogChangeMapAlgorithm",
                                                          "After scene id (instead of the clearest)")
    P_MIN_VALID_AOI, _MIN_VALID_AOI = "MIN_VALID_AOI", QT_TRANSLATE_NOOP(
        "CatalogChangeMapAlgorithm", "Minimum valid share of the area (%)")
    P_DOWNLOAD, _DOWNLOAD = "DOWNLOAD_FOLDER", QT_TRANSLATE_NOOP(
        "CatalogChangeMapAlgorithm", "Local copy of the area's data (folder; empty = read over the network)")
    P_SCENES, _SCENES = "SCENES_TABLE", QT_TRANSLATE_NOOP("CatalogChangeMapAlgorithm", "Chosen scenes (table)")
    P_OUTPUT = "OUTPUT"

    def name(self) -> str:
        return "catalogchangemap"

    def displayName(self) -> str:  # noqa: N802 - QGIS API
        return self.tr("Change map from a catalogue")

    def shortDescription(self) -> str:  # noqa: N802 - QGIS API
        return self.tr("The clearest scene of a before and an after window from a STAC catalogue, then the "
                       "change map; nothing downloaded whole.")

    def shortHelpString(self) -> str:  # noqa: N802 - QGIS API
        intro = self.tr(
            "Searches the catalogue for each window, measures each scene's cloud over the area from its quality "
            "layer (read over the area only), takes the clearest usable scene of each window, assembles its six "
            "bands as a VRT of the catalogue's files (read over HTTP, only the blocks the area needs; offsets "
            "and scales from the item) and runs the change map on the area, with the scene's Fmask or SCL as "
            "its quality. The chosen scenes are written as a table; the VRTs stay in a 'scenes' folder beside it.")
        params = self.catalog_parameters_help() + [
            (" / ".join(self.tr(label) for _key, label in self.WINDOWS), self.tr("The two date windows.")),
            (self.tr(self._BEFORE_ID) + " / " + self.tr(self._AFTER_ID), self.tr(
                "Optional: an item id to use instead of the clearest scene of its window (for models).")),
            (self.tr(self._MIN_VALID_AOI), self.tr(
                "A scene is usable when at least this share of the area has data (and its cloud is at most the "
                "maximum above); the clearest usable scene of each window is taken.")),
            (self.tr(self._DOWNLOAD), self.tr(
                "Optional: a folder where the data the run reads (the area and one model tile around it, and its "
                "quality layer) is copied first, as GeoTIFFs named after the items, for a later run without network.")),
        ] + self.model_parameters_help() + self.stride_parameters_help() + self.device_parameters_help()
        outputs = [(product_label(kind), self.tr("As in Planaura change map.")) for kind, _key in output_parameters()]
        outputs.append((self.tr(self._SCENES), self.tr(
            "CSV: role, item id, collection, date, sensor, tile, scene cloud (%), cloud and valid share over the "
            "area, item URL, band URLs.")))
        return self.help_html(intro, params, outputs)

    def initAlgorithm(self, config=None):  # noqa: N802 - QGIS API
        self.add_catalog_parameters()
        for key, label in self.WINDOWS:
            self.addParameter(QgsProcessingParameterString(key, self.tr(label)))
        for key, label in ((self.P_BEFORE_ID, self._BEFORE_ID), (self.P_AFTER_ID, self._AFTER_ID)):
            self.addParameter(QgsProcessingParameterString(key, self.tr(label), optional=True))
        self.add_max_cloud(20.0)
        self.addParameter(QgsProcessingParameterNumber(self.P_MIN_VALID_AOI, self.tr(self._MIN_VALID_AOI),
                                                       type=QgsProcessingParameterNumber.Double, defaultValue=70.0,
                                                       minValue=0.0, maxValue=100.0))
        self.add_model_parameters()
        self.add_stride_parameters()
        self.add_device_parameters()
        for kind, key in output_parameters():
            if key == self.P_OUTPUT:
                self.addParameter(QgsProcessingParameterRasterDestination(key, product_label(kind)))
            else:
                self.addParameter(QgsProcessingParameterRasterDestination(key, product_label(kind), optional=True,
                                                                          createByDefault=False))
        self.addParameter(QgsProcessingParameterFolderDestination(self.P_DOWNLOAD, self.tr(self._DOWNLOAD),
                                                                  optional=True, createByDefault=False))
        self.addParameter(QgsProcessingParameterFileDestination(self.P_SCENES, self.tr(self._SCENES),
                                                                fileFilter="CSV (*.csv)"))

    def catalog_request(self, parameters: Dict[str, Any], context, feedback) -> Any:
        """The core's CatalogChangeRequest of the parameters (outputs and weights resolved)."""
        from ..planaura_plugin.catalog.access import earthdata_token
        from ..planaura_plugin.catalog.change_pair import CatalogChangeRequest
        from ..planaura_plugin.pipeline.requests import ChangeMapOutputs

        catalogue, collections = self.catalogue(parameters, context)
        days = [self.date_value(parameters, key, self.tr(label), context) for key, label in self.WINDOWS]
        stride = STRIDES[self.parameterAsEnum(parameters, self.P_STRIDE, context)]
        spec, _regex = self.model_spec(parameters, context, feedback, num_frames=2, patch_stride=stride)
        out = {kind: self.output_path(parameters, key, context) for kind, key in output_parameters()}
        if not out["cosine_map"]:
            out["cosine_map"] = self.parameterDefinition(self.P_OUTPUT).generateTemporaryDestination()
        if not out["quality_fmask"]:
            out["quality_fmask"] = quality_companion_path(out["cosine_map"])
        with self.core_errors(feedback):
            spec = self.resolve_weights(spec, feedback)
        return CatalogChangeRequest(
            catalogue=catalogue, aoi=self.aoi(parameters, context), before=(days[0], days[1]),
            after=(days[2], days[3]), outputs=ChangeMapOutputs(**request_fields(out)),
            scenes_table=self.parameterAsFileOutput(parameters, self.P_SCENES, context), model=spec,
            collections=collections, patch_stride=stride,
            before_id=(self.parameterAsString(parameters, self.P_BEFORE_ID, context) or "").strip(),
            after_id=(self.parameterAsString(parameters, self.P_AFTER_ID, context) or "").strip(),
            token=earthdata_token() if catalogue.earthdata else None,
            max_cloud=self.parameterAsDouble(parameters, self.P_MAX_CLOUD, context) / 100.0,
            min_valid=self.parameterAsDouble(parameters, self.P_MIN_VALID_AOI, context) / 100.0,
            download_folder=self.parameterAsFileOutput(parameters, self.P_DOWNLOAD, context) or None)

    def processAlgorithm(self, parameters: Dict[str, Any], context, feedback) -> Dict[str, Any]:  # noqa: N802
        require_torch()
        from ..planaura_plugin.catalog.change_pair import catalog_change_map
        from .layer_publishing import written_dates

        request = self.catalog_request(parameters, context, feedback)
        written = self.run_core(catalog_change_map, request, feedback)
        table = written.pop("scenes_table", "")
        if not written.get("cosine_map"):
            raise self.nothing_written(self.tr("No tile could be processed: no change map was written."))
        recorded = (written_dates(written["cosine_map"]) + [None, None])[:2]
        day0, day1 = (day or "?" for day in recorded)
        specs = {kind: OutputSpec(key, product_of(kind).style, pair_layer_name(kind, day0, day1),
                                  companion=product_of(kind).companion)
                 for kind, key in output_parameters()}
        results = self.publish_outputs(written, specs, context, feedback)
        results[self.P_SCENES] = table
        return results
