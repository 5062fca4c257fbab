"""feature_maps.upsample_feature_map in the YAML runner: the feature table holds one row per input pixel,
valued as the (per tile, cubic-spline) upsampled embedding rasters of the same run."""
from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import yaml

from support import REPO, TINY
from planaura_plugin.runs import run_config
from planaura_plugin.upstream import plan_from_file

NAMES = ("HLS.S30.T15SXR.2021250T163901.v2.0", "HLS.S30.T15SXR.2022245T163901.v2.0")
SIZE = 128


def config(tmp_path: Path, checkpoint: Path, upsample: bool) -> Path:
    from osgeo import gdal

    for name in NAMES:
        gdal.Translate(str(tmp_path / f"{name}.tif"), str(REPO / "sample_data" / f"{name}.tif"),
                       srcWin=[256, 128, SIZE, SIZE])
    (tmp_path / "pairs.csv").write_text("input_file_0,input_file_1\n"
                                        + ",".join(str(tmp_path / f"{n}.tif") for n in NAMES) + "\n")
    cfg = {
        "task_list": ["infer"], "csv_inference_file": "pairs.csv", "paths_included_in_csvs": True,
        "inference_save_folder_frame_0": "out0", "inference_save_folder_frame_1": "out1", "use_gpu": False,
        "change_map": {"return": True, "upsample_cosine_map": True},
        "feature_maps": {"return": True, "write_as_df": False, "write_as_csv": True, "write_as_image": True,
                         "upsample_feature_map": upsample},
        "model_params": {"load_params": {"source": "local", "checkpoint_path": str(checkpoint)}, **TINY},
    }
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump(cfg, sort_keys=False))
    return path


def read_table(path: Path):
    with open(path, encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    data = np.array(rows[1:], dtype=np.float64)
    return data[:, 0], data[:, 1], data[:, 2:]


def test_upsampled_table_rows_equal_the_upsampled_embedding_raster(tmp_path, tiny_checkpoint):
    from osgeo import gdal

    path = config(tmp_path, tiny_checkpoint, upsample=True)
    assert not any("upsample_feature_map" in n for n in plan_from_file(path, cwd=tmp_path).notes)
    result = run_config(path, cwd=tmp_path)
    written = result.pairs[2]
    x, y, f = read_table(Path(written["feature_table_0"]))
    raster = gdal.Open(written["feature_maps_0"])
    gt = raster.GetGeoTransform()
    assert gt[1] == 30.0  # the embedding raster is on the input pixels (upsampled)
    cols = np.round((x - gt[0]) / gt[1]).astype(int)
    rows = np.round((y - gt[3]) / gt[5]).astype(int)
    assert len(x) > 0.5 * SIZE * SIZE and len(set(zip(rows.tolist(), cols.tolist()))) == len(x)  # one row a pixel
    values = raster.ReadAsArray()  # (E, H, W)
    np.testing.assert_allclose(f, values[:, rows, cols].T, rtol=1e-5, atol=1e-5)

    folder = tmp_path / "coarse"
    folder.mkdir()
    coarse = config(folder, tiny_checkpoint, upsample=False)
    xc, _yc, fc = read_table(Path(run_config(coarse, cwd=folder).pairs[2]["feature_table_0"]))
    assert len(xc) * 16 * 16 == len(x) and fc.shape[1] == f.shape[1]
