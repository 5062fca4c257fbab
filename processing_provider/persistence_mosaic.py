"""``planaura:persistencemosaic``: many change maps merged onto one grid, the largest cosine winning."""
from __future__ import annotations

import os
import tempfile
from typing import Any, Dict, List, Optional, Tuple

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingParameterCrs,
    QgsProcessingParameterMultipleLayers,
    QgsProcessingParameterNumber,
    QgsProcessingParameterRasterDestination,
    QgsProcessingParameterString,
    QgsProcessingUtils,
)
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP

from ..planaura_plugin.products import product_of, split_kind
from .base import GROUP_CHANGE, OutputSpec, PlanauraAlgorithm
from .product_layers import mosaic_label, mosaic_layer_name, mosaic_output_parameters

SUGGESTED_TARGET_CRS = "EPSG:3979"  # Canada Atlas Lambert, upstream's default: offered in the help, not imposed
ARROW = "\u2192"


def inputs_crs(paths: List[str]) -> Tuple[Optional[str], List[str]]:
    """The first change map's CRS (``EPSG:n`` when it is exactly that code, else its WKT) and the names of
    the distinct CRSs of all of them (``EPSG:n`` or the CRS's name), in order.

    Args:
        paths: the change maps (GDAL dataset names).

    Returns:
        (the first map's CRS, or None when no map has one; the distinct CRSs as names for messages).
    """
    from osgeo import gdal

    from ..planaura_plugin.gdal_calls import epsg_code, gdal_call, spatial_reference

    found: List[Tuple[str, str, object]] = []
    for path in paths:
        ds, _reason = gdal_call(gdal.Open, str(path))  # an unreadable map is refused later, naming it
        wkt = ds.GetProjection() if ds is not None else ""
        srs, _reason = spatial_reference(wkt)
        if srs is None:
            continue
        code = epsg_code(srs)  # None for a CRS without an EPSG code (HLS's own UTM WKT), in either GDAL state
        if not any(srs.IsSame(other) for _v, _n, other in found):
            found.append((f"EPSG:{code}" if code else wkt, f"EPSG:{code}" if code else srs.GetName(), srs))
    return (found[0][0] if found else None), [name for _v, name, _srs in found]


def pair_dates_label(cosine_map: str) -> Optional[str]:
    """'2021-09-07 \u2192 2022-09-02' from the PLANAURA_DATES a change map carries, or None without them."""
    from ..planaura_plugin.dates import format_date
    from ..planaura_plugin.pipeline.metadata import DATES, read_metadata

    dates = read_metadata(cosine_map).get(DATES) if cosine_map else None
    if not isinstance(dates, list) or len(dates) < 2 or any(not isinstance(d, int) for d in dates):
        return None
    try:
        return f" {ARROW} ".join(format_date(d) for d in dates)
    except ValueError:
        return None


class PersistenceMosaicAlgorithm(PlanauraAlgorithm):
    """Upstream's persistence mosaic of per-pair change maps, with their companion layers."""

    TR_CONTEXT = "PersistenceMosaicAlgorithm"
    GROUP_ID = GROUP_CHANGE
    ICON = "mosaic.svg"

    P_CHANGE_MAPS, _CHANGE_MAPS = "CHANGE_MAPS", QT_TRANSLATE_NOOP("PersistenceMosaicAlgorithm",
                                                                   "Change maps (cosine maps)")
    P_BEFORE_DATES, _BEFORE_DATES = "BEFORE_DATES", QT_TRANSLATE_NOOP("PersistenceMosaicAlgorithm",
                                                                      "Before dates (same order)")
    P_AFTER_DATES, _AFTER_DATES = "AFTER_DATES", QT_TRANSLATE_NOOP("PersistenceMosaicAlgorithm",
                                                                   "After dates (same order)")
    P_QUALITY, _QUALITY = "QUALITY", QT_TRANSLATE_NOOP("PersistenceMosaicAlgorithm",
                                                       "Quality layers (same order)")
    P_BEFORE_INPUTS, _BEFORE_INPUTS = "BEFORE_INPUTS", QT_TRANSLATE_NOOP(
        "PersistenceMosaicAlgorithm", "Before images (same order)")
    P_AFTER_INPUTS, _AFTER_INPUTS = "AFTER_INPUTS", QT_TRANSLATE_NOOP(
        "PersistenceMosaicAlgorithm", "After images (same order)")
    P_EMBEDDINGS_BEFORE, _EMBEDDINGS_BEFORE = "EMBEDDINGS_BEFORE", QT_TRANSLATE_NOOP(
        "PersistenceMosaicAlgorithm", "Embeddings of the before images (same order)")
    P_EMBEDDINGS_AFTER, _EMBEDDINGS_AFTER = "EMBEDDINGS_AFTER", QT_TRANSLATE_NOOP(
        "PersistenceMosaicAlgorithm", "Embeddings of the after images (same order)")
    P_INPUT_IMAGES, _INPUT_IMAGES = "INPUT_IMAGES", QT_TRANSLATE_NOOP(
        "PersistenceMosaicAlgorithm", "Input images searched by date")
    P_DATE_REGEX, _DATE_REGEX = "DATE_REGEX", QT_TRANSLATE_NOOP(
        "PersistenceMosaicAlgorithm", "Date regular expression of the input images")
    P_TARGET_CRS, _TARGET_CRS = "TARGET_CRS", QT_TRANSLATE_NOOP("PersistenceMosaicAlgorithm", "Target CRS")
    P_TARGET_RESOLUTION, _TARGET_RESOLUTION = "TARGET_RESOLUTION", QT_TRANSLATE_NOOP(
        "PersistenceMosaicAlgorithm", "Target resolution (target CRS units)")

    # optional per-pair lists: parameter -> attribute of the core's MosaicInputs (frame for embeddings)
    COMPANION_LISTS = (("BEFORE_DATES", "before_date"), ("AFTER_DATES", "after_date"), ("QUALITY", "quality_fmask"),
                       ("BEFORE_INPUTS", "before_input"), ("AFTER_INPUTS", "after_input"),
                       ("EMBEDDINGS_BEFORE", 0), ("EMBEDDINGS_AFTER", 1))
    # output parameter -> mosaic kind, from the product registry (the first two are always written)
    OUTPUT_KINDS = tuple(mosaic_output_parameters())
    REQUIRED_OUTPUTS = 2
    # what each product holds, for the help (labels come from the registry); products with the same text
    # (the two dates, the two images, the two embeddings) are described together
    _DATES_HELP = QT_TRANSLATE_NOOP("PersistenceMosaicAlgorithm", "int32 YYYYDDD dates of the winning pair.")
    _INPUTS_HELP = QT_TRANSLATE_NOOP("PersistenceMosaicAlgorithm", "int16 6-band images of the winning pair's dates.")
    OUTPUT_HELP = {
        "cosine_map": QT_TRANSLATE_NOOP("PersistenceMosaicAlgorithm", "float32 cosine of the winning pair (can "
                                        "slightly exceed 1 after cubic resampling), nodata -100."),
        "persistence": QT_TRANSLATE_NOOP("PersistenceMosaicAlgorithm",
                                         "uint16 number of pairs with a value at the pixel, nodata 0."),
        "before_date": _DATES_HELP, "after_date": _DATES_HELP,
        "quality_fmask": QT_TRANSLATE_NOOP("PersistenceMosaicAlgorithm",
                                           "uint8 Fmask class of the winning pair, nodata 255."),
        "before_input": _INPUTS_HELP, "after_input": _INPUTS_HELP,
        "feature_maps": QT_TRANSLATE_NOOP("PersistenceMosaicAlgorithm", "float32 embeddings of the winning pair."),
    }

    def name(self) -> str:
        return "persistencemosaic"

    def displayName(self) -> str:  # noqa: N802 - QGIS API
        return self.tr("Persistence mosaic")

    def shortDescription(self) -> str:  # noqa: N802 - QGIS API
        return self.tr("Merge change maps of several pairs; count how many pairs cover each pixel.")

    def shortHelpString(self) -> str:  # noqa: N802 - QGIS API
        intro = self.tr(
            "Merges the change maps of several pairs (other dates, overlapping tiles) onto one grid, as "
            "NRCan's persistence mosaic: per pixel, the pair with the largest cosine (the least change) wins, "
            "so a change that persists in every pair remains, while a change seen in only one pair (a cloud, "
            "a seasonal effect) is replaced. The dates, quality, images and embeddings of the winning pair "
            "follow it. When only change maps are given, their companion layers are found automatically: "
            "by upstream names (before_date!A!B.tif beside cosine_map!A!B.tif) or by the metadata that "
            "Planaura change map writes into its outputs, so a graphical model can chain them.")
        params = [
            (self.tr(self._CHANGE_MAPS), self.tr("The cosine maps of the pairs.")),
            (self.tr(self._BEFORE_DATES) + ", " + self.tr(self._AFTER_DATES) + ", " + self.tr(self._QUALITY),
             self.tr("The date and quality layers of each pair, in the order of the change maps; leave empty "
                     "to use the ones found automatically.")),
            (self.tr(self._BEFORE_INPUTS) + ", " + self.tr(self._AFTER_INPUTS), self.tr(
                "The before and after images of each pair, in the same order; they feed the mosaic images.")),
            (self.tr(self._EMBEDDINGS_BEFORE) + ", " + self.tr(self._EMBEDDINGS_AFTER), self.tr(
                "The embedding rasters of each pair, in the same order.")),
            (self.tr(self._INPUT_IMAGES), self.tr(
                "Images among which the before/after images of each pair are found by date or name.")),
            (self.tr(self._DATE_REGEX), self.tr(
                "Finds the dates in the image names (default: the HLS, then the Sentinel-2 convention).")),
            (self.tr(self._TARGET_CRS), self.tr(
                "CRS of the mosaic. Default: the CRS of the change maps (the first one's when they differ, with "
                "a warning). For change maps in several UTM zones of Canada, EPSG:3979 (Canada Atlas Lambert, "
                "upstream's choice) is a good target.")),
            (self.tr(self._TARGET_RESOLUTION), self.tr(
                "Square pixel size of the mosaic, in the units of the target CRS (default 30; when no value is "
                "given and the target CRS is not in metres, e.g. degrees, the pixel size of the change maps in "
                "those units). A size that the target CRS's units make impossible (e.g. 30 degrees) is refused "
                "with a suggested value.")),
        ]
        outputs = self.outputs_help()
        return self.help_html(intro, params, outputs, weights=False) + "<p>" + self.tr(
            "An output that the pairs cannot provide (e.g. dates without date layers) is an error; optional "
            "outputs left empty are not computed.") + "</p>"

    def initAlgorithm(self, config=None):  # noqa: N802 - QGIS API
        self.addParameter(QgsProcessingParameterMultipleLayers(self.P_CHANGE_MAPS, self.tr(self._CHANGE_MAPS),
                                                               layerType=QgsProcessing.TypeRaster))
        for key, label in ((self.P_BEFORE_DATES, self._BEFORE_DATES), (self.P_AFTER_DATES, self._AFTER_DATES),
                           (self.P_QUALITY, self._QUALITY), (self.P_BEFORE_INPUTS, self._BEFORE_INPUTS),
                           (self.P_AFTER_INPUTS, self._AFTER_INPUTS),
                           (self.P_EMBEDDINGS_BEFORE, self._EMBEDDINGS_BEFORE),
                           (self.P_EMBEDDINGS_AFTER, self._EMBEDDINGS_AFTER),
                           (self.P_INPUT_IMAGES, self._INPUT_IMAGES)):
            self.addParameter(QgsProcessingParameterMultipleLayers(key, self.tr(label),
                                                                   layerType=QgsProcessing.TypeRaster, optional=True))
        self.advanced(QgsProcessingParameterString(self.P_DATE_REGEX, self.tr(self._DATE_REGEX), optional=True))
        # optional, no default: a missing one means the change maps' CRS
        self.addParameter(QgsProcessingParameterCrs(self.P_TARGET_CRS, self.tr(self._TARGET_CRS), optional=True))
        self.addParameter(QgsProcessingParameterNumber(self.P_TARGET_RESOLUTION, self.tr(self._TARGET_RESOLUTION),
                                                       type=QgsProcessingParameterNumber.Double, defaultValue=30.0,
                                                       minValue=1e-9))
        for i, (key, kind) in enumerate(self.OUTPUT_KINDS):
            if i < self.REQUIRED_OUTPUTS:
                self.addParameter(QgsProcessingParameterRasterDestination(key, mosaic_label(kind)))
            else:
                self.addParameter(QgsProcessingParameterRasterDestination(key, mosaic_label(kind), optional=True,
                                                                          createByDefault=False))

    def outputs_help(self) -> List[Tuple[str, str]]:
        """(labels, text) of the outputs in the help, consecutive outputs with the same text on one row.

        Raises:
            KeyError: an output of the registry without a help text here (a new mosaic product).
        """
        rows: List[Tuple[List[str], str]] = []
        for _key, kind in self.OUTPUT_KINDS:
            text = self.OUTPUT_HELP[split_kind(kind)[0].key]
            if rows and rows[-1][1] == text:
                rows[-1][0].append(mosaic_label(kind))
            else:
                rows.append(([mosaic_label(kind)], text))
        return [(", ".join(labels), self.tr(text)) for labels, text in rows]

    def target_crs(self, parameters: Dict[str, Any], context, pairs: List[Any], feedback) -> str:
        """The target CRS as a string GDAL's SetFromUserInput accepts: the one given, else the change maps'.

        Args:
            parameters: the algorithm's parameters.
            context: the processing context.
            pairs: the core's MosaicInputs (their cosine maps, or quality layers, give the inputs' CRS).
            feedback: where the choice is logged (a warning when the change maps' CRSs differ).

        Returns:
            ``EPSG:n`` or WKT.

        Raises:
            QgsProcessingException: an invalid CRS given, or none given and the change maps have none.
        """
        if parameters.get(self.P_TARGET_CRS) in (None, ""):
            maps = [p.cosine_map or p.quality_fmask for p in pairs if p.cosine_map or p.quality_fmask]
            first, distinct = inputs_crs(maps)
            if first is None:
                raise QgsProcessingException(self.tr(
                    "The change maps have no CRS: give the target CRS (e.g. {0}).").format(SUGGESTED_TARGET_CRS))
            if len(distinct) > 1:
                feedback.pushWarning(self.tr(
                    "The change maps are in {0} different CRSs; the mosaic uses the first one's ({1}). Give the "
                    "target CRS to choose another, e.g. {2} (Canada Atlas Lambert) across UTM zones.").format(
                    len(distinct), distinct[0], SUGGESTED_TARGET_CRS))
            else:
                feedback.pushInfo(self.tr("Target CRS: the change maps' ({0}).").format(distinct[0]))
            return first
        crs = self.parameterAsCrs(parameters, self.P_TARGET_CRS, context)
        if not crs.isValid():
            raise QgsProcessingException(self.tr("The target CRS is not valid."))
        authid = crs.authid()
        if authid.upper().startswith("EPSG:"):
            return authid
        return crs.toWkt(QgsCoordinateReferenceSystem.WKT_PREFERRED_GDAL)

    def target_resolution(self, parameters: Dict[str, Any], context) -> Optional[float]:
        """The resolution given, or None when none is (the core then derives it in the target units).

        Args:
            parameters: the algorithm's parameters.
            context: the processing context.

        Returns:
            The resolution in target CRS units, or None.
        """
        if parameters.get(self.P_TARGET_RESOLUTION) in (None, ""):
            return None
        return self.parameterAsDouble(parameters, self.P_TARGET_RESOLUTION, context)

    def mosaic_paths(self, parameters: Dict[str, Any], name: str, context, label: str, feedback) -> List[str]:
        """Files of a multiple-raster parameter as the mosaic core reads them (local files only).

        A layer that is not a plain local file (``/vsizip/``, ``NETCDF:``, ``GPKG:`` table...) is
        read through a VRT written in the processing temporary folder, named after the layer's
        inner file so that its kind (``cosine_map!...``) and date stay in the name.

        Args:
            parameters: the algorithm's parameters.
            name: the parameter's key.
            context: the processing context.
            label: the parameter's label, for messages.
            feedback: where to say which dataset a VRT reads.

        Returns:
            One local file per layer, in the given order.

        Raises:
            QgsProcessingException: a layer GDAL cannot read, or no room for the VRT.
        """
        from ..planaura_plugin.errors import InputError
        from ..planaura_plugin.raster.datasets import is_plain_file, stand_in_vrt

        paths = []
        for dataset in self.raster_paths(parameters, name, context, label):
            if is_plain_file(dataset):
                paths.append(dataset)
                continue
            folder = os.path.join(QgsProcessingUtils.tempFolder(), "planaura_mosaic_sources")
            os.makedirs(folder, exist_ok=True)
            try:
                vrt = stand_in_vrt(dataset, tempfile.mkdtemp(dir=folder))
            except InputError as exc:
                raise QgsProcessingException(f"{label}: {exc}") from exc
            feedback.pushInfo(self.tr("{0}: {1} is read through {2}").format(label, dataset, vrt))
            paths.append(vrt)
        return paths

    def pairs(self, parameters: Dict[str, Any], context, feedback) -> List[Any]:
        """The core's MosaicInputs: found from each change map, then the explicit lists on top."""
        from ..planaura_plugin.errors import InputError
        from ..planaura_plugin.pipeline.mosaic import find_pair_layers
        from ..planaura_plugin.pipeline.requests import MosaicInputs

        maps = self.mosaic_paths(parameters, self.P_CHANGE_MAPS, context, self.tr(self._CHANGE_MAPS), feedback)
        if not maps:
            raise QgsProcessingException(self.tr("Give at least one change map."))
        images = self.mosaic_paths(parameters, self.P_INPUT_IMAGES, context, self.tr(self._INPUT_IMAGES), feedback)
        self.input_images = images
        lists: Dict[str, List[str]] = {}
        for key, _ in self.COMPANION_LISTS:
            label = self.parameterDefinition(key).description()
            paths = self.mosaic_paths(parameters, key, context, label, feedback)
            if paths and len(paths) != len(maps):
                raise QgsProcessingException(self.tr(
                    "{0}: {1} layer(s) for {2} change map(s); give one per change map, in the same order.").format(
                    label, len(paths), len(maps)))
            lists[key] = paths
        explicit = any(lists.values())

        pairs = []
        with self.core_errors(feedback):
            for path in maps:
                try:
                    pair = find_pair_layers([path], input_images=images)[0]
                except InputError:
                    if not explicit:
                        raise
                    pair = MosaicInputs(cosine_map=path)
                pairs.append(pair)
        for i, pair in enumerate(pairs):
            for key, attribute in self.COMPANION_LISTS:
                if not lists[key]:
                    continue
                if isinstance(attribute, int):
                    pair.feature_maps[attribute] = lists[key][i]
                else:
                    setattr(pair, attribute, lists[key][i])
            self.describe_pair(pair, feedback)
        return pairs

    def describe_pair(self, pair, feedback) -> None:
        """Log a pair by its dates (a temporary change map is named OUTPUT.tif) and what it provides.

        A pair whose id is only a file name (no upstream ``cosine_map!A!B`` naming) takes its dates as id,
        so the core's messages and the tie-break order (ids sorted) follow the dates too.
        """
        dates = pair_dates_label(pair.cosine_map or "")
        if dates and (pair.pair_id is None or "!" not in pair.pair_id):
            pair.pair_id = dates
        found = [k for k in ("before_date", "after_date", "quality_fmask") if getattr(pair, k, None)]
        kinds = ("before_date", "after_date") if dates and dates.count(ARROW) == 1 else ("after_date",)
        implied = [k for k in kinds if k not in found and dates]
        text = ", ".join(["cosine_map"] + found + [self.tr("{0} (from the change map's dates)").format(k)
                                                   for k in implied])
        name = pair.pair_id or os.path.basename(pair.cosine_map or "")
        feedback.pushInfo(self.tr("Pair {0}: {1} ({2})").format(name, text, pair.cosine_map or pair.quality_fmask))

    def check_pairs_provide(self, pairs: List[Any], outputs: Dict[str, str]) -> None:
        """Refuse, before any work, date or quality outputs that a pair cannot provide: its pixels would be
        nodata in the mosaic wherever that pair wins, with nothing to say so.

        A pair provides a date by its date layer or by the two dates its change map's metadata carries
        (PLANAURA_DATES), and its quality by its quality layer.

        Args:
            pairs: the core's MosaicInputs.
            outputs: mosaic kind -> path of the outputs asked for.

        Raises:
            QgsProcessingException: naming the pair, what it lacks and what to give.
        """
        for pair in pairs:
            if not pair.cosine_map:
                continue
            dates = pair_dates_label(pair.cosine_map)
            two_dates = bool(dates) and dates.count(ARROW) == 1
            lacks = [kind for kind in ("before_date", "after_date", "quality_fmask") if kind in outputs
                     and not getattr(pair, kind) and not (kind == "after_date" and dates)
                     and not (kind == "before_date" and two_dates)]
            if lacks:
                raise QgsProcessingException(self.tr(
                    "The pair of {0} cannot provide {1}: its change map carries no such layer nor dates in its "
                    "metadata, and that pair's pixels would be nodata in the mosaic. Give the layers in Before "
                    "dates / After dates / Quality layers (same order as the change maps), or make the change "
                    "map with Planaura change map (with the dates of images whose names hold none).").format(
                    pair.cosine_map, ", ".join(lacks)))

    def processAlgorithm(self, parameters: Dict[str, Any], context, feedback) -> Dict[str, Any]:  # noqa: N802
        from ..planaura_plugin.pipeline.mosaic import run_mosaic
        from ..planaura_plugin.pipeline.requests import MosaicRequest

        pairs = self.pairs(parameters, context, feedback)
        outputs: Dict[str, str] = {}
        for key, kind in self.OUTPUT_KINDS:
            path = self.output_path(parameters, key, context)
            if path:
                outputs[kind] = path
        for key, kind in self.OUTPUT_KINDS[:self.REQUIRED_OUTPUTS]:
            if kind not in outputs:
                outputs[kind] = self.parameterDefinition(key).generateTemporaryDestination()
        self.check_pairs_provide(pairs, outputs)
        regex: Optional[str] = (self.parameterAsString(parameters, self.P_DATE_REGEX, context) or "").strip() or None
        request = MosaicRequest(
            pairs=pairs, outputs=outputs, target_crs=self.target_crs(parameters, context, pairs, feedback),
            target_resolution=self.target_resolution(parameters, context),
            input_images=self.input_images,
            date_regex=regex)
        written = self.run_core(run_mosaic, request, feedback)

        specs = {kind: OutputSpec(key, product_of(kind).style, mosaic_layer_name(kind, len(pairs)),
                                  companion=product_of(kind).companion) for key, kind in self.OUTPUT_KINDS}
        return self.publish_outputs(written, specs, context, feedback)
