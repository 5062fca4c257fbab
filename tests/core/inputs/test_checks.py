"""Value checks (planaura_plugin.inputs.checks) on rasters built from the real HLS scene, and the
S2-Senegal preset.

A scale check passes when its affine, applied to the file's raw values, gives back the real
scene's x 10000 values; it fails with a message that names the file and the problem.
"""
from __future__ import annotations

import shutil

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.inputs.bands_fixtures import DATA, REAL, crop_file, gdal, real_crop, vsimem, write_stack
from planaura_plugin.dates import date_from_name
from planaura_plugin.inputs.checks import (ERROR, WARNING, check_dates, check_dates_known, check_nodata, check_scale,
                                          model_units)
from planaura_plugin.inputs.sampling import fingerprint, sample_band
from planaura_plugin.presets import HLS, PRESETS, S2, S2_SENEGAL, custom_preset

# every test under GDAL exceptions off (QGIS 3.22) and on (gdal, ogr, osr; QGIS >= 3.40)
pytestmark = pytest.mark.usefixtures("gdal_exceptions")

SIX = (1, 2, 3, 4, 5, 6)
UNIT_MODEL = custom_preset([m / 10000 for m in HLS.mean], [s / 10000 for s in HLS.std], no_data=-9999,
                           name="unit-model")


def open_(path):
    return gdal().Open(path)


def apply(path, affine, bands=SIX):
    """The file's bands with ``raw * a + b`` applied: (6, H, W) float64."""
    ds = open_(path)
    return np.stack([ds.GetRasterBand(b).ReadAsArray().astype(np.float64) * a + o
                     for b, (a, o) in zip(bands, affine)])


def float_crop(factor=1e-4, nodata=np.nan):
    """The real crop times ``factor`` as float32, its -9999 pixels (none here) set to ``nodata``."""
    arr = real_crop().astype(np.float64) * factor
    arr[real_crop() == -9999] = nodata
    return arr.astype(np.float32)


def errors(findings):
    return [f for f in findings if f.level == ERROR]


# ------------------------------------------------------------------------------------------------
# scale
# ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("preset", [HLS, S2, S2_SENEGAL])
def test_real_scene_needs_nothing(preset):
    result = check_scale(open_(str(REAL)), SIX, preset, REAL.name)
    assert result.ok and result.identity and result.findings == () and result.notes == ()


def test_unit_floats_are_an_error_naming_the_file():
    path = write_stack(vsimem(), list(float_crop()), nodata=np.nan, dtype=gdal().GDT_Float32)
    result = check_scale(open_(path), SIX, HLS, "export_0_1.tif")
    assert not result.ok and result.affine == (None,) * 6
    msg = errors(result.findings)[0].message
    assert msg.startswith("export_0_1.tif: values from")
    assert "look like reflectance scaled to 0-1" in msg and "Planaura-1.0-HLS" in msg
    assert "multiply the bands by 10000" in msg


def test_unit_floats_with_a_warp_alpha_band_are_an_error():
    src = write_stack(vsimem(), list(float_crop()), nodata=None, dtype=gdal().GDT_Float32)
    path = vsimem("warped")
    gdal().Warp(path, src, dstSRS="EPSG:4326", dstAlpha=True)
    ds = open_(path)
    assert ds.RasterCount == 7 and ds.GetRasterBand(7).GetColorInterpretation() == gdal().GCI_AlphaBand
    result = check_scale(ds, SIX, S2, "warped.tif")
    assert "look like reflectance scaled to 0-1" in errors(result.findings)[0].message


def test_unit_floats_are_fine_for_a_model_trained_on_unit_reflectance():
    path = write_stack(vsimem(), list(float_crop()), nodata=np.nan, dtype=gdal().GDT_Float32)
    result = check_scale(open_(path), SIX, UNIT_MODEL, "x.tif")
    assert result.ok and result.identity


def test_dn_for_a_unit_model_is_an_error():
    result = check_scale(open_(str(REAL)), SIX, UNIT_MODEL, "dn.tif")
    assert "dn.tif" in errors(result.findings)[0].message
    assert "look like reflectance x 10000" in errors(result.findings)[0].message


def test_byte_image_is_an_error():
    path = vsimem("byte")
    gdal().Translate(path, crop_file(), outputType=gdal().GDT_Byte, scaleParams=[[0, 3000, 0, 255]])
    result = check_scale(open_(path), SIX, HLS, "truecolour.tif")
    msg = errors(result.findings)[0].message
    assert "truecolour.tif" in msg and "8-bit (0-255)" in msg and "not surface reflectance" in msg


def test_percent_reflectance_cannot_be_determined():
    path = write_stack(vsimem(), list(float_crop(1e-2)), nodata=np.nan, dtype=gdal().GDT_Float32)
    msg = errors(check_scale(open_(path), SIX, HLS, "percent.tif").findings)[0].message
    assert "percent.tif" in msg and "neither reflectance 0-1 nor reflectance x 10000" in msg


def test_declared_scale_0_0001_on_dn_means_fine():
    path = write_stack(vsimem(), list(real_crop()), scales=[1e-4] * 6)
    result = check_scale(open_(path), SIX, HLS, "hls_scaled.tif")
    assert result.ok and result.affine == ((1.0, 0.0),) * 6 and result.identity
    assert "scale 0.0001 offset 0 -> x 1 +0" in result.notes[0]


@pytest.mark.parametrize("scale, offset", [(1.0, -1000.0), (1e-4, -0.1)], ids=["S2 baseline 04.00", "1e-4, -0.1"])
def test_declared_offset_gives_the_affine(scale, offset):
    raw = real_crop().astype(np.int32) + 1000
    path = write_stack(vsimem(), list(raw), dtype=gdal().GDT_Int32, nodata=None, scales=[scale] * 6,
                       offsets=[offset] * 6)
    result = check_scale(open_(path), SIX, S2, "S2B_offset.tif")
    assert result.ok and result.affine == ((1.0, -1000.0),) * 6
    np.testing.assert_array_equal(apply(path, result.affine), real_crop())


def test_landsat_collection2_scale_and_offset():
    raw = np.rint((real_crop() / 10000.0 + 0.2) / 2.75e-5).astype(np.uint16)
    path = write_stack(vsimem(), list(raw), dtype=gdal().GDT_UInt16, nodata=0, scales=[2.75e-5] * 6,
                       offsets=[-0.2] * 6)
    result = check_scale(open_(path), SIX, HLS, "LC08_SR.tif")
    assert result.ok and result.affine == ((0.275, -2000.0),) * 6
    ok = real_crop() > -2000  # uint16 raw cannot hold the -32768 block
    np.testing.assert_allclose(apply(path, result.affine)[ok], real_crop()[ok], atol=0.14)


@pytest.mark.parametrize("dtype", ["UInt16", "Float32"])
@pytest.mark.parametrize("brightness", [0.5, 1.0, 2.0], ids=["dark", "plain", "bright"])
@pytest.mark.parametrize("nodata", [0, None])
def test_undeclared_landsat_dn_are_an_error_with_the_formula(brightness, nodata, dtype):
    """Landsat Collection 2 Level-2 DN that nothing declares: refused at any brightness (a dark scene ran
    unconverted with a warning, a bright one was refused as 'neither'), the fill 0 declared or not, as uint16
    or float DN."""
    rho = np.clip(real_crop(), 0, None) / 10000.0 * brightness
    raw = np.rint((rho + 0.2) / 2.75e-5).astype(np.uint16)
    raw[:, :5] = 0  # fill
    path = write_stack(vsimem(), list(raw), dtype=gdal().GetDataTypeByName(dtype), nodata=nodata)
    result = check_scale(open_(path), SIX, HLS, "LC08_raw.tif")
    assert not result.ok and result.affine == (None,) * 6
    msg = errors(result.findings)[0].message
    assert msg.startswith("LC08_raw.tif: even the darkest pixels")
    assert "reflectance = DN x 0.0000275 - 0.2" in msg and "gdal_edit.py -scale 0.0000275 -offset -0.2" in msg


def test_a_declared_conversion_is_followed_where_gdal_declares_none():
    from planaura_plugin.inputs.radiometry import Radiometry

    raw = np.rint((np.clip(real_crop(), 0, None) / 10000.0 + 0.2) / 2.75e-5).astype(np.uint16)
    path = write_stack(vsimem(), list(raw), dtype=gdal().GDT_UInt16, nodata=None)
    declared = Radiometry(((2.75e-5, -0.2),) * 6, "test", nodata=0.0)
    result = check_scale(open_(path), SIX, HLS, "stack.tif", declared=declared)
    assert result.ok and result.affine == ((0.275, -2000.0),) * 6 and not result.findings
    own = write_stack(vsimem(), list(real_crop()), scales=[1e-4] * 6)  # GDAL's own scale wins
    assert check_scale(open_(own), SIX, HLS, "own.tif", declared=declared).affine == ((1.0, 0.0),) * 6


@pytest.mark.parametrize("scale", [10.0, 1e-7])
def test_declared_scale_that_makes_no_sense_is_an_error(scale):
    path = write_stack(vsimem(), list(real_crop()), dtype=gdal().GDT_Int16, scales=[scale] * 6)
    result = check_scale(open_(path), SIX, HLS, "odd.tif")
    msg = errors(result.findings)[0].message
    assert "odd.tif" in msg and "after the bands' declared scale/offset" in msg and "cannot be determined" in msg
    assert result.affine == (None,) * 6


def test_all_nodata_sample_is_a_warning():
    path = write_stack(vsimem(), [np.full(real_crop().shape[1:], -9999, np.int16)] * 6)
    result = check_scale(open_(path), SIX, HLS, "empty.tif")
    assert result.ok and not result.findings and "no valid pixel" in result.notes[0]


def test_a_preset_of_unknown_units_is_not_checked():
    odd = custom_preset([20.0] * 6, [5.0] * 6, no_data=0, name="odd-model")
    result = check_scale(open_(str(REAL)), SIX, odd, "x.tif")
    assert result.identity and result.findings[0].level == WARNING and "not checked" in result.findings[0].message


def test_model_units_of_presets():
    assert [model_units(p) for p in (HLS, S2, S2_SENEGAL, UNIT_MODEL)] == [10000.0, 10000.0, 10000.0, 1.0]


# ------------------------------------------------------------------------------------------------
# sampling
# ------------------------------------------------------------------------------------------------
def test_sample_is_small_and_leaves_out_nodata_and_nan():
    arr = float_crop()
    arr[:, :80] = np.nan
    arr[:, 80:100] = -9999
    path = write_stack(vsimem(), list(arr), nodata=-9999, dtype=gdal().GDT_Float32)
    ds = open_(path)  # keep the dataset alive while its band is used
    values = sample_band(ds.GetRasterBand(1), max_pixels=1000)
    assert 0 < values.size <= 1100 and np.isfinite(values).all() and (values != -9999).all()


def test_sample_leaves_out_alpha_zero_pixels():
    arr = real_crop().copy()
    arr[:, :, :40] = 30000
    alpha = np.full(arr.shape[1:], 255, np.int16)
    alpha[:, :40] = 0
    ds = open_(write_stack(vsimem(), list(arr), alpha=alpha))
    values = sample_band(ds.GetRasterBand(1), alpha=ds.GetRasterBand(7))
    assert values.size > 1000 and (values != 30000).all()
    assert (sample_band(ds.GetRasterBand(1)) == 30000).any()  # GDAL's own mask ignores a 7th-band alpha


def test_sample_reads_an_overview_when_there_is_one(tmp_path):
    path = write_stack(str(tmp_path / "ovr.tif"), list(float_crop()), nodata=None, dtype=gdal().GDT_Float32)
    ds = gdal().Open(path, gdal().GA_Update)
    ds.BuildOverviews("NEAREST", [2])
    for b in SIX:  # the full-resolution data changes; the overview still holds 0-1 values
        ds.GetRasterBand(b).WriteArray(real_crop()[b - 1].astype(np.float32))
    ds = None
    ds = open_(path)
    assert sample_band(ds.GetRasterBand(1), max_pixels=4000).max() < 2
    assert sample_band(ds.GetRasterBand(1), max_pixels=10000).max() > 100  # no overview that large


# ------------------------------------------------------------------------------------------------
# nodata
# ------------------------------------------------------------------------------------------------
def test_nodata_matching_the_model_is_silent():
    assert check_nodata(open_(str(REAL)), SIX, HLS, REAL.name) == []
    assert check_nodata(open_(str(REAL)), SIX, S2_SENEGAL, REAL.name) == []


def test_nodata_other_than_the_model_is_reported():
    (finding,) = check_nodata(open_(str(REAL)), SIX, S2, REAL.name)
    assert finding.level == WARNING and finding.check == "nodata"
    assert REAL.name in finding.message and "declares nodata -9999" in finding.message
    assert "Planaura-1.0-S2 expects 0" in finding.message and "either value" in finding.message


def test_nan_nodata_and_undeclared_nodata():
    nan = write_stack(vsimem(), list(float_crop()), nodata=np.nan, dtype=gdal().GDT_Float32)
    assert "declares nodata nan" in check_nodata(open_(nan), SIX, HLS, "nan.tif")[0].message
    assert check_nodata(open_(write_stack(vsimem(), list(real_crop()), nodata=None)), SIX, HLS, "x") == []


def test_bands_declaring_different_nodata():
    path = vsimem("mixed").replace(".tif", ".vrt")  # a VRT keeps one nodata per band, a GeoTIFF one per file
    ds = gdal().Translate(path, crop_file(), format="VRT")
    for b in SIX:
        ds.GetRasterBand(b).SetNoDataValue(-9999 if b < 4 else 0)
    ds = None
    messages = [f.message for f in check_nodata(open_(path), SIX, HLS, "mixed.vrt")]
    assert any("mixed.vrt: the model bands declare different nodata values (-9999, 0)" in m for m in messages)
    assert any("declares nodata 0 where Planaura-1.0-HLS expects -9999" in m for m in messages)


# ------------------------------------------------------------------------------------------------
# dates
# ------------------------------------------------------------------------------------------------
A = "HLS.S30.T15SXR.2021250T163901.v2.0.tif"
B = "HLS.S30.T15SXR.2022245T163901.v2.0.tif"


def test_a_good_pair_has_no_finding():
    assert check_dates(2021250, 2022245, (A, B)) == []


def test_dates_in_the_wrong_order():
    (f,) = check_dates(2022245, 2021250, (B, A))
    assert f.level == WARNING and f.check == "dates"
    assert f"the after image {A} (2021-09-07) is older than the before image {B} (2022-09-02)" in f.message


def test_dates_outside_the_season_and_far_apart():
    found = check_dates(2021032, 2021250, ("winter.tif", A))  # 2021-02-01, 2021-09-07: 147 days round the year
    messages = [f.message for f in found]
    assert any("winter.tif was acquired on 2021-02-01 (February)" in m and "June to September" in m
               for m in messages)
    assert any("winter.tif (2021-02-01)" in m and f"{A} (2021-09-07)" in m and "147 days apart" in m
               for m in messages)
    assert not any(A in m and "was acquired" in m for m in messages)


def test_season_gap_counts_across_the_new_year():
    messages = [f.message for f in check_dates(2020355, 2021010, ("dec.tif", "jan.tif"))]
    assert not any("days apart" in m for m in messages)  # 20 days apart across the new year
    assert sum("was acquired" in m for m in messages) == 2


def test_gap_within_the_season_but_over_60_days():
    messages = [f.message for f in check_dates(2021152, 2022258, ("june.tif", "sept.tif"))]
    assert len(messages) == 1 and "106 days apart" in messages[0]


def test_same_file_twice():
    (f,) = check_dates(2021250, 2021250, (A, A))
    assert f"{A} and {A} are the same dataset" in f.message


def test_same_content_under_two_names(tmp_path):
    copy = tmp_path / "HLS.S30.T15SXR.2022250T163901.v2.0.tif"
    shutil.copy(REAL, copy)
    prints = (fingerprint(open_(str(REAL))), fingerprint(open_(str(copy))))
    found = check_dates(2021250, date_from_name(str(copy), HLS.date_regex), (A, copy.name), prints)
    assert any("two names for the same image" in f.message and copy.name in f.message for f in found)
    other = fingerprint(open_(str(DATA / B)))
    assert other != prints[0]
    assert check_dates(2021250, 2022245, (A, B), (prints[0], other)) == []


def test_unknown_dates_only_check_sameness():
    assert check_dates(None, 2022245, (A, B)) == []
    assert len(check_dates(None, None, (A, A))) == 1


# ------------------------------------------------------------------------------------------------
# properties
# ------------------------------------------------------------------------------------------------
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scale=st.floats(1e-5, 1e-3), offset=st.floats(-0.3, 0.3))
def test_any_declared_reflectance_scale_is_undone(scale, offset):
    raw = (real_crop() / 10000.0 - offset) / scale
    path = write_stack(vsimem("prop"), list(raw), dtype=gdal().GDT_Float64, nodata=None,
                       scales=[scale] * 6, offsets=[offset] * 6)
    result = check_scale(open_(path), SIX, HLS, "p.tif")
    assert result.ok, result.findings
    np.testing.assert_allclose(apply(path, result.affine), real_crop(), atol=1e-3 * 32768)
    gdal().Unlink(path)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scale=st.floats(0.5, 2.0), offset=st.floats(-2000, 2000))
def test_any_declared_dn_scale_is_undone(scale, offset):
    raw = (real_crop() - offset) / scale
    path = write_stack(vsimem("prop"), list(raw), dtype=gdal().GDT_Float64, nodata=None,
                       scales=[scale] * 6, offsets=[offset] * 6)
    result = check_scale(open_(path), SIX, HLS, "p.tif")
    assert result.ok, result.findings
    np.testing.assert_allclose(apply(path, result.affine), real_crop(), rtol=1e-9, atol=1e-6)
    gdal().Unlink(path)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(factor=st.floats(0.6e-4, 1.5e-4), order=st.permutations(range(6)))
def test_undeclared_unit_floats_are_always_an_error(factor, order):
    path = write_stack(vsimem("prop"), [float_crop(factor)[i] for i in order], nodata=np.nan,
                       dtype=gdal().GDT_Float32)
    result = check_scale(open_(path), SIX, HLS, "p.tif")
    assert not result.ok and "scaled to 0-1" in errors(result.findings)[0].message
    gdal().Unlink(path)


# ------------------------------------------------------------------------------------------------
# presets
# ------------------------------------------------------------------------------------------------
def test_senegal_preset():
    assert PRESETS["Planaura-1.0-S2-Senegal"] is S2_SENEGAL
    assert S2_SENEGAL.checkpoint_file == "Planaura-1.0-S2-Senegal.pth" and S2_SENEGAL.no_data == -9999
    assert S2_SENEGAL.mean == (836.1105, 1312.5455, 1840.4399, 3188.1226, 3874.2311, 3024.4216)
    assert S2_SENEGAL.std == (385.7821, 595.9305, 1020.3113, 918.3842, 1614.7953, 1595.0770)
    assert date_from_name("S2A_MSIL2A_20230915_T28PCB.tif", S2_SENEGAL.date_regex) == 2023258
    assert list(PRESETS) == ["Planaura-1.0-HLS", "Planaura-1.0-S2", "Planaura-1.0-S2-Senegal"]


def test_upstream_senegal_config_finds_the_preset():
    from planaura_plugin.upstream.model_yaml import spec_from_upstream

    config = {"change_map": {"date_regex": r"\_(\d{8})_"},
              "model_params": {"load_params": {"source": "huggingface", "model_name": "Planaura-1.0-S2-Senegal.pth"}}}
    spec = spec_from_upstream(config)
    assert spec.preset.checkpoint_file == "Planaura-1.0-S2-Senegal.pth" and spec.preset.mean == S2_SENEGAL.mean
    assert spec.preset.no_data == -9999


def test_each_undated_image_of_a_pair_is_named_with_why_its_name_gave_no_date():
    pattern = r"\.(\d{7})T"
    (f,) = check_dates_known(["before.tif", A], [None, 2021250], pattern)
    assert f.level == WARNING and f.check == "dates"
    assert f.message.startswith("before.tif: ") and "no date found in the file name" in f.message
    assert pattern in f.message and "DATE_REGEX" in f.message
    assert "parameter 'Date of the before image'" in f.message  # where a QGIS user gives the date
    (late,) = check_dates_known([A, "after.tif"], [2021250, None], pattern)
    assert "parameter 'Date of the after image'" in late.message
    (g,) = check_dates_known(["bad.2021400T.tif", A], [None, 2021250], pattern)  # matches, but day 400
    assert "'2021400' found in 'bad.2021400T.tif'" in g.message and "is not a date" in g.message
    assert [h.message.split(":")[0] for h in check_dates_known(["x.tif", "y.tif"], [None, None], pattern)] == \
        ["x.tif", "y.tif"]
    assert check_dates_known([A, B], [2021250, 2022245], pattern) == []
    assert check_dates_known(["single.tif"], [None], pattern) == []  # embeddings of one image: no pair to check
