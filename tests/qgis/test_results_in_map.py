"""Results in the map as a user wants them: companions below the change map and hidden, unique
informative names that never replace a name the user chose, no empty outputs registered for
loading, and a log line per few percent of progress."""
from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest

pytestmark = pytest.mark.qgis


def write_raster(path: Path, array: np.ndarray, nodata) -> str:
    """A one-band GeoTIFF in UTM 15N."""
    from osgeo import gdal, gdal_array, osr

    ds = gdal.GetDriverByName("GTiff").Create(str(path), array.shape[1], array.shape[0], 1,
                                              gdal_array.NumericTypeCodeToGDALTypeCode(array.dtype))
    ds.SetGeoTransform([600000, 30, 0, 3600000, 0, -30])
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(32615)
    ds.SetProjection(srs.ExportToWkt())
    ds.GetRasterBand(1).SetNoDataValue(float(nodata))
    ds.GetRasterBand(1).WriteArray(array)
    ds = None
    return str(path)


def palette_alpha(path: str) -> dict:
    root = ET.parse(Path(path).with_suffix(".qml")).getroot()
    return {int(e.get("value")): int(e.get("alpha", "255")) for e in root.findall(".//colorPalette/paletteEntry")}


def test_nothing_here_classes_are_transparent(tmp_path, qgis_app):
    from planaura_qgis.processing_provider import styles

    classes = write_raster(tmp_path / "classes.tif", np.array([[1, 2], [3, 4]], dtype=np.uint8), 0)
    styles.write_sidecar(classes, styles.STYLE_CLASSES)
    alpha = palette_alpha(classes)
    assert alpha[1] == 0 and min(alpha[2], alpha[3], alpha[4]) == 255
    quality = write_raster(tmp_path / "quality.tif", np.array([[0, 1], [3, 4]], dtype=np.uint8), 255)
    styles.write_sidecar(quality, styles.STYLE_QUALITY)
    alpha = palette_alpha(quality)
    assert alpha[0] == 0 and alpha[1] == 255
    persistence = write_raster(tmp_path / "persistence.tif", np.array([[1, 2], [3, 3]], dtype=np.uint16), 0)
    styles.write_sidecar(persistence, styles.STYLE_PERSISTENCE)
    root = ET.parse(Path(persistence).with_suffix(".qml")).getroot()
    alpha = {float(i.get("value")): int(i.get("alpha", "255")) for i in root.findall(".//colorrampshader/item")}
    assert alpha == {1.0: 0, 2.0: 255, 3.0: 255}


def test_progress_text_every_few_percent_not_every_batch(qgis_app, recording_feedback):
    from planaura_qgis.processing_provider.base import ProcessingFeedbackAdapter

    feedback = recording_feedback()
    adapter = ProcessingFeedbackAdapter(feedback)
    n = 625
    for i in range(n):
        adapter.progress((i + 1) / n, f"tile batch {i + 1} of {n}")
    assert 15 <= len(feedback.texts) <= 1 / ProcessingFeedbackAdapter.LOG_STEP + 2, feedback.texts
    assert feedback.texts[0] == f"tile batch 1 of {n}" and feedback.texts[-1] == f"tile batch {n} of {n}"
    assert feedback.progress_values[-1] == pytest.approx(100.0)


def _cosine(path: Path) -> str:
    return write_raster(path, np.array([[0.1, 0.95], [0.5, -100]], dtype=np.float32), -100)


def _dates(path: Path) -> str:
    return write_raster(path, np.array([[2021250, 2021250], [2021250, -100]], dtype=np.int32), -100)


@pytest.fixture
def publish(planaura_provider, recording_feedback):
    """``publish(context, written, layer names) -> (alg, results)``: the change map's publishing
    step on files already written, with QGIS's bookkeeping for the destinations."""
    from qgis.core import QgsProcessingContext, QgsProcessingOutputLayerDefinition

    from planaura_qgis.processing_provider import styles
    from planaura_qgis.processing_provider.base import OutputSpec

    def run(context, written, destinations, names=None):
        alg = planaura_provider.algorithm("changemap").create()
        for parameter, path in destinations.items():
            name = (names or {}).get(parameter) or alg.parameterDefinition(parameter).description()
            if path:  # as QGIS registers a destination when the algorithm asks for it
                destination = QgsProcessingOutputLayerDefinition(path, context.project())
                destination.destinationName = name
                assert alg.parameterAsOutputLayer({parameter: destination}, parameter, context) == path
            else:
                context.addLayerToLoadOnCompletion(path, QgsProcessingContext.LayerDetails(
                    name, context.project(), parameter))
        specs = {"cosine_map": OutputSpec("OUTPUT", styles.STYLE_COSINE, "Change intensity 2021-09-07 → 2022-09-02"),
                 "before_date": OutputSpec("OUTPUT_BEFORE_DATE", styles.STYLE_DATE,
                                           "Before date 2021-09-07 → 2022-09-02", companion=True),
                 "classes": OutputSpec("OUTPUT_CLASSES", styles.STYLE_CLASSES,
                                       "Change classes 2021-09-07 → 2022-09-02", companion=True)}
        results = alg.publish_outputs(written, specs, context, recording_feedback())
        return alg, results

    return run


@pytest.fixture
def project(qgis_app):
    from qgis.core import QgsProject, QgsSettings

    settings = QgsSettings()
    key = "Processing/Configuration/PREFER_FILENAME_AS_LAYER_NAME"
    before = settings.value(key)
    settings.setValue(key, False)
    QgsProject.instance().clear()
    yield QgsProject.instance()
    QgsProject.instance().clear()
    if before is None:
        settings.remove(key)
    else:
        settings.setValue(key, before)


def _load(alg, context) -> bool:
    from processing.gui.Postprocessing import handleAlgorithmResults
    from qgis.core import QgsProcessingFeedback

    return handleAlgorithmResults(alg, context, QgsProcessingFeedback())


def test_companions_below_hidden_named_and_unwritten_outputs_not_loaded(tmp_path, project, publish, no_layer_tree_view):
    from qgis.core import QgsProcessingContext

    for run in (1, 2):
        folder = tmp_path / f"run{run}"
        folder.mkdir()
        written = {"cosine_map": _cosine(folder / "change.tif"), "before_date": _dates(folder / "before.tif"),
                   "classes": write_raster(folder / "classes.tif", np.array([[1, 4], [2, 0]], np.uint8), 0)}
        context = QgsProcessingContext()
        context.setProject(project)
        # an optional output left empty in a batch row, and one the run had nothing for
        destinations = {"OUTPUT": written["cosine_map"], "OUTPUT_BEFORE_DATE": written["before_date"],
                        "OUTPUT_CLASSES": written["classes"], "OUTPUT_QUALITY": "",
                        "OUTPUT_AFTER_DATE": str(folder / "after.tif")}
        alg, results = publish(context, written, destinations)
        assert set(context.layersToLoadOnCompletion()) == set(written.values())
        assert _load(alg, context), "QGIS reported layers that were not correctly generated"
        assert set(results.values()) == set(written.values())

    names = [node.layer().name() for node in project.layerTreeRoot().findLayers()]
    assert names.count("Change intensity 2021-09-07 → 2022-09-02") == 1
    assert names.count("Change intensity 2021-09-07 → 2022-09-02 (2)") == 1
    for node in project.layerTreeRoot().findLayers():
        companion = not node.layer().name().startswith("Change intensity")
        assert node.itemVisibilityChecked() != companion, node.layer().name()
    # in the tree each run's companions come right below its change map
    order = [node.layer().source() for node in project.layerTreeRoot().findLayers()]
    for run in (1, 2):
        mine = [i for i, src in enumerate(order) if f"run{run}" in src]
        assert Path(order[mine[0]]).name == "change.tif" and mine == list(range(mine[0], mine[0] + 3)), order


def test_a_name_the_user_gave_is_kept(tmp_path, project, publish, no_layer_tree_view):
    from qgis.core import QgsProcessingContext

    written = {"cosine_map": _cosine(tmp_path / "change.tif")}
    context = QgsProcessingContext()
    context.setProject(project)
    alg, _ = publish(context, written, {"OUTPUT": written["cosine_map"]}, names={"OUTPUT": "my model output"})
    assert _load(alg, context)
    assert [lay.name() for lay in project.mapLayers().values()] == ["my model output"]


def test_names_use_the_dates_the_core_recorded(tmp_path, qgis_app):
    """Inputs that were temporary outputs carry no date in their names: the PLANAURA_DATES metadata does."""
    from osgeo import gdal

    from planaura_qgis.processing_provider.base import written_dates

    path = _cosine(tmp_path / "OUTPUT.tif")
    ds = gdal.Open(path, gdal.GA_Update)
    ds.SetMetadataItem("PLANAURA_DATES", "[2021250, null]")
    ds = None
    assert written_dates(path) == ["2021-09-07", None]
    assert written_dates(_cosine(tmp_path / "plain.tif")) == []
