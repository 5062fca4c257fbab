"""The outputs Planaura writes, each declared once: the product registry.

A *product* is one kind of output raster (or table): the change map (``cosine_map``), the
dates, the quality, the change classes, the embeddings (``feature_maps_<k>``), the
reconstructions (``infer_<k>``), the feature tables, the mosaic-only layers
(``persistence``, ``before_input``, ``after_input``) and the change types of a pair (``change_types``,
written by upstream's ``change_map.cluster`` and ``planaura:changetypes``). Its *kind* is the key, followed by
``_<frame>`` for products written once per input date (``feature_maps_1``).

Each :class:`Product` says how it is named on disk (upstream's names: ``<kind><c><a><c><b>.tif``
per pair, ``mosaic_<kind>_<postfix>_<c|f>.tif`` for mosaics), its GDAL type, nodata and band
names, its role in the mosaic, and how it arrives in QGIS (style, companion or main layer,
output parameter, label and layer name). The change-map and mosaic pipelines, the upstream
runner and the Processing algorithms derive their lists from :data:`PRODUCTS`; adding an
output is one entry here plus its computation.

Labels and layer names are English templates marked for pylupdate5 (context
``PlanauraProducts``); the plugin translates them. No QGIS import here.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any, Dict, List, Literal, Mapping, Optional, Sequence, Tuple

from .fmask import FILL as FMASK_FILL  # nodata of the quality layer (no information)
from .i18n import N_, _


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 - the name pylupdate5 looks for
    """Mark ``text`` for translation in ``context`` (the plugin translates it at run time)."""
    return text


TR_CONTEXT = "PlanauraProducts"

COSINE_NODATA = -100.0  # nodata of the cosine map, the embeddings and the mosaics of both
DATE_NODATA = -100  # nodata of the YYYYDDD date layers
CLASS_NODATA = 0  # nodata of the change classes
TYPES_NODATA = -100  # nodata of the change types (unchanged pixels and no data); -1 is noise, 0, 1, ... types
RECONSTRUCTION_NODATA = -9999.0  # the mosaic's default for reconstructions without a declared nodata
DEFAULT_CLASS_THRESHOLDS: Tuple[float, float, float] = (0.80, 0.60, 0.40)  # no change / low / moderate limits
#: The classes of ``quality_fmask`` (codes of :mod:`.fmask`), as the legend names them (context
#: ``PlanauraStyles``). 255 is the layer's nodata: no quality layer for the date (or Fmask fill),
#: never "clear".
QUALITY_CLASSES: Dict[int, str] = {
    0: QT_TRANSLATE_NOOP("PlanauraStyles", "Clear"),
    1: QT_TRANSLATE_NOOP("PlanauraStyles", "Cloud"),
    2: QT_TRANSLATE_NOOP("PlanauraStyles", "Adjacent to cloud/shadow"),
    3: QT_TRANSLATE_NOOP("PlanauraStyles", "Cloud shadow"),
    4: QT_TRANSLATE_NOOP("PlanauraStyles", "Snow/ice"),
    6: QT_TRANSLATE_NOOP("PlanauraStyles", "High aerosol"),
    FMASK_FILL: QT_TRANSLATE_NOOP("PlanauraStyles", "No information"),
}

MAX_FRAMES = 3  # dates of one change-map row (upstream's num_frames at most)
PAIR_FRAMES = ("BEFORE", "AFTER")  # parameter suffixes of per-frame products of a pair

Frame = Literal["before", "after", "none", "each"]
MosaicRole = Literal["reference", "count", "date", "copy", "input", "none"]
Resampling = Literal["near", "cubic"]
#: pair: written per pair by the change map; mosaic: by the mosaic; both: per pair and mosaicked;
#: cluster: written per pair by the change types step (``change_map.cluster``, ``planaura:changetypes``);
#: series: written once per series of dates by change over time (``series``, ``planaura:changeovertime``)
Scope = Literal["pair", "mosaic", "both", "cluster", "series"]
CHANGE_MAP_SCOPES = ("pair", "both")  # the products the change-map pipeline writes
#: The product keys (kinds of per-frame products add ``_<frame>``: ``feature_maps_1``).
ProductKey = Literal["cosine_map", "persistence", "before_date", "after_date", "quality_fmask", "before_input",
                     "after_input", "classes", "feature_maps", "infer", "feature_table", "change_types",
                     "date_of_change", "change_intensity", "valid_observations", "cosine_per_pair"]


@dataclass(frozen=True)
class Product:
    """One output kind.

    Attributes:
        key: the kind (per-frame products: the prefix of ``<key>_<frame>``).
        frame: the date it describes: before, after, none (the pair), each (one file per date).
        dtype: numpy / GDAL type name; '' when it follows the inputs (mosaic input layers).
        nodata: nodata value; None when it comes from the model preset or the inputs.
        band_names: band descriptions; () when decided per run (embedding channels, preset bands).
        mosaic_role: reference (decides the winner), count (persistence), date, copy (the winner's
            value), input (the input image of the chosen date), none (not mosaicked).
        resampling: how the mosaic warps it.
        scope: written per pair (change map), by the mosaic, both, or per pair by the change types
            step (cluster).
        style: the style of ``processing_provider.styles`` applied when it is loaded.
        companion: loaded below the main layer and not visible (dates, quality, classes, persistence).
        parameter: the Processing output parameter (per-frame products: + ``_BEFORE`` / ``_AFTER``).
        labels: the parameter's label (per-frame products: one per date of a pair).
        layer_name: layer name of a change-map output: ``{period}``, ``{day}``, ``{other}`` filled in.
        mosaic_names: layer name of a mosaic output (per-frame products: one per date of a pair);
            ``{pairs}`` filled in.
        mosaic_labels: the mosaic algorithm's parameter label when it differs from ``labels``
            (per-frame products: one per date); () = ``labels``.
        reference_suffix: ``c`` / ``f`` in a mosaic's name when this product decides it.
        needs_pair: needs two or three dates.
        extension: file extension of the per-pair file ('' = chosen by the caller: tables).
        field: the attribute of the core's requests (``ChangeMapOutputs``, ``MosaicInputs``) holding its
            path (per-frame products: a dict frame -> path); '' when the requests have none.
        sidecars: files written beside it, as the suffix that replaces its extension (the change
            types' ``.types.json``); they travel with it (destination checks, clean-up).
    """

    key: ProductKey
    frame: Frame
    dtype: str
    nodata: Optional[float]
    band_names: Tuple[str, ...]
    mosaic_role: MosaicRole
    resampling: Resampling
    scope: Scope
    style: str
    companion: bool
    parameter: str
    labels: Tuple[str, ...]
    layer_name: str
    mosaic_names: Tuple[str, ...]
    reference_suffix: str = ""
    needs_pair: bool = False
    extension: str = ".tif"
    field: str = ""
    sidecars: Tuple[str, ...] = ()
    mosaic_labels: Tuple[str, ...] = ()

    @property
    def per_frame(self) -> bool:
        return self.frame == "each"

    @property
    def visible(self) -> bool:
        """Loaded visible: the main layers; companions are hidden so they never cover it."""
        return not self.companion

    def parameters(self) -> List[str]:
        """The output parameters of a two-date algorithm: one, or one per date for per-frame products."""
        if not self.parameter:
            return []
        if self.per_frame:
            return [f"{self.parameter}_{suffix}" for suffix in PAIR_FRAMES]
        return [self.parameter]


def _p(key: ProductKey, **fields: Any) -> Product:
    fields.setdefault("field", key)
    return Product(key=key, **fields)


PRODUCTS: Dict[str, Product] = {p.key: p for p in (
    _p("cosine_map", frame="none", dtype="float32", nodata=COSINE_NODATA, band_names=(N_("cosine similarity"),),
       mosaic_role="reference", resampling="cubic", scope="both", style="cosine", companion=False,
       parameter="OUTPUT", labels=(QT_TRANSLATE_NOOP("PlanauraProducts", "Change intensity (cosine map)"),),
       layer_name=QT_TRANSLATE_NOOP("PlanauraProducts", "Change intensity {period}"),
       mosaic_names=(QT_TRANSLATE_NOOP("PlanauraProducts", "Mosaic change intensity ({pairs} pairs)"),),
       mosaic_labels=(QT_TRANSLATE_NOOP("PlanauraProducts", "Mosaic change intensity"),),
       reference_suffix="c", needs_pair=True),
    _p("persistence", frame="none", dtype="uint16", nodata=0, band_names=(), mosaic_role="count",
       resampling="near", scope="mosaic", style="persistence", companion=True, parameter="OUTPUT_PERSISTENCE",
       field="",
       labels=(QT_TRANSLATE_NOOP("PlanauraProducts", "Persistence (number of pairs)"),), layer_name="",
       mosaic_names=(QT_TRANSLATE_NOOP("PlanauraProducts", "Persistence ({pairs} pairs)"),)),
    _p("before_date", frame="before", dtype="int32", nodata=DATE_NODATA, band_names=(N_("before date (YYYYDDD)"),),
       mosaic_role="date", resampling="near", scope="both", style="date", companion=True,
       parameter="OUTPUT_BEFORE_DATE", labels=(QT_TRANSLATE_NOOP("PlanauraProducts", "Before date"),),
       layer_name=QT_TRANSLATE_NOOP("PlanauraProducts", "Before date {period}"),
       mosaic_names=(QT_TRANSLATE_NOOP("PlanauraProducts", "Mosaic before date"),), needs_pair=True,
       mosaic_labels=(QT_TRANSLATE_NOOP("PlanauraProducts", "Mosaic before date"),)),
    _p("after_date", frame="after", dtype="int32", nodata=DATE_NODATA, band_names=(N_("after date (YYYYDDD)"),),
       mosaic_role="date", resampling="near", scope="both", style="date", companion=True,
       parameter="OUTPUT_AFTER_DATE", labels=(QT_TRANSLATE_NOOP("PlanauraProducts", "After date"),),
       layer_name=QT_TRANSLATE_NOOP("PlanauraProducts", "After date {period}"),
       mosaic_names=(QT_TRANSLATE_NOOP("PlanauraProducts", "Mosaic after date"),), needs_pair=True,
       mosaic_labels=(QT_TRANSLATE_NOOP("PlanauraProducts", "Mosaic after date"),)),
    _p("quality_fmask", frame="none", dtype="uint8", nodata=FMASK_FILL, band_names=(N_("worst Fmask class"),),
       mosaic_role="reference", resampling="near", scope="both", style="quality", companion=True,
       parameter="OUTPUT_QUALITY", labels=(QT_TRANSLATE_NOOP("PlanauraProducts", "Quality (Fmask class)"),),
       layer_name=QT_TRANSLATE_NOOP("PlanauraProducts", "Quality (Fmask) {period}"),
       mosaic_names=(QT_TRANSLATE_NOOP("PlanauraProducts", "Mosaic quality (Fmask)"),), reference_suffix="f",
       mosaic_labels=(QT_TRANSLATE_NOOP("PlanauraProducts", "Mosaic quality (Fmask class)"),),
       needs_pair=True),
    _p("before_input", frame="before", dtype="", nodata=None, band_names=(), mosaic_role="input",
       resampling="cubic", scope="mosaic", style="bands", companion=False, parameter="OUTPUT_BEFORE_INPUT",
       labels=(QT_TRANSLATE_NOOP("PlanauraProducts", "Mosaic before image"),), layer_name="",
       mosaic_names=(QT_TRANSLATE_NOOP("PlanauraProducts", "Mosaic before image"),)),
    _p("after_input", frame="after", dtype="", nodata=None, band_names=(), mosaic_role="input",
       resampling="cubic", scope="mosaic", style="bands", companion=False, parameter="OUTPUT_AFTER_INPUT",
       labels=(QT_TRANSLATE_NOOP("PlanauraProducts", "Mosaic after image"),), layer_name="",
       mosaic_names=(QT_TRANSLATE_NOOP("PlanauraProducts", "Mosaic after image"),)),
    _p("classes", frame="none", dtype="uint8", nodata=CLASS_NODATA, band_names=(N_("change class"),),
       mosaic_role="none", resampling="near", scope="pair", style="classes", companion=True,
       parameter="OUTPUT_CLASSES", labels=(QT_TRANSLATE_NOOP("PlanauraProducts", "Change classes"),),
       layer_name=QT_TRANSLATE_NOOP("PlanauraProducts", "Change classes {period}"), mosaic_names=(), needs_pair=True),
    _p("feature_maps", frame="each", dtype="float32", nodata=COSINE_NODATA, band_names=(), mosaic_role="copy",
       resampling="cubic", scope="both", style="embeddings", companion=False, parameter="OUTPUT_EMBEDDINGS",
       labels=(QT_TRANSLATE_NOOP("PlanauraProducts", "Embeddings of the before image"),
               QT_TRANSLATE_NOOP("PlanauraProducts", "Embeddings of the after image")),
       layer_name=QT_TRANSLATE_NOOP("PlanauraProducts", "Embeddings {day} (with {other})"),
       mosaic_labels=(QT_TRANSLATE_NOOP("PlanauraProducts", "Mosaic embeddings before"),
                      QT_TRANSLATE_NOOP("PlanauraProducts", "Mosaic embeddings after")),
       mosaic_names=(QT_TRANSLATE_NOOP("PlanauraProducts", "Mosaic embeddings before"),
                     QT_TRANSLATE_NOOP("PlanauraProducts", "Mosaic embeddings after"))),
    _p("infer", frame="each", dtype="float32", nodata=None, band_names=(), mosaic_role="copy",
       resampling="cubic", scope="both", style="bands", companion=False, parameter="OUTPUT_RECONSTRUCTION",
       labels=(QT_TRANSLATE_NOOP("PlanauraProducts", "Reconstruction of the before image"),
               QT_TRANSLATE_NOOP("PlanauraProducts", "Reconstruction of the after image")),
       layer_name=QT_TRANSLATE_NOOP("PlanauraProducts", "Reconstruction {day}"), mosaic_names=(),
       field="reconstructions"),
    _p("feature_table", frame="each", dtype="", nodata=None, band_names=(), mosaic_role="none",
       resampling="near", scope="pair", style="", companion=False, parameter="", labels=(), layer_name="",
       mosaic_names=(), extension="", field="feature_tables"),
    _p("change_types", frame="none", dtype="int16", nodata=TYPES_NODATA, band_names=(N_("change type"),),
       mosaic_role="none", resampling="near", scope="cluster", style="change_types", companion=False,
       parameter="OUTPUT", labels=(QT_TRANSLATE_NOOP("PlanauraProducts", "Change types"),),
       layer_name=QT_TRANSLATE_NOOP("PlanauraProducts", "Change types {period}"), mosaic_names=(),
       needs_pair=True, sidecars=(".types.json",)),
    # change over time (series/): one file each per series; {period} is the series' first -> last date
    _p("date_of_change", frame="none", dtype="int32", nodata=DATE_NODATA, band_names=(N_("date of change (YYYYDDD)"),),
       mosaic_role="none", resampling="near", scope="series", style="date", companion=False,
       parameter="OUTPUT", labels=(QT_TRANSLATE_NOOP("PlanauraProducts", "Date of change"),),
       layer_name=QT_TRANSLATE_NOOP("PlanauraProducts", "Date of change {period}"), mosaic_names=(),
       needs_pair=True),
    _p("change_intensity", frame="none", dtype="float32", nodata=COSINE_NODATA,
       band_names=(N_("cosine at the date of change"),), mosaic_role="none", resampling="cubic", scope="series",
       style="cosine", companion=True, parameter="OUTPUT_INTENSITY",
       labels=(QT_TRANSLATE_NOOP("PlanauraProducts", "Change intensity at the date of change"),),
       layer_name=QT_TRANSLATE_NOOP("PlanauraProducts", "Change intensity at the date of change {period}"),
       mosaic_names=(), needs_pair=True),
    _p("valid_observations", frame="none", dtype="uint16", nodata=None, band_names=(N_("valid observations"),),
       mosaic_role="none", resampling="near", scope="series", style="persistence", companion=True,
       parameter="OUTPUT_OBSERVATIONS", labels=(QT_TRANSLATE_NOOP("PlanauraProducts", "Number of valid observations"),),
       layer_name=QT_TRANSLATE_NOOP("PlanauraProducts", "Valid observations {period}"), mosaic_names=(),
       needs_pair=True),
    _p("cosine_per_pair", frame="none", dtype="float32", nodata=COSINE_NODATA, band_names=(), mosaic_role="none",
       resampling="cubic", scope="series", style="cosine", companion=True, parameter="OUTPUT_COSINES",
       labels=(QT_TRANSLATE_NOOP("PlanauraProducts", "Cosine of each pair"),),
       layer_name=QT_TRANSLATE_NOOP("PlanauraProducts", "Cosine of each pair {period}"), mosaic_names=(),
       needs_pair=True),
)}

# derived lists (the order of PRODUCTS is the order of the outputs everywhere)
CHANGE_KINDS = tuple(k for k, p in PRODUCTS.items() if p.needs_pair and p.scope in CHANGE_MAP_SCOPES)
REFERENCE_SUFFIX = {k: p.reference_suffix for k, p in PRODUCTS.items() if p.reference_suffix}
REFERENCE_KINDS = tuple(REFERENCE_SUFFIX)
MOSAIC_KINDS = tuple(k for k, p in PRODUCTS.items() if p.scope in ("mosaic", "both") and not p.per_frame)


def check_class_thresholds(thresholds: Sequence[float]) -> Tuple[float, float, float]:
    """The one rule of the change classes' limits: three cosines in [-1, 1], strictly decreasing.

    Args:
        thresholds: (no change, low, moderate): class 1 above the first, 2 down to the second, 3 down
            to the third, 4 below (:data:`DEFAULT_CLASS_THRESHOLDS`).

    Returns:
        The three limits as floats.

    Raises:
        InputError: not three numbers, outside [-1, 1], or not strictly decreasing (equal limits would
            leave a class empty).
    """
    from .errors import InputError

    values = tuple(float(t) for t in thresholds)
    if len(values) != 3:
        raise InputError(_("the change class thresholds must be 3 cosines (no change, low, moderate), "
                           "got {n}: {values}").format(n=len(values), values=list(values)))
    if any(not -1.0 <= v <= 1.0 for v in values):
        raise InputError(_("the change class thresholds are cosines between -1 and 1, got {values}").format(
            values=list(values)))
    if not values[0] > values[1] > values[2]:
        raise InputError(_("the change class thresholds must decrease strictly (no change > low > moderate), "
                           "got {values}").format(values=list(values)))
    return values[0], values[1], values[2]


def frame_kind(key: str, frame: int) -> str:
    """``feature_maps`` and 1 -> ``feature_maps_1``."""
    return f"{key}_{int(frame)}"


def split_kind(kind: str) -> Tuple[Product, Optional[int]]:
    """The product of a kind and its frame: ``feature_maps_1`` -> (feature maps, 1); ``cosine_map`` -> (.., None).

    Raises:
        KeyError: not a kind of :data:`PRODUCTS` (with a frame below :data:`MAX_FRAMES` for per-frame ones).
    """
    if kind in PRODUCTS and not PRODUCTS[kind].per_frame:
        return PRODUCTS[kind], None
    key, _, frame = kind.rpartition("_")
    product = PRODUCTS.get(key)
    if product is None or not product.per_frame or not frame.isdigit() or int(frame) >= MAX_FRAMES:
        raise KeyError(f"unknown output kind {kind!r}; kinds are {', '.join(all_kinds())}")
    return product, int(frame)


def product_of(kind: str) -> Product:
    """The product of a kind (``feature_maps_1`` -> feature maps)."""
    return split_kind(kind)[0]


def all_kinds(frames: int = MAX_FRAMES, scope: Sequence[str] = ("pair", "mosaic", "both", "cluster")) -> List[str]:
    """Every kind of the products in ``scope``, per-frame products expanded for ``frames`` dates."""
    out: List[str] = []
    for key, product in PRODUCTS.items():
        if product.scope in scope:
            out += [frame_kind(key, t) for t in range(frames)] if product.per_frame else [key]
    return out


def pair_raster_kinds(frames: int = MAX_FRAMES) -> List[str]:
    """The per-pair raster kinds a mosaic takes (upstream: ``<kind><c><input0><c><input1>.tif``)."""
    return [k for k in all_kinds(frames, ("both",))]


def mosaic_layer_order(kind: str) -> Tuple[int, int]:
    """Sort key of mosaic layers: registry order, then frame."""
    product, frame = split_kind(kind)
    return list(PRODUCTS).index(product.key), -1 if frame is None else frame


def pair_file_name(kind: str, file_id: str, extension: str = ".tif") -> str:
    """Upstream's per-pair name: ``<kind><file id>.tif`` (``cosine_map!A!B.tif``)."""
    return f"{kind}{file_id}{extension}"


def sidecar_paths(kind: str, path: str) -> List[str]:
    """The files written beside an output of ``kind`` at ``path`` (``x.tif`` -> ``x.types.json``)."""
    stem = os.path.splitext(path)[0]
    return [stem + suffix for suffix in product_of(kind).sidecars]


def beside_path(path: str, kind: str, other: str) -> Optional[str]:
    """The file of kind ``other`` beside a per-pair file of ``kind`` with upstream's names.

    Args:
        path: a per-pair file named ``<kind><c><a><c><b>.tif`` (``.../cosine_map!A!B.tif``).
        kind: the kind of ``path``.
        other: the kind looked for (``change_types``).

    Returns:
        ``.../<other><c><a><c><b>.tif`` (whether it exists or not); None when the name of ``path`` does
        not start with ``kind`` followed by a separator and a file id (not an upstream name).
    """
    folder, name = os.path.split(os.path.abspath(path))
    stem, ext = os.path.splitext(name)
    file_id = stem[len(kind):]
    if not stem.startswith(kind) or not file_id or file_id[0].isalnum():
        return None
    return os.path.join(folder, pair_file_name(other, file_id, product_of(other).extension or ext))


def mosaic_file_name(kind: str, postfix: str, reference: str = "cosine_map") -> str:
    """Upstream's mosaic name: ``mosaic_<kind>_<postfix>_c.tif`` (``_f`` when decided by quality_fmask;
    no ``_<postfix>`` when the postfix is empty)."""
    tail = f"_{postfix}" if postfix else ""
    return f"mosaic_{kind}{tail}_{REFERENCE_SUFFIX[reference]}.tif"


def mosaic_output_path(folder: "str | os.PathLike[str]", kind: str, postfix: str,
                       reference: str = "cosine_map") -> str:
    """:func:`mosaic_file_name` in ``folder``."""
    return os.path.join(str(folder), mosaic_file_name(kind, postfix, reference))


def mosaic_layer_type(kind: str) -> Tuple[str, float, str]:
    """(dtype, default nodata, resampling) of a per-pair layer in the mosaic."""
    product = product_of(kind)
    nodata = RECONSTRUCTION_NODATA if product.nodata is None else float(product.nodata)
    return product.dtype, nodata, product.resampling


def change_map_fields() -> List[Tuple[str, bool]]:
    """(field, per frame) of every product the change-map pipeline writes, in registry order: the
    attributes of ``pipeline.requests.ChangeMapOutputs`` (``cosine_map``, ..., ``feature_tables``)."""
    out: List[Tuple[str, bool]] = []
    for product in PRODUCTS.values():
        if product.scope in CHANGE_MAP_SCOPES and product.field and product.field not in dict(out):
            out.append((product.field, product.per_frame))
    return out


def request_layers(request: Any, kinds: Optional[Sequence[str]] = None, sort_frames: bool = False) -> Dict[str, str]:
    """kind -> path of the layers set on a core request object (``ChangeMapOutputs``, ``MosaicInputs``).

    Args:
        request: the object; products whose :attr:`Product.field` it lacks are skipped.
        kinds: only these kinds (default: every product's).
        sort_frames: per-frame products by frame (default: in the order of their dict).

    Returns:
        The kinds with a path, in registry order.
    """
    out: Dict[str, str] = {}
    for key, product in PRODUCTS.items():
        if not product.field or not hasattr(request, product.field):
            continue
        value = getattr(request, product.field)
        if product.per_frame:
            items = (value or {}).items()
            for frame, path in (sorted(items) if sort_frames else items):
                out[frame_kind(key, frame)] = path
        else:
            out[key] = value
    return {k: str(v) for k, v in out.items() if v and (kinds is None or k in kinds)}


def pair_raster_files(pair: Any) -> List[str]:
    """The per-pair GeoTIFFs a mosaic reads from one pair (``MosaicInputs``): the paths of its
    :func:`pair_raster_kinds` layers that are set, in registry order (what ``delete_residues`` removes)."""
    return list(request_layers(pair, pair_raster_kinds()).values())


def request_fields(layers: Mapping[str, Optional[str]], complete: Sequence[str] = ()) -> Dict[str, Any]:
    """Keyword arguments of a request object (``ChangeMapOutputs(**...)``) from kind -> path.

    Per-frame products become dicts frame -> path; kinds without a request field are ignored.
    The fields of the products of ``complete`` are always present (None or an empty dict), so that
    ``dataclasses.replace(obj, **fields)`` clears the layers ``layers`` lacks.
    """
    fields: Dict[str, Any] = {}
    for kind in complete:
        product = product_of(kind)
        if product.field:
            fields[product.field] = {} if product.per_frame else None
    for kind, path in layers.items():
        product, frame = split_kind(kind)
        if not product.field:
            continue
        if frame is None:
            fields[product.field] = path
        elif path:
            fields.setdefault(product.field, {})[frame] = path
    return fields


def set_request_layer(request: Any, kind: str, path: Optional[str]) -> None:
    """Set (or, with ``path`` None, remove) one layer of a request object."""
    product, frame = split_kind(kind)
    if frame is None:
        setattr(request, product.field, path)
    elif path is None:
        getattr(request, product.field).pop(frame, None)
    else:
        getattr(request, product.field)[frame] = path
