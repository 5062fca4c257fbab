"""The embedding tools through ``qgis_process.bin`` on the sample pair's real embeddings (tiny model),
and chained after Planaura embeddings in a model; values checked against the core's rules."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from embedding_synthetic import write_examples

pytestmark = pytest.mark.qgis

TOOLS = ("embeddingcolourview", "similaritysearch", "embeddingclusters", "classesfromexamples")


def log(done) -> str:
    return f"exit {done.returncode}\nstdout:\n{done.stdout[-4000:]}\nstderr:\n{done.stderr[-4000:]}"


def read(path):
    from osgeo import gdal

    ds = gdal.Open(str(path))
    assert ds is not None, path
    return ds.ReadAsArray(), ds


@pytest.fixture(scope="module")
def embeddings(tmp_path_factory, qgis_process, pair_a, tiny_checkpoint, tiny_yaml) -> dict:
    """Embeddings of both dates of pair A at the model's stride (8 x 8 cells) and upsampled (128 x 128 px)."""
    folder = tmp_path_factory.mktemp("embedding_tools")
    model = {"CHECKPOINT": str(tiny_checkpoint), "MODEL_CONFIG": str(tiny_yaml), "DEVICE": 1}
    out = {"folder": folder}
    for key, image, upsample in (("stride", "before", False), ("stride_after", "after", False),
                                 ("upsampled", "before", True)):
        path = folder / f"{key}.tif"
        done, _data = qgis_process.run_json("planaura:embeddings", {
            "INPUT": pair_a[image], "UPSAMPLE": upsample, "EMBEDDINGS": "0-15", **model, "OUTPUT": str(path)})
        assert done.returncode == 0, log(done)
        out[key] = path
    return out


def valid_of(path: Path) -> np.ndarray:
    data, ds = read(path)
    return (data != ds.GetRasterBand(1).GetNoDataValue()).all(axis=0)


def test_tools_are_listed(qgis_process):
    done = qgis_process("list")
    for name in TOOLS:
        assert f"planaura:{name}" in done.stdout, log(done)


@pytest.mark.parametrize("key", ["stride", "upsampled"])
def test_colour_view_and_a_second_date_in_its_colour_space(embeddings, qgis_process, key):
    from planaura_plugin.embedding_tools.colour_view import load_projection

    folder = embeddings["folder"]
    rgb, projection = folder / f"rgb_{key}.tif", folder / f"rgb_{key}.json"
    done, data = qgis_process.run_json("planaura:embeddingcolourview", {
        "INPUT": str(embeddings[key]), "OUTPUT": str(rgb), "OUTPUT_PROJECTION": str(projection)})
    assert done.returncode == 0, log(done)
    assert data["results"]["OUTPUT"] == str(rgb) and rgb.with_suffix(".qml").exists()
    values, ds = read(rgb)
    valid = valid_of(embeddings[key])
    assert ds.RasterCount == 3 and ((values == 0).all(axis=0) == ~valid).all()
    # the values are the saved projection applied to the embeddings (1 + 254 x stretched score)
    emb = read(embeddings[key])[0].reshape(16, -1).T[valid.ravel()]
    expected = load_projection(str(projection)).to_bytes(emb)
    np.testing.assert_array_equal(values.reshape(3, -1).T[valid.ravel()], expected)
    assert len({tuple(v) for v in expected}) > 3  # not one flat colour
    if key == "stride":
        second = folder / "rgb_after.tif"
        done, _ = qgis_process.run_json("planaura:embeddingcolourview", {
            "INPUT": str(embeddings["stride_after"]), "PROJECTION": str(projection), "OUTPUT": str(second)})
        assert done.returncode == 0, log(done)
        after = read(embeddings["stride_after"])[0].reshape(16, -1).T
        ok = valid_of(embeddings["stride_after"]).ravel()
        np.testing.assert_array_equal(read(second)[0].reshape(3, -1).T[ok],
                                      load_projection(str(projection)).to_bytes(after[ok]))


def test_similarity_search_with_polygons(embeddings, qgis_process):
    from osgeo import ogr

    folder, raster = embeddings["folder"], embeddings["upsampled"]
    valid = valid_of(raster)
    rows, cols = np.nonzero(valid)
    seeds = write_examples(folder / "seeds.gpkg", raster, [(cols[0], rows[0])], ["x"])
    sim, polygons = folder / "sim.tif", folder / "similar.gpkg"
    done, data = qgis_process.run_json("planaura:similaritysearch", {
        "INPUT": str(raster), "POSITIVE": seeds, "THRESHOLD": 0.9, "OUTPUT": str(sim),
        "OUTPUT_POLYGONS": str(polygons)})
    assert done.returncode == 0, log(done)
    values = read(sim)[0]
    assert sim.with_suffix(".qml").exists()
    assert values[rows[0], cols[0]] == pytest.approx(1.0, abs=1e-5)  # one example: its own cosine is 1
    assert ((values == -100) == ~valid).all() and values[valid].max() <= 1 + 1e-5
    vds = ogr.Open(str(polygons))
    pixels = sum(f.GetField("pixels") for f in vds.GetLayer(0))
    assert pixels == int((values[valid] >= 0.9).sum()) and data["results"]["AREAS"] == vds.GetLayer(0).GetFeatureCount()
    assert data["results"]["AREA_HA"] == pytest.approx(pixels * 0.09, rel=2e-3)  # 30 m pixels, UTM


def test_clusters_are_nearest_centres(embeddings, qgis_process):
    folder, raster = embeddings["folder"], embeddings["upsampled"]
    out, centres = folder / "clusters.tif", folder / "centres.json"
    done, data = qgis_process.run_json("planaura:embeddingclusters", {
        "INPUT": str(raster), "CLUSTERS": 3, "OUTPUT": str(out), "OUTPUT_CENTRES": str(centres)})
    assert done.returncode == 0, log(done)
    assert data["results"]["CLUSTER_COUNT"] == 3 and out.with_suffix(".qml").exists()
    labels = read(out)[0]
    valid = valid_of(raster)
    saved = np.array(json.loads(centres.read_text())["centres"])
    emb = read(raster)[0].reshape(16, -1).T[valid.ravel()].astype(np.float64)
    nearest = ((emb[:, None, :] - saved[None]) ** 2).sum(axis=2).argmin(axis=1) + 1
    assert (labels[valid] == nearest).mean() > 0.999 and set(np.unique(labels[valid])) == {1, 2, 3}
    assert (labels[~valid] == 0).all()


def test_classes_from_examples(embeddings, qgis_process):
    folder, raster = embeddings["folder"], embeddings["upsampled"]
    clusters = read(folder / "clusters.tif")[0] if (folder / "clusters.tif").exists() else None
    if clusters is None:
        pytest.skip("needs the clusters of test_clusters_are_nearest_centres")
    rng = np.random.default_rng(0)
    cells, labels = [], []
    for value, name in ((1, "a"), (2, "b"), (3, "c")):
        rows, cols = np.nonzero(clusters == value)
        for i in rng.choice(len(rows), min(8, len(rows)), replace=False):
            cells.append((cols[i], rows[i]))
            labels.append(name)
    examples = write_examples(folder / "labels.gpkg", raster, cells, labels)
    out, confidence = folder / "classes.tif", folder / "confidence.tif"
    done, data = qgis_process.run_json("planaura:classesfromexamples", {
        "INPUT": str(raster), "EXAMPLES": examples, "CLASS_FIELD": "label", "THRESHOLD": 0.5,
        "OUTPUT": str(out), "OUTPUT_CONFIDENCE": str(confidence)})
    assert done.returncode == 0, log(done)
    accuracy = json.loads(data["results"]["ACCURACY"])
    assert set(accuracy) == {"a", "b", "c"} and all(0 <= v <= 1 for v in accuracy.values())
    classes, ds = read(out)
    conf = read(confidence)[0]
    valid = valid_of(raster)
    assert ds.GetMetadataItem("CLASS_1") == "a" and ((classes == 255) == ~valid).all()
    assert ((conf >= 0) & (conf <= 1))[valid].all() and (conf[~valid] == -1).all()
    assert ((classes[valid] == 0) == (conf[valid] < 0.5)).all()
    trained = np.array([classes[r, c] for c, r in cells])
    assert (trained == np.repeat([1, 2, 3], 8)[:len(trained)]).mean() >= 0.9


def test_clusters_chained_after_embeddings_in_a_model(tmp_path, planaura_provider, pair_a, tiny_model):
    """Planaura embeddings (a temporary output) -> Embedding clusters, built with the model API."""
    import processing
    from qgis.core import (QgsProcessingContext, QgsProcessingFeedback, QgsProcessingModelAlgorithm,
                           QgsProcessingModelChildAlgorithm, QgsProcessingModelChildParameterSource,
                           QgsProcessingModelOutput, QgsProcessingModelParameter, QgsProcessingParameterRasterLayer)

    model = QgsProcessingModelAlgorithm("embedding chain", "Planaura tests")
    model.addModelParameter(QgsProcessingParameterRasterLayer("IMAGE", "IMAGE"), QgsProcessingModelParameter("IMAGE"))
    static = QgsProcessingModelChildParameterSource.fromStaticValue
    emb = QgsProcessingModelChildAlgorithm("planaura:embeddings")
    emb.setChildId("embeddings")
    emb.addParameterSources("INPUT", [QgsProcessingModelChildParameterSource.fromModelParameter("IMAGE")])
    for key, value in {**tiny_model, "EMBEDDINGS": "0-7"}.items():
        emb.addParameterSources(key, [static(value)])
    model.addChildAlgorithm(emb)
    tool = QgsProcessingModelChildAlgorithm("planaura:embeddingclusters")
    tool.setChildId("clusters")
    tool.addParameterSources("INPUT", [QgsProcessingModelChildParameterSource.fromChildOutput("embeddings", "OUTPUT")])
    tool.addParameterSources("CLUSTERS", [static(2)])
    output = QgsProcessingModelOutput("CLUSTERS_OUT", "CLUSTERS_OUT")
    output.setChildId("clusters")
    output.setChildOutputName("OUTPUT")
    tool.setModelOutputs({"CLUSTERS_OUT": output})
    model.addChildAlgorithm(tool)
    model.updateDestinationParameters()
    name = [d.name() for d in model.destinationParameterDefinitions()][0]
    target = tmp_path / "chained.tif"
    processing.run(model, {"IMAGE": pair_a["before"], name: str(target)}, feedback=QgsProcessingFeedback(),
                   context=QgsProcessingContext())
    values = read(target)[0]
    assert values.shape == (8, 8) and set(np.unique(values)) <= {0, 1, 2} and {1, 2} <= set(np.unique(values))


def test_outputs_carry_their_styles(embeddings, qgis_app):
    """The .qml sidecars written by the runs above: fixed 1-255 RGB, a similarity ramp, paletted classes."""
    from qgis.core import QgsRasterLayer

    folder = embeddings["folder"]
    needed = {name: folder / name for name in ("rgb_stride.tif", "sim.tif", "clusters.tif", "classes.tif")}
    if not all(p.exists() for p in needed.values()):
        pytest.skip("needs the outputs of the tests above")
    layers = {name: QgsRasterLayer(str(path), name) for name, path in needed.items()}  # loads the .qml
    rgb = layers["rgb_stride.tif"].renderer()
    assert rgb.type() == "multibandcolor"
    assert (rgb.redContrastEnhancement().minimumValue(), rgb.redContrastEnhancement().maximumValue()) == (1, 255)
    assert layers["sim.tif"].renderer().type() == "singlebandpseudocolor"
    clusters = layers["clusters.tif"].renderer()
    assert clusters.type() == "paletted" and [c.label for c in clusters.classes()] == [
        "Cluster 1", "Cluster 2", "Cluster 3"]
    classes = layers["classes.tif"].renderer()
    assert classes.type() == "paletted"
    assert [(c.value, c.label) for c in classes.classes()] == [(0, "Unknown"), (1, "a"), (2, "b"), (3, "c")]


def test_tools_needing_scikit_learn_say_so_before_the_run(planaura_provider, pair_a, tmp_path, monkeypatch):
    from planaura_qgis.processing_provider import optional_packages
    from qgis.core import QgsApplication, QgsProcessingContext

    real = optional_packages.importlib.util.find_spec
    monkeypatch.setattr(optional_packages.importlib.util, "find_spec",
                        lambda name, *a: None if name == "sklearn" else real(name, *a))
    for name in ("embeddingcolourview", "embeddingclusters"):
        alg = QgsApplication.processingRegistry().createAlgorithmById(f"planaura:{name}")
        ok, message = alg.checkParameterValues({"INPUT": pair_a["before"], "OUTPUT": str(tmp_path / "o.tif")},
                                               QgsProcessingContext())
        assert not ok and "needs the Python package scikit-learn" in message and "Install dependencies" in message
    points = tmp_path / "p.gpkg"
    write_examples(points, Path(pair_a["before"]), [(3, 3)], ["a"])
    alg = QgsApplication.processingRegistry().createAlgorithmById("planaura:similaritysearch")
    assert alg.checkParameterValues({"INPUT": pair_a["before"], "POSITIVE": str(points),
                                     "OUTPUT": str(tmp_path / "s.tif")}, QgsProcessingContext()) == (True, "")
