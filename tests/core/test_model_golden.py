"""Parity of the model with the reference's golden vectors (shared/golden/model).

Tolerances are those of the golden README; each case also checks the nodata masks exactly.
"""
from __future__ import annotations

import json

import numpy as np
import pytest
import torch

from support import GOLDEN, TEST_DEVICE, TINY
from planaura_plugin.model.config import ModelConfig
from planaura_plugin.model.inference import PlanauraRunner
from planaura_plugin.normalisation import normalise
from planaura_plugin.presets import HLS

MODEL = GOLDEN / "model"

CASES = {
    # name: (num_frames, stride, keep_pos_embedding, checkpoint fixture)
    "a_tiny_nf2_stride16": (2, 16, True, "tiny_checkpoint"),
    "b_tiny_nf2_stride1": (2, 1, True, "tiny_checkpoint"),
    "c_tiny_nf1_static_stride16": (1, 16, False, "tiny_checkpoint"),
    "d_tiny_nf3_stride16": (3, 16, False, "tiny_checkpoint"),
    "d2_tiny_nf3_stride16_ckpt_nf3": (3, 16, True, "tiny_nf3_checkpoint"),
}


def golden_input(z) -> np.ndarray:
    raw = z["raw_int16"].transpose(0, 2, 1, 3, 4)  # B,T,C,H,W -> B,C,T,H,W
    return normalise(raw, HLS.mean, HLS.std, HLS.no_data, band_axis=1)


@pytest.fixture(scope="module", params=sorted(CASES))
def case(request):
    name = request.param
    t, stride, keep, ck_fixture = CASES[name]
    z = np.load(MODEL / f"{name}.npz")
    meta = json.loads((MODEL / f"{name}.json").read_text())
    assert meta["num_frames"] == t and meta["patch_stride"] == stride and meta["keep_pos_embedding"] == keep
    cfg = ModelConfig(num_frames=t, patch_stride=stride, keep_pos_embedding=keep, **TINY)
    runner = PlanauraRunner.from_checkpoint(cfg, request.getfixturevalue(ck_fixture), device=TEST_DEVICE)
    out = runner.infer(golden_input(z), reconstruction=True)
    return name, z, runner, out


def test_input_normalisation_is_bit_exact(case):
    _name, z, _runner, _out = case
    assert np.array_equal(golden_input(z), z["input"])


def test_position_tables(case):
    _name, z, runner, _out = case
    bb = runner.network.backbone
    np.testing.assert_allclose(bb.encoder.pos_embed.cpu().numpy(), z["pos_embed"], atol=1e-6, rtol=0)
    np.testing.assert_allclose(bb.encoder.pos_embed_original.cpu().numpy(), z["pos_embed_original"], atol=1e-6, rtol=0)
    np.testing.assert_allclose(bb.decoder_pos_embed.cpu().numpy(), z["decoder_pos_embed"], atol=1e-6, rtol=0)


def test_encoder_tokens(case):
    _name, z, runner, _out = case
    with torch.inference_mode():
        enc = runner.network.encode_fast(torch.from_numpy(z["input"]).to(TEST_DEVICE)).cpu().numpy()
    np.testing.assert_allclose(enc, z["encoder_x_normed"], atol=1e-4, rtol=0)
    with torch.inference_mode():
        pred = runner.network.decode(torch.from_numpy(enc).to(TEST_DEVICE)).cpu().numpy()
    np.testing.assert_allclose(pred, z["decoder_pred"], atol=1e-4, rtol=0)


def test_features(case):
    _name, z, _runner, out = case
    assert out.features.shape == z["feature_maps"].shape
    assert np.array_equal(out.features == -100, z["feature_maps"] == -100)
    np.testing.assert_allclose(out.features, z["feature_maps"], atol=1e-4, rtol=0)


def test_cosine_and_which_before(case):
    name, z, _runner, out = case
    if "cosine_map" not in z.files:
        assert out.cosine is None and out.which_before is None  # static mode: no change map
        return
    assert np.array_equal(out.cosine == -100, z["cosine_map"] == -100)
    np.testing.assert_allclose(out.cosine, z["cosine_map"], atol=1e-5, rtol=0)
    assert np.array_equal(out.which_before, z["which_before"])
    if name.startswith("d"):
        valid = z["which_before"] >= 0
        assert set(np.unique(z["which_before"][valid])) == {0, 1}  # the case really mixes both


def test_reconstruction(case):
    _name, z, _runner, out = case
    assert np.array_equal(out.reconstruction == np.float32(0.0001), z["reconstruction"] == np.float32(0.0001))
    np.testing.assert_allclose(out.reconstruction, z["reconstruction"], atol=1e-4, rtol=0)


def test_dense_latent_equals_reference_tokens(tiny_checkpoint):
    """Case b: every dense token (before masking) equals the reference's latent."""
    z = np.load(MODEL / "b_tiny_nf2_stride1.npz")
    cfg = ModelConfig(num_frames=2, patch_stride=1, **TINY)
    runner = PlanauraRunner.from_checkpoint(cfg, tiny_checkpoint, device=TEST_DEVICE)
    # a budget that forces many chunks must not change anything
    runner.memory_budget_mb = 0.05
    assert runner.offsets_per_chunk(2) < 256
    out = runner.infer(z["input"])
    ref = z["latent"].reshape(2, 2, 49, 49, 64)
    valid = out.valid[:, None, :, :, None]
    np.testing.assert_allclose(np.where(valid, out.features, 0), np.where(valid, ref, 0), atol=1e-4, rtol=0)


@pytest.mark.slow
def test_base_512_tile(base_checkpoint):
    """Case e: the official architecture (ViT-B, 512 px) on one bi-temporal tile."""
    z = np.load(MODEL / "e_base512_nf2_stride16.npz")
    runner = PlanauraRunner.from_checkpoint(ModelConfig(), base_checkpoint, device=TEST_DEVICE)
    assert runner.load_report.position_tables == "checkpoint" and not runner.load_report.skipped_keys
    out = runner.infer(golden_input(z), reconstruction=True)
    assert np.array_equal(out.cosine == -100, z["cosine_map"] == -100)
    np.testing.assert_allclose(out.cosine, z["cosine_map"], atol=1e-5, rtol=0)
    np.testing.assert_allclose(out.features, z["feature_maps"], atol=2e-4, rtol=0)
    assert np.array_equal(out.which_before, z["which_before"])
    np.testing.assert_allclose(out.reconstruction, z["reconstruction_f16"].astype(np.float32), atol=2e-3, rtol=0)
