"""A one-band ``/vsicurl/`` layer of a catalogue's COG, as QGIS's STAC browser loads an asset, given as an
image finds its item's other bands and quality layer: an HLS band file by its name, another item by its
JSON beside the assets; the change map of two such layers is the change map of the two items."""
from __future__ import annotations

import numpy as np
from osgeo import gdal

from catalog_servers import BURN
from planaura_plugin.inputs.sources import describe_input
from planaura_plugin.pipeline.change import run_change_map
from planaura_plugin.pipeline.requests import ChangeMapRequest
from planaura_plugin.presets import HLS
from catalog_runs import catalogue_run, outputs, read


def test_an_hls_band_layer_finds_its_granule(stac_servers):
    s = stac_servers
    info = describe_input(f"/vsicurl/{s.HTTP}/hls/{s.REAL}/{s.REAL}.B04.tif", HLS)
    assert info.date == 2021250 and info.quality.dataset.endswith(f"{s.REAL}.Fmask.tif")
    vrt = gdal.Open(info.path)
    assert [vrt.GetRasterBand(b).GetDescription() for b in info.layout.bands] == ["B02", "B03", "B04", "B8A",
                                                                                   "B11", "B12"]


def test_an_earth_search_band_layer_finds_its_item(stac_servers):
    s = stac_servers
    item = "S2A_15SXR_20220902_ES1_L2A"
    info = describe_input(f"/vsicurl/{s.HTTP}/s2/{item}/red.tif", HLS)
    assert info.date == 2022245
    assert info.quality.kind == "scl" and info.quality.dataset.endswith(f"/s2/{item}/scl.tif")
    assert info.layout.scale == (1.0,) * 6 and info.layout.offset == (-1000.0,) * 6  # 0.0001, -0.1 in x 10000
    # an HLS Fmask layer over HTTP is its granule too (the hls adapter, /vsicurl/ included)
    assert describe_input(f"/vsicurl/{s.HTTP}/hls/{s.REAL}/{s.REAL}.Fmask.tif", HLS).date == 2021250


def test_change_map_of_two_band_layers_is_the_change_map_of_their_items(stac_servers, spec, tmp_path):
    s = stac_servers
    layers = [f"/vsicurl/{s.HTTP}/s2/S2A_15SXR_{day}_ES1_L2A/nir08.tif" for day in ("20210907", "20220902")]
    run_change_map(ChangeMapRequest(inputs=layers, outputs=outputs(tmp_path / "layers"), model=spec, bbox=BURN.bbox,
                                    bbox_crs=BURN.crs))
    catalogue_run(s, tmp_path / "items", spec, collection="s2-test", before_id="S2A_15SXR_20210907_ES0_L2A",
                  after_id="S2A_15SXR_20220902_ES0_L2A")
    for name in ("cosine.tif", "quality.tif"):
        a, gta, *size_a = read(tmp_path / "layers" / name)
        b, gtb, *size_b = read(tmp_path / "items" / name)
        assert (gta, size_a) == (gtb, size_b)
        assert np.nanmax(np.abs(a - b)) <= 1e-6, name


def test_an_item_url_is_an_image(stac_servers, spec, tmp_path):
    s = stac_servers
    urls = [f"{s.STAC}/collections/s2-test/items/S2A_15SXR_{day}_PC1_L2A" for day in ("20210907", "20220902")]
    info = describe_input(urls[0], HLS)
    assert info.date == 2021250 and info.quality.kind == "scl"
    assert info.layout.scale == (1.0,) * 6 and info.layout.offset == (-1000.0,) * 6  # s2:processing_baseline 05.00
    run_change_map(ChangeMapRequest(inputs=urls, outputs=outputs(tmp_path / "urls"), model=spec, bbox=BURN.bbox,
                                    bbox_crs=BURN.crs))
    catalogue_run(s, tmp_path / "items", spec, collection="s2-test", before_id="S2A_15SXR_20210907_ES0_L2A",
                  after_id="S2A_15SXR_20220902_ES0_L2A")
    a, gta, *_ = read(tmp_path / "urls" / "cosine.tif")
    b, gtb, *_ = read(tmp_path / "items" / "cosine.tif")
    assert gta == gtb and np.nanmax(np.abs(a - b)) <= 1e-6
