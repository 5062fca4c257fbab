"""Property: the embedding tools give the same values whatever the window size, on random grids,
band counts, nodata patterns and a CRS in degrees, and keep nodata exactly where the input has it."""
from __future__ import annotations

import numpy as np
import pytest
from osgeo import gdal, osr

from planaura_plugin.embedding_tools.classes import classes_map
from planaura_plugin.embedding_tools.clusters import cluster_map
from planaura_plugin.embedding_tools.colour_view import colour_view
from planaura_plugin.embedding_tools.examples import ExamplePixels
from planaura_plugin.embedding_tools.similarity import Seeds, similarity_map


def random_raster(path, rng, degrees: bool):
    height, width, bands = (int(v) for v in rng.integers(3, 40, 3))
    data = rng.normal(size=(bands, height, width)).astype(np.float32)
    data += np.arange(width)[None, None, :] * rng.normal(size=(bands, 1, 1)).astype(np.float32) / 10
    nodata = rng.random((height, width)) < 0.15
    band_hole = rng.random((height, width)) < 0.05  # nodata in one band only: the pixel is nodata
    data[:, nodata] = -100
    data[int(rng.integers(bands)), band_hole] = -100
    ds = gdal.GetDriverByName("GTiff").Create(str(path), width, height, bands, gdal.GDT_Float32)
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(4326 if degrees else 32615)
    ds.SetProjection(srs.ExportToWkt())
    ds.SetGeoTransform((-93.0, 0.001, 0, 37.0, 0, -0.001) if degrees else (700000, 30, 0, 4100000, 0, -30))
    for b in range(bands):
        ds.GetRasterBand(b + 1).SetNoDataValue(-100)
        ds.GetRasterBand(b + 1).WriteArray(data[b])
    ds = None
    return ~(nodata | band_hole), bands, width


def read(path):
    return gdal.Open(str(path)).ReadAsArray()


@pytest.mark.parametrize("seed", range(6))
def test_window_size_changes_nothing(tmp_path, seed):
    rng = np.random.default_rng(seed)
    valid, bands, width = random_raster(tmp_path / "e.tif", rng, degrees=bool(seed % 2))
    if valid.sum() < 12:
        pytest.skip("too few valid pixels drawn")
    rows, cols = np.nonzero(valid)
    labels = np.arange(len(rows)) % 2 + 1
    pixels = ExamplePixels(cols=cols, rows=rows, codes=labels, names=["a", "b"])
    budgets = (bands * width * int(rng.integers(1, 4)), 10 ** 8)  # a few rows per window, then one window
    for k, budget in enumerate(budgets):
        colour_view(str(tmp_path / "e.tif"), str(tmp_path / f"rgb{k}.tif"), max_values=budget)
        cluster_map(str(tmp_path / "e.tif"), str(tmp_path / f"cl{k}.tif"), k=3, max_values=budget)
        similarity_map(str(tmp_path / "e.tif"), Seeds(cols[:3], rows[:3]), str(tmp_path / f"s{k}.tif"),
                       mode="max", max_values=budget)
        classes_map(str(tmp_path / "e.tif"), pixels, str(tmp_path / f"c{k}.tif"), str(tmp_path / f"f{k}.tif"),
                    max_values=budget)
    for name, nodata in (("rgb", 0), ("cl", 0), ("s", -100), ("c", 255), ("f", -1)):
        small, whole = read(tmp_path / f"{name}0.tif"), read(tmp_path / f"{name}1.tif")
        np.testing.assert_array_equal(small, whole, err_msg=name)
        gone = (whole == nodata).all(axis=0) if whole.ndim == 3 else whole == nodata
        np.testing.assert_array_equal(gone, ~valid, err_msg=name)
