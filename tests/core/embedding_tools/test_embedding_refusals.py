"""The embedding tools refuse wrong inputs before any work, naming the file, under both GDAL exception
states; their inputs are never touched; the vector examples are read in any CRS, as points or polygons."""
from __future__ import annotations

import hashlib
import json

import numpy as np
import pytest

from embedding_synthetic import write_points, write_synthetic
from planaura_plugin.embedding_tools.blocks import open_features
from planaura_plugin.embedding_tools.classes import classes_map
from planaura_plugin.embedding_tools.clusters import cluster_map, fit_clusters
from planaura_plugin.embedding_tools.colour_view import colour_view
from planaura_plugin.embedding_tools.examples import example_pixels
from planaura_plugin.embedding_tools.similar_areas import similar_areas
from planaura_plugin.embedding_tools.similarity import Seeds, similarity_map
from planaura_plugin.errors import InputError


def digest(path) -> str:
    return hashlib.sha256(open(path, "rb").read()).hexdigest()


def test_missing_or_unreadable_inputs_are_named(tmp_path, gdal_exceptions):
    missing = str(tmp_path / "nothing.tif")
    for call in (lambda: colour_view(missing, str(tmp_path / "a.tif")),
                 lambda: cluster_map(missing, str(tmp_path / "b.tif"), k=2),
                 lambda: similarity_map(missing, Seeds([0], [0]), str(tmp_path / "c.tif")),
                 lambda: similar_areas(missing, 0.5, str(tmp_path / "d.gpkg"))):
        with pytest.raises(InputError, match="nothing.tif"):
            call()
    syn = write_synthetic(tmp_path)
    src = open_features(syn.path)
    with pytest.raises(InputError, match="no_examples.gpkg"):
        example_pixels(str(tmp_path / "no_examples.gpkg"), src)
    points = write_points(tmp_path / "ex.gpkg", syn, syn.pixels_of(1, 3), ["a"] * 3)
    with pytest.raises(InputError, match="no field kind"):
        example_pixels(points, src, field="kind")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["emb.tif", "ex.gpkg"]  # nothing written


def test_saved_files_of_another_kind_or_size_are_refused(tmp_path, gdal_exceptions):
    syn = write_synthetic(tmp_path)
    cluster_map(syn.path, str(tmp_path / "cl.tif"), k=4, centres_out=str(tmp_path / "c.json"))
    with pytest.raises(InputError, match="c.json is not a colour-view projection"):
        colour_view(syn.path, str(tmp_path / "rgb.tif"), projection_in=str(tmp_path / "c.json"))
    other = write_synthetic(tmp_path, bands=5, name="other.tif")
    with pytest.raises(InputError, match="4 bands|16 bands"):
        cluster_map(other.path, str(tmp_path / "cl2.tif"), centres_in=str(tmp_path / "c.json"))
    (tmp_path / "bad.json").write_text(json.dumps({"kind": "planaura-clusters", "centres": "x"}))
    with pytest.raises(InputError, match="bad.json"):
        cluster_map(syn.path, str(tmp_path / "cl3.tif"), centres_in=str(tmp_path / "bad.json"))
    assert not (tmp_path / "rgb.tif").exists() and not (tmp_path / "cl2.tif").exists()


def test_bad_settings_are_refused(tmp_path):
    syn = write_synthetic(tmp_path)
    sample = np.random.default_rng(0).normal(size=(30, 4))
    with pytest.raises(InputError, match="40 clusters"):
        fit_clusters(sample, k=40)
    with pytest.raises(InputError, match="larger than its sample"):
        fit_clusters(sample, method="hdbscan", min_cluster_size=1000)
    with pytest.raises(InputError, match="HDBSCAN found no cluster"):  # uniform noise: no dense group
        fit_clusters(np.random.default_rng(1).uniform(size=(400, 2)), method="hdbscan", min_cluster_size=300)
    with pytest.raises(InputError, match="unknown clustering method"):
        fit_clusters(sample, method="dbscan")
    with pytest.raises(InputError, match="similarity mode"):
        similarity_map(syn.path, Seeds([1], [1]), str(tmp_path / "s.tif"), mode="median")
    pixels = example_pixels(write_points(tmp_path / "one.gpkg", syn, syn.pixels_of(1, 3), ["a"] * 3),
                            open_features(syn.path), field="label")
    with pytest.raises(InputError, match="1 class"):
        classes_map(syn.path, pixels, str(tmp_path / "k.tif"))
    with pytest.raises(InputError, match="threshold 1.5"):
        classes_map(syn.path, pixels, str(tmp_path / "k.tif"), threshold=1.5)


def test_inputs_are_never_touched(tmp_path, gdal_exceptions):
    syn = write_synthetic(tmp_path)
    points = write_points(tmp_path / "ex.gpkg", syn, np.concatenate([syn.pixels_of(r, 5, r) for r in (1, 2)]),
                          ["a"] * 5 + ["b"] * 5, epsg=3857, polygons=True)
    before = digest(syn.path), digest(points)
    colour_view(syn.path, str(tmp_path / "rgb.tif"))
    cluster_map(syn.path, str(tmp_path / "cl.tif"), k=3)
    pixels = example_pixels(points, open_features(syn.path), field="label")
    classes_map(syn.path, pixels, str(tmp_path / "k.tif"))
    sim = similarity_map(syn.path, Seeds(pixels.cols, pixels.rows), str(tmp_path / "s.tif"))
    similar_areas(sim, 0.5, str(tmp_path / "s.gpkg"))
    assert (digest(syn.path), digest(points)) == before
    # polygons in Web Mercator mark exactly the pixels they were drawn on
    assert sorted(zip(pixels.cols, pixels.rows)) == sorted(
        map(tuple, np.concatenate([syn.pixels_of(r, 5, r) for r in (1, 2)]).tolist()))
