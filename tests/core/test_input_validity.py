"""Which stored pixels are valid, and which bands are the model's (issue 8: alpha bands; issue 9: nodata).

Each case is compared with the run on the plain 6-band file whose invalid pixels hold the
model's nodata (-9999 for the HLS model): the answer the reader must reproduce exactly.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from support import DATA, TINY
from planaura_plugin.errors import InputError
from planaura_plugin.model.config import ModelConfig
from planaura_plugin.model.loading import ModelSpec
from planaura_plugin.pipeline.change import run_change_map
from planaura_plugin.pipeline.requests import ChangeMapOutputs, ChangeMapRequest
from planaura_plugin.presets import HLS

# every test under GDAL exceptions off (QGIS 3.22) and on (gdal, ogr, osr; QGIS >= 3.40)
pytestmark = pytest.mark.usefixtures("gdal_exceptions")

BEFORE = DATA / "HLS.S30.T15SXR.2021250T163901.v2.0.tif"
AFTER = DATA / "HLS.S30.T15SXR.2022245T163901.v2.0.tif"
SIZE = 128
HOLE = (slice(20, 70), slice(30, 100))  # rows, cols marked invalid (alpha 0, mask 0, declared nodata)
NODATA = -100.0


@pytest.fixture(scope="module")
def spec(tiny_checkpoint) -> ModelSpec:
    return ModelSpec(preset=HLS, config=ModelConfig(**TINY), checkpoint=str(tiny_checkpoint), device="cpu",
                     batch_size=9)


def stack(src: Path):
    from osgeo import gdal

    ds = gdal.Open(str(src))
    arr = ds.ReadAsArray(300, 400, SIZE, SIZE)
    gt = list(ds.GetGeoTransform())
    gt[0] += 300 * gt[1]
    gt[3] += 400 * gt[5]
    return arr, tuple(gt), ds.GetProjection()


def write(path: Path, arr: np.ndarray, gt, wkt, nodata=None, alpha=None, mask=None, names=None) -> Path:
    from osgeo import gdal, gdal_array

    n = arr.shape[0] + (1 if alpha is not None else 0)
    ds = gdal.GetDriverByName("GTiff").Create(str(path), arr.shape[2], arr.shape[1], n,
                                              gdal_array.NumericTypeCodeToGDALTypeCode(arr.dtype))
    ds.SetGeoTransform(gt)
    ds.SetProjection(wkt)
    for b in range(arr.shape[0]):
        band = ds.GetRasterBand(b + 1)
        if nodata is not None:
            band.SetNoDataValue(nodata)
        if names:
            band.SetDescription(names[b])
        band.WriteArray(arr[b])
    if alpha is not None:
        band = ds.GetRasterBand(n)
        band.SetColorInterpretation(gdal.GCI_AlphaBand)
        band.WriteArray(alpha.astype(arr.dtype))
    if mask is not None:
        ds.CreateMaskBand(gdal.GMF_PER_DATASET)
        ds.GetRasterBand(1).GetMaskBand().WriteArray(mask.astype(np.uint8))
    ds = None
    return path


def cosine(spec, before: Path, after: Path, out: Path, bands=()) -> np.ndarray:
    from osgeo import gdal

    out.mkdir(parents=True, exist_ok=True)
    req = ChangeMapRequest(inputs=[str(before), str(after)], outputs=ChangeMapOutputs(cosine_map=str(out / "c.tif")),
                           model=spec, min_valid=0.3, bands=bands)
    run_change_map(req)
    return gdal.Open(str(out / "c.tif")).ReadAsArray()


@pytest.fixture(scope="module")
def expected(spec, tmp_path_factory):
    """The pair with the hole written as -9999 in the after image: the right answer."""
    folder = tmp_path_factory.mktemp("expected")
    b, gt, wkt = stack(BEFORE)
    a = stack(AFTER)[0].copy()
    a[:, HOLE[0], HOLE[1]] = -9999
    before = write(folder / "HLS.S30.T15SXR.2021250T163901.v2.0.tif", b, gt, wkt, nodata=-9999)
    after = write(folder / "HLS.S30.T15SXR.2022245T163901.v2.0.tif", a, gt, wkt, nodata=-9999)
    return before, cosine(spec, before, after, folder / "out"), (gt, wkt)


def garbage_after():
    a, gt, wkt = stack(AFTER)
    a = a.copy()
    a[:, HOLE[0], HOLE[1]] = 1234  # what lies under an invalid pixel must not matter
    valid = np.full(a.shape[1:], 255, dtype=np.uint8)
    valid[HOLE] = 0
    return a, valid, gt, wkt


def test_alpha_band_is_dropped_and_masks_pixels(spec, expected, tmp_path):
    a, valid, gt, wkt = garbage_after()
    after = write(tmp_path / "HLS.S30.T15SXR.2022245T163901.v2.0.tif", a, gt, wkt, nodata=-9999, alpha=valid)
    np.testing.assert_array_equal(cosine(spec, expected[0], after, tmp_path / "out"), expected[1])


def test_alpha_band_without_declared_nodata(spec, expected, tmp_path):
    a, valid, gt, wkt = garbage_after()
    after = write(tmp_path / "HLS.S30.T15SXR.2022245T163901.v2.0.tif", a, gt, wkt, alpha=valid)
    np.testing.assert_array_equal(cosine(spec, expected[0], after, tmp_path / "out"), expected[1])


def test_per_dataset_mask_band_masks_pixels(spec, expected, tmp_path):
    a, valid, gt, wkt = garbage_after()
    after = write(tmp_path / "HLS.S30.T15SXR.2022245T163901.v2.0.tif", a, gt, wkt, mask=valid)
    np.testing.assert_array_equal(cosine(spec, expected[0], after, tmp_path / "out"), expected[1])


def test_declared_nodata_other_than_the_models_is_nodata(spec, expected, tmp_path):
    """An S2-style file (nodata 0) run with the HLS model (nodata -9999): its 0 pixels stay invalid."""
    a, _, gt, wkt = garbage_after()
    a[:, HOLE[0], HOLE[1]] = 0
    after = write(tmp_path / "HLS.S30.T15SXR.2022245T163901.v2.0.tif", a, gt, wkt, nodata=0)
    np.testing.assert_array_equal(cosine(spec, expected[0], after, tmp_path / "out"), expected[1])


def test_alpha_on_another_grid_masks_like_nodata(spec, expected, tmp_path):
    """The warped path: an alpha-masked after on a shifted grid equals the same after with -9999 there."""
    a, valid, gt, wkt = garbage_after()
    shifted = (gt[0] + 11.0, gt[1], gt[2], gt[3] - 7.0, gt[4], gt[5])
    with_alpha = write(tmp_path / "HLS.S30.T15SXR.2022245T163901.v2.0.tif", a, shifted, wkt, alpha=valid)
    a_nd = a.copy()
    a_nd[:, HOLE[0], HOLE[1]] = -9999
    (tmp_path / "nd").mkdir()
    with_nodata = write(tmp_path / "nd" / with_alpha.name, a_nd, shifted, wkt, nodata=-9999)
    got = cosine(spec, expected[0], with_alpha, tmp_path / "out_alpha")
    ref = cosine(spec, expected[0], with_nodata, tmp_path / "out_nd")
    # GDAL weighs alpha-masked and nodata-masked neighbours alike up to float rounding at the hole's edge
    np.testing.assert_array_equal(got == NODATA, ref == NODATA)
    np.testing.assert_allclose(got, ref, rtol=0, atol=1e-4)
    assert (got != NODATA).sum() > 0


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_explicit_bands_of_a_larger_stack_equal_the_plain_run(spec, expected, tmp_path, seed):
    """A 10-band stack in a random order, the model bands chosen by number, gives the 6-band run."""
    rng = np.random.default_rng(seed)
    a = stack(AFTER)[0].copy()
    a[:, HOLE[0], HOLE[1]] = -9999
    gt, wkt = expected[2]
    extra = rng.integers(0, 3000, size=(4,) + a.shape[1:]).astype(a.dtype)
    order = rng.permutation(10)  # stored band k holds source band order[k] (0..5 model, 6..9 extra)
    full = np.concatenate([a, extra])[order]
    after = write(tmp_path / "HLS.S30.T15SXR.2022245T163901.v2.0.tif", full, gt, wkt, nodata=-9999)
    bands = [int(np.nonzero(order == m)[0][0]) + 1 for m in range(6)]
    got = cosine(spec, expected[0], after, tmp_path / "out", bands=[None, bands])
    np.testing.assert_array_equal(got, expected[1])


def test_seven_bands_without_alpha_are_refused_naming_the_count(spec, expected, tmp_path):
    a = stack(AFTER)[0]
    gt, wkt = expected[2]
    after = write(tmp_path / "HLS.S30.T15SXR.2022245T163901.v2.0.tif", np.concatenate([a, a[:1]]), gt, wkt)
    with pytest.raises(InputError, match=r"has 7 band\(s\).*expects 6 bands \(B02.*BEFORE_BANDS"):
        cosine(spec, expected[0], after, tmp_path / "out")


@pytest.mark.parametrize("bands, why", [([1, 2, 3], "give six band numbers"),
                                        ([1, 2, 3, 4, 5, 9], "band 9 .* does not exist"),
                                        ([1, 1, 2, 3, 4, 5], "band 1 is given for more than one")])
def test_wrong_explicit_bands_are_refused(spec, expected, tmp_path, bands, why):
    with pytest.raises(InputError, match=why):
        cosine(spec, expected[0], expected[0], tmp_path / "out", bands=[bands, None])
