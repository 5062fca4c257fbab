"""Each access failure gives its message (which catalogue, which item, what to do): 401 without the
token (and the read works with it), 403, 404, a server that cannot be reached; GDAL's options are
set for the run only."""
from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from osgeo import gdal

from planaura_plugin.catalog import CatalogError
from planaura_plugin.catalog.access import RUN_OPTIONS, gdal_http
from planaura_plugin.catalog.aoi_quality import aoi_cover
from planaura_plugin.catalog.assemble import scene_vrt
from planaura_plugin.catalog.search import search_scenes
from planaura_plugin.catalog.sources import catalogue_for
from catalog_runs import catalogue_run, read
from catalog_servers import BURN

WINDOW = (dt.date(2021, 9, 1), dt.date(2021, 9, 10))


@pytest.fixture(scope="module")
def protected(stac_servers):
    catalogue = catalogue_for(stac_servers.STAC)
    scenes = search_scenes(catalogue, BURN.wgs84(), *WINDOW, collections=("hls-protected",))
    return catalogue, {s.item_id[:29]: s for s in scenes}


def test_without_the_token_401_says_to_give_it_and_with_it_the_data_is_read(stac_servers, protected, tmp_path):
    catalogue, scenes = protected
    scene = scenes["HLS.S30.T15SXR.2021250T163901"]
    with gdal_http():
        with pytest.raises(CatalogError) as caught:
            aoi_cover(scene.quality, scene.quality_kind, BURN, catalogue.title, scene.item_id)
    text = str(caught.value)
    assert "HTTP 401" in text and scene.item_id in text and catalogue.title in text and "token" in text
    with gdal_http(token=stac_servers.TOKEN) as scope:
        for url in scene.bands + (scene.quality,):
            scope.allow(url)
        cover = aoi_cover(scene.quality, scene.quality_kind, BURN, catalogue.title, scene.item_id)
        assert cover.valid == 1.0
        assert gdal.Open(scene_vrt(scene, str(tmp_path), catalogue.title, BURN, 64)).ReadAsArray().std() > 0
    with gdal_http(token="wrong") as scope:
        scope.allow(scene.quality)
        with pytest.raises(CatalogError, match="HTTP 401"):
            aoi_cover(scene.quality, scene.quality_kind, BURN, catalogue.title, scene.item_id)


@pytest.mark.parametrize("item, status, advice", [("HLS.S30.T15SXR.2021251T163901", "HTTP 403", "licence"),
                                                  ("HLS.S30.T15SXR.2021252T163901", "HTTP 404", "search again")])
def test_403_and_404_name_the_item_and_what_to_do(protected, tmp_path, item, status, advice):
    catalogue, scenes = protected
    scene = scenes[item]
    with gdal_http():
        with pytest.raises(CatalogError) as caught:
            scene_vrt(scene, str(tmp_path), catalogue.title)
    text = str(caught.value)
    assert status in text and scene.item_id in text and advice in text and scene.bands[0] in text


def test_a_catalogue_that_cannot_be_reached_says_so(stac_servers):
    catalogue = catalogue_for("http://127.0.0.1:9/stac")
    with pytest.raises(CatalogError, match="cannot be reached.*internet connection"):
        search_scenes(catalogue, BURN.wgs84(), *WINDOW)
    with pytest.raises(CatalogError) as caught:
        search_scenes(catalogue, BURN.wgs84(), *WINDOW)
    assert "item" not in str(caught.value) and "http://127.0.0.1:9/stac" in str(caught.value)
    wrong = stac_servers.HTTP + "/no-stac-here"
    with pytest.raises(CatalogError) as caught:
        search_scenes(catalogue_for(wrong), BURN.wgs84(), *WINDOW)
    text = str(caught.value)
    assert "HTTP 404" in text and wrong in text and "not the address of a STAC API" in text
    assert "item" not in text and "reprocessed" not in text  # no item is involved in a search


def test_gdal_options_are_set_for_the_run_only():
    key = "GDAL_HTTP_MAX_RETRY"
    before = gdal.GetConfigOption(key)
    with gdal_http(token="t") as scope:
        assert gdal.GetConfigOption(key) == RUN_OPTIONS[key]
        scope.allow("http://127.0.0.1:1/a.tif")
        assert gdal.GetConfigOption("GDAL_HTTP_HEADERS") == "Authorization: Bearer t"
        assert "Bearer t" in (gdal.GetPathSpecificOption("/vsicurl/http://127.0.0.1:1/a.tif", "GDAL_HTTP_HEADERS")
                              or "")
    assert gdal.GetConfigOption(key) == before and gdal.GetConfigOption("GDAL_HTTP_HEADERS") is None
    assert gdal.GetPathSpecificOption("/vsicurl/http://127.0.0.1:1/a.tif", "GDAL_HTTP_HEADERS") is None


def test_an_earthdata_token_goes_to_nasa_hosts_only():
    from planaura_plugin.catalog.access import EARTHDATA_HOSTS

    with gdal_http(token="t", hosts=EARTHDATA_HOSTS) as scope:
        scope.allow("https://evil.example.com/HLS.B02.tif")
        scope.allow("https://data.lpdaac.earthdatacloud.nasa.gov/lp-prod-protected/HLSS30.020/x.B02.tif")
        assert scope.paths == ["/vsicurl/https://data.lpdaac.earthdatacloud.nasa.gov/"]


def test_a_change_map_from_a_collection_behind_a_token(stac_servers, spec, tmp_path):
    s = stac_servers
    with pytest.raises(CatalogError, match="HTTP 401"):
        catalogue_run(s, tmp_path / "no_token", spec, collection="hls-protected")
    catalogue_run(s, tmp_path / "token", spec, collection="hls-protected", token=s.TOKEN)
    catalogue_run(s, tmp_path / "open", spec)
    a, gta, *_ = read(tmp_path / "token" / "cosine.tif")
    b, gtb, *_ = read(tmp_path / "open" / "cosine.tif")
    assert gta == gtb and np.nanmax(np.abs(a - b)) <= 1e-6
    assert not (tmp_path / "no_token" / "cosine.tif").exists()


def test_scenes_that_cannot_be_read_are_left_out_with_their_message(stac_servers, protected):
    from planaura_plugin.catalog.change_pair import rank_scenes
    from planaura_plugin.feedback import Feedback

    class Recording(Feedback):
        def __init__(self):
            self.warnings = []

        def warning(self, message: str) -> None:
            self.warnings.append(message)

    catalogue, scenes = protected
    feedback = Recording()
    with gdal_http(token=stac_servers.TOKEN) as scope:
        for scene in scenes.values():
            scope.allow(scene.quality)
        ranked = rank_scenes(list(scenes.values()), BURN, catalogue.title, feedback)
    assert [s.item_id for s, _c in ranked] == [stac_servers.REAL]
    assert sorted(w.split("(HTTP ")[1][:3] for w in feedback.warnings) == ["403", "404"]
