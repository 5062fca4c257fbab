"""Row-major stitching of tile maps into one raster, streamed by rows (SPEC 3).

The reference merges whole tiles in row-major order (later over earlier where the later
value is not nodata), then the central ``[S/4, 3S/4)`` windows the same way, and puts the
centres on top. Per pixel that is: the last valid centre covering it, else the last valid
whole tile, else nodata. Here each pixel keeps a rank (0 nothing, 1 whole tile, 2 centre)
so both stages happen in one pass, tile by tile; rows that no later tile can touch are
handed out and forgotten, so memory holds about one row of tiles.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Dict, Iterable, List, Mapping, Optional, Sequence, Tuple

import numpy as np

_NONE, _WHOLE, _CENTRE = 0, 1, 2


@dataclass(frozen=True)
class Placement:
    """Where one tile's square map lands on an output grid.

    ``row``, ``col``: the map's top-left pixel on the output grid (may be outside it: the
    part outside is clipped). ``centre``: the central window ``[lo, hi)`` in map pixels,
    the same on both axes.
    """

    row: int
    col: int
    size: int
    centre: Tuple[int, int]

    @property
    def bottom(self) -> int:
        return self.row + self.size

    @property
    def right(self) -> int:
        return self.col + self.size


def centre_window(tile_size: int, scale: int = 1) -> Tuple[int, int]:
    """``[S/4, 3S/4)`` of a tile, on a map ``scale`` times coarser (the reference's integer division)."""
    lo = int(0.25 * tile_size) // scale
    return lo, lo + int(tile_size / 2) // scale


def union_extent(placements: Iterable[Placement]) -> Tuple[int, int, int, int]:
    """Bounding box (row0, col0, row1, col1) of placements: the output extent of a run."""
    ps = list(placements)
    if not ps:
        raise ValueError("no tile placement")
    return (min(p.row for p in ps), min(p.col for p in ps), max(p.bottom for p in ps), max(p.right for p in ps))


def _valid(data: np.ndarray, nodata: float) -> np.ndarray:
    if isinstance(nodata, float) and math.isnan(nodata):
        return ~np.isnan(data)
    return data != np.asarray(nodata).astype(data.dtype)


class LayerStitcher:
    """One multi-band layer being stitched; holds only the rows not yet handed out."""

    def __init__(self, width: int, height: int, bands: int, dtype, nodata: float) -> None:
        self.width, self.height, self.bands = int(width), int(height), int(bands)
        self.dtype = np.dtype(dtype)
        self.nodata = nodata
        self.top = 0  # output row of buffer row 0
        self.rows = 0  # buffer rows in use
        self._values = np.empty((self.bands, 0, self.width), dtype=self.dtype)
        self._rank = np.empty((self.bands, 0, self.width), dtype=np.uint8)

    @property
    def values(self) -> np.ndarray:
        return self._values[:, :self.rows]

    @property
    def rank(self) -> np.ndarray:
        return self._rank[:, :self.rows]

    @property
    def buffered_rows(self) -> int:
        return self.rows

    def _ensure(self, bottom: int) -> None:
        need = bottom - self.top
        if need <= self.rows:
            return
        if need > self._values.shape[1]:  # grow the buffer; it is reused from then on
            cap = max(need, 2 * self._values.shape[1])
            values = np.empty((self.bands, cap, self.width), dtype=self.dtype)
            rank = np.empty((self.bands, cap, self.width), dtype=np.uint8)
            values[:, :self.rows] = self._values[:, :self.rows]
            rank[:, :self.rows] = self._rank[:, :self.rows]
            self._values, self._rank = values, rank
        self._values[:, self.rows:need] = self.nodata
        self._rank[:, self.rows:need] = _NONE
        self.rows = need

    def paste(self, where: Placement, data: np.ndarray) -> None:
        """Paste one tile's map (bands, size, size): whole tile under centres, later over earlier."""
        data = np.asarray(data)
        if data.ndim == 2:
            data = data[None]
        if data.shape != (self.bands, where.size, where.size):
            raise ValueError(f"tile map of shape {data.shape}, expected {(self.bands, where.size, where.size)}")
        r0, r1 = max(where.row, 0), min(where.bottom, self.height)
        c0, c1 = max(where.col, 0), min(where.right, self.width)
        if r0 >= r1 or c0 >= c1:
            return
        if r0 < self.top:
            raise RuntimeError(f"a tile at row {where.row} arrives after rows up to {self.top} were handed out")
        self._ensure(r1)
        src = data[:, r0 - where.row:r1 - where.row, c0 - where.col:c1 - where.col]
        # whole tile: only over pixels no centre has claimed yet
        valid = _valid(src, self.nodata)
        dst = self.values[:, r0 - self.top:r1 - self.top, c0:c1]
        rank = self.rank[:, r0 - self.top:r1 - self.top, c0:c1]
        take = valid & (rank <= _WHOLE)
        np.copyto(dst, src, where=take, casting="unsafe")  # as dst[take] = src[take], without the gather
        np.copyto(rank, _WHOLE, where=take)
        lo, hi = where.centre
        cr0, cr1 = max(r0, where.row + lo), min(r1, where.row + hi)
        cc0, cc1 = max(c0, where.col + lo), min(c1, where.col + hi)
        if cr0 < cr1 and cc0 < cc1:
            csrc = data[:, cr0 - where.row:cr1 - where.row, cc0 - where.col:cc1 - where.col]
            cvalid = _valid(csrc, self.nodata)
            cdst = self.values[:, cr0 - self.top:cr1 - self.top, cc0:cc1]
            crank = self.rank[:, cr0 - self.top:cr1 - self.top, cc0:cc1]
            np.copyto(cdst, csrc, where=cvalid, casting="unsafe")
            np.copyto(crank, _CENTRE, where=cvalid)

    def emit(self, until: int) -> np.ndarray:
        """Hand out the rows ``[top, until)`` (bands, n, width) and forget them."""
        until = min(max(until, self.top), self.height)
        n = until - self.top
        self._ensure(until)
        out = self._values[:, :n].copy()
        rest = self.rows - n
        if rest:
            self._values[:, :rest] = self._values[:, n:self.rows]
            self._rank[:, :rest] = self._rank[:, n:self.rows]
        self.rows = rest
        self.top = until
        return out


@dataclass
class LayerSpec:
    """What a stitched layer holds: bands, dtype and the nodata that later tiles never paste."""

    bands: int
    dtype: object
    nodata: float


class GridStitcher:
    """Several layers stitched on one output grid from the same tiles (one pass)."""

    def __init__(self, width: int, height: int, layers: Mapping[str, LayerSpec]) -> None:
        self.width, self.height = int(width), int(height)
        self.specs = dict(layers)
        self.layers = {name: LayerStitcher(width, height, s.bands, s.dtype, s.nodata)
                       for name, s in self.specs.items()}

    @property
    def top(self) -> int:
        return next(iter(self.layers.values())).top if self.layers else self.height

    def paste(self, where: Placement, maps: Mapping[str, np.ndarray]) -> None:
        for name, data in maps.items():
            self.layers[name].paste(where, data)

    def emit(self, until: int) -> Tuple[int, Dict[str, np.ndarray]]:
        """Rows ``[top, until)`` of every layer, as (first row, {layer: (bands, n, width)})."""
        start = self.top
        return start, {name: layer.emit(until) for name, layer in self.layers.items()}


def merge_by_reference(passes: Sequence[Mapping[str, np.ndarray]], reference: str,
                       nodata: Mapping[str, float]) -> Dict[str, np.ndarray]:
    """Merge the same rows of several runs: per pixel the largest ``reference`` value wins.

    Ties and pixels where every run is nodata go to the first run; every layer follows the
    winner (the SPEC 7 fix of ``num_predictions``). Arrays are (bands, rows, width).
    """
    ref = np.stack([p[reference][0] for p in passes])  # (runs, rows, width)
    ref_nd = nodata[reference]
    ref = np.where(_valid(ref, ref_nd), ref, -np.inf) if ref.dtype.kind == "f" else ref
    winner = np.argmax(ref, axis=0)
    out: Dict[str, np.ndarray] = {}
    for name in passes[0]:
        stack = np.stack([p[name] for p in passes])  # (runs, bands, rows, width)
        idx = np.broadcast_to(winner[None, None], (1,) + stack.shape[1:])
        out[name] = np.take_along_axis(stack, idx, axis=0)[0]
    return out


class PassMerger:
    """Collects rows emitted by the stitchers of several passes and merges rows all have emitted."""

    def __init__(self, stitchers: Sequence[GridStitcher], reference: Optional[str]) -> None:
        self.stitchers = list(stitchers)
        self.reference = reference
        self.pending: List[Dict[str, List[np.ndarray]]] = [dict() for _ in self.stitchers]
        self.pending_top = 0
        self.done = [0] * len(self.stitchers)  # rows emitted per pass

    def feed(self, index: int, rows: Mapping[str, np.ndarray]) -> None:
        for name, arr in rows.items():
            self.pending[index].setdefault(name, []).append(arr)
        if rows:
            self.done[index] += next(iter(rows.values())).shape[1]

    def take(self) -> Tuple[int, Dict[str, np.ndarray]]:
        """Merged rows that every pass has emitted: (first row, {layer: rows})."""
        n = min(self.done) - self.pending_top
        start = self.pending_top
        if n <= 0:
            return start, {}
        per_pass = []
        for pend in self.pending:
            cut = {}
            for name, chunks in pend.items():
                whole = np.concatenate(chunks, axis=1) if len(chunks) > 1 else chunks[0]
                cut[name] = whole[:, :n]
                pend[name] = [whole[:, n:]]
            per_pass.append(cut)
        self.pending_top += n
        if len(per_pass) == 1 or self.reference is None:
            return start, per_pass[0]
        nodata = {name: s.nodata for name, s in self.stitchers[0].specs.items()}
        return start, merge_by_reference(per_pass, self.reference, nodata)
