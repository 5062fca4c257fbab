"""Names in log lines (issue 27 point 7): a CRS is named by its code or a one-line description,
never a whole WKT on one line."""
from __future__ import annotations

import pytest
from osgeo import osr

from planaura_plugin.pipeline.mosaic.persistence import short_crs_name


@pytest.mark.parametrize("code", [3979, 32615, 4326, 3857, 2154, 3413, 32760])
def test_a_crs_with_a_code_is_named_by_it_whatever_form_it_was_given_in(code):
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(code)
    for given in (srs.ExportToWkt(), srs.ExportToWkt(["FORMAT=WKT2_2018"]), srs.ExportToPrettyWkt()):
        parsed = osr.SpatialReference()
        parsed.ImportFromWkt(given)
        assert short_crs_name(parsed, given) == f"EPSG:{code}"
    assert short_crs_name(srs, f"EPSG:{code}") == f"EPSG:{code}"


def test_a_crs_without_a_code_is_one_short_line():
    srs = osr.SpatialReference()
    srs.ImportFromProj4("+proj=lcc +lat_1=49 +lat_2=77 +lat_0=49 +lon_0=-95 +datum=WGS84 +units=m")
    name = short_crs_name(srs, srs.ExportToWkt())
    assert "[" not in name and "\n" not in name and name.startswith("+proj=lcc")
    assert short_crs_name(None, "PROJCS[" + "x" * 300 + "]").endswith("…")
    assert len(short_crs_name(None, "PROJCS[" + "x" * 300 + "]")) <= 41
