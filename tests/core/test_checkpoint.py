"""Checkpoint loading: file formats, key handling, architecture checks, Hugging Face cache."""
from __future__ import annotations

import shutil

import pytest
import torch

from planaura_plugin.errors import CheckpointError, WeightsUnavailableError
from planaura_plugin.model.checkpoint import hf_checkpoint_path, load_network, read_state_dict
from planaura_plugin.model.config import ModelConfig
from planaura_plugin.model.loading import ModelSpec, get_runner, release_models
from planaura_plugin.upstream.model_yaml import spec_from_upstream
from planaura_plugin.presets import HLS, S2
from support import CACHE, TINY, make_checkpoint


def outputs_of(net, x):
    with torch.inference_mode():
        return net.encode_fast(x)


@pytest.fixture(scope="module")
def x():
    return torch.randn(1, 6, 2, 64, 64, generator=torch.Generator().manual_seed(1))


def test_wrapped_and_prefixed_checkpoints_load_identically(tiny_checkpoint, tmp_path, tiny_config, x):
    wrapped = make_checkpoint(tmp_path / "wrapped.pth", extra=("--wrap",))
    sd = torch.load(tiny_checkpoint, weights_only=True)
    torch.save({"module." + k: v for k, v in sd.items()}, tmp_path / "prefixed.pth")
    ref, _ = load_network(tiny_config, tiny_checkpoint)
    for path in (wrapped, tmp_path / "prefixed.pth"):
        net, report = load_network(tiny_config, path)
        assert not report.skipped_keys and report.position_tables == "checkpoint"
        assert torch.equal(outputs_of(net, x), outputs_of(ref, x))


def test_other_seed_gives_other_weights(tiny_checkpoint, tmp_path, tiny_config, x):
    other = make_checkpoint(tmp_path / "seed1.pth", seed=1)
    a, _ = load_network(tiny_config, tiny_checkpoint)
    b, _ = load_network(tiny_config, other)
    assert not torch.allclose(outputs_of(a, x), outputs_of(b, x))


def test_architecture_mismatch_lists_keys(tiny_checkpoint):
    with pytest.raises(CheckpointError) as err:
        load_network(ModelConfig(), tiny_checkpoint)  # official ViT-B config, tiny file
    msg = str(err.value)
    assert "embed_dim=64" in msg and "depth=2" in msg  # what the file looks like
    assert "missing keys" in msg and "backbone.decoder_blocks.1." in msg  # depth 8 vs 1
    assert "47 keys with other shapes" in msg and "decoder_blocks.0.attn.qkv.weight (96, 32) != (1536, 512)" in msg


def test_not_a_checkpoint(tmp_path, tiny_config):
    bad = tmp_path / "weights.pth"
    bad.write_bytes(b"this is not a checkpoint at all")
    with pytest.raises(CheckpointError, match="weights.pth is not a readable PyTorch checkpoint"):
        load_network(tiny_config, bad)
    with pytest.raises(CheckpointError, match="not found"):
        load_network(tiny_config, tmp_path / "absent.pth")
    torch.save({"epoch": 3, "note": "no tensors"}, tmp_path / "meta.pth")
    with pytest.raises(CheckpointError, match="no state dict"):
        load_network(tiny_config, tmp_path / "meta.pth")


def test_pickled_code_is_refused(tmp_path, tiny_config):
    """weights_only=True: a checkpoint that would run code on load is rejected."""
    class Evil:
        def __reduce__(self):
            return (print, ("code ran",))

    torch.save({"backbone.encoder.cls_token": Evil()}, tmp_path / "evil.pth")
    with pytest.raises(CheckpointError, match="not a readable PyTorch checkpoint"):
        load_network(tiny_config, tmp_path / "evil.pth")


def test_channel_mismatch_skips_projection(tiny_checkpoint, x):
    cfg = ModelConfig(**{**TINY, "bands": ("B02", "B03", "B04", "B8A")})
    net, report = load_network(cfg, tiny_checkpoint)
    assert set(report.skipped_keys) == {"backbone.encoder.patch_embed.proj.weight", "backbone.decoder_pred.weight",
                                        "backbone.decoder_pred.bias"}
    assert any("NOT loaded" in w for w in report.warnings)
    ref, _ = load_network(ModelConfig(**TINY), tiny_checkpoint)
    assert torch.equal(net.backbone.encoder.blocks[0].attn.qkv.weight, ref.backbone.encoder.blocks[0].attn.qkv.weight)


def test_three_frames_with_two_frame_checkpoint_uses_sincos(tiny_checkpoint):
    """The reference fails here (golden case d); we rebuild the tables instead."""
    net, report = load_network(ModelConfig(**TINY, num_frames=3, keep_pos_embedding=True), tiny_checkpoint)
    assert report.position_tables.startswith("sin-cos") and report.warnings
    assert net.backbone.encoder.pos_embed.shape == (1, 1 + 3 * 16, 64)


def hub_cache(root, filename, source):
    """A Hugging Face hub cache holding NRCan/Planaura-1.0/<filename>, laid out as the hub does."""
    repo = root / "models--NRCan--Planaura-1.0"
    commit = "0123456789abcdef0123456789abcdef01234567"
    (repo / "refs").mkdir(parents=True)
    (repo / "refs" / "main").write_text(commit)
    blob = repo / "blobs" / "5f2c"
    blob.parent.mkdir()
    shutil.copy(source, blob)
    snap = repo / "snapshots" / commit
    snap.mkdir(parents=True)
    (snap / filename).symlink_to(blob)
    return root


def test_offline_hugging_face_cache(tmp_path, tiny_checkpoint, monkeypatch):
    import hashlib

    from planaura_plugin.model import weights_pins

    cache = hub_cache(tmp_path / "hub", "Planaura-1.0-HLS.pth", tiny_checkpoint)
    # the official file is pinned: this random stand-in gets its own pin (revision of the fixture)
    monkeypatch.setitem(weights_pins.PINS, ("NRCan/Planaura-1.0", "Planaura-1.0-HLS.pth"), weights_pins.WeightsPin(
        "0123456789abcdef0123456789abcdef01234567", hashlib.sha256(tiny_checkpoint.read_bytes()).hexdigest(),
        tiny_checkpoint.stat().st_size))
    monkeypatch.setenv("PLANAURA_HASH_CACHE", str(tmp_path / "sha256.json"))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    path = hf_checkpoint_path("Planaura-1.0-HLS", cache_dir=str(cache))
    assert path.name == "Planaura-1.0-HLS.pth" and read_state_dict(path)
    # through a ModelSpec, as the pipeline and the plugin use it
    spec = ModelSpec(preset=HLS, config=ModelConfig(**TINY), hf_cache_dir=str(cache), device="cpu")
    assert spec.checkpoint_path().resolve() == (cache / "models--NRCan--Planaura-1.0" / "blobs" / "5f2c").resolve()


def test_offline_cache_through_hf_home(tmp_path, tiny_checkpoint, monkeypatch):
    """HF_HOME (read when the hub is first imported) locates the cache: checked in a fresh process."""
    import subprocess
    import sys

    hub_cache(tmp_path / "home" / "hub", "Planaura-1.0-S2.pth", tiny_checkpoint)
    code = ("from planaura_plugin.model.loading import ModelSpec; from planaura_plugin.presets import S2; "
            "print(ModelSpec(preset=S2).checkpoint_path().name)")
    env = {**__import__("os").environ, "HF_HOME": str(tmp_path / "home"), "HF_HUB_OFFLINE": "1"}
    env.pop("HF_HUB_CACHE", None)
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                         cwd=str(CACHE.parents[1]))
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "Planaura-1.0-S2.pth"


def test_missing_weights_offline_is_one_clear_error(tmp_path, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    (tmp_path / "empty").mkdir()
    with pytest.raises(WeightsUnavailableError) as err:
        ModelSpec(preset=S2, hf_cache_dir=str(tmp_path / "empty")).checkpoint_path()
    msg = str(err.value)
    assert "Planaura-1.0-S2.pth" in msg and "NRCan/Planaura-1.0" in msg and "offline" in msg
    assert "https://huggingface.co/NRCan/Planaura-1.0" in msg


def test_runner_cache_reuses_and_releases(tiny_checkpoint):
    spec = ModelSpec(config=ModelConfig(**TINY), checkpoint=str(tiny_checkpoint), device="cpu")
    a = get_runner(spec)
    assert get_runner(spec) is a
    assert get_runner(spec.for_run(2, 1)) is not a  # another stride is another network
    assert release_models() >= 2
    assert get_runner(spec) is not a


def test_config_from_upstream_yaml():
    mp = {"img_size": 64, "depth": 2, "embed_dim": 64, "num_heads": 4, "decoder_embed_dim": 32,
          "decoder_depth": 1, "decoder_num_heads": 4, "patch_size": 16, "patch_stride": 1, "tubelet_size": 1,
          "keep_pos_embedding": False, "bands": ["B02", "B03", "B04", "B8A", "B11", "B12"],
          "no_data": -9999, "data_mean": list(HLS.mean), "data_std": list(HLS.std), "mask_ratio": 0.75,
          "load_params": {"source": "local", "checkpoint_path": "w.pth"}}
    cfg = ModelConfig.from_upstream(mp, num_frames=1)
    assert cfg.embed_dim == 64 and cfg.num_frames == 1 and cfg.dense and not cfg.keep_pos_embedding
    with pytest.raises(ValueError, match="unknown model_params keys: embed_dims"):
        ModelConfig.from_upstream({**mp, "embed_dims": 3})
    with pytest.raises(ValueError, match="patch_stride must be 1 or patch_size"):
        ModelConfig.from_upstream({**mp, "patch_stride": 4})
    spec = spec_from_upstream({"num_frames": 1, "model_params": mp, "change_map": {"date_regex": "_(\\d{8})_"}})
    assert spec.checkpoint == "w.pth" and spec.preset.date_regex == "_(\\d{8})_"
    assert spec.preset.mean == HLS.mean and spec.device == "cpu"
