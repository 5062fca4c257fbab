"""The loopback STAC API and file server of the catalogue tests (``scripts/test_servers.sh``).

Skipped, with the reason, only when their software is not installed and ``PLANAURA_REQUIRE_SERVERS``
is not set; CI sets it, so a missing install fails there.
"""
from __future__ import annotations

import pytest

import catalog_servers


@pytest.fixture(scope="session")
def stac_servers():
    """Start (idempotently) the servers with the test catalogue loaded; yields the module (URLs, token)."""
    return catalog_servers.started_or_skip()
