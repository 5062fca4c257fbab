"""The change-map run's fast paths give what the plain definitions give.

- the cubic zoom as two matrix products equals ``scipy.ndimage.zoom`` (order 3, nearest, grid mode);
- a row band read through a per-pixel transform holds that transform of the raw rows;
- the minimum-valid pre-pass, reading the dates in threads, keeps and drops the tiles (and
  counts the reasons per date) exactly as a loop over tiles and dates that stops at the first
  failing date.
"""
from __future__ import annotations

from functools import partial

import numpy as np
import pytest

from support import TINY
from planaura_plugin.model.config import ModelConfig
from planaura_plugin.model.loading import ModelSpec
from planaura_plugin.normalisation import normalise
from planaura_plugin.pipeline.change.plan import date_readers, plan_change_map
from planaura_plugin.pipeline.requests import ChangeMapOutputs, ChangeMapRequest
from planaura_plugin.presets import HLS
from planaura_plugin.raster.reader import RowBandCache
from planaura_plugin.raster.tile_grid import keeps, nodata_fraction
from planaura_plugin.raster.upsample import upsample_masked, zoom_cubic


@pytest.mark.parametrize("seed", range(6))
def test_cubic_zoom_is_scipys(seed):
    from scipy.ndimage import zoom

    rng = np.random.default_rng(seed)
    for _ in range(25):
        h, w = (int(v) for v in rng.integers(1, 40, 2))
        factor = int(rng.integers(1, 17))
        values = (rng.standard_normal((h, w)) * rng.choice([1e-3, 1.0, 1e4])).astype(np.float32)
        want = zoom(values, (factor, factor), order=3, mode="nearest", grid_mode=True)
        got = zoom_cubic(values, factor)
        assert got.dtype == want.dtype and got.shape == want.shape
        np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-6 * float(np.abs(values).max()))


def _upsample_as_the_reference(planes, factor, clip):
    """SPEC 3 with scipy itself: zoom the values (nodata as 0) and the valid mask, keep mask > 0.9."""
    from scipy.ndimage import zoom

    out = []
    for plane in planes:
        valid = (plane != -100.0).astype(np.float32)
        num = zoom(np.where(valid > 0, plane, np.float32(0)), (factor, factor), order=3, mode="nearest",
                   grid_mode=True)
        if clip:
            num = np.clip(num, -1, 1)
        good = zoom(valid, (factor, factor), order=3, mode="nearest", grid_mode=True) > 0.9
        out.append(np.where(good, num, np.float32(-100.0)))
    return np.stack(out)


@pytest.mark.parametrize("seed", range(6))
def test_masked_upsampling_is_the_references(seed):
    rng = np.random.default_rng(seed)
    for _ in range(8):
        c, (h, w), factor = int(rng.integers(1, 4)), (int(v) for v in rng.integers(2, 36, 2)), int(rng.integers(1, 17))
        planes = rng.uniform(-1.3, 1.3, (c, h, w)).astype(np.float32)
        planes[rng.random((c, h, w)) < rng.choice([0.0, 0.05, 0.4])] = -100.0
        clip = bool(rng.integers(0, 2))
        got = upsample_masked(planes, factor, clip=clip)
        want = _upsample_as_the_reference(planes, factor, clip)
        np.testing.assert_array_equal(got == -100.0, want == -100.0)
        np.testing.assert_allclose(got, want, rtol=0, atol=1e-6)


def _mem_raster(array):
    from osgeo import gdal, gdal_array

    ds = gdal.GetDriverByName("MEM").Create("", array.shape[2], array.shape[1], array.shape[0],
                                            gdal_array.NumericTypeCodeToGDALTypeCode(array.dtype))
    for b in range(array.shape[0]):
        ds.GetRasterBand(b + 1).WriteArray(array[b])
    return ds


@pytest.mark.parametrize("seed", range(5))
def test_row_band_through_a_transform_is_the_transform_of_the_raw_rows(seed):
    rng = np.random.default_rng(seed)
    raw = rng.integers(-9999, 12000, (6, 300, 260)).astype(np.int16)
    ds = _mem_raster(raw)
    transform = partial(normalise, mean=HLS.mean, std=HLS.std, no_data=HLS.no_data)
    c0, c1 = sorted(int(v) for v in rng.integers(0, 200, 2))
    cache = RowBandCache(ds, c0, c1 + 60, transform=transform)
    row = 0
    for _ in range(12):
        row = min(300 - 40, row + int(rng.integers(0, 30)))
        col = int(rng.integers(0, 260 - 40))  # sometimes outside the cached columns
        got = cache.window(row, col, 40, 40)
        want = transform(raw[:, row:row + 40, col:col + 40])
        np.testing.assert_array_equal(got, want)


# ------------------------------------------------------------------------------------------------
# the pre-pass
# ------------------------------------------------------------------------------------------------
def _write(path, array, nodata):
    from osgeo import gdal

    ds = gdal.GetDriverByName("GTiff").Create(str(path), array.shape[2], array.shape[1], array.shape[0],
                                              gdal.GDT_Int16)
    ds.SetGeoTransform((500000.0, 30.0, 0.0, 4000000.0, 0.0, -30.0))
    ds.SetProjection('PROJCS["WGS 84 / UTM zone 15N",GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",'
                     '6378137,298.257223563]],PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]],'
                     'PROJECTION["Transverse_Mercator"],PARAMETER["latitude_of_origin",0],'
                     'PARAMETER["central_meridian",-93],PARAMETER["scale_factor",0.9996],'
                     'PARAMETER["false_easting",500000],PARAMETER["false_northing",0],UNIT["metre",1],'
                     'AUTHORITY["EPSG","32615"]]')
    for b in range(array.shape[0]):
        ds.GetRasterBand(b + 1).SetNoDataValue(nodata)
        ds.GetRasterBand(b + 1).WriteArray(array[b])
    ds = None
    return str(path)


def _sequential(plan):
    """Kept tiles and dropped counts of the plain loop (tiles in order, dates until the first failing one)."""
    from planaura_plugin.pipeline.change.plan import _tile_grids

    readers = date_readers(plan, with_fmask=False)
    grids = _tile_grids(plan.request, plan.window, plan.frames, [])
    kept, dropped = [], {}
    for k, grid in enumerate(grids):
        ok = []
        for tile in grid.tiles():
            for t, (reader, info) in enumerate(zip(readers, plan.infos)):
                raw = reader.read(tile.row, tile.col)
                why = "outside" if raw is None else \
                    (None if keeps(nodata_fraction(raw, info.cut_nodata()), plan.request.min_valid) else "nodata")
                if why:
                    if k == 0:
                        dropped[(t, why)] = dropped.get((t, why), 0) + 1
                    break
            else:
                ok.append(tile)
        kept.append(ok)
    return [p for i, p in enumerate(kept) if i == 0 or p], dropped


@pytest.mark.parametrize("seed", range(4))
def test_threaded_prepass_keeps_and_counts_as_the_plain_loop(seed, tmp_path, tiny_checkpoint):
    rng = np.random.default_rng(seed)
    h, w = (int(v) for v in rng.integers(150, 260, 2))
    paths = []
    for t in range(3):
        arr = rng.integers(100, 3000, (6, h, w)).astype(np.int16)
        for _ in range(int(rng.integers(2, 7))):  # rectangles of nodata, in one band or all
            r, c = int(rng.integers(0, h - 20)), int(rng.integers(0, w - 20))
            bands = slice(None) if rng.random() < 0.5 else slice(int(rng.integers(0, 6)), None)
            arr[bands, r:r + int(rng.integers(20, 90)), c:c + int(rng.integers(20, 90))] = -9999
        paths.append(_write(tmp_path / f"HLS.S30.T15SXR.202{t}250T163901.v2.0.tif", arr, -9999))
    spec = ModelSpec(preset=HLS, config=ModelConfig(**TINY), checkpoint=str(tiny_checkpoint), device="cpu")
    request = ChangeMapRequest(inputs=paths, outputs=ChangeMapOutputs(cosine_map=str(tmp_path / "c.tif")),
                               model=spec, min_valid=float(rng.choice([0.5, 0.8, 0.95])),
                               num_predictions=1 + seed % 2)
    plan = plan_change_map(request)
    kept, dropped = _sequential(plan)
    assert plan.passes == kept
    assert plan.dropped == dropped
    assert sum(dropped.values()) + len(plan.passes[0]) == plan.candidates


@pytest.mark.parametrize("seed", range(8))
def test_row_memo_serves_kept_rows_and_reads_only_the_gaps(seed):
    from planaura_plugin.raster.row_band import RowMemo

    rng = np.random.default_rng(seed)
    truth = rng.integers(0, 1000, (2, 400, 7)).astype(np.int16)
    memo = RowMemo(budget_bytes=int(rng.integers(1, 6)) * 40 * 7 * 2 * 2)
    row = 0
    while row < 400:  # chunks of the pre-pass, some beyond the budget
        n = int(rng.integers(10, 60))
        memo.put_rows("src", row, truth[:, row:row + n].copy())
        row += n
    memo.put_rows("src", 5, truth[:, 5:30].copy())  # overlaps a kept chunk: not kept
    read_rows = []

    def read(a, b):
        read_rows.extend(range(a, b))
        return truth[:, a:b]

    kept = {r for start, c in memo._rows["src"].items() for r in range(start, start + c.shape[1])}
    r0, served = 0, set()
    while r0 < 400:
        r1 = min(400, r0 + int(rng.integers(1, 80)))
        np.testing.assert_array_equal(memo.rows("src", r0, r1, read), truth[:, r0:r1])
        served |= set(range(r0, r1))
        r0 = r1 + int(rng.integers(0, 20))
    assert set(read_rows) == served - kept and len(read_rows) == len(set(read_rows))
    assert memo.used <= memo.budget


def test_the_run_reads_again_only_the_rows_the_prepass_could_not_keep(tmp_path):
    from planaura_plugin.raster.reader import DateReader, describe
    from planaura_plugin.raster.row_band import RowBandCache, RowMemo

    rng = np.random.default_rng(11)
    raw = rng.integers(0, 5000, (6, 256, 96)).astype(np.int16)
    path = _write(tmp_path / "strip.tif", raw, -9999)
    info = describe(path)
    memo = RowMemo(budget_bytes=6 * 96 * 2 * 100)  # 100 rows
    transform = partial(normalise, mean=HLS.mean, std=HLS.std, no_data=HLS.no_data)
    tiles = [(r, c) for r in range(0, 256 - 64 + 1, 32) for c in (0, 32)]
    prepass = DateReader(info, info, (0, 96), 64, is_base=True, memo=memo, memo_mode="record")
    for r, c in tiles:
        np.testing.assert_array_equal(prepass.read(r, c), raw[:, r:r + 64, c:c + 64])
    assert 0 < memo.used <= memo.budget
    counted = []
    original = RowBandCache._read_rows

    def counting(self, a, b):
        counted.extend(range(a, b))
        return original(self, a, b)

    RowBandCache._read_rows = counting
    try:
        run = DateReader(info, info, (0, 96), 64, is_base=True, memo=memo, memo_mode="use", transform=transform)
        for r, c in tiles:
            np.testing.assert_array_equal(run.read(r, c), transform(raw[:, r:r + 64, c:c + 64]))
    finally:
        RowBandCache._read_rows = original
    assert 0 < len(counted) <= 256 - 96 and len(counted) == len(set(counted))  # at least 96 rows were kept
