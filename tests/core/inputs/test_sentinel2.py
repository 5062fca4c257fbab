"""Sentinel-2 L2A products (SAFE folder, zip, MTD_MSIL2A.xml) through GDAL's SENTINEL2 driver."""
from __future__ import annotations

import numpy as np
import pytest

from planaura_plugin.errors import InputError
from planaura_plugin.quality_kinds import QUALITY_SCL
from planaura_plugin.fmask import scl_to_quality
from planaura_plugin.inputs.sentinel2 import sentinel2_product

# every test under GDAL exceptions off (QGIS 3.22) and on (gdal, ogr, osr; QGIS >= 3.40)
pytestmark = pytest.mark.usefixtures("gdal_exceptions")

MODEL = ("B02", "B03", "B04", "B8A", "B11", "B12")


def read_bands(product) -> np.ndarray:
    """The product's model bands as float64, (6, rows, cols)."""
    from osgeo import gdal

    ds = gdal.Open(product.dataset)
    assert ds is not None
    return np.stack([ds.GetRasterBand(b).ReadAsArray().astype(np.float64) for b in product.bands])


def harmonised(product) -> np.ndarray:
    """DN = 10000 x reflectance: offsets added to valid pixels, nodata left as is."""
    raw = read_bands(product)
    offsets = np.asarray(product.offsets, dtype=np.float64)[:, None, None]
    return np.where(raw == product.nodata, raw, raw + offsets)


def surface(s2_surface, resolution: int) -> np.ndarray:
    if resolution == 20:
        return np.stack([s2_surface.bands20[b] for b in MODEL]).astype(np.float64)
    return np.stack([s2_surface.band10(b) for b in MODEL]).astype(np.float64)


@pytest.mark.parametrize("resolution", [20, 10])
def test_both_baselines_harmonise_to_the_same_values(s2_products, s2_surface, resolution):
    old = sentinel2_product(str(s2_products["03.01"]), resolution=resolution)
    new = sentinel2_product(str(s2_products["04.00"]), resolution=resolution)
    assert old.offsets == (0.0,) * 6 and new.offsets == (-1000.0,) * 6
    assert old.nodata == new.nodata == 0
    raw_new = read_bands(new)
    expected = surface(s2_surface, resolution)
    assert not np.array_equal(raw_new, expected)  # the 04.00 DN really are shifted
    np.testing.assert_array_equal(harmonised(old), expected)
    np.testing.assert_array_equal(harmonised(new), expected)
    nodata = expected[0] == 0
    assert nodata.any() and (~nodata).any()
    assert (raw_new[:, nodata] == 0).all() and (harmonised(new)[:, nodata] == 0).all()


@pytest.mark.parametrize("resolution, size, pixel", [(20, 64, 20.0), (10, 128, 10.0)])
def test_product_grid_bands_and_metadata(s2_products, resolution, size, pixel):
    from osgeo import gdal

    product = sentinel2_product(str(s2_products["04.00"]), resolution=resolution)
    assert product.kind == "S2_L2A" and product.date == 2022250 and product.bands == (1, 2, 3, 4, 5, 6)
    ds = gdal.Open(product.dataset)
    assert (ds.RasterXSize, ds.RasterYSize) == (size, size)
    assert ds.GetGeoTransform() == (600000.0, pixel, 0.0, 3600000.0, 0.0, -pixel)
    assert ds.GetSpatialRef().GetAuthorityCode(None) == "32615"
    assert [ds.GetRasterBand(i).GetDescription() for i in range(1, 7)] == list(MODEL)
    assert [ds.GetRasterBand(i).GetNoDataValue() for i in range(1, 7)] == [0.0] * 6
    assert ds.GetRasterBand(1).DataType == gdal.GDT_UInt16
    assert "baseline 04.00" in product.notes[0] and "-1000" in product.notes[0]
    old = sentinel2_product(str(s2_products["03.01"]), resolution=resolution)
    assert "baseline 03.01" in old.notes[0] and "no BOA_ADD_OFFSET" in old.notes[0]


def test_scl_is_the_quality(s2_products, s2_surface):
    from osgeo import gdal

    for resolution in (20, 10):
        quality = sentinel2_product(str(s2_products["04.00"]), resolution=resolution).quality
        assert quality.kind == QUALITY_SCL and quality.dataset.startswith("SENTINEL2_L2A:")
        assert quality.dataset.endswith(":20m:EPSG_32615")
        ds = gdal.Open(quality.dataset)
        band = ds.GetRasterBand(quality.band)
        assert band.GetDescription().startswith("SCL")
        np.testing.assert_array_equal(band.ReadAsArray(), s2_surface.scl)


def test_scl_to_quality_table():
    scl = np.arange(0, 14, dtype=np.uint16)
    expected = [255, 255, 0, 3, 0, 0, 0, 0, 1, 1, 1, 4, 255, 255]
    got = scl_to_quality(scl)
    assert got.dtype == np.uint8
    assert got.tolist() == expected
    block = np.array([[0, 9], [3, 65535]], dtype=np.uint16)
    np.testing.assert_array_equal(scl_to_quality(block), np.array([[255, 1], [3, 255]], dtype=np.uint8))
    assert scl_to_quality(np.array([-1, 11], dtype=np.int16)).tolist() == [255, 4]


@pytest.mark.parametrize("entry", ["zip", "mtd"])
def test_zip_and_mtd_give_the_product_of_the_folder(s2_products, entry):
    safe = s2_products["04.00"]
    name = s2_products["04.00.zip"] if entry == "zip" else safe / "MTD_MSIL2A.xml"
    folder = sentinel2_product(str(safe))
    other = sentinel2_product(str(name))
    assert other.label == str(name)
    if entry == "zip":
        assert "/vsizip/" in other.dataset and "/vsizip/" in other.quality.dataset
    for key in ("bands", "offsets", "nodata", "date", "kind", "notes"):
        assert getattr(other, key) == getattr(folder, key), key
    assert other.quality.band == folder.quality.band
    np.testing.assert_array_equal(read_bands(other), read_bands(folder))


def test_names_that_are_not_l2a_products(tmp_path, s2_products):
    assert sentinel2_product(str(tmp_path)) is None
    plain = tmp_path / "S2A_MSIL2A_20220907T164901_N0400_R026_T15SXR_20220907T205017.tif"
    plain.write_bytes(b"")
    assert sentinel2_product(str(plain)) is None
    assert sentinel2_product(str(tmp_path / "missing.SAFE")) is None
    l1c = tmp_path / "S2A_MSIL1C_20220907T164901_N0400_R026_T15SXR_20220907T205017.SAFE"
    l1c.mkdir()
    (l1c / "MTD_MSIL1C.xml").write_text("<x/>")
    with pytest.raises(InputError, match="Level-1C"):
        sentinel2_product(str(l1c))
    with pytest.raises(InputError, match="resolution"):
        sentinel2_product(str(s2_products["04.00"]), resolution=60)


def test_without_r20m_visible_bands_only_10m_is_offered(tmp_path, write_s2, s2_surface):
    safe = write_s2(tmp_path, "04.00", s2_surface, r20m_visible=False)
    with pytest.raises(InputError, match=r"no 20 m B02 file.*resolution 10"):
        sentinel2_product(str(safe))
    product = sentinel2_product(str(safe), resolution=10)
    np.testing.assert_array_equal(harmonised(product), surface(s2_surface, 10))


@pytest.mark.parametrize("resolution", ["10m", "20m", "60m"])
def test_a_subdataset_layer_gives_the_product(s2_products, resolution):
    """QGIS loads a .SAFE, its zip or MTD_MSIL2A.xml as SENTINEL2_L2A sub-dataset layers (10, 20 and 60 m);
    the 20 m one lacks B02-B04 and the 10 m one lacks B8A-B12, so a layer chosen in a dialog must give
    the product itself (it was refused as an 11-band raster whose bands cannot be told)."""
    from osgeo import gdal

    for opened in (s2_products["04.00"] / "MTD_MSIL2A.xml", s2_products["04.00.zip"]):
        container = gdal.Open(str(opened))
        names = [n for n, _ in container.GetSubDatasets() if f":{resolution}:" in n]
        assert len(names) == 1, container.GetSubDatasets()
        folder = sentinel2_product(str(s2_products["04.00"]))
        layer = sentinel2_product(names[0])
        assert layer is not None, names[0]
        assert layer.label == names[0]
        for attr in ("bands", "offsets", "nodata", "date", "kind"):
            assert getattr(layer, attr) == getattr(folder, attr), attr
        np.testing.assert_array_equal(read_bands(layer), read_bands(folder))


@pytest.mark.parametrize("baseline, stored, listed, expected, said", [
    ("99.99", 0, False, 0.0, "Sen2Cor run outside ESA"),        # the user's own Sen2Cor, offset-free
    ("99.99", 1000, True, -1000.0, "BOA_ADD_OFFSET_VALUES_LIST"),  # Sen2Cor that lists its offset
    ("05.10", 1000, False, -1000.0, "ESA processing baseline 05.10"),  # an ESA baseline that has it
    ("05.10", 1000, True, -1000.0, "BOA_ADD_OFFSET_VALUES_LIST"),
    ("03.01", 0, False, 0.0, "before 04.00"),
], ids=["sen2cor-no-list", "sen2cor-list", "esa-05.10-no-list", "esa-05.10-list", "esa-03.01"])
def test_offset_only_where_the_product_declares_it(tmp_path, write_s2, s2_surface, baseline, stored, listed,
                                                   expected, said):
    """Issue 21: a Sen2Cor 99.99 product without offset list lost ESA's 1000 it never had (88 % false change)."""
    safe = write_s2(tmp_path, baseline, s2_surface, offset=stored, offset_list=listed)
    assert f"_N{baseline.replace('.', '')}_" in safe.name
    product = sentinel2_product(str(safe))
    assert product.offsets == (expected,) * 6
    assert said in product.radiometry and baseline in product.radiometry
    np.testing.assert_array_equal(harmonised(product), surface(s2_surface, 20))


def test_the_conversion_line_gives_the_offset_and_its_evidence(s2_products, tmp_path, write_s2, s2_surface):
    from planaura_plugin.inputs.sources import describe_input
    from planaura_plugin.presets import S2

    local = write_s2(tmp_path, "99.99", s2_surface, offset=0, offset_list=False)
    for safe, conversion, evidence in (
            (s2_products["04.00"], "raw x 1 -1000 in every band", "BOA_ADD_OFFSET_VALUES_LIST of MTD_MSIL2A.xml"),
            (local, "none, values used as stored", "processing baseline 99.99 of MTD_MSIL2A.xml (Sen2Cor")):
        info = describe_input(str(safe), S2)
        lines = [t for _, t in info.messages if "radiometric conversion" in t]
        assert len(lines) == 1 and conversion in lines[0] and evidence in lines[0], lines
        assert lines[0].startswith(str(safe))


def test_an_assumed_offset_that_the_values_deny_is_a_warning(tmp_path, write_s2, s2_surface, s2_products):
    """An ESA baseline without offset list gets ESA's -1000; values that then fall well below zero reflectance
    say the offset may not apply, and the log says so (naming the product and the evidence)."""
    from planaura_plugin.inputs.sources import describe_input
    from planaura_plugin.presets import S2

    unshifted = write_s2(tmp_path, "05.10", s2_surface, offset=0, offset_list=False)
    info = describe_input(str(unshifted), S2)
    assert info.layout.offset == (-1000.0,) * 6
    warnings = [t for level, t in info.messages if level == "warning"]
    assert len(warnings) == 1 and warnings[0].startswith(str(unshifted)) and "below zero reflectance" in warnings[0]
    assert "ESA processing baseline 05.10" in warnings[0]
    for right in (s2_products["04.00"], s2_products["03.01"]):
        assert not [t for level, t in describe_input(str(right), S2).messages if level == "warning"]
