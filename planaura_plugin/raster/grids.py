"""One notion of "the same grid" for every raster a run reads (issue: any GDAL grid read right).

A grid is an affine geotransform (GDAL's six terms: origin, both pixel vectors, rotation
terms included), a size in pixels and a CRS. The pipeline works in the pixel space of the
first date's grid, so:

- **Orientation**: a grid whose pixel vectors are mirrored (a south-up raster with a positive
  north-south pixel size, as NetCDF/HDF conversions write, or a west-pointing column axis) is
  seen with its rows (or columns) reversed, which makes it a proper north-up, possibly rotated,
  grid: the model sees the image as it lies on the ground, and outputs come out north-up.
  A rotated (unmirrored) grid keeps its pixel space: the same pixels give the same map, and
  outputs keep the rotated grid.
- **Alignment**: another date is read straight from its own pixels when, after orientation,
  its pixel vectors equal the first date's and its origin lies on the first date's pixel
  lattice, both within :data:`ALIGN_TOLERANCE_PX` pixels over the whole raster; the pixel
  offset is then *rounded* (a geographic grid's 63.9999 is 64). Anything else (other CRS,
  other pixel size, non-square pixels, a fraction of a pixel off, another rotation) is
  resampled with GDAL onto the first date's tiles.
- **CRS**: two CRSs are the same when OSR says so, or when they transform the grid's corners
  onto themselves within the tolerance (HLS's custom WKT of UTM 15N is EPSG:32615).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Optional, Sequence, Tuple

Geotransform = Tuple[float, float, float, float, float, float]
Bounds = Tuple[float, float, float, float]  # xmin, ymin, xmax, ymax
Window = Tuple[int, int, int, int]  # row0, col0, row1 (exclusive), col1 (exclusive)

ALIGN_TOLERANCE_PX = 0.01  # pixels: how far two grids may disagree and still be read pixel for pixel


@dataclass(frozen=True)
class Orientation:
    """Which axes of a raster's stored pixels are reversed to see it unmirrored."""

    flip_rows: bool = False
    flip_cols: bool = False

    @property
    def identity(self) -> bool:
        return not (self.flip_rows or self.flip_cols)


def determinant(gt: Sequence[float]) -> float:
    """Determinant of the geotransform's linear part (negative for north-up, positive if mirrored)."""
    return float(gt[1]) * float(gt[5]) - float(gt[2]) * float(gt[4])


def orientation_of(gt: Sequence[float]) -> Orientation:
    """The flips that make ``gt`` an unmirrored grid (identity for north-up and rotated grids).

    A mirrored grid (determinant > 0) is turned by reversing the rows when its rows run
    northwards (south-up, the usual case) and the columns otherwise (a west-pointing x axis).

    Raises:
        ValueError: the geotransform is degenerate (zero determinant).
    """
    det = determinant(gt)
    if det == 0 or not math.isfinite(det):
        raise ValueError(f"degenerate geotransform {tuple(gt)}: its pixel vectors are parallel or zero")
    if det < 0:
        return Orientation()
    # flip rows when that brings the grid nearer north-up (dx > 0, dy < 0) than flipping columns
    return Orientation(flip_rows=float(gt[1]) + float(gt[5]) >= 0, flip_cols=float(gt[1]) + float(gt[5]) < 0)


def oriented_geotransform(gt: Sequence[float], width: int, height: int, orientation: Orientation) -> Geotransform:
    """The geotransform of the stored pixels seen through ``orientation`` (rows/columns reversed)."""
    x0, dx, rx, y0, ry, dy = (float(v) for v in gt)
    if orientation.flip_rows:
        x0, y0, rx, dy = x0 + height * rx, y0 + height * dy, -rx, -dy
    if orientation.flip_cols:
        x0, y0, dx, ry = x0 + width * dx, y0 + width * ry, -dx, -ry
    return (x0, dx, rx, y0, ry, dy)


def pixel_to_map(gt: Sequence[float], col: float, row: float) -> Tuple[float, float]:
    """Map coordinates of the pixel-space point (col, row) (corners at integers)."""
    return gt[0] + col * gt[1] + row * gt[2], gt[3] + col * gt[4] + row * gt[5]


def map_to_pixel(gt: Sequence[float], x: float, y: float) -> Tuple[float, float]:
    """(col, row), as floats, of the map point (x, y) on the grid ``gt``."""
    det = float(gt[1]) * float(gt[5]) - float(gt[2]) * float(gt[4])
    u, v = x - gt[0], y - gt[3]
    return (gt[5] * u - gt[2] * v) / det, (-gt[4] * u + gt[1] * v) / det


def grid_bounds(gt: Sequence[float], width: int, height: int) -> Bounds:
    """Envelope (xmin, ymin, xmax, ymax) of the grid's four corners (any affine geotransform)."""
    pts = [pixel_to_map(gt, c, r) for c, r in ((0, 0), (width, 0), (0, height), (width, height))]
    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    return min(xs), min(ys), max(xs), max(ys)


def window_of_bounds(gt: Sequence[float], width: int, height: int, bounds: Bounds) -> Window:
    """Pixel window holding the map ``bounds``, clipped to the grid (any affine geotransform).

    On a north-up grid rows and columns are ``floor`` of the inverse geotransform, as the
    reference's ``process_bbox`` (the window ends at the pixel holding the far corner,
    exclusive); on a rotated grid the window covers the bounds' four corners the same way.
    """
    xmin, ymin, xmax, ymax = bounds
    eps = 1e-9
    cols, rows = [], []
    for x, y in ((xmin, ymin), (xmax, ymin), (xmin, ymax), (xmax, ymax)):
        c, r = map_to_pixel(gt, x, y)
        cols.append(math.floor(c + eps))
        rows.append(math.floor(r + eps))
    return (max(0, min(rows)), max(0, min(cols)), min(height, max(rows)), min(width, max(cols)))


def _srs(wkt: str):
    from ..gdal_calls import spatial_reference

    return spatial_reference(wkt, user_input=True)[0]


def same_crs(wkt_a: str, wkt_b: str, gt: Optional[Sequence[float]] = None, width: int = 0,
             height: int = 0) -> bool:
    """Whether two CRSs are the same for a grid (both empty = pixel space).

    OSR's comparison first; when it says no and a grid is given, the CRSs are still the same
    if transforming the grid's corners and centre from ``wkt_a`` to ``wkt_b`` moves none by
    more than :data:`ALIGN_TOLERANCE_PX` pixels (a custom WKT of a standard projection).
    """
    if not wkt_a or not wkt_b:
        return not wkt_a and not wkt_b
    a, b = _srs(wkt_a), _srs(wkt_b)
    if a is None or b is None:
        return wkt_a == wkt_b
    if a.IsSame(b):
        return True
    if gt is None:
        return False
    from osgeo import osr

    from ..gdal_calls import gdal_call

    ct, _reason = gdal_call(osr.CoordinateTransformation, a, b)
    if ct is None:  # no transformation between them
        return False
    pts = [pixel_to_map(gt, c, r) for c, r in ((0, 0), (width, 0), (0, height), (width, height),
                                                 (width / 2, height / 2))]
    moved = [gdal_call(ct.TransformPoint, x, y)[0] for x, y in pts]
    if any(m is None or not all(math.isfinite(v) for v in m[:2]) for m in moved):
        return False  # a point that cannot be transformed (raised, or inf with exceptions off): not the same
    pixel = math.sqrt(abs(determinant(gt)))
    return all(math.hypot(m[0] - x, m[1] - y) <= ALIGN_TOLERANCE_PX * pixel for (x, y), m in zip(pts, moved))


def aligned_offset(base_gt: Sequence[float], other_gt: Sequence[float], extent_px: int,
                   tolerance_px: float = ALIGN_TOLERANCE_PX) -> Optional[Tuple[int, int]]:
    """(row, col) of the base grid's pixel (0, 0) on the other grid when both are one lattice.

    Both geotransforms must be oriented (see :func:`oriented_geotransform`) and in the same
    CRS. The grids are one lattice when the other grid's pixel vectors map the base's onto
    themselves within ``tolerance_px`` over ``extent_px`` pixels and the base origin falls on
    a pixel corner of the other grid within ``tolerance_px``; the offset is rounded.

    Returns:
        The integer offset, or None when the other date must be resampled.
    """
    col_x, row_x = map_to_pixel(other_gt, base_gt[0] + base_gt[1], base_gt[3] + base_gt[4])
    col_y, row_y = map_to_pixel(other_gt, base_gt[0] + base_gt[2], base_gt[3] + base_gt[5])
    col0, row0 = map_to_pixel(other_gt, base_gt[0], base_gt[3])
    # the base's unit pixel vectors expressed on the other grid must be (1, 0) and (0, 1)
    drift = max(abs(col_x - col0 - 1), abs(row_x - row0), abs(col_y - col0), abs(row_y - row0 - 1))
    if drift * max(1, int(extent_px)) > tolerance_px:
        return None
    r, c = round(row0), round(col0)
    if abs(row0 - r) > tolerance_px or abs(col0 - c) > tolerance_px:
        return None
    return int(r), int(c)
