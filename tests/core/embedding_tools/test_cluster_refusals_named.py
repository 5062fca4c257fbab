"""Clusters that cannot be made from a raster's few valid pixels are refused naming the raster (the
rules speak of the sample: which file it came from is said), and nothing is written."""
from __future__ import annotations

import pytest
from osgeo import gdal

from planaura_plugin.embedding_tools.clusters import cluster_map
from planaura_plugin.errors import InputError
from embedding_synthetic import NODATA, write_synthetic

pytest.importorskip("sklearn.cluster")


@pytest.mark.parametrize("valid,settings,why", [
    (1, {"k": 0}, "no number of clusters in 2-10 can be tried on 1 sample pixel"),
    (1, {"k": 2}, "2 clusters cannot be made from 1 sample pixel"),
    (5, {"k": 9}, "9 clusters cannot be made from 5 sample pixel"),
    (1, {"method": "hdbscan", "min_cluster_size": 2}, "HDBSCAN's smallest cluster (2 pixels) is larger than its "
                                                       "sample (1 pixels)"),
    (3, {"method": "hdbscan", "min_cluster_size": 2}, "HDBSCAN found no cluster in 3 sample pixel"),
])
def test_too_few_valid_pixels_are_refused_with_the_raster_named(tmp_path, valid, settings, why):
    syn = write_synthetic(tmp_path)
    ds = gdal.Open(syn.path, gdal.GA_Update)
    for b in range(ds.RasterCount):
        data = ds.GetRasterBand(b + 1).ReadAsArray()
        data.flat[valid:] = NODATA
        ds.GetRasterBand(b + 1).WriteArray(data)
    ds = None
    with pytest.raises(InputError) as raised:
        cluster_map(syn.path, str(tmp_path / "clusters.tif"), centres_out=str(tmp_path / "c.json"), **settings)
    assert str(raised.value).startswith(f"no clusters for {syn.path}: {why}"), str(raised.value)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["emb.tif"]
