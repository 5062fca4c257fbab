"""Band mapping (planaura_plugin.inputs.bands) on rasters built from the real HLS scene.

Every mapping is checked by reading the mapped bands back: they must equal the real scene's
six bands exactly, in model order.
"""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.inputs.bands_fixtures import (MODEL, REAL, S2_10, S2_13, band_for, crop_file, gdal, read_bands,
                                        real_crop, s2_stack, vsimem, write_stack)
from planaura_plugin.errors import InputError
from planaura_plugin.inputs.bands import (AMBIGUOUS, BROAD_NIR, CONTEXT_OLI, CONTEXT_S2, CONTEXT_TM, EXACT,
                                          GENERIC_NIR, OTHER, band_role, model_bands, sensor_context)

# every test under GDAL exceptions off (QGIS 3.22) and on (gdal, ogr, osr; QGIS >= 3.40)
pytestmark = pytest.mark.usefixtures("gdal_exceptions")


def assert_recovers(path: str, bands) -> None:
    np.testing.assert_array_equal(read_bands(path, bands), real_crop())


# ------------------------------------------------------------------------------------------------
# names
# ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name, role", [
    ("B02", ("B02", EXACT)), ("b2", ("B02", EXACT)), ("Blue", ("B02", EXACT)), ("SR_B2", ("B02", EXACT)),
    ("B03", ("B03", EXACT)), ("GREEN", ("B03", EXACT)), ("red", ("B04", EXACT)), ("B4", ("B04", EXACT)),
    ("B8A", ("B8A", EXACT)), ("B08A", ("B8A", EXACT)), ("B8a", ("B8A", EXACT)), ("NIR_Narrow", ("B8A", EXACT)),
    ("NIR narrow", ("B8A", EXACT)), ("Narrow NIR", ("B8A", EXACT)), ("nir08", ("B8A", EXACT)),
    ("Nir", ("B8A", GENERIC_NIR)), ("B08", ("B8A", BROAD_NIR)), ("NIR_Broad", ("B8A", BROAD_NIR)),
    ("SWIR1", ("B11", EXACT)), ("SWIR 1", ("B11", EXACT)), ("SWIR_1", ("B11", EXACT)), ("swir-1", ("B11", EXACT)),
    ("B11", ("B11", EXACT)), ("SWIR2", ("B12", EXACT)), ("swir 2", ("B12", EXACT)), ("B12", ("B12", EXACT)),
    ("B02 - Blue", ("B02", EXACT)), ("SWIR 1 (1610 nm)", ("B11", EXACT)),
    ("T15SXR_20210907T163901_B8A_20m", ("B8A", EXACT)),
    ("Red Edge 1", (OTHER, EXACT)), ("Vegetation red edge", (OTHER, EXACT)), ("B01", (OTHER, EXACT)),
    ("Coastal aerosol", (OTHER, EXACT)), ("B09", (OTHER, EXACT)),
    ("B05", (AMBIGUOUS, EXACT)), ("B06", (AMBIGUOUS, EXACT)), ("B07", (AMBIGUOUS, EXACT)),
    ("Band 1", None), ("", None), ("reflectance", None), ("Blue Red", None),
])
def test_band_role_sentinel2(name, role):
    assert band_role(name, CONTEXT_S2) == role


@pytest.mark.parametrize("name, role", [
    ("B05", ("B8A", EXACT)), ("B06", ("B11", EXACT)), ("B07", ("B12", EXACT)), ("SR_B5", ("B8A", EXACT)),
    ("B08", (OTHER, EXACT)), ("B10", (OTHER, EXACT)), ("B11", (OTHER, EXACT)), ("B12", None),
    ("B02", ("B02", EXACT)), ("NIR", ("B8A", GENERIC_NIR)), ("SWIR1", ("B11", EXACT)),
])
def test_band_role_landsat_numbering(name, role):
    assert band_role(name, CONTEXT_OLI) == role


def test_landsat_4_to_7_numbers_are_not_read():
    assert band_role("B2", CONTEXT_TM) is None and band_role("B5", CONTEXT_TM) is None
    assert band_role("Blue", CONTEXT_TM) == ("B02", EXACT)


@pytest.mark.parametrize("name, context", [
    ("HLS.L30.T15SXR.2021250T163901.v2.0.tif", CONTEXT_OLI), ("LC08_L2SP_027038_20210907_02_T1.tif", CONTEXT_OLI),
    ("LC09_L2SP.tif", CONTEXT_OLI), ("my_landsat_stack.tif", CONTEXT_OLI),
    ("LE07_L2SP_027038.tif", CONTEXT_TM), ("LT05_x.tif", CONTEXT_TM), ("landsat7.tif", CONTEXT_TM),
    ("HLS.S30.T15SXR.2021250T163901.v2.0.tif", CONTEXT_S2), ("S2A_MSIL2A_20210907.tif", CONTEXT_S2),
    ("stack.tif", CONTEXT_S2), ("holiday.tif", CONTEXT_S2), ("olive_grove.tif", CONTEXT_S2),
])
def test_sensor_context(name, context):
    assert sensor_context(name) == context


# ------------------------------------------------------------------------------------------------
# six bands
# ------------------------------------------------------------------------------------------------
def test_real_scene_is_in_model_order():
    m = model_bands(str(REAL), label=REAL.name)
    assert m.bands == (1, 2, 3, 4, 5, 6) and m.how == "names" and not m.reordered
    assert m.band_count == 6 and m.alpha_band is None and not m.dataset_mask and m.warnings == ()
    assert "already in model order" in m.notes[0] and REAL.name in m.notes[0]


@pytest.mark.parametrize("order", [(3, 1, 2, 6, 4, 5), (6, 5, 4, 3, 2, 1), (2, 1, 3, 4, 6, 5)])
def test_descriptions_reorder_a_translated_stack(order):
    path = vsimem("reordered")
    gdal().Translate(path, str(REAL), srcWin=[480, 380, 160, 160], bandList=list(order))
    m = model_bands(path, label="reordered.tif")
    assert m.how == "names" and m.reordered
    assert_recovers(path, m.bands)
    assert "reordered" in m.notes[0] and ", ".join(map(str, m.bands)) in m.notes[0]


def test_spectral_names_with_separators_and_case():
    names = ["swir-2", "Blue", "NIR narrow", "green", "SWIR_1", "RED"]
    path = write_stack(vsimem(), [band_for(MODEL[i]) for i in (5, 0, 3, 1, 4, 2)], descriptions=names)
    m = model_bands(path)
    assert m.bands == (2, 4, 6, 3, 5, 1)
    assert_recovers(path, m.bands)


def test_metadata_names_when_descriptions_are_empty():
    order = (4, 0, 1, 2, 5, 3)
    meta = [{"BANDNAME": MODEL[i]} for i in order]
    path = write_stack(vsimem(), [band_for(MODEL[i]) for i in order], metadata=meta)
    m = model_bands(path)
    assert m.how == "names"
    assert_recovers(path, m.bands)


def test_six_undescribed_bands_are_taken_in_order():
    path = write_stack(vsimem(), list(real_crop()))
    m = model_bands(path, label="plain.tif")
    assert m.bands == (1, 2, 3, 4, 5, 6) and m.how == "order"
    assert "file order" in m.notes[0]


def test_generic_nir_is_taken_as_narrow_nir_with_a_note():
    names = ["Blue", "Green", "Red", "NIR", "SWIR1", "SWIR2"]
    m = model_bands(write_stack(vsimem(), list(real_crop()), descriptions=names), label="x.tif")
    assert m.bands == (1, 2, 3, 4, 5, 6) and m.warnings == ()
    assert any("band 4 ('NIR') is taken as the narrow NIR band B8A" in n for n in m.notes)


def test_names_that_contradict_the_file_order_are_an_error():
    names = ["Red", "", "", "", "", ""]
    path = write_stack(vsimem(), list(real_crop()), descriptions=names)
    with pytest.raises(InputError) as info:
        model_bands(path, label="contradict.tif")
    msg = str(info.value)
    assert "contradict.tif" in msg and "band 1 is named 'Red' (B04)" in msg and "B02" in msg
    assert "BEFORE_BANDS" in msg


def test_two_bands_named_alike_are_an_error():
    names = ["B02", "B03", "B04", "B04", "B11", "B12", "B8A"]
    path = s2_stack(["B02", "B03", "B04", "B05", "B11", "B12", "B8A"])
    ds = gdal().Open(path, gdal().GA_Update)
    for i, n in enumerate(names, 1):
        ds.GetRasterBand(i).SetDescription(n)
    ds = None
    with pytest.raises(InputError, match=r"band 3 \('B04'\) and band 4 \('B04'\) are all named as B04"):
        model_bands(path, label="twice.tif")


# ------------------------------------------------------------------------------------------------
# alpha and masks
# ------------------------------------------------------------------------------------------------
def test_warp_alpha_band_is_excluded_and_reported():
    src = crop_file()
    path = vsimem("alpha")
    gdal().Warp(path, src, dstAlpha=True, srcNodata=None, dstNodata=None)
    m = model_bands(path, label="alpha.tif")
    assert m.band_count == 7 and m.alpha_band == 7 and m.how == "order" and m.bands == (1, 2, 3, 4, 5, 6)
    assert any("band 7 is an alpha band" in n for n in m.notes)
    assert_recovers(path, m.bands)


def test_alpha_band_first_in_a_vrt():
    src = write_stack(vsimem(), list(real_crop()), alpha=np.full(real_crop().shape[1:], 255, np.int16))
    path = vsimem("alphafirst").replace(".tif", ".vrt")
    vrt = gdal().Translate(path, src, format="VRT", bandList=[7, 1, 2, 3, 4, 5, 6])
    vrt.GetRasterBand(1).SetColorInterpretation(gdal().GCI_AlphaBand)
    vrt.GetRasterBand(2).SetColorInterpretation(gdal().GCI_GrayIndex)
    vrt = None
    m = model_bands(path)
    assert m.alpha_band == 1 and m.bands == (2, 3, 4, 5, 6, 7)
    assert_recovers(path, m.bands)


def test_per_dataset_mask_is_reported():
    path = crop_file()
    ds = gdal().Open(path, gdal().GA_Update)
    ds.CreateMaskBand(gdal().GMF_PER_DATASET)
    ds = None
    m = model_bands(path)
    assert m.dataset_mask and m.alpha_band is None
    assert any("mask band" in n for n in m.notes)


def test_seven_bands_without_alpha_is_an_error_that_says_what_to_do():
    path = write_stack(vsimem(), list(real_crop()) + [band_for("extra")])
    with pytest.raises(InputError) as info:
        model_bands(path, label="seven.tif")
    msg = str(info.value)
    assert "seven.tif" in msg and "has 7 band(s)" in msg and "B02, B03, B04, B8A, B11, B12" in msg
    assert "BEFORE_BANDS / AFTER_BANDS" in msg and "band descriptions" in msg


def test_count_error_says_the_alpha_band_was_excluded():
    arrays = list(real_crop()) + [band_for("x"), band_for("y")]
    path = write_stack(vsimem(), arrays, alpha=np.full(real_crop().shape[1:], 255, np.int16))
    with pytest.raises(InputError, match=r"has 8 band\(s\) \(9 in all, alpha band 9 excluded\)"):
        model_bands(path, label="nine.tif")


# ------------------------------------------------------------------------------------------------
# 10 and 13 bands
# ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("names", [S2_13, S2_10], ids=["13 bands", "10 bands"])
def test_sentinel2_stacks_by_descriptions(names):
    path = s2_stack(names)
    m = model_bands(path, label="S2A_MSIL2A_stack.tif")
    assert m.bands == tuple(names.index(b) + 1 for b in MODEL) and m.how == "names"
    assert m.warnings == ()  # B08 is there, but B8A wins
    assert_recovers(path, m.bands)


def test_undescribed_13_band_stack_is_an_error():
    with pytest.raises(InputError, match=r"has 13 band\(s\)"):
        model_bands(s2_stack(S2_13, described=False), label="s2.tif")


def test_broad_nir_replaces_missing_b8a_with_a_warning():
    names = ("B02", "B03", "B04", "B08", "B11", "B12", "B05")
    path = write_stack(vsimem(), [band_for(n if n != "B08" else "B8A") for n in names], descriptions=names)
    m = model_bands(path, label="tenm.tif")
    assert m.bands == (1, 2, 3, 4, 5, 6)
    assert len(m.warnings) == 1 and "band 4 ('B08', the broad NIR band B08" in m.warnings[0]
    assert "tenm.tif" in m.warnings[0]


def test_l30_numbering_only_when_the_name_says_landsat(tmp_path):
    names = ("B02", "B03", "B04", "B05", "B06", "B07")
    l30 = s2_stack(MODEL, path=str(tmp_path / "HLS.L30.T15SXR.2021250T163901.v2.0.tif"))
    ds = gdal().Open(l30, gdal().GA_Update)
    for i, n in enumerate(names, 1):
        ds.GetRasterBand(i).SetDescription(n)
    ds = None
    m = model_bands(l30)
    assert m.bands == (1, 2, 3, 4, 5, 6) and m.how == "names"
    assert any("read as HLS L30 / Landsat 8-9 bands" in n for n in m.notes)
    plain = str(tmp_path / "stack.2021250T.tif")
    gdal().Translate(plain, l30)
    with pytest.raises(InputError) as info:
        model_bands(plain)
    msg = str(info.value)
    assert "band 4 ('B05')" in msg and "L30" in msg and "stack.2021250T.tif" in msg


def test_l30_thermal_b11_is_not_swir(tmp_path):
    names = ("B01", "B02", "B03", "B04", "B05", "B06", "B07", "B09", "B10", "B11")
    order = ("x1", "B02", "B03", "B04", "B8A", "B11", "B12", "x9", "x10", "x11")
    path = write_stack(str(tmp_path / "HLS.L30.T15SXR.2021250T163901.v2.0.tif"), [band_for(n) for n in order],
                       descriptions=names)
    m = model_bands(path)
    assert m.bands == (2, 3, 4, 5, 6, 7)
    assert_recovers(path, m.bands)


# ------------------------------------------------------------------------------------------------
# explicit bands
# ------------------------------------------------------------------------------------------------
def test_explicit_bands_on_an_undescribed_13_band_stack():
    path = s2_stack(S2_13, described=False)
    m = model_bands(path, explicit=(2, 3, 4, 9, 12, 13))
    assert m.how == "explicit" and m.bands == (2, 3, 4, 9, 12, 13) and m.warnings == ()
    assert_recovers(path, m.bands)


def test_explicit_bands_win_over_descriptions_with_a_warning():
    path = crop_file()
    m = model_bands(path, explicit=(3, 2, 1, 4, 5, 6), label="crop.tif")
    assert m.bands == (3, 2, 1, 4, 5, 6) and m.how == "explicit"
    assert "crop.tif: band 3 is named 'B04' (B04) but is given as B02" in m.warnings[0]


@pytest.mark.parametrize("explicit, match", [
    ((1, 2, 3, 4, 5), "give six band numbers"),
    ((1, 2, 3, 4, 5, 14), "band 14 given for the model bands does not exist: the raster has 13 bands"),
    ((1, 2, 3, 4, 5, 0), "band 0 given"),
    ((1, 2, 3, 3, 5, 6), "band 3 is given for more than one model band"),
    ((1, 2, 3, 4, 5, 6.0), "give six band numbers"),
])
def test_bad_explicit_bands(explicit, match):
    with pytest.raises(InputError, match=match):
        model_bands(s2_stack(S2_13), explicit=explicit, label="s2.tif")


def test_explicit_alpha_band_is_refused():
    path = write_stack(vsimem(), list(real_crop()), alpha=np.full(real_crop().shape[1:], 255, np.int16))
    with pytest.raises(InputError, match="band 7 given for a model band is an alpha band"):
        model_bands(path, explicit=(1, 2, 3, 4, 5, 7), label="a.tif")


def test_unreadable_dataset_names_the_file(tmp_path):
    bad = tmp_path / "broken.tif"
    bad.write_bytes(b"not a tiff")
    with pytest.raises(InputError, match="broken.tif"):
        model_bands(str(bad))


# ------------------------------------------------------------------------------------------------
# properties
# ------------------------------------------------------------------------------------------------
ALIASES = {
    "B02": ["B02", "B2", "Blue", "SR_B2", "blue"], "B03": ["B03", "B3", "Green", "GREEN"],
    "B04": ["B04", "B4", "Red", "red"], "B8A": ["B8A", "B08A", "B8a", "NIR_Narrow", "NIR narrow", "nir08"],
    "B11": ["B11", "SWIR1", "SWIR 1", "SWIR_1", "swir-1", "swir16"], "B12": ["B12", "SWIR2", "SWIR 2", "swir22"],
}
EXTRAS = ["B01", "B05", "B06", "B07", "B08", "B09", "B10", "Red Edge 1", "Coastal", "", "Band 9"]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_any_permutation_of_described_bands_is_recovered(data):
    extras = data.draw(st.lists(st.sampled_from(EXTRAS), max_size=7), label="extras")
    names = [data.draw(st.sampled_from(ALIASES[b]), label=b) for b in MODEL] + extras
    content = list(MODEL) + [f"extra{i}" for i in range(len(extras))]
    order = data.draw(st.permutations(range(len(names))), label="order")
    in_metadata = data.draw(st.booleans(), label="in_metadata")
    described = [names[i] for i in order]
    arrays = [band_for(content[i]) for i in order]
    if in_metadata:
        path = write_stack(vsimem("prop"), arrays, metadata=[{"long_name": n} if n else {} for n in described])
    else:
        path = write_stack(vsimem("prop"), arrays, descriptions=described)
    m = model_bands(path, label="stack.tif")
    assert m.how == "names"
    assert m.bands == tuple(order.index(k) + 1 for k in range(6))
    assert_recovers(path, m.bands)
    gdal().Unlink(path)


@settings(max_examples=25, deadline=None)
@given(order=st.permutations(range(6)))
def test_explicit_bands_always_recover_the_model_bands(order):
    path = write_stack(vsimem("perm"), [real_crop()[i] for i in order])
    explicit = tuple(order.index(k) + 1 for k in range(6))
    assert_recovers(path, model_bands(path, explicit=explicit).bands)
    gdal().Unlink(path)
