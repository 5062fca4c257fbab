"""Feature rasters that declare a scale and offset per band (quantised features, reflectance stored as
integers) are used as the values they stand for: the four tools give the same outputs as on a
float raster of those values (random scales, offsets and band counts), nodata where the file has it."""
from __future__ import annotations

import numpy as np
import pytest
from osgeo import gdal

from planaura_plugin.embedding_tools.classes import classes_map
from planaura_plugin.embedding_tools.clusters import cluster_map
from planaura_plugin.embedding_tools.colour_view import colour_view
from planaura_plugin.embedding_tools.examples import ExamplePixels
from planaura_plugin.embedding_tools.similarity import Seeds, similarity_map
from embedding_synthetic import write_synthetic

pytest.importorskip("sklearn")


def quantised_pair(tmp_path, seed):
    """The synthetic embeddings stored as int16 with a scale and offset per band, and as float32 values."""
    rng = np.random.default_rng(seed)
    syn = write_synthetic(tmp_path, bands=int(rng.integers(3, 12)), seed=seed, name="float_src.tif")
    src = gdal.Open(syn.path)
    bands = src.RasterCount
    scales = rng.uniform(1e-4, 0.05, bands).astype(np.float32)
    offsets = rng.uniform(-3, 3, bands).astype(np.float32)
    driver = gdal.GetDriverByName("GTiff")
    stored = driver.Create(str(tmp_path / "int16.tif"), src.RasterXSize, src.RasterYSize, bands, gdal.GDT_Int16)
    values = driver.Create(str(tmp_path / "float.tif"), src.RasterXSize, src.RasterYSize, bands, gdal.GDT_Float32)
    for out in (stored, values):
        out.SetGeoTransform(src.GetGeoTransform())
        out.SetProjection(src.GetProjection())
    invalid = syn.regions == 0
    for b in range(bands):
        data = src.GetRasterBand(b + 1).ReadAsArray().astype(np.float64)
        ints = np.clip(np.round((data - offsets[b]) / scales[b]), -32000, 32000).astype(np.int16)
        ints[invalid] = -32768
        band = stored.GetRasterBand(b + 1)
        band.SetNoDataValue(-32768)
        band.SetScale(float(scales[b]))
        band.SetOffset(float(offsets[b]))
        band.WriteArray(ints)
        floats = ints.astype(np.float32) * scales[b] + offsets[b]
        floats[invalid] = -100
        values.GetRasterBand(b + 1).SetNoDataValue(-100)
        values.GetRasterBand(b + 1).WriteArray(floats)
    stored = values = None
    return str(tmp_path / "int16.tif"), str(tmp_path / "float.tif"), syn


def same(a, b) -> bool:
    return np.array_equal(gdal.Open(a).ReadAsArray(), gdal.Open(b).ReadAsArray())


@pytest.mark.parametrize("seed", range(3))
def test_declared_scale_and_offset_are_applied(tmp_path, seed):
    stored, values, syn = quantised_pair(tmp_path, seed)
    seeds = syn.pixels_of(1, 4)
    examples = np.concatenate([syn.pixels_of(1, 5), syn.pixels_of(2, 5), syn.pixels_of(3, 5)])
    labels = ExamplePixels(examples[:, 0], examples[:, 1], np.repeat([1, 2, 3], 5), ["a", "b", "c"])
    for name, path in (("s", stored), ("v", values)):
        colour_view(path, str(tmp_path / f"{name}_rgb.tif"))
        cluster_map(path, str(tmp_path / f"{name}_clusters.tif"), k=4)
        similarity_map(path, Seeds(seeds[:, 0], seeds[:, 1]), str(tmp_path / f"{name}_sim.tif"))
        classes_map(path, labels, str(tmp_path / f"{name}_classes.tif"), str(tmp_path / f"{name}_conf.tif"))
    for output in ("rgb", "clusters", "sim", "classes", "conf"):
        assert same(str(tmp_path / f"s_{output}.tif"), str(tmp_path / f"v_{output}.tif")), output
    rgb = gdal.Open(str(tmp_path / "s_rgb.tif")).ReadAsArray()
    assert np.array_equal((rgb == 0).all(axis=0), syn.regions == 0)
