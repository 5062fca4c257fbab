"""Band order from every hint a file carries (issue 21, 3): VRT source file names, band
descriptions, band metadata (long_name, BANDNAME, STAC common names).

Stacks are built as users build them: one GeoTIFF per band cut from the real HLS scene, then
``gdalbuildvrt -separate stack.vrt *.tif`` (the files in glob order, i.e. sorted names). Every
mapping is checked by reading the mapped bands back: they must equal the scene's six bands in
model order.
"""
from __future__ import annotations

import glob
import os
from pathlib import Path
from typing import Dict, List, Optional, Sequence

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.inputs.bands_fixtures import MODEL, gdal, read_bands, real_crop, write_stack
from planaura_plugin.errors import InputError
from planaura_plugin.inputs.band_hints import dataset_hints, metadata_key, source_name
from planaura_plugin.inputs.bands import model_bands

# per-band file names as distributed, per model band (model order)
FAMILIES: Dict[str, Sequence[str]] = {
    "hls_s30": [f"HLS.S30.T15SXR.2021250T163901.v2.0.{b}.tif" for b in MODEL],
    "hls_l30": [f"HLS.L30.T15SXR.2021250T163901.v2.0.{b}.tif" for b in ("B02", "B03", "B04", "B05", "B06", "B07")],
    "earth_search": [f"{b}.tif" for b in ("blue", "green", "red", "nir08", "swir16", "swir22")],
    "sentinel2": [f"T15SXR_20210907T163901_{b}_20m.tif" for b in MODEL],
    "landsat": [f"LC08_L2SP_026035_20210907_20210915_02_T1_SR_B{n}.TIF" for n in (2, 3, 4, 5, 6, 7)],
}
ALIASES = {
    "B02": ["B02", "Blue", "blue", "SR_B2"], "B03": ["B03", "Green", "green"], "B04": ["B04", "Red", "red"],
    "B8A": ["B8A", "NIR_Narrow", "nir08"], "B11": ["B11", "SWIR1", "swir16"], "B12": ["B12", "SWIR2", "swir22"],
}
METADATA_KEYS = ("long_name", "BANDNAME", "common_name", "eo:common_name")


def per_band_files(folder: Path, names: Sequence[str], contents: Sequence[int],
                   descriptions: Optional[Sequence[str]] = None,
                   metadata: Optional[Sequence[Dict[str, str]]] = None) -> List[str]:
    """One single-band GeoTIFF per name holding the scene's model band ``contents[k]``."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for k, (name, content) in enumerate(zip(names, contents)):
        path = str(folder / name)
        write_stack(path, [real_crop()[content]], descriptions=[descriptions[k]] if descriptions else None,
                    metadata=[metadata[k]] if metadata else None)
        paths.append(path)
    return paths


def build_vrt(folder: Path, sources: Sequence[str], name: str = "stack.vrt") -> str:
    """``gdalbuildvrt -separate`` over ``sources`` in the order given."""
    path = str(folder / name)
    gdal().BuildVRT(path, list(sources), separate=True).FlushCache()
    return path


def glob_order(folder: Path) -> List[str]:
    """What a shell's ``*.tif`` / ``*.TIF`` expands to: the files sorted by name."""
    return sorted(glob.glob(str(folder / "*.tif")) + glob.glob(str(folder / "*.TIF")))


def assert_model_order(path: str, bands: Sequence[int]) -> None:
    np.testing.assert_array_equal(read_bands(path, bands), real_crop())


# ------------------------------------------------------------------------------------------------
# shuffled stacks as a shell glob builds them
# ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("family, expected", [
    ("hls_s30", (1, 2, 3, 6, 4, 5)),  # glob: B02 B03 B04 B11 B12 B8A
    ("earth_search", (1, 2, 4, 3, 5, 6)),  # glob: blue green nir08 red swir16 swir22
    ("sentinel2", (1, 2, 3, 6, 4, 5)),
    ("hls_l30", (1, 2, 3, 4, 5, 6)),
    ("landsat", (1, 2, 3, 4, 5, 6)),
])
def test_glob_stack_is_read_by_its_source_names(tmp_path, family, expected):
    folder = tmp_path / family
    per_band_files(folder, FAMILIES[family], range(6))
    vrt = build_vrt(folder, glob_order(folder))
    m = model_bands(vrt, label="stack.vrt")
    assert m.how == "names" and m.bands == expected
    assert_model_order(vrt, m.bands)
    if expected != (1, 2, 3, 4, 5, 6):
        assert any("reordered" in n for n in m.notes)


def test_glob_stack_keeps_the_band_files_descriptions(tmp_path):
    """Band files cut with gdal_translate keep their description (B02 ...); the VRT band has none."""
    folder = tmp_path / "described"
    per_band_files(folder, [f"band_{k}.tif" for k in "fedcba"], range(6), descriptions=MODEL)
    vrt = build_vrt(folder, glob_order(folder))  # band_a (B12) first
    m = model_bands(vrt, label="stack.vrt")
    assert m.how == "names" and m.bands == (6, 5, 4, 3, 2, 1)
    assert_model_order(vrt, m.bands)


def test_hints_of_a_vrt_band(tmp_path):
    folder = tmp_path / "hints"
    per_band_files(folder, ["nir08.tif"], [3], metadata=[{"eo:common_name": "nir08"}])
    vrt = build_vrt(folder, [str(folder / "nir08.tif")])
    hints = dataset_hints(gdal().Open(vrt), [1])[1]
    assert [(h.text, h.where) for h in hints] == [("nir08.tif", "source file"),
                                                  ("nir08", "source band metadata eo:common_name")]
    assert metadata_key("eo:common_name") == "eo_common_name"
    assert source_name("SENTINEL2_L2A:/a/MTD_MSIL2A.xml:20m:EPSG_32615") == ""
    assert source_name("/vsizip//a/b.zip/x/T15SXR_B8A_20m.jp2") == "T15SXR_B8A_20m.jp2"


def test_a_multi_band_source_file_name_names_none_of_its_bands(tmp_path):
    """A VRT taking bands 1..6 of 'blue_marble.tif': the name is the stack's, not band 1's."""
    stack = tmp_path / "blue_marble.tif"
    write_stack(str(stack), list(real_crop()))
    vrt = str(tmp_path / "marble.vrt")
    gdal().Translate(vrt, str(stack), format="VRT")
    hints = dataset_hints(gdal().Open(vrt), range(1, 7))
    assert all(h.where != "source file" for found in hints.values() for h in found)
    m = model_bands(vrt, label="marble.vrt")
    assert m.how == "order" and m.bands == (1, 2, 3, 4, 5, 6)


def test_stack_without_hints_in_model_order_is_accepted(tmp_path):
    folder = tmp_path / "plain"
    per_band_files(folder, [f"layer{k}.tif" for k in range(6)], range(6))
    vrt = build_vrt(folder, glob_order(folder))
    m = model_bands(vrt, label="stack.vrt")
    assert m.how == "order" and m.bands == (1, 2, 3, 4, 5, 6)
    assert_model_order(vrt, m.bands)


def test_source_names_that_disagree_with_descriptions_are_refused(tmp_path):
    folder = tmp_path / "conflict"
    per_band_files(folder, FAMILIES["earth_search"], range(6))
    vrt = build_vrt(folder, [str(folder / n) for n in FAMILIES["earth_search"]])
    ds = gdal().Open(vrt, gdal().GA_Update)
    for k, name in enumerate(("B04", "B03", "B02", "B8A", "B11", "B12")):  # blue.tif described as B04
        ds.GetRasterBand(k + 1).SetDescription(name)
    ds = None
    with pytest.raises(InputError) as info:
        model_bands(vrt, label="conflict.vrt")
    msg = str(info.value)
    assert "conflict.vrt" in msg and "band 1: description 'B04' says B04; source file 'blue.tif' says B02" in msg
    assert "order found: band 1 = ?, band 2 = B03 ('B03'), band 3 = ?" in msg and "BEFORE_BANDS" in msg


def test_partly_named_stack_out_of_model_order_is_refused_with_the_order_found(tmp_path):
    folder = tmp_path / "partial"
    names = ["a_red.tif", "b_layer.tif", "c_layer.tif", "d_layer.tif", "e_layer.tif", "f_layer.tif"]
    per_band_files(folder, names, [2, 1, 0, 3, 4, 5])
    vrt = build_vrt(folder, glob_order(folder))
    with pytest.raises(InputError) as info:
        model_bands(vrt, label="partial.vrt")
    msg = str(info.value)
    assert "band 1 is named 'a_red.tif' (B04) but would be read as B02" in msg
    assert "order found: band 1 = B04 ('a_red.tif'), band 2 = ?, band 3 = ?" in msg


def test_partly_named_stack_in_place_is_read_with_a_warning(tmp_path):
    """Blue, green, red named in their places, three unnamed bands: their order is only assumed."""
    folder = tmp_path / "partly"
    names = ["a_blue.tif", "b_green.tif", "c_red.tif", "d_layer.tif", "e_layer.tif", "f_layer.tif"]
    per_band_files(folder, names, range(6))
    vrt = build_vrt(folder, glob_order(folder))
    m = model_bands(vrt, label="partly.vrt")
    assert m.how == "order" and m.bands == (1, 2, 3, 4, 5, 6)
    assert len(m.warnings) == 1 and "partly.vrt" in m.warnings[0]
    assert "unnamed bands 4, 5, 6 are assumed to be B8A, B11, B12 in file order" in m.warnings[0]
    assert "band 1 = B02 ('a_blue.tif')" in m.warnings[0] and "BEFORE_BANDS" in m.warnings[0]


def test_one_unnamed_band_among_five_in_place_needs_no_warning(tmp_path):
    folder = tmp_path / "five"
    names = ["a_blue.tif", "b_green.tif", "c_red.tif", "d_nir08.tif", "e_swir16.tif", "f_layer.tif"]
    per_band_files(folder, names, range(6))
    m = model_bands(build_vrt(folder, glob_order(folder)), label="five.vrt")
    assert m.how == "order" and m.bands == (1, 2, 3, 4, 5, 6) and m.warnings == ()


def test_unknown_bands_in_a_stack_are_refused_with_the_order_found(tmp_path):
    folder = tmp_path / "unknown"
    names = ["coastal.tif", "blue.tif", "green.tif", "red.tif", "nir08.tif", "swir16.tif"]
    per_band_files(folder, names, range(6))
    vrt = build_vrt(folder, [str(folder / n) for n in names])
    with pytest.raises(InputError) as info:
        model_bands(vrt, label="unknown.vrt")
    msg = str(info.value)
    assert "band 1 is named 'coastal.tif' (not a model band)" in msg
    assert "band 6 = B11 ('swir16.tif')" in msg


# ------------------------------------------------------------------------------------------------
# properties: random band permutations, the names in one place only
# ------------------------------------------------------------------------------------------------
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_permutation_is_recovered_from_any_one_kind_of_hint(tmp_path_factory, data):
    order = data.draw(st.permutations(range(6)), label="order")  # file k holds model band order[k]
    where = data.draw(st.sampled_from(["sources", "descriptions", "metadata"]), label="where")
    folder = tmp_path_factory.mktemp("perm")
    plain = [f"layer{k}.tif" for k in range(6)]
    if where == "sources":
        family = FAMILIES[data.draw(st.sampled_from(sorted(FAMILIES)), label="family")]
        paths = per_band_files(folder, [family[i] for i in order], order)
        vrt = build_vrt(folder, paths)
    else:
        names = [data.draw(st.sampled_from(ALIASES[MODEL[i]]), label=MODEL[i]) for i in order]
        paths = per_band_files(folder, plain, order)
        vrt = build_vrt(folder, paths)
        ds = gdal().Open(vrt, gdal().GA_Update)
        for k, name in enumerate(names):
            if where == "descriptions":
                ds.GetRasterBand(k + 1).SetDescription(name)
            else:
                key = data.draw(st.sampled_from(METADATA_KEYS), label="key")
                ds.GetRasterBand(k + 1).SetMetadata({key: name})
        ds = None
    m = model_bands(vrt, label=os.path.basename(vrt))
    assert m.how == "names"
    assert m.bands == tuple(order.index(k) + 1 for k in range(6))
    assert_model_order(vrt, m.bands)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(order=st.permutations(range(6)), family=st.sampled_from(sorted(FAMILIES)))
def test_a_stack_is_never_read_in_a_wrong_order(tmp_path_factory, order, family):
    """Named by sources with one name dropped: either the model bands are read right, or refused."""
    folder = tmp_path_factory.mktemp("drop")
    names = [FAMILIES[family][i] for i in order]
    names[0] = "layer.tif"  # this band carries no hint
    vrt = build_vrt(folder, per_band_files(folder, names, order))
    try:
        m = model_bands(vrt, label="stack.vrt")
    except InputError as exc:
        assert "order found" in str(exc)
        return
    assert_model_order(vrt, m.bands)


# ------------------------------------------------------------------------------------------------
# VRTs of VRTs (a mosaic or a copy of a stack): the hints are one VRT deeper
# ------------------------------------------------------------------------------------------------
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(order=st.permutations(range(6)), family=st.sampled_from(sorted(FAMILIES)), levels=st.integers(1, 3))
def test_a_vrt_of_a_vrt_stack_is_read_by_the_inner_sources_names(tmp_path_factory, order, family, levels):
    """``gdalbuildvrt outer.vrt stack.vrt`` (a mosaic of one stack; each band's source is the stack's band,
    whose only hint is its own source file's name), one to three levels, each in another folder: was read
    in file order (B8A, B02, ... taken as B02, B03, ...) without a word; the Landsat names of the inner
    files were read as Sentinel-2 red edges (the outer VRT's names say no sensor)."""
    folder = tmp_path_factory.mktemp("nested")
    names = [FAMILIES[family][i] for i in order]
    path = build_vrt(folder / "bands", per_band_files(folder / "bands", names, order))
    for level in range(levels):
        outer = folder / f"level{level}"
        outer.mkdir()
        path_out = str(outer / "mosaic.vrt")
        gdal().BuildVRT(path_out, [path]).FlushCache()
        path = path_out
    m = model_bands(path, label="mosaic.vrt")
    assert m.how == "names"
    assert m.bands == tuple(order.index(k) + 1 for k in range(6))
    assert_model_order(path, m.bands)


def test_nested_hints_say_where_they_were_found(tmp_path):
    order = [3, 0, 4, 1, 5, 2]
    inner = build_vrt(tmp_path, per_band_files(tmp_path, [FAMILIES["sentinel2"][i] for i in order], order))
    outer = str(tmp_path / "outer.vrt")
    gdal().BuildVRT(outer, [inner]).FlushCache()
    hints = dataset_hints(gdal().Open(outer), [1])[1]
    assert [(h.text, h.where) for h in hints] == [("T15SXR_20210907T163901_B8A_20m.tif", "source file")]
