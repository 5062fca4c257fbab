"""The YAML runner's newer upstream keys: change_map.cluster end to end, README spellings as warnings."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import yaml

from support import REPO, TINY
from planaura_plugin.runs import run_config
from planaura_plugin.upstream import ConfigError, parse_config, plan_from_file

A0 = "HLS.S30.T15SXR.2021250T163901.v2.0"
A1 = "HLS.S30.T15SXR.2022245T163901.v2.0"
FID = f"!{A0}!{A1}"


def config(tmp_path: Path, checkpoint: Path, **change_map) -> Path:
    cfg = {
        "task_list": ["infer"], "csv_inference_file": "pairs.csv", "paths_included_in_csvs": True,
        "inference_save_folder_frame_0": "out0", "inference_save_folder_frame_1": "out1", "use_gpu": False,
        "tif_compression": "LZW", "minimum_valid_percentage": 0.7,
        "change_map": {"return": True, "upsample_cosine_map": True, "date_regex": r"\.(\d{7})T", **change_map},
        "feature_maps": {"return": False},
        "model_params": {"load_params": {"source": "local", "checkpoint_path": str(checkpoint)}, **TINY},
    }
    sample = REPO / "sample_data"
    row = f"{sample / (A0 + '.tif')},{sample / (A1 + '.tif')}"
    (tmp_path / "pairs.csv").write_text(f"input_file_0,input_file_1\n{row}\n")
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump(cfg, sort_keys=False))
    return path


def test_cluster_keys_have_upstream_names_and_defaults():
    base = {"csv_inference_file": "x.csv", "inference_save_folder_frame_0": "a", "inference_save_folder_frame_1": "b"}
    cfg = parse_config(base)
    assert cfg["change_map"]["cluster"] == {"return": False, "min_cluster_size": 20, "max_similarity": 0.6}
    with pytest.raises(ConfigError, match="change_map.cluster.min_cluster_size must be at least 2"):
        parse_config({**base, "change_map": {"cluster": {"return": True, "min_cluster_size": 1}}})
    did_you_mean = "change_map.cluster.max_simil .did you mean 'change_map.cluster.max_similarity'"
    with pytest.raises(ConfigError, match=did_you_mean):
        parse_config({**base, "change_map": {"cluster": {"max_simil": 0.5}}})


def test_readme_spelling_save_date_layers_runs_with_a_warning(tmp_path, tiny_checkpoint):
    path = config(tmp_path, tiny_checkpoint, save_date_layers=True)
    plan = plan_from_file(path, cwd=tmp_path)
    assert plan.config["change_map"]["save_dates_layer"] is True
    assert "before_date" in plan.pairs[0].outputs
    assert any("change_map.save_date_layers" in w for w in plan.warnings)


def test_cluster_writes_change_types_beside_the_cosine_map(tmp_path, tiny_checkpoint):
    from osgeo import gdal

    path = config(tmp_path, tiny_checkpoint, cluster={"return": True, "min_cluster_size": 5, "max_similarity": 0.9})
    result = run_config(path, cwd=tmp_path)
    cos_path = tmp_path / "out0" / f"cosine_map{FID}.tif"
    types_path = tmp_path / "out0" / f"change_types{FID}.tif"
    assert result.pairs[2]["change_types"] == str(types_path)
    cos, types = gdal.Open(str(cos_path)), gdal.Open(str(types_path))
    assert (types.RasterXSize, types.RasterYSize) == (cos.RasterXSize, cos.RasterYSize)
    assert types.GetGeoTransform() == pytest.approx(cos.GetGeoTransform())
    values = types.ReadAsArray()
    data = json.loads((tmp_path / "out0" / f"change_types{FID}.types.json").read_text())
    assert data["max_similarity"] == 0.9 and data["min_cluster_size"] == 5
    ids = set(np.unique(values).tolist()) - {-100}
    assert ids and ids <= {-1} | {t["type"] for t in data["types"]}
    assert (values[cos.ReadAsArray() >= 0.9 + 0.2] == -100).all()  # clearly unchanged pixels get no type
    assert not list((tmp_path / "out0").glob(".*partial*"))
    # the file is the registry's change_types: int16, nodata -100, its band name and kind
    assert gdal.GetDataTypeName(types.GetRasterBand(1).DataType) == "Int16"
    assert types.GetRasterBand(1).GetNoDataValue() == -100
    assert types.GetRasterBand(1).GetDescription() == "change type"
    assert types.GetMetadataItem("PLANAURA_KIND") == "change_types"
    # planned again: the raster and its .types.json (the registry's sidecar) are files the run replaces
    again = plan_from_file(path, cwd=tmp_path)
    assert {str(types_path), str(types_path.with_suffix(".types.json"))} <= set(again.existing_outputs)


def test_change_polygons_find_the_runs_change_types_beside_the_cosine_map(tmp_path, tiny_checkpoint):
    """A cosine map of the runner: Change polygons finds change_types!a!b.tif beside it; the report's
    per-type table counts its pixels."""
    import csv

    from osgeo import gdal

    from planaura_plugin.analysis.polygons import PolygonRequest, change_polygons

    path = config(tmp_path, tiny_checkpoint, cluster={"return": True, "min_cluster_size": 5, "max_similarity": 0.9})
    run_config(path, cwd=tmp_path)
    cos_path = tmp_path / "out0" / f"cosine_map{FID}.tif"
    written, summary = change_polygons(PolygonRequest(change_map=str(cos_path), output=str(tmp_path / "p.gpkg"),
                                                      report=str(tmp_path / "report.html")))
    assert summary.types_source == str(tmp_path / "out0" / f"change_types{FID}.tif")
    types = gdal.Open(summary.types_source).ReadAsArray()
    rows = list(csv.DictReader(open(written["report_types_csv"], encoding="utf-8")))
    ids, counts = np.unique(types[types != -100], return_counts=True)
    assert {int(r["type"]): int(r["pixels"]) for r in rows} == dict(zip(ids.tolist(), counts.tolist()))
