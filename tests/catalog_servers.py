"""The loopback catalogue of the catalogue tests: per-band COGs built with GDAL from
``../shared/data/hls_t15sxr`` and STAC items describing them, served by ``scripts/test_servers.sh``
(stac-fastapi-pgstac + nginx).

Collections (ids are this file's; asset names are the real catalogues'):

- ``hls-test``: HLS S30 items (``B02 ... B12``, ``Fmask``): the real 2021250 date; 2022245 (cloud
  blob in its Fmask) whose ``eo:cloud_cover`` says 0; 2022250 (the 2022245 bands with the cloud-free
  2021 Fmask) whose ``eo:cloud_cover`` says 90 -- the scene covers lie;
- ``hls-protected``: the 2021250 and 2022245 items with their files behind a bearer token (``/protected/``), one
  item with its files answering 403 (``/forbidden/``) and one whose files are missing (404);
- ``s2-test``: Earth Search-style items (``blue ... swir22``, ``scl``) of both dates without offset
  (baseline 03.01) and with it (baseline 05.00, ``raster:bands`` offset -0.1), and Planetary
  Computer-style ones (``B02 ... B12``, ``SCL``, baseline 05.00, no ``raster:bands``).
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Dict, List

import numpy as np

from support import DATA, REPO

from planaura_plugin.catalog.aoi_quality import Aoi

SCRIPT = REPO / "scripts" / "test_servers.sh"
DIR = Path(os.environ.get("PLANAURA_SERVERS_DIR", "/var/tmp/planaura-test-servers"))
HTTP = f"http://127.0.0.1:{os.environ.get('PLANAURA_HTTP_PORT', '58081')}"
STAC = f"http://127.0.0.1:{os.environ.get('PLANAURA_STAC_PORT', '58082')}"
TOKEN = os.environ.get("PLANAURA_TEST_TOKEN", "planaura-test-token")
REAL, CLOUDY = "HLS.S30.T15SXR.2021250T163901.v2.0", "HLS.S30.T15SXR.2022245T163901.v2.0"
CLEAR_AOI_LIE = "HLS.S30.T15SXR.2022250T163901.v2.0"
HLS_BANDS = ("B02", "B03", "B04", "B8A", "B11", "B12")
ES_BANDS = ("blue", "green", "red", "nir08", "swir16", "swir22")
GT = (600000.0, 30.0, 3600000.0)  # origin and pixel of the scene (hls_t15sxr)


def aoi_px(col0: int, row0: int, cols: int, rows: int) -> Aoi:
    """An AOI on the scene's pixel grid, in its CRS (EPSG:32615, numerically the HLS WKT)."""
    x0, y0 = GT[0] + col0 * GT[1], GT[2] - row0 * GT[1]
    return Aoi((x0, y0 - rows * GT[1], x0 + cols * GT[1], y0), "EPSG:32615")


BURN = aoi_px(320, 320, 128, 128)  # part of the burn scar, away from the cloud blob; with one tile (64 px)
#                                    around it, inside one 256 px block of the COGs
CLOUD = aoi_px(350, 530, 64, 64)   # over the cloud blob of 2022245's Fmask

VERSION = "6"  # bump when the data below changes: the www folder is rebuilt


def cog(array: np.ndarray, like, path: Path, nodata) -> None:
    """One band as a COG (256 px blocks, DEFLATE, overviews) on the grid of the GDAL dataset ``like``."""
    from osgeo import gdal, gdal_array

    mem = gdal.GetDriverByName("MEM").Create("", array.shape[1], array.shape[0], 1,
                                             gdal_array.NumericTypeCodeToGDALTypeCode(array.dtype))
    mem.SetGeoTransform(like.GetGeoTransform())
    mem.SetProjection(like.GetProjection())
    if nodata is not None:
        mem.GetRasterBand(1).SetNoDataValue(nodata)
    mem.GetRasterBand(1).WriteArray(array)
    path.parent.mkdir(parents=True, exist_ok=True)
    # overviews as the catalogues' COGs have them: GDAL's samples of a band read them, not the band
    gdal.Translate(str(path), mem, format="COG", creationOptions=["BLOCKSIZE=256", "COMPRESS=DEFLATE",
                                                                  "OVERVIEW_RESAMPLING=NEAREST"])


def _read(name: str) -> np.ndarray:
    from osgeo import gdal

    return gdal.Open(str(DATA / name)).ReadAsArray()


def _scl(fmask: np.ndarray) -> np.ndarray:
    """An SCL layer saying what the Fmask says (clear 4, cloud 9, adjacent 8, shadow 3, snow 11, fill 0)."""
    from planaura_plugin.fmask import decode

    codes = decode(fmask.astype(np.uint8))
    lut = np.full(256, 4, dtype=np.uint8)
    lut[[1, 2, 3, 4, 255]] = [9, 8, 3, 11, 0]
    return lut[codes]


def _item(item_id: str, collection: str, when: str, assets: Dict[str, dict], like, props: dict) -> dict:
    from osgeo import osr

    gt = like.GetGeoTransform()
    xs = [gt[0], gt[0] + gt[1] * like.RasterXSize]
    ys = [gt[3] + gt[5] * like.RasterYSize, gt[3]]
    src, dst = osr.SpatialReference(), osr.SpatialReference()
    src.ImportFromWkt(like.GetProjection())
    dst.ImportFromEPSG(4326)
    for s in (src, dst):
        s.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    w, s_, e, n = osr.CoordinateTransformation(src, dst).TransformBounds(xs[0], ys[0], xs[1], ys[1], 21)
    ring = [[w, s_], [e, s_], [e, n], [w, n], [w, s_]]
    return {"type": "Feature", "stac_version": "1.0.0", "id": item_id, "collection": collection,
            "stac_extensions": ["https://stac-extensions.github.io/raster/v1.1.0/schema.json",
                                "https://stac-extensions.github.io/eo/v1.1.0/schema.json"],
            "geometry": {"type": "Polygon", "coordinates": [ring]}, "bbox": [w, s_, e, n],
            "properties": dict(props, datetime=when), "links": [], "assets": assets}


def _asset(url: str, raster_band: dict = None) -> dict:
    asset = {"href": url, "type": "image/tiff; application=geotiff; profile=cloud-optimized", "roles": ["data"]}
    if raster_band:
        asset["raster:bands"] = [raster_band]
    return asset


def _hls(folder: str, granule: str, bands: np.ndarray, fmask: np.ndarray, like) -> Dict[str, dict]:
    assets = {}
    for name, band in zip(HLS_BANDS, bands):
        cog(band, like, DIR / "www" / folder / granule / f"{granule}.{name}.tif", -9999)
        assets[name] = _asset(f"{HTTP}/{folder}/{granule}/{granule}.{name}.tif")
    cog(fmask, like, DIR / "www" / folder / granule / f"{granule}.Fmask.tif", None)
    assets["Fmask"] = _asset(f"{HTTP}/{folder}/{granule}/{granule}.Fmask.tif")
    return assets


def _s2(item_id: str, keys, quality_key: str, bands: np.ndarray, scl: np.ndarray, offset: bool, like,
        rb: bool) -> Dict[str, dict]:
    valid = np.all(bands > 0, axis=0)
    dn = np.where(valid, bands.astype(np.int32) + (1000 if offset else 0), 0).astype(np.uint16)
    assets = {}
    for key, band in zip(keys, dn):
        cog(band, like, DIR / "www" / "s2" / item_id / f"{key}.tif", 0)
        assets[key] = _asset(f"{HTTP}/s2/{item_id}/{key}.tif",
                             {"scale": 0.0001, "offset": -0.1 if offset else 0.0, "nodata": 0} if rb else None)
    cog(scl, like, DIR / "www" / "s2" / item_id / f"{quality_key}.tif", 0)
    assets[quality_key] = _asset(f"{HTTP}/s2/{item_id}/{quality_key}.tif")
    return assets


def build() -> List[Path]:
    """Write the COGs under ``DIR/www`` and the collections and items as ndjson; returns the ndjson files."""
    from osgeo import gdal

    like = gdal.Open(str(DATA / f"{REAL}.tif"))
    real, cloudy = _read(f"{REAL}.tif"), _read(f"{CLOUDY}.tif")
    fm_real, fm_cloudy = _read(f"fmask_{REAL}.tif"), _read(f"fmask_{CLOUDY}.tif")
    hls_props = {"platform": "sentinel-2a", "instruments": ["msi"]}
    items = [
        _item(REAL, "hls-test", "2021-09-07T16:39:01Z", _hls("hls", REAL, real, fm_real, like),
              like, dict(hls_props, **{"eo:cloud_cover": 12})),
        _item(CLOUDY, "hls-test", "2022-09-02T16:39:01Z", _hls("hls", CLOUDY, cloudy, fm_cloudy, like),
              like, dict(hls_props, **{"eo:cloud_cover": 0})),
        _item(CLEAR_AOI_LIE, "hls-test", "2022-09-07T16:39:01Z", _hls("hls", CLEAR_AOI_LIE, cloudy, fm_real, like),
              like, dict(hls_props, **{"eo:cloud_cover": 90})),
        _item(REAL, "hls-protected", "2021-09-07T16:39:01Z", _hls("protected", REAL, real, fm_real, like),
              like, hls_props),
        _item(CLOUDY, "hls-protected", "2022-09-02T16:39:01Z", _hls("protected", CLOUDY, cloudy, fm_cloudy, like),
              like, hls_props),
    ]
    for folder, name, day in (("forbidden", "HLS.S30.T15SXR.2021251T163901.v2.0", "08"),
                              ("missing", "HLS.S30.T15SXR.2021252T163901.v2.0", "09")):
        assets = {k: _asset(f"{HTTP}/{folder}/{name}.{k}.tif") for k in HLS_BANDS + ("Fmask",)}
        items.append(_item(name, "hls-protected", f"2021-09-{day}T16:39:01Z", assets, like, hls_props))
    for date, tag, bands, fmask in (("2021-09-07", "20210907", real, fm_real), ("2022-09-02", "20220902", cloudy,
                                                                                 fm_cloudy)):
        scl = _scl(fmask)
        for variant, keys, qkey, offset, rb, baseline in (("ES0", ES_BANDS, "scl", False, True, "03.01"),
                                                          ("ES1", ES_BANDS, "scl", True, True, "05.00"),
                                                          ("PC1", HLS_BANDS, "SCL", True, False, "05.00")):
            item_id = f"S2A_15SXR_{tag}_{variant}_L2A"
            props = {"platform": "sentinel-2a", "s2:processing_baseline": baseline, "eo:cloud_cover": 10,
                     "mgrs:utm_zone": 15, "mgrs:latitude_band": "S", "mgrs:grid_square": "XR",
                     "earthsearch:boa_offset_applied": False}
            items.append(_item(item_id, "s2-test", f"{date}T16:39:01Z",
                               _s2(item_id, keys, qkey, bands, scl, offset, like, rb), like, props))
    for item in items:  # Earth Search's COG bucket keeps each item's JSON beside its assets
        if item["collection"] == "s2-test":
            (DIR / "www" / "s2" / item["id"] / f"{item['id']}.json").write_text(json.dumps(item))
    return _write_ndjson(items)


def _write_ndjson(items: List[dict]) -> List[Path]:
    collections = []
    for cid in sorted({i["collection"] for i in items}):
        collections.append({"type": "Collection", "stac_version": "1.0.0", "id": cid, "description": cid,
                            "license": "proprietary", "links": [],
                            "extent": {"spatial": {"bbox": [[-180, -90, 180, 90]]},
                                       "temporal": {"interval": [["2021-01-01T00:00:00Z", None]]}}})
    out = [DIR / "load.collections.ndjson", DIR / "load.items.ndjson"]
    out[0].write_text("".join(json.dumps(c) + "\n" for c in collections))
    out[1].write_text("".join(json.dumps(i) + "\n" for i in items))
    return out


def start() -> None:
    """Start the servers (idempotent), building the data once per :data:`VERSION`, and load the items."""
    DIR.mkdir(parents=True, exist_ok=True)
    subprocess.run(["bash", str(SCRIPT), "start"], check=True, capture_output=True, text=True)
    stamp = DIR / "www" / "VERSION"
    if not stamp.exists() or stamp.read_text() != VERSION:
        for sub in ("hls", "protected", "s2"):
            shutil.rmtree(DIR / "www" / sub, ignore_errors=True)
        ndjson = build()
        subprocess.run(["bash", str(SCRIPT), "load", *map(str, ndjson)], check=True, capture_output=True, text=True)
        stamp.write_text(VERSION)


def installed() -> str:
    """"" when the servers' software is installed, else what is missing."""
    done = subprocess.run(["bash", str(SCRIPT), "installed"], capture_output=True, text=True)
    if done.returncode == 0:
        return ""
    return done.stderr.strip() or f"scripts/test_servers.sh installed: exit {done.returncode}, {done.stdout.strip()}"


def started_or_skip():
    """The servers started with the test catalogue loaded (this module, for its URLs and token); the test is
    skipped, with the reason, when their software is missing, or fails when ``PLANAURA_REQUIRE_SERVERS`` is set."""
    import pytest

    missing = installed()
    if missing:
        if os.environ.get("PLANAURA_REQUIRE_SERVERS"):
            pytest.fail(f"PLANAURA_REQUIRE_SERVERS is set but the test servers cannot start: {missing}")
        pytest.skip(f"the catalogue test servers are not installed ({missing}); scripts/setup.sh installs them")
    start()
    import sys

    return sys.modules[__name__]


def access_log_bytes(prefix: str) -> int:
    """Bytes nginx sent for the URIs starting with ``prefix`` (its access log: uri status bytes range)."""
    total = 0
    log = DIR / "nginx" / "access.log"
    for line in log.read_text().splitlines() if log.exists() else ():
        parts = line.split()
        if len(parts) >= 3 and parts[0].startswith(prefix):
            total += int(parts[2])
    return total
