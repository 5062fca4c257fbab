"""HLS v2.0 granules (per-band COGs + Fmask) resolved into six model bands stacked in a VRT."""
from __future__ import annotations

import shutil

import numpy as np
import pytest

from planaura_plugin.errors import InputError
from planaura_plugin.quality_kinds import QUALITY_FMASK_BITWISE
from planaura_plugin.inputs.hls import hls_granule

# every test under GDAL exceptions off (QGIS 3.22) and on (gdal, ogr, osr; QGIS >= 3.40)
pytestmark = pytest.mark.usefixtures("gdal_exceptions")


def read(dataset: str) -> np.ndarray:
    from osgeo import gdal

    ds = gdal.Open(dataset)
    assert ds is not None, dataset
    return ds.ReadAsArray()


def test_s30_granule_vrt_equals_the_stacked_file(hls_s30, hls_crop):
    from osgeo import gdal

    product = hls_granule(str(hls_s30))
    assert product.kind == "HLS.S30" and product.date == 2021250
    assert product.bands == (1, 2, 3, 4, 5, 6) and product.offsets == (0.0,) * 6 and product.nodata == -9999
    expected = hls_crop
    got = read(product.dataset)
    assert got.dtype == np.int16 and got.shape == expected.shape
    np.testing.assert_array_equal(got, expected)
    assert (got == -32768).sum() == 6 * 8  # the real scene's -32768 block is carried as is
    ds = gdal.Open(product.dataset)
    assert [ds.GetRasterBand(i).GetNoDataValue() for i in range(1, 7)] == [-9999.0] * 6
    assert [ds.GetRasterBand(i).GetDescription() for i in range(1, 7)] == ["B02", "B03", "B04", "B8A", "B11", "B12"]
    assert ds.GetGeoTransform() == gdal.Open(str(hls_s30)).GetGeoTransform()
    # referenced where they are, by absolute path, not copied
    assert str(hls_s30.parent / "HLS.S30.T15SXR.2021250T163901.v2.0.B8A.tif") in product.dataset


def test_l30_names_map_onto_the_model_bands(hls_l30, hls_crop):
    from osgeo import gdal

    product = hls_granule(str(hls_l30))
    assert product.kind == "HLS.L30" and product.date == 2021251
    np.testing.assert_array_equal(read(product.dataset), hls_crop)  # the thermal "B11" is not used
    ds = gdal.Open(product.dataset)
    assert [ds.GetRasterBand(i).GetMetadataItem("HLS_BAND") for i in range(1, 7)] == [
        "B02", "B03", "B04", "B05", "B06", "B07"]
    assert ".v2.0.B11.tif" not in product.dataset


def test_fmask_is_the_quality(hls_s30, fmask_crop):
    quality = hls_granule(str(hls_s30)).quality
    assert quality.kind == QUALITY_FMASK_BITWISE and quality.band == 1
    assert quality.dataset.endswith("HLS.S30.T15SXR.2021250T163901.v2.0.Fmask.tif")
    np.testing.assert_array_equal(read(quality.dataset), fmask_crop)


@pytest.mark.parametrize("band", ["Fmask", "SZA", "B01", "B12"])
def test_any_file_of_the_granule_designates_it(hls_s30, band):
    chosen = hls_s30.parent / hls_s30.name.replace(".B04.", f".{band}.")
    product = hls_granule(str(chosen))
    assert product.dataset == hls_granule(str(hls_s30)).dataset
    assert product.label == str(chosen)


def test_a_folder_with_one_granule_is_that_granule(hls_s30):
    product = hls_granule(str(hls_s30.parent))
    assert product.label == str(hls_s30.parent)
    assert product.dataset == hls_granule(str(hls_s30)).dataset


def test_a_folder_with_several_granules_is_refused(tmp_path, write_hls):
    write_hls(tmp_path, "S30")
    write_hls(tmp_path, "L30", stamp="2021251T165432")
    with pytest.raises(InputError) as err:
        hls_granule(str(tmp_path))
    assert "HLS.S30.T15SXR.2021250T163901.v2.0" in str(err.value)
    assert "HLS.L30.T15SXR.2021251T165432.v2.0" in str(err.value)


def test_names_that_are_not_hls_granules(tmp_path, hls_stack):
    assert hls_granule(str(hls_stack)) is None  # the stacked 6-band file has no band in its name
    assert hls_granule(str(tmp_path)) is None  # an empty folder
    assert hls_granule(str(tmp_path / "HLS.S30.T15SXR.2021400T163901.v2.0.B02.tif")) is None  # day 400


def test_missing_band_files_are_named(tmp_path, hls_s30):
    folder = tmp_path / "granule"
    shutil.copytree(hls_s30.parent, folder)
    (folder / "HLS.S30.T15SXR.2021250T163901.v2.0.B11.tif").unlink()
    (folder / "HLS.S30.T15SXR.2021250T163901.v2.0.B8A.tif").unlink()
    with pytest.raises(InputError) as err:
        hls_granule(str(folder / "HLS.S30.T15SXR.2021250T163901.v2.0.B02.tif"))
    message = str(err.value)
    assert "HLS.S30.T15SXR.2021250T163901.v2.0.B11.tif" in message and ".v2.0.B8A.tif" in message
    assert str(folder) in message and ".B12.tif" not in message


def test_band_files_on_different_grids_are_refused(tmp_path, hls_s30, hls_stack):
    from osgeo import gdal

    folder = tmp_path / "granule"
    shutil.copytree(hls_s30.parent, folder)
    b12 = str(folder / "HLS.S30.T15SXR.2021250T163901.v2.0.B12.tif")
    x0 = gdal.Open(b12).GetGeoTransform()[0]
    gdal.Translate(b12, str(hls_stack), format="COG", bandList=[6], srcWin=[401, 400, 256, 256])  # 1 px east
    assert gdal.Open(b12).GetGeoTransform()[0] == x0 + 30
    with pytest.raises(InputError, match=r"B12\.tif' is not on the grid"):
        hls_granule(str(folder / "HLS.S30.T15SXR.2021250T163901.v2.0.B02.tif"))


def test_without_fmask_the_date_counts_as_clear(tmp_path, hls_s30, hls_crop):
    folder = tmp_path / "granule"
    shutil.copytree(hls_s30.parent, folder)
    (folder / "HLS.S30.T15SXR.2021250T163901.v2.0.Fmask.tif").unlink()
    product = hls_granule(str(folder / "HLS.S30.T15SXR.2021250T163901.v2.0.B02.tif"))
    assert product.quality is None and "no Fmask" in product.notes[0]
    np.testing.assert_array_equal(read(product.dataset), hls_crop)
