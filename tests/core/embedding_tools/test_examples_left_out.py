"""Examples the tools cannot use are said, not dropped silently: examples outside the raster and
example pixels over nodata are counted in a warning (the map is that of the usable ones), and a
class of a single example is named when its accuracy cannot be cross-validated."""
from __future__ import annotations

import numpy as np
import pytest
from osgeo import gdal

from planaura_plugin.embedding_tools.blocks import open_features
from planaura_plugin.embedding_tools.classes import classes_map
from planaura_plugin.embedding_tools.examples import example_pixels
from planaura_plugin.embedding_tools.similarity import Seeds, similarity_map
from planaura_plugin.errors import InputError
from planaura_plugin.feedback import Feedback
from embedding_synthetic import write_points, write_synthetic


class Warnings(Feedback):
    def __init__(self) -> None:
        self.warnings = []

    def warning(self, message: str) -> None:
        self.warnings.append(message)


def random_seeds(syn, rng):
    """Some seeds on valid pixels, some on the nodata square, some beyond the raster's edges."""
    height, width = syn.regions.shape
    valid = syn.pixels_of(1, int(rng.integers(1, 5)), seed=int(rng.integers(1000)))
    rows, cols = np.nonzero(syn.regions == 0)
    pick = rng.choice(len(rows), int(rng.integers(0, 3)), replace=False)
    nodata = np.stack([cols[pick], rows[pick]], axis=1)
    outside = [(int(rng.choice([-3, width + 2])), int(rng.integers(height))) for _ in range(int(rng.integers(0, 3)))]
    return [tuple(p) for p in valid], [tuple(p) for p in nodata], outside


@pytest.mark.parametrize("seed", range(6))
def test_similarity_names_the_examples_it_leaves_out(tmp_path, seed):
    rng = np.random.default_rng(seed)
    syn = write_synthetic(tmp_path, seed=seed)
    valid, nodata, outside = random_seeds(syn, rng)
    epsg = int(rng.choice([0, 4326, 3857]))
    everything = write_points(tmp_path / "all.gpkg", syn, valid + nodata + outside, epsg=epsg)
    usable = write_points(tmp_path / "usable.gpkg", syn, valid, epsg=epsg)
    src = open_features(syn.path)
    log = Warnings()
    found = example_pixels(everything, src, feedback=log)
    similarity_map(syn.path, Seeds(found.cols, found.rows), str(tmp_path / "all.tif"), feedback=log)
    alone = example_pixels(usable, src)
    similarity_map(syn.path, Seeds(alone.cols, alone.rows), str(tmp_path / "usable.tif"))
    assert np.array_equal(gdal.Open(str(tmp_path / "all.tif")).ReadAsArray(),
                          gdal.Open(str(tmp_path / "usable.tif")).ReadAsArray())
    expected = []
    if outside:
        expected.append(f"{len(outside)} of the {len(valid) + len(nodata) + len(outside)} examples of {everything} "
                        f"lie outside {syn.path}")
    if nodata:
        expected.append(f"{len(nodata)} of the {len(valid) + len(nodata)} positive example pixel(s) are nodata in "
                        f"{syn.path}")
    assert len(log.warnings) == len(expected), log.warnings
    for message, start in zip(log.warnings, expected):
        assert message.startswith(start), (message, start)


def test_classes_name_nodata_examples_and_single_example_classes(tmp_path):
    syn = write_synthetic(tmp_path, seed=3)
    rows, cols = np.nonzero(syn.regions == 0)
    points = [tuple(p) for p in syn.pixels_of(1, 5)] + [tuple(p) for p in syn.pixels_of(2, 1)] + \
        [(int(cols[0]), int(rows[0]))]
    labels = ["a"] * 5 + ["b", "a"]
    layer = write_points(tmp_path / "ex.gpkg", syn, points, labels)
    log = Warnings()
    report = classes_map(syn.path, example_pixels(layer, open_features(syn.path), field="label"),
                         str(tmp_path / "classes.tif"), feedback=log)
    assert report.examples == {"a": 5, "b": 1} and report.accuracy == {"a": None, "b": None}
    assert log.warnings == [
        f"1 of the 7 example pixel(s) are nodata in {syn.path} and are left out",
        "the accuracy cannot be cross-validated: the class(es) b have a single example pixel; give at least 2 "
        "examples of every class (5 or more)"]


@pytest.mark.parametrize("classes", [2, 3])
def test_classes_of_single_examples_only_are_refused(tmp_path, classes):
    syn = write_synthetic(tmp_path, seed=classes)
    points = [tuple(syn.pixels_of(region, 1)[0]) for region in range(1, classes + 1)]
    layer = write_points(tmp_path / "ex.gpkg", syn, points, [f"c{i}" for i in range(classes)])
    with pytest.raises(InputError, match="every class of the examples has a single example pixel in .*emb.tif: how "
                                         "far a class spreads cannot be measured"):
        classes_map(syn.path, example_pixels(layer, open_features(syn.path), field="label"),
                    str(tmp_path / "classes.tif"), str(tmp_path / "confidence.tif"))
    assert not (tmp_path / "classes.tif").exists() and not (tmp_path / "confidence.tif").exists()
