"""Fixtures shared by every test: where the shared data is, and test checkpoints."""
from __future__ import annotations

from pathlib import Path

import pytest

from support import CACHE, SHARED, TINY, make_checkpoint


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.fail(f"shared data not found at {SHARED}; set PLANAURA_SHARED")
    return SHARED


@pytest.fixture(scope="session")
def tiny_checkpoint(shared_dir) -> Path:
    return make_checkpoint(CACHE / "tiny_s0.pth")


@pytest.fixture(scope="session")
def tiny_nf3_checkpoint(shared_dir) -> Path:
    return make_checkpoint(CACHE / "tiny_s0_nf3.pth", extra=("--set", "num_frames=3"))


@pytest.fixture(scope="session")
def base_checkpoint(shared_dir) -> Path:
    return make_checkpoint(CACHE / "base_s0.pth", preset="base")


@pytest.fixture(scope="session")
def tiny_config():
    from planaura_plugin.model.config import ModelConfig

    return ModelConfig(**TINY)
