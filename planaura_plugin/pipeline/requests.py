"""What a caller asks the pipeline for: plain data, shared by QGIS, the CLI and tests.

An output path left ``None`` is not computed. Every job returns a dict ``kind -> path``
of the files it wrote (kinds as in :data:`OUTPUT_KINDS`).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence, Tuple

from ..model.loading import ModelSpec

# per-pair output kinds, named as upstream (`<kind><c><input0><c><input1>.tif`)
OUTPUT_KINDS = ("cosine_map", "before_date", "after_date", "quality_fmask", "classes",
                "feature_maps_0", "feature_maps_1", "feature_maps_2", "infer_0", "infer_1", "infer_2",
                "feature_table_0", "feature_table_1", "feature_table_2")

BBox = Tuple[float, float, float, float]  # xmin, ymin, xmax, ymax


@dataclass
class ChangeMapOutputs:
    """Where to write each product; ``None`` = do not compute it."""

    cosine_map: Optional[str] = None
    before_date: Optional[str] = None
    after_date: Optional[str] = None
    quality_fmask: Optional[str] = None
    classes: Optional[str] = None  # change classes 0 nodata, 1 none, 2 low, 3 moderate, 4 high
    feature_maps: Dict[int, str] = field(default_factory=dict)  # frame index -> raster path
    reconstructions: Dict[int, str] = field(default_factory=dict)  # frame index -> raster path
    feature_tables: Dict[int, str] = field(default_factory=dict)  # frame -> .csv / .parquet / .geoparquet / .gpkg


@dataclass
class ChangeMapRequest:
    """One image (static), pair or triple of dates processed on the grid of ``inputs[0]``.

    With T dates, ``inputs[-1]`` is the "after" image and the others are "before" candidates.
    """

    inputs: Sequence[str]
    outputs: ChangeMapOutputs
    model: ModelSpec = field(default_factory=ModelSpec)
    fmasks: Sequence[Optional[str]] = ()  # same order as inputs; missing = clear
    fmask_bitwise: bool = True
    patch_stride: int = 16  # 16 (fast) or 1 (dense)
    upsample: bool = True
    num_predictions: int = 1
    min_valid: float = 0.7
    date_regex: Optional[str] = None  # None = the model preset's
    bbox: Optional[BBox] = None
    bbox_crs: Optional[str] = None  # None = the CRS of inputs[0]
    embeddings: Optional[Sequence[int]] = None  # channels kept in feature rasters; None = all
    class_thresholds: Tuple[float, float, float] = (0.80, 0.60, 0.40)
    compression: str = "LZW"


@dataclass
class MosaicInputs:
    """Per-pair layers of one pair; all but ``cosine_map`` optional."""

    cosine_map: str
    before_date: Optional[str] = None
    after_date: Optional[str] = None
    quality_fmask: Optional[str] = None
    before_input: Optional[str] = None  # the image whose date is the before date
    after_input: Optional[str] = None
    feature_maps: Dict[int, str] = field(default_factory=dict)
    reconstructions: Dict[int, str] = field(default_factory=dict)
    pair_id: Optional[str] = None  # tie-break key; default the cosine file's name after the kind


@dataclass
class MosaicRequest:
    pairs: List[MosaicInputs]
    output_dir: Optional[str] = None  # with postfix: upstream names mosaic_<kind>_<postfix>_c.tif
    postfix: str = "mosaic"
    outputs: Dict[str, str] = field(default_factory=dict)  # kind -> explicit path (overrides output_dir naming)
    target_crs: str = "EPSG:3979"
    target_resolution: float = 30.0
    compression: str = "LZW"
    input_images: Sequence[str] = ()  # images searched by date for before/after inputs
    date_regex: Optional[str] = None
