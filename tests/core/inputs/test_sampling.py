"""The checks' samples: few blocks decoded, evenly spread, nodata and masks left out, same answers."""
from __future__ import annotations

import re

import numpy as np
import pytest

from core.inputs.bands_fixtures import gdal, vsimem
from planaura_plugin.inputs.checks import check_scale
from planaura_plugin.inputs.sampling import (SAMPLE_BLOCKS, fingerprint, probe_fingerprint, same_image_fingerprints,
                                             sample_band, sample_windows)
from planaura_plugin.presets import HLS

# every test under GDAL exceptions off (QGIS 3.22) and on (gdal, ogr, osr; QGIS >= 3.40)
pytestmark = pytest.mark.usefixtures("gdal_exceptions")


def tiled(path, arrays, block=(256, 256), nodata=None, dtype=None, compress="DEFLATE"):
    """A tiled (or striped, block width = width) GeoTIFF of (H, W) bands."""
    g = gdal()
    arrays = [np.asarray(a) for a in arrays]
    h, w = arrays[0].shape
    opts = [f"COMPRESS={compress}"]
    if block[0] < w:
        opts += ["TILED=YES", f"BLOCKXSIZE={block[0]}", f"BLOCKYSIZE={block[1]}"]
    else:
        opts += [f"BLOCKYSIZE={block[1]}"]
    ds = g.GetDriverByName("GTiff").Create(path, w, h, len(arrays), dtype or g.GDT_Int16, opts)
    for i, a in enumerate(arrays, 1):
        band = ds.GetRasterBand(i)
        if nodata is not None:
            band.SetNoDataValue(nodata)
        band.WriteArray(a)
    ds = None
    return g.Open(path)


def block_ids(h, w, block):
    """Each pixel's block number (row-major over the blocks)."""
    rows, cols = np.indices((h, w))
    return (rows // block[1]) * (-(-w // block[0])) + cols // block[0]


@pytest.mark.parametrize("seed", range(12))
def test_windows_are_whole_blocks_spread_over_the_raster(seed):
    rng = np.random.default_rng(seed)
    w, h = (int(v) for v in rng.integers(200, 5000, 2))
    bw = int(rng.choice([64, 128, 256, 512, w]))
    bh = int(rng.choice([1, 16, 256, 512])) if bw == w else bw
    class Band:  # only the size and the block size matter here
        XSize, YSize = w, h

        def GetBlockSize(self):
            return [bw, bh]
    windows = sample_windows(Band())
    nx, ny = -(-w // min(bw, w)), -(-h // min(bh, h))
    if nx * ny <= SAMPLE_BLOCKS or nx == 1:  # few blocks, or strips (a decimated read decodes only its rows)
        assert windows == [(0, 0, w, h)]
        return
    assert 1 <= len(windows) <= SAMPLE_BLOCKS and len(set(windows)) == len(windows)
    for x, y, ww, hh in windows:
        assert x % bw == 0 and y % bh == 0 and 0 < ww <= bw and 0 < hh <= bh
        assert x + ww <= w and y + hh <= h and (ww == bw or x + ww == w) and (hh == bh or y + hh == h)
    xs, ys = {x for x, *_ in windows}, {y for _, y, *_ in windows}
    assert 0 in ys and max(ys) == (ny - 1) * bh  # first and last block rows
    if len(xs) > 1:
        assert 0 in xs and max(xs) == (nx - 1) * bw


def test_a_large_tiled_band_is_sampled_in_few_blocks_spread_evenly():
    h, w, block = 3000, 2900, (256, 256)
    ids = block_ids(h, w, block).astype(np.int16)
    ds = tiled(vsimem("big"), [ids], block=block)
    values = sample_band(ds.GetRasterBand(1))
    seen = np.unique(values).astype(int)
    assert 4 <= seen.size <= SAMPLE_BLOCKS and 3000 <= values.size <= 5000
    nx = -(-w // 256)
    rows, cols = seen // nx, seen % nx
    assert rows.min() == 0 and rows.max() == (h - 1) // 256 and cols.min() == 0 and cols.max() == nx - 1


def test_a_small_raster_is_read_whole_as_before():
    ids = block_ids(700, 700, (256, 256)).astype(np.int16)  # 3 x 3 blocks
    ds = tiled(vsimem("small"), [ids])
    values = sample_band(ds.GetRasterBand(1))
    assert np.unique(values).size == 9 == SAMPLE_BLOCKS  # every block seen: a whole-band decimated read
    direct = ds.GetRasterBand(1).ReadAsArray(0, 0, 700, 700, buf_xsize=64, buf_ysize=64).ravel()
    np.testing.assert_array_equal(np.sort(values), np.sort(direct.astype(np.float64)))


def test_block_sample_leaves_out_nodata_nan_and_masked_pixels():
    rng = np.random.default_rng(3)
    a = rng.uniform(0, 0.4, (2600, 2600)).astype(np.float32)
    a[:, ::3] = np.nan
    a[::5] = -9999
    ds = tiled(vsimem("nd"), [a], nodata=-9999, dtype=gdal().GDT_Float32)
    values = sample_band(ds.GetRasterBand(1), extra_nodata=(-1,))
    assert values.size > 1000 and np.isfinite(values).all() and (values >= 0).all() and (values <= 0.4).all()


@pytest.mark.parametrize("kind", ["dn", "declared 0.0001", "undeclared 0-1 floats"])
def test_scale_of_a_large_raster_is_found_from_its_block_sample(kind):
    rng = np.random.default_rng(4)
    dn = [rng.uniform(200, 4000, (2100, 2100)) for _ in range(6)]
    if kind == "undeclared 0-1 floats":
        ds = tiled(vsimem("scale"), [(d * 1e-4).astype(np.float32) for d in dn], dtype=gdal().GDT_Float32)
    else:
        ds = tiled(vsimem("scale"), [d.astype(np.int16) for d in dn], nodata=-9999)
        if kind == "declared 0.0001":
            for b in range(1, 7):
                ds.GetRasterBand(b).SetScale(1e-4)
    check = check_scale(ds, (1, 2, 3, 4, 5, 6), HLS, "big.tif")
    if kind == "undeclared 0-1 floats":  # found to be 0-1 reflectance; undeclared, so refused
        low, high = (float(v) for v in re.search(r"values from (\S+) to (\S+) ", check.findings[0].message).groups())
        assert not check.ok and abs(low - 0.0238) < 2e-3 and abs(high - 0.3962) < 2e-3  # 1st, 99th percentiles
    else:
        assert check.ok and all(a == (1.0, 0.0) for a in check.affine)


def test_fingerprint_of_a_large_raster_spots_copies_and_sampled_changes():
    rng = np.random.default_rng(5)
    a = rng.integers(0, 5000, (2, 2600, 2600)).astype(np.int16)
    first = fingerprint(tiled(vsimem("fa"), list(a)))
    assert fingerprint(tiled(vsimem("fb"), list(a))) == first
    b = a.copy()
    b[1, :256, :256] += 1  # the first block is always in the sample
    assert fingerprint(tiled(vsimem("fc"), list(b))) != first


def test_a_block_sample_without_valid_pixels_falls_back_to_the_whole_band():
    a = np.full((2600, 2600), -9999, np.int16)
    a[100:140, 300:340] = 1234  # valid pixels only outside the 9 sampled blocks
    ds = tiled(vsimem("holes"), [a], nodata=-9999)  # kept alive while its band is read
    values = sample_band(ds.GetRasterBand(1))
    assert values.size > 0 and (values == 1234).all()


def test_the_same_image_in_another_block_layout_has_the_same_fingerprint():
    a = np.random.default_rng(6).integers(0, 5000, (2, 1500, 1500)).astype(np.int16)
    tiles = fingerprint(tiled(vsimem("lt"), list(a), block=(64, 64)))
    strips = fingerprint(tiled(vsimem("ls"), list(a), block=(1500, 1)))
    assert tiles == strips


def _blocks_decoded(read, ds):
    """How many 256 x 256 int16 blocks GDAL's block cache gained while ``read(ds)`` ran."""
    before = gdal().GetCacheUsed()
    read(ds)
    return (gdal().GetCacheUsed() - before) / (256 * 256 * 2)


def test_the_probe_decodes_few_blocks_and_the_whole_read_every_block():
    a = np.random.default_rng(7).integers(0, 5000, (2, 2600, 2600)).astype(np.int16)
    assert _blocks_decoded(probe_fingerprint, tiled(vsimem("pb"), list(a))) < 2 * 16 + 1  # + bookkeeping
    assert _blocks_decoded(fingerprint, tiled(vsimem("fb2"), list(a))) >= 2 * 11 * 11


@pytest.mark.parametrize("layout", [(64, 64), (1500, 1), (1500, 7), (256, 256)])
def test_one_image_in_any_block_layout_is_found_the_same(layout):
    a = np.random.default_rng(8).integers(0, 5000, (3, 1500, 1100)).astype(np.int16)
    first = tiled(vsimem("sa"), list(a), block=(128, 128))
    other = tiled(vsimem("sb"), list(a), block=layout if layout[0] < 1100 else (1100, layout[1]))
    assert probe_fingerprint(first) == probe_fingerprint(other)
    prints = same_image_fingerprints(first, other)
    assert prints[0] == prints[1] == fingerprint(first)


def test_images_that_differ_only_outside_the_probes_are_told_apart():
    rng = np.random.default_rng(9)
    a = np.full((2, 1200, 1200), -9999, np.int16)
    b = a.copy()
    a[:, 500:700, 500:700] = rng.integers(0, 5000, (2, 200, 200))  # between the probed windows
    b[:, 500:700, 500:700] = rng.integers(0, 5000, (2, 200, 200))
    first, last = tiled(vsimem("da"), list(a), nodata=-9999), tiled(vsimem("db"), list(b), nodata=-9999)
    assert probe_fingerprint(first) == probe_fingerprint(last)  # the probes see nodata in both
    prints = same_image_fingerprints(first, last)
    assert prints[0] != prints[1]


def test_one_pixel_changed_in_a_probed_window_is_a_different_image():
    a = np.random.default_rng(10).integers(0, 5000, (1, 900, 700)).astype(np.int16)
    b = a.copy()
    b[0, 899, 699] += 1  # the last window ends at the last pixel
    first, last = tiled(vsimem("pa"), list(a)), tiled(vsimem("pc"), list(b))
    prints = same_image_fingerprints(first, last)
    assert prints[0] != prints[1] and prints == (probe_fingerprint(first), probe_fingerprint(last))


def test_a_copy_with_overviews_is_the_same_image():
    """A decimated read may be served from an overview (a COG, QGIS's pyramids): the check must not."""
    a = np.random.default_rng(11).integers(0, 5000, (2, 1300, 1300)).astype(np.int16)
    plain = tiled(vsimem("ov_plain"), list(a))
    with_overviews = tiled(vsimem("ov_pyr"), list(a))
    with_overviews.BuildOverviews("AVERAGE", [2, 4, 8])
    prints = same_image_fingerprints(plain, with_overviews)
    assert prints[0] == prints[1]


@pytest.mark.parametrize("where", [(105, 105), (405, 305), (599, 0)])
def test_mostly_nodata_images_that_differ_in_a_few_pixels_are_different(where):
    base = np.full((1, 600, 600), -9999, np.int16)
    other = base.copy()
    y, x = where
    other[0, y:y + 3, x:x + 3] = 1234  # off the probes and off any decimation lattice
    first, last = tiled(vsimem("nd_a"), list(base), nodata=-9999), tiled(vsimem("nd_b"), list(other), nodata=-9999)
    assert probe_fingerprint(first) == probe_fingerprint(last) or where == (599, 0)
    prints = same_image_fingerprints(first, last)
    assert prints[0] != prints[1]
