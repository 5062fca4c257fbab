"""Per-tile maps of a change-map run (cosine, dates, quality, features, reconstructions) and the
per-pixel rules on them (change classes, worst quality)."""
from __future__ import annotations

from typing import Dict, Optional, Sequence, Tuple

import numpy as np

from ...fmask import FILL
from ...normalisation import denormalise
from ...raster.tile_grid import Tile
from ...raster.upsample import NODATA, pooled_fmask, repeat_nearest, upsample_masked
from ...products import CLASS_NODATA, DATE_NODATA
from ...raster.upsampled_rows import upsampled_table_rows
from .plan import ChangeMapPlan


# ----------------------------------------------------------------------------------------------
# per-tile maps
# ----------------------------------------------------------------------------------------------
def tile_maps(plan: ChangeMapPlan, out, b: int, fmask_codes: Optional[np.ndarray]) -> Tuple[Dict[str, np.ndarray],
                                                                                             Dict[str, np.ndarray]]:
    """Maps of tile ``b`` of a batch: ({layer: map-grid array}, {layer: input-grid array}).

    Layers: ``cosine``, ``which`` (before-frame index), ``fmask<t>``, ``feat<t>``, ``infer<t>``
    and, when several passes are merged on a separate reconstruction grid, ``cosine_ref``.
    """
    p, stride, T = plan.patch, plan.stride, plan.frames
    up = plan.upsampled
    maps: Dict[str, np.ndarray] = {}
    infer: Dict[str, np.ndarray] = {}
    if plan.change:
        cos = out.cosine[b].astype(np.float32)
        which = out.which_before[b]
        if up:
            maps["cosine"] = upsample_masked(cos, p, clip=True)[None]
            coarse = np.where(which != DATE_NODATA, np.clip(which, 0, T - 2), DATE_NODATA).astype(np.int32)
            maps["which"] = repeat_nearest(coarse, p)[None]  # per patch, then repeated: the same per pixel
        else:
            maps["cosine"] = cos[None]
            maps["which"] = which.astype(np.int32)[None]
    if plan.quality:
        assert fmask_codes is not None  # read for every batch when the quality output is asked
        for t in range(T):
            maps[f"fmask{t}"] = pooled_fmask(fmask_codes[t], p, stride, up)[None]
    frames_feat = plan.kinds("feature_maps_")
    if frames_feat:
        idx = plan.raster_channels if plan.model_channels is None else list(range(len(plan.raster_channels)))
        for t in frames_feat:
            f = np.moveaxis(out.features[b, t][..., idx], -1, 0).astype(np.float32)
            maps[f"feat{t}"] = upsample_masked(f, p, clip=False) if up else f
    frames_rec = plan.kinds("infer_")
    if frames_rec:
        preset = plan.request.model.preset
        nd_float = np.float32(plan.request.model.config.no_data_float)
        target = maps if plan.infer_grid is None else infer
        kept = sorted(frames_rec) if out.reconstruction.shape[2] != T else list(range(T))
        for t in frames_rec:
            rec = out.reconstruction[b, :, kept.index(t)]
            dn = denormalise(rec, preset.mean, preset.std, band_axis=0)
            target[f"infer{t}"] = np.where(rec == nd_float, np.float32(preset.no_data), dn).astype(np.float32)
        if plan.infer_grid is not None and len(plan.passes) > 1:
            infer["cosine_ref"] = _cosine_on_input_grid(plan, out.cosine[b].astype(np.float32))[None]
    return maps, infer


def _cosine_on_input_grid(plan: ChangeMapPlan, cos: np.ndarray) -> np.ndarray:
    """The tile's cosine laid on its S x S input grid (to merge reconstructions of several passes)."""
    size = plan.tile_size
    if plan.stride == plan.patch:
        return repeat_nearest(cos, plan.patch)
    full = np.full((size, size), np.float32(NODATA), dtype=np.float32)
    off = plan.map_grid.layout.offset
    full[off:off + cos.shape[0], off:off + cos.shape[1]] = cos
    return full


def table_rows(plan: ChangeMapPlan, tile: Tile, feats: np.ndarray) -> Tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Rows of a feature table from one tile: tokens of its central window, as the reference.

    ``feats`` (h, w, E). A token's point is the top-left corner of the pixel it is placed at
    (its patch's corner at stride p; the map pixel's at stride 1, 7 px in from the patch).
    With ``upsample_tables`` at stride p: one row per input pixel (:mod:`..raster.upsampled_rows`).
    """
    if plan.request.upsample_tables and plan.stride == plan.patch:
        return upsampled_table_rows(feats, plan.patch, tile.row, tile.col, plan.tile_size, plan.base.geotransform)
    size, stride = plan.tile_size, plan.stride
    start = int(plan.patch / 2 - 1) if stride == 1 else 0
    lo = int(0.25 * size)
    hi = lo + int(size / 2) - 1
    pos = start + np.arange(feats.shape[0]) * stride
    sel = np.nonzero((pos >= lo) & (pos <= hi))[0]
    gt = plan.base.geotransform
    tx = gt[0] + tile.col * gt[1] + tile.row * gt[2]
    ty = gt[3] + tile.col * gt[4] + tile.row * gt[5]
    ii, jj = np.meshgrid(pos[sel], pos[sel], indexing="ij")
    x = tx + jj.ravel() * gt[1] + ii.ravel() * gt[2]
    y = ty + jj.ravel() * gt[4] + ii.ravel() * gt[5]
    f = feats[np.ix_(sel, sel)].reshape(-1, feats.shape[-1])
    return x, y, f


def change_classes(cos: np.ndarray, thresholds: Sequence[float]) -> np.ndarray:
    """uint8 classes: 0 nodata, 1 no change (> t0), 2 low (t1, t0], 3 moderate (t2, t1], 4 high (<= t2)."""
    t0, t1, t2 = (float(v) for v in thresholds)
    out = np.full(cos.shape, 4, dtype=np.uint8)
    out[cos > t2] = 3
    out[cos > t1] = 2
    out[cos > t0] = 1
    out[cos == NODATA] = CLASS_NODATA
    return out


def worst_quality(which: np.ndarray, fmasks: Sequence[np.ndarray]) -> np.ndarray:
    """Larger Fmask code of the chosen before frame and the after frame; 255 where there is no cosine.

    A date without information (255) is ignored; 255 remains only where both have none.
    """
    valid = which != DATE_NODATA
    before = np.full(which.shape, FILL, dtype=np.uint8)
    for t, codes in enumerate(fmasks[:-1]):
        sel = valid & (which == t)
        before[sel] = codes[sel]
    after = fmasks[-1].astype(np.uint8)
    b_known, a_known = before != FILL, after != FILL
    worst = np.where(b_known & a_known, np.maximum(before, after), np.where(b_known, before, after))
    return np.where(valid, worst, FILL).astype(np.uint8)
