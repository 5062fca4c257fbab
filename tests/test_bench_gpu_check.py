"""bench/gpu_check.py's dry run on the CPU (``--device cpu --quick``): every part runs and reports
right figures, so that the GPU check is known to work before a GPU machine is at hand."""
from __future__ import annotations

import json
import sys

import pytest

from support import REPO, TINY

sys.path.insert(0, str(REPO / "bench"))
import gpu_check  # noqa: E402


@pytest.fixture(scope="module")
def dry_run(tmp_path_factory, tiny_checkpoint):
    out = tmp_path_factory.mktemp("gpu_check") / "gpu.json"
    res = gpu_check.main(["--device", "cpu", "--quick", "--out", str(out)])
    return res, json.loads(out.read_text())


def test_json_is_what_was_returned(dry_run):
    res, written = dry_run
    assert written == json.loads(json.dumps(res))
    assert written["device"]["device"] == "cpu" and written["quick"] is True


def test_golden_tests_ran_on_the_device_and_passed(dry_run):
    g = dry_run[0]["golden_tests"]
    # case a of tests/core/test_model_golden.py has six tests; none may fail or be skipped
    assert (g["passed"], g["failed"], g["errors"], g["skipped"], g["returncode"]) == (6, 0, 0, 0, 0)


def test_reduced_precisions_report_their_errors(dry_run):
    case = dry_run[0]["precisions"]["a_tiny_nf2_stride16"]
    assert case["float32_max_abs_dcos_vs_golden"] <= 1e-5
    bf16 = case["bfloat16"]
    assert 0 < bf16["max_abs_dcos"] < 5e-3  # really bfloat16 (not float32), within its measured bound
    assert bf16["valid_mask_equal"] and bf16["valid_positions"] > 0
    assert "GPU option" in case["float16"]["skipped"]  # float16 is refused on a CPU, and said so


def test_tile_flops_counted_by_hand():
    from planaura_plugin.model.config import ModelConfig

    cfg = ModelConfig(**TINY, patch_stride=1)  # E 64, depth 2, 6 bands, p 16, T 2, 64 px
    g, n = 64 - 16 + 1, 2 * 4 * 4  # 49 positions a side; 16 x 16 sub-grids of 4 x 4 tokens per frame
    embed = 2 * (2 * g * g) * 64 * (6 * 16 * 16)
    block = 2 * n * 64 * (3 * 64) + 2 * n * 64 * 64 + 2 * (2 * n * 64 * 256) + 2 * (2 * n * n * 64)
    assert gpu_check.dense_flops(cfg) == embed + 16 * 16 * 2 * block


def test_tile_timings(dry_run):
    from planaura_plugin.model.config import ModelConfig
    from speed_jobs import encoder_flops

    tile = dry_run[0]["tile"]
    assert tile["bf16_peak_tflops"] == "unknown"
    for key, cfg, flops in (("stride16_float32", ModelConfig(**TINY), encoder_flops),
                            ("stride1_bfloat16", ModelConfig(**TINY, patch_stride=1), gpu_check.dense_flops)):
        t = tile[key]
        assert t["tflop_per_tile"] == round(flops(cfg) / 1e12, 4)
        assert t["achieved_tflops"] == pytest.approx(flops(cfg) / t["s_per_tile"] / 1e12, rel=1e-3, abs=1e-6)
        assert t["process_peak_rss_mb"] > 0
    assert tile["stride1_float32"]["offsets_per_chunk"] >= 1


def test_end_to_end_runs(dry_run):
    runs = dry_run[0]["runs"]
    for key in ("sample_pair", "hls_size_pair"):
        r = runs[key]
        assert "part_failed" not in r, r
        assert r["outputs"] == ["after_date", "before_date", "cosine_map", "quality_fmask"]
        assert 0.5 < r["valid_share"] <= 1 and -1 <= r["cosine_mean"] <= 1
    assert runs["sample_pair"]["size_px"] == [256, 256]


@pytest.mark.parametrize("name, peak", [("NVIDIA H100 80GB HBM3", 989.0), ("NVIDIA H100 PCIe", 756.0),
                                        ("NVIDIA H200", 989.0), ("NVIDIA A100-SXM4-80GB", 312.0),
                                        ("NVIDIA A10G", 70.0), ("NVIDIA L4", 121.0), ("NVIDIA L40S", 362.0),
                                        ("NVIDIA GeForce RTX 4090", 165.0), ("Tesla T4", None)])
def test_bf16_peak_by_card_name(name, peak):
    assert gpu_check.bf16_peak(name) == peak


def test_cuda_without_a_gpu_is_refused_with_a_message(tmp_path):
    import torch

    from planaura_plugin.errors import DeviceError

    if torch.cuda.is_available():
        pytest.skip("this machine has a GPU")
    with pytest.raises(DeviceError, match="torch sees no GPU"):
        gpu_check.main(["--device", "cuda", "--out", str(tmp_path / "x.json")])
