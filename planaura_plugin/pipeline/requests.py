"""What a caller asks the pipeline for: plain data, shared by QGIS, the CLI and tests.

An output path left ``None`` is not computed. Every job returns a dict ``kind -> path``
of the files it wrote (kinds as in :data:`OUTPUT_KINDS`).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Dict, List, Optional, Sequence, Tuple, Type, TypeVar

from ..model.loading import ModelSpec
from ..products import DEFAULT_CLASS_THRESHOLDS, all_kinds, change_map_fields

# per-pair output kinds, named as upstream (`<kind><c><input0><c><input1>.tif`): see products.PRODUCTS
OUTPUT_KINDS = tuple(all_kinds(scope=("pair", "both")))

BBox = Tuple[float, float, float, float]  # xmin, ymin, xmax, ymax


_T = TypeVar("_T")


def _fields_from_registry(cls: Type[_T]) -> Type[_T]:
    """Make ``cls`` a dataclass with one field per product of the change map (:func:`change_map_fields`):
    ``Optional[str] = None``, or for per-frame products ``Dict[int, str]`` (frame -> path, empty)."""
    annotations = cls.__dict__.get("__annotations__", {})
    for name, per_frame in change_map_fields():
        annotations[name] = "Dict[int, str]" if per_frame else "Optional[str]"
        setattr(cls, name, field(default_factory=dict) if per_frame else None)
    cls.__annotations__ = annotations
    return dataclass(cls)


@_fields_from_registry
class ChangeMapOutputs:
    """Where to write each product; ``None`` (or an empty dict) = do not compute it.

    One field per product of the registry the change map writes (``products.change_map_fields``),
    in registry order: ``cosine_map``, ``before_date``, ``after_date``, ``quality_fmask``,
    ``classes`` (paths or None), ``feature_maps``, ``reconstructions``, ``feature_tables``
    (dicts frame index -> path; tables: .csv / .parquet / .geoparquet / .gpkg). An output declared
    in ``products.PRODUCTS`` gets its field here without another edit; an unknown keyword is
    refused (TypeError) by the dataclass.
    """

    if TYPE_CHECKING:  # the fields are made at import; for mypy: any product keyword, any field
        def __init__(self, **paths: Any) -> None: ...

        def __getattr__(self, name: str) -> Any: ...


@dataclass
class ChangeMapRequest:
    """One image (static), pair or triple of dates processed on the grid of ``inputs[0]``.

    With T dates, ``inputs[-1]`` is the "after" image and the others are "before" candidates.
    """

    inputs: Sequence[str]
    outputs: ChangeMapOutputs
    model: ModelSpec = field(default_factory=ModelSpec)
    # same order as inputs: a quality layer (path or QualitySource) per date; None = the layer found with the
    # image (an HLS granule's Fmask, a Sentinel-2 product's SCL, fmask_<name> beside it) when find_quality
    fmasks: Sequence[Optional[str]] = ()
    fmask_bitwise: bool = True
    find_quality: bool = True  # False: only the quality layers given in fmasks are used (the user's choice)
    # a date without a quality layer: False -> "no information" (255) in quality_fmask; True -> clear (0), as the
    # reference does (SPEC 4), for the upstream YAML runner's golden parity
    missing_quality_clear: bool = False
    bands: Sequence[Optional[Sequence[int]]] = ()  # same order as inputs: 1-based band numbers of B02..B12
    patch_stride: int = 16  # 16 (fast) or 1 (dense)
    upsample: bool = True
    num_predictions: int = 1
    min_valid: float = 0.7
    date_regex: Optional[str] = None  # None = the model preset's
    # same order as inputs: YYYYDDD given by the caller (BEFORE_DATE / AFTER_DATE), None = from the
    # product's metadata or the name; a given date wins over both (a temporary file's name holds none)
    dates: Sequence[Optional[int]] = ()
    bbox: Optional[BBox] = None
    bbox_crs: Optional[str] = None  # None = the CRS of inputs[0]
    embeddings: Optional[Sequence[int]] = None  # channels kept in feature rasters; None = all
    class_thresholds: Tuple[float, float, float] = DEFAULT_CLASS_THRESHOLDS
    compression: str = "LZW"
    upsample_tables: bool = False  # feature tables at the input pixels (upstream's feature_maps.upsample_feature_map)
    provenance_file: bool = True  # the provenance JSON beside the outputs (provenance.py); False in YAML runs


@dataclass
class MosaicInputs:
    """The per-pair layers of one pair (or triple), as file paths.

    Every layer of a pair must lie on one grid (the grid of its cosine map). The reference
    layer is ``cosine_map`` (largest wins) or, for a quality-only mosaic, ``quality_fmask``
    (smallest wins); every other layer is optional. :func:`find_pair_layers` in
    ``pipeline.mosaic.persistence`` fills this from upstream file names or GDAL metadata.
    """

    cosine_map: Optional[str] = None
    before_date: Optional[str] = None
    after_date: Optional[str] = None
    quality_fmask: Optional[str] = None
    feature_maps: Dict[int, str] = field(default_factory=dict)  # frame index -> feature_maps_<frame> raster
    reconstructions: Dict[int, str] = field(default_factory=dict)  # frame index -> infer_<frame> raster
    # The pair's input images (frame order). mosaic_before_input / mosaic_after_input are sampled
    # from the image whose date equals the chosen before / after date.
    inputs: List[str] = field(default_factory=list)
    input_dates: List[Optional[int]] = field(default_factory=list)  # YYYYDDD per input; None/empty = from names
    before_input: Optional[str] = None  # shortcut: one more candidate image (e.g. the only before image)
    after_input: Optional[str] = None
    pair_id: Optional[str] = None  # tie-break key; default the reference file's name after the kind


@dataclass
class MosaicRequest:
    """A persistence mosaic of several pairs on one target grid (SPEC section 5).

    Outputs: with ``output_dir``, every kind the pairs allow is written as
    ``mosaic_<kind>_<postfix>_c.tif`` (``_f`` when decided by quality_fmask); ``kinds``
    restricts that list. ``outputs`` maps a kind to an explicit path and overrides the name;
    without ``output_dir`` only the kinds in ``outputs`` are written. Kinds: see
    :data:`pipeline.mosaic.persistence.MOSAIC_KINDS`, plus ``feature_maps_<k>`` and ``infer_<k>``.
    """

    pairs: List[MosaicInputs]
    output_dir: Optional[str] = None
    postfix: str = "mosaic"
    outputs: Dict[str, str] = field(default_factory=dict)  # kind -> explicit path
    kinds: Optional[Sequence[str]] = None  # kinds written into output_dir; None = all available
    target_crs: str = "EPSG:3979"  # anything GDAL's SetFromUserInput accepts (EPSG:n, WKT, PROJ string)
    # square pixels, in target CRS units; None: 30 in a CRS in metres, else the inputs' pixel size there
    target_resolution: Optional[float] = 30.0
    compression: str = "LZW"
    # Images searched by date for the before/after inputs of pairs without their own ``inputs``:
    # those whose name is a part of the pair id, else all of them.
    input_images: Sequence[str] = ()
    date_regex: Optional[str] = None  # None = the HLS, then the S2 preset's
    concatenate_char: str = "!"  # separator in pair ids, used to match input image names
    reference: Optional[str] = None  # "cosine_map" or "quality_fmask"; None = cosine_map if present
    block_size: int = 1024  # processing block (px); 1024 = the reference's, which parity depends on
