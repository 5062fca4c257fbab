"""Imagery as distributed through the whole change-map pipeline (issue 9).

An HLS granule chosen by any one of its band files gives exactly the stacked file's outputs,
its Fmask included; two Sentinel-2 products of one surface on both sides of processing
baseline 04.00 give the identical-image cosine; the SCL becomes the quality output.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from support import DATA, TINY
from planaura_plugin.quality_kinds import QUALITY_FMASK_CLASSES, QualitySource
from planaura_plugin.fmask import scl_to_quality
from planaura_plugin.model.config import ModelConfig
from planaura_plugin.model.loading import ModelSpec
from planaura_plugin.pipeline.change import run_change_map
from planaura_plugin.pipeline.requests import ChangeMapOutputs, ChangeMapRequest
from planaura_plugin.presets import HLS, S2

AFTER = DATA / "HLS.S30.T15SXR.2022245T163901.v2.0.tif"
CROP = (400, 400, 256, 256)


def spec_for(preset, checkpoint) -> ModelSpec:
    return ModelSpec(preset=preset, config=ModelConfig(**TINY), checkpoint=str(checkpoint), device="cpu",
                     batch_size=16)


def run(spec, inputs, out: Path, **kw):
    from osgeo import gdal

    out.mkdir(parents=True, exist_ok=True)
    outputs = ChangeMapOutputs(cosine_map=str(out / "cos.tif"), quality_fmask=str(out / "q.tif"),
                               before_date=str(out / "bd.tif"))
    run_change_map(ChangeMapRequest(inputs=[str(p) for p in inputs], outputs=outputs, model=spec, **kw))
    return {k: gdal.Open(str(out / f"{k}.tif")).ReadAsArray() for k in ("cos", "q", "bd")}


@pytest.fixture(scope="module")
def stacked(tmp_path_factory, hls_stack):
    """The stacked crop (with its Fmask beside it) and the after crop, as plain GeoTIFFs."""
    from osgeo import gdal

    folder = tmp_path_factory.mktemp("stacked")
    before = folder / hls_stack.name
    gdal.Translate(str(before), str(hls_stack), srcWin=list(CROP))
    gdal.Translate(str(folder / f"fmask_{hls_stack.name}"), str(DATA / f"fmask_{hls_stack.name}"),
                   srcWin=list(CROP))
    after = tmp_path_factory.mktemp("after") / AFTER.name
    gdal.Translate(str(after), str(AFTER), srcWin=list(CROP))
    return before, after


@pytest.fixture(scope="module")
def stacked_run(tiny_checkpoint, stacked, tmp_path_factory):
    return run(spec_for(HLS, tiny_checkpoint), stacked, tmp_path_factory.mktemp("ref"))


@pytest.mark.parametrize("band", ["B02", "B8A", "B12", "Fmask", "SZA"])
def test_s30_granule_from_any_band_file_equals_the_stacked_run(tiny_checkpoint, stacked, stacked_run, hls_s30,
                                                             tmp_path, band):
    chosen = hls_s30.with_name(hls_s30.name.replace(".B04.", f".{band}."))
    got = run(spec_for(HLS, tiny_checkpoint), [chosen, stacked[1]], tmp_path)
    for key in ("cos", "q", "bd"):
        np.testing.assert_array_equal(got[key], stacked_run[key], err_msg=key)
    assert (got["q"] != 255).any() and (got["q"] > 0).any(), "the granule's Fmask must reach the quality output"


def test_l30_granule_maps_landsat_band_names(tiny_checkpoint, stacked, stacked_run, hls_l30, tmp_path):
    got = run(spec_for(HLS, tiny_checkpoint), [hls_l30, stacked[1]], tmp_path)
    np.testing.assert_array_equal(got["cos"], stacked_run["cos"])
    np.testing.assert_array_equal(got["q"], stacked_run["q"])
    assert set(np.unique(got["bd"])) <= {2021251, -100}


def test_sentinel2_pair_across_baseline_04_gives_the_identical_image_cosine(tiny_checkpoint, s2_products, tmp_path):
    spec = spec_for(S2, tiny_checkpoint)
    old, new = s2_products["03.01"], s2_products["04.00"]
    across = run(spec, [old, new], tmp_path / "across", min_valid=0.0)
    same = run(spec, [old, old], tmp_path / "same", min_valid=0.0)
    np.testing.assert_array_equal(across["cos"], same["cos"])
    valid = across["cos"] != -100
    assert valid.any() and np.median(across["cos"][valid]) > 0.99  # patches on the swath edge score lower
    zipped = run(spec, [old, s2_products["04.00.zip"]], tmp_path / "zip", min_valid=0.0)
    np.testing.assert_array_equal(zipped["cos"], same["cos"])


def test_sentinel2_scl_is_the_quality_source(tiny_checkpoint, s2_products, s2_surface, tmp_path):
    """The quality output equals a run given the SCL mapped to quality codes as explicit class files."""
    from osgeo import gdal

    spec = spec_for(S2, tiny_checkpoint)
    got = run(spec, [s2_products["03.01"], s2_products["04.00"]], tmp_path / "scl", min_valid=0.0)
    codes = scl_to_quality(s2_surface.scl)
    classes = tmp_path / "classes.tif"
    mem = gdal.GetDriverByName("GTiff").Create(str(classes), codes.shape[1], codes.shape[0], 1, gdal.GDT_Byte)
    mem.SetGeoTransform((600000.0, 20, 0, 3600000.0, 0, -20))
    from osgeo import osr

    srs = osr.SpatialReference()
    srs.ImportFromEPSG(32615)
    mem.SetProjection(srs.ExportToWkt())
    mem.GetRasterBand(1).WriteArray(codes)
    mem = None
    q = QualitySource(str(classes), QUALITY_FMASK_CLASSES)
    ref = run(spec, [s2_products["03.01"], s2_products["04.00"]], tmp_path / "ref", min_valid=0.0, fmasks=[q, q])
    np.testing.assert_array_equal(got["q"], ref["q"])
    assert (got["q"] == 4).any(), "SCL snow (11) pooled per patch must reach the quality output"


def test_a_sen2cor_product_without_offset_list_pairs_as_the_same_surface(tiny_checkpoint, s2_products, write_s2,
                                                                        s2_surface, tmp_path):
    """Issue 21: the user's own Sen2Cor (baseline 99.99, N9999, no BOA_ADD_OFFSET list) stores DN = 10000 x
    reflectance; with ESA's -1000 subtracted, 88 % of an unchanged surface was classed as change."""
    spec = spec_for(S2, tiny_checkpoint)
    local = write_s2(tmp_path / "local", "99.99", s2_surface, offset=0, offset_list=False)
    old = s2_products["03.01"]
    across = run(spec, [old, local], tmp_path / "across", min_valid=0.0)
    same = run(spec, [old, old], tmp_path / "same", min_valid=0.0)
    np.testing.assert_array_equal(across["cos"], same["cos"])
