"""Change polygons (and change types) through ``qgis_process.bin`` on the sample pair (tiny model)."""
from __future__ import annotations

import csv
from pathlib import Path

import pytest

from area_truth import region_area_m2

pytestmark = pytest.mark.qgis


def log(done) -> str:
    return f"exit {done.returncode}\nstdout:\n{done.stdout[-4000:]}\nstderr:\n{done.stderr[-4000:]}"


@pytest.fixture(scope="module")
def model_args(tiny_checkpoint, tiny_yaml):
    return {"CHECKPOINT": str(tiny_checkpoint), "MODEL_CONFIG": str(tiny_yaml), "DEVICE": 1}


@pytest.fixture(scope="module")
def change_map(tmp_path_factory, qgis_process, pair_a, model_args) -> Path:
    folder = tmp_path_factory.mktemp("polygons")
    done, data = qgis_process.run_json("planaura:changemap", {
        "BEFORE": pair_a["before"], "AFTER": pair_a["after"], **model_args, "OUTPUT": str(folder / "cos.tif"),
        "OUTPUT_CLASSES": str(folder / "classes.tif"), "OUTPUT_BEFORE_DATE": str(folder / "before.tif"),
        "OUTPUT_AFTER_DATE": str(folder / "after.tif")})
    assert done.returncode == 0, log(done)
    return folder


def test_changepolygons_is_listed(qgis_process):
    done = qgis_process("list")
    assert "planaura:changepolygons" in done.stdout, log(done)


def test_changepolygons_end_to_end(change_map, qgis_process):
    from osgeo import gdal, ogr

    out, report = change_map / "poly.gpkg", change_map / "report.html"
    done, data = qgis_process.run_json("planaura:changepolygons", {
        "INPUT": str(change_map / "cos.tif"), "OUTPUT": str(out), "OUTPUT_REPORT": str(report)})
    assert done.returncode == 0, log(done)
    results = data["results"]
    assert results["OUTPUT"] == str(out) and results["OUTPUT_REPORT"] == str(report)
    assert out.with_suffix(".qml").exists() and Path(results["OUTPUT_CSV"]).exists()
    classes = gdal.Open(str(change_map / "classes.tif"))
    values = classes.ReadAsArray()
    vds = ogr.Open(str(out))
    layer = vds.GetLayer(0)
    fields = [layer.GetLayerDefn().GetFieldDefn(i).GetName() for i in range(layer.GetLayerDefn().GetFieldCount())]
    assert fields == ["class", "area_ha", "mean_cos", "min_cos", "pixels", "before_date", "after_date"]
    area = sum(f.GetField("area_ha") for f in layer)
    # the true area of the change pixels on WGS 84 (planar UTM areas were ~0.05 % smaller there)
    assert area == pytest.approx(region_area_m2(change_map / "classes.tif", values >= 2) / 1e4, rel=1e-6)
    assert results["POLYGONS"] == layer.GetFeatureCount() and results["CHANGE_AREA_HA"] == pytest.approx(area)
    rows = {r["class"]: r for r in csv.DictReader(open(results["OUTPUT_CSV"], encoding="utf-8"))}
    assert float(rows["2-4"]["polygon_area_ha"]) == pytest.approx(area)
    page = report.read_text(encoding="utf-8")
    assert "2021-09-07" in page and "true areas on the WGS 84 ellipsoid" in page


def test_changepolygons_single_threshold_and_minimum_area(change_map, qgis_process):
    from osgeo import ogr

    out = change_map / "poly_single.gpkg"
    done, data = qgis_process.run_json("planaura:changepolygons", {
        "INPUT": str(change_map / "cos.tif"), "THRESHOLDS": "0.7", "MIN_AREA": 1.0, "OUTPUT": str(out)})
    assert done.returncode == 0, log(done)
    vds = ogr.Open(str(out))
    values = [(f.GetField("class"), f.GetField("area_ha")) for f in vds.GetLayer(0)]
    assert values and all(c == 4 and a >= 1.0 for c, a in values)


def test_changepolygons_refuses_bad_thresholds(change_map, qgis_process):
    done, _data = qgis_process.run_json("planaura:changepolygons", {
        "INPUT": str(change_map / "cos.tif"), "THRESHOLDS": "0.4, 0.6, 0.8",
        "OUTPUT": str(change_map / "bad.gpkg")})
    assert done.returncode != 0 and "must decrease" in done.stdout + done.stderr
    assert not (change_map / "bad.gpkg").exists()
