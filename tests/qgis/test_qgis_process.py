"""End to end through ``qgis_process.bin``, as scripts and CI use the plugin.

How QGIS 3.22's qgis_process finds the plugin: it lists the Python plugins found in the
profile's ``python/plugins`` folder and in the folders of ``QGIS_PLUGINPATH``, and loads
(``classFactory(None)`` then ``initProcessing()``) only those that declare
``hasProcessingProvider=yes`` in metadata.txt **and** are enabled in the profile
(``[PythonPlugins] planaura_qgis=true`` in QGIS3.ini, which ``qgis_process.bin plugins enable
planaura_qgis`` writes). The profile is chosen with ``QGIS_CUSTOM_CONFIG_PATH``. The Debian
wrapper ``/usr/bin/qgis_process`` adds ``--noversioncheck``, which 3.22's binary rejects, so the
binary is called directly with ``QT_QPA_PLATFORM=offscreen``.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from support import REPO, TINY

pytestmark = pytest.mark.qgis

MODEL3 = REPO / "tests" / "qgis" / "data" / "two_pairs_mosaic.model3"


def read(path):
    from osgeo import gdal

    ds = gdal.Open(str(path))
    assert ds is not None, path
    return ds


def epsg_of(path) -> str:
    from osgeo import osr

    srs = osr.SpatialReference(wkt=read(path).GetProjection())
    srs.AutoIdentifyEPSG()
    return srs.GetAuthorityCode(None)


def log(done) -> str:
    return f"exit {done.returncode}\nstdout:\n{done.stdout[-4000:]}\nstderr:\n{done.stderr[-4000:]}"


@pytest.fixture(scope="module")
def model_args(tiny_checkpoint, tiny_yaml):
    return {"CHECKPOINT": str(tiny_checkpoint), "MODEL_CONFIG": str(tiny_yaml), "DEVICE": 1}


def test_plugin_is_listed_and_loaded(qgis_process):
    done = qgis_process("plugins")
    assert done.returncode == 0, log(done)
    assert "* planaura_qgis" in done.stdout  # '*': loaded, implements a Processing provider
    done = qgis_process("list")
    for alg in ("planaura:changemap", "planaura:embeddings", "planaura:persistencemosaic", "planaura:runconfig"):
        assert alg in done.stdout, log(done)


def test_help_lists_the_parameters(qgis_process):
    done = qgis_process("help", "planaura:changemap")
    assert done.returncode == 0, log(done)
    for name in ("BEFORE", "AFTER", "MODEL", "CHECKPOINT", "STRIDE", "OUTPUT_CLASSES", "OUTPUT_EMBEDDINGS_AFTER"):
        assert f"{name}:" in done.stdout, name


def test_changemap_end_to_end(tmp_path, qgis_process, pair_a, model_args):
    out, classes = tmp_path / "cosine.tif", tmp_path / "classes.tif"
    done, data = qgis_process.run_json("planaura:changemap", {
        "BEFORE": pair_a["before"], "AFTER": pair_a["after"], **model_args,
        "OUTPUT": str(out), "OUTPUT_CLASSES": str(classes)})
    assert done.returncode == 0, log(done)
    assert data["results"]["OUTPUT"] == str(out)
    assert data["results"]["OUTPUT_CLASSES"] == str(classes)
    for path in (out, classes):
        assert path.exists() and path.with_suffix(".qml").exists()
    cos = read(out).ReadAsArray()
    assert ((cos == -100) | ((cos >= -1) & (cos <= 1))).all()
    assert not (tmp_path / "before_date.tif").exists()


def test_embeddings_end_to_end(tmp_path, qgis_process, pair_a, model_args):
    out, table = tmp_path / "emb.tif", tmp_path / "emb.csv"
    done, data = qgis_process.run_json("planaura:embeddings", {
        "INPUT": pair_a["before"], "EMBEDDINGS": "0,5,17", "UPSAMPLE": "false", **model_args,
        "OUTPUT": str(out), "OUTPUT_TABLE": str(table)})
    assert done.returncode == 0, log(done)
    assert read(out).RasterCount == 3 and table.exists()
    assert out.with_suffix(".qml").exists()


@pytest.fixture(scope="module")
def upstream_run(tmp_path_factory, qgis_process, pair_a, pair_b, tiny_checkpoint):
    """planaura:runconfig (infer only) on two pairs: per-pair files with upstream names."""
    folder = tmp_path_factory.mktemp("qgis_process_config")
    rows = []
    for pair, tile in ((pair_a, "T15SXR"), (pair_b, "T15SXS")):
        names = []
        for key in ("before", "after"):
            src = Path(pair[key])
            name = src.name.replace("T15SXR", tile)
            shutil.copy(src, folder / name)
            names.append(str(folder / name))
        rows.append(",".join(names))
    (folder / "pairs.csv").write_text("input_file_0,input_file_1\n" + "\n".join(rows) + "\n", encoding="utf-8")
    arch = "\n".join(f"  {k}: {v}" for k, v in TINY.items())
    (folder / "config.yaml").write_text(f"""\
task_list: [infer]
csv_inference_file: pairs.csv
num_frames: 2
use_gpu: false
minimum_valid_percentage: 0.7
inference_save_folder_frame_0: results
inference_save_folder_frame_1: results
change_map: {{return: true, save_dates_layer: true, save_fmask_layer: false}}
feature_maps: {{return: false}}
model_params:
  load_params: {{source: local, checkpoint_path: {tiny_checkpoint}}}
{arch}
""", encoding="utf-8")
    done, data = qgis_process.run_json("planaura:runconfig", {"CONFIG": str(folder / "config.yaml")})
    assert done.returncode == 0, log(done)
    return folder / "results", data


def test_runconfig_end_to_end(upstream_run):
    results, data = upstream_run
    assert Path(data["results"]["OUTPUT_FOLDER"]) == results
    cosine = sorted(results.glob("cosine_map!*.tif"))
    assert len(cosine) == 2
    assert len(sorted(results.glob("before_date!*.tif"))) == 2
    assert all(p.with_suffix(".qml").exists() for p in cosine)


def test_mosaic_end_to_end_finds_upstream_companions(tmp_path, qgis_process, upstream_run):
    results, _ = upstream_run
    maps = [str(p) for p in sorted(results.glob("cosine_map!*.tif"))]
    done, data = qgis_process.run_json("planaura:persistencemosaic", {
        "CHANGE_MAPS": maps, "OUTPUT": str(tmp_path / "mosaic.tif"),
        "OUTPUT_PERSISTENCE": str(tmp_path / "persistence.tif"), "OUTPUT_AFTER_DATE": str(tmp_path / "after.tif")})
    assert done.returncode == 0, log(done)
    from osgeo import osr

    # no TARGET_CRS: the change maps' own CRS (UTM 15N of the HLS tiles), not EPSG:3979
    mosaic_srs = osr.SpatialReference(wkt=read(tmp_path / "mosaic.tif").GetProjection())
    assert mosaic_srs.IsSame(osr.SpatialReference(wkt=read(maps[0]).GetProjection()))
    assert read(tmp_path / "persistence.tif").ReadAsArray().max() == 2
    after = read(tmp_path / "after.tif").ReadAsArray()
    assert 2022245 in np.unique(after)
    for name in ("mosaic.qml", "persistence.qml", "after.qml"):
        assert (tmp_path / name).exists()


def test_three_band_input_fails_with_a_message(tmp_path, qgis_process, data_dir, pair_a, model_args):
    three = next((data_dir / "three_bands").glob("*.tif"))
    done, _ = qgis_process.run_json("planaura:changemap", {
        "BEFORE": str(three), "AFTER": pair_a["after"], **model_args, "OUTPUT": str(tmp_path / "x.tif")})
    assert done.returncode != 0
    text = done.stdout + done.stderr
    assert "3 band(s)" in text and "6 bands" in text, log(done)
    assert not (tmp_path / "x.tif").exists()


def test_missing_input_fails(tmp_path, qgis_process, pair_a, model_args):
    done, _ = qgis_process.run_json("planaura:changemap", {
        "BEFORE": str(tmp_path / "nope.tif"), "AFTER": pair_a["after"], **model_args,
        "OUTPUT": str(tmp_path / "x.tif")})
    assert done.returncode != 0
    assert "BEFORE" in done.stdout + done.stderr


def test_graphical_model_chains_two_change_maps_into_a_mosaic(tmp_path, qgis_process, pair_a, pair_b, model_args):
    """two_pairs_mosaic.model3: the mosaic only receives the change maps (temporary files)."""
    mosaic, persistence = tmp_path / "mosaic.tif", tmp_path / "persistence.tif"
    done, data = qgis_process.run_json(str(MODEL3), {
        "BEFORE_1": pair_a["before"], "AFTER_1": pair_a["after"],
        "BEFORE_2": pair_b["before"], "AFTER_2": pair_b["after"], **model_args,
        "mosaic:MOSAIC": str(mosaic), "mosaic:PERSISTENCE": str(persistence)})
    assert done.returncode == 0, log(done)
    assert epsg_of(mosaic) == "3979"
    p = read(persistence).ReadAsArray()
    assert p.max() == 2 and set(np.unique(p)) <= {0, 1, 2}
    cos = read(mosaic).ReadAsArray()
    assert ((cos == -100) | (cos <= 1.05)).all()
    assert mosaic.with_suffix(".qml").exists() and persistence.with_suffix(".qml").exists()
