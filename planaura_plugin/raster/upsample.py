"""Per-tile resampling of coarse model maps back to the input grid (SPEC 3 and 4).

The reference upsamples each tile before stitching, so the same is done here: cubic
splines (``scipy.ndimage.zoom``, order 3, ``mode="nearest"``, ``grid_mode=True``) of the
values with nodata set to 0, and of the valid mask; a pixel is valid where the zoomed mask
exceeds 0.9. Order-0 zooms by an integer factor are plain repeats.
"""
from __future__ import annotations

import numpy as np

from ..fmask import pool_max
from ..products import COSINE_NODATA

NODATA = COSINE_NODATA
MASK_THRESHOLD = 0.9


def zoom_cubic(values: np.ndarray, factor: int) -> np.ndarray:
    """scipy's cubic zoom of one 2-D plane by ``factor``, as the reference calls it."""
    from scipy.ndimage import zoom

    return zoom(values, (factor, factor), order=3, mode="nearest", grid_mode=True)


def upsample_masked(tile: np.ndarray, factor: int, clip: bool) -> np.ndarray:
    """(..., h, w) float32 maps with -100 nodata -> (..., h*f, w*f) float32, -100 nodata.

    Each plane's valid mask is zoomed with it; ``clip`` bounds the values to [-1, 1]
    (cosine maps). The reference does not divide by the zoomed mask; neither does this.
    """
    tile = np.asarray(tile, dtype=np.float32)
    lead = tile.shape[:-2]
    planes = tile.reshape((-1,) + tile.shape[-2:])
    out = np.empty((planes.shape[0], planes.shape[1] * factor, planes.shape[2] * factor), dtype=np.float32)
    mask_cache: dict[bytes, np.ndarray] = {}
    for i, plane in enumerate(planes):
        mask = (plane != NODATA).astype(np.float32)
        key = mask.tobytes()
        good = mask_cache.get(key)
        if good is None:
            if mask.all():  # the spline of a constant is that constant: every pixel is valid
                good = np.ones((plane.shape[0] * factor, plane.shape[1] * factor), dtype=bool)
            else:
                good = zoom_cubic(mask, factor) > MASK_THRESHOLD
            mask_cache[key] = good
        num = zoom_cubic(np.where(mask > 0, plane, np.float32(0.0)).astype(np.float32), factor)
        if clip:
            num = np.clip(num, np.float32(-1.0), np.float32(1.0))
        out[i] = np.where(good, num, np.float32(NODATA))
    return out.reshape(lead + out.shape[-2:])


def repeat_nearest(tile: np.ndarray, factor: int) -> np.ndarray:
    """Order-0 zoom by an integer factor over the last two axes (``which_before``, Fmask).

    Each value is broadcast over its ``factor`` x ``factor`` block and copied once (what two
    ``np.repeat`` calls give, with one pass instead of two).
    """
    tile = np.asarray(tile)
    if factor == 1:
        return tile.copy()
    h, w = tile.shape[-2:]
    lead = tile.shape[:-2]
    blocks = np.broadcast_to(tile[..., :, None, :, None], lead + (h, factor, w, factor))
    return blocks.reshape(lead + (h * factor, w * factor))


def pooled_fmask(codes: np.ndarray, patch: int, stride: int, upsample: bool) -> np.ndarray:
    """Per-tile Fmask codes (S, S) -> the map grid: max-pooled per patch, fill ignored (SPEC 7).

    With upsampling the pooled codes are expanded back by ``patch`` with nearest neighbour.
    """
    pooled = pool_max(codes, patch, stride)
    return repeat_nearest(pooled, patch) if upsample else pooled
