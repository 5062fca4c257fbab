"""planaura_plugin.raster.datasets without QGIS: GDAL dataset names (plain, /vsizip/, NetCDF and
GeoPackage sub-datasets, VRT XML), opened, checked, named and dated, under either GDAL exceptions
state, which must be left as it was."""
from __future__ import annotations

import zipfile
from pathlib import Path

import numpy as np
import pytest

from planaura_plugin.dates import date_from_name
from planaura_plugin.errors import InputError
from planaura_plugin.raster import datasets

HLS_REGEX = r"\.(\d{7})T"
IMAGE = "HLS.S30.T15SXR.2021250T163901.v2.0.tif"


def write(path: Path, bands: int = 2, driver: str = "GTiff", options=()) -> Path:
    from osgeo import gdal

    mem = gdal.GetDriverByName("MEM").Create("", 8, 8, bands, gdal.GDT_Byte)
    mem.SetGeoTransform((600000, 30, 0, 3600000, 0, -30))
    for b in range(bands):
        mem.GetRasterBand(b + 1).WriteArray(np.full((8, 8), b + 1, np.uint8))
    assert gdal.GetDriverByName(driver).CreateCopy(str(path), mem, options=list(options)) is not None
    return path


@pytest.fixture
def files(tmp_path):
    """A plain GeoTIFF and its Fmask, a zip holding both in a folder, a NetCDF file, a GPKG of two tables."""
    from osgeo import gdal

    plain = write(tmp_path / IMAGE)
    fmask = write(tmp_path / ("fmask_" + IMAGE), bands=1)
    archive = tmp_path / "granules.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.write(plain, "T15SXR/" + IMAGE)
        zf.write(fmask, "T15SXR/fmask_" + IMAGE)
    nc = tmp_path / "HLS.S30.T15SXR.2022245T163901.v2.0.nc"
    assert gdal.Translate(str(nc), str(plain), format="netCDF") is not None
    gpkg = tmp_path / "fmasks.gpkg"
    write(gpkg, 1, "GPKG", ["RASTER_TABLE=first"])
    write(gpkg, 1, "GPKG", ["RASTER_TABLE=second", "APPEND_SUBDATASET=YES"])
    return {"plain": str(plain), "fmask": str(fmask), "zip": f"/vsizip/{archive}/T15SXR/{IMAGE}",
            "zip_fmask": f"/vsizip/{archive}/T15SXR/fmask_{IMAGE}", "archive": str(archive),
            "nc": str(nc), "nc_var": f'NETCDF:"{nc}":Band1', "gpkg": str(gpkg), "gpkg_table": f"GPKG:{gpkg}:second"}


# ------------------------------------------------------------------------------------------ parsing
def test_parse_subdataset_names(files):
    nc = datasets.parse(files["nc_var"])
    assert (nc.driver, nc.file, nc.component) == ("NETCDF", files["nc"], "Band1")
    gp = datasets.parse(files["gpkg_table"])
    assert (gp.driver, gp.file, gp.component) == ("GPKG", files["gpkg"], "second")
    hdf = datasets.parse('HDF4_EOS:EOS_GRID:"/data/f.hdf":Grid:B01')
    assert (hdf.driver, hdf.file, hdf.component) == ("HDF4_EOS", "/data/f.hdf", "Grid:B01")
    s2 = datasets.parse("SENTINEL2_L2A:/data/S2A.SAFE/MTD_MSIL2A.xml:20m:EPSG_32615")
    assert (s2.file, s2.component) == ("/data/S2A.SAFE/MTD_MSIL2A.xml", "20m:EPSG_32615")
    for name in (files["plain"], files["zip"], "/vsicurl/https://example.com/x.tif", "C:\\data\\x.tif"):
        assert not datasets.parse(name).is_subdataset, name
    assert datasets.parse("<VRTDataset></VRTDataset>").is_xml


def test_split_archive():
    assert datasets.split_archive("/vsizip//p/a.zip/dir/x.tif") == ("/vsizip/", "/p/a.zip", "dir/x.tif")
    assert datasets.split_archive("/vsizip/{/p/a b.zip}/x.tif") == ("/vsizip/", "/p/a b.zip", "x.tif")
    assert datasets.split_archive("/vsitar//p/a.tar.gz/x.tif") == ("/vsitar/", "/p/a.tar.gz", "x.tif")
    assert datasets.split_archive("/p/a.zip") is None


# ------------------------------------------------------------------------------------------ existence
def test_exists_understands_vsi_and_subdatasets(files, tmp_path):
    for key in ("plain", "zip", "zip_fmask", "nc_var", "gpkg_table"):
        assert datasets.exists(files[key]), key
    assert not datasets.exists(f"/vsizip/{files['archive']}/T15SXR/missing.tif")
    assert not datasets.exists(f'NETCDF:"{tmp_path}/missing.nc":Band1')
    assert not datasets.exists(f"GPKG:{tmp_path}/missing.gpkg:second")
    assert datasets.is_plain_file(files["plain"]) and not datasets.is_plain_file(files["zip"])


# ------------------------------------------------------------------------------------------ opening
@pytest.mark.parametrize("key, bands", [("plain", 2), ("zip", 2), ("nc_var", 1), ("gpkg_table", 1)])
def test_open_dataset(files, key, bands, gdal_exceptions):
    assert datasets.open_dataset(files[key]).RasterCount == bands


def test_open_refusals_name_the_dataset(files, tmp_path, gdal_exceptions):
    garbage = tmp_path / "garbage.tif"
    garbage.write_bytes(b"II*\x00" + b"\x01" * 300)
    cases = [
        (str(garbage), [str(garbage), "GDAL cannot open the input raster"]),
        (f"/vsizip/{files['archive']}/T15SXR/missing.tif", ["missing.tif", "does not exist"]),
        (f'NETCDF:"{tmp_path}/gone.nc":B', [f"{tmp_path}/gone.nc", "does not exist", "is not there"]),
        (files["gpkg"], [files["gpkg"], "2 sub-dataset(s)", f"GPKG:{files['gpkg']}:second"]),
        (files["nc"], [files["nc"], "sub-dataset(s)", files["nc_var"]]),
        ("", ["does not exist"]),
    ]
    for name, parts in cases:
        with pytest.raises(InputError) as info:
            datasets.open_dataset(name)
        message = str(info.value)
        for part in parts:
            assert part in message, (part, message)
        assert "Traceback" not in message and "RuntimeError" not in message


def test_gdal_call_reports_failures_under_both_states(tmp_path, gdal_exceptions):
    from osgeo import gdal

    result, message = datasets.gdal_call(gdal.Open, str(tmp_path / "nothing.tif"))
    assert result is None and "nothing.tif" in message


def test_stand_in_vrt_reads_the_same_pixels(files, tmp_path, gdal_exceptions):
    assert datasets.stand_in_vrt(files["plain"], str(tmp_path)) == files["plain"]
    vrt = datasets.stand_in_vrt(files["zip"], str(tmp_path))
    assert Path(vrt).name == "HLS.S30.T15SXR.2021250T163901.v2.0.vrt"
    from osgeo import gdal

    assert np.array_equal(gdal.Open(vrt).ReadAsArray(), gdal.Open(files["plain"]).ReadAsArray())


# ------------------------------------------------------------------------------------------ names
def test_short_names_and_output_stems(files):
    assert datasets.short_name(files["zip"]) == f"granules.zip/T15SXR/{IMAGE}"
    assert datasets.short_name(files["nc_var"]) == "HLS.S30.T15SXR.2022245T163901.v2.0.nc:Band1"
    assert datasets.short_name(files["gpkg_table"]) == "fmasks.gpkg:second"
    assert datasets.output_stem(files["plain"]) == "HLS.S30.T15SXR.2021250T163901.v2.0"
    assert datasets.output_stem(files["zip"]) == "HLS.S30.T15SXR.2021250T163901.v2.0"
    assert datasets.output_stem(files["nc_var"]) == "HLS.S30.T15SXR.2022245T163901.v2.0_Band1"
    assert datasets.output_stem(files["gpkg_table"]) == "fmasks_second"
    assert datasets.output_stem('HDF5:"/p/f.h5"://grid/B01') == "f_grid_B01"
    for name in (files["zip"], files["nc_var"], files["gpkg_table"], 'HDF5:"/p/f.h5"://grid/B01'):
        stem = datasets.output_stem(name)
        assert not any(c in stem for c in '<>:"/\\|?*'), stem


@pytest.mark.parametrize("name, expected", [
    ("/data/HLS.S30.T15SXR.2021250T163901.v2.0.tif", 2021250),
    ("/vsizip//data/granules.zip/T15SXR/HLS.S30.T15SXR.2021250T163901.v2.0.tif", 2021250),
    ("/vsizip//data/HLS.S30.T15SXR.2021250T163901.v2.0.zip/bands.tif", 2021250),  # the container's date
    ("/vsizip//data/HLS.S30.T15SXR.2021250T163901.v2.0.zip/HLS.S30.T15SXR.2022245T163901.v2.0.tif", 2022245),
    ('NETCDF:"/p/HLS.S30.T15SXR.2021250T163901.v2.0.nc":B', 2021250),
    ("GPKG:/p/HLS.S30.T15SXR.2021250T163901.v2.0.gpkg:HLS.S30.T15SXR.2022245T163901.v2.0", 2022245),
])
def test_dates_inner_name_first_then_container(name, expected):
    assert date_from_name(name, HLS_REGEX) == expected


def test_no_date_names_every_name_searched():
    with pytest.raises(InputError, match=r"no date found in the file name 'B', 'f.nc'"):
        date_from_name('NETCDF:"/p/f.nc":B', HLS_REGEX)


# ------------------------------------------------------------------------------------------ siblings
def test_fmask_beside(files, tmp_path):
    assert datasets.fmask_beside(files["plain"]) == files["fmask"]
    assert datasets.fmask_beside(files["zip"]) == files["zip_fmask"]  # same folder of the same zip
    assert datasets.fmask_beside(files["zip_fmask"]) is None
    write(tmp_path / "fmask_HLS.S30.T15SXR.2022245T163901.v2.0.tif", bands=1)
    assert datasets.fmask_beside(files["nc_var"]) == str(tmp_path / "fmask_HLS.S30.T15SXR.2022245T163901.v2.0.tif")
    assert datasets.fmask_beside("<VRTDataset></VRTDataset>") is None


def test_reader_delegates(files, gdal_exceptions):
    from planaura_plugin.raster.datasets import fmask_beside
    from planaura_plugin.raster.reader import describe

    assert fmask_beside(files["zip"]) == files["zip_fmask"]
    assert describe(files["gpkg_table"]).bands == 1
    with pytest.raises(InputError, match="sub-dataset"):
        describe(files["gpkg"])
