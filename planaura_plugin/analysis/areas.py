"""Areas in square metres of polygons and pixels of a raster's CRS (geodesic for a geographic CRS).

A projected CRS gives areas from the geometry in its own linear unit (converted to metres).
A geographic CRS (degrees) gives no area by itself: geometries are then transformed to a
Lambert azimuthal equal-area projection on the CRS's own ellipsoid, centred on the map, where
planar areas are true areas on the ellipsoid (equal-area: only shapes are distorted).
"""
from __future__ import annotations

from typing import Optional, Sequence, Tuple

SQUARE_METRES_PER_HECTARE = 10_000.0


class AreaMeter:
    """Measures polygons and pixels of one raster grid in square metres.

    Args:
        projection: the raster's CRS as WKT ('' when the raster has none).
        geotransform: the raster's GDAL geotransform (6 numbers).
        centre: (x, y) of the map's centre in its CRS, the centre of the equal-area projection
            used for a geographic CRS.

    Attributes:
        kind: ``"projected"``, ``"geographic"`` or ``"none"`` (no CRS: areas in square pixel units).
    """

    def __init__(self, projection: str, geotransform: Sequence[float], centre: Tuple[float, float]) -> None:
        from osgeo import osr

        from ..gdal_calls import spatial_reference

        self.gt = tuple(float(v) for v in geotransform)
        self.srs: Optional[osr.SpatialReference] = None
        self.to_equal_area = None
        self.unit_m = 1.0
        self.kind = "none"
        srs = spatial_reference(projection)[0] if projection else None  # an unreadable CRS: areas in map units
        if srs is not None:
            self.srs = srs
            if srs.IsGeographic():
                self.kind = "geographic"
                self.to_equal_area = self._equal_area_transform(srs, centre)
            else:
                self.kind = "projected"
                self.unit_m = float(srs.GetLinearUnits() or 1.0)

    @staticmethod
    def _equal_area_transform(srs, centre: Tuple[float, float]):
        """Transformation from ``srs`` (degrees) to a Lambert azimuthal equal-area centred at ``centre``."""
        from osgeo import osr

        laea = osr.SpatialReference()
        a, inv_f = srs.GetSemiMajor(), srs.GetInvFlattening()
        laea.SetProjCS("Planaura equal-area")
        laea.SetGeogCS("map", "map datum", "map ellipsoid", a, inv_f)
        laea.SetLAEA(float(centre[1]), float(centre[0]), 0.0, 0.0)
        laea.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
        return osr.CoordinateTransformation(srs, laea)  # a geographic CRS to LAEA on its own ellipsoid: never fails

    def geometry_m2(self, geometry) -> float:
        """Area of an OGR polygon (holes excluded) in square metres.

        Args:
            geometry: an ``ogr.Geometry`` in the raster's CRS.

        Returns:
            The area in m² (in square CRS units when the raster has no CRS).
        """
        if self.to_equal_area is not None:
            clone = geometry.Clone()
            clone.Transform(self.to_equal_area)
            return float(clone.GetArea())
        return float(geometry.GetArea()) * self.unit_m * self.unit_m

    def pixel_m2(self, row: int) -> float:
        """Area of one pixel of row ``row`` (0 = the raster's first row) in square metres.

        Args:
            row: the pixel row; it matters only for a geographic CRS.

        Returns:
            The pixel's area in m².
        """
        gt = self.gt
        if self.to_equal_area is None:
            return abs(gt[1] * gt[5] - gt[2] * gt[4]) * self.unit_m * self.unit_m
        from osgeo import ogr

        ring = ogr.Geometry(ogr.wkbLinearRing)
        for dx, dy in ((0, 0), (1, 0), (1, 1), (0, 1), (0, 0)):
            ring.AddPoint_2D(gt[0] + dx * gt[1] + (row + dy) * gt[2], gt[3] + dx * gt[4] + (row + dy) * gt[5])
        poly = ogr.Geometry(ogr.wkbPolygon)
        poly.AddGeometry(ring)
        return self.geometry_m2(poly)
