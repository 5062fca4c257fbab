"""True areas, on the ellipsoid of a raster's CRS, of its pixels, whatever the projection.

The one home of the change polygons' areas (pixels per class, per change type, per polygon: a
polygon of :func:`.polygon_rasters.polygonize` is exactly the union of its pixels, so its area
is the sum of theirs) and of the change types' areas.

Planar areas in a projected CRS are not true areas: EPSG:3857 gives x1.4 to x4 across Canada,
EPSG:3979 -5.5 % to +3.5 %, UTM -0.08 % to +0.4 % (centre, edge of a zone). Every pixel is measured
from its four corners carried into a cylindrical equal-area projection (``+proj=cea``) on the
CRS's own ellipsoid, centred on the raster's longitude: an equal-area projection keeps areas on
the ellipsoid exactly, so the quadrilateral of the transformed corners has the pixel's true area
(parallels and meridians are straight there, so pixels of a map in degrees or in Mercator are
measured exactly; elsewhere the pixel's sides are curved by far less than a millionth of its
size). A block across the meridian opposite the centre (a map from 0 to 360 degrees) has its
corners taken on one side of it. Where a pole is a point of the map (polar stereographic,
azimuthal maps) and lies less than :data:`POLE_PIXELS` pixels from the raster, the cylindrical projection
would stretch the pole into a line and bend the pixels' sides around it: the corners go into a
Lambert azimuthal equal-area projection centred on that pole instead, where the meridians stay
straight and the pixels' sides bend as little. Pixels are measured in blocks of up to
:data:`MAX_BLOCK` pixels of one row (each pixel of a block gets the block's mean area; the
blocks' extent is kept under :data:`BLOCK_GROUND_M`): the area changes along a row by less than 1e-5 over such a block
(UTM, Lambert conformal), and not at all in a map in degrees or in Mercator.
A raster without a CRS has areas in square map units (no hectares can be given).
"""
from __future__ import annotations

import math
from typing import Sequence, Tuple

import numpy as np

from ..errors import InputError
from ..i18n import _

SQUARE_METRES_PER_HECTARE = 10_000.0
MAX_BLOCK = 16  # pixels of a row measured together at most
BLOCK_GROUND_M = 1000.0  # and no wider than this on the ground
#: a pole closer than this many pixels to the raster has the pixels measured azimuthally: the error of the
#: cylindrical projection there goes as (pixel / distance to the pole)², 0.1 % at 100 pixels
POLE_PIXELS = 1000


class AreaMeter:
    """Measures the pixels of one raster grid on the ellipsoid of its CRS, in square metres.

    Args:
        projection: the raster's CRS as WKT ('' when the raster has none).
        geotransform: the raster's GDAL geotransform (6 numbers; rotated grids are measured too).
        size: (width, height) of the raster in pixels.
        name: the raster's path or name, for messages.

    Attributes:
        kind: ``"ellipsoid"`` (true areas in m²) or ``"none"`` (no CRS: square map units).
        ellipsoid: the ellipsoid's name as the CRS gives it (``"WGS 84"``, ``"GRS 1980"``), '' without CRS.

    Raises:
        InputError: the CRS cannot be carried to its ellipsoid (a CRS GDAL cannot transform).
    """

    def __init__(self, projection: str, geotransform: Sequence[float], size: Tuple[int, int], name: str) -> None:
        self.gt = tuple(float(v) for v in geotransform)
        self.width, self.height = int(size[0]), int(size[1])
        self.name = name
        self.kind = "none"
        self.ellipsoid = ""
        self._to_equal_area = None
        self._to_geog = None  # the CRS to its latitudes and longitudes
        self._wrap_x = 0.0  # the width of the world in the cylindrical projection (0: azimuthal, no wrap)
        self.block = 1
        if projection:
            self._to_equal_area = self._equal_area_transform(projection)
        if self._to_equal_area is not None:
            self.kind = "ellipsoid"
            self.block = self._block_width()

    def _equal_area_transform(self, projection: str):
        """Transformation from the CRS to a cylindrical equal-area projection on its ellipsoid (None for a
        CRS without ellipsoid: a local, engineering CRS)."""
        from osgeo import osr

        from ..gdal_calls import spatial_reference

        srs = spatial_reference(projection)[0]  # x/y order; None when OSR cannot read it
        if srs is None:
            return None
        geog = srs.CloneGeogCS()
        if geog is None:
            return None
        self.ellipsoid = srs.GetAttrValue("SPHEROID") or ""
        geog.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
        lon = 0.0
        centre = self._corners(np.array([self.width / 2.0]), np.array([self.height / 2.0]))[0]
        to_geog = self._to_geog = _transformation(srs, geog)
        if to_geog is not None:
            lon = float(to_geog.TransformPoint(float(centre[0]), float(centre[1]))[0])
        lon = lon if np.isfinite(lon) and abs(lon) <= 360 else 0.0
        equal_area = osr.SpatialReference()
        equal_area.CopyGeogCSFrom(srs)
        pole = self._pole_nearby(srs, geog)
        if pole:  # the pole is a line in a cylindrical projection: pixels around it measured azimuthally
            equal_area.SetLAEA(90.0 * pole, lon, 0.0, 0.0)
        else:
            equal_area.SetCEA(0.0, lon, 0.0, 0.0)
            self._wrap_x = 2.0 * np.pi * srs.GetSemiMajor()  # the x of a longitude and of it + 360°
        equal_area.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
        transform = _transformation(srs, equal_area)
        if transform is None:
            raise InputError(_("the CRS of {name} cannot be carried to its ellipsoid to measure areas; save the "
                               "raster with a CRS GDAL knows (an EPSG code)").format(name=self.name))
        return transform

    def _pole_nearby(self, srs, geog) -> int:
        """+1 (north) or -1 (south) when a pole is a point of the map less than POLE_PIXELS from the raster, else 0."""
        from osgeo import gdal

        from ..gdal_calls import gdal_call

        to_map = _transformation(geog, srs)
        inverse = gdal.InvGeoTransform(self.gt)
        if to_map is None or inverse is None:
            return 0
        right_angle = 90.0 / math.degrees(geog.GetAngularUnits() or math.radians(1.0))  # 100 in grads
        for pole in (1, -1):
            points = [gdal_call(to_map.TransformPoint, lon, right_angle * pole)[0] for lon in (0.0, right_angle)]
            if any(p is None or not np.isfinite(p[:2]).all() for p in points):
                continue
            if math.dist(points[0][:2], points[1][:2]) > 1e-6 * math.hypot(self.gt[1], self.gt[5]):
                continue  # the pole is a line of the map (degrees, cylindrical): measured exactly as it is
            col, row = gdal.ApplyGeoTransform(inverse, float(points[0][0]), float(points[0][1]))
            if -POLE_PIXELS <= col <= self.width + POLE_PIXELS and -POLE_PIXELS <= row <= self.height + POLE_PIXELS:
                return pole
        return 0

    def _corners(self, cols: np.ndarray, rows: np.ndarray) -> np.ndarray:
        """Map coordinates (N x 2) of pixel coordinates (column, row), 0 = the raster's top-left corner."""
        gt = self.gt
        return np.column_stack([gt[0] + cols * gt[1] + rows * gt[2], gt[3] + cols * gt[4] + rows * gt[5]])

    def _block_width(self) -> int:
        """Pixels of a row measured together: up to MAX_BLOCK, under BLOCK_GROUND_M on the ground."""
        row = max(self.height // 2, 0)
        col = max(min(self.width // 2, self.width - 1), 0)
        side = float(np.sqrt(self._blocks_m2(row, 1, np.array([col, col + 1]))[0, 0]))
        return int(np.clip(BLOCK_GROUND_M // side, 1, MAX_BLOCK)) if side > 0 else 1

    def _blocks_m2(self, row: int, rows: int, edges: np.ndarray) -> np.ndarray:
        """True areas (rows x len(edges) - 1) of the blocks of pixels between column edges ``edges``."""
        cols, lines = np.meshgrid(edges.astype(np.float64), np.arange(row, row + rows + 1, dtype=np.float64))
        moved = self._equal_area_points(self._corners(cols.ravel(), lines.ravel()))
        x = moved[:, 0].reshape(cols.shape)
        y = moved[:, 1].reshape(cols.shape)
        top_left, top_right = x[:-1, :-1], self._unwrapped(x[:-1, 1:], x[:-1, :-1])
        low_left, low_right = self._unwrapped(x[1:, :-1], top_left), self._unwrapped(x[1:, 1:], top_left)
        # a quadrilateral's area is half the cross product of its diagonals
        with np.errstate(invalid="ignore"):
            d1x, d1y = low_right - top_left, y[1:, 1:] - y[:-1, :-1]
            d2x, d2y = low_left - top_right, y[1:, :-1] - y[:-1, 1:]
            area = 0.5 * np.abs(d1x * d2y - d1y * d2x)
        if not np.isfinite(area).all():
            raise InputError(_("pixels of rows {first} to {last} of {name} cannot be placed on the ellipsoid of its "
                               "CRS (outside the area where its projection is defined); give an extent inside it "
                               "or reproject the raster").format(first=row, last=row + rows - 1,
                                                                  name=self.name))
        return area

    def _equal_area_points(self, points: np.ndarray) -> np.ndarray:
        """Map points (N x 2) in the equal-area projection; NaN where GDAL cannot transform them or where they
        have no latitude and longitude (PROJ gives (0, 0) between two azimuthal projections for a point
        outside the first one's disc)."""
        transform, to_geog = self._to_equal_area, self._to_geog
        assert transform is not None, "only a CRS on an ellipsoid has blocks measured"
        try:
            moved = np.asarray(transform.TransformPoints(points), dtype=np.float64)[:, :2]
            if to_geog is not None:
                lonlat = np.asarray(to_geog.TransformPoints(points), dtype=np.float64)[:, :2]
                moved[~np.isfinite(lonlat).all(axis=1)] = np.nan
        except RuntimeError:  # GDAL with exceptions enabled: a point it cannot transform
            moved = np.full((points.shape[0], 2), np.nan)
        return moved

    def _unwrapped(self, x: np.ndarray, reference: np.ndarray) -> np.ndarray:
        """Cylindrical x of corners moved by whole turns of the world next to a block's first corner (a block
        across the meridian opposite the centre, e.g. of a map from 0 to 360 degrees of longitude)."""
        if not self._wrap_x:
            return x
        with np.errstate(invalid="ignore"):
            return x - self._wrap_x * np.round((x - reference) / self._wrap_x)

    def strip_m2(self, row: int, rows: int) -> np.ndarray:
        """Areas of the pixels of rows ``row .. row + rows - 1`` (0 = the raster's first row).

        Args:
            row: the first row.
            rows: how many rows.

        Returns:
            A float64 array (rows x width): each pixel's true area on the ellipsoid in m² (for a
            raster without CRS, the pixel's area in square map units).

        Raises:
            InputError: pixels outside the area where the CRS's projection is defined.
        """
        gt = self.gt
        if self._to_equal_area is None:
            return np.full((rows, self.width), abs(gt[1] * gt[5] - gt[2] * gt[4]))
        edges = np.unique(np.r_[np.arange(0, self.width, self.block), self.width])
        blocks = self._blocks_m2(row, rows, edges)
        widths = np.diff(edges)
        return np.repeat(blocks / widths, widths, axis=1)

    def describe(self) -> str:
        """How areas are computed, for messages and the types JSON (English)."""
        if self.kind == "none":
            return "no CRS: square map units"
        projection = "a cylindrical" if self._wrap_x else "a polar azimuthal"
        return (f"true areas on the {self.ellipsoid or 'CRS'} ellipsoid of the CRS (pixel corners in {projection} "
                "equal-area projection); a polygon's area is the sum of its pixels'")



def _transformation(source, target):
    """GDAL's transformation between two CRSs, or None when there is none (whatever GDAL's exception mode)."""
    from osgeo import osr

    from ..gdal_calls import gdal_call

    return gdal_call(osr.CreateCoordinateTransformation, source, target)[0]
