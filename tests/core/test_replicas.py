"""A batch split over two devices gives what one device gives (two CPU replicas stand in for two
GPUs), through the runner and through the whole pipeline; upstream's use_multi_gpu is read."""
from __future__ import annotations

import numpy as np
import pytest

from support import GOLDEN, TINY
from planaura_plugin.model.config import ModelConfig
from planaura_plugin.model.inference import PlanauraRunner
from planaura_plugin.model.replicas import ReplicaRunner, concat_outputs

FIELDS = ("features", "cosine", "which_before", "valid", "reconstruction")


@pytest.fixture(scope="module")
def runners(tiny_checkpoint):
    cfg = ModelConfig(**TINY)
    return [PlanauraRunner.from_checkpoint(cfg, tiny_checkpoint, device="cpu") for _ in range(2)]


def _tiles(n: int) -> np.ndarray:
    z = np.load(GOLDEN / "model" / "a_tiny_nf2_stride16.npz")
    x = z["input"]
    return np.concatenate([x, x[:, :, ::-1], x[:, :, :, ::-1]])[:n]  # frames swapped, rows flipped: other tiles


@pytest.mark.parametrize("n", [1, 3, 5])
def test_two_replicas_give_the_single_device_outputs(runners, n):
    x = _tiles(n)
    assert len(x) == n
    one = runners[0].infer(x, reconstruction=True)
    two = ReplicaRunner(runners).infer(x, reconstruction=True)
    for name in FIELDS:
        assert np.array_equal(getattr(two, name), getattr(one, name)), name
    # and the parts are really the per-device results, in order
    if n > 1:
        head = runners[1].infer(x[(n + 1) // 2:], reconstruction=True)
        assert np.array_equal(two.cosine[(n + 1) // 2:], head.cosine)


def test_concat_keeps_missing_outputs_missing(runners):
    x = _tiles(3)
    parts = [runners[0].infer(x[:2], feature_channels=[]), runners[1].infer(x[2:], feature_channels=[])]
    joined = concat_outputs(parts)
    assert joined.features is None and joined.reconstruction is None
    assert joined.cosine.shape == (3, 4, 4)


def test_replica_runner_needs_a_runner():
    with pytest.raises(ValueError, match="at least one runner"):
        ReplicaRunner([])


def test_pipeline_over_two_replicas_writes_the_same_bytes(runners, tiny_checkpoint, tmp_path, monkeypatch):
    from pathlib import Path

    from planaura_plugin.model import loading
    from planaura_plugin.model.loading import ModelSpec
    from planaura_plugin.pipeline.change import run_change_map
    from planaura_plugin.pipeline.requests import ChangeMapOutputs, ChangeMapRequest
    from planaura_plugin.presets import HLS

    inputs = GOLDEN / "raster" / "inputs"
    pair = [str(inputs / "epoch2021" / "HLS.S30.T15SXR-cropS.2021250T163901.v2.0.tif"),
            str(inputs / "epoch2022" / "HLS.S30.T15SXR-cropS.2022245T163901.v2.0.tif")]
    spec = ModelSpec(preset=HLS, config=ModelConfig(**TINY), checkpoint=str(tiny_checkpoint), device="cpu",
                     batch_size=3)

    def run(out: Path):
        out.mkdir()
        outputs = ChangeMapOutputs(cosine_map=str(out / "cos.tif"), before_date=str(out / "before.tif"),
                                   after_date=str(out / "after.tif"), quality_fmask=str(out / "q.tif"),
                                   feature_maps={0: str(out / "f0.tif")})
        return run_change_map(ChangeMapRequest(inputs=pair, outputs=outputs, model=spec, patch_stride=16,
                                               upsample=True, embeddings=[0, 5]))

    monkeypatch.setattr(loading, "get_runner", lambda s: runners[0])
    one = run(tmp_path / "one")
    monkeypatch.setattr(loading, "get_runner", lambda s: ReplicaRunner(runners))
    two = run(tmp_path / "two")
    assert sorted(one) == sorted(two) and len(one) >= 5
    from osgeo import gdal

    for kind in one:
        a, b = gdal.Open(one[kind]), gdal.Open(two[kind])
        assert np.array_equal(a.ReadAsArray(), b.ReadAsArray()), kind
        # the metadata too, but for the output folder's name in it
        assert str(a.GetMetadata()).replace("/one/", "/") == str(b.GetMetadata()).replace("/two/", "/"), kind


def test_upstream_use_multi_gpu_is_read_and_a_cpu_stays_single(tiny_checkpoint):
    from planaura_plugin.model.loading import get_runner, run_devices
    from planaura_plugin.upstream.model_yaml import spec_from_upstream

    config = {"use_gpu": False, "use_multi_gpu": True, "num_frames": 2,
              "model_params": {**TINY, "load_params": {"source": "local", "checkpoint_path": str(tiny_checkpoint)}}}
    spec = spec_from_upstream(config)
    assert spec.multi_gpu is True and spec.device == "cpu"
    assert run_devices(spec) == ["cpu"]
    assert isinstance(get_runner(spec), PlanauraRunner)
    assert spec_from_upstream({**config, "use_multi_gpu": False}).multi_gpu is False
