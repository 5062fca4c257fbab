"""Outputs above 2 GB uncompressed are warned about before any pass (a declared 100000 x 100000 px
raster: the warning comes before the first progress step), with their size and what to do."""
from __future__ import annotations

import numpy as np
import pytest
from osgeo import gdal, osr

from planaura_plugin.embedding_tools.classes import classes_map
from planaura_plugin.embedding_tools.clusters import cluster_map
from planaura_plugin.embedding_tools.colour_view import colour_view
from planaura_plugin.embedding_tools.examples import ExamplePixels
from planaura_plugin.embedding_tools.similarity import Seeds, similarity_map
from planaura_plugin.errors import Cancelled
from planaura_plugin.feedback import Feedback

pytest.importorskip("sklearn")


class StopAtFirstStep(Feedback):
    def __init__(self) -> None:
        self.warnings, self.stopped = [], False

    def warning(self, message: str) -> None:
        assert not self.stopped, "a warning after the first step"
        self.warnings.append(message)

    def progress(self, fraction: float, message: str = "") -> None:
        self.stopped = True

    def is_cancelled(self) -> bool:
        return self.stopped


def huge(tmp_path, size=100_000) -> str:
    vrt = gdal.GetDriverByName("VRT").Create(str(tmp_path / "huge.vrt"), size, size, 4, gdal.GDT_Int16)
    vrt.SetGeoTransform((600000.0, 30.0, 0.0, 3600000.0, 0.0, -30.0))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(32615)
    vrt.SetProjection(srs.ExportToWkt())
    vrt = None
    return str(tmp_path / "huge.vrt")


def run(tool: str, path: str, out, feedback: Feedback) -> None:
    cells = np.array([3, 7, 11, 15])
    if tool == "colour":
        colour_view(path, str(out / "rgb.tif"), feedback=feedback)
    elif tool == "clusters":
        cluster_map(path, str(out / "clusters.tif"), k=2, feedback=feedback)
    elif tool == "similarity":
        similarity_map(path, Seeds(cells, cells), str(out / "similarity.tif"), feedback=feedback)
    else:
        classes_map(path, ExamplePixels(cells, cells, np.array([1, 1, 2, 2]), ["a", "b"]), str(out / "classes.tif"),
                    str(out / "confidence.tif"), feedback=feedback)


EXPECTED = {"colour": [("rgb.tif", "27.9", 3, "uint8")], "clusters": [("clusters.tif", "9.3", 1, "uint8")],
            "similarity": [("similarity.tif", "37.3", 1, "float32")],
            "classes": [("classes.tif", "9.3", 1, "uint8"), ("confidence.tif", "37.3", 1, "float32")]}


@pytest.mark.parametrize("tool", sorted(EXPECTED))
def test_huge_outputs_are_warned_about_before_any_pass(tmp_path, tool):
    path = huge(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    feedback = StopAtFirstStep()
    with pytest.raises(Cancelled):
        run(tool, path, out, feedback)
    assert feedback.warnings == [
        f"{out / name} will take about {size} GB uncompressed (100000 x 100000 px, {bands} band(s) of {dtype}): clip "
        "the embeddings to the area you need, or use embeddings at the model's stride"
        for name, size, bands, dtype in EXPECTED[tool]]
    assert list(out.iterdir()) == []  # cancelled: nothing left


def test_small_outputs_are_not_warned_about(tmp_path):
    path = huge(tmp_path, size=1000)
    feedback = StopAtFirstStep()
    with pytest.raises(Cancelled):
        run("similarity", path, tmp_path, feedback)
    assert feedback.warnings == []
