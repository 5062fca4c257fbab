"""CPU precisions (bfloat16, int8) against float32, and the lazy dense position tables.

The error bounds are about 3 times the largest errors measured on this project's machine
(AMD Zen 4, AVX-512 BF16; see the README's precision table); float32 stays the reference
path and its golden parity is tested in test_model_golden.py. No timing is asserted.
"""
from __future__ import annotations

import numpy as np
import pytest
import torch

from precision_compare import compare_outputs
from support import GOLDEN, TINY
from planaura_plugin.model import precision as prec
from planaura_plugin.model.config import ModelConfig
from planaura_plugin.model.inference import PlanauraRunner
from planaura_plugin.model.position import GridPositions, resize_per_frame, resize_weights, sincos_3d
from planaura_plugin.normalisation import normalise
from planaura_plugin.presets import HLS

# case: (num_frames, stride, keep_pos_embedding, checkpoint fixture)
CASES = {
    "a_tiny_nf2_stride16": (2, 16, True, "tiny_checkpoint"),
    "b_tiny_nf2_stride1": (2, 1, True, "tiny_checkpoint"),
    "c_tiny_nf1_static_stride16": (1, 16, False, "tiny_checkpoint"),
    "d_tiny_nf3_stride16": (3, 16, False, "tiny_checkpoint"),
    "d2_tiny_nf3_stride16_ckpt_nf3": (3, 16, True, "tiny_nf3_checkpoint"),
}
# precision: (max |d feature|, max |d cosine|, mean |d cosine|) for the tiny cases
TINY_BOUNDS = {"bfloat16": (0.1, 2e-3, 2e-4), "int8": (5e-3, 1e-4, 1e-5)}
BASE_BOUNDS = {"bfloat16": (0.06, 2e-3, 1.5e-4), "int8": (0.2, 5e-3, 3e-4)}


def _input(name: str) -> np.ndarray:
    z = np.load(GOLDEN / "model" / f"{name}.npz")
    return normalise(z["raw_int16"].transpose(0, 2, 1, 3, 4), HLS.mean, HLS.std, HLS.no_data, band_axis=1)


def _check(err, bounds) -> None:
    feat, dcos, mean_dcos = bounds
    assert err["valid_mask_equal"]
    assert err["max_abs_dfeature"] <= feat, err
    if "max_abs_dcos" in err:
        assert err["max_abs_dcos"] <= dcos, err
        assert err["mean_abs_dcos"] <= mean_dcos, err
        assert err["class_change_share"] <= 0.01, err
        assert err.get("which_before_changes", 0) == 0, err


@pytest.mark.parametrize("name", sorted(CASES))
@pytest.mark.parametrize("precision", ["bfloat16", "int8"])
def test_golden_case_within_bounds(name, precision, request):
    t, stride, keep, fixture = CASES[name]
    cfg = ModelConfig(num_frames=t, patch_stride=stride, keep_pos_embedding=keep, **TINY)
    ck = request.getfixturevalue(fixture)
    x = _input(name)
    ref = PlanauraRunner.from_checkpoint(cfg, ck).infer(x)
    runner = PlanauraRunner.from_checkpoint(cfg, ck, precision=precision)
    assert runner.precision == precision
    _check(compare_outputs(ref, runner.infer(x)), TINY_BOUNDS[precision])


@pytest.mark.slow
@pytest.mark.parametrize("precision", ["bfloat16", "int8"])
def test_base_tile_within_bounds(precision, base_checkpoint):
    x = _input("e_base512_nf2_stride16")
    ref = PlanauraRunner.from_checkpoint(ModelConfig(), base_checkpoint).infer(x)
    out = PlanauraRunner.from_checkpoint(ModelConfig(), base_checkpoint, precision=precision).infer(x)
    _check(compare_outputs(ref, out), BASE_BOUNDS[precision])


def test_float32_is_the_default_and_unchanged(tiny_checkpoint, tiny_config):
    runner = PlanauraRunner.from_checkpoint(tiny_config, tiny_checkpoint)
    assert runner.precision == "float32" and runner.precision_note is None
    assert all(type(m) is torch.nn.Linear for m in runner.network.modules() if type(m).__name__ == "Linear")


def test_int8_quantises_only_the_encoder_linear_layers(tiny_checkpoint, tiny_config):
    runner = PlanauraRunner.from_checkpoint(tiny_config, tiny_checkpoint, precision="int8")
    bb = runner.network.backbone
    enc = [m for m in bb.encoder.blocks.modules() if "Linear" in type(m).__name__]
    dec = [m for m in bb.decoder_blocks.modules() if "Linear" in type(m).__name__]
    assert enc and all(".quantized.dynamic." in type(m).__module__ for m in enc if type(m).__name__ == "Linear")
    assert not any(type(m) is torch.nn.Linear for m in enc)
    assert dec and all(type(m) is torch.nn.Linear for m in dec)
    x = _input("a_tiny_nf2_stride16")
    out = runner.infer(x, reconstruction=True)  # the float32 decoder runs on the int8 encoder's tokens
    assert out.reconstruction.shape == x.shape


def test_resolve_precision_rules(monkeypatch):
    assert prec.resolve_precision("float32", "cpu") == ("float32", None)
    used, note = prec.resolve_precision("float16", "cpu")
    assert used == "float32" and "GPU" in note
    used, note = prec.resolve_precision("int8", "cuda")
    assert used == "float32" and "CPU" in note
    assert prec.resolve_precision("bfloat16", "cuda") == ("bfloat16", None)
    monkeypatch.setattr(prec, "cpu_flags", lambda: ("avx2", "fma"))
    used, note = prec.resolve_precision("bfloat16", "cpu")
    assert used == "bfloat16" and "emulated" in note
    monkeypatch.setattr(prec, "cpu_flags", lambda: ("avx512f", "avx512_bf16"))
    assert prec.resolve_precision("bfloat16", "cpu") == ("bfloat16", None)
    with pytest.raises(ValueError):
        prec.resolve_precision("float8", "cpu")
    # the Apple GPU runs float32 only
    assert prec.resolve_precision("float32", "mps") == ("float32", None)
    for precision in ("bfloat16", "float16", "int8"):
        used, note = prec.resolve_precision(precision, "mps")
        assert used == "float32" and "mps" in note


def test_mps_is_refused_where_torch_does_not_report_it(monkeypatch):
    import torch

    from planaura_plugin.errors import DeviceError
    from planaura_plugin.model.inference import resolve_device

    monkeypatch.setattr(torch.backends.mps, "is_available", lambda: False)
    with pytest.raises(DeviceError, match="mps"):
        resolve_device("mps")
    monkeypatch.setattr(torch.backends.mps, "is_available", lambda: True)
    assert resolve_device("mps") == "mps"


# ---- dense position tables made per sub-grid -----------------------------------------------
@pytest.mark.parametrize("old,new", [(4, 49), (32, 497), (40, 9), (5, 5)])
def test_resize_weights_match_interpolate(old, new):
    table = torch.rand(1, 1 + 2 * old * old, 3, generator=torch.Generator().manual_seed(0))
    full = resize_per_frame(table, 2, new, new)[0, 1:].reshape(2, new, new, 3).double()
    w = resize_weights(old, new)
    frames = table[0, 1:].reshape(2, old, old, 3).double()
    mine = torch.einsum("rh,thwe,cw->trce", w, frames, w)
    assert torch.allclose(mine, full, atol=1e-6, rtol=0)


@pytest.mark.parametrize("source", [False, True])
def test_grid_positions_subgrids_equal_the_whole_table(source):
    dim, t, grid, p = 64, 2, 49, 16
    src = torch.from_numpy(sincos_3d(dim, t, 4, 4)) * 1.7 if source else None
    pos = GridPositions(dim, t, grid, source=src)
    full = pos.full()[0, 1:].reshape(t, grid, grid, dim)
    for i, j in [(0, 0), (3, 11), (15, 15)]:
        rows, cols = np.arange(i, grid, p), np.arange(j, grid, p)
        sub = pos.subgrid(rows, cols)
        np.testing.assert_allclose(sub.numpy(), full[:, rows][:, :, cols].numpy(), atol=1e-6, rtol=0)


def test_dense_base_network_builds_no_whole_position_table():
    from planaura_plugin.model.network import PlanauraNetwork

    net = PlanauraNetwork(ModelConfig(patch_stride=1))
    buffers = sum(b.numel() * b.element_size() for b in net.buffers())
    assert buffers < 20 * 2 ** 20  # the stride-1 table alone would be 1.5 GB
    enc = net.backbone.encoder
    assert enc.positions.full_table is None and enc.positions.grid == 497


# ---- the YAML runner's precision key -----------------------------------------------------
def test_upstream_precision_key():
    from planaura_plugin.upstream.model_yaml import spec_from_upstream
    from planaura_plugin.upstream import ConfigError, parse_config

    import yaml

    base = yaml.safe_load((GOLDEN / "raster" / "i_stride16_upsample" / "config.yaml").read_text())
    assert parse_config(base)["precision"] is None
    assert parse_config(dict(base, precision="int8"))["precision"] == "int8"
    with pytest.raises(ConfigError, match="precision must be one of"):
        parse_config(dict(base, precision="int4"))
    assert spec_from_upstream(dict(base, precision="bfloat16", use_gpu=False)).precision == "bfloat16"
    assert spec_from_upstream(dict(base, use_gpu=True, autocast_float16=True)).precision == "float16"
    assert spec_from_upstream(dict(base, use_gpu=False, autocast_float16=True)).precision == "float32"


def test_bfloat16_weights_cast_once_give_the_autocast_numbers(tiny_checkpoint, tiny_config):
    runner = PlanauraRunner.from_checkpoint(tiny_config, tiny_checkpoint, precision="bfloat16")
    linear = [m for m in runner.network.backbone.encoder.blocks.modules() if type(m) is torch.nn.Linear]
    assert linear and all(m.weight.dtype == torch.bfloat16 for m in linear)
    x = _input("a_tiny_nf2_stride16")
    plain = PlanauraRunner.from_checkpoint(tiny_config, tiny_checkpoint)  # float32 weights, bfloat16 autocast
    plain.precision = "bfloat16"
    a, b = runner.infer(x), plain.infer(x)
    np.testing.assert_array_equal(a.features, b.features)
