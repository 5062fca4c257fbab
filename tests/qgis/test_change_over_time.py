"""``planaura:changeovertime`` end to end through ``qgis_process``, and its outputs from the registry.

The series is the synthetic one of ``tests/series_data.py`` (four dates of one crop of the real
scene; a burn scar from the third date; a flagged cloud at the second), given in shuffled order
with a points layer; the tiny random model and the threshold 0.8 of
``tests/core/series/test_series_run.py`` (where the threshold is explained).
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from series_data import BURN, CLOUD_MASK, make_series, patch_mask, series_dates

pytestmark = pytest.mark.qgis

N, CHANGE_AT, CLOUD_AT = 4, 2, 1
DATES = series_dates(N)


def log(done) -> str:
    return f"exit {done.returncode}\nstdout:\n{done.stdout[-4000:]}\nstderr:\n{done.stderr[-4000:]}"


def read(path) -> np.ndarray:
    from osgeo import gdal

    return gdal.Open(str(path)).ReadAsArray()


def points_file(folder: Path, image: Path) -> Path:
    from osgeo import gdal

    ds = gdal.Open(str(image))
    gt = ds.GetGeoTransform()  # the images' CRS is HLS's WKT of UTM 15N: EPSG:32615 below
    features = [{"type": "Feature", "properties": {"name": name},
                 "geometry": {"type": "Point", "coordinates": [gt[0] + (c + 0.5) * gt[1], gt[3] + (r + 0.5) * gt[5]]}}
                for name, (r, c) in (("burn", (40, 40)), ("field", (8, 120)))]
    path = folder / "points.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features,
                                "crs": {"type": "name", "properties": {"name": "EPSG:32615"}}}))
    return path


def test_change_over_time_through_qgis_process(tmp_path, qgis_process, tiny_checkpoint, tiny_yaml):
    images = make_series(tmp_path / "in", n=N, change_at=CHANGE_AT, cloud_at=CLOUD_AT)
    paths = [str(images[d]) for d in (DATES[2], DATES[0], DATES[3], DATES[1])]  # shuffled
    out = tmp_path / "out"
    outputs = {"OUTPUT": out / "date.tif", "OUTPUT_INTENSITY": out / "intensity.tif",
               "OUTPUT_OBSERVATIONS": out / "count.tif", "OUTPUT_COSINES": out / "cosines.tif",
               "OUTPUT_REPORT": out / "report.html"}
    done, data = qgis_process.run_json("planaura:changeovertime", {
        "INPUTS": paths, "THRESHOLD": 0.8, "POINTS": str(points_file(tmp_path, images[DATES[0]])),
        "CHECKPOINT": str(tiny_checkpoint), "MODEL_CONFIG": str(tiny_yaml), "DEVICE": 1,
        "PAIRS_FOLDER": str(tmp_path / "pairs"), **{k: str(v) for k, v in outputs.items()}})
    assert done.returncode == 0, log(done)
    results = data["results"]
    for key, path in outputs.items():
        assert results[key] == str(path) and path.exists(), key
    for key in ("OUTPUT", "OUTPUT_INTENSITY", "OUTPUT_OBSERVATIONS", "OUTPUT_COSINES"):
        assert outputs[key].with_suffix(".qml").exists(), key  # styled like the other outputs
    shape = (128, 128)
    date = read(outputs["OUTPUT"])
    assert (date[patch_mask(shape, BURN, -8)] == DATES[CHANGE_AT]).all()
    assert (date[~patch_mask(shape, BURN, 16)] == -100).all()
    cloudy = patch_mask(shape, CLOUD_MASK)
    count = read(outputs["OUTPUT_OBSERVATIONS"])
    assert (count[cloudy] == N - 3).all() and (count[~cloudy] == N - 1).all()
    assert read(outputs["OUTPUT_COSINES"]).shape == (N - 1,) + shape
    page = outputs["OUTPUT_REPORT"].read_text(encoding="utf-8")
    assert "burn" in page and "field" in page and "<svg" in page
    assert (tmp_path / "pairs" / "pairs" / "series_manifest.json").exists()


def test_outputs_and_layer_names_from_the_registry(planaura_provider):
    from qgis.core import QgsApplication

    from planaura_qgis.processing_provider.product_layers import pair_layer_name

    alg = QgsApplication.processingRegistry().createAlgorithmById("planaura:changeovertime")
    outputs = [(d.name(), d.description(), bool(d.flags() & d.FlagOptional), d.createByDefault())
               for d in alg.destinationParameterDefinitions()]
    assert outputs == [
        ("PAIRS_FOLDER", "Folder of the pairs' change maps (kept for a resumed run)", True, False),
        ("OUTPUT", "Date of change", False, True),
        ("OUTPUT_INTENSITY", "Change intensity at the date of change", True, True),
        ("OUTPUT_OBSERVATIONS", "Number of valid observations", True, True),
        ("OUTPUT_COSINES", "Cosine of each pair", True, False),
        ("OUTPUT_REPORT", "Report (HTML)", True, False)]
    assert pair_layer_name("date_of_change", "2021-09-07", "2021-10-17") == \
        "Date of change 2021-09-07 \u2192 2021-10-17"
