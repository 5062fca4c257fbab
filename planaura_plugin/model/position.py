"""Fixed 3-D sin-cos position tables and their per-frame resizing.

The channel split (w, h, t = 6/16, 6/16, 4/16 of the width) and the token order
(t-major, then rows, then columns, row 0 for the cls token) are those of the checkpoints.
"""
from __future__ import annotations

import numpy as np


def sincos_1d(dim: int, positions: np.ndarray) -> np.ndarray:
    """(len(positions), dim) table: half sines, half cosines, computed in float64."""
    omega = np.arange(dim // 2, dtype=np.float64) / (dim / 2.0)
    omega = 1.0 / 10000 ** omega
    out = np.einsum("m,d->md", positions.reshape(-1).astype(np.float64), omega)
    return np.concatenate([np.sin(out), np.cos(out)], axis=1)


def sincos_3d(dim: int, t: int, h: int, w: int) -> np.ndarray:
    """(1, 1 + t*h*w, dim) float32 table with a zero cls row."""
    wd, hd, td = dim // 16 * 6, dim // 16 * 6, dim // 16 * 4
    we = np.tile(sincos_1d(wd, np.arange(w)), (t * h, 1))
    he = np.tile(np.repeat(sincos_1d(hd, np.arange(h)), w, axis=0), (t, 1))
    te = np.repeat(sincos_1d(td, np.arange(t)), h * w, axis=0)
    table = np.concatenate([we, he, te], axis=1)
    return np.concatenate([np.zeros((1, dim)), table], axis=0)[None].astype(np.float32)


def resize_per_frame(table, num_frames: int, new_h: int, new_w: int):
    """Resize a (1, 1 + T*h*w, E) torch table to (new_h, new_w) per frame.

    Bilinear with antialias, as the reference's ``resample_abs_pos_embed``; the cls row is kept.
    """
    import torch
    import torch.nn.functional as F

    cls_row, grid = table[:, :1], table[0, 1:]
    per_frame = grid.shape[0] // num_frames
    old = int(round(per_frame ** 0.5))
    if num_frames * old * old != grid.shape[0]:
        raise ValueError(f"position table of {grid.shape[0]} tokens is not {num_frames} square frames")
    if (old, old) == (new_h, new_w):
        return table.clone()
    e = grid.shape[-1]
    g = grid.reshape(num_frames, old, old, e).permute(0, 3, 1, 2).float()
    g = F.interpolate(g, size=(new_h, new_w), mode="bilinear", antialias=True, align_corners=False)
    g = g.permute(0, 2, 3, 1).reshape(1, num_frames * new_h * new_w, e).to(table.dtype)
    return torch.cat([cls_row, g], dim=1)
