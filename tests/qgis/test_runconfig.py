"""planaura:runconfig: an upstream YAML + CSV run through Processing (names and folders as upstream)."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from support import TINY

pytestmark = pytest.mark.qgis


def write_config(folder: Path, checkpoint: Path, pairs, tasks=("infer", "mosaic"), cluster: bool = False) -> Path:
    """An upstream config (relative paths, as users write them) and its CSV; ``cluster``: the change types
    of each pair too (change_map.cluster)."""
    rows = "\n".join(f"{a},{b}" for a, b in pairs)
    (folder / "pairs.csv").write_text("input_file_0,input_file_1\n" + rows + "\n", encoding="utf-8")
    arch = "\n".join(f"  {k}: {v}" for k, v in TINY.items())
    text = f"""\
task_list: [{', '.join(tasks)}]
csv_inference_file: pairs.csv
paths_included_in_csvs: true
num_frames: 2
use_gpu: false
minimum_valid_percentage: 0.7
inference_save_folder_frame_0: results
inference_save_folder_frame_1: results
change_map:
  return: true
  save_dates_layer: true
  save_fmask_layer: true
  fmask_in_bit: true
{"  cluster: {return: true, min_cluster_size: 2}" if cluster else ""}
feature_maps:
  return: false
mosaic_params:
  target_crs: EPSG:3979
  target_resolution: 30
  mosaic_save_postfix: qgis
model_params:
  load_params:
    source: local
    checkpoint_path: {checkpoint}
{arch}
"""
    path = folder / "planaura_config.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def config_folder(tmp_path, pair_a, pair_b, tiny_checkpoint):
    """Pair A as is, pair B renamed (upstream output names come from the input names)."""
    images = tmp_path / "images"
    images.mkdir()
    pairs = []
    for pair, tile in ((pair_a, "T15SXR"), (pair_b, "T15SXS")):
        names = []
        for key in ("before", "after"):
            src = Path(pair[key])
            name = src.name.replace("T15SXR", tile)
            shutil.copy(src, images / name)
            fmask = src.parent / f"fmask_{src.name}"
            if fmask.exists():
                shutil.copy(fmask, images / f"fmask_{name}")
            names.append(f"images/{name}")
        pairs.append(names)
    write_config(tmp_path, tiny_checkpoint, pairs)
    return tmp_path


def test_runconfig_writes_upstream_outputs_with_styles(config_folder, run_alg):
    from qgis.core import QgsProcessingContext, QgsProject

    context = QgsProcessingContext()
    context.setProject(QgsProject.instance())
    results = run_alg("planaura:runconfig", {"CONFIG": str(config_folder / "planaura_config.yaml"), "DEVICE": 2},
                      context=context)
    to_load = {Path(p).name: d.name for p, d in context.layersToLoadOnCompletion().items()}
    assert to_load == {"mosaic_cosine_map_qgis_c.tif": "mosaic_cosine_map_qgis_c",
                       "mosaic_persistence_qgis_c.tif": "mosaic_persistence_qgis_c"}
    results_dir = config_folder / "results"
    assert Path(results["OUTPUT_FOLDER"]) == results_dir
    names = {p.name for p in results_dir.iterdir()}
    cosine = [n for n in names if n.startswith("cosine_map!") and n.endswith(".tif")]
    assert len(cosine) == 2
    assert "mosaic_cosine_map_qgis_c.tif" in names and "mosaic_persistence_qgis_c.tif" in names
    layers = results["OUTPUT_LAYERS"]
    assert all(Path(p).exists() for p in layers) and len(layers) >= 6
    for path in layers:
        assert Path(path).with_suffix(".qml").exists(), path
    assert set(results["OUTPUT_FILES"].splitlines()) >= set(layers)


def test_change_types_of_a_run_get_the_registry_style(tmp_path, pair_a, tiny_checkpoint, run_alg):
    """change_map.cluster: the change types raster is listed with the others and styled as planaura:changetypes
    styles it (the registry's style), like every raster of the run."""
    import xml.etree.ElementTree as ET

    pytest.importorskip("sklearn.cluster", reason="scikit-learn (requirements.txt) is needed for change types")
    (tmp_path / "images").mkdir()
    names = []
    for key in ("before", "after"):
        shutil.copy(pair_a[key], tmp_path / "images" / Path(pair_a[key]).name)
        names.append(f"images/{Path(pair_a[key]).name}")
    write_config(tmp_path, tiny_checkpoint, [names], tasks=("infer",), cluster=True)
    results = run_alg("planaura:runconfig", {"CONFIG": str(tmp_path / "planaura_config.yaml"), "DEVICE": 2})
    layers = {Path(p).name.split("!")[0]: Path(p) for p in results["OUTPUT_LAYERS"]}
    assert {"cosine_map", "change_types"} <= set(layers), layers
    assert all(path.with_suffix(".qml").exists() for path in layers.values()), layers
    renderers = {kind: ET.parse(layers[kind].with_suffix(".qml")).getroot().find(".//rasterrenderer").get("type")
                 for kind in ("cosine_map", "change_types")}
    assert renderers == {"cosine_map": "singlebandpseudocolor", "change_types": "paletted"}
    palette = ET.parse(layers["change_types"].with_suffix(".qml")).getroot().findall(".//colorPalette/paletteEntry")
    assert {e.get("label") for e in palette} & {"Noise (no type)", "Change type 0"}  # the change types' legend


def test_dry_run_writes_nothing(config_folder, run_alg, recording_feedback):
    feedback = recording_feedback()
    results = run_alg("planaura:runconfig", {"CONFIG": str(config_folder / "planaura_config.yaml"),
                                             "DRY_RUN": True}, feedback=feedback)
    assert results["OUTPUT_LAYERS"] == []
    assert not (config_folder / "results").exists() or not any((config_folder / "results").iterdir())
    assert any("cosine_map!" in line for line in feedback.infos)


def test_config_errors_are_reported(tmp_path, run_alg):
    from qgis.core import QgsProcessingException

    bad = tmp_path / "bad.yaml"
    bad.write_text("task_list: [infer]\ncsv_inference_file: x.csv\nnum_framez: 2\n", encoding="utf-8")
    with pytest.raises(QgsProcessingException, match="num_framez"):
        run_alg("planaura:runconfig", {"CONFIG": str(bad)})


def test_cancel_stops_the_run(config_folder, run_alg, recording_feedback, list_files):
    from qgis.core import QgsProcessingException

    feedback = recording_feedback(cancel_on_text="tile batch")
    with pytest.raises(QgsProcessingException, match="[Cc]ancel"):
        run_alg("planaura:runconfig", {"CONFIG": str(config_folder / "planaura_config.yaml"), "DEVICE": 2},
                feedback=feedback)
    results = config_folder / "results"
    assert not results.exists() or list_files(results) == []


def test_scheduler_mistake_is_refused_before_any_work(config_folder, run_alg):
    from qgis.core import QgsProcessingException

    with pytest.raises(QgsProcessingException, match="give local, local:N"):
        run_alg("planaura:runconfig", {"CONFIG": str(config_folder / "planaura_config.yaml"),
                                       "SCHEDULER": "somewhere:8786"})
    assert not (config_folder / "results").exists()


def test_a_rerun_with_nothing_to_compute_says_so_and_force_recomputes(config_folder, run_alg, recording_feedback):
    """Issue 27 point 6: the second run of an unchanged configuration writes nothing and says so (not
    'N file(s) written in 0.0 s'), with QGIS's way to recompute (not the command line's --force alone);
    'Recompute every pair' computes them again."""
    config = str(config_folder / "planaura_config.yaml")
    run_alg("planaura:runconfig", {"CONFIG": config, "DEVICE": 2})
    again = recording_feedback()
    run_alg("planaura:runconfig", {"CONFIG": config, "DEVICE": 2}, feedback=again)
    text = "\n".join(again.infos)
    assert "Nothing to compute: every pair is unchanged since an earlier run" in text, text
    assert "written in" not in text
    assert "'Recompute every pair' in QGIS" in text and "Pairs: 0 computed, 2 unchanged" in text
    forced = recording_feedback()
    run_alg("planaura:runconfig", {"CONFIG": config, "DEVICE": 2, "FORCE": True}, feedback=forced)
    text = "\n".join(forced.infos)
    assert "Pairs: 2 computed, 0 unchanged" in text and "written in" in text, text


def test_a_missing_dask_is_not_sent_to_install_dependencies(qgis_app):
    """Install dependencies does not install Dask, and a ZIP install has no `make setup`."""
    from planaura_qgis.planaura_plugin.errors import MissingDependencyError
    from planaura_qgis.processing_provider import algorithm_common

    try:
        try:
            raise ImportError("No module named 'distributed'", name="distributed")
        except ImportError as cause:
            raise MissingDependencyError("--scheduler needs the Python packages dask and distributed "
                                         "(pip install dask==2026.8.0 distributed==2026.8.0)") from cause
    except MissingDependencyError as exc:
        hint = algorithm_common.missing_package_hint(exc)
    assert "does not install Dask" in hint and "make setup" not in hint
    torch_missing = MissingDependencyError("the Python package 'torch' is needed")
    assert "Install dependencies" in algorithm_common.missing_package_hint(torch_missing)


def test_make_setup_is_advised_only_where_it_exists(qgis_app, tmp_path, monkeypatch):
    from planaura_qgis.processing_provider import algorithm_common

    monkeypatch.setattr(algorithm_common, "PLUGIN_DIR", str(tmp_path))  # a ZIP install: no Makefile
    assert "make setup" not in algorithm_common.install_hint()
    (tmp_path / "Makefile").write_text("setup:\n")
    assert "make setup" in algorithm_common.install_hint()


def test_the_mosaic_persistence_loads_below_its_change_intensity_and_hidden(config_folder, planaura_provider,
                                                                           no_layer_tree_view):
    """Issue 27 point 8: the runner's persistence (opaque) never covers the mosaic's change intensity."""
    import processing
    from processing.gui.Postprocessing import handleAlgorithmResults
    from qgis.core import QgsApplication, QgsProcessingContext, QgsProcessingFeedback, QgsProject

    project = QgsProject.instance()
    project.clear()
    context = QgsProcessingContext()
    context.setProject(project)
    params = {"CONFIG": str(config_folder / "planaura_config.yaml"), "DEVICE": 2}
    processing.run("planaura:runconfig", params, context=context, feedback=QgsProcessingFeedback())
    alg = QgsApplication.processingRegistry().createAlgorithmById("planaura:runconfig")
    assert handleAlgorithmResults(alg, context, QgsProcessingFeedback(), parameters=params)
    try:
        nodes = [n for n in project.layerTreeRoot().findLayers() if n.layer() is not None]
        names = [n.layer().name() for n in nodes]
        assert names.index("mosaic_cosine_map_qgis_c") < names.index("mosaic_persistence_qgis_c"), names
        visible = {n.layer().name(): n.itemVisibilityChecked() for n in nodes}
        assert visible["mosaic_cosine_map_qgis_c"] and not visible["mosaic_persistence_qgis_c"]
    finally:
        project.clear()
