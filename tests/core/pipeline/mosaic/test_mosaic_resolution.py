"""The mosaic's resolution in target CRSs of other units (degrees, feet).

A resolution impossible in the target units is refused with a message that names the unit
and a sensible value; without a resolution, a CRS that is not in metres gets the inputs'
pixel size in its units, and the mosaic matches the one made in the inputs' own CRS.
"""
from __future__ import annotations

import re

import numpy as np
import pytest

from outputs_support import pairs, request_for
from planaura_plugin.errors import InputError
from planaura_plugin.pipeline.mosaic import run_mosaic

# every test under GDAL exceptions off (QGIS 3.22) and on (gdal, ogr, osr; QGIS >= 3.40)
pytestmark = pytest.mark.usefixtures("gdal_exceptions")


@pytest.mark.parametrize("crs, resolution, unit", [("EPSG:4326", 30.0, "degree"), ("EPSG:4326", 0.05, "degree"),
                                                   ("EPSG:3979", 0.0003, "metre"), ("EPSG:3979", 50000.0, "metre")])
def test_impossible_resolution_is_refused_with_unit_and_value(tmp_path, crs, resolution, unit):
    out = tmp_path / "out"
    with pytest.raises(InputError) as err:
        run_mosaic(request_for(pairs(tmp_path / "p", 0.2, 2021001), out, target_crs=crs,
                               target_resolution=resolution))
    message = str(err.value)
    assert message.startswith(f"the target resolution {resolution:g} is impossible in {crs}"), message
    assert f"unit is the {unit}" in message
    suggested = float(re.search(r"give a resolution near ([0-9.e+-]+)", message).group(1))
    if unit == "degree":  # 30 m at about 32.5 N: 2.7e-4 degree of latitude, 3.2e-4 of longitude
        assert 2.5e-4 < suggested < 3.5e-4, message
    else:
        assert 25 < suggested < 40, message
    assert not out.exists()


def test_explicit_resolution_in_metres_is_unchanged(tmp_path):
    from osgeo import gdal

    written = run_mosaic(request_for(pairs(tmp_path / "p", 0.2, 2021001), tmp_path / "out",
                                     target_crs="EPSG:3979", target_resolution=30.0))
    assert gdal.Open(written["cosine_map"]).GetGeoTransform()[1] == 30.0
    written = run_mosaic(request_for(pairs(tmp_path / "p", 0.2, 2021001), tmp_path / "none",
                                     target_crs="EPSG:3979", target_resolution=None))
    assert gdal.Open(written["cosine_map"]).GetGeoTransform()[1] == 30.0  # upstream's default in metres


def _sample_utm(utm_path: str, geo_path: str) -> tuple:
    """Values of the EPSG:4326 mosaic and of the UTM mosaic at the centres of the 4326 pixels."""
    from osgeo import gdal, osr

    geo, utm = gdal.Open(geo_path), gdal.Open(utm_path)
    g, u = geo.GetGeoTransform(), utm.GetGeoTransform()
    src = osr.SpatialReference()
    src.ImportFromEPSG(4326)
    dst = osr.SpatialReference()
    dst.ImportFromWkt(utm.GetProjection())
    for s in (src, dst):
        s.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    ct = osr.CoordinateTransformation(src, dst)
    garr, uarr = geo.ReadAsArray(), utm.ReadAsArray()
    rows, cols = np.mgrid[0:geo.RasterYSize, 0:geo.RasterXSize]
    lon, lat = g[0] + (cols.ravel() + 0.5) * g[1], g[3] + (rows.ravel() + 0.5) * g[5]
    xy = np.array(ct.TransformPoints(np.c_[lon, lat]))
    uc = np.floor((xy[:, 0] - u[0]) / u[1]).astype(int)
    ur = np.floor((xy[:, 1] - u[3]) / u[5]).astype(int)
    inside = (uc >= 0) & (uc < utm.RasterXSize) & (ur >= 0) & (ur < utm.RasterYSize)
    mine = garr.ravel()[inside]
    theirs = uarr[ur[inside], uc[inside]]
    return mine, theirs


def test_default_resolution_in_degrees_gives_the_same_mosaic(tmp_path):
    from osgeo import gdal

    ps = pairs(tmp_path / "p", 0.2, 2021001)
    utm = run_mosaic(request_for(ps, tmp_path / "utm", target_crs="EPSG:32615", target_resolution=30.0))
    geo = run_mosaic(request_for(ps, tmp_path / "geo", target_crs="EPSG:4326", target_resolution=None))
    ds = gdal.Open(geo["cosine_map"])
    res = ds.GetGeoTransform()[1]
    assert 2.5e-4 < res < 3.5e-4 and res == float(f"{res:.3g}")  # the inputs' 30 m, in degrees
    assert ds.RasterXSize > 20 and ds.RasterYSize > 15
    for kind, tol in (("cosine_map", 0.03), ("persistence", 0), ("before_date", 0)):
        mine, theirs = _sample_utm(utm[kind], geo[kind])
        valid = (mine != {"cosine_map": -100, "persistence": 0, "before_date": -100}[kind])
        assert valid.sum() > 300, kind
        if tol:
            both = valid & (theirs != -100)
            assert np.abs(mine[both] - theirs[both]).max() < tol, kind
        else:  # nearest values at pixel centres: equal except along the pairs' edges
            assert np.mean(mine[valid] == theirs[valid]) > 0.95, kind
