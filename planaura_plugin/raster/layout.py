"""Where a tile's model map lands on an output grid, and that grid's georeferencing (SPEC 3).

Three kinds of map per tile, all square:
- the input grid (reconstructions; stride-p maps after upsampling): S px at the tile corner;
- the coarse grid (stride p, no upsampling): S/p px, each covering p x p input pixels;
- the dense grid (stride 1): S - p + 1 px whose pixel k sits at input pixel k + p/2 - 1 of
  the tile (7 for p = 16), as the reference moves the tile origin.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Sequence, Tuple

from .stitch import Placement, centre_window
from .tile_grid import Tile


@dataclass(frozen=True)
class MapLayout:
    """How one kind of tile map is laid on its output grid."""

    scale: int  # input pixels per map pixel
    offset: int  # input pixels from the tile corner to the map's first pixel
    size: int  # map side, in map pixels
    centre: Tuple[int, int]  # central window [lo, hi) in map pixels

    @classmethod
    def input_grid(cls, tile_size: int) -> "MapLayout":
        return cls(1, 0, tile_size, centre_window(tile_size))

    @classmethod
    def coarse(cls, tile_size: int, patch: int) -> "MapLayout":
        return cls(patch, 0, tile_size // patch, centre_window(tile_size, patch))

    @classmethod
    def dense(cls, tile_size: int, patch: int) -> "MapLayout":
        return cls(1, int(patch / 2 - 1), tile_size - patch + 1, centre_window(tile_size))

    def map_origin(self, tile: Tile) -> Tuple[int, int]:
        """Input pixel (row, col) of the tile map's first pixel."""
        return tile.row + self.offset, tile.col + self.offset


@dataclass(frozen=True)
class OutputGrid:
    """An output raster grid: its first pixel on the input grid, scale and size."""

    layout: MapLayout
    row0: int  # input pixel of the output's (0, 0)
    col0: int
    height: int  # in map pixels
    width: int

    @classmethod
    def around(cls, layout: MapLayout, tiles: Iterable[Tile]) -> "OutputGrid":
        """The union of the maps of ``tiles`` (the output extent of the reference's merge)."""
        origins = [layout.map_origin(t) for t in tiles]
        if not origins:
            raise ValueError("no tile")
        r0 = min(o[0] for o in origins)
        c0 = min(o[1] for o in origins)
        span = layout.size * layout.scale
        r1 = max(o[0] for o in origins) + span
        c1 = max(o[1] for o in origins) + span
        return cls(layout, r0, c0, (r1 - r0) // layout.scale, (c1 - c0) // layout.scale)

    def placement(self, tile: Tile) -> Placement:
        r, c = self.layout.map_origin(tile)
        dr, dc = r - self.row0, c - self.col0
        s = self.layout.scale
        if dr % s or dc % s:
            raise ValueError(f"tile at ({tile.row}, {tile.col}) is not on the {s}-pixel output grid")
        return Placement(dr // s, dc // s, self.layout.size, self.layout.centre)

    def geotransform(self, input_gt: Sequence[float]) -> Tuple[float, ...]:
        """Geotransform of this grid from the first image's geotransform."""
        x0, dx, rx, y0, ry, dy = (float(v) for v in input_gt)
        s = self.layout.scale
        return (x0 + self.col0 * dx + self.row0 * rx, dx * s, rx * s,
                y0 + self.col0 * ry + self.row0 * dy, ry * s, dy * s)
