"""The upstream YAML runner on imagery as distributed and on stacks needing a band choice (issue 9).

A CSV naming an HLS granule folder (or any of its band files) gives the stacked run's cosine
and quality; ``input_bands`` (our key) picks the model bands of larger stacks.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import yaml

from support import DATA, GOLDEN
from planaura_plugin import runs
from planaura_plugin.upstream import ConfigError, build_plan, load_config

AFTER = DATA / "HLS.S30.T15SXR.2022245T163901.v2.0.tif"
CROP = (400, 400, 256, 256)


def config(tmp_path: Path, checkpoint: Path, rows, **changes) -> Path:
    cfg = yaml.safe_load((GOLDEN / "raster" / "i_stride16_upsample" / "config.yaml").read_text())
    cfg["model_params"]["load_params"]["checkpoint_path"] = str(checkpoint)
    cfg.update(task_list=["infer"], paths_included_in_csvs=True, save_reconstructed_images=False,
               inference_save_folder_frame_0=str(tmp_path / "out"), inference_save_folder_frame_1=str(tmp_path / "out"))
    cfg["feature_maps"]["return"] = False
    cfg.update(changes)
    (tmp_path / "infer_data.csv").write_text("input_file_0,input_file_1\n" + "".join(f"{a},{b}\n" for a, b in rows))
    cfg["csv_inference_file"] = str(tmp_path / "infer_data.csv")
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump(cfg, sort_keys=False))
    return path


def execute(path: Path) -> dict:
    from osgeo import gdal

    plan = build_plan(load_config(path), cwd=path.parent)
    runs.execute_plan(plan)
    out = {}
    for f in (path.parent / "out").glob("*.tif"):
        out[f.name.split("!")[0]] = gdal.Open(str(f)).ReadAsArray()
    return out


@pytest.fixture(scope="module")
def after(tmp_path_factory) -> Path:
    from osgeo import gdal

    path = tmp_path_factory.mktemp("after") / AFTER.name
    gdal.Translate(str(path), str(AFTER), srcWin=list(CROP))
    return path


@pytest.fixture(scope="module")
def stacked(tiny_checkpoint, hls_stack, after, tmp_path_factory) -> dict:
    from osgeo import gdal

    folder = tmp_path_factory.mktemp("stacked")
    before = folder / hls_stack.name
    gdal.Translate(str(before), str(hls_stack), srcWin=list(CROP))
    gdal.Translate(str(folder / f"fmask_{hls_stack.name}"), str(DATA / f"fmask_{hls_stack.name}"), srcWin=list(CROP))
    return execute(config(folder, tiny_checkpoint, [(before, after)]))


@pytest.mark.parametrize("choice", ["folder", "band file"])
def test_granule_in_the_csv_gives_the_stacked_run(tiny_checkpoint, hls_s30, after, stacked, tmp_path, choice):
    before = hls_s30.parent if choice == "folder" else hls_s30
    got = execute(config(tmp_path, tiny_checkpoint, [(before, after)]))
    assert set(got) == set(stacked) >= {"cosine_map", "quality_fmask", "before_date"}
    for kind in stacked:
        np.testing.assert_array_equal(got[kind], stacked[kind], err_msg=kind)


def test_input_bands_pick_the_model_bands_of_larger_stacks(tiny_checkpoint, hls_stack, after, stacked, tmp_path):
    from osgeo import gdal

    order = [7, 1, 2, 3, 8, 4, 5, 9, 6, 10]  # stored band k+1 holds source band order[k] (7..10: copies)
    sources = {}
    for name, src in ((hls_stack.name, hls_stack), (after.name, after)):
        stack6 = gdal.Open(str(src)).ReadAsArray(*(CROP if src == hls_stack else (0, 0, 256, 256)))
        extra = np.stack([stack6[0] // 2, stack6[1] // 3, stack6[2] // 2, stack6[3] // 5])
        full = np.concatenate([stack6, extra])[[o - 1 for o in order]]
        path = tmp_path / "in" / name
        path.parent.mkdir(exist_ok=True)
        ref = gdal.Open(str(after))
        ds = gdal.GetDriverByName("GTiff").Create(str(path), 256, 256, 10, gdal.GDT_Int16)
        ds.SetGeoTransform(ref.GetGeoTransform())
        ds.SetProjection(ref.GetProjection())
        for b in range(10):
            ds.GetRasterBand(b + 1).SetNoDataValue(-9999)
            ds.GetRasterBand(b + 1).WriteArray(full[b])
        ds = None
        sources[name] = path
    gdal.Translate(str(tmp_path / "in" / f"fmask_{hls_stack.name}"), str(DATA / f"fmask_{hls_stack.name}"),
                   srcWin=list(CROP))
    bands = [order.index(m) + 1 for m in range(1, 7)]
    got = execute(config(tmp_path, tiny_checkpoint, [(sources[hls_stack.name], sources[after.name])],
                         input_bands=bands))
    np.testing.assert_array_equal(got["cosine_map"], stacked["cosine_map"])
    np.testing.assert_array_equal(got["quality_fmask"], stacked["quality_fmask"])


def test_input_bands_must_be_six_numbers(tiny_checkpoint, tmp_path, after):
    with pytest.raises(ConfigError, match="input_bands must list the 6 band numbers"):
        build_plan(load_config(config(tmp_path, tiny_checkpoint, [(after, after)], input_bands=[1, 2, 3])),
                   cwd=tmp_path)
