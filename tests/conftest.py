"""Fixtures shared by every test: where the shared data is, test checkpoints, GDAL's exceptions state."""
from __future__ import annotations

from pathlib import Path

import pytest

import gdal_states
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


@pytest.fixture(params=["exceptions-off", "exceptions-on"])
def gdal_exceptions(request):
    """The test twice: GDAL's exceptions off (gdal, ogr, osr), as QGIS 3.22 leaves them, then on, as
    QGIS >= 3.40 does once Processing is loaded; the state before is restored, and the test must
    not change the state (:mod:`gdal_states`). Value: the (gdal, ogr, osr) state set."""
    with gdal_states.exceptions(request.param == "exceptions-on") as state:
        yield state
