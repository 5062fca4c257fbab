"""Issue 27 point 7: a run on images given as paths logs no OGR 'Cannot open' warning per image
(QGIS once tried each raster path as a vector first)."""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.qgis


def test_no_ogr_cannot_open_for_raster_inputs(tmp_path, run_alg, pair_a, tiny_model):
    from qgis.core import QgsApplication

    messages = []

    def record(message, tag, _level):
        messages.append((tag, message))

    log = QgsApplication.messageLog()
    log.messageReceived.connect(record)
    try:
        run_alg("planaura:changemap", {"BEFORE": pair_a["before"], "AFTER": pair_a["after"], **tiny_model,
                                       "OUTPUT": str(tmp_path / "c.tif")})
        QgsApplication.processEvents()
    finally:
        log.messageReceived.disconnect(record)
    assert any(tag == "Processing" for tag, _m in messages)  # the log was listened to
    assert not [m for tag, m in messages if tag == "OGR" and "Cannot open" in m], messages
