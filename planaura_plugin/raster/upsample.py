"""Per-tile resampling of coarse model maps back to the input grid (SPEC 3 and 4).

The reference upsamples each tile before stitching, so the same is done here: cubic
splines (``scipy.ndimage.zoom``, order 3, ``mode="nearest"``, ``grid_mode=True``) of the
values with nodata set to 0, and of the valid mask; a pixel is valid where the zoomed mask
exceeds 0.9. Order-0 zooms by an integer factor are plain repeats.

The cubic zoom is linear and separable (edge padding, the B-spline prefilter and the spline's
evaluation all work axis by axis), so it is applied as two matrix products whose matrices are
scipy's own zoom of each unit vector: the same values to float64 rounding, cast to float32 as scipy
casts them (a 32 x 32 tile zoomed by 16: ~1 ms instead of ~18 ms). The products are made in
row blocks small enough (m x n x k <= :data:`SINGLE_THREAD_MNK`) that OpenBLAS computes them in
the calling thread: its worker threads busy-wait after each call, and beside the reader and
the writers on a 2-core machine they cost more CPU than the products themselves.
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np

from ..fmask import pool_max
from ..products import COSINE_NODATA

NODATA = COSINE_NODATA
MASK_THRESHOLD = 0.9
SINGLE_THREAD_MNK = 65536 * 4  # OpenBLAS's gemm runs in the caller's thread up to this m x n x k


@lru_cache(maxsize=64)
def cubic_zoom_matrix(n: int, factor: int) -> np.ndarray:
    """(n * factor, n) float64, read-only: column j is scipy's cubic zoom of the j-th unit vector.

    ``scipy.ndimage.zoom(v, factor, order=3, mode="nearest", grid_mode=True)`` of a length-n
    vector ``v`` equals ``matrix @ v`` (to float64 rounding).
    """
    from scipy.ndimage import zoom

    eye = np.eye(n)
    matrix = np.stack([zoom(eye[j], factor, order=3, mode="nearest", grid_mode=True) for j in range(n)], axis=1)
    matrix.setflags(write=False)
    return matrix


def zoom_cubic(values: np.ndarray, factor: int) -> np.ndarray:
    """scipy's cubic zoom of one 2-D plane by ``factor``, as the reference calls it (SPEC 3).

    Args:
        values: (h, w) array.
        factor: integer zoom factor (the patch stride).

    Returns:
        (h * factor, w * factor) array of ``values``' dtype: what
        ``zoom(values, (factor, factor), order=3, mode="nearest", grid_mode=True)`` returns,
        computed as ``rows @ values @ cols.T`` in float64.
    """
    values = np.asarray(values)
    rows = cubic_zoom_matrix(values.shape[0], int(factor))
    cols_t = cubic_zoom_matrix(values.shape[1], int(factor)).T
    return _blocked_product(_blocked_product(rows, values.astype(np.float64)), cols_t).astype(values.dtype)


def _blocked_product(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``a @ b`` (float64) in blocks of rows of ``a``, each a single-threaded BLAS call."""
    step = max(1, SINGLE_THREAD_MNK // max(1, a.shape[1] * b.shape[1]))
    if step >= a.shape[0]:
        return a @ b
    out = np.empty((a.shape[0], b.shape[1]), dtype=np.float64)
    for i in range(0, a.shape[0], step):
        np.matmul(a[i:i + step], b, out=out[i:i + step])
    return out


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
        valid = plane != NODATA
        everywhere = bool(valid.all())  # the spline of a constant mask is that constant: all valid
        num = out[i]
        num[...] = zoom_cubic(plane if everywhere else np.where(valid, plane, np.float32(0.0)), factor)
        if clip:
            np.clip(num, np.float32(-1.0), np.float32(1.0), out=num)
        if not everywhere:
            key = valid.tobytes()
            good = mask_cache.get(key)
            if good is None:
                good = mask_cache[key] = zoom_cubic(valid.astype(np.float32), factor) > MASK_THRESHOLD
            num[~good] = np.float32(NODATA)
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
