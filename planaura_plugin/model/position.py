"""Fixed 3-D sin-cos position tables and their per-frame resizing.

The channel split (w, h, t = 6/16, 6/16, 4/16 of the width) and the token order
(t-major, then rows, then columns, row 0 for the cls token) are those of the checkpoints.
"""
from __future__ import annotations

import functools

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


def sincos_grid(dim: int, t: int, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """(t, len(rows), len(cols), dim) float32 sin-cos table at the given row and column positions.

    The same values as the matching rows of :func:`sincos_3d` (without its cls row), for any
    subset of the grid: a dense sub-grid needs only its own positions.

    Args:
        dim: embedding width (a multiple of 16).
        t: number of frames.
        rows: row positions (integers).
        cols: column positions (integers).

    Returns:
        The table, t-major then rows then columns.
    """
    wd, hd, td = dim // 16 * 6, dim // 16 * 6, dim // 16 * 4
    nr, nc = len(rows), len(cols)
    out = np.empty((t, nr, nc, dim), dtype=np.float32)
    out[..., :wd] = sincos_1d(wd, np.asarray(cols))[None, None, :, :]
    out[..., wd:wd + hd] = sincos_1d(hd, np.asarray(rows))[None, :, None, :]
    out[..., wd + hd:] = sincos_1d(td, np.arange(t))[:, None, None, :]
    return out


@functools.lru_cache(maxsize=8)
def resize_weights(old: int, new: int):
    """(new, old) float64 matrix of the 1-D weights of :func:`resize_per_frame` along one axis.

    The weights are those torch computes for float32 tables (then widened), so that the
    sub-grid tables equal the whole float32 table to about one float32 rounding.

    Bilinear resizing with antialias is separable: resizing the identity gives, for every
    output position, the weight of each input position (the exact weights torch uses).

    Args:
        old: input length.
        new: output length.

    Returns:
        A torch tensor ``w`` with ``out[y] = sum_k w[y, k] * in[k]``.
    """
    import torch
    import torch.nn.functional as F

    # channel k holds the unit impulse at row k; a width of 2 (not 1, whose strides the
    # antialiased kernel misreads as channels-last) is left unchanged
    eye = torch.eye(old, dtype=torch.float32)[None, :, :, None].expand(1, old, old, 2).contiguous()
    w = F.interpolate(eye, size=(new, 2), mode="bilinear", antialias=True, align_corners=False)
    return w[0, :, :, 0].T.double().contiguous()


class GridPositions:
    """The encoder's position table for a (t, grid, grid) token grid, made on demand.

    A dense (stride 1) base tile has a 497 x 497 grid per frame: its whole table is 1.5 GB in
    float32 (and several times that while it is computed). Each dense sub-grid sequence needs
    only its own 1/256 of it, so the table is kept as its recipe: the sin-cos formula, or the
    checkpoint's small table and the separable bilinear weights that resize it per frame
    (SPEC 2). :meth:`full` still gives the whole table (tests, small grids).
    """

    def __init__(self, dim: int, t: int, grid: int, source=None, full_table=None) -> None:
        """Args:
            dim: embedding width.
            t: frames.
            grid: tokens per side.
            source: the checkpoint's (1, 1 + t*h*w, dim) table to resize, or None for sin-cos.
            full_table: an already computed (1, 1 + t*grid*grid, dim) table (used as it is).
        """
        self.dim, self.t, self.grid = dim, t, grid
        self.source = None if source is None else source.detach().float().cpu()
        self.full_table = full_table
        self._rows_cache: tuple = ((), None)  # (row positions, their per-frame row-resized source)
        self._frames = None

    def full(self):
        """The (1, 1 + t*grid*grid, dim) float32 table with its zero cls row (torch, CPU)."""
        import torch

        if self.full_table is not None:
            return self.full_table
        if self.source is None:
            return torch.from_numpy(sincos_3d(self.dim, self.t, self.grid, self.grid))
        return resize_per_frame(self.source, self.t, self.grid, self.grid).float()

    def _source_frames(self):
        """The source table without its cls row, (t, h, w, dim) float64 (made once)."""
        if self._frames is None:
            assert self.source is not None  # only called for a resized checkpoint table
            grid = self.source[0, 1:]
            old = int(round((grid.shape[0] // self.t) ** 0.5))
            self._frames = grid.reshape(self.t, old, old, self.dim).double()
        return self._frames

    def subgrid(self, rows: np.ndarray, cols: np.ndarray):
        """(t, len(rows), len(cols), dim) float32 table at the given positions (all < grid).

        Args:
            rows: row positions.
            cols: column positions.

        Returns:
            A torch tensor on the CPU.
        """
        import torch

        if self.full_table is not None:
            g = self.full_table[0, 1:].reshape(self.t, self.grid, self.grid, self.dim)
            return g[:, torch.as_tensor(rows)][:, :, torch.as_tensor(cols)]
        if self.source is None:
            return torch.from_numpy(sincos_grid(self.dim, self.t, rows, cols))
        frames = self._source_frames()
        old = frames.shape[1]
        if old == self.grid:
            return frames[:, torch.as_tensor(rows)][:, :, torch.as_tensor(cols)].float()
        w = resize_weights(old, self.grid)
        key = tuple(int(v) for v in rows)
        if self._rows_cache[0] != key:  # consecutive sub-grids share their rows: resize rows once for them
            flat = frames.reshape(self.t, old, old * self.dim)
            self._rows_cache = (key, torch.matmul(w[torch.as_tensor(rows)], flat).reshape(self.t, -1, old, self.dim))
        return torch.matmul(w[torch.as_tensor(cols)], self._rows_cache[1]).float()  # (C, w) @ (t, R, w, e)
