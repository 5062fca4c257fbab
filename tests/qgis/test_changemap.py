"""planaura:changemap through processing.run on 128 px crops with the tiny checkpoint."""
from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

pytestmark = pytest.mark.qgis

ALL_OUTPUTS = {
    "OUTPUT": "cosine.tif", "OUTPUT_BEFORE_DATE": "before_date.tif", "OUTPUT_AFTER_DATE": "after_date.tif",
    "OUTPUT_QUALITY": "quality.tif", "OUTPUT_CLASSES": "classes.tif",
    "OUTPUT_EMBEDDINGS_BEFORE": "emb_before.tif", "OUTPUT_EMBEDDINGS_AFTER": "emb_after.tif",
    "OUTPUT_RECONSTRUCTION_BEFORE": "rec_before.tif", "OUTPUT_RECONSTRUCTION_AFTER": "rec_after.tif",
}


def read(path):
    from osgeo import gdal

    ds = gdal.Open(str(path))
    assert ds is not None, path
    return ds


def same_crs(a, b) -> bool:
    from osgeo import osr

    sa, sb = osr.SpatialReference(), osr.SpatialReference()
    sa.ImportFromWkt(read(a).GetProjection())
    sb.ImportFromWkt(read(b).GetProjection())
    return bool(sa.IsSame(sb))


@pytest.fixture(scope="module")
def full_run(tmp_path_factory, planaura_provider, pair_a, tiny_model):
    """One run with every output, shared by the checks below."""
    import processing
    from qgis.core import QgsProcessingContext, QgsProcessingFeedback

    out = tmp_path_factory.mktemp("changemap_all")
    params = {"BEFORE": pair_a["before"], "AFTER": pair_a["after"], "EMBEDDINGS": "0,5,17", **tiny_model}
    params.update({k: str(out / v) for k, v in ALL_OUTPUTS.items()})
    feedback = QgsProcessingFeedback()
    results = processing.run("planaura:changemap", params, feedback=feedback, context=QgsProcessingContext())
    return out, results


def test_every_output_is_written_with_its_style(full_run):
    out, results = full_run
    for key, name in ALL_OUTPUTS.items():
        assert results.get(key) == str(out / name), key
        assert (out / name).exists(), name
        assert (out / name).with_suffix(".qml").exists(), f"no style sidecar for {name}"
    leftovers = [p.name for p in out.iterdir() if ".partial" in p.name]
    assert not leftovers


def test_outputs_grid_types_and_nodata(full_run, pair_a):
    out, _ = full_run
    src = read(pair_a["before"])
    expected = {  # name -> (bands, GDAL type name, nodata)
        "cosine.tif": (1, "Float32", -100), "before_date.tif": (1, "Int32", -100),
        "after_date.tif": (1, "Int32", -100), "quality.tif": (1, "Byte", 255), "classes.tif": (1, "Byte", 0),
        "emb_before.tif": (3, "Float32", -100), "emb_after.tif": (3, "Float32", -100),
        "rec_before.tif": (6, None, -9999), "rec_after.tif": (6, None, -9999),
    }
    from osgeo import gdal

    for name, (bands, dtype, nodata) in expected.items():
        ds = read(out / name)
        assert (ds.RasterXSize, ds.RasterYSize) == (src.RasterXSize, src.RasterYSize), name
        assert ds.GetGeoTransform() == pytest.approx(src.GetGeoTransform()), name
        assert same_crs(out / name, pair_a["before"]), name
        assert ds.RasterCount == bands, name
        band = ds.GetRasterBand(1)
        if dtype:
            assert gdal.GetDataTypeName(band.DataType) == dtype, name
        assert band.GetNoDataValue() == pytest.approx(nodata), name
    emb = read(out / "emb_before.tif")
    names = [emb.GetRasterBand(b + 1).GetDescription() for b in range(3)]
    assert names == ["f0", "f5", "f17"]


def test_output_values(full_run):
    out, _ = full_run
    cos = read(out / "cosine.tif").ReadAsArray()
    valid = cos != -100
    assert valid.mean() > 0.5
    assert cos[valid].min() >= -1 and cos[valid].max() <= 1
    dates_before = read(out / "before_date.tif").ReadAsArray()
    dates_after = read(out / "after_date.tif").ReadAsArray()
    assert set(np.unique(dates_before[valid])) == {2021250}
    assert set(np.unique(dates_after[valid])) == {2022245}
    quality = read(out / "quality.tif").ReadAsArray()
    assert set(np.unique(quality)) <= {0, 1, 2, 3, 4, 6, 255}
    classes = read(out / "classes.tif").ReadAsArray()
    assert set(np.unique(classes[valid])) <= {1, 2, 3, 4}
    assert np.all((classes[valid] == 1) == (cos[valid] > 0.80))
    assert np.all((classes[valid] == 4) == (cos[valid] <= 0.40))


def test_identical_dates_give_no_change(tmp_path, run_alg, pair_a, tiny_model):
    out = tmp_path / "same.tif"
    run_alg("planaura:changemap", {"BEFORE": pair_a["before"], "AFTER": pair_a["before"], "OUTPUT": str(out),
                                   **tiny_model})
    cos = read(out).ReadAsArray()
    valid = cos != -100
    assert valid.any()
    assert np.median(cos[valid]) > 0.9


def test_fast_mode_without_upsampling_has_16_px_cells(tmp_path, run_alg, pair_a, tiny_model):
    out = tmp_path / "coarse.tif"
    run_alg("planaura:changemap", {"BEFORE": pair_a["before"], "AFTER": pair_a["after"], "UPSAMPLE": False,
                                   "OUTPUT": str(out), **tiny_model})
    src_gt, gt = read(pair_a["before"]).GetGeoTransform(), read(out).GetGeoTransform()
    assert gt[1] == pytest.approx(16 * src_gt[1]) and gt[5] == pytest.approx(16 * src_gt[5])
    assert (gt[0], gt[3]) == pytest.approx((src_gt[0], src_gt[3]))


def test_extent_limits_the_output(tmp_path, run_alg, pair_a, tiny_model):
    gt = read(pair_a["before"]).GetGeoTransform()
    x0, y1 = gt[0], gt[3]
    extent = f"{x0},{x0 + 64 * 30},{y1 - 64 * 30},{y1} [EPSG:32615]"
    out = tmp_path / "aoi.tif"
    run_alg("planaura:changemap", {"BEFORE": pair_a["before"], "AFTER": pair_a["after"], "EXTENT": extent,
                                   "OUTPUT": str(out), **tiny_model})
    ds = read(out)
    assert ds.RasterXSize <= 64 + 16 and ds.RasterYSize <= 64 + 16


def test_dense_mode_runs(tmp_path, run_alg, pair_a, tiny_model):
    gt = read(pair_a["before"]).GetGeoTransform()
    x0, y1 = gt[0], gt[3]
    out = tmp_path / "dense.tif"
    run_alg("planaura:changemap", {"BEFORE": pair_a["before"], "AFTER": pair_a["after"], "STRIDE": 1,
                                   "EXTENT": f"{x0},{x0 + 64 * 30},{y1 - 64 * 30},{y1} [EPSG:32615]",
                                   "OUTPUT": str(out), **tiny_model})
    cos = read(out).ReadAsArray()
    assert (cos != -100).any()


def test_temporary_outputs_are_named_and_styled_when_loaded(run_alg, pair_a, tiny_model, no_layer_tree_view):
    """The layers Processing loads get a descriptive name and the style (post-processor, main thread)."""
    from processing.gui.Postprocessing import handleAlgorithmResults
    from qgis.core import (QgsApplication, QgsProcessingContext, QgsProcessingFeedback,
                           QgsProcessingOutputLayerDefinition, QgsProject)

    project = QgsProject.instance()
    context = QgsProcessingContext()
    context.setProject(project)
    params = {"BEFORE": pair_a["before"], "AFTER": pair_a["after"], **tiny_model,
              "OUTPUT": QgsProcessingOutputLayerDefinition("TEMPORARY_OUTPUT", project),
              "OUTPUT_QUALITY": QgsProcessingOutputLayerDefinition("TEMPORARY_OUTPUT", project)}
    results = run_alg("planaura:changemap", params, context=context)
    alg = QgsApplication.processingRegistry().createAlgorithmById("planaura:changemap")
    assert handleAlgorithmResults(alg, context, QgsProcessingFeedback(), parameters=params)
    try:
        layers = {layer.name(): layer for layer in project.mapLayers().values()}
        name = "Change intensity 2021-09-07 \u2192 2022-09-02"
        assert name in layers, list(layers)
        assert layers[name].renderer().type() == "singlebandpseudocolor"
        assert layers[name].source() == results["OUTPUT"]
        quality = layers["Quality (Fmask) 2021-09-07 \u2192 2022-09-02"]
        assert quality.renderer().type() == "paletted"
        assert Path(results["OUTPUT"]).with_suffix(".qml").exists()
    finally:
        project.removeAllMapLayers()


def test_cancel_leaves_no_output(tmp_path, run_alg, pair_a, tiny_model, recording_feedback, list_files):
    from qgis.core import QgsProcessingException

    out = tmp_path / "cancelled"
    out.mkdir()
    feedback = recording_feedback(cancel_after_progress=True)
    params = {"BEFORE": pair_a["before"], "AFTER": pair_a["after"], **tiny_model, "BATCH_SIZE": 1}
    params.update({k: str(out / v) for k, v in ALL_OUTPUTS.items()})
    with pytest.raises(QgsProcessingException, match="[Cc]ancel"):
        run_alg("planaura:changemap", params, feedback=feedback)
    assert feedback.isCanceled()
    assert list_files(out) == []


def test_cancel_during_the_first_batch_stops_there(tmp_path, run_alg, pair_a, tiny_model, recording_feedback,
                                                  list_files):
    """Cancelled while the output files are open: the next batch is not run and nothing is left."""
    from qgis.core import QgsProcessingException

    out = tmp_path / "cancelled"
    out.mkdir()
    feedback = recording_feedback(cancel_on_text="tile batch")
    params = {"BEFORE": pair_a["before"], "AFTER": pair_a["after"], **tiny_model, "BATCH_SIZE": 1}
    params.update({k: str(out / v) for k, v in ALL_OUTPUTS.items()})
    with pytest.raises(QgsProcessingException, match="[Cc]ancel"):
        run_alg("planaura:changemap", params, feedback=feedback)
    batches = [t for t in feedback.texts if "tile batch" in t]
    assert len(batches) == 1, batches  # 9 batches of one tile: stopped after the first
    assert list_files(out) == []


def test_three_band_raster_is_refused(tmp_path, run_alg, data_dir, pair_a, tiny_model):
    from qgis.core import QgsProcessingException

    three = data_dir / "three_bands" / os.path.basename(pair_a["before"])
    with pytest.raises(QgsProcessingException, match="3 band"):
        run_alg("planaura:changemap", {"BEFORE": str(three), "AFTER": pair_a["after"],
                                       "OUTPUT": str(tmp_path / "x.tif"), **tiny_model})
    assert not (tmp_path / "x.tif").exists()


def test_custom_model_needs_a_checkpoint(tmp_path, run_alg, pair_a, tiny_yaml):
    from qgis.core import QgsProcessingException

    with pytest.raises(QgsProcessingException, match="checkpoint"):
        run_alg("planaura:changemap", {"BEFORE": pair_a["before"], "AFTER": pair_a["after"], "MODEL": 2,
                                       "MODEL_CONFIG": str(tiny_yaml), "OUTPUT": str(tmp_path / "x.tif")})


def test_missing_weights_say_so(tmp_path, run_alg, pair_a, monkeypatch):
    """No checkpoint, empty Hugging Face cache, no network: the core's message reaches the user."""
    from qgis.core import QgsProcessingException

    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    monkeypatch.setenv("HUGGINGFACE_HUB_CACHE", str(tmp_path / "hf" / "hub"))
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "hf" / "hub"))
    with pytest.raises(QgsProcessingException) as info:
        run_alg("planaura:changemap", {"BEFORE": pair_a["before"], "AFTER": pair_a["after"], "DEVICE": 1,
                                       "OUTPUT": str(tmp_path / "x.tif")})
    assert "Planaura-1.0-HLS" in str(info.value)
    assert not (tmp_path / "x.tif").exists()


def test_bad_parameters_are_explained(tmp_path, run_alg, pair_a, tiny_model):
    from qgis.core import QgsProcessingException

    base = {"BEFORE": pair_a["before"], "AFTER": pair_a["after"], "OUTPUT": str(tmp_path / "x.tif"), **tiny_model}
    with pytest.raises(QgsProcessingException, match="thresholds"):
        run_alg("planaura:changemap", {**base, "THRESHOLD_LOW": 0.9})
    with pytest.raises(QgsProcessingException, match="outside"):
        run_alg("planaura:changemap", {**base, "EMBEDDINGS": "0,999",
                                       "OUTPUT_EMBEDDINGS_BEFORE": str(tmp_path / "e.tif")})
    with pytest.raises(QgsProcessingException, match="GeoTIFF"):
        run_alg("planaura:changemap", {**base, "OUTPUT": str(tmp_path / "x.sdat")})


def test_model_stays_loaded_between_runs(tmp_path, run_alg, pair_a, tiny_model):
    """The network is loaded once per session (model/loading.get_runner) and freed by release_models."""
    from planaura_qgis.planaura_plugin.model import loading

    loading.release_models()
    for name in ("one.tif", "two.tif"):
        run_alg("planaura:changemap", {"BEFORE": pair_a["before"], "AFTER": pair_a["after"],
                                       "OUTPUT": str(tmp_path / name), **tiny_model})
        assert len(loading._CACHE) == 1
    assert loading.release_models() == 1


def test_cuda_without_a_gpu_is_explained(tmp_path, run_alg, pair_a, tiny_model):
    import torch
    from qgis.core import QgsProcessingException

    if torch.cuda.is_available():
        pytest.skip("this machine has a GPU")
    with pytest.raises(QgsProcessingException, match="CUDA"):
        run_alg("planaura:changemap", {"BEFORE": pair_a["before"], "AFTER": pair_a["after"],
                                       "OUTPUT": str(tmp_path / "x.tif"), **tiny_model, "DEVICE": 2})
    assert not (tmp_path / "x.tif").exists()
