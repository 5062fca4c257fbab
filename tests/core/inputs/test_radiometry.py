"""Radiometry from what the data declares, and errors that name their cause (issue 21, cases 2 and 6).

Every input is built from the real HLS scene (reflectance x 10000) with GDAL:

- Landsat Collection 2 Level-2 stacks: DN = (reflectance + 0.2) / 0.0000275 as uint16, fill 0,
  recognised by an MTL file beside them, the product ID in their name or the band names SR_B*;
  the right value is the scene itself (10000 x (DN x 0.0000275 - 0.2), nodata kept), at any
  brightness; without any of that evidence they are refused with the formula, at any brightness.
- A Sentinel-2 Level-1C product (and a GeoTIFF exported from it), a Sentinel-2 L2A product missing a
  band file, a VRT missing a source: refused with a message naming the cause.
"""
from __future__ import annotations

import re
import tempfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.inputs.bands_fixtures import crop_file, gdal, real_crop, write_stack
from planaura_plugin.errors import InputError
from planaura_plugin.inputs.landsat import landsat_level2
from planaura_plugin.inputs.sources import describe_input
from planaura_plugin.presets import HLS, S2

PRODUCT_ID = "LC08_L2SP_027033_20210907_20210916_02_T1"
SR_NAMES = ("SR_B2", "SR_B3", "SR_B4", "SR_B5", "SR_B6", "SR_B7")
EVIDENCE = ("mtl", "name", "band names")


def c2_dn(x10000: np.ndarray, brightness: float = 1.0) -> np.ndarray:
    """Landsat Collection 2 Level-2 DN of reflectance x 10000 scaled by ``brightness``; -9999 -> fill 0."""
    rho = x10000.astype(np.float64) / 10000.0 * brightness
    dn = np.clip(np.rint((rho + 0.2) / 2.75e-5), 1, 65535)
    return np.where(x10000 == -9999, 0, dn).astype(np.uint16)


def mtl_text(level: str = "L2SP", product_id: str = PRODUCT_ID) -> str:
    """An MTL file as USGS writes it: the Level-2 group, then Level-1 groups whose TOA rescaling must not be used."""
    bands = range(1, 8)
    l2 = "\n".join(f"    REFLECTANCE_MULT_BAND_{n} = 2.75e-05\n    REFLECTANCE_ADD_BAND_{n} = -0.2" for n in bands)
    l1 = "\n".join(f"    REFLECTANCE_MULT_BAND_{n} = 2.0000E-05\n    REFLECTANCE_ADD_BAND_{n} = -0.100000"
                   for n in bands)
    return f"""GROUP = LANDSAT_METADATA_FILE
  GROUP = PRODUCT_CONTENTS
    LANDSAT_PRODUCT_ID = "{product_id}"
    PROCESSING_LEVEL = "{level}"
    COLLECTION_NUMBER = 02
  END_GROUP = PRODUCT_CONTENTS
  GROUP = IMAGE_ATTRIBUTES
    SPACECRAFT_ID = "LANDSAT_8"
  END_GROUP = IMAGE_ATTRIBUTES
  GROUP = LEVEL2_SURFACE_REFLECTANCE_PARAMETERS
    REFLECTANCE_MAXIMUM_BAND_1 = 1.602213
{l2}
  END_GROUP = LEVEL2_SURFACE_REFLECTANCE_PARAMETERS
  GROUP = LEVEL1_PROCESSING_RECORD
    LANDSAT_PRODUCT_ID = "{product_id.replace('L2SP', 'L1TP')}"
    PROCESSING_LEVEL = "L1TP"
  END_GROUP = LEVEL1_PROCESSING_RECORD
  GROUP = LEVEL1_RADIOMETRIC_RESCALING
{l1}
  END_GROUP = LEVEL1_RADIOMETRIC_RESCALING
END_GROUP = LANDSAT_METADATA_FILE
END
"""


def landsat_stack(folder: Path, evidence: str, brightness: float = 1.0, nodata=None, source=None) -> Path:
    """A 6-band Collection 2 Level-2 stack (B2..B7) of the real crop, with one piece of ``evidence`` (or none)."""
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{PRODUCT_ID}_SR_stack.tif" if evidence == "name" else "stack.tif"  # no sensor in the name
    dn = c2_dn(real_crop() if source is None else source, brightness)
    write_stack(str(folder / name), list(dn), descriptions=SR_NAMES if evidence == "band names" else None,
                nodata=nodata, dtype=gdal().GDT_UInt16)
    if evidence == "mtl":
        (folder / f"{PRODUCT_ID}_MTL.txt").write_text(mtl_text())
    return folder / name


def model_values(info, path: Path) -> np.ndarray:
    """The model bands of ``path`` after the layout's scale/offset, NaN where declared nodata."""
    ds = gdal().Open(str(path))
    out = []
    for b, a, o, nd in zip(info.layout.bands, info.layout.scale, info.layout.offset, info.layout.declared_nodata):
        raw = ds.GetRasterBand(b).ReadAsArray().astype(np.float64)
        out.append(np.where(raw == nd, np.nan, raw * a + o))
    return np.stack(out)


# ------------------------------------------------------------------------------------------------
# Landsat Collection 2 Level-2
# ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("nodata", [None, 0])
@pytest.mark.parametrize("evidence", EVIDENCE)
def test_landsat_c2_level2_becomes_the_scene_whatever_the_evidence(tmp_path, evidence, nodata):
    path = landsat_stack(tmp_path, evidence, nodata=nodata)
    info = describe_input(str(path), HLS)
    assert info.layout.scale == (0.275,) * 6 and info.layout.offset == (-2000.0,) * 6
    assert info.layout.declared_nodata == (0.0,) * 6
    truth = real_crop().astype(np.float64)
    got = model_values(info, path)
    kept = truth > -2000  # uint16 DN cannot hold the scene's -32768 block
    assert kept.mean() > 0.99
    np.testing.assert_allclose(got[kept], truth[kept], rtol=0, atol=0.14)  # half a DN: 0.1375
    lines = [text for level, text in info.messages if "radiometric conversion" in text]
    assert len(lines) == 1 and "raw x 0.275 -2000" in lines[0]
    said = {"mtl": f"{PRODUCT_ID}_MTL.txt", "name": PRODUCT_ID, "band names": "SR_B2, SR_B3"}[evidence]
    assert said in lines[0]


def test_landsat_fill_stays_nodata(tmp_path):
    scene = real_crop().copy()
    scene[:, :, :30] = -9999  # a swath edge
    path = landsat_stack(tmp_path, "mtl", source=scene)
    info = describe_input(str(path), HLS)
    got = model_values(info, path)
    assert np.isnan(got[:, :, :30]).all() and not np.isnan(got[:, :, 30:]).any()


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(brightness=st.floats(0.3, 2.5), evidence=st.sampled_from(("none",) + EVIDENCE))
def test_landsat_acceptance_does_not_depend_on_brightness(brightness, evidence):
    """Dark (reflectance x 0.3) to bright (x 2.5) scenes: converted with evidence, refused with the formula
    without; before, a dark scene ran unconverted with a warning and a bright one was refused as 'neither'."""
    with tempfile.TemporaryDirectory() as folder:
        path = landsat_stack(Path(folder), evidence, brightness)
        if evidence == "none":
            with pytest.raises(InputError, match=r"stack\.tif.*Landsat Collection 2 Level-2 DN.*"
                                                 r"DN x 0\.0000275 - 0\.2.*_MTL\.txt.*gdal_edit\.py"):
                describe_input(str(path), HLS)
            return
        info = describe_input(str(path), HLS)
        assert info.layout.scale == (0.275,) * 6 and info.layout.offset == (-2000.0,) * 6
        truth = np.maximum(real_crop().astype(np.float64) * brightness, 0.275 - 2000)  # DN 1: the lowest stored
        np.testing.assert_allclose(model_values(info, path), truth, rtol=0, atol=0.14 + 1e-9)


@settings(max_examples=12, deadline=None)
@given(brightness=st.floats(0.3, 2.5))
def test_reflectance_x10000_is_used_as_stored_at_any_brightness(brightness):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "scene.tif"
        scene = np.rint(real_crop().astype(np.float64) * brightness).astype(np.int16)
        write_stack(str(path), list(scene))
        info = describe_input(str(path), HLS)
        assert info.layout.scale == (1.0,) * 6 and info.layout.offset == (0.0,) * 6
        assert not [t for level, t in info.messages if level == "warning"]
        assert any("none, values used as stored" in t for _, t in info.messages)


@settings(max_examples=10, deadline=None)
@given(mult=st.floats(2e-5, 5e-5), add=st.floats(-0.3, -0.05))
def test_the_mtl_numbers_are_the_ones_used(mult, add):
    """Whatever REFLECTANCE_MULT/ADD_BAND_n the MTL declares is the conversion (not Collection 2's constants)."""
    with tempfile.TemporaryDirectory() as folder:
        rho = np.clip(real_crop().astype(np.float64), 0, None) / 10000.0
        dn = np.where(real_crop() == -9999, 0, np.rint((rho - add) / mult)).astype(np.uint16)
        path = Path(folder) / "stack.tif"
        write_stack(str(path), list(dn), nodata=None, dtype=gdal().GDT_UInt16)
        text = mtl_text().replace("2.75e-05", repr(mult)).replace("= -0.2\n", f"= {add!r}\n")
        (Path(folder) / f"{PRODUCT_ID}_MTL.txt").write_text(text)
        info = describe_input(str(path), HLS)
        np.testing.assert_allclose(info.layout.scale, [mult * 10000] * 6, rtol=1e-9)
        np.testing.assert_allclose(info.layout.offset, [add * 10000] * 6, rtol=1e-9)
        np.testing.assert_allclose(model_values(info, path), rho * 10000, rtol=0, atol=mult * 5000 + 1e-6)


@pytest.mark.parametrize("form", ["txt", "xml", "json"])
def test_the_mtl_level2_group_is_read_in_each_form(form):
    """Only LEVEL2_SURFACE_REFLECTANCE_PARAMETERS counts (the Level-1 TOA rescaling of the same MTL must not)."""
    from planaura_plugin.inputs.landsat import _mtl_values

    def group(name, mult, add):
        items = {f"REFLECTANCE_MULT_BAND_{n}": mult for n in range(1, 8)}
        items.update({f"REFLECTANCE_ADD_BAND_{n}": add for n in range(1, 8)})
        return name, items

    groups = [("PRODUCT_CONTENTS", {"LANDSAT_PRODUCT_ID": PRODUCT_ID, "PROCESSING_LEVEL": "L2SP",
                                    "COLLECTION_NUMBER": "02"}),
              group("LEVEL2_SURFACE_REFLECTANCE_PARAMETERS", "2.75e-05", "-0.2"),
              ("LEVEL1_PROCESSING_RECORD", {"PROCESSING_LEVEL": "L1TP"}),
              group("LEVEL1_RADIOMETRIC_RESCALING", "2.0000E-05", "-0.100000")]
    if form == "txt":
        text = mtl_text()
    elif form == "xml":
        text = "<LANDSAT_METADATA_FILE>" + "".join(
            f"<{g}>" + "".join(f"<{k}>{v}</{k}>\n" for k, v in items.items()) + f"</{g}>" for g, items in groups
        ) + "</LANDSAT_METADATA_FILE>"
    else:
        import json

        text = json.dumps({"LANDSAT_METADATA_FILE": dict(groups)}, indent=2)
    keys, numbers = _mtl_values(text)
    assert keys["PROCESSING_LEVEL"] == "L2SP" and keys["LANDSAT_PRODUCT_ID"] == PRODUCT_ID
    assert numbers["REFLECTANCE_MULT_BAND_5"] == 2.75e-5 and numbers["REFLECTANCE_ADD_BAND_7"] == -0.2
    assert len(numbers) == 14


@pytest.mark.parametrize("where", ["mtl", "name"])
def test_landsat_level1_is_refused_as_top_of_atmosphere(tmp_path, where):
    l1_id = PRODUCT_ID.replace("L2SP", "L1TP")
    if where == "mtl":
        path = landsat_stack(tmp_path, "none")
        (tmp_path / f"{l1_id}_MTL.txt").write_text(mtl_text("L1TP", l1_id))
    else:
        path = tmp_path / f"{l1_id}_stack.tif"
        write_stack(str(path), list(c2_dn(real_crop())), nodata=0, dtype=gdal().GDT_UInt16)
    with pytest.raises(InputError, match=r"Landsat Level-1 product \(L1TP.*top-of-atmosphere.*Level-2"):
        describe_input(str(path), HLS)


def test_converted_landsat_bands_are_not_converted_again(tmp_path):
    """SR_B* names on floats: the DN were converted already; a declared x 10000 stack of them is used as is."""
    path = tmp_path / "converted.tif"
    write_stack(str(path), list(real_crop().astype(np.float32)), descriptions=SR_NAMES, dtype=gdal().GDT_Float32)
    ds = gdal().Open(str(path))
    assert landsat_level2(str(path), ds, (1, 2, 3, 4, 5, 6)) is None
    info = describe_input(str(path), HLS)
    assert info.layout.scale == (1.0,) * 6 and info.layout.offset == (0.0,) * 6


# ------------------------------------------------------------------------------------------------
# errors that name the cause
# ------------------------------------------------------------------------------------------------
def test_a_level1c_subdataset_is_named_level1c(tmp_path, write_l1c, s2_surface):
    safe = write_l1c(tmp_path, s2_surface)
    subs = [n for n, _ in gdal().Open(str(safe / "MTD_MSIL1C.xml")).GetSubDatasets()]
    assert subs and all(n.startswith("SENTINEL2_L1C:") for n in subs)
    for name in subs[:2]:
        with pytest.raises(InputError) as caught:
            describe_input(name, S2)
        message = str(caught.value)
        assert "Level-1C" in message and "Level-2A" in message and "Sen2Cor" in message and name in message
        assert "L30" not in message


def test_a_geotiff_exported_from_level1c_is_named_level1c(tmp_path, write_l1c, s2_surface):
    safe = write_l1c(tmp_path, s2_surface)
    sub20 = [n for n, _ in gdal().Open(str(safe / "MTD_MSIL1C.xml")).GetSubDatasets() if ":20m:" in n][0]
    export = tmp_path / "export_20m.tif"
    gdal().Translate(str(export), sub20)
    assert gdal().Open(str(export)).GetMetadataItem("PRODUCT_TYPE") == "S2MSI1C"
    with pytest.raises(InputError, match=r"export_20m\.tif' is a Sentinel-2 Level-1C product.*Level-2A"):
        describe_input(str(export), S2)


@pytest.mark.parametrize("band", ["B8A", "B11", "B12"])
def test_a_missing_sentinel2_band_file_is_named(tmp_path, write_s2, s2_surface, band):
    safe = write_s2(tmp_path, "04.00", s2_surface)
    gone = next(safe.glob(f"GRANULE/*/IMG_DATA/R20m/*_{band}_20m.jp2"))
    gone.unlink()
    with pytest.raises(InputError) as caught:
        describe_input(str(safe), S2)
    message = str(caught.value)
    assert gone.name in message and "incomplete" in message and "not there" in message
    assert "valid" not in message  # not blamed on nodata


def test_a_vrt_missing_a_source_names_it(tmp_path):
    sources = []
    for k in range(1, 7):
        path = tmp_path / f"band{k}.tif"
        gdal().Translate(str(path), crop_file(), bandList=[k])
        sources.append(str(path))
    vrt = tmp_path / "stack.vrt"
    gdal().BuildVRT(str(vrt), sources, separate=True)
    assert describe_input(str(vrt), HLS).layout.bands == (1, 2, 3, 4, 5, 6)  # complete, it is fine
    Path(sources[3]).unlink()
    with pytest.raises(InputError) as caught:
        describe_input(str(vrt), HLS)
    message = str(caught.value)
    assert "band4.tif" in message and "do not exist" in message and "stack.vrt" in message
    assert "truncated" not in message and "corrupt" not in message


# ------------------------------------------------------------------------------------------------
# Sentinel-2 DN with the offset of baseline 04.00: declared in the bands' metadata, or only suspected
# ------------------------------------------------------------------------------------------------
def s2_offset_stack(path: Path, metadata=None, brightness: float = 1.0) -> Path:
    """Sentinel-2 baseline >= 04.00 DN of the real crop (reflectance x 10000 + 1000, uint16, nodata 0), with
    ``metadata`` items on every band."""
    scene = np.rint(np.clip(real_crop().astype(np.float64), 0, None) * brightness) + 1000
    dn = np.where(real_crop() == -9999, 0, scene).astype(np.uint16)
    write_stack(str(path), list(dn), nodata=0, dtype=gdal().GDT_UInt16,
                metadata=[dict(metadata)] * 6 if metadata else None)
    return path


@pytest.mark.parametrize("metadata, evidence", [
    ({"BOA_ADD_OFFSET": "-1000"}, "BOA_ADD_OFFSET=-1000"),
    ({"BOA_ADD_OFFSET": "-1000", "BOA_QUANTIFICATION_VALUE": "10000"}, "BOA_QUANTIFICATION_VALUE=10000"),
    ({"scale": "0.0001", "offset": "-0.1"}, "scale=0.0001, offset=-0.1"),
    ({"scale_factor": "0.0001", "add_offset": "-0.1"}, "scale_factor=0.0001, add_offset=-0.1"),
])
def test_an_offset_declared_in_the_bands_metadata_is_applied(tmp_path, metadata, evidence):
    """Declared in the bands' metadata (ESA's keys, STAC raster:bands or CF items kept as metadata), the offset
    was ignored: DN + 1000 went to the model as reflectance x 10000, with no word."""
    path = s2_offset_stack(tmp_path / "s2_stack.tif", metadata)
    info = describe_input(str(path), HLS)
    assert info.layout.scale == (1.0,) * 6 and info.layout.offset == (-1000.0,) * 6
    got = model_values(info, path)
    truth = np.clip(real_crop().astype(np.float64), 0, None)
    valid = real_crop()[0] != -9999
    np.testing.assert_allclose(got[:, valid], truth[:, valid], rtol=0, atol=1e-9)
    lines = [text for level, text in info.messages if "radiometric conversion" in text]
    assert len(lines) == 1 and "the bands' metadata" in lines[0] and evidence in lines[0], lines
    assert not [t for level, t in info.messages if level == "warning" and re.search("declared offset", t)]


def test_hls_band_metadata_scale_factor_keeps_the_values(tmp_path):
    """HLS band files carry scale_factor=0.0001 and add_offset=0: reflectance x 10000 used as stored."""
    path = tmp_path / "hls_like.tif"
    write_stack(str(path), list(real_crop()), metadata=[{"scale_factor": "0.0001", "add_offset": "0.0"}] * 6)
    info = describe_input(str(path), HLS)
    assert info.layout.scale == (1.0,) * 6 and info.layout.offset == (0.0,) * 6
    assert not [t for level, t in info.messages if level == "warning"]


@settings(max_examples=8, deadline=None)
@given(brightness=st.floats(0.3, 2.5))
def test_an_undeclared_sentinel2_offset_is_warned_about(brightness):
    """DN + 1000 with nothing declared: the darkest pixels of every band sit above 0.09 reflectance, which a
    real scene's blue band never does outside cloud, snow or desert: a warning naming the offset (the warning
    fired only above 5000, i.e. never for this offset). The same scene without the offset: no warning."""
    with tempfile.TemporaryDirectory() as folder:
        path = s2_offset_stack(Path(folder) / "s2_stack.tif", brightness=brightness)
        info = describe_input(str(path), HLS)
        warned = [t for level, t in info.messages if level == "warning" and "undeclared offset" in t]
        assert len(warned) == 1 and "adds 1000" in warned[0] and "s2_stack.tif" in warned[0]
        plain = Path(folder) / "plain.tif"
        write_stack(str(plain), list(np.rint(real_crop().astype(np.float64) * brightness).astype(np.int16)))
        assert not [t for level, t in describe_input(str(plain), HLS).messages if level == "warning"]
