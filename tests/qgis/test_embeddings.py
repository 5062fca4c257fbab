"""planaura:embeddings through processing.run: static mode, bi-temporal context, tables."""
from __future__ import annotations

import csv
from pathlib import Path

import pytest

pytestmark = pytest.mark.qgis


def read(path):
    from osgeo import gdal

    ds = gdal.Open(str(path))
    assert ds is not None, path
    return ds


def test_static_embeddings_all_dimensions(tmp_path, run_alg, pair_a, tiny_model, recording_feedback):
    out = tmp_path / "emb.tif"
    feedback = recording_feedback()
    results = run_alg("planaura:embeddings", {"INPUT": pair_a["before"], "OUTPUT": str(out), **tiny_model},
                      feedback=feedback)
    assert results["OUTPUT"] == str(out)
    ds = read(out)
    assert ds.RasterCount == 64  # the tiny model's embed_dim; 768 for Planaura-1.0
    assert [ds.GetRasterBand(b).GetDescription() for b in (1, 2, 64)] == ["f0", "f1", "f63"]
    assert ds.GetRasterBand(1).GetNoDataValue() == -100
    src = read(pair_a["before"])
    # by default one cell per 16 x 16 px patch (the model's stride, not upsampled): 128 px -> 8 cells
    assert (ds.RasterXSize, ds.RasterYSize) == (src.RasterXSize // 16, src.RasterYSize // 16)
    # the size was estimated in the log before the run: 8 x 8 cells x 64 dimensions x 4 bytes = 16 KB
    assert "Embeddings raster: about 16.0 KB (64 dimensions, one value per 16 x 16 px patch, 128 x 128 px)." \
        in feedback.infos
    assert not feedback.warnings or not any("will take about" in w for w in feedback.warnings)
    assert out.with_suffix(".qml").exists()
    assert ds.GetRasterBand(1).ReadAsArray().std() > 0


def test_selected_dimensions_and_csv_table(tmp_path, run_alg, pair_a, tiny_model):
    out, table = tmp_path / "emb3.tif", tmp_path / "emb3.csv"
    results = run_alg("planaura:embeddings", {"INPUT": pair_a["before"], "EMBEDDINGS": "0,5,17", "UPSAMPLE": False,
                                              "OUTPUT": str(out), "OUTPUT_TABLE": str(table), **tiny_model})
    ds = read(out)
    assert [ds.GetRasterBand(b + 1).GetDescription() for b in range(ds.RasterCount)] == ["f0", "f5", "f17"]
    assert results["OUTPUT_TABLE"] == str(table)
    with open(table, newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert rows and {"x", "y", "f0", "f5", "f17"} <= set(rows[0])
    assert len(rows) <= ds.RasterXSize * ds.RasterYSize


def test_geopackage_table(tmp_path, run_alg, pair_a, tiny_model):
    from qgis.core import QgsVectorLayer

    table = tmp_path / "emb.gpkg"
    run_alg("planaura:embeddings", {"INPUT": pair_a["before"], "EMBEDDINGS": "1-3", "UPSAMPLE": False,
                                    "OUTPUT": str(tmp_path / "e.tif"), "OUTPUT_TABLE": str(table), **tiny_model})
    layer = QgsVectorLayer(str(table), "t", "ogr")
    assert layer.isValid() and layer.featureCount() > 0
    assert {"f1", "f2", "f3"} <= set(layer.fields().names())


def test_geoparquet_table(tmp_path, run_alg, pair_a, tiny_model):
    pq = pytest.importorskip("pyarrow.parquet")
    table = tmp_path / "emb.parquet"
    run_alg("planaura:embeddings", {"INPUT": pair_a["before"], "EMBEDDINGS": "4", "UPSAMPLE": False,
                                    "OUTPUT": str(tmp_path / "e.tif"), "OUTPUT_TABLE": str(table), **tiny_model})
    data = pq.read_table(str(table))
    assert data.num_rows > 0 and "f4" in data.column_names
    assert b"geo" in (data.schema.metadata or {})  # GeoParquet: geometry metadata


def test_second_date_gives_bitemporal_embeddings(tmp_path, run_alg, pair_a, tiny_model):
    static, paired = tmp_path / "static.tif", tmp_path / "paired.tif"
    run_alg("planaura:embeddings", {"INPUT": pair_a["before"], "EMBEDDINGS": "0-7", "OUTPUT": str(static),
                                    **tiny_model})
    run_alg("planaura:embeddings", {"INPUT": pair_a["before"], "SECOND_DATE": pair_a["after"], "EMBEDDINGS": "0-7",
                                    "OUTPUT": str(paired), **tiny_model})
    a, b = read(static).ReadAsArray(), read(paired).ReadAsArray()
    assert a.shape == b.shape
    assert not (a == b).all()  # the pair's context changes the embeddings


def test_table_extension_is_checked(tmp_path, run_alg, pair_a, tiny_model):
    from qgis.core import QgsProcessingException

    with pytest.raises(QgsProcessingException, match=r"\.csv"):
        run_alg("planaura:embeddings", {"INPUT": pair_a["before"], "OUTPUT": str(tmp_path / "e.tif"),
                                        "OUTPUT_TABLE": str(tmp_path / "e.xlsx"), **tiny_model})


@pytest.mark.parametrize("second, name", [(False, "Embeddings 2021-09-07"),
                                          (True, "Embeddings 2021-09-07 (with 2022-09-02)")])
def test_embeddings_layer_is_named_and_styled(tmp_path, run_alg, pair_a, tiny_model, no_layer_tree_view, second,
                                              name):
    """The layer QGIS loads: the registry's name of a pair's embeddings (one image: "Embeddings <date>") and
    the embeddings style (the first three dimensions as RGB)."""
    from processing.gui.Postprocessing import handleAlgorithmResults
    from qgis.core import (QgsApplication, QgsProcessingContext, QgsProcessingFeedback,
                           QgsProcessingOutputLayerDefinition, QgsProject)

    project = QgsProject.instance()
    context = QgsProcessingContext()
    context.setProject(project)
    params = {"INPUT": pair_a["before"], "EMBEDDINGS": "0-3", **tiny_model,
              "OUTPUT": QgsProcessingOutputLayerDefinition(str(tmp_path / "emb.tif"), project)}
    if second:
        params["SECOND_DATE"] = pair_a["after"]
    results = run_alg("planaura:embeddings", params, context=context)
    alg = QgsApplication.processingRegistry().createAlgorithmById("planaura:embeddings")
    assert handleAlgorithmResults(alg, context, QgsProcessingFeedback(), parameters=params)
    try:
        layers = {layer.name(): layer for layer in project.mapLayers().values()}
        assert list(layers) == [name]
        assert layers[name].source() == results["OUTPUT"]
        assert layers[name].renderer().type() == "multibandcolor"
        assert Path(results["OUTPUT"]).with_suffix(".qml").exists()
    finally:
        project.removeAllMapLayers()


@pytest.mark.parametrize("extension", [".csv", ".gpkg"])
def test_the_table_is_loaded_with_the_raster(tmp_path, planaura_provider, pair_a, tiny_model, no_layer_tree_view,
                                             extension):
    """Issue 27 point 8: the embeddings table is loaded into the map with the raster, named."""
    import processing
    from processing.gui.Postprocessing import handleAlgorithmResults
    from qgis.core import (QgsApplication, QgsProcessingContext, QgsProcessingFeedback,
                           QgsProcessingOutputLayerDefinition, QgsProject)

    project = QgsProject.instance()
    project.clear()
    context = QgsProcessingContext()
    context.setProject(project)
    table = tmp_path / f"e{extension}"
    params = {"INPUT": pair_a["before"], "EMBEDDINGS": "0-3", **tiny_model, "OUTPUT_TABLE": str(table),
              "OUTPUT": QgsProcessingOutputLayerDefinition(str(tmp_path / "e.tif"), project)}
    processing.run("planaura:embeddings", params, context=context, feedback=QgsProcessingFeedback())
    alg = QgsApplication.processingRegistry().createAlgorithmById("planaura:embeddings")
    assert handleAlgorithmResults(alg, context, QgsProcessingFeedback(), parameters=params)
    try:
        layers = {layer.name(): layer for layer in project.mapLayers().values()}
        assert "Embeddings table 2021-09-07" in layers, list(layers)
        assert layers["Embeddings table 2021-09-07"].featureCount() > 0
    finally:
        project.clear()
