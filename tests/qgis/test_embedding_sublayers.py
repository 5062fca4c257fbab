"""Examples given as one layer of a file of several, named by its index (``file.gpkg|layerid=1``, as
QGIS names some sublayers): Similarity search and Classes from examples use that layer, not the file's
first one (QGIS hands back only the file name of such a layer, so it is exported)."""
from __future__ import annotations

import numpy as np
import pytest
from osgeo import gdal

from embedding_synthetic import write_examples

pytestmark = pytest.mark.qgis


def two_layers(path, raster: str, cells_far, cells_near, labels) -> str:
    """A GeoPackage: layer 0 off the raster, layer 1 at the centres of ``cells_near`` (EPSG:4326)."""
    write_examples(path, raster, cells_far, labels, layer_name="far")
    return write_examples(path, raster, cells_near, labels, layer_name="near")


def test_a_sublayer_named_by_index_is_the_one_used(tmp_path, run_alg, pair_a):
    from planaura_qgis.planaura_plugin.embedding_tools.classes import classes_map
    from planaura_qgis.planaura_plugin.embedding_tools.examples import ExamplePixels
    from planaura_qgis.planaura_plugin.embedding_tools.similarity import Seeds, similarity_map

    raster = pair_a["before"]
    near = [(5, 5), (8, 100), (100, 6), (120, 120), (50, 60), (52, 64)]  # the 128 px crop
    far = [(-5000, -5000)] * len(near)
    labels = ["a", "a", "b", "b", "a", "b"]
    path = two_layers(tmp_path / "two.gpkg", raster, far, near, labels)
    run_alg("planaura:similaritysearch", {"INPUT": raster, "POSITIVE": f"{path}|layerid=1",
                                          "OUTPUT": str(tmp_path / "sim.tif")})
    cols, rows = np.array([c for c, _r in near]), np.array([r for _c, r in near])
    similarity_map(raster, Seeds(cols, rows), str(tmp_path / "expected.tif"))
    assert np.array_equal(gdal.Open(str(tmp_path / "sim.tif")).ReadAsArray(),
                          gdal.Open(str(tmp_path / "expected.tif")).ReadAsArray())
    results = run_alg("planaura:classesfromexamples", {
        "INPUT": raster, "EXAMPLES": f"{path}|layerid=1", "CLASS_FIELD": "label", "THRESHOLD": 0.0,
        "OUTPUT": str(tmp_path / "classes.tif"), "OUTPUT_CONFIDENCE": None})
    codes = np.array([1 if label == "a" else 2 for label in labels])
    classes_map(raster, ExamplePixels(cols, rows, codes, ["a", "b"]), str(tmp_path / "expected_classes.tif"),
                threshold=0.0)
    assert np.array_equal(gdal.Open(results["OUTPUT"]).ReadAsArray(),
                          gdal.Open(str(tmp_path / "expected_classes.tif")).ReadAsArray())
