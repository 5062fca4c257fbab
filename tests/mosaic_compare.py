"""Golden-data helpers for the persistence mosaic tests (importable as `mosaic_compare`).

Tolerances are the golden README's for mosaics: cosine and features atol 1e-3, Int16 inputs
±1 DN, dates / Fmask / persistence exact; reconstructions (DN) atol 0.2 as the per-pair ones.
Pixels marked 1 in the run's order-sensitivity mask are not compared, and in the before/after
input mosaics neither are the pixels where the reference wrote its -100 bug (SPEC 7).
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import List, Optional

import numpy as np

from golden_compare import ValueComparison, compare_values, raster_info, read_bands
from support import DATA, GOLDEN

RASTER = GOLDEN / "raster"
INPUTS = RASTER / "inputs"
MAX_MISMATCH_FRACTION = 0.001  # "about 0.1 % mismatching pixels at validity borders"
REFERENCE_INPUT_BUG = -100  # what the reference wrote into Int16 input mosaics where the input had nodata


def tolerance(kind: str) -> float:
    if kind in ("cosine_map",) or kind.startswith("feature_maps"):
        return 1e-3
    if kind.endswith("_input"):
        return 1.0
    if kind.startswith("infer"):
        return 0.2
    return 0.0  # dates, quality_fmask, persistence


def mosaic_kind(name: str, postfix: str = "golden") -> str:
    """'mosaic_feature_maps_0_golden_c.tif' -> 'feature_maps_0'."""
    stem = Path(name).stem
    return stem[len("mosaic_"):stem.rindex(f"_{postfix}_")]


def usable_image(path: Path) -> Path:
    """The image itself, or the target of a symbolic link that was copied as its text."""
    from osgeo import gdal

    gdal.PushErrorHandler("CPLQuietErrorHandler")
    try:
        readable = gdal.Open(str(path)) is not None
    finally:
        gdal.PopErrorHandler()
    if readable:
        return path
    text = path.read_text(errors="replace").strip() if path.stat().st_size < 4096 else ""
    target = (path.parent / text).resolve() if text else None
    if target is not None and target.is_file():
        return target
    fallback = DATA / path.name
    assert fallback.is_file(), f"{path} is not a raster and no copy of it exists under {DATA}"
    return fallback


def golden_input_images() -> List[str]:
    """The golden runs' input images (not their fmasks), epoch2021 then epoch2022."""
    images = []
    for epoch in ("epoch2021", "epoch2022"):
        for p in sorted((INPUTS / epoch).glob("*.tif")):
            if not p.name.startswith("fmask_"):
                images.append(str(usable_image(p)))
    return images


def order_mask(run: str, name: str) -> Optional[np.ndarray]:
    """1 where the golden value depends on directory listing order, for this file (None = no mask)."""
    from osgeo import gdal

    path = RASTER / run / "order_sensitivity" / "epoch2021" / (Path(name).stem + ".order_mask.tif")
    if not path.is_file():
        return None
    return gdal.Open(str(path)).ReadAsArray() != 0


def compare_mosaic(actual: str, golden: str, run: str, kind: str) -> ValueComparison:
    """Values of one mosaic against its golden file, on the pixels the golden README says to compare."""
    a_info, g_info = raster_info(actual), raster_info(golden)
    a, g = read_bands(actual), read_bands(golden)
    where = np.ones(g.shape, bool)
    mask = order_mask(run, os.path.basename(golden))
    if mask is not None:
        where &= ~mask[None]
    if kind.endswith("_input"):
        where &= g != REFERENCE_INPUT_BUG
    return compare_values(a, g, tolerance(kind), a_info.nodata[0], g_info.nodata[0], where)
