"""Any affine GDAL grid is read right (issue 8): south-up, mirrored, rotated, non-square, geographic.

Every case is built with GDAL from the real HLS scene and checked against the right answer:
the same pixels give the same map (values and georeferencing), a resampled date matches a run
on an input GDAL warped beforehand, identical images give the identical-image cosine.
"""
from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from support import DATA, TINY
from planaura_plugin.model.config import ModelConfig
from planaura_plugin.model.loading import ModelSpec
from planaura_plugin.pipeline.change import run_change_map
from planaura_plugin.pipeline.requests import ChangeMapOutputs, ChangeMapRequest
from planaura_plugin.presets import HLS
from planaura_plugin.raster import grids

# every test under GDAL exceptions off (QGIS 3.22) and on (gdal, ogr, osr; QGIS >= 3.40)
pytestmark = pytest.mark.usefixtures("gdal_exceptions")

BEFORE = DATA / "HLS.S30.T15SXR.2021250T163901.v2.0.tif"
AFTER = DATA / "HLS.S30.T15SXR.2022245T163901.v2.0.tif"
FMASK_BEFORE = DATA / "fmask_HLS.S30.T15SXR.2021250T163901.v2.0.tif"
SIZE = 128  # crop side: 3 x 3 tiles of the tiny model's 64 px
NODATA = -100.0


@pytest.fixture(scope="module")
def spec(tiny_checkpoint) -> ModelSpec:
    return ModelSpec(preset=HLS, config=ModelConfig(**TINY), checkpoint=str(tiny_checkpoint), device="cpu",
                     batch_size=9)


def crop(src: Path, dst: Path, xoff: int = 300, yoff: int = 400, size: int = SIZE) -> Path:
    from osgeo import gdal

    gdal.Translate(str(dst), str(src), srcWin=[xoff, yoff, size, size])
    return dst


def read(path: Path):
    """(array (bands, rows, cols), geotransform, WKT) of a raster."""
    from osgeo import gdal

    ds = gdal.Open(str(path))
    arr = ds.ReadAsArray()
    return arr.reshape(ds.RasterCount, ds.RasterYSize, ds.RasterXSize), ds.GetGeoTransform(), ds.GetProjection()


def rewrite(src: Path, dst: Path, gt, flip_rows: bool = False, flip_cols: bool = False, wkt: str = None) -> Path:
    """A copy of ``src`` whose stored pixels are mirrored as asked and whose geotransform is ``gt``."""
    from osgeo import gdal

    ds = gdal.Open(str(src))
    arr = ds.ReadAsArray().reshape(ds.RasterCount, ds.RasterYSize, ds.RasterXSize)
    if flip_rows:
        arr = arr[:, ::-1]
    if flip_cols:
        arr = arr[:, :, ::-1]
    out = gdal.GetDriverByName("GTiff").Create(str(dst), ds.RasterXSize, ds.RasterYSize, ds.RasterCount,
                                              ds.GetRasterBand(1).DataType)
    out.SetGeoTransform([float(v) for v in gt])
    out.SetProjection(ds.GetProjection() if wkt is None else wkt)
    for b in range(ds.RasterCount):
        band = out.GetRasterBand(b + 1)
        nd = ds.GetRasterBand(b + 1).GetNoDataValue()
        if nd is not None:
            band.SetNoDataValue(nd)
        band.SetDescription(ds.GetRasterBand(b + 1).GetDescription())
        band.WriteArray(np.ascontiguousarray(arr[b]))
    out = None
    return dst


def run(spec, before: Path, after: Path, out: Path, fmasks=None) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    outputs = ChangeMapOutputs(cosine_map=str(out / "cosine.tif"), quality_fmask=str(out / "quality.tif")
                               if fmasks else None)
    req = ChangeMapRequest(inputs=[str(before), str(after)], outputs=outputs, model=spec,
                           fmasks=fmasks or (), min_valid=0.5)
    written = run_change_map(req)
    assert "cosine_map" in written
    return out


@pytest.fixture(scope="module")
def pair(tmp_path_factory):
    folder = tmp_path_factory.mktemp("pair")
    before = crop(BEFORE, folder / "HLS.S30.T15SXR.2021250T163901.v2.0.tif")
    after = crop(AFTER, folder / "HLS.S30.T15SXR.2022245T163901.v2.0.tif")
    return before, after


@pytest.fixture(scope="module")
def plain(spec, pair, tmp_path_factory):
    """The north-up run of the pair: the right answer for every re-gridded copy."""
    out = run(spec, pair[0], pair[1], tmp_path_factory.mktemp("plain"))
    return read(out / "cosine.tif")


@pytest.fixture(scope="module")
def identical(spec, pair, tmp_path_factory):
    """Cosine of the before image against a copy of itself (the identical-image cosine)."""
    folder = tmp_path_factory.mktemp("identical")
    copy = crop(pair[0], folder / "HLS.S30.T15SXR.2022245T163901.v2.0.tif", 0, 0)
    return read(run(spec, pair[0], copy, folder / "out") / "cosine.tif")


def south_up_gt(gt, height):
    """The geotransform of the same ground grid stored south-up (rows reversed)."""
    return (gt[0], gt[1], gt[2], gt[3] + height * gt[5], gt[4], -gt[5])


def test_south_up_after_is_read_right_side_up(spec, pair, identical, tmp_path):
    before_gt = read(pair[0])[1]
    after = rewrite(pair[0], tmp_path / "HLS.S30.T15SXR.2022245T163901.v2.0.tif", south_up_gt(before_gt, SIZE),
                    flip_rows=True)
    cos, gt, _ = read(run(spec, pair[0], after, tmp_path / "out") / "cosine.tif")
    ref, ref_gt, _ = identical
    assert cos.shape == ref.shape and gt == ref_gt
    np.testing.assert_array_equal(cos, ref)
    assert np.nanmean(cos[cos != NODATA]) > 0.99


def test_south_up_before_gives_the_north_up_output(spec, pair, plain, tmp_path):
    before_gt = read(pair[0])[1]
    before = rewrite(pair[0], tmp_path / pair[0].name, south_up_gt(before_gt, SIZE), flip_rows=True)
    fm = crop(FMASK_BEFORE, tmp_path / "fmask_plain.tif")
    fm_south = rewrite(fm, tmp_path / "fmask_south.tif", south_up_gt(before_gt, SIZE), flip_rows=True)
    out = run(spec, before, pair[1], tmp_path / "out", fmasks=[str(fm_south), None])
    cos, gt, _ = read(out / "cosine.tif")
    ref, ref_gt, _ = plain
    assert gt == ref_gt and gt[5] < 0, "the output must be north-up on the north-up grid"
    np.testing.assert_array_equal(cos, ref)
    ref_q = read(run(spec, pair[0], pair[1], tmp_path / "ref_q", fmasks=[str(fm), None]) / "quality.tif")[0]
    np.testing.assert_array_equal(read(out / "quality.tif")[0], ref_q)


def test_rotated_pair_on_one_grid_gives_the_north_up_values_on_its_grid(spec, pair, plain, tmp_path):
    a = math.radians(17.0)
    gt0 = read(pair[0])[1]
    rot = (gt0[0], 30 * math.cos(a), 30 * math.sin(a), gt0[3], 30 * math.sin(a), -30 * math.cos(a))
    before = rewrite(pair[0], tmp_path / pair[0].name, rot)
    after = rewrite(pair[1], tmp_path / pair[1].name, rot)
    cos, gt, _ = read(run(spec, before, after, tmp_path / "out") / "cosine.tif")
    np.testing.assert_array_equal(cos, plain[0])
    np.testing.assert_allclose(gt, rot, rtol=0, atol=1e-6)


def test_geographic_grids_are_read_at_rounded_offsets(spec, pair, identical, tmp_path):
    """Both dates on one 1 arc-second EPSG:4326 lattice, the after's origin 64 px away in floating point."""
    from osgeo import gdal

    res = 1.0 / 3600.0
    geo = gdal.Warp(str(tmp_path / "geo.tif"), str(BEFORE), dstSRS="EPSG:4326", xRes=res, yRes=res,
                    resampleAlg="near", targetAlignedPixels=True)
    arr_gt = geo.GetGeoTransform()
    geo = None
    big = tmp_path / "geo.tif"
    before = crop(big, tmp_path / pair[0].name, 200, 200, 192)
    after = crop(big, tmp_path / pair[1].name, 136, 136, 320)  # starts 64 px earlier, in floating point
    b_gt, a_gt = read(before)[1], read(after)[1]
    assert arr_gt[1] == b_gt[1]
    offset = (b_gt[0] - a_gt[0]) / b_gt[1]
    assert round(offset) == 64 and offset != 64, "the test needs a floating-point offset"
    cos = read(run(spec, before, after, tmp_path / "out") / "cosine.tif")[0]
    copy = crop(before, tmp_path / "HLS.S30.T15SXR.2022245T000000.v2.0.tif", 0, 0, 192)
    ref = read(run(spec, before, copy, tmp_path / "ref") / "cosine.tif")[0]
    np.testing.assert_array_equal(cos, ref)
    assert cos[cos != NODATA].min() > 0.99


def test_non_square_after_matches_a_gdal_prewarped_after(spec, pair, plain, tmp_path):
    from osgeo import gdal

    gt = read(pair[1])[1]
    bounds = grids.grid_bounds(gt, SIZE, SIZE)
    warped = tmp_path / "HLS.S30.T15SXR.2022245T163901.v2.0.tif"
    gdal.Warp(str(warped), str(pair[1]), xRes=30, yRes=20, outputBounds=bounds, resampleAlg="cubic",
              srcNodata=-9999, dstNodata=-9999)
    back = tmp_path / "prewarped" / warped.name
    back.parent.mkdir()
    gdal.Warp(str(back), str(warped), xRes=30, yRes=30, outputBounds=bounds, resampleAlg="cubic",
              srcNodata=-9999, dstNodata=-9999)
    cos = read(run(spec, pair[0], warped, tmp_path / "out") / "cosine.tif")[0]
    ref = read(run(spec, pair[0], back, tmp_path / "ref") / "cosine.tif")[0]
    valid = (cos != NODATA) & (ref != NODATA)
    assert valid.mean() > 0.9
    assert np.percentile(np.abs(cos[valid] - ref[valid]), 99) <= 0.01
    # and it is not read as the same grid: a same-grid read would differ from the prewarped run a lot
    assert not np.array_equal(cos, plain[0])


def test_same_grid_across_crs_spellings_is_not_warped(pair, tmp_path):
    """HLS's custom WKT of UTM 15N and EPSG:32615 are one CRS for a grid: read pixel for pixel."""
    from osgeo import osr

    from planaura_plugin.raster.reader import DateReader, describe

    srs = osr.SpatialReference()
    srs.ImportFromEPSG(32615)
    gt = read(pair[1])[1]
    epsg = rewrite(pair[1], tmp_path / "epsg.tif", gt, wkt=srs.ExportToWkt())
    base, info = describe(str(pair[0])), describe(str(epsg))
    assert not grids.same_crs(base.projection, info.projection)  # OSR alone says no
    reader = DateReader(info, base, (0, SIZE), 64)
    assert reader.same_grid and reader.lattice_offset == (0, 0)


MIRRORS = st.sampled_from([(False, False), (True, False), (False, True)])


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(angle=st.floats(-180, 180), scale=st.sampled_from([1e-4, 0.3, 30.0, 1000.0]), mirror=MIRRORS,
       x0=st.floats(-1e6, 1e6), y0=st.floats(-1e6, 1e6))
def test_same_pixels_on_any_affine_grid_give_the_same_map(spec, pair, plain, tmp_path_factory, angle, scale,
                                                          mirror, x0, y0):
    """Rotation, mirror (south-up or west-pointing storage) and units change nothing but the georeferencing.

    A mirrored grid is turned back by the flip that brings it nearest north-up, so a mirror of
    a grid rotated by less than 90 degrees comes back exactly; a rotated (unmirrored) grid keeps
    its pixels at any angle.
    """
    assume(mirror == (False, False) or abs(angle) < 89)
    a = math.radians(angle)
    proper = (x0, scale * math.cos(a), scale * math.sin(a), y0, scale * math.sin(a), -scale * math.cos(a))
    flip_rows, flip_cols = mirror
    stored = proper
    if flip_rows:
        stored = (proper[0] + SIZE * proper[2], proper[1], -proper[2], proper[3] + SIZE * proper[5], proper[4],
                  -proper[5])
    if flip_cols:
        stored = (proper[0] + SIZE * proper[1], -proper[1], proper[2], proper[3] + SIZE * proper[4], -proper[4],
                  proper[5])
    folder = tmp_path_factory.mktemp("affine")
    before = rewrite(pair[0], folder / pair[0].name, stored, flip_rows, flip_cols)
    after = rewrite(pair[1], folder / pair[1].name, stored, flip_rows, flip_cols)
    assert grids.orientation_of(stored) == grids.Orientation(flip_rows, flip_cols)
    cos, gt, _ = read(run(spec, before, after, folder / "out") / "cosine.tif")
    np.testing.assert_array_equal(cos, plain[0])
    np.testing.assert_allclose(gt, proper, rtol=1e-9, atol=1e-6 * max(1.0, abs(x0), abs(y0)))


@given(angle=st.floats(-180, 180), scale=st.floats(1e-5, 1e4), dr=st.integers(-500, 500),
       dc=st.integers(-500, 500), noise=st.floats(-1e-4, 1e-4))
def test_aligned_offset_rounds_lattice_offsets(angle, scale, dr, dc, noise):
    a = math.radians(angle)
    base = (1000.0, scale * math.cos(a), scale * math.sin(a), 5000.0, scale * math.sin(a), -scale * math.cos(a))
    # the other grid starts (dr, dc) pixels before the base, plus a tiny fraction of a pixel
    x, y = grids.pixel_to_map(base, -dc - noise, -dr + noise)
    other = (x, base[1], base[2], y, base[4], base[5])
    assert grids.aligned_offset(base, other, 1000) == (dr, dc)
    x, y = grids.pixel_to_map(base, -dc - 0.3, -dr)
    assert grids.aligned_offset(base, (x, base[1], base[2], y, base[4], base[5]), 1000) is None
    stretched = (base[0], base[1], base[2] * 1.5, base[3], base[4], base[5] * 1.5)  # non-square pixels
    assert grids.aligned_offset(base, stretched, 1000) is None


@given(angle=st.floats(-180, 180), scale=st.floats(1e-3, 1e3), mirror=MIRRORS,
       w=st.integers(1, 5000), h=st.integers(1, 5000))
def test_orientation_turns_mirrored_grids_into_proper_ones(angle, scale, mirror, w, h):
    a = math.radians(angle)
    gt = (0.0, scale * math.cos(a), scale * math.sin(a), 0.0, scale * math.sin(a), -scale * math.cos(a))
    if mirror[0]:
        gt = (gt[0], gt[1], -gt[2], gt[3], gt[4], -gt[5])
    if mirror[1]:
        gt = (gt[0], -gt[1], gt[2], gt[3], -gt[4], gt[5])
    o = grids.orientation_of(gt)
    turned = grids.oriented_geotransform(gt, w, h, o)
    assert grids.determinant(turned) < 0
    # the turned grid covers the same ground
    np.testing.assert_allclose(grids.grid_bounds(turned, w, h), grids.grid_bounds(gt, w, h),
                               atol=1e-6 * scale * max(w, h))
