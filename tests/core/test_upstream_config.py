"""The upstream YAML runner: config validation, CSV resolution, naming, safety, CLI.

No model runs here: the pipelines are replaced by fakes where execution is tested, and the
plan is built on empty placeholder files (only existence is checked when planning).
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from support import GOLDEN, REPO
from planaura_plugin import runs
from planaura_plugin.errors import CheckpointError, OutputError
from planaura_plugin.feedback import Feedback
from planaura_plugin.upstream import ConfigError, build_plan, load_config, parse_config

A0 = "HLS.S30.T15SXR.2021250T163901.v2.0"
A1 = "HLS.S30.T15SXR.2022245T163901.v2.0"
B0 = "HLS.S30.T15SXR-cropC.2021250T163901.v2.0"
FID = f"!{A0}!{A1}"


def base_config(**changes) -> dict:
    """The config of golden run i, with a checkpoint next to it."""
    cfg = yaml.safe_load((GOLDEN / "raster" / "i_stride16_upsample" / "config.yaml").read_text())
    cfg["model_params"]["load_params"]["checkpoint_path"] = "./tiny.pth"
    cfg["inference_input_folder_frame_0"] = "./in/e21"
    cfg["inference_input_folder_frame_1"] = "./in/e22"
    cfg.update(changes)
    return cfg


def project(tmp_path: Path, cfg: dict, rows=((A0 + ".tif", A1 + ".tif"),), fmasks: bool = True,
            header=("input_file_0", "input_file_1")) -> Path:
    """Placeholder inputs, checkpoint, CSV and config.yaml under ``tmp_path``; returns the YAML path."""
    (tmp_path / "tiny.pth").write_bytes(b"")
    for k, folder in enumerate(("in/e21", "in/e22", "in/e23")):
        (tmp_path / folder).mkdir(parents=True, exist_ok=True)
        for row in rows:
            plain = k < len(row) and row[k] not in ("", ".", "..") and not any(c in row[k] for c in "/\\:")
            if plain:
                (tmp_path / folder / row[k]).write_bytes(b"")
                if fmasks:
                    (tmp_path / folder / f"fmask_{row[k]}").write_bytes(b"")
    lines = [",".join(header)] + [",".join(r) for r in rows]
    (tmp_path / "infer_data.csv").write_text("\n".join(lines) + "\n")
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump(cfg, sort_keys=False))
    return path


def plan_for(tmp_path: Path, cfg: dict, **kw):
    return build_plan(load_config(project(tmp_path, cfg, **kw)), cwd=tmp_path)


# ------------------------------------------------------------------ parsing

@pytest.mark.parametrize("run", sorted(p.name for p in (GOLDEN / "raster").iterdir() if (p / "config.yaml").is_file()))
def test_every_golden_config_parses(run):
    raw = yaml.safe_load((GOLDEN / "raster" / run / "config.yaml").read_text())
    cfg = parse_config(raw)
    assert cfg.num_frames == 2 and cfg.tasks == ("infer", "mosaic")
    assert cfg.save_folders == {0: "./outputs/epoch2021", 1: "./outputs/epoch2022"}
    assert cfg["change_map"]["date_regex"] == r"\.(\d{7})T"
    assert cfg["tif_compression"] == "LZW" and cfg["minimum_valid_percentage"] == 0.7
    assert set(cfg.no_effect) == {"use_xarray", "data_loader_num_workers"}
    assert cfg["use_multi_gpu"] is False  # read: several GPUs split each batch (model/replicas.py)


def test_defaults_are_upstreams():
    cfg = parse_config({"csv_inference_file": "x.csv", "inference_save_folder_frame_0": "a",
                        "inference_save_folder_frame_1": "b"})
    assert cfg.tasks == ("infer", "mosaic")
    assert cfg["paths_included_in_csvs"] is True and cfg["use_gpu"] is True
    assert cfg["minimum_valid_percentage"] == 0.9 and cfg["tif_compression"] == "NONE"
    assert cfg["concatenate_char"] == "!" and cfg["mosaic_params"]["mosaic_save_postfix"] == "dummy"
    assert cfg["feature_maps"]["write_as_df"] is True and cfg["feature_maps"]["embeddings"] is None
    assert cfg["model_params"]["img_size"] == 512 and cfg["model_params"]["patch_stride"] == 16


def test_unknown_keys_are_listed_with_the_closest_known_key():
    raw = base_config(use_gpus=False, tiff_compression="LZW")
    raw["change_map"]["retrun"] = True
    raw["model_params"]["load_params"]["checkpoint"] = "x.pth"
    with pytest.raises(ConfigError) as err:
        parse_config(raw)
    msg = str(err.value)
    assert "use_gpus (did you mean 'use_gpu'?)" in msg
    assert "tiff_compression (did you mean 'tif_compression'?)" in msg
    assert "change_map.retrun (did you mean 'change_map.return'?)" in msg
    assert "model_params.load_params.checkpoint (did you mean 'model_params.load_params.checkpoint_path'?)" in msg


def test_misspelt_frame_folder_key_is_unknown():
    raw = base_config(inference_save_folder_frame0="x")
    with pytest.raises(ConfigError, match="inference_save_folder_frame0 .did you mean 'inference_save_folder_frame_0'"):
        parse_config(raw)


@pytest.mark.parametrize("key", ["csv_inference_file", "inference_save_folder_frame_1"])
def test_missing_required_key_is_named(key):
    raw = base_config()
    del raw[key]
    with pytest.raises(ConfigError, match=f"required key '{key}' is missing"):
        parse_config(raw)


def test_input_folder_required_only_without_paths_in_csv():
    raw = base_config()
    del raw["inference_input_folder_frame_1"]
    with pytest.raises(ConfigError, match="'inference_input_folder_frame_1' is missing"):
        parse_config(raw)
    raw["paths_included_in_csvs"] = True
    parse_config(raw)


def test_third_save_folder_required_with_three_frames():
    with pytest.raises(ConfigError, match="inference_save_folder_frame_2"):
        parse_config(base_config(num_frames=3))


@pytest.mark.parametrize("key, value, message", [
    ("use_gpu", "yes", "use_gpu must be true or false"),
    ("batch_size", 2.5, "batch_size must be a whole number"),
    ("num_frames", 4, "num_frames must be between 1 and 3"),
    ("minimum_valid_percentage", 70, "a fraction: 0.7 means 70 %"),
    ("tif_compression", "JPEG", "tif_compression must be one of LZW, DEFLATE, ZSTD, NONE"),
    ("task_list", ["infer", "train"], "unknown task"),
    ("concatenate_char", "/", "concatenate_char must be"),
    ("process_bbox", [1, 2, 3], r"process_bbox must be \[minx, miny, maxx, maxy\]"),
    ("use_multi_gpu", "no", "use_multi_gpu must be true or false"),
])
def test_wrong_values_are_explained(key, value, message):
    with pytest.raises(ConfigError, match=message):
        parse_config(base_config(**{key: value}))


def test_nested_wrong_values_are_explained():
    raw = base_config()
    raw["model_params"]["patch_stride"] = 8
    with pytest.raises(ConfigError, match="patch_stride must be 1 or patch_size"):
        parse_config(raw)
    raw = base_config()
    raw["feature_maps"]["embeddings"] = [0, 64]
    with pytest.raises(ConfigError, match="holds 64 but the model has only 64 channels"):
        parse_config(raw)
    raw = base_config()
    raw["change_map"]["date_regex"] = r"\d{7}"
    with pytest.raises(ConfigError, match="one group"):
        parse_config(raw)
    raw = base_config()
    raw["mosaic_params"]["mosaic_save_postfix"] = "../x"
    with pytest.raises(ConfigError, match="mosaic_save_postfix"):
        parse_config(raw)


def test_yaml_problems(tmp_path):
    p = tmp_path / "c.yaml"
    p.write_text("csv_inference_file: a.csv\ncsv_inference_file: b.csv\n")
    with pytest.raises(ConfigError, match="'csv_inference_file' is given twice .line 2"):
        load_config(p)
    p.write_text("")
    with pytest.raises(ConfigError, match="is empty"):
        load_config(p)
    p.write_text("- a\n- b\n")
    with pytest.raises(ConfigError, match="must hold key: value options"):
        load_config(p)
    p.write_text("a: [1,\n")
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_config(p)
    with pytest.raises(ConfigError, match="does not exist"):
        load_config(tmp_path / "missing.yaml")


def test_upstream_spacing_of_use_multi_gpu_is_read(tmp_path):
    """planaura_hls_config.yaml writes ``use_multi_gpu : false`` (space before the colon)."""
    p = tmp_path / "c.yaml"
    p.write_text("csv_inference_file: a.csv\ninference_save_folder_frame_0: a\n"
                 "inference_save_folder_frame_1: b\nuse_multi_gpu : false\n")
    cfg = load_config(p)
    assert cfg.no_effect == {} and cfg["use_multi_gpu"] is False


# ------------------------------------------------------------------ plan: paths and names

def test_plan_of_golden_run_i_names_and_folders(tmp_path):
    plan = plan_for(tmp_path, base_config())
    assert len(plan.pairs) == 1
    job = plan.pairs[0]
    out21, out22 = tmp_path / "outputs" / "epoch2021", tmp_path / "outputs" / "epoch2022"
    assert job.outputs == {
        "cosine_map": str(out21 / f"cosine_map{FID}.tif"),
        "before_date": str(out21 / f"before_date{FID}.tif"),
        "after_date": str(out21 / f"after_date{FID}.tif"),
        "quality_fmask": str(out21 / f"quality_fmask{FID}.tif"),
        "feature_maps_0": str(out21 / f"feature_maps_0{FID}.tif"),
        "feature_table_0": str(out21 / f"feature_maps_0{FID}.geoparquet"),
        "feature_maps_1": str(out22 / f"feature_maps_1{FID}.tif"),
        "feature_table_1": str(out22 / f"feature_maps_1{FID}.geoparquet"),
        "infer_0": str(out21 / f"infer_0{FID}.tif"),
        "infer_1": str(out22 / f"infer_1{FID}.tif"),
    }
    assert job.file_id == FID
    assert job.inputs == (str(tmp_path / "in/e21" / f"{A0}.tif"), str(tmp_path / "in/e22" / f"{A1}.tif"))
    assert job.fmasks == tuple(str(Path(p).parent / f"fmask_{Path(p).name}") for p in job.inputs)
    req = job.request
    assert req.inputs == list(job.inputs) and req.fmask_bitwise is True and req.upsample is True
    assert req.patch_stride == 16 and req.num_predictions == 1 and req.min_valid == 0.7
    assert req.embeddings == (0, 5, 17, 63) and req.compression == "LZW" and req.date_regex == r"\.(\d{7})T"
    assert req.outputs.feature_tables == {0: job.outputs["feature_table_0"], 1: job.outputs["feature_table_1"]}
    assert req.outputs.reconstructions == {0: job.outputs["infer_0"], 1: job.outputs["infer_1"]}
    spec = req.model
    assert spec.checkpoint == str(tmp_path / "tiny.pth") and spec.device == "cpu" and spec.batch_size == 4
    assert spec.config.img_size == 64 and spec.config.embed_dim == 64 and spec.config.num_frames == 2
    mosaic = plan.mosaic
    assert mosaic.request.output_dir == str(out21) and mosaic.request.postfix == "golden"
    assert mosaic.request.target_crs == "EPSG:3979" and mosaic.request.target_resolution == 30
    assert mosaic.expected["cosine_map"] == str(out21 / "mosaic_cosine_map_golden_c.tif")
    assert mosaic.expected["persistence"] == str(out21 / "mosaic_persistence_golden_c.tif")
    assert set(mosaic.expected) == {"cosine_map", "persistence", "before_date", "after_date", "quality_fmask",
                                    "before_input", "after_input", "feature_maps_0", "feature_maps_1",
                                    "infer_0", "infer_1"}
    pair = mosaic.request.pairs[0]
    assert pair.cosine_map == job.outputs["cosine_map"] and pair.pair_id == FID
    assert pair.inputs == list(job.inputs) and mosaic.request.reference == "cosine_map"
    assert mosaic.request.input_images == list(job.inputs) and mosaic.request.concatenate_char == "!"
    assert not mosaic.delete_residues and len(mosaic.residues) == 8
    assert not any("use_multi_gpu" in n for n in plan.notes)  # it has an effect now: no "ignored" note


def test_csv_and_table_variants(tmp_path):
    cfg = base_config(save_reconstructed_images=False)
    cfg["feature_maps"].update(write_as_df=False, write_as_csv=True, write_as_image=False)
    cfg["change_map"].update(save_fmask_layer=False, save_dates_layer=False)
    job = plan_for(tmp_path, cfg).pairs[0]
    assert sorted(job.outputs) == ["cosine_map", "feature_table_0", "feature_table_1"]
    assert job.outputs["feature_table_1"].endswith(f"epoch2022/feature_maps_1{FID}.csv")
    assert job.fmasks == (None, None)


def test_bbox_and_run_options_reach_the_request(tmp_path):
    cfg = base_config(process_bbox=[601000, 3585000, 605000, 3590000], process_bbox_crs="EPSG:32615",
                      num_predictions=2, minimum_valid_percentage=0.5, tif_compression="zstd", batch_size=2)
    cfg["model_params"]["patch_stride"] = 1
    cfg["change_map"].update(upsample_cosine_map=False, fmask_in_bit=False)
    req = plan_for(tmp_path, cfg).pairs[0].request
    assert req.bbox == (601000, 3585000, 605000, 3590000) and req.bbox_crs == "EPSG:32615"
    assert req.num_predictions == 2 and req.min_valid == 0.5 and req.compression == "ZSTD"
    assert req.patch_stride == 1 and req.model.config.patch_stride == 1 and req.model.batch_size == 2
    assert req.upsample is False and req.fmask_bitwise is False


def test_tables_only(tmp_path):
    cfg = base_config(task_list=["infer"], save_reconstructed_images=False)
    cfg["change_map"]["return"] = False
    cfg["feature_maps"]["write_as_image"] = False
    job = plan_for(tmp_path, cfg).pairs[0]
    assert sorted(job.outputs) == ["feature_table_0", "feature_table_1"] and job.file_id == FID
    assert job.outputs["feature_table_0"].endswith(f"epoch2021/feature_maps_0{FID}.geoparquet")
    cfg["feature_maps"]["return"] = False
    with pytest.raises(ConfigError, match="nothing to compute"):
        plan_for(tmp_path, cfg)


def test_static_mode_names(tmp_path):
    cfg = base_config(num_frames=1, task_list=["infer"])
    cfg["model_params"]["keep_pos_embedding"] = False
    plan = plan_for(tmp_path, cfg, rows=((A0 + ".tif",),), header=("input_file_0",))
    job = plan.pairs[0]
    assert sorted(job.outputs) == ["feature_maps_0", "feature_table_0", "infer_0"]
    assert job.outputs["feature_maps_0"].endswith(f"epoch2021/feature_maps_0!{A0}.tif")
    assert plan.mosaic is None
    assert any("inference_save_folder_frame_1 is not used" in n for n in plan.notes)
    assert any("no change map with num_frames 1" in n for n in plan.notes)


def test_paths_are_relative_to_the_working_folder_not_the_config(tmp_path):
    path = project(tmp_path, base_config())
    conf_dir = tmp_path / "conf"
    conf_dir.mkdir()
    moved = conf_dir / "config.yaml"
    path.rename(moved)
    plan = build_plan(load_config(moved), cwd=tmp_path)
    assert plan.pairs[0].inputs[0] == str(tmp_path / "in/e21" / f"{A0}.tif")
    assert plan.model.checkpoint == str(tmp_path / "tiny.pth")
    with pytest.raises(CheckpointError, match="conf/tiny.pth"):
        build_plan(load_config(moved), cwd=conf_dir)


def test_csv_with_paths(tmp_path):
    cfg = base_config(paths_included_in_csvs=True)
    del cfg["inference_input_folder_frame_0"], cfg["inference_input_folder_frame_1"]
    (tmp_path / "far").mkdir()
    (tmp_path / "in/e21").mkdir(parents=True)
    (tmp_path / "in/e21" / f"{A0}.tif").write_bytes(b"")
    absolute = tmp_path / "far" / f"{A1}.tif"
    absolute.write_bytes(b"")
    plan = plan_for(tmp_path, cfg, rows=((f"in/e21/{A0}.tif", str(absolute)),))
    project_rows = plan.pairs[0]
    assert project_rows.inputs == (str(tmp_path / "in/e21" / f"{A0}.tif"), str(absolute))
    assert project_rows.names == (A0, A1)
    assert project_rows.file_id == FID


def test_csv_entries_may_not_leave_the_frame_folder(tmp_path):
    for entry in (f"../e22/{A1}.tif", f"sub/{A1}.tif", str(tmp_path / f"{A1}.tif"), "..", "C:x.tif",
                  f"..\\{A1}.tif"):
        with pytest.raises(ConfigError, match="not a plain file name"):
            plan_for(tmp_path, base_config(), rows=((A0 + ".tif", entry),))


def test_csv_problems(tmp_path):
    with pytest.raises(ConfigError, match="no column input_file_1"):
        plan_for(tmp_path, base_config(), header=("input_file_0", "input_file_2"))
    with pytest.raises(ConfigError, match="line 2: input_file_1 is empty"):
        plan_for(tmp_path, base_config(), rows=((A0 + ".tif", ""),))
    with pytest.raises(ConfigError, match=r"line 2, input_file_1: the image .*missing.tif does not exist"):
        path = project(tmp_path, base_config())
        (tmp_path / "infer_data.csv").write_text(f"input_file_0,input_file_1\n{A0}.tif,missing.tif\n")
        build_plan(load_config(path), cwd=tmp_path)
    (tmp_path / "infer_data.csv").write_text("input_file_0,input_file_1\n")
    with pytest.raises(ConfigError, match="lists no image"):
        build_plan(load_config(tmp_path / "config.yaml"), cwd=tmp_path)


def test_csv_header_spaces_and_bom_and_extra_columns(tmp_path):
    path = project(tmp_path, base_config())
    (tmp_path / "infer_data.csv").write_bytes(
        f"\ufeffinput_file_0, input_file_1 ,note\n {A0}.tif , {A1}.tif,x\n\n".encode("utf-8"))
    plan = build_plan(load_config(path), cwd=tmp_path)
    assert plan.pairs[0].names == (A0, A1)


def test_repeated_rows_and_colliding_names(tmp_path):
    plan = plan_for(tmp_path, base_config(), rows=((A0 + ".tif", A1 + ".tif"), (A0 + ".tif", A1 + ".tif")))
    assert len(plan.pairs) == 1 and any("repeats line 2" in w for w in plan.warnings)
    cfg = base_config(paths_included_in_csvs=True)
    for d in ("x", "y"):
        (tmp_path / d).mkdir()
        for n in (A0, A1):
            (tmp_path / d / f"{n}.tif").write_bytes(b"")
    with pytest.raises(ConfigError, match="lines 2 and 3 give the same output names"):
        plan_for(tmp_path, cfg, rows=((f"x/{A0}.tif", f"x/{A1}.tif"), (f"y/{A0}.tif", f"y/{A1}.tif")))


def test_missing_fmask_counts_as_clear(tmp_path):
    plan = plan_for(tmp_path, base_config(), fmasks=False)
    assert plan.pairs[0].fmasks == (None, None)
    assert sum("counts as clear" in w for w in plan.warnings) == 2


def test_missing_date_is_reported_when_dates_are_needed(tmp_path):
    with pytest.raises(ConfigError, match=r"line 2, input_file_1: no date found in the file name 'nodate.tif'"):
        plan_for(tmp_path, base_config(), rows=((A0 + ".tif", "nodate.tif"),))
    cfg = base_config(task_list=["infer"])
    cfg["change_map"]["save_dates_layer"] = False
    assert plan_for(tmp_path, cfg, rows=((A0 + ".tif", "nodate.tif"),)).pairs[0].names[1] == "nodate"


def test_checkpoint_must_exist(tmp_path):
    path = project(tmp_path, base_config())
    (tmp_path / "tiny.pth").unlink()
    with pytest.raises(CheckpointError, match="tiny.pth .model_params.load_params.checkpoint_path. does not exist"):
        build_plan(load_config(path), cwd=tmp_path)


def test_device_override(tmp_path):
    path = project(tmp_path, base_config(use_gpu=True, autocast_float16=True))
    assert build_plan(load_config(path), cwd=tmp_path).model.device == "auto"
    spec = build_plan(load_config(path), cwd=tmp_path, device="cpu").model
    assert spec.device == "cpu" and spec.precision == "float32"
    assert build_plan(load_config(path), cwd=tmp_path, device="cuda").model.precision == "float16"


def test_mosaic_options(tmp_path):
    with pytest.raises(ConfigError, match="reference_prefix 'infer_0' is not supported"):
        plan_for(tmp_path, base_config(reference_prefix="infer_0"))
    plan = plan_for(tmp_path, base_config(reference_prefix="quality_fmask"))
    assert plan.mosaic.request.reference == "quality_fmask"
    assert plan.mosaic.expected["quality_fmask"].endswith("/mosaic_quality_fmask_golden_f.tif")
    cfg = base_config(ignore_prefixes=["infer_0", "infer_1", "before_input", "after_input"])
    plan = plan_for(tmp_path, cfg)
    assert "infer_0" not in plan.mosaic.expected and "before_input" not in plan.mosaic.expected
    request = plan.mosaic.request
    assert request.pairs[0].reconstructions == {} and request.input_images == [] and request.pairs[0].inputs == []
    assert request.kinds is None
    request = plan_for(tmp_path, base_config(ignore_prefixes=["after_input"])).mosaic.request
    assert "before_input" in request.kinds and "after_input" not in request.kinds
    with pytest.raises(ConfigError, match="unknown layer kind"):
        plan_for(tmp_path, base_config(ignore_prefixes=["cosine"]))
    cfg = base_config()
    cfg["change_map"]["return"] = False
    with pytest.raises(ConfigError, match="mosaic task needs cosine maps"):
        plan_for(tmp_path, cfg)
    request = plan_for(tmp_path, base_config(ignore_prefixes=["cosine_map"])).mosaic.request
    assert request.reference == "quality_fmask" and request.pairs[0].cosine_map is None
    cfg = base_config()
    cfg["mosaic_params"]["mosaic_save_postfix"] = ""
    assert plan_for(tmp_path, cfg).mosaic.expected["cosine_map"].endswith("/mosaic_cosine_map_c.tif")


# ------------------------------------------------------------------ safety

def test_outputs_never_replace_inputs(tmp_path):
    """Save folder = input folder: allowed with a warning, refused when a name collides."""
    cfg = base_config(inference_save_folder_frame_0="./in/e21", inference_save_folder_frame_1="./in/e22")
    plan = plan_for(tmp_path, cfg)
    assert any("also hold input images" in w for w in plan.warnings)
    # an input that is named like an output of its own pair
    victim = f"cosine_map!{A0}!{A1}.tif"
    cfg = base_config(inference_save_folder_frame_0="./in/e21", inference_save_folder_frame_1="./in/e22",
                      task_list=["infer"])
    path = project(tmp_path, cfg)
    (tmp_path / "in/e21" / victim).write_bytes(b"")
    (tmp_path / "infer_data.csv").write_text(
        f"input_file_0,input_file_1\n{A0}.tif,{A1}.tif\n{victim},{A1}.tif\n")
    with pytest.raises(OutputError, match="is also an input"):
        build_plan(load_config(path), cwd=tmp_path)


def test_config_and_csv_are_never_outputs(tmp_path):
    cfg = base_config(task_list=["infer"], csv_inference_file=f"./outputs/epoch2021/cosine_map{FID}.tif")
    path = project(tmp_path, cfg)
    out = tmp_path / "outputs" / "epoch2021"
    out.mkdir(parents=True)
    (out / f"cosine_map{FID}.tif").write_text(
        f"input_file_0,input_file_1\n{A0}.tif,{A1}.tif\n")
    with pytest.raises(OutputError, match="is also an input"):
        build_plan(load_config(path), cwd=tmp_path)


def test_save_folder_that_is_a_file(tmp_path):
    path = project(tmp_path, base_config())
    (tmp_path / "outputs").mkdir()
    (tmp_path / "outputs" / "epoch2022").write_text("not a folder")
    with pytest.raises(OutputError, match="inference_save_folder_frame_1 .* is a file, not a folder"):
        build_plan(load_config(path), cwd=tmp_path)


def test_existing_outputs_are_listed(tmp_path):
    path = project(tmp_path, base_config())
    out = tmp_path / "outputs" / "epoch2021"
    out.mkdir(parents=True)
    (out / f"cosine_map{FID}.tif").write_bytes(b"")
    plan = build_plan(load_config(path), cwd=tmp_path)
    assert plan.existing_outputs == [str(out / f"cosine_map{FID}.tif")]
    assert "1 existing file(s) will be replaced" in plan.describe()


# ------------------------------------------------------------------ execution with fake pipelines

class Recorder(Feedback):
    def __init__(self):
        self.fractions, self.lines = [], []

    def progress(self, fraction, message=""):
        self.fractions.append(fraction)

    def info(self, message):
        self.lines.append(message)

    def warning(self, message):
        self.lines.append("W " + message)


def fake_pipelines(calls):
    def run_change_map(request, feedback):
        calls.append(("pair", request))
        written = {}
        for kind in ("cosine_map", "before_date", "after_date", "quality_fmask"):
            path = getattr(request.outputs, kind)
            if path:  # the real pipeline creates its folders when it writes (planning leaves none behind)
                Path(path).parent.mkdir(parents=True, exist_ok=True)
                Path(path).write_bytes(b"tif")
                Path(path[:-4] + ".tfw").write_text("tfw")
                written[kind] = path
        for group, prefix in ((request.outputs.feature_maps, "feature_maps_"),
                              (request.outputs.reconstructions, "infer_"),
                              (request.outputs.feature_tables, "feature_table_")):
            for k, path in group.items():
                Path(path).parent.mkdir(parents=True, exist_ok=True)
                Path(path).write_bytes(b"x")
                written[f"{prefix}{k}"] = path
        feedback.progress(0.5)
        feedback.progress(1.0)
        return written

    def run_mosaic(request, feedback):
        calls.append(("mosaic", request))
        path = Path(request.output_dir) / f"mosaic_cosine_map_{request.postfix}_c.tif"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"m")
        return {"cosine_map": str(path)}

    return lambda tasks: (run_change_map if "infer" in tasks else None, run_mosaic if "mosaic" in tasks else None)


def test_execute_runs_pairs_then_mosaic_and_deletes_residues(tmp_path, monkeypatch):
    cfg = base_config()
    cfg["mosaic_params"]["delete_residues"] = True
    plan = plan_for(tmp_path, cfg)
    calls = []
    monkeypatch.setattr(runs.pipelines, "pipelines", fake_pipelines(calls))
    fb = Recorder()
    result = runs.execute_plan(plan, fb)
    assert [c[0] for c in calls] == ["pair", "mosaic"]
    assert calls[0][1] is plan.pairs[0].request
    out21 = tmp_path / "outputs" / "epoch2021"
    # per-pair GeoTIFFs and their .tfw removed, feature tables kept, mosaic kept
    assert sorted(p.name for p in out21.iterdir()) == sorted(
        [f"feature_maps_0{FID}.geoparquet", "mosaic_cosine_map_golden_c.tif"])
    assert len(result.removed) == 8 + 4  # 8 GeoTIFFs + 4 .tfw
    assert sorted(os.path.basename(p) for p in result.files) == sorted(
        [f"feature_maps_0{FID}.geoparquet", f"feature_maps_1{FID}.geoparquet", "mosaic_cosine_map_golden_c.tif"])
    assert fb.fractions == sorted(fb.fractions) and fb.fractions[-1] == 1.0
    assert any("[1/1]" in line for line in fb.lines)



def test_execute_plan_is_run_plan_without_a_manifest_and_raises_for_a_failed_pair(tmp_path, monkeypatch):
    """execute_plan runs through run_plan (one execution path): no planaura_run.json is left, and a pair
    that fails for its data is an InputError naming its CSV line and reason, after the mosaic was tried."""
    from planaura_plugin.errors import InputError

    plan = plan_for(tmp_path, base_config())
    calls = []
    fakes = fake_pipelines(calls)

    def failing(tasks):
        run_change_map, run_mosaic = fakes(tasks)

        def broken(request, feedback):
            calls.append(("pair", request))
            raise InputError("the before image has no valid pixel")
        return (broken if run_change_map else None), run_mosaic

    monkeypatch.setattr(runs.pipelines, "pipelines", failing)
    with pytest.raises(InputError, match=r"1 pair\(s\) failed: CSV line 2: the before image has no valid pixel"):
        runs.execute_plan(plan, Recorder())
    assert [c[0] for c in calls] == ["pair"]  # no pair on disk: no mosaic
    assert not list(tmp_path.rglob("planaura_run.json"))
    monkeypatch.setattr(runs.pipelines, "pipelines", fakes)
    result = runs.execute_plan(plan, Recorder())
    assert result.mosaic and not list(tmp_path.rglob("planaura_run.json"))


def write_tif(path: Path, value: float = 0.5) -> None:
    from osgeo import gdal, osr

    path.parent.mkdir(parents=True, exist_ok=True)
    ds = gdal.GetDriverByName("GTiff").Create(str(path), 4, 4, 1, gdal.GDT_Float32)
    ds.SetGeoTransform([600600.0, 30.0, 0.0, 3591000.0, 0.0, -30.0])
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(32615)
    ds.SetProjection(srs.ExportToWkt())
    ds.GetRasterBand(1).SetNoDataValue(-100)
    ds.GetRasterBand(1).Fill(value)
    ds = None


def test_mosaic_only_uses_files_of_an_earlier_run(tmp_path, monkeypatch):
    """task_list [mosaic]: like upstream, every per-pair file in the save folders is mosaicked."""
    cfg = base_config(task_list=["mosaic"])
    with pytest.raises(ConfigError, match="no cosine_map!.*tif file in .*run the 'infer' task first"):
        plan_for(tmp_path, cfg)
    out21, out22 = tmp_path / "outputs" / "epoch2021", tmp_path / "outputs" / "epoch2022"
    write_tif(out21 / f"cosine_map{FID}.tif")
    write_tif(out21 / f"before_date{FID}.tif")
    write_tif(out22 / f"feature_maps_1{FID}.tif")
    other = f"!{B0}!{A1}"
    write_tif(out21 / f"cosine_map{other}.tif")
    plan = plan_for(tmp_path, cfg)
    request = plan.mosaic.request
    assert [p.pair_id for p in request.pairs] == sorted([FID, other])
    assert not any("does not exist" in w for w in plan.warnings)
    pair = next(p for p in request.pairs if p.pair_id == FID)
    assert pair.before_date == str(out21 / f"before_date{FID}.tif")
    assert pair.feature_maps == {1: str(out22 / f"feature_maps_1{FID}.tif")}
    assert pair.inputs == [str(tmp_path / "in/e21" / f"{A0}.tif"), str(tmp_path / "in/e22" / f"{A1}.tif")]
    text = plan.describe()
    assert "change maps:" not in text and f"- pair {FID}: cosine_map{FID}.tif, before_date{FID}.tif" in text
    calls = []
    monkeypatch.setattr(runs.pipelines, "pipelines", fake_pipelines(calls))
    runs.execute_plan(plan, Recorder())
    assert [c[0] for c in calls] == ["mosaic"] and calls[0][1] is request
    # images moved away since the inference: the mosaic still runs, without them
    (tmp_path / "in/e22" / f"{A1}.tif").unlink()
    plan = build_plan(load_config(tmp_path / "config.yaml"), cwd=tmp_path)
    assert any(f"{A1}.tif does not exist; the before/after input mosaics cannot use it" in w for w in plan.warnings)
    assert plan.mosaic.request.input_images == [str(tmp_path / "in/e21" / f"{A0}.tif")]


def test_infer_and_mosaic_keeps_to_its_own_pairs(tmp_path, monkeypatch):
    out21 = tmp_path / "outputs" / "epoch2021"
    write_tif(out21 / f"cosine_map!{B0}!{A1}.tif")
    plan = plan_for(tmp_path, base_config())
    assert [p.pair_id for p in plan.mosaic.request.pairs] == [FID]
    assert any("1 other cosine_map file(s)" in w for w in plan.warnings)
    calls = []
    monkeypatch.setattr(runs.pipelines, "pipelines", fake_pipelines(calls))
    runs.execute_plan(plan, Recorder())
    assert [p.pair_id for p in calls[1][1].pairs] == [FID]


# ------------------------------------------------------------------ command line

def cli(args, cwd):
    env = dict(os.environ, PYTHONPATH=str(REPO))
    return subprocess.run([sys.executable, "-m", "planaura_plugin", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)


def test_cli_dry_run_prints_the_plan(tmp_path):
    project(tmp_path, base_config())
    res = cli(["run", "config.yaml", "--dry-run", "--device", "cpu"], tmp_path)
    assert res.returncode == 0, res.stderr
    assert f"cosine_map: {tmp_path}/outputs/epoch2021/cosine_map{FID}.tif" in res.stdout
    assert "mosaic: 1 pair(s) decided by cosine_map -> EPSG:3979 at 30.0" in res.stdout
    assert "device: cpu" in res.stdout
    assert not (tmp_path / "outputs").exists()


def test_cli_error_is_one_line_without_traceback(tmp_path):
    project(tmp_path, base_config(use_gpus=True))
    res = cli(["run", "config.yaml", "--dry-run"], tmp_path)
    assert res.returncode == 1
    assert res.stderr.count("\n") == 1 and res.stderr.startswith("error: unknown key(s) in the config: use_gpus")
    assert "Traceback" not in res.stderr
    res = cli(["run", "config.yaml", "--dry-run", "--debug"], tmp_path)
    assert res.returncode == 1 and "Traceback" in res.stderr


@pytest.mark.skipif(__import__("torch").cuda.is_available(), reason="this machine has a GPU")
def test_cli_cuda_without_gpu_is_a_clear_error(tmp_path):
    project(tmp_path, base_config())
    res = cli(["run", "config.yaml", "--device", "cuda"], tmp_path)
    assert res.returncode == 1 and res.stderr.startswith("error: CUDA was asked for") and "Traceback" not in res.stderr


def test_cli_usage_errors(tmp_path):
    assert cli([], tmp_path).returncode == 2
    assert cli(["run", "c.yaml", "--device", "tpu"], tmp_path).returncode == 2
    res = cli(["run", "missing.yaml"], tmp_path)
    assert res.returncode == 1 and "does not exist" in res.stderr


@pytest.mark.parametrize("key", ["use_multi_gpu", "using_multi_gpu"])
def test_multi_gpu_and_automatic_batch_reach_the_model_spec(tmp_path, key):
    from planaura_plugin.upstream.model_yaml import model_spec

    spec = model_spec(parse_config(base_config(**{key: True, "batch_size": 0})), tmp_path, check_checkpoint=False)
    assert spec.multi_gpu is True and spec.batch_size == 0
    spec = model_spec(parse_config(base_config()), tmp_path, check_checkpoint=False)
    assert spec.multi_gpu is False and spec.batch_size == 4
    with pytest.raises(ConfigError, match="batch_size"):
        parse_config(base_config(batch_size=-1))


# ------------------------------------------------------------------------------------------------
# YAML a config could never be: refused with a ConfigError naming the file, quickly
# ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text, said", [
    ("batch_size: " + "[" * 20000 + "]" * 20000 + "\n", "nested too deeply"),
    ("batch_size: " + "{a: " * 20000 + "1" + "}" * 20000 + "\n", "nested too deeply"),
    ("batch_size:\n" + "".join(" " * i + "-\n" for i in range(1200)), "nested too deeply"),
    ("k: &k [a, b]\nother: {? *k : 1}\nbatch_size: 2\n",
     "the value at line 2 has a list or a mapping (list) as its key"),
    ("? [a, b]\n: 1\nbatch_size: 2\n", "the value at line 2 has a list or a mapping (list) as its key"),
    ("? {a: 1}\n: 1\n", "the value at line 2 has a list or a mapping (dict) as its key"),
])
def test_yaml_nested_too_deeply_or_with_list_keys_is_a_config_error(tmp_path, text, said):
    """Deep nesting raised a RecursionError and a list or mapping as a key (an alias of a list used as a key)
    a TypeError, out of every check that turns config problems into messages."""
    path = tmp_path / "config.yaml"
    path.write_text(text)
    with pytest.raises(ConfigError, match=re.escape(said)) as err:
        load_config(path)
    assert str(path) in str(err.value) and len(str(err.value)) < 600


def test_a_yaml_far_larger_than_a_config_is_refused_before_parsing(tmp_path):
    """50 MB of YAML took 40 s (and a gigabyte) to parse before the first check said the config was wrong."""
    import time

    path = tmp_path / "config.yaml"
    line = "  - " + "x" * 60 + "\n"
    path.write_text("batch_size: 2\nnotes:\n" + line * (50_000_000 // len(line)))
    started = time.monotonic()
    with pytest.raises(ConfigError, match=r"holds \d{8} bytes, far more than a config.*at most 4000000 bytes"):
        load_config(path)
    assert time.monotonic() - started < 2.0
    path.write_text("batch_size: 2\n# " + "c" * 3_000_000 + "\n")  # a large comment is still read
    with pytest.raises(ConfigError, match="csv_inference_file"):
        load_config(path)
