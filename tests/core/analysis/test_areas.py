"""True areas of pixels around a pole and across the meridian opposite a map's centre (issue 21).

Two kinds the first tests did not reach, each measured against pyproj's geodesic areas
(tests/area_truth.py):

- a polar map (EPSG:3413 sea-ice grid, EPSG:3995, EPSG:3031, a custom polar stereographic or
  Lambert azimuthal map) with the pole in or near the raster: in the cylindrical equal-area
  projection the pole is a line, so the pixel holding it was off by +136 % and its neighbours
  by -21 % (10 km EPSG:3995 pixels), pixels two away from it by +1.7 % (25 km EPSG:3413);
- a map in degrees around the whole world (0 to 360, -180 to 180 of longitude): the pixels of the
  last column were measured across the whole world (x358 for 1 degree pixels).

Pixels outside an azimuthal map's disc got an area of 0 instead of a refusal once measured in
an azimuthal projection (PROJ gives (0, 0) for them): they are refused as outside the projection.
"""
from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from area_truth import pixel_area_m2, ring_area_m2, srs_of
from planaura_plugin.analysis.areas import AreaMeter
from planaura_plugin.errors import InputError

REL = 1e-4

POLAR_CRS = ["EPSG:3413", "EPSG:3995", "EPSG:3031", "EPSG:3976",
             "+proj=stere +lat_0=90 +lat_ts=60 +lon_0=-100 +x_0=0 +y_0=0 +ellps=clrk66 +units=m",
             "+proj=laea +lat_0=-90 +lon_0=30 +x_0=0 +y_0=0 +ellps=GRS80 +units=m"]


def _pole_grid(crs: str, pixel_m: float, size: int, pole_at: tuple):
    """(WKT, geotransform) of a north-up grid of ``size`` x ``size`` pixels with the pole at pixel coordinates
    ``pole_at`` (column, row; fractions place it inside a pixel)."""
    from osgeo import osr

    srs = srs_of(crs)
    lat = 90.0 if srs.GetProjParm(osr.SRS_PP_LATITUDE_OF_ORIGIN, 0.0) >= 0 else -90.0
    x, y, _z = osr.CoordinateTransformation(srs_of("EPSG:4326"), srs).TransformPoint(0.0, lat)
    return srs.ExportToWkt(), (x - pole_at[0] * pixel_m, pixel_m, 0.0, y + pole_at[1] * pixel_m, 0.0, -pixel_m)


@pytest.mark.parametrize("crs", POLAR_CRS)
def test_pixels_at_and_around_the_pole_are_true(crs):
    """Every pixel of the 5 x 5 block around the pole of a 10 km polar grid of 600 x 600 pixels (the pole in
    the middle of a pixel, then on a corner)."""
    for pole_at in ((300.5, 300.5), (300.0, 300.0)):
        wkt, gt = _pole_grid(crs, 10_000.0, 600, pole_at)
        meter = AreaMeter(wkt, gt, (600, 600), "polar")
        strip = meter.strip_m2(298, 5)
        for row in range(5):
            for col in range(298, 303):
                truth = pixel_area_m2(srs_of(wkt), gt, 298 + row, col, steps=64)
                assert strip[row, col] == pytest.approx(truth, rel=REL), (crs, pole_at, row, col)


@settings(max_examples=40, deadline=None)
@given(crs=st.sampled_from(POLAR_CRS), pixel_m=st.floats(30, 25_000), size=st.integers(50, 400),
       pole_col=st.floats(-1.5, 2.5), pole_row=st.floats(-1.5, 2.5), where=st.tuples(st.floats(0, 1), st.floats(0, 1)))
def test_any_pixel_of_a_polar_grid_near_its_pole_is_true(crs, pixel_m, size, pole_col, pole_row, where):
    """Property: polar grids of any pixel size (30 m to 25 km) with the pole anywhere from outside the raster
    (by up to one and a half raster sizes) to inside it; any pixel."""
    wkt, gt = _pole_grid(crs, pixel_m, size, (pole_col * size, pole_row * size))
    meter = AreaMeter(wkt, gt, (size, size), "polar")
    row, col = int(where[1] * (size - 1)), int(where[0] * (size - 1))
    if not _row_inside_the_projection(wkt, gt, row, size):  # a row reaching past the azimuthal disc: refused
        with pytest.raises(InputError, match="cannot be placed on the ellipsoid"):
            meter.strip_m2(row, 1)
        return
    truth = pixel_area_m2(srs_of(wkt), gt, row, col, steps=64)
    assert meter.strip_m2(row, 1)[0, col] == pytest.approx(truth, rel=REL)


def _row_inside_the_projection(wkt: str, gt, row: int, size: int) -> bool:
    """Whether every pixel corner of a row has a latitude and longitude (an azimuthal map ends at a disc)."""
    from osgeo import osr

    srs = srs_of(wkt)
    geog = srs.CloneGeogCS()
    geog.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    cols = np.repeat(np.arange(size + 1.0), 2)
    rows = np.tile([row, row + 1.0], size + 1)
    points = np.column_stack([gt[0] + cols * gt[1] + rows * gt[2], gt[3] + cols * gt[4] + rows * gt[5]])
    lonlat = np.asarray(osr.CoordinateTransformation(srs, geog).TransformPoints(points))[:, :2]
    return bool(np.isfinite(lonlat).all())


def test_a_polar_grid_adds_up_to_its_extent():
    """The pixels of the EPSG:3413 sea-ice grid (304 x 448, 25 km, the pole inside) add up to the true area of
    the grid's outline."""
    srs = srs_of("EPSG:3413")
    gt = (-3850000.0, 25000.0, 0.0, 5850000.0, 0.0, -25000.0)
    meter = AreaMeter(srs.ExportToWkt(), gt, (304, 448), "nsidc")
    total = meter.strip_m2(0, 448).sum()
    t = np.linspace(0.0, 1.0, 2000, endpoint=False)
    x0, x1, y0, y1 = gt[0], gt[0] + 304 * gt[1], gt[3], gt[3] + 448 * gt[5]
    xs = np.concatenate([x0 + t * (x1 - x0), np.full_like(t, x1), x1 - t * (x1 - x0), np.full_like(t, x0)])
    ys = np.concatenate([np.full_like(t, y0), y0 + t * (y1 - y0), np.full_like(t, y1), y1 - t * (y1 - y0)])
    assert total == pytest.approx(ring_area_m2(srs, xs, ys), rel=REL)


@pytest.mark.parametrize("west", [0.0, -180.0, -360.0, 17.25])
@pytest.mark.parametrize("columns", [360, 1440, 144])
def test_a_whole_world_map_in_degrees_has_true_areas_in_every_column(west, columns):
    """A map in degrees around the whole world (0 to 360, -180 to 180, ...): its last column ends on the
    meridian opposite the map's centre; every pixel of a row has the same true area."""
    srs = srs_of("EPSG:4326")
    step = 360.0 / columns
    gt = (west, step, 0.0, 10.0 * step, 0.0, -step)
    areas = AreaMeter(srs.ExportToWkt(), gt, (columns, 20), "world").strip_m2(3, 1)[0]
    assert areas == pytest.approx(np.full(columns, pixel_area_m2(srs, gt, 3, 0)), rel=REL)


@settings(max_examples=60, deadline=None)
@given(west=st.floats(-360, 359), step=st.floats(0.01, 5), lat=st.floats(-80, 80), width=st.integers(2, 400),
       crs=st.sampled_from(["EPSG:4326", "EPSG:4269", "EPSG:4617"]), where=st.floats(0, 1))
def test_a_map_in_degrees_anywhere_between_minus_and_plus_360(west, step, lat, width, crs, where):
    """Property: one row of a map in degrees between longitudes -360 and 360 (0 to 360 grids, grids across
    the antimeridian), any pixel size up to 5 degrees: every pixel's true area, the last column's included."""
    width = max(1, min(width, int(360.0 / step), int((360.0 - west) / step)))
    srs = srs_of(crs)
    gt = (west, step, 0.0, lat + step, 0.0, -step)
    meter = AreaMeter(srs.ExportToWkt(), gt, (width, 1), "degrees")
    areas = meter.strip_m2(0, 1)[0]
    for col in {0, width - 1, int(where * (width - 1))}:
        assert areas[col] == pytest.approx(pixel_area_m2(srs, gt, 0, col), rel=REL), col
    # every pixel of a row of a map in degrees has the same true area
    assert areas.sum() == pytest.approx(width * pixel_area_m2(srs, gt, 0, 0), rel=REL)


def test_pixels_past_an_azimuthal_maps_disc_are_refused_not_zero():
    """A polar Lambert azimuthal grid reaching past its disc (12 756 km from the pole on GRS80): the pixels
    there have no place on the ellipsoid; they were given an area of 0."""
    crs = "+proj=laea +lat_0=-90 +lon_0=30 +x_0=0 +y_0=0 +ellps=GRS80 +units=m"
    wkt, gt = _pole_grid(crs, 32_092.0, 398, (199.0, 0.0))
    meter = AreaMeter(wkt, gt, (398, 398), "beyond")
    assert not _row_inside_the_projection(wkt, gt, 397, 398)
    with pytest.raises(InputError, match="pixels of rows 397 to 397 of beyond cannot be placed on the ellipsoid"):
        meter.strip_m2(397, 1)
    assert _row_inside_the_projection(wkt, gt, 0, 398) and (meter.strip_m2(0, 1) > 0).all()


def test_a_polar_map_on_a_crs_in_grads_is_measured_around_its_pole():
    """A polar stereographic map on NTF (Paris), whose latitudes are in grads (the pole at 100): the pole
    was looked for at 90 grads (81 degrees), not found, and the pixels around it measured cylindrically."""
    from osgeo import osr

    srs = osr.SpatialReference()
    srs.CopyGeogCSFrom(srs_of("EPSG:27572"))
    srs.SetPS(90.0, 0.0, 0.994, 0.0, 0.0)
    assert srs.GetAngularUnitsName() == "grad"
    wkt, gt = _pole_grid(srs.ExportToWkt(), 10_000.0, 600, (300.5, 300.5))
    strip = AreaMeter(wkt, gt, (600, 600), "ntf polar").strip_m2(299, 3)
    for row in range(3):
        for col in range(299, 302):
            truth = pixel_area_m2(srs_of(wkt), gt, 299 + row, col, steps=64)
            assert strip[row, col] == pytest.approx(truth, rel=REL), (row, col)


def test_description_names_the_projection_used():
    wkt, gt = _pole_grid("EPSG:3413", 25_000.0, 100, (50.0, 50.0))
    assert "polar azimuthal" in AreaMeter(wkt, gt, (100, 100), "polar").describe()
    world = AreaMeter(srs_of("EPSG:4326").ExportToWkt(), (0, 1, 0, 50, 0, -1), (360, 10), "g")
    assert "cylindrical" in world.describe()
    assert math.isfinite(AreaMeter(wkt, gt, (100, 100), "polar").strip_m2(0, 100).sum())
