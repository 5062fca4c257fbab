"""An area of interest far from the image (issue 27 point 8): refused before any work, with how far it
is, never ignored (QGIS gives no rectangle for an extent it cannot transform: the whole image used to run)."""
from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.qgis


@pytest.mark.parametrize("algorithm", ["changemap", "embeddings"])
def test_an_extent_that_cannot_be_placed_in_the_image_crs_is_refused(tmp_path, run_alg, pair_a, tiny_model,
                                                                     algorithm, list_files):
    from qgis.core import QgsProcessingException

    params = {"BEFORE": pair_a["before"], "AFTER": pair_a["after"]} if algorithm == "changemap" else \
        {"INPUT": pair_a["before"], "EMBEDDINGS": "0-3"}
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(QgsProcessingException, match="cannot be placed in the image's CRS"):
        run_alg(f"planaura:{algorithm}", {**params, **tiny_model, "EXTENT": "1e9,2e9,1e9,2e9 [EPSG:3857]",
                                          "OUTPUT": str(out / "o.tif")})
    assert list_files(out) == []


@pytest.mark.parametrize("extent, km", [
    ("600000,601000,3000000,3001000 [EPSG:32615]", 588.32), ("620000,630000,3589320,3593160 [EPSG:32615]", 8.48)])
def test_a_far_extent_is_refused_with_its_distance(tmp_path, run_alg, pair_a, tiny_model, extent, km):
    """The image covers x 607680-611520, y 3589320-3593160 (UTM 15N): the gap is measured between rectangles."""
    from qgis.core import QgsProcessingException

    with pytest.raises(QgsProcessingException) as info:
        run_alg("planaura:changemap", {"BEFORE": pair_a["before"], "AFTER": pair_a["after"], **tiny_model,
                                       "EXTENT": extent, "OUTPUT": str(tmp_path / "c.tif")})
    found = re.search(r"the area of interest is ([\d.]+) km from the image", str(info.value))
    assert found, str(info.value)
    assert float(found.group(1)) == pytest.approx(km, rel=1e-3)


def test_gap_between_bounds_over_random_rectangles():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from planaura_qgis.planaura_plugin.raster.bounds_gap import bounds_gap

    coord = st.floats(-1e6, 1e6, allow_nan=False)

    @settings(max_examples=300, deadline=None)
    @given(coord, coord, st.floats(0, 1e5), st.floats(0, 1e5), coord, coord, st.floats(0, 1e5), st.floats(0, 1e5))
    def check(ax, ay, aw, ah, bx, by, bw, bh):
        a, b = (ax, ay, ax + aw, ay + ah), (bx, by, bx + bw, by + bh)
        gap = bounds_gap(a, b)
        assert gap == pytest.approx(bounds_gap(b, a))
        # brute force: the closest pair of points of the two rectangles
        dx = max(0.0, bx - (ax + aw), ax - (bx + bw))
        dy = max(0.0, by - (ay + ah), ay - (by + bh))
        assert gap == pytest.approx((dx * dx + dy * dy) ** 0.5, abs=1e-6)
        overlap = ax <= bx + bw and bx <= ax + aw and ay <= by + bh and by <= ay + ah
        assert (gap == 0) == overlap

    check()
