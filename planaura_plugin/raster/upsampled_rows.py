"""Feature-table rows of a tile at the input resolution: ``feature_maps.upsample_feature_map``.

At stride p (fast mode) a tile's embeddings are one per p x p patch. Upstream's runner upsamples
feature maps with its cubic resampler (``scipy.ndimage.zoom``, order 3, ``mode="nearest"``,
``grid_mode=True``, nodata kept out by a zoomed validity mask > 0.9: the resampler of SPEC 3
that the change maps use, :func:`.upsample.upsample_masked`), per tile before stitching. So do
these rows: each tile's features are zoomed by p, and the tile's central window (the part a
stitched map takes from it, ``[S/4, S/4 + S/2 - 1]``) gives one row per input pixel, its point at
the top-left corner of that pixel. Neither GDAL's cubic (a Keys cubic convolution, a = -0.5) nor
torch's bicubic interpolation (Keys, a = -0.75) gives these values: a cubic B-spline zoom is not a
convolution with the four nearest samples.
"""
from __future__ import annotations

from typing import Sequence, Tuple

import numpy as np

from .upsample import NODATA, upsample_masked


def upsampled_table_rows(feats: np.ndarray, factor: int, tile_row: int, tile_col: int, tile_size: int,
                         geotransform: Sequence[float]) -> Tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Rows (x, y, features) of one tile's central window, one per input pixel.

    Args:
        feats: (h, w, E) float embeddings of the tile at stride ``factor`` (h * factor = tile size);
            -100 = nodata.
        factor: the patch stride p (the zoom factor).
        tile_row, tile_col: the tile's top-left input pixel.
        tile_size: S, the tile's size in input pixels.
        geotransform: the input image's GDAL geotransform.

    Returns:
        ``x``, ``y`` (n,) the top-left corners of the pixels in the CRS, and ``f`` (n, E) float32;
        pixels whose zoomed validity is too low (any channel nodata) are left out.
    """
    planes = np.moveaxis(np.asarray(feats, dtype=np.float32), -1, 0)
    zoomed = upsample_masked(planes, int(factor), clip=False)  # (E, S, S)
    lo = int(0.25 * tile_size)
    hi = lo + int(tile_size / 2) - 1
    window = zoomed[:, lo:hi + 1, lo:hi + 1]
    rows, cols = np.meshgrid(np.arange(lo, hi + 1), np.arange(lo, hi + 1), indexing="ij")
    f = window.reshape(window.shape[0], -1).T
    keep = (f != NODATA).all(axis=1)
    gt = [float(v) for v in geotransform]
    r = (tile_row + rows.ravel())[keep]
    c = (tile_col + cols.ravel())[keep]
    x = gt[0] + c * gt[1] + r * gt[2]
    y = gt[3] + c * gt[4] + r * gt[5]
    return x, y, np.ascontiguousarray(f[keep])
