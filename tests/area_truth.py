"""The ellipsoidal truth of areas for the tests (importable as `area_truth`), independent of the code tested.

Areas come from pyproj's ``Geod`` (Karney's geodesic polygon areas, on the ellipsoid of the CRS)
of rings densified in the map's CRS, so a pixel or polygon edge that is straight in the map is
followed on the ellipsoid (a geodesic between points a pixel apart departs from it by nothing
measurable). Test maps are built from the real HLS scene (classes of the difference between its
two dates: real patch shapes) placed at a chosen latitude in UTM and warped with gdalwarp into any CRS.
"""
from __future__ import annotations

import warnings
from pathlib import Path
from typing import Sequence, Tuple

import numpy as np

from support import DATA

IMAGES = (DATA / "HLS.S30.T15SXR.2021250T163901.v2.0.tif", DATA / "HLS.S30.T15SXR.2022245T163901.v2.0.tif")
#: cosine given to each class (1 no change ... 4 high change; 0 = nodata)
CLASS_COSINES = np.array([-100, 0.95, 0.7, 0.5, 0.2], dtype=np.float32)

#: the CRSs the areas are checked in (PROJ strings or EPSG codes); ``{lon}`` / ``{lat}`` are filled in
CRS_CASES = {
    "utm": "utm",  # the UTM zone of the longitude (one beside it in the property tests)
    "3979": "EPSG:3979",
    "3857": "EPSG:3857",
    "4326": "EPSG:4326",
    "lcc": "+proj=lcc +lat_1={lat1} +lat_2={lat2} +lat_0={lat0} +lon_0={lon} +x_0=0 +y_0=0 +ellps=GRS80 +units=m",
    "tmerc": "+proj=tmerc +lat_0=0 +lon_0={lon0} +k=0.9999 +x_0=304800 +y_0=0 +ellps=clrk66 +units=us-ft",
}


def srs_of(text: str):
    """An ``osr.SpatialReference`` (traditional GIS axis order) of an EPSG:n code, PROJ string or WKT."""
    from osgeo import osr

    srs = osr.SpatialReference()
    srs.SetFromUserInput(text)
    srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    return srs


def crs_text(case: str, lon: float, lat: float, shift: int = 0) -> str:
    """The CRS of a case at (lon, lat); ``shift`` moves UTM to a neighbouring zone (maps past a zone's edge)."""
    if case == "utm":
        zone = int((lon + 180) // 6) + 1 + shift
        return f"+proj=utm +zone={zone} +datum=WGS84 +units=m"
    return CRS_CASES[case].format(lon=lon, lat0=lat - 1, lat1=lat - 3, lat2=lat + 2, lon0=lon + 1.5)


def _geod(srs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "PROJ data directory not found": Geod needs none
        from pyproj import Geod
    inv_f = srs.GetInvFlattening()
    a = srs.GetSemiMajor()
    return Geod(a=a, rf=inv_f) if inv_f else Geod(a=a, b=a)


def ring_area_m2(srs, x: np.ndarray, y: np.ndarray) -> float:
    """Area (m², unsigned) on the CRS's ellipsoid of a ring given by map coordinates (densified by the caller)."""
    from osgeo import osr

    geog = srs.CloneGeogCS()
    geog.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    lonlat = np.asarray(osr.CoordinateTransformation(srs, geog).TransformPoints(np.column_stack([x, y])))
    lonlat = lonlat * np.degrees(geog.GetAngularUnits())  # a CRS on grads (NTF Paris): Geod wants degrees
    area, _perimeter = _geod(srs).polygon_area_perimeter(lonlat[:, 0], lonlat[:, 1])
    return abs(float(area))


def pixel_area_m2(srs, gt: Sequence[float], row: int, col: int, steps: int = 16) -> float:
    """True area of pixel (row, col) of a grid: its four edges, each cut into ``steps``."""
    t = np.arange(steps) / steps
    one, zero = np.ones(steps), np.zeros(steps)
    c = col + np.concatenate([t, one, 1 - t, zero])
    r = row + np.concatenate([zero, t, one, 1 - t])
    return ring_area_m2(srs, gt[0] + c * gt[1] + r * gt[2], gt[3] + c * gt[4] + r * gt[5])


def geometry_area_m2(srs, geometry, step: float) -> float:
    """True area of an OGR polygon or multipolygon (holes taken out), its edges cut to ``step`` map units."""
    dense = geometry.Clone()
    dense.Segmentize(step)
    polygons = [dense.GetGeometryRef(i) for i in range(dense.GetGeometryCount())] \
        if dense.GetGeometryName() == "MULTIPOLYGON" else [dense]
    total = 0.0
    for poly in polygons:
        for k in range(poly.GetGeometryCount()):
            pts = np.array(poly.GetGeometryRef(k).GetPoints())[:, :2]
            area = ring_area_m2(srs, pts[:, 0], pts[:, 1])
            total += area if k == 0 else -area
    return total


def class_map_at(folder: Path, case: str, lon: float, lat: float, size: int = 100, offset: Tuple[int, int] = (300, 300),
                 shift: int = 0, name: str = "cos") -> Path:
    """A cosine map of real change patches centred near (lon, lat) in the CRS of ``case``.

    The classes of a ``size`` x ``size`` window of the HLS pair (30 m UTM pixels; the Euclidean
    distance between the two dates' six bands, split at its 70, 85 and 95 % quantiles into classes
    1-4 given :data:`CLASS_COSINES`) are placed at (lon, lat) in the UTM zone of lon, then warped
    (nearest) into the case's CRS with GDAL's own resolution.

    Returns:
        The warped GeoTIFF (nodata -100 around the footprint).
    """
    from osgeo import gdal, osr

    before, after = (gdal.Open(str(p)).ReadAsArray(offset[0], offset[1], size, size).astype(float) for p in IMAGES)
    distance = np.sqrt(((after - before) ** 2).sum(axis=0))
    nodata = (before[0] == -9999) | (after[0] == -9999)
    classes = np.digitize(distance, np.quantile(distance[~nodata], [0.7, 0.85, 0.95])) + 1
    classes[nodata] = 0
    utm = srs_of(crs_text("utm", lon, lat))
    x0, y0, _z = osr.CoordinateTransformation(srs_of("EPSG:4326"), utm).TransformPoint(lon, lat)
    src = gdal.GetDriverByName("MEM").Create("", size, size, 1, gdal.GDT_Float32)
    src.SetGeoTransform([round(x0), 30.0, 0.0, round(y0), 0.0, -30.0])
    src.SetProjection(utm.ExportToWkt())
    src.GetRasterBand(1).SetNoDataValue(-100)
    src.GetRasterBand(1).WriteArray(CLASS_COSINES[classes])
    out = folder / f"{name}_{case}.tif"
    target = srs_of(crs_text(case, lon, lat, shift))
    gdal.Warp(str(out), src, dstSRS=target.ExportToWkt(), resampleAlg="near", srcNodata=-100, dstNodata=-100,
              format="GTiff")
    return out


def region_area_m2(path: Path, keep: np.ndarray) -> float:
    """True area of the pixels of the raster ``path`` where ``keep`` holds (GDAL polygonize, then :func:`Geod`)."""
    from osgeo import gdal, ogr

    ds = gdal.Open(str(path))
    srs = srs_of(ds.GetProjection())
    gt = ds.GetGeoTransform()
    mem = gdal.GetDriverByName("MEM").Create("", ds.RasterXSize, ds.RasterYSize, 1, gdal.GDT_Byte)
    mem.SetGeoTransform(gt)
    mem.GetRasterBand(1).WriteArray(keep.astype(np.uint8))
    vds = ogr.GetDriverByName("Memory").CreateDataSource("")
    layer = vds.CreateLayer("r", None, ogr.wkbPolygon)
    layer.CreateField(ogr.FieldDefn("v", ogr.OFTInteger))
    band = mem.GetRasterBand(1)
    gdal.Polygonize(band, band, layer, 0)
    step = min(abs(gt[1]), abs(gt[5]))
    return sum(geometry_area_m2(srs, f.GetGeometryRef(), step) for f in layer)
