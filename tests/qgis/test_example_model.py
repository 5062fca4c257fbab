"""docs/examples/change_map_to_polygons.model3: change map -> polygons -> report, mosaic -> polygons.

The model is loaded from its file as QGIS loads it and run with temporary outputs only; the
polygon areas per class must equal the true areas (on the CRS's ellipsoid) of the class pixels of the change maps.
"""
from __future__ import annotations

import csv

import numpy as np
import pytest

from area_truth import region_area_m2
from support import REPO

pytestmark = pytest.mark.qgis
MODEL_FILE = REPO / "docs" / "examples" / "change_map_to_polygons.model3"
THRESHOLDS = (0.80, 0.60, 0.40)


def class_areas_of_map(path: str) -> dict:
    """True hectares per change class (2, 3, 4) of a cosine map: its pixels' area on the CRS's ellipsoid."""
    from osgeo import gdal

    ds = gdal.Open(path)
    cos = ds.GetRasterBand(1).ReadAsArray()
    valid = cos != ds.GetRasterBand(1).GetNoDataValue()
    t0, t1, t2 = THRESHOLDS
    counts = {2: valid & (cos <= t0) & (cos > t1), 3: valid & (cos <= t1) & (cos > t2), 4: valid & (cos <= t2)}
    return {c: region_area_m2(path, m) / 1e4 for c, m in counts.items()}


def polygon_areas(path: str) -> dict:
    from osgeo import ogr

    ds = ogr.Open(path)
    areas: dict = {}
    for feature in ds.GetLayer(0):
        areas[feature.GetField("class")] = areas.get(feature.GetField("class"), 0.0) + feature.GetField("area_ha")
    fields = [d.GetName() for d in ds.GetLayer(0).schema]
    return {"areas": areas, "fields": fields}


def test_example_model_loads_and_runs_with_temporary_outputs(planaura_provider, tiny_model, pair_a, pair_b):
    import processing
    from qgis.core import QgsProcessingContext, QgsProcessingFeedback, QgsProcessingModelAlgorithm, QgsProject

    model = QgsProcessingModelAlgorithm()
    assert model.fromFile(str(MODEL_FILE)), f"QGIS cannot load {MODEL_FILE}"
    ok, errors = model.validate()
    assert ok, errors
    assert [c.algorithmId() for c in model.childAlgorithms().values()].count("planaura:changepolygons") == 2
    outputs = [p.name() for p in model.destinationParameterDefinitions()]
    params = {"BEFORE_1": pair_a["before"], "AFTER_1": pair_a["after"], "BEFORE_2": pair_b["before"],
              "AFTER_2": pair_b["after"], "CHECKPOINT": tiny_model["CHECKPOINT"],
              "MODEL_CONFIG": tiny_model["MODEL_CONFIG"], "DEVICE": 1, "MIN_AREA": 0.0}
    params.update({name: "TEMPORARY_OUTPUT" for name in outputs})
    context = QgsProcessingContext()
    context.setProject(QgsProject.instance())
    results = processing.run(model, params, feedback=QgsProcessingFeedback(), context=context)

    pair = polygon_areas(results["polygons:Change polygons of pair 1"])
    expected = class_areas_of_map(results["changemap_1:Change intensity of pair 1"])
    assert sum(expected.values()) > 0
    for code in (2, 3, 4):
        assert pair["areas"].get(code, 0.0) == pytest.approx(expected[code], rel=1e-6, abs=1e-9), code
    report_csv = results["polygons:Area report of pair 1"][:-5] + ".csv"
    rows = {r["class"]: r for r in csv.DictReader(open(report_csv, encoding="utf-8"))}
    assert float(rows["2-4"]["polygon_area_ha"]) == pytest.approx(sum(expected.values()))

    mosaic = polygon_areas(results["mosaic_polygons:Change polygons of the mosaic"])
    assert "persistence" in mosaic["fields"]
    expected_mosaic = class_areas_of_map(results["mosaic:Change intensity mosaic of pairs 1 and 2"])
    assert sum(expected_mosaic.values()) > 0
    for code in (2, 3, 4):
        assert mosaic["areas"].get(code, 0.0) == pytest.approx(expected_mosaic[code], rel=1e-6, abs=1e-9), code
    report = open(results["mosaic_polygons:Area report of the mosaic"], encoding="utf-8").read()
    assert "<table" in report and np.isfinite(sum(mosaic["areas"].values()))
