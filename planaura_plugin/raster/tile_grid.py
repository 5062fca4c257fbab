"""Where the model's S x S tiles go on the first image, and which of them are kept (SPEC 3).

Tiles start at ``shift`` and step by S/2 while they fit; when the last one stops short of
the area's far edge, one more tile is laid flush with that edge. With ``snap = p`` (coarse
maps, ``upsample_cosine_map: false``) every start is moved down to a multiple of p from
the first start, so that each coarse map pixel sits exactly on one grid (SPEC 7 fix).
Tiles are listed row-major: the stitching order that the golden data used.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Iterator, List, Optional, Sequence, Tuple

import numpy as np

# a pixel window on the first image: row0, col0, row1, col1 (end exclusive)
Window = Tuple[int, int, int, int]


@dataclass(frozen=True)
class Tile:
    """One model input tile: its top-left pixel on the first image and its place in the grid."""

    row: int
    col: int
    index: Tuple[int, int]  # (tile row, tile column) in row-major order
    shift_pass: int = 0  # which num_predictions pass (start shift = 64 * pass) it belongs to


def axis_starts(begin: int, end: int, size: int, shift: int = 0, snap: int = 1) -> List[int]:
    """Tile starts along one axis of the window [begin, end).

    Regular starts ``begin + shift + k * size/2`` while the tile fits, then the edge-flush
    start ``end - size`` when the last tile stops short of ``end``. ``snap > 1`` moves every
    start down to ``first + j * snap`` and drops repeats (the coarse-grid fix of SPEC 7).
    An axis shorter than the tile has no start.
    """
    step = size // 2
    if step <= 0:
        raise ValueError(f"tile size must be at least 2, got {size}")
    starts = list(range(begin + shift, end - size + 1, step))
    if not starts:
        return []
    if starts[-1] + size < end:
        starts.append(end - size)
    if snap > 1:
        first = starts[0]
        snapped: List[int] = []
        for s in starts:
            s = first + ((s - first) // snap) * snap
            if not snapped or s > snapped[-1]:
                snapped.append(s)
        starts = snapped
    return starts


@dataclass(frozen=True)
class TileGrid:
    """The tiles of one pass over a pixel window of the first image, row-major."""

    window: Window
    size: int
    shift: int = 0
    snap: int = 1
    shift_pass: int = 0

    @property
    def rows(self) -> List[int]:
        r0, _c0, r1, _c1 = self.window
        return axis_starts(r0, r1, self.size, self.shift, self.snap)

    @property
    def cols(self) -> List[int]:
        _r0, c0, _r1, c1 = self.window
        return axis_starts(c0, c1, self.size, self.shift, self.snap)

    def tiles(self) -> List[Tile]:
        rows, cols = self.rows, self.cols
        if not rows or not cols:  # as the reference: no edge tile unless both axes have tiles
            return []
        return [Tile(r, c, (i, j), self.shift_pass) for i, r in enumerate(rows) for j, c in enumerate(cols)]

    def __iter__(self) -> Iterator[Tile]:
        return iter(self.tiles())


def nodata_fraction(tile: np.ndarray, nodata: Sequence[Optional[float]]) -> float:
    """Share of the tile that is nodata in its worst band: (bands, h, w) -> [0, 1].

    ``nodata[b]`` is the band's declared nodata; ``None`` counts as 0 (the reference's rule
    for rasters without a nodata value). NaN in a float band is nodata whatever is declared:
    the model masks every patch holding one (SPEC 2.3), so such a tile has nothing to give.
    """
    worst = 0
    for b in range(tile.shape[0]):
        nd = 0 if nodata[b] is None else nodata[b]
        band = tile[b]
        if isinstance(nd, float) and math.isnan(nd):
            count = int(np.count_nonzero(np.isnan(band)))
        elif band.dtype.kind == "f":
            count = int(np.count_nonzero((band == nd) | np.isnan(band)))
        elif nd < band.min() or nd > band.max():  # two fast reductions: no value can equal nd
            count = 0
        else:
            count = int(np.count_nonzero(band == nd))
        worst = max(worst, count)
    return worst / float(tile.shape[1] * tile.shape[2])


def keeps(fraction: float, min_valid: float) -> bool:
    """The minimum-valid rule: a tile is dropped when its nodata share exceeds 1 - min_valid."""
    return not fraction > (1.0 - min_valid)


def window_from_bounds(geotransform: Sequence[float], width: int, height: int,
                       bounds: Tuple[float, float, float, float]) -> Window:
    """Pixel window of map ``bounds`` (xmin, ymin, xmax, ymax), clipped to the grid.

    Rows and columns are ``floor`` of the inverse geotransform, as the reference's
    ``process_bbox`` (the window ends at the pixel holding the far corner, exclusive); any
    affine geotransform (see :func:`.grids.window_of_bounds`).
    """
    from .grids import window_of_bounds

    return window_of_bounds(geotransform, width, height, bounds)
