"""Modeler chains keep their promises: change maps with temporary outputs feed a persistence mosaic
with its dates and quality (the values of the same mosaic made from explicit files), and a date can
be given for an input whose name holds none."""
from __future__ import annotations

import shutil

import numpy as np
import pytest

pytestmark = pytest.mark.qgis

MOSAIC_OUTPUTS = (("MOSAIC", "OUTPUT"), ("PERSISTENCE", "OUTPUT_PERSISTENCE"), ("BEFORE", "OUTPUT_BEFORE_DATE"),
                  ("AFTER", "OUTPUT_AFTER_DATE"), ("QUALITY", "OUTPUT_QUALITY"))


def read(path):
    from osgeo import gdal

    ds = gdal.Open(str(path))
    assert ds is not None, path
    return ds.ReadAsArray()


def chain_model():
    """Two planaura:changemap children (only OUTPUT wired, a temporary file) into planaura:persistencemosaic,
    which is asked for its dates and quality; built with the QgsProcessingModelAlgorithm API."""
    from qgis.core import (
        QgsProcessingModelAlgorithm,
        QgsProcessingModelChildAlgorithm,
        QgsProcessingModelChildParameterSource,
        QgsProcessingModelOutput,
        QgsProcessingModelParameter,
        QgsProcessingParameterFile,
        QgsProcessingParameterRasterLayer,
    )

    model = QgsProcessingModelAlgorithm("chain", "Planaura tests")
    for name in ("BEFORE_1", "AFTER_1", "BEFORE_2", "AFTER_2"):
        model.addModelParameter(QgsProcessingParameterRasterLayer(name, name), QgsProcessingModelParameter(name))
    for name in ("CHECKPOINT", "MODEL_CONFIG"):
        model.addModelParameter(QgsProcessingParameterFile(name, name), QgsProcessingModelParameter(name))

    def static(value):
        return [QgsProcessingModelChildParameterSource.fromStaticValue(value)]

    def source(name):
        return [QgsProcessingModelChildParameterSource.fromModelParameter(name)]

    for k in (1, 2):
        child = QgsProcessingModelChildAlgorithm("planaura:changemap")
        child.setChildId(f"changemap_{k}")
        for key in ("BEFORE", "AFTER"):
            child.addParameterSources(key, source(f"{key}_{k}"))
        for key in ("CHECKPOINT", "MODEL_CONFIG"):
            child.addParameterSources(key, source(key))
        for key, value in (("MODEL", 0), ("DEVICE", 1), ("HALF_PRECISION", False), ("BATCH_SIZE", 4)):
            child.addParameterSources(key, static(value))
        model.addChildAlgorithm(child)
    mosaic = QgsProcessingModelChildAlgorithm("planaura:persistencemosaic")
    mosaic.setChildId("mosaic")
    mosaic.addParameterSources("CHANGE_MAPS", [
        QgsProcessingModelChildParameterSource.fromChildOutput(f"changemap_{k}", "OUTPUT") for k in (1, 2)])
    mosaic.addParameterSources("TARGET_RESOLUTION", static(30.0))  # TARGET_CRS left empty: the change maps'
    outputs = {}
    for name, child_output in MOSAIC_OUTPUTS:
        output = QgsProcessingModelOutput(name, name)
        output.setChildId("mosaic")
        output.setChildOutputName(child_output)
        outputs[name] = output
    mosaic.setModelOutputs(outputs)
    model.addChildAlgorithm(mosaic)
    model.updateDestinationParameters()
    return model


def destination_of(model, child_id: str, output_name: str) -> str:
    """The name of the model's destination parameter for one model output of a child, found through
    that output: ``child:NAME`` on QGIS 3.22, the model output's own name on QGIS >= 3.40 (which names
    them after the model outputs, and marks them with the child's id and output name)."""
    output = model.childAlgorithm(child_id).modelOutputs()[output_name]
    names = {f"{child_id}:{output.name()}", output.name()}
    found = [d.name() for d in model.destinationParameterDefinitions()
             if d.name() in names or (d.metadata().get("_modelChildId") == child_id
                                      and d.metadata().get("_modelChildOutputName") == output.name())]
    assert len(found) == 1, (child_id, output_name, [d.name() for d in model.destinationParameterDefinitions()])
    return found[0]


@pytest.fixture(scope="module")
def explicit_mosaic(tmp_path_factory, planaura_provider, pair_a, pair_b, tiny_model):
    """The reference: change maps written with their date and quality files, then mosaicked from those files."""
    import processing
    from qgis.core import QgsProcessingContext, QgsProcessingFeedback

    root = tmp_path_factory.mktemp("explicit_chain")
    lists = {"CHANGE_MAPS": [], "BEFORE_DATES": [], "AFTER_DATES": [], "QUALITY": []}
    for label, pair in (("a", pair_a), ("b", pair_b)):
        outs = {"OUTPUT": root / f"{label}_cos.tif", "OUTPUT_BEFORE_DATE": root / f"{label}_bd.tif",
                "OUTPUT_AFTER_DATE": root / f"{label}_ad.tif", "OUTPUT_QUALITY": root / f"{label}_q.tif"}
        processing.run("planaura:changemap", {"BEFORE": pair["before"], "AFTER": pair["after"], **tiny_model,
                                              **{k: str(v) for k, v in outs.items()}},
                       feedback=QgsProcessingFeedback(), context=QgsProcessingContext())
        for key, out in (("CHANGE_MAPS", "OUTPUT"), ("BEFORE_DATES", "OUTPUT_BEFORE_DATE"),
                         ("AFTER_DATES", "OUTPUT_AFTER_DATE"), ("QUALITY", "OUTPUT_QUALITY")):
            lists[key].append(str(outs[out]))
    result = {name: root / f"mosaic_{name.lower()}.tif" for name, _ in MOSAIC_OUTPUTS}
    processing.run("planaura:persistencemosaic", {
        **lists, "TARGET_CRS": "EPSG:32615", "TARGET_RESOLUTION": 30.0,
        **{out: str(result[name]) for name, out in MOSAIC_OUTPUTS}},
        feedback=QgsProcessingFeedback(), context=QgsProcessingContext())
    return result


def test_model_with_temporary_change_maps_gives_the_mosaic_real_dates_and_quality(
        tmp_path, planaura_provider, pair_a, pair_b, tiny_model, explicit_mosaic, recording_feedback, gdal_exceptions):
    import processing
    from qgis.core import QgsProcessingContext

    model = chain_model()
    params = {"BEFORE_1": pair_a["before"], "AFTER_1": pair_a["after"], "BEFORE_2": pair_b["before"],
              "AFTER_2": pair_b["after"], "CHECKPOINT": tiny_model["CHECKPOINT"],
              "MODEL_CONFIG": tiny_model["MODEL_CONFIG"]}
    paths = {}
    for name, _ in MOSAIC_OUTPUTS:
        paths[name] = tmp_path / f"{name.lower()}.tif"
        params[destination_of(model, "mosaic", name)] = str(paths[name])
    assert len({destination_of(model, "mosaic", name) for name, _ in MOSAIC_OUTPUTS}) == len(MOSAIC_OUTPUTS)
    feedback = recording_feedback()
    processing.run(model, params, feedback=feedback, context=QgsProcessingContext())

    persistence = read(paths["PERSISTENCE"])
    covered = persistence > 0
    assert covered.sum() > 100 and persistence.max() == 2
    before, after, quality = read(paths["BEFORE"]), read(paths["AFTER"]), read(paths["QUALITY"])
    # the real dates of the HLS pair (2021-09-07, 2022-09-02), wherever a pair has a value: never nodata
    assert set(np.unique(before[covered])) == {2021250}
    assert set(np.unique(after[covered])) == {2022245}
    assert (quality[covered] != 255).all()
    # and the same values as the mosaic of the explicit files (pixel for pixel, same grid)
    for name in ("MOSAIC", "PERSISTENCE", "BEFORE", "AFTER", "QUALITY"):
        np.testing.assert_array_equal(read(paths[name]), read(explicit_mosaic[name]), err_msg=name)
    assert len(np.unique(quality[covered])) > 1  # the Fmasks of pair A mark clouds: not a constant "clear"
    # the log names the pairs by their dates, not by the temporary file name
    pairs = [line for line in feedback.infos if line.startswith("Pair ")]
    assert len(pairs) == 2 and all(line.startswith("Pair 2021-09-07 \u2192 2022-09-02") for line in pairs), pairs
    # TARGET_CRS left empty: the change maps' CRS (the HLS files' own UTM 15N definition), not EPSG:3979
    assert "Target CRS: the change maps' (UTM Zone 15, Northern Hemisphere)." in feedback.infos, feedback.infos


def test_dates_given_for_inputs_whose_names_hold_none(tmp_path, run_alg, pair_a, tiny_model):
    from qgis.core import QgsProcessingException

    from planaura_qgis.planaura_plugin.pipeline.metadata import DATES, read_metadata

    before, after = tmp_path / "first.tif", tmp_path / "second.tif"
    shutil.copy(pair_a["before"], before)
    shutil.copy(pair_a["after"], after)
    outs = {"OUTPUT": str(tmp_path / "cos.tif"), "OUTPUT_BEFORE_DATE": str(tmp_path / "bd.tif"),
            "OUTPUT_AFTER_DATE": str(tmp_path / "ad.tif")}
    base = {"BEFORE": str(before), "AFTER": str(after), **tiny_model, **outs}
    with pytest.raises(QgsProcessingException, match="no date found in the file name 'first.tif'"):
        run_alg("planaura:changemap", base)
    with pytest.raises(QgsProcessingException, match="'2021-13-07' is not a date: give it as YYYY-MM-DD"):
        run_alg("planaura:changemap", {**base, "BEFORE_DATE": "2021-13-07", "AFTER_DATE": "2022-09-02"})
    run_alg("planaura:changemap", {**base, "BEFORE_DATE": "2021-09-07", "AFTER_DATE": " 2022-09-02 "})
    valid = read(outs["OUTPUT"]) != -100
    assert set(np.unique(read(outs["OUTPUT_BEFORE_DATE"])[valid])) == {2021250}
    assert set(np.unique(read(outs["OUTPUT_AFTER_DATE"])[valid])) == {2022245}
    assert read_metadata(outs["OUTPUT"])[DATES] == [2021250, 2022245]


def test_a_given_date_wins_over_the_name(tmp_path, run_alg, pair_a, tiny_model):
    """The names say 2021-09-07 and 2022-09-02; the dates given say otherwise and are the ones written."""
    outs = {"OUTPUT": str(tmp_path / "cos.tif"), "OUTPUT_BEFORE_DATE": str(tmp_path / "bd.tif")}
    run_alg("planaura:changemap", {"BEFORE": pair_a["before"], "AFTER": pair_a["after"], **tiny_model, **outs,
                                   "BEFORE_DATE": "2021-08-01"})
    from planaura_qgis.planaura_plugin.pipeline.metadata import DATES, read_metadata

    assert read_metadata(outs["OUTPUT"])[DATES] == [2021213, 2022245]
    valid = read(outs["OUTPUT"]) != -100
    assert set(np.unique(read(outs["OUTPUT_BEFORE_DATE"])[valid])) == {2021213}


def test_quality_travels_with_a_change_map_asked_for_alone(tmp_path, run_alg, pair_a, tiny_model):
    """Only OUTPUT asked: the quality is written beside it (upstream name), named in its metadata, not loaded,
    and equal to the quality written when it is asked for."""
    from planaura_qgis.planaura_plugin.pipeline.metadata import COMPANIONS, read_metadata

    alone = tmp_path / "alone" / "cosine_map!x!y.tif"
    alone.parent.mkdir()
    results = run_alg("planaura:changemap", {"BEFORE": pair_a["before"], "AFTER": pair_a["after"], **tiny_model,
                                             "OUTPUT": str(alone)})
    companion = alone.parent / "quality_fmask!x!y.tif"
    assert read_metadata(str(alone))[COMPANIONS]["quality_fmask"] == str(companion)
    assert "OUTPUT_QUALITY" not in results or not results["OUTPUT_QUALITY"]
    asked = {"OUTPUT": str(tmp_path / "c.tif"), "OUTPUT_QUALITY": str(tmp_path / "q.tif")}
    run_alg("planaura:changemap", {"BEFORE": pair_a["before"], "AFTER": pair_a["after"], **tiny_model, **asked})
    np.testing.assert_array_equal(read(companion), read(asked["OUTPUT_QUALITY"]))
    assert not (tmp_path / "c_quality_fmask.tif").exists()  # asked for: no second copy


def test_embeddings_date_for_an_image_whose_name_holds_none(tmp_path, run_alg, pair_a, tiny_model):
    from planaura_qgis.planaura_plugin.pipeline.metadata import DATES, read_metadata

    image = tmp_path / "scene.tif"
    shutil.copy(pair_a["before"], image)
    out = tmp_path / "emb.tif"
    run_alg("planaura:embeddings", {"INPUT": str(image), "EMBEDDINGS": "0-3", **tiny_model, "OUTPUT": str(out),
                                    "INPUT_DATE": "2021-09-07"})
    assert read_metadata(str(out))[DATES] == [2021250]
    run_alg("planaura:embeddings", {"INPUT": str(image), "EMBEDDINGS": "0-3", **tiny_model, "OUTPUT": str(out)})
    assert read_metadata(str(out))[DATES] == [None]  # no date given, none in the name


def test_mosaic_refuses_dates_a_pair_cannot_provide_before_any_work(tmp_path, run_alg):
    """A cosine map without date layers nor dates in its metadata: its pixels would be nodata in the date mosaic."""
    from osgeo import gdal, osr
    from qgis.core import QgsProcessingException

    path = tmp_path / "plain.tif"
    ds = gdal.GetDriverByName("GTiff").Create(str(path), 10, 10, 1, gdal.GDT_Float32)
    ds.SetGeoTransform((600000.0, 30.0, 0.0, 3600000.0, 0.0, -30.0))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(32615)
    ds.SetProjection(srs.ExportToWkt())
    ds.SetMetadataItem("PLANAURA_KIND", "cosine_map")
    ds.GetRasterBand(1).SetNoDataValue(-100)
    ds.GetRasterBand(1).WriteArray(np.full((10, 10), 0.5, np.float32))
    ds = None
    out = tmp_path / "out"
    out.mkdir()
    params = {"CHANGE_MAPS": [str(path)], "OUTPUT": str(out / "m.tif"), "OUTPUT_PERSISTENCE": str(out / "p.tif"),
              "OUTPUT_BEFORE_DATE": str(out / "bd.tif")}
    with pytest.raises(QgsProcessingException, match=r"plain\.tif cannot provide before_date"):
        run_alg("planaura:persistencemosaic", params)
    assert list(out.iterdir()) == []
    run_alg("planaura:persistencemosaic", {k: v for k, v in params.items() if k != "OUTPUT_BEFORE_DATE"})
    assert (out / "m.tif").exists()
