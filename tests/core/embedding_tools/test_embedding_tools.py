"""Embedding tools on synthetic embeddings of known structure (see tests/embedding_synthetic.py): values checked."""
from __future__ import annotations

import os

import numpy as np
import pytest
from osgeo import gdal
from sklearn.metrics import adjusted_rand_score

from planaura_plugin.embedding_tools import blocks
from planaura_plugin.embedding_tools.classes import classes_map
from planaura_plugin.embedding_tools.clusters import cluster_map
from planaura_plugin.embedding_tools.colour_view import colour_view
from planaura_plugin.embedding_tools.examples import example_pixels
from planaura_plugin.embedding_tools.similarity import Seeds, similarity_map
from planaura_plugin.errors import Cancelled, InputError
from planaura_plugin.feedback import Feedback
from embedding_synthetic import write_points, write_synthetic


def read(path):
    ds = gdal.Open(str(path))
    return ds.ReadAsArray(), [ds.GetRasterBand(b + 1).GetNoDataValue() for b in range(ds.RasterCount)]


@pytest.mark.parametrize("stride,seed", [(1, 0), (16, 1), (1, 2)])
def test_colour_view_gives_each_region_its_colour(tmp_path, stride, seed):
    syn = write_synthetic(tmp_path, stride=stride, seed=seed)
    rgb, nodata = read(colour_view(syn.path, str(tmp_path / "rgb.tif"), projection_out=str(tmp_path / "p.json"))
                       and tmp_path / "rgb.tif")
    assert rgb.dtype == np.uint8 and nodata == [0, 0, 0]
    assert ((rgb == 0).all(axis=0) == (syn.regions == 0)).all()  # nodata exactly where the input's is
    means = np.array([rgb[:, syn.regions == r].mean(axis=1) for r in range(1, 5)])
    gaps = [np.abs(means[a] - means[b]).max() for a in range(4) for b in range(a + 1, 4)]
    assert min(gaps) > 40, means
    # the saved projection puts a second date (same classes, new noise) in the same colour space
    second = write_synthetic(tmp_path, stride=stride, seed=seed, name="second.tif", means=syn.means)
    colour_view(second.path, str(tmp_path / "rgb2.tif"), projection_in=str(tmp_path / "p.json"))
    rgb2 = read(tmp_path / "rgb2.tif")[0]
    means2 = np.array([rgb2[:, syn.regions == r].mean(axis=1) for r in range(1, 5)])
    assert np.abs(means2 - means).max() < 8


def test_colour_view_refuses_a_projection_of_other_bands(tmp_path):
    syn = write_synthetic(tmp_path)
    colour_view(syn.path, str(tmp_path / "rgb.tif"), projection_out=str(tmp_path / "p.json"))
    other = write_synthetic(tmp_path, bands=8, name="other.tif")
    with pytest.raises(InputError, match="16 bands"):
        colour_view(other.path, str(tmp_path / "rgb2.tif"), projection_in=str(tmp_path / "p.json"))
    assert not (tmp_path / "rgb2.tif").exists()


@pytest.mark.parametrize("mode", ["mean", "max"])
@pytest.mark.parametrize("seed", [0, 3])
def test_similarity_is_highest_over_the_seeds_region(tmp_path, mode, seed):
    syn = write_synthetic(tmp_path, seed=seed)
    pos = syn.pixels_of(1, 5, seed)
    out = similarity_map(syn.path, Seeds(pos[:, 0], pos[:, 1]), str(tmp_path / "sim.tif"), mode=mode)
    sim, nodata = read(out)
    assert nodata == [-100.0]
    assert ((sim == -100) == (syn.regions == 0)).all()
    assert sim[syn.regions == 1].min() > sim[syn.regions > 1].max()
    assert sim[syn.regions == 1].mean() > 0.9 and sim.max() <= 1.0 + 1e-6


def test_negative_seeds_push_their_region_below_zero(tmp_path):
    syn = write_synthetic(tmp_path)
    pos, neg = syn.pixels_of(1, 5), syn.pixels_of(2, 5)
    seeds = Seeds(pos[:, 0], pos[:, 1], neg[:, 0], neg[:, 1])
    sim = read(similarity_map(syn.path, seeds, str(tmp_path / "sim.tif")))[0]
    assert sim[syn.regions == 2].max() < 0 < sim[syn.regions == 1].min()
    assert sim[syn.regions == 1].min() > sim[syn.regions > 2].max()


def test_seed_masks_give_the_same_map_as_their_pixels(tmp_path):
    syn = write_synthetic(tmp_path)
    positive, negative = np.zeros(syn.regions.shape, bool), np.zeros(syn.regions.shape, bool)
    positive[2:5, 3:6], negative[30:32, 40:44] = True, True
    rows, cols = np.nonzero(positive)
    neg_rows, neg_cols = np.nonzero(negative)
    a = read(similarity_map(syn.path, Seeds.from_masks(positive, negative), str(tmp_path / "a.tif")))[0]
    b = read(similarity_map(syn.path, Seeds(cols, rows, neg_cols, neg_rows), str(tmp_path / "b.tif")))[0]
    np.testing.assert_array_equal(a, b)
    assert a[syn.regions == 1].min() > 0 > a[syn.regions == 4].max()


def test_seeds_only_over_nodata_are_refused(tmp_path):
    syn = write_synthetic(tmp_path)
    rows, cols = np.nonzero(syn.regions == 0)
    with pytest.raises(InputError, match="example pixel"):
        similarity_map(syn.path, Seeds(cols[:3], rows[:3]), str(tmp_path / "sim.tif"))
    assert not os.listdir(tmp_path) == [] and not (tmp_path / "sim.tif").exists()


@pytest.mark.parametrize("method,k", [("kmeans", 4), ("kmeans", 0), ("hdbscan", 0)])
def test_clusters_recover_the_regions(tmp_path, method, k):
    syn = write_synthetic(tmp_path, seed=5)
    model = cluster_map(syn.path, str(tmp_path / "cl.tif"), method=method, k=k, k_range=range(2, 8),
                        centres_out=str(tmp_path / "c.json"), min_cluster_size=20)
    labels, nodata = read(tmp_path / "cl.tif")
    assert nodata == [0] and len(model.centres) == 4
    assert ((labels == 0) == (syn.regions == 0)).all()
    valid = syn.regions > 0
    assert adjusted_rand_score(syn.regions[valid], labels[valid]) >= 0.95
    assert gdal.Open(str(tmp_path / "cl.tif")).GetRasterBand(1).GetColorTable() is not None
    # the centres assign another date (same classes, new noise) to the same clusters
    second = write_synthetic(tmp_path, seed=6, name="second.tif", means=syn.means)
    cluster_map(second.path, str(tmp_path / "cl2.tif"), centres_in=str(tmp_path / "c.json"))
    labels2 = read(tmp_path / "cl2.tif")[0]
    assert (labels2[valid] == labels[valid]).mean() >= 0.95


@pytest.mark.parametrize("polygons,epsg", [(False, 0), (True, 4326)])
def test_classes_from_five_examples_and_an_unseen_class(tmp_path, polygons, epsg):
    syn = write_synthetic(tmp_path, seed=7)
    names = {1: "forest", 2: "crop", 3: "water"}  # region 4 is never shown
    points = np.concatenate([syn.pixels_of(r, 5, seed=r) for r in names])
    labels = [names[r] for r in names for _ in range(5)]
    vector = write_points(tmp_path / "ex.gpkg", syn, points, labels, epsg=epsg, polygons=polygons)
    src = blocks.open_features(syn.path)
    pixels = example_pixels(vector, src, field="label")
    assert sorted(pixels.names) == ["crop", "forest", "water"] and len(pixels.codes) == 15
    report = classes_map(syn.path, pixels, str(tmp_path / "cls.tif"), str(tmp_path / "conf.tif"))
    assert report.accuracy == {"crop": 1.0, "forest": 1.0, "water": 1.0}
    cls, nodata = read(tmp_path / "cls.tif")
    conf, conf_nodata = read(tmp_path / "conf.tif")
    assert nodata == [255] and conf_nodata == [-1.0]
    assert ((cls == 255) == (syn.regions == 0)).all() and ((conf == -1) == (syn.regions == 0)).all()
    for region, name in names.items():
        assert (cls[syn.regions == region] == pixels.names.index(name) + 1).mean() >= 0.95
    assert (cls[syn.regions == 4] == 0).mean() >= 0.95  # unknown, not forced into a class
    assert conf[syn.regions == 4].max() < 0.5 <= np.median(conf[syn.regions == 1])


def test_windows_bound_memory_and_do_not_change_results(tmp_path, monkeypatch):
    syn = write_synthetic(tmp_path)
    whole = read(similarity_map(syn.path, Seeds([1], [1]), str(tmp_path / "a.tif")))[0]
    seen = []
    real = blocks.read_window

    def counting(ds, src, window):
        seen.append(window)
        return real(ds, src, window)

    monkeypatch.setattr(blocks, "read_window", counting)
    budget = 16 * 48 * 5  # 5 rows of 48 pixels x 16 bands
    small = read(similarity_map(syn.path, Seeds([1], [1]), str(tmp_path / "b.tif"), max_values=budget))[0]
    assert seen and max(w * h for _x, _y, w, h in seen) * 16 <= budget
    assert len(seen) == 1 + 40 // 5  # the seed's window, then 8 windows of output
    np.testing.assert_array_equal(small, whole)


class _CancelAfterFirst(Feedback):
    def __init__(self):
        self.calls = 0

    def progress(self, fraction, message=""):
        self.calls += 1

    def is_cancelled(self):
        return self.calls >= 1


def test_cancel_leaves_nothing(tmp_path):
    syn = write_synthetic(tmp_path)
    out = tmp_path / "out"
    with pytest.raises(Cancelled):
        cluster_map(syn.path, str(out / "cl.tif"), k=3, max_values=16 * 48 * 4, feedback=_CancelAfterFirst(),
                    centres_out=str(out / "c.json"))
    assert not out.exists() or not os.listdir(out)


def test_similar_areas_are_the_seed_region_with_its_area(tmp_path):
    from osgeo import ogr

    from planaura_plugin.embedding_tools.similar_areas import similar_areas

    syn = write_synthetic(tmp_path)
    pos = syn.pixels_of(1, 5)
    sim = similarity_map(syn.path, Seeds(pos[:, 0], pos[:, 1]), str(tmp_path / "sim.tif"))
    out, count, area = similar_areas(sim, 0.5, str(tmp_path / "similar.gpkg"))
    assert count == 1
    vds = ogr.Open(out)
    feature = vds.GetLayer(0).GetNextFeature()
    region = int((syn.regions == 1).sum())  # 24 x 20 px less the 3 x 3 nodata corner
    assert feature.GetField("pixels") == region == 471
    assert feature.GetField("area_ha") == pytest.approx(region * 30 * 30 / 1e4, rel=2e-3)  # UTM: near grid area
    assert area == pytest.approx(feature.GetField("area_ha"))
    assert feature.GetField("min_cos") >= 0.5
    assert similar_areas(sim, 0.5, str(tmp_path / "big.gpkg"), min_area_ha=100)[1:] == (0, 0.0)
