"""``planaura:changetypes``: a pair with two known kinds of change gives two types, in QGIS and qgis_process.

The pair is built from the real HLS scene (../shared/data/hls_t15sxr): a 192 x 192 px window as
the before image, and the same pixels as the after image except two blocks on the 16 px patch grid,
one "burnt" (visible and NIR darker, SWIR brighter), one "flooded" (every band set to a dark water
spectrum). Everything else is unchanged.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Dict

import numpy as np
import pytest

from area_truth import region_area_m2
from support import DATA

pytestmark = pytest.mark.qgis
pytest.importorskip("sklearn.cluster", reason="scikit-learn (requirements.txt) is needed for change types")

BEFORE_NAME = "HLS.S30.T15SXR.2021250T163901.v2.0.tif"
AFTER_NAME = "HLS.S30.T15SXR.2022245T163901.v2.0.tif"
SIZE, XOFF, YOFF = 192, 600, 0
BURN = (slice(16, 80), slice(16, 176))  # rows, cols of the burnt block
FLOOD = (slice(112, 176), slice(16, 176))  # rows, cols of the flooded block
BURN_FACTORS = (0.5, 0.5, 0.6, 0.15, 2.5, 3.0)  # B02, B03, B04, B8A, B11, B12
WATER = (500, 450, 300, 150, 80, 50)
ARGS = {"MAX_SIMILARITY": 0.95, "MIN_CLUSTER_SIZE": 5}


@pytest.fixture(scope="module")
def two_changes(tmp_path_factory) -> Dict[str, object]:
    """The pair, and boolean masks (on its pixels) of the burnt, flooded and unchanged pixels."""
    from osgeo import gdal

    folder = tmp_path_factory.mktemp("two_changes")
    before, after = folder / BEFORE_NAME, folder / AFTER_NAME
    gdal.Translate(str(before), str(DATA / BEFORE_NAME), srcWin=[XOFF, YOFF, SIZE, SIZE])
    src = gdal.Open(str(before))
    pixels = src.ReadAsArray().astype(np.float64)
    pixels[:, BURN[0], BURN[1]] *= np.array(BURN_FACTORS)[:, None, None]
    pixels[:, FLOOD[0], FLOOD[1]] = np.array(WATER, dtype=np.float64)[:, None, None]
    out = gdal.GetDriverByName("GTiff").CreateCopy(str(after), src)
    for b in range(pixels.shape[0]):
        out.GetRasterBand(b + 1).WriteArray(np.round(pixels[b]).astype(np.int16))
    out = None
    burn, flood = np.zeros((SIZE, SIZE), bool), np.zeros((SIZE, SIZE), bool)
    burn[BURN], flood[FLOOD] = True, True
    return {"before": str(before), "after": str(after), "burn": burn, "flood": flood, "unchanged": ~(burn | flood),
            "folder": folder}


def check_two_types(types: np.ndarray, pair: Dict[str, object]) -> None:
    """Each changed block is (>= 90 %) one type, the two types differ, unchanged pixels are nodata."""
    ids = []
    for block in ("burn", "flood"):
        values = types[pair[block]]
        kinds, counts = np.unique(values, return_counts=True)
        main = int(kinds[np.argmax(counts)])
        assert main >= 0 and counts.max() >= 0.9 * values.size, (block, dict(zip(kinds.tolist(), counts.tolist())))
        ids.append(main)
    assert ids[0] != ids[1]
    assert (types[pair["unchanged"]] == -100).all()


def test_two_kinds_of_change_give_two_types_on_the_change_maps_grid(run_alg, tiny_model, two_changes, tmp_path):
    from osgeo import gdal
    from qgis.core import QgsRasterLayer

    before = QgsRasterLayer(two_changes["before"], "before", "gdal")
    after = QgsRasterLayer(two_changes["after"], "after", "gdal")
    assert before.isValid() and after.isValid()
    out = tmp_path / "types.tif"
    results = run_alg("planaura:changetypes", {"BEFORE": before, "AFTER": after, **tiny_model, **ARGS,
                                               "OUTPUT": str(out)})
    assert results["OUTPUT"] == str(out) and results["TYPE_COUNT"] == 2
    ds = gdal.Open(str(out))
    types = ds.ReadAsArray()
    assert ds.GetRasterBand(1).GetNoDataValue() == -100
    check_two_types(types, two_changes)
    data = json.loads(Path(results["OUTPUT_TYPES"]).read_text())
    assert results["OUTPUT_TYPES"] == str(tmp_path / "types.types.json")
    assert [t["type"] for t in data["types"]] == [0, 1] and data["max_similarity"] == pytest.approx(0.95)
    for t in data["types"]:  # the pixels of the JSON are the model-stride pixels (16 x 16 input pixels each)
        assert t["pixels"] * 256 == (types == t["type"]).sum()
        # the true area of the type's pixels on WGS 84 (planar UTM areas, pixels x 0.09 ha, were ~0.05 % smaller)
        assert t["area_ha"] == pytest.approx(region_area_m2(out, types == t["type"]) / 1e4, rel=1e-5)

    cos = tmp_path / "cos.tif"
    run_alg("planaura:changemap", {"BEFORE": before, "AFTER": after, **tiny_model, "OUTPUT": str(cos)})
    ref = gdal.Open(str(cos))
    assert (ds.RasterXSize, ds.RasterYSize) == (ref.RasterXSize, ref.RasterYSize)
    assert ds.GetGeoTransform() == pytest.approx(ref.GetGeoTransform())
    assert ds.GetProjection() == ref.GetProjection()

    qml = (tmp_path / "types.qml").read_text()
    assert "paletted" in qml and 'value="-1"' in qml and "#9e9e9e" in qml
    assert 'value="0"' in qml and 'value="1"' in qml and 'value="-100"' not in qml


def test_saved_types_are_assigned_again(run_alg, tiny_model, two_changes, tmp_path):
    from osgeo import gdal

    pair = {"BEFORE": two_changes["before"], "AFTER": two_changes["after"], **tiny_model, **ARGS}
    first = run_alg("planaura:changetypes", {**pair, "OUTPUT": str(tmp_path / "first.tif")})
    second = run_alg("planaura:changetypes", {**pair, "TYPES": first["OUTPUT_TYPES"], "SEED": 5,
                                              "OUTPUT": str(tmp_path / "second.tif")})
    a, b = (gdal.Open(r["OUTPUT"]).ReadAsArray() for r in (first, second))
    assert (a == b).all()
    assert json.loads(Path(second["OUTPUT_TYPES"]).read_text())["types_from"] == first["OUTPUT_TYPES"]


def test_missing_types_file_is_refused(run_alg, tiny_model, two_changes, tmp_path):
    from qgis.core import QgsProcessingException

    with pytest.raises(QgsProcessingException, match="nothing.types.json does not exist"):
        run_alg("planaura:changetypes", {"BEFORE": two_changes["before"], "AFTER": two_changes["after"],
                                         **tiny_model, "TYPES": str(tmp_path / "nothing.types.json"),
                                         "OUTPUT": str(tmp_path / "t.tif")})
    assert not (tmp_path / "t.tif").exists()


def test_qgis_process_lists_and_runs_changetypes(qgis_process, tiny_checkpoint, tiny_yaml, two_changes, tmp_path):
    from osgeo import gdal

    assert "planaura:changetypes" in qgis_process("list").stdout
    out = tmp_path / "types.tif"
    done, data = qgis_process.run_json("planaura:changetypes", {
        "BEFORE": two_changes["before"], "AFTER": two_changes["after"], "CHECKPOINT": str(tiny_checkpoint),
        "MODEL_CONFIG": str(tiny_yaml), "DEVICE": 1, **ARGS, "OUTPUT": str(out)})
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert data["results"]["OUTPUT"] == str(out) and data["results"]["TYPE_COUNT"] == 2
    check_two_types(gdal.Open(str(out)).ReadAsArray(), two_changes)
    assert out.with_suffix(".qml").exists()


def test_change_polygons_report_gains_the_area_per_type(run_alg, tiny_model, two_changes, tmp_path):
    """The change types of the pair given to Change polygons: the report's table = the true area of the pixels."""
    import csv

    from osgeo import gdal

    pair = {"BEFORE": two_changes["before"], "AFTER": two_changes["after"], **tiny_model}
    cos = run_alg("planaura:changemap", {**pair, "OUTPUT": str(tmp_path / "cos.tif")})["OUTPUT"]
    types = run_alg("planaura:changetypes", {**pair, **ARGS, "OUTPUT": str(tmp_path / "types.tif")})["OUTPUT"]
    results = run_alg("planaura:changepolygons", {"INPUT": cos, "CHANGE_TYPES": types,
                                                  "OUTPUT": str(tmp_path / "poly.gpkg"),
                                                  "OUTPUT_REPORT": str(tmp_path / "report.html")})
    assert results["OUTPUT_TYPES_CSV"] == str(tmp_path / "report_types.csv")
    values = gdal.Open(types).ReadAsArray()
    valid_ha = region_area_m2(cos, gdal.Open(cos).ReadAsArray() != -100) / 1e4
    rows = list(csv.DictReader(open(results["OUTPUT_TYPES_CSV"], encoding="utf-8")))
    assert {int(r["type"]) for r in rows} == set(np.unique(values[values != -100]).tolist())
    for row in rows:
        pixels = int((values == int(row["type"])).sum())
        assert int(row["pixels"]) == pixels
        truth_ha = region_area_m2(cos, values == int(row["type"])) / 1e4  # 30 m pixels: not pixels x 0.09 ha
        assert float(row["area_ha"]) == pytest.approx(truth_ha, rel=1e-6)
        assert float(row["percent"]) == pytest.approx(100.0 * truth_ha / valid_ha, rel=1e-6)
    assert "Change type 1" in (tmp_path / "report.html").read_text(encoding="utf-8")


def test_the_log_gives_the_grid_the_types_are_written_on(run_alg, tiny_model, two_changes, tmp_path,
                                                         recording_feedback):
    """Issue 27 point 7: after the embeddings' grid (the model's stride), the log gives the types' own grid."""
    from osgeo import gdal

    out = tmp_path / "types.tif"
    feedback = recording_feedback()
    run_alg("planaura:changetypes", {"BEFORE": two_changes["before"], "AFTER": two_changes["after"], **tiny_model,
                                     **ARGS, "OUTPUT": str(out)}, feedback=feedback)
    ds = gdal.Open(str(out))
    said = [line for line in feedback.infos if line.startswith("change types written on a grid of")]
    assert said == [f"change types written on a grid of {ds.RasterXSize} x {ds.RasterYSize} px"], feedback.infos
