"""resolve_product: HLS granules and Sentinel-2 L2A products, None for plain rasters."""
from __future__ import annotations

import numpy as np
import pytest

from planaura_plugin.errors import InputError
from planaura_plugin.inputs.products import resolve_product

# every test under GDAL exceptions off (QGIS 3.22) and on (gdal, ogr, osr; QGIS >= 3.40)
pytestmark = pytest.mark.usefixtures("gdal_exceptions")


def test_hls_band_file_resolves_to_the_granule(hls_s30, hls_l30):
    assert resolve_product(str(hls_s30)).kind == "HLS.S30"
    assert resolve_product(str(hls_l30.parent)).kind == "HLS.L30"


@pytest.mark.parametrize("key", ["03.01", "04.00", "04.00.zip"])
def test_sentinel2_products_resolve(s2_products, key):
    product = resolve_product(str(s2_products[key]))
    assert product.kind == "S2_L2A" and product.date == 2022250
    assert product.offsets == ((0.0,) * 6 if key == "03.01" else (-1000.0,) * 6)


def test_plain_rasters_and_folders_are_not_products(hls_stack, tmp_path):
    assert resolve_product(str(hls_stack)) is None
    assert resolve_product(str(tmp_path)) is None


def test_a_broken_product_is_an_error_not_a_plain_raster(tmp_path, write_hls):
    granule = write_hls(tmp_path, "S30")
    (tmp_path / f"{granule}.B03.tif").unlink()
    with pytest.raises(InputError, match=r"B03\.tif not found"):
        resolve_product(str(tmp_path / f"{granule}.B02.tif"))


def test_the_vrt_dataset_is_readable_as_is(s2_products):
    from osgeo import gdal

    ds = gdal.Open(resolve_product(str(s2_products["04.00"])).dataset)
    assert ds.RasterCount == 6 and np.isfinite(ds.ReadAsArray().astype(float)).all()
