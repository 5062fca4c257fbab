"""Every output's size is known and logged before the model runs (pipeline/change/output_sizes.py).

The plan's estimate of each output equals the pixel data GDAL then holds in the written file
(bands x width x height x bytes per value), for a run on the sample pair at both strides;
above 2 GB the run warns and names what makes that output smaller; the dry run of a YAML lists
the sizes (an upper bound from the first image's declared size).
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import List

import numpy as np
import pytest
import yaml
from osgeo import gdal

from planaura_plugin.feedback import Feedback
from planaura_plugin.model.config import ModelConfig
from planaura_plugin.model.loading import ModelSpec
from planaura_plugin.pipeline.change import output_sizes
from planaura_plugin.pipeline.change import run_change_map
from planaura_plugin.pipeline.change.plan import plan_change_map, plan_sizes
from planaura_plugin.pipeline.requests import ChangeMapOutputs, ChangeMapRequest
from planaura_plugin.presets import HLS
from support import GOLDEN, REPO, TINY

SAMPLE = REPO / "sample_data"
PAIR = [str(SAMPLE / "HLS.S30.T15SXR.2021250T163901.v2.0.tif"), str(SAMPLE / "HLS.S30.T15SXR.2022245T163901.v2.0.tif")]


class Log(Feedback):
    def __init__(self) -> None:
        self.infos: List[str] = []
        self.warnings: List[str] = []

    def info(self, message: str) -> None:
        self.infos.append(message)

    def warning(self, message: str) -> None:
        self.warnings.append(message)


def data_bytes(path: str) -> int:
    from osgeo import gdal_array

    ds = gdal.Open(path)
    dtype = np.dtype(gdal_array.GDALTypeCodeToNumericTypeCode(ds.GetRasterBand(1).DataType))
    return ds.RasterXSize * ds.RasterYSize * ds.RasterCount * dtype.itemsize


def sample_request(tmp_path: Path, tiny_checkpoint, **kw) -> ChangeMapRequest:
    spec = ModelSpec(preset=HLS, config=ModelConfig(**TINY), checkpoint=str(tiny_checkpoint), device="cpu")
    outputs = ChangeMapOutputs(cosine_map=str(tmp_path / "cos.tif"), quality_fmask=str(tmp_path / "q.tif"),
                               after_date=str(tmp_path / "after.tif"),
                               feature_maps={0: str(tmp_path / "f0.tif"), 1: str(tmp_path / "f1.tif")},
                               reconstructions={1: str(tmp_path / "i1.tif")})
    return ChangeMapRequest(inputs=PAIR, outputs=outputs, model=spec, embeddings=[0, 5, 17],
                            bbox=None, compression="NONE", **kw)


@pytest.mark.parametrize("upsample", [True, False])
def test_estimates_equal_the_written_data(tmp_path, tiny_checkpoint, upsample):
    request = sample_request(tmp_path, tiny_checkpoint, upsample=upsample)
    log = Log()
    estimated = plan_sizes(plan_change_map(request, log))
    assert any("Output sizes" in line for line in log.infos)
    written = run_change_map(request)
    assert set(estimated) == set(written)
    for kind, path in written.items():
        assert estimated[kind] == data_bytes(path), kind


def test_large_outputs_warn_with_the_cheaper_setting(tmp_path, tiny_checkpoint, monkeypatch):
    monkeypatch.setattr(output_sizes, "LARGE_OUTPUT_BYTES", 100_000)  # the sample's feature maps are ~3 MB
    log = Log()
    plan_change_map(sample_request(tmp_path, tiny_checkpoint), log)
    feature = [w for w in log.warnings if w.startswith("feature_maps_0 ")]
    assert feature and "fewer embedding channels" in feature[0]
    assert any(w.startswith("infer_1 ") and "reconstructions out" in w for w in log.warnings)


def test_dry_run_lists_the_sizes(tmp_path):
    from run_compare import prepare_run

    work = prepare_run(GOLDEN / "raster" / "v_mosaic3", tmp_path, tmp_path / "unused.pth")
    (tmp_path / "unused.pth").write_bytes(b"")
    config = yaml.safe_load((work / "config.yaml").read_text())
    done = subprocess.run([sys.executable, "-m", "planaura_plugin", "run", "config.yaml", "--dry-run"], cwd=work,
                          capture_output=True, text=True, timeout=300, env={"PYTHONPATH": str(REPO), "PATH": ""})
    assert done.returncode == 0, done.stderr[-2000:]
    lines = [line for line in done.stdout.splitlines() if "sizes at most" in line]
    assert len(lines) == 3
    # 300 x 260 px, upsampled maps: 4 float32 channels per pixel in the feature maps
    assert "300 x 260 px" in lines[0] and "feature_maps_0 1.2 MB" in lines[0]
    assert config["feature_maps"]["embeddings"] == [0, 5, 17, 63]


def test_an_hls_tile_with_every_channel_is_38_gib_of_embeddings_per_date():
    """The issue's case: full resolution, all 768 channels of the base model, a 3660 x 3660 HLS tile."""
    request = ChangeMapRequest(inputs=PAIR, outputs=ChangeMapOutputs(), model=ModelSpec(preset=HLS))
    sizes = output_sizes.declared_sizes(request, ["feature_maps_0", "cosine_map"], 3660, 3660)
    assert request.model.config.embed_dim == 768
    assert sizes["feature_maps_0"] == 3660 * 3660 * 768 * 4
    assert sizes["feature_maps_0"] / 2 ** 30 == pytest.approx(38.3, rel=0.01)
    assert sizes["cosine_map"] == 3660 * 3660 * 4
    assert output_sizes.cheaper_setting("feature_maps_0").startswith("keep fewer embedding channels")
    coarse = output_sizes.declared_sizes(ChangeMapRequest(inputs=PAIR, outputs=ChangeMapOutputs(),
                                                          model=ModelSpec(preset=HLS), upsample=False),
                                         ["feature_maps_0"], 3660, 3660)
    assert coarse["feature_maps_0"] == 229 * 229 * 768 * 4
