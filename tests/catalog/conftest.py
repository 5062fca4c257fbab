"""The loopback STAC API and file server of the catalogue tests (``scripts/test_servers.sh``).

Skipped, with the reason, only when their software is not installed and ``PLANAURA_REQUIRE_SERVERS``
is not set; CI sets it, so a missing install fails there.
"""
from __future__ import annotations

import pytest

import catalog_servers
from catalog_runs import tiny_spec


@pytest.fixture(scope="session")
def stac_servers():
    """Start (idempotently) the servers with the test catalogue loaded; yields the module (URLs, token)."""
    return catalog_servers.started_or_skip()


@pytest.fixture(scope="session")
def spec(tiny_checkpoint):
    """The tiny random model on the CPU."""
    return tiny_spec(tiny_checkpoint)
