"""Responses of the three public catalogues, written from their documentation (not copied), parse into
the scenes the pipeline needs: the right asset per model band, the quality asset, the radiometry, the
date, the tile; Planetary Computer URLs are signed with the token endpoint's answer."""
from __future__ import annotations

import io
import json
from pathlib import Path

import pystac
import pytest

from planaura_plugin.catalog import CatalogError
from planaura_plugin.catalog.access import failure_message, pc_sign, pc_token
from planaura_plugin.catalog.scenes import scene_from_item
from planaura_plugin.catalog.sources import CATALOGUES, catalogue_for

RECORDED = Path(__file__).parent / "recorded"


def item(name: str) -> pystac.Item:
    return pystac.Item.from_dict(json.loads((RECORDED / name).read_text()))


def test_cmr_stac_hls_item():
    scene = scene_from_item(item("cmr_stac_hls_item.json"), "CMR")
    assert [u.rsplit(".", 2)[-2] for u in scene.bands] == ["B02", "B03", "B04", "B8A", "B11", "B12"]
    assert scene.quality.endswith(".Fmask.tif") and scene.quality_kind == "fmask_bitwise"
    assert scene.affine == ((1.0, 0.0),) * 6
    assert (scene.date, scene.tile, scene.scene_cloud, scene.collection) == (2021250, "15SXR", 14.0, "HLSS30_2.0")


def test_an_hls_l30_item_takes_landsat_bands_not_the_s30_red_edge():
    data = json.loads((RECORDED / "cmr_stac_hls_item.json").read_text().replace("S30", "L30").replace(
        "HLSS30", "HLSL30"))
    for band in ("B06", "B07"):
        data["assets"][band] = dict(data["assets"]["B05"], href=data["assets"]["B05"]["href"].replace("B05", band))
    scene = scene_from_item(pystac.Item.from_dict(data), "CMR")
    assert [u.rsplit(".", 2)[-2] for u in scene.bands] == ["B02", "B03", "B04", "B05", "B06", "B07"]


def test_earth_search_item():
    scene = scene_from_item(item("earth_search_s2_item.json"), "ES")
    assert [u.rsplit("/", 1)[-1] for u in scene.bands] == ["B02.tif", "B03.tif", "B04.tif", "B8A.tif", "B11.tif",
                                                          "B12.tif"]
    assert scene.quality.endswith("SCL.tif") and scene.quality_kind == "scl"
    assert scene.affine == ((0.0001, -0.1),) * 6
    assert (scene.date, scene.tile, scene.sensor) == (2022245, "15SXR", "sentinel-2a")


def test_earth_search_offset_applied_without_raster_bands_gets_no_offset():
    data = json.loads((RECORDED / "earth_search_s2_item.json").read_text())
    for asset in data["assets"].values():
        asset.pop("raster:bands", None)
    assert scene_from_item(pystac.Item.from_dict(data), "ES").affine == ((1.0, -1000.0),) * 6
    data["properties"]["earthsearch:boa_offset_applied"] = True
    assert scene_from_item(pystac.Item.from_dict(data), "ES").affine == ((1.0, 0.0),) * 6


def test_planetary_computer_item_signed():
    token = pc_token("sentinel-2-l2a", opener=lambda url, timeout: io.BytesIO(
        (RECORDED / "planetary_computer_token.json").read_bytes()))
    scene = scene_from_item(item("planetary_computer_s2_item.json"), "PC", sign=lambda u: pc_sign(u, token))
    assert [u.split("?")[0].rsplit("_", 2)[-2] for u in scene.bands] == ["B02", "B03", "B04", "B8A", "B11", "B12"]
    assert all(u.endswith("?" + token) for u in scene.bands + (scene.quality,))
    assert "SCL_20m" in scene.quality and scene.quality_kind == "scl"
    assert scene.affine == ((1.0, -1000.0),) * 6
    assert (scene.date, scene.tile) == (2022245, "15SXR")
    assert pc_sign(scene.bands[0], token) == scene.bands[0]  # signed once


def test_an_item_without_the_bands_is_refused_with_its_assets_named():
    data = json.loads((RECORDED / "earth_search_s2_item.json").read_text())
    del data["assets"]["swir22"]
    with pytest.raises(CatalogError, match="S2A_15SXR_20220902_0_L2A.*blue, green"):
        scene_from_item(pystac.Item.from_dict(data), "ES")


def test_known_catalogues_and_urls():
    assert catalogue_for("hls").collections == ("HLSS30_2.0", "HLSL30_2.0")
    assert catalogue_for("https://planetarycomputer.microsoft.com/api/stac/v1/").signing == "planetary-computer"
    assert catalogue_for("http://example.org/stac").collections == ()
    assert set(CATALOGUES) == {"hls", "earth-search", "planetary-computer"}


def test_a_token_endpoint_without_token_is_refused():
    with pytest.raises(CatalogError, match="without a token"):
        pc_token("x", opener=lambda url, timeout: io.BytesIO(b'{"msft:expiry": "x"}'))
    assert "HTTP 403" in failure_message("C", "i", "u", "HTTP response code: 403")
