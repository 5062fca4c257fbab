"""Values whose meaning is checked, through the whole pipeline (issue 9): scale, band order, offsets.

Each input is the plain pair re-encoded the way other tools hand it out; the run must equal the
plain run, or be refused before any model work with a message naming the file and the problem.
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
WINDOW = (300, 400, 128, 128)
NAMES = ("B02", "B03", "B04", "B8A", "B11", "B12")


@pytest.fixture(scope="module")
def spec(tiny_checkpoint) -> ModelSpec:
    return ModelSpec(preset=HLS, config=ModelConfig(**TINY), checkpoint=str(tiny_checkpoint), device="cpu",
                     batch_size=9)


def window(src: Path):
    from osgeo import gdal

    ds = gdal.Open(str(src))
    gt = list(ds.GetGeoTransform())
    gt[0] += WINDOW[0] * gt[1]
    gt[3] += WINDOW[1] * gt[5]
    return ds.ReadAsArray(*WINDOW), tuple(gt), ds.GetProjection()


def write(path: Path, arr, gt, wkt, dtype, nodata=None, names=None, scale=None, offset=None) -> Path:
    from osgeo import gdal, gdal_array

    path.parent.mkdir(parents=True, exist_ok=True)
    arr = np.asarray(arr).astype(dtype)
    ds = gdal.GetDriverByName("GTiff").Create(str(path), arr.shape[2], arr.shape[1], arr.shape[0],
                                              gdal_array.NumericTypeCodeToGDALTypeCode(arr.dtype))
    ds.SetGeoTransform(gt)
    ds.SetProjection(wkt)
    for b in range(arr.shape[0]):
        band = ds.GetRasterBand(b + 1)
        if nodata is not None:
            band.SetNoDataValue(nodata)
        if names:
            band.SetDescription(names[b])
        if scale is not None:
            band.SetScale(scale)
        if offset is not None:
            band.SetOffset(offset)
        band.WriteArray(arr[b])
    ds = None
    return path


def cosine(spec, before: Path, after: Path, out: Path, feedback=None) -> np.ndarray:
    from osgeo import gdal

    out.mkdir(parents=True, exist_ok=True)
    run_change_map(ChangeMapRequest(inputs=[str(before), str(after)], model=spec, min_valid=0.5,
                                    outputs=ChangeMapOutputs(cosine_map=str(out / "c.tif"))), feedback)
    return gdal.Open(str(out / "c.tif")).ReadAsArray()


@pytest.fixture(scope="module")
def pair(tmp_path_factory):
    folder = tmp_path_factory.mktemp("plain")
    b, gt, wkt = window(BEFORE)
    a = window(AFTER)[0]
    return (write(folder / BEFORE.name, b, gt, wkt, np.int16, -9999),
            write(folder / "a" / AFTER.name, a, gt, wkt, np.int16, -9999), (b, a, gt, wkt))


@pytest.fixture(scope="module")
def plain(spec, pair, tmp_path_factory):
    return cosine(spec, pair[0], pair[1], tmp_path_factory.mktemp("plain_out"))


def test_zero_one_reflectance_is_refused_naming_the_file(spec, pair, tmp_path):
    b, a, gt, wkt = pair[2]
    scaled = np.where(a == -9999, np.nan, a / 10000.0)
    after = write(tmp_path / AFTER.name, scaled, gt, wkt, np.float32, float("nan"))
    with pytest.raises(InputError, match=AFTER.name + r".*0-1"):
        cosine(spec, pair[0], after, tmp_path / "out")
    assert not (tmp_path / "out" / "c.tif").exists()


def test_declared_scale_is_followed(spec, pair, plain, tmp_path):
    """DN x 10000 stored as int16 with GDAL scale 0.0001 (HLS's own metadata): used as is."""
    b, a, gt, wkt = pair[2]
    after = write(tmp_path / AFTER.name, a, gt, wkt, np.int16, -9999, scale=0.0001)
    np.testing.assert_array_equal(cosine(spec, pair[0], after, tmp_path / "out"), plain)


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_band_descriptions_reorder_any_permutation(spec, pair, plain, tmp_path, seed):
    b, a, gt, wkt = pair[2]
    order = np.random.default_rng(seed).permutation(6)
    after = write(tmp_path / AFTER.name, a[order], gt, wkt, np.int16, -9999, names=[NAMES[k] for k in order])
    np.testing.assert_array_equal(cosine(spec, pair[0], after, tmp_path / "out"), plain)


def test_common_band_names_reorder(spec, pair, plain, tmp_path):
    b, a, gt, wkt = pair[2]
    common = ["Blue", "Green", "Red", "NIR_Narrow", "SWIR1", "SWIR2"]
    order = [3, 5, 0, 4, 1, 2]
    after = write(tmp_path / AFTER.name, a[order], gt, wkt, np.int16, -9999, names=[common[k] for k in order])
    np.testing.assert_array_equal(cosine(spec, pair[0], after, tmp_path / "out"), plain)


def test_declared_offset_is_harmonised(spec, pair, plain, tmp_path):
    """Sentinel-2 baseline 04.00 style: DN + 1000 stored, GDAL offset -1000 declared; nodata kept."""
    b, a, gt, wkt = pair[2]
    shifted = np.where(a == -9999, -9999, a.astype(np.int32) + 1000)
    after = write(tmp_path / AFTER.name, shifted, gt, wkt, np.int32, -9999, offset=-1000)
    np.testing.assert_array_equal(cosine(spec, pair[0], after, tmp_path / "out"), plain)


def test_declared_offset_on_another_grid_equals_the_plain_warped_run(spec, pair, tmp_path):
    """The warped path: an offset after on a grid 11 m east and 7 m south of the before grid gives the
    same map as the plain after on that grid (the offset applies to valid pixels only, after warping)."""
    b, a, gt, wkt = pair[2]
    shifted = (gt[0] + 11.0, gt[1], gt[2], gt[3] - 7.0, gt[4], gt[5])
    plain_after = write(tmp_path / "plain" / AFTER.name, a, shifted, wkt, np.int16, -9999)
    stored = np.where(a == -9999, -9999, a.astype(np.int32) + 1000)
    offset_after = write(tmp_path / "offset" / AFTER.name, stored, shifted, wkt, np.int32, -9999, offset=-1000)
    ref = cosine(spec, pair[0], plain_after, tmp_path / "ref")
    got = cosine(spec, pair[0], offset_after, tmp_path / "out")
    assert (ref != -100).mean() > 0.5
    # the plain int16 after is warped into int16 (rounded DN), the offset one into float32: up to 0.5 DN apart
    np.testing.assert_array_equal(got == -100, ref == -100)
    np.testing.assert_allclose(got, ref, rtol=0, atol=1e-4)


@pytest.mark.parametrize("evidence", ["mtl", "none"])
def test_landsat_collection2_dn_give_the_plain_map_or_are_refused(spec, pair, plain, tmp_path, evidence):
    """Issue 21: a Landsat Collection 2 Level-2 after (DN = (reflectance + 0.2) / 0.0000275, uint16, fill 0)
    ran as x 10000 reflectance with a warning, and the real change disappeared. With its MTL file beside it
    the map is the plain one (up to half a DN of rounding); with nothing that says Landsat it is refused."""
    from core.inputs.test_radiometry import PRODUCT_ID, c2_dn, mtl_text

    b, a, gt, wkt = pair[2]
    after = write(tmp_path / "after.tif", c2_dn(a), gt, wkt, np.uint16)
    if evidence == "mtl":
        from planaura_plugin.feedback import Feedback

        class Log(Feedback):
            def __init__(self) -> None:
                self.lines: list = []

            def info(self, message: str) -> None:
                self.lines.append(message)

        (tmp_path / f"{PRODUCT_ID}_MTL.txt").write_text(mtl_text())
        log = Log()
        got = cosine(spec, pair[0], after, tmp_path / "out", log)
        said = [line for line in log.lines if "radiometric conversion" in line]
        assert len(said) == 2, log.lines  # one per input, each with its evidence
        assert said[0].startswith(str(pair[0])) and "none, values used as stored" in said[0]
        assert said[1].startswith(str(after)) and "raw x 0.275 -2000" in said[1] and f"{PRODUCT_ID}_MTL.txt" in said[1]
        assert (plain != -100).mean() > 0.5
        np.testing.assert_array_equal(got == -100, plain == -100)
        np.testing.assert_allclose(got, plain, rtol=0, atol=1e-3)
        return
    with pytest.raises(InputError, match=r"after\.tif: even the darkest pixels.*DN x 0\.0000275 - 0\.2"):
        cosine(spec, pair[0], after, tmp_path / "out")
    assert not (tmp_path / "out" / "c.tif").exists()
