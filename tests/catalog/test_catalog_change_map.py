"""A change map from a STAC catalogue equals the change map of the same files on disk; the clearest
scene is chosen over the AOI, not by the scene's cover; Sentinel-2 offsets declared by items are
applied; only a small share of the files is read over HTTP."""
from __future__ import annotations

import datetime as dt
import os

import numpy as np
import pytest
from osgeo import gdal

from planaura_plugin.catalog.change_pair import CatalogChangeRequest, catalog_change_map, rank_scenes
from planaura_plugin.catalog.search import search_scenes
from planaura_plugin.catalog.sources import catalogue_for
from planaura_plugin.pipeline.change import run_change_map
from planaura_plugin.pipeline.requests import ChangeMapRequest
from catalog_runs import WINDOW_2021, WINDOW_2022, catalogue_run, outputs, read
from catalog_servers import BURN, CLOUD, GT, aoi_px

def file_sizes(folder) -> int:
    return sum(os.path.getsize(os.path.join(folder, f)) for f in os.listdir(folder))


def test_catalogue_map_equals_the_map_of_the_same_files_on_disk(stac_servers, spec, tmp_path):
    s = stac_servers
    log_before = s.access_log_bytes(f"/hls/{s.REAL}/")
    written = catalogue_run(s, tmp_path / "catalogue", spec)
    read_over_http = s.access_log_bytes(f"/hls/{s.REAL}/") - log_before
    local = [str(s.DIR / "www" / "hls" / g / f"{g}.B02.tif") for g in (s.REAL, s.CLOUDY)]
    disk = tmp_path / "disk"
    run_change_map(ChangeMapRequest(inputs=local, outputs=outputs(disk), model=spec, bbox=BURN.bbox,
                                    bbox_crs=BURN.crs))
    for name in ("cosine.tif", "quality.tif"):
        a, gta, wa, ha = read(tmp_path / "catalogue" / name)
        b, gtb, wb, hb = read(disk / name)
        assert (gta, wa, ha) == (gtb, wb, hb)
        assert np.nanmax(np.abs(a - b)) <= 1e-6, name
    cosine = read(disk / "cosine.tif")[0]
    assert np.nanstd(cosine[cosine > -1]) > 1e-3  # a real map, not a constant one both paths could share
    table = open(written["scenes_table"]).read()
    assert s.REAL in table and s.CLOUDY in table
    # GDAL read the AOI's blocks, overview blocks and the headers, not the files (1000 x 1000 px, 16 blocks)
    total = file_sizes(s.DIR / "www" / "hls" / s.REAL)
    assert 0 < read_over_http < 0.25 * total, (read_over_http, total)


def test_the_clearest_scene_is_the_clearest_over_the_aoi_not_by_scene_cover(stac_servers):
    s = stac_servers
    catalogue = catalogue_for(s.STAC)
    window = (dt.date(2022, 9, 1), dt.date(2022, 9, 10))
    scenes = search_scenes(catalogue, CLOUD.wgs84(), *window, collections=("hls-test",))
    assert {sc.item_id: sc.scene_cloud for sc in scenes} == {s.CLOUDY: 0.0, s.CLEAR_AOI_LIE: 90.0}
    ranked = rank_scenes(scenes, CLOUD)
    assert [sc.item_id for sc, _c in ranked] == [s.CLEAR_AOI_LIE, s.CLOUDY]
    # the cloud share is exact: the Fmask over the AOI window, cloud/adjacent/shadow among informed pixels
    from planaura_plugin.fmask import decode
    fmask = gdal.Open(str(s.DATA / f"fmask_{s.CLOUDY}.tif")).ReadAsArray(350, 530, 64, 64)
    codes = decode(fmask)
    expected = np.isin(codes[codes != 255], (1, 2, 3)).mean()
    assert expected > 0.5
    assert ranked[1][1].cloud == pytest.approx(expected, abs=1e-12)
    # where both are clear over the AOI, the scene cover breaks the tie
    ranked_burn = rank_scenes(search_scenes(catalogue, BURN.wgs84(), *window, collections=("hls-test",)), BURN)
    assert [sc.item_id for sc, _c in ranked_burn] == [s.CLOUDY, s.CLEAR_AOI_LIE]


def test_sentinel2_items_with_the_offset_give_the_map_of_the_offset_free_items(stac_servers, spec, tmp_path):
    maps = {}
    for variant in ("ES0", "ES1", "PC1"):
        folder = tmp_path / variant
        catalogue_run(stac_servers, folder, spec, collection="s2-test", before_id=f"S2A_15SXR_20210907_{variant}_L2A",
                      after_id=f"S2A_15SXR_20220902_{variant}_L2A")
        maps[variant] = read(folder / "cosine.tif")
        vrt = gdal.Open(str(folder / "scenes" / f"S2A_15SXR_20210907_{variant}_L2A.vrt"))
        declared = (vrt.GetRasterBand(1).GetScale(), vrt.GetRasterBand(1).GetOffset())
        assert declared == {"ES0": (0.0001, 0.0), "ES1": (0.0001, -0.1), "PC1": (1.0, -1000.0)}[variant]
    base, gt0, *_ = maps["ES0"]
    assert np.nanstd(base[base > -1]) > 1e-3
    for variant in ("ES1", "PC1"):
        other, gt, *_ = maps[variant]
        assert gt == gt0
        assert np.nanmax(np.abs(other - base)) <= 1e-6, variant


def test_a_local_copy_holds_the_aoi_window_and_gives_the_same_map(stac_servers, spec, tmp_path):
    catalogue_run(stac_servers, tmp_path / "streamed", spec)
    catalogue_run(stac_servers, tmp_path / "copied", spec, download_folder=str(tmp_path / "copy"))
    copies = sorted(os.listdir(tmp_path / "copy"))
    assert copies == sorted(f"{g}{end}" for g in (stac_servers.REAL, stac_servers.CLOUDY)
                            for end in (".tif", "_quality.tif"))
    image = gdal.Open(str(tmp_path / "copy" / f"{stac_servers.REAL}.tif"))
    assert (image.RasterXSize, image.RasterYSize) == (128 + 2 * 64, 128 + 2 * 64)  # the AOI and one tile around
    for name in ("cosine.tif", "quality.tif"):
        a, gta, *size_a = read(tmp_path / "copied" / name)
        b, gtb, *size_b = read(tmp_path / "streamed" / name)
        assert (gta, size_a) == (gtb, size_b)
        assert np.nanmax(np.abs(a - b)) <= 1e-6, name


def test_an_area_smaller_than_a_tile_is_processed_as_the_tile_centred_on_it(stac_servers, spec, tmp_path):
    small = aoi_px(400, 300, 20, 30)  # the tiny model's tile is 64 px
    catalogue_run(stac_servers, tmp_path / "small", spec, aoi=small)
    _a, gt, width, height = read(tmp_path / "small" / "cosine.tif")
    assert (width, height) == (64, 64)
    centre = (gt[0] + 32 * gt[1], gt[3] + 32 * gt[5])
    assert centre == (GT[0] + 410 * GT[1], GT[2] - 315 * GT[1])


def test_cancel_stops_between_scenes_with_nothing_written(stac_servers, spec, tmp_path):
    import time

    from planaura_plugin.errors import Cancelled
    from planaura_plugin.feedback import Feedback

    class CancelAtOnce(Feedback):
        asked = None

        def progress(self, fraction: float, message: str = "") -> None:
            self.asked = self.asked or time.monotonic()

        def is_cancelled(self) -> bool:
            return self.asked is not None

    feedback = CancelAtOnce()
    request = CatalogChangeRequest(catalogue=catalogue_for(stac_servers.STAC), aoi=BURN, before=WINDOW_2021,
                                   after=WINDOW_2022, outputs=outputs(tmp_path), scenes_table=str(tmp_path / "s.csv"),
                                   model=spec, collections=("hls-test",))
    with pytest.raises(Cancelled):
        catalog_change_map(request, feedback)
    assert time.monotonic() - feedback.asked < 1.0
    assert not any(p.suffix in (".tif", ".csv") for p in tmp_path.iterdir())
