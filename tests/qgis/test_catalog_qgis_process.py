"""*Find imagery* and *Change map from a catalogue* end to end through ``qgis_process.bin``, against the
loopback STAC API of ``tests/catalog_servers.py``."""
from __future__ import annotations

import csv

import numpy as np
import pytest
from osgeo import gdal, ogr

import catalog_servers
from catalog_servers import BURN, CLOUD

pytestmark = pytest.mark.qgis


@pytest.fixture(scope="module")
def servers():
    return catalog_servers.started_or_skip()


def extent(aoi) -> str:
    xmin, ymin, xmax, ymax = aoi.bbox
    return f"{xmin},{xmax},{ymin},{ymax} [EPSG:32615]"


def log(done) -> str:
    return f"exit {done.returncode}\nstdout:\n{done.stdout[-4000:]}\nstderr:\n{done.stderr[-4000:]}"


def test_find_imagery_lists_the_clearest_over_the_area_first(tmp_path, qgis_process, servers):
    out = tmp_path / "found.gpkg"
    done, data = qgis_process.run_json("planaura:findimagery", {
        "SOURCE": 3, "STAC_URL": servers.STAC, "COLLECTIONS": "hls-test", "EXTENT": extent(CLOUD),
        "START_DATE": "2022-09-01", "END_DATE": "2022-09-10", "MAX_CLOUD": 100, "OUTPUT": str(out)})
    assert done.returncode == 0, log(done)
    ds = ogr.Open(str(out))  # kept: its layer dies with it
    layer = ds.GetLayer(0)
    rows = sorted(((f["rank"], f["item_id"], f["scene_cloud"], f["aoi_cloud"]) for f in layer))
    assert [r[1] for r in rows] == [servers.CLEAR_AOI_LIE, servers.CLOUDY]
    assert rows[0][2] == 90 and rows[1][2] == 0 and rows[0][3] < rows[1][3]
    assert layer.GetFeatureCount() == 2 and layer.GetSpatialRef().GetAuthorityCode(None) == "4326"
    # the cloud limit leaves the cloudy one out
    done, data = qgis_process.run_json("planaura:findimagery", {
        "SOURCE": 3, "STAC_URL": servers.STAC, "COLLECTIONS": "hls-test", "EXTENT": extent(CLOUD),
        "START_DATE": "2022-09-01", "END_DATE": "2022-09-10", "MAX_CLOUD": 20, "OUTPUT": str(tmp_path / "f2.gpkg")})
    assert done.returncode == 0, log(done)
    ds = ogr.Open(str(tmp_path / "f2.gpkg"))
    assert [f["item_id"] for f in ds.GetLayer(0)] == [servers.CLEAR_AOI_LIE]


def test_change_map_from_a_catalogue_equals_the_change_map_of_the_files(tmp_path, qgis_process, servers,
                                                                         tiny_checkpoint, tiny_yaml):
    model = {"CHECKPOINT": str(tiny_checkpoint), "MODEL_CONFIG": str(tiny_yaml), "DEVICE": 1}
    local = [str(servers.DIR / "www" / "hls" / g / f"{g}.B02.tif") for g in (servers.REAL, servers.CLOUDY)]
    done, data = qgis_process.run_json("planaura:changemap", {
        "BEFORE": local[0], "AFTER": local[1], "EXTENT": extent(BURN), **model, "OUTPUT": str(tmp_path / "disk.tif")})
    assert done.returncode == 0, log(done)
    done, data = qgis_process.run_json("planaura:catalogchangemap", {
        "SOURCE": 3, "STAC_URL": servers.STAC, "COLLECTIONS": "hls-test", "EXTENT": extent(BURN),
        "BEFORE_START": "2021-09-01", "BEFORE_END": "2021-09-10", "AFTER_START": "2022-09-01",
        "AFTER_END": "2022-09-05", "MAX_CLOUD": 100, "MIN_VALID_AOI": 0, **model,
        "OUTPUT": str(tmp_path / "catalogue.tif"), "SCENES_TABLE": str(tmp_path / "scenes.csv")})
    assert done.returncode == 0, log(done)
    a, b = (gdal.Open(str(tmp_path / n)) for n in ("catalogue.tif", "disk.tif"))
    assert a.GetGeoTransform() == b.GetGeoTransform() and (a.RasterXSize, a.RasterYSize) == (b.RasterXSize,
                                                                                             b.RasterYSize)
    assert np.max(np.abs(a.ReadAsArray().astype(float) - b.ReadAsArray())) <= 1e-6
    rows = list(csv.DictReader(open(tmp_path / "scenes.csv")))
    assert [(r["role"], r["item_id"]) for r in rows] == [("before", servers.REAL), ("after", servers.CLOUDY)]
