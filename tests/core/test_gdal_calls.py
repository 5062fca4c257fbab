"""planaura_plugin.gdal_calls: one result whatever GDAL's exceptions state (QGIS 3.22: off; QGIS >= 3.40:
gdal, ogr and osr on), the state never changed; and the tests' own switch of that state (tests/gdal_states.py)."""
from __future__ import annotations

import random

import numpy as np
import pytest

import gdal_states
from planaura_plugin import gdal_calls
from support import REPO

HLS_SAMPLE = REPO / "sample_data" / "HLS.S30.T15SXR.2021250T163901.v2.0.tif"


def hls_wkt() -> str:
    """The sample's CRS: HLS's own UTM zone 15 WKT, with no authority code at its root."""
    from osgeo import gdal

    return gdal.Open(str(HLS_SAMPLE)).GetProjection()


def test_a_failed_call_is_none_and_names_the_file(tmp_path, gdal_exceptions):
    from osgeo import gdal

    result, message = gdal_calls.gdal_call(gdal.Open, str(tmp_path / "nothing.tif"))
    assert result is None and "nothing.tif" in message
    result, message = gdal_calls.gdal_call(gdal.Open, str(HLS_SAMPLE))
    assert result is not None and result.RasterCount == 6 and message == ""


def test_an_error_code_or_an_exception_is_a_failure(gdal_exceptions):
    from osgeo import osr

    srs = osr.SpatialReference()
    assert gdal_calls.gdal_status(srs.ImportFromWkt, "PROJCS[nonsense") != ""
    assert gdal_calls.gdal_status(srs.ImportFromWkt, hls_wkt()) == ""
    assert srs.GetName() == "UTM Zone 15, Northern Hemisphere"


def test_hls_crs_has_no_epsg_code_in_either_state(gdal_exceptions):
    """AutoIdentifyEPSG returns 7 with exceptions off and raises 'Unsupported SRS' with them on."""
    srs, reason = gdal_calls.spatial_reference(hls_wkt())
    assert srs is not None and reason == ""
    assert gdal_calls.epsg_code(srs) is None
    assert "AUTHORITY" not in srs.ExportToWkt().rsplit("]]", 1)[-1]  # still its own definition
    assert srs.GetName() == "UTM Zone 15, Northern Hemisphere"


@pytest.mark.parametrize("seed", range(3))
def test_epsg_codes_are_found_without_their_authority_nodes(seed, gdal_exceptions):
    """WKT of EPSG CRSs without their own AUTHORITY node (their datum keeps its code): OSR identifies
    them again (UTM north and south of WGS 84, geographic WGS 84); Canada Atlas Lambert by name."""
    from osgeo import osr

    rng = random.Random(seed)
    codes = [32600 + rng.randint(1, 60), 32700 + rng.randint(1, 60), 4326]
    for code in codes:
        source = osr.SpatialReference()
        source.ImportFromEPSG(code)
        wkt = source.ExportToWkt()
        root = f',AUTHORITY["EPSG","{code}"]]'
        assert wkt.endswith(root)
        bare = wkt[:-len(root)] + "]"
        srs, _reason = gdal_calls.spatial_reference(bare)
        assert gdal_calls.epsg_code(srs) == code, (code, bare)
    srs, _reason = gdal_calls.spatial_reference("EPSG:3979", user_input=True)
    assert gdal_calls.epsg_code(srs) == 3979


def test_spatial_reference_refusals_and_axis_order(gdal_exceptions):
    from osgeo import osr

    for text, user_input in (("", False), ("PROJCS[nonsense", False), ("EPSG:999999", True), ("not a CRS", True)):
        srs, reason = gdal_calls.spatial_reference(text, user_input=user_input)
        assert srs is None and reason, text
    srs, _reason = gdal_calls.spatial_reference("EPSG:4326", user_input=True)
    assert srs.GetAxisMappingStrategy() == osr.OAMS_TRADITIONAL_GIS_ORDER  # longitude, latitude
    srs, _reason = gdal_calls.spatial_reference("EPSG:4326", user_input=True, gis_order=False)
    assert srs.GetAxisMappingStrategy() == osr.OAMS_AUTHORITY_COMPLIANT


def test_a_transformation_that_cannot_be_made_is_none(gdal_exceptions):
    """With exceptions off osr.CoordinateTransformation gives a proxy of nothing, not None."""
    from osgeo import osr

    wgs84, _reason = gdal_calls.spatial_reference("EPSG:4326", user_input=True)
    ct, message = gdal_calls.gdal_call(osr.CoordinateTransformation, wgs84, osr.SpatialReference())
    assert ct is None and message
    ct, message = gdal_calls.gdal_call(osr.CoordinateTransformation, wgs84, gdal_calls.spatial_reference(
        "EPSG:32615", user_input=True)[0])
    assert ct is not None and message == ""
    x, y, _z = ct.TransformPoint(-93.0, 0.0)
    assert abs(x - 500000.0) < 1e-6 and abs(y) < 1e-6


def test_band_min_max_of_an_all_nodata_band_is_none(gdal_exceptions):
    from osgeo import gdal

    ds = gdal.GetDriverByName("MEM").Create("", 5, 4, 1, gdal.GDT_Float32)
    band = ds.GetRasterBand(1)
    band.SetNoDataValue(-9999)
    band.Fill(-9999)
    assert gdal_calls.band_min_max(band) is None
    band.WriteArray(np.array([[-9999, 0.25, -0.5, -9999, 1.0]] * 4, np.float32))
    assert gdal_calls.band_min_max(band) == (-0.5, 1.0)


def test_messages_reach_every_enclosing_block(tmp_path, gdal_exceptions):
    from osgeo import gdal

    with gdal_calls.gdal_messages() as outer:
        result, message = gdal_calls.gdal_call(gdal.Open, str(tmp_path / "absent.tif"))
    assert result is None
    assert [m for c, m in outer if c >= gdal.CE_Failure] == [message]


def test_nothing_is_printed(tmp_path, capfd, gdal_exceptions):
    """GDAL's default handler would print 'ERROR 4: ...' to stderr: each call has its own quiet handler."""
    from osgeo import gdal

    for _ in range(3):
        gdal_calls.gdal_call(gdal.Open, str(tmp_path / "absent.tif"))
        gdal_calls.gdal_status(gdal_calls.spatial_reference(hls_wkt())[0].AutoIdentifyEPSG)
    assert "ERROR" not in capfd.readouterr().err


def test_the_handler_is_popped_again(tmp_path, capfd):
    """After the calls GDAL's default handler prints again (exceptions off): nothing was left pushed."""
    from osgeo import gdal

    with gdal_states.exceptions(False):
        gdal_calls.gdal_call(gdal.Open, str(tmp_path / "absent.tif"))
        with gdal_calls.gdal_messages():
            gdal_calls.gdal_call(gdal.Open, str(tmp_path / "absent.tif"))
        capfd.readouterr()
        assert gdal.Open(str(tmp_path / "absent.tif")) is None
    assert "absent.tif" in capfd.readouterr().err


def _all_off() -> None:
    from osgeo import gdal, ogr, osr

    for module in (osr, ogr, gdal):
        module.DontUseExceptions()


def test_states_switch_off_after_processing_stacked_its_handlers():
    """QGIS >= 3.40's Processing turns on gdal, ogr, osr in that order; GDAL 3.6 then refuses
    gdal.DontUseExceptions() first. The switch finds the order, and puts the stack back."""
    from osgeo import gdal, ogr, osr

    before = gdal_states.states()
    with gdal_states.exceptions(False):
        try:
            for module in (gdal, ogr, osr):  # what importing QGIS's Processing does
                module.UseExceptions()
            assert gdal_states.states() == (1, 1, 1)
            with gdal_states.exceptions(False) as state:
                assert state == (0, 0, 0) == gdal_states.states()
            assert gdal_states.states() == (1, 1, 1)
            with gdal_states.exceptions(True) as state:
                assert state == (1, 1, 1)
            assert gdal_states.states() == (1, 1, 1)
        finally:
            _all_off()  # the stack top first, so that the outer block can restore the state it found
    assert gdal_states.states() == before


def test_states_report_a_test_that_changes_the_state():
    from osgeo import gdal

    with gdal_states.exceptions(False):
        try:
            with pytest.raises(AssertionError, match="changed during the test"):
                with gdal_states.exceptions(False):
                    gdal.UseExceptions()  # what plugin code must never do
        finally:
            if gdal.GetUseExceptions():
                gdal.DontUseExceptions()
