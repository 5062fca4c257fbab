"""Weights verified (issue 27): official checkpoints taken at their pinned Hugging Face revision and
refused when their size or SHA-256 differ; every file hashed once (cached by path, size, time)."""
from __future__ import annotations

import hashlib
import os
import re
import shutil

import pytest

from planaura_plugin.errors import CheckpointError, WeightsUnavailableError
from planaura_plugin.model import weights_check, weights_pins
from planaura_plugin.model.checkpoint import hf_checkpoint_path
from planaura_plugin.model.config import ModelConfig
from planaura_plugin.model.loading import ModelSpec
from planaura_plugin.presets import HLS
from support import TINY

REPO = "NRCan/Planaura-1.0"
FILE = "Planaura-1.0-HLS.pth"
PINNED = "fedcba9876543210fedcba9876543210fedcba98"
OTHER = "0123456789abcdef0123456789abcdef01234567"


def sha(path) -> str:
    return hashlib.sha256(open(path, "rb").read()).hexdigest()


def hub_cache(root, files_by_revision, main):
    """A Hugging Face hub cache of REPO with ``{revision: {filename: bytes}}``; refs/main -> ``main``."""
    repo = root / "models--NRCan--Planaura-1.0"
    (repo / "refs").mkdir(parents=True)
    (repo / "refs" / "main").write_text(main)
    for revision, files in files_by_revision.items():
        for name, data in files.items():
            blob = repo / "blobs" / hashlib.sha256(data).hexdigest()
            blob.parent.mkdir(exist_ok=True)
            blob.write_bytes(data)
            snap = repo / "snapshots" / revision
            snap.mkdir(parents=True, exist_ok=True)
            (snap / name).symlink_to(blob)
    return root


@pytest.fixture
def pinned(tiny_checkpoint, tmp_path, monkeypatch):
    """The tiny random checkpoint stands in for the official file, with its own pin."""
    monkeypatch.setitem(weights_pins.PINS, (REPO, FILE), weights_pins.WeightsPin(
        PINNED, sha(tiny_checkpoint), tiny_checkpoint.stat().st_size))
    monkeypatch.setenv("PLANAURA_HASH_CACHE", str(tmp_path / "sha256.json"))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setattr(weights_check, "_MEMORY", {})
    return tiny_checkpoint.read_bytes()


def test_the_real_pin_table_is_well_formed():
    assert weights_pins.PINS, "at least the HLS checkpoint is pinned"
    for (repo, name), pin in weights_pins.PINS.items():
        assert repo == REPO and name.endswith(".pth")
        assert re.fullmatch(r"[0-9a-f]{40}", pin.revision) and re.fullmatch(r"[0-9a-f]{64}", pin.sha256)
        assert pin.size > 0


def test_pinned_file_at_its_revision_is_accepted(pinned, tmp_path, tiny_checkpoint):
    # main has moved on to another file; the pinned revision is what is used
    cache = hub_cache(tmp_path / "hub", {PINNED: {FILE: pinned}, OTHER: {FILE: b"a later upload"}}, OTHER)
    path = hf_checkpoint_path("Planaura-1.0-HLS", cache_dir=str(cache))
    assert PINNED in str(path) and sha(path) == sha(tiny_checkpoint)
    spec = ModelSpec(preset=HLS, config=ModelConfig(**TINY), hf_cache_dir=str(cache), device="cpu")
    ident = spec.weights_identity()
    assert (ident.sha256, ident.size, ident.pinned, ident.revision) == (sha(tiny_checkpoint), len(pinned), True, PINNED)


def test_file_only_at_another_revision_is_not_taken(pinned, tmp_path):
    cache = hub_cache(tmp_path / "hub", {OTHER: {FILE: pinned}}, OTHER)
    with pytest.raises(WeightsUnavailableError, match=FILE):
        hf_checkpoint_path(FILE, cache_dir=str(cache))


@pytest.mark.parametrize("damage", ["flipped byte", "truncated", "substituted"])
def test_corrupted_or_substituted_file_is_refused_with_what_to_do(pinned, tmp_path, damage):
    data = bytearray(pinned)
    if damage == "flipped byte":
        data[len(data) // 2] ^= 0xFF
    elif damage == "truncated":
        data = data[:-1000]
    else:  # another checkpoint of the same size
        data = bytearray(os.urandom(len(data)))
    cache = hub_cache(tmp_path / "hub", {PINNED: {FILE: bytes(data)}}, PINNED)
    spec = ModelSpec(preset=HLS, config=ModelConfig(**TINY), hf_cache_dir=str(cache), device="cpu")
    with pytest.raises(CheckpointError) as err:
        spec.checkpoint_path()
    msg = str(err.value)
    assert FILE in msg and str(cache) in msg and "download it again" in msg and "local checkpoint" in msg
    if damage == "truncated":
        assert f"has {len(data)} bytes where the official file has {len(pinned)}" in msg
    else:
        assert hashlib.sha256(bytes(data)).hexdigest() in msg and hashlib.sha256(pinned).hexdigest() in msg
        assert PINNED in msg


def test_local_file_is_hashed_once_and_again_when_it_changes(tmp_path, tiny_checkpoint, monkeypatch):
    monkeypatch.setenv("PLANAURA_HASH_CACHE", str(tmp_path / "sha256.json"))
    monkeypatch.setattr(weights_check, "_MEMORY", {})
    local = tmp_path / "mine.pth"
    shutil.copy(tiny_checkpoint, local)
    reads = []
    real_open = open

    def counting_open(file, *args, **kwargs):
        if str(file) == str(local):
            reads.append(file)
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr("builtins.open", counting_open)
    spec = ModelSpec(preset=HLS, config=ModelConfig(**TINY), checkpoint=str(local), device="cpu")
    first = spec.weights_identity()
    assert (first.sha256, first.pinned, first.revision) == (sha(tiny_checkpoint), False, None) and len(reads) == 1
    reads.clear()
    monkeypatch.setattr(weights_check, "_MEMORY", {})  # a new session: the JSON cache answers
    assert spec.weights_identity() == first and not reads
    with real_open(local, "ab") as handle:  # changed: size and time differ, hashed again
        handle.write(b"x")
    assert spec.weights_identity().sha256 == sha(local) != first.sha256 and reads


def test_the_hash_cache_forgets_vanished_files(tmp_path, monkeypatch):
    monkeypatch.setenv("PLANAURA_HASH_CACHE", str(tmp_path / "sha256.json"))
    monkeypatch.setattr(weights_check, "_MEMORY", {})
    monkeypatch.setattr(weights_check, "PRUNE_AT", 3)
    files = []
    for i in range(5):
        f = tmp_path / f"f{i}.bin"
        f.write_bytes(bytes([i]) * 10)
        files.append(f)
    for f in files[:3]:
        weights_check.file_sha256(f)
    files[0].unlink()
    weights_check.file_sha256(files[3])  # 3 entries: the vanished one is dropped
    import json
    kept = json.loads((tmp_path / "sha256.json").read_text())
    assert sorted(k.split("|")[0].rsplit("/", 1)[1] for k in kept) == ["f1.bin", "f2.bin", "f3.bin"]
    assert kept[next(k for k in kept if "f3.bin" in k)] == sha(files[3])
