"""Change polygons of the sample pair's change map (tiny checkpoint): the polygons of each class
cover exactly the class's pixels, and the report and the metadata follow the change map."""
from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

from area_truth import region_area_m2
from support import REPO, TINY
from planaura_plugin.analysis.polygons import PolygonRequest, run_change_polygons
from planaura_plugin.model.config import ModelConfig
from planaura_plugin.model.loading import ModelSpec
from planaura_plugin.pipeline.requests import ChangeMapOutputs, ChangeMapRequest
from planaura_plugin.presets import HLS

# every test under GDAL exceptions off (QGIS 3.22) and on (gdal, ogr, osr; QGIS >= 3.40)
pytestmark = pytest.mark.usefixtures("gdal_exceptions")

SAMPLE = REPO / "sample_data"
BEFORE = SAMPLE / "HLS.S30.T15SXR.2021250T163901.v2.0.tif"
AFTER = SAMPLE / "HLS.S30.T15SXR.2022245T163901.v2.0.tif"


@pytest.fixture(scope="module")
def sample_map(tiny_checkpoint, tmp_path_factory) -> Path:
    from planaura_plugin.pipeline.change import run_change_map

    folder = tmp_path_factory.mktemp("sample")
    spec = ModelSpec(preset=HLS, config=ModelConfig(**TINY), checkpoint=str(tiny_checkpoint), device="cpu",
                     batch_size=8)
    outputs = ChangeMapOutputs(cosine_map=str(folder / "cos.tif"), classes=str(folder / "classes.tif"),
                               before_date=str(folder / "before.tif"), after_date=str(folder / "after.tif"))
    run_change_map(ChangeMapRequest(inputs=[str(BEFORE), str(AFTER)], outputs=outputs, model=spec))
    return folder


def test_sample_polygons_cover_the_class_pixels(sample_map):
    from osgeo import gdal, ogr

    out, report = sample_map / "poly.gpkg", sample_map / "report.html"
    run_change_polygons(PolygonRequest(change_map=str(sample_map / "cos.tif"), output=str(out), report=str(report)))
    classes = gdal.Open(str(sample_map / "classes.tif"))
    values = classes.ReadAsArray()
    counts = np.bincount(values.ravel(), minlength=5)
    vds = ogr.Open(str(out))
    layer = vds.GetLayer(0)
    area, pixels, dates = np.zeros(5), np.zeros(5, np.int64), set()
    for f in layer:
        area[f.GetField("class")] += f.GetField("area_ha")
        pixels[f.GetField("class")] += f.GetField("pixels")
        dates.add((f.GetFieldAsString("before_date"), f.GetFieldAsString("after_date")))
    assert counts[2:].sum() > 0
    for code in (2, 3, 4):
        assert pixels[code] == counts[code]
        # the true area of the class's pixels (30 m UTM pixels: planar areas were ~0.05 % smaller: UTM scale < 1 there)
        assert area[code] == pytest.approx(region_area_m2(sample_map / "classes.tif", values == code) / 1e4, rel=1e-6)
    assert dates == {("2021/09/07", "2022/09/02")}  # from the before/after date layers found in the metadata
    rows = {r["class"]: r for r in csv.DictReader(open(sample_map / "report.csv", encoding="utf-8"))}
    for code in (2, 3, 4):
        assert float(rows[str(code)]["polygon_area_ha"]) == pytest.approx(area[code], rel=1e-9)
    page = report.read_text(encoding="utf-8")
    assert "Planaura-1.0-HLS" in page and BEFORE.name in page and "2021-09-07" in page
    assert str(Path(layer.GetName())) == "change_polygons"
