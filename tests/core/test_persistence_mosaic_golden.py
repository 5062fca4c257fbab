"""Parity of the persistence mosaic with the reference's golden mosaics (runs i, iii and v).

The golden per-pair outputs are mosaicked to EPSG:3979 at 30 m with the postfix ``golden``
and every ``mosaic_*_golden_c.tif`` is compared with the reference's file: header exactly
(geotransform to 1e-6) and values within the golden README's tolerances, accepting at most
0.1 % mismatching pixels (order-sensitive pixels and, in the input mosaics, the reference's
-100 bug pixels excluded).
"""
from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest

from golden_compare import assert_same_header, raster_info, read_bands
from mosaic_compare import (MAX_MISMATCH_FRACTION, RASTER, REFERENCE_INPUT_BUG, compare_mosaic, golden_input_images,
                            mosaic_kind)
from planaura_plugin.pipeline.mosaic import find_pair_layers, run_mosaic
from planaura_plugin.pipeline.requests import MosaicRequest

RUNS = {
    # run: (pair count, mosaic size, origin as the golden README gives it, or None)
    "i_stride16_upsample": (1, (341, 299), (317093.093, -1909413.584)),
    "iii_stride1_dense": (1, (132, 132), None),  # dense-mode maps: (H-15)x(W-15), origin moved by 7 px
    "v_mosaic3": (3, (609, 399), (317093.093, -1909413.584)),
}


def golden_mosaics(run: str):
    return sorted((RASTER / run / "outputs" / "epoch2021").glob("mosaic_*_golden_c.tif"))


@pytest.fixture(scope="module")
def mosaics(tmp_path_factory, shared_dir):
    """run -> (kind -> written path, seconds): each golden run mosaicked once."""
    images = golden_input_images()
    done = {}
    for run in RUNS:
        outputs = RASTER / run / "outputs"
        cosines = sorted(str(p) for p in (outputs / "epoch2021").glob("cosine_map!*.tif"))
        pairs = find_pair_layers(cosines, [str(outputs / "epoch2022")], input_images=images)
        out_dir = tmp_path_factory.mktemp(run)
        request = MosaicRequest(pairs=pairs, output_dir=str(out_dir), postfix="golden", target_crs="EPSG:3979",
                                target_resolution=30, input_images=images)
        start = time.perf_counter()
        written = run_mosaic(request)
        done[run] = (written, time.perf_counter() - start)
    return done


@pytest.mark.parametrize("run", sorted(RUNS))
def test_pairs_found_by_name(run, shared_dir):
    outputs = RASTER / run / "outputs"
    cosines = sorted(str(p) for p in (outputs / "epoch2021").glob("cosine_map!*.tif"))
    pairs = find_pair_layers(cosines, [str(outputs / "epoch2022")], input_images=golden_input_images())
    assert len(pairs) == RUNS[run][0]
    for pair in pairs:
        assert pair.before_date and pair.after_date and pair.quality_fmask
        assert set(pair.feature_maps) == {0, 1}
        assert "epoch2022" in pair.feature_maps[1] and pair.pair_id in pair.feature_maps[1]
        assert len(pair.inputs) == 2
        # every input is the pair's own: its name is a whole part of the pair id
        parts = pair.pair_id.split("!")
        assert all(Path(p).stem in parts for p in pair.inputs)
    if run == "i_stride16_upsample":
        assert set(pairs[0].reconstructions) == {0, 1}


@pytest.mark.parametrize("run", sorted(RUNS))
def test_every_golden_mosaic_is_written(run, mosaics):
    written, _ = mosaics[run]
    names = {Path(p).name for p in written.values()}
    assert names == {p.name for p in golden_mosaics(run)}


@pytest.mark.parametrize("run", sorted(RUNS))
def test_grid_matches_reference(run, mosaics):
    written, _ = mosaics[run]
    info = raster_info(written["cosine_map"])
    assert (info.width, info.height) == RUNS[run][1]
    origin = RUNS[run][2]
    if origin is not None:
        assert info.geotransform[0] == pytest.approx(origin[0], abs=1e-3)
        assert info.geotransform[3] == pytest.approx(origin[1], abs=1e-3)
    assert info.geotransform[1] == 30 and info.geotransform[5] == -30


CASES = [(run, p.name) for run in sorted(RUNS) for p in golden_mosaics(run)]


@pytest.mark.parametrize("run,name", CASES, ids=[f"{r}-{n}" for r, n in CASES])
def test_mosaic_matches_golden(run, name, mosaics):
    written, _ = mosaics[run]
    kind = mosaic_kind(name)
    actual, golden = written[kind], str(RASTER / run / "outputs" / "epoch2021" / name)
    assert_same_header(actual, golden, geotransform_atol=1e-6)
    result = compare_mosaic(actual, golden, run, kind)
    print(f"{run} {name}: {result}")
    assert result.fraction <= MAX_MISMATCH_FRACTION, f"{name}: {result}"
    info = raster_info(actual)
    assert info.overviews == 4
    if kind.endswith("_input"):
        # SPEC 7: the input's own nodata where the reference wrote -100
        a, g = read_bands(actual), read_bands(golden)
        assert info.nodata[0] == -9999
        assert np.all(a[g == REFERENCE_INPUT_BUG] == info.nodata[0])
        assert info.descriptions == ["B02", "B03", "B04", "B8A", "B11", "B12"]


def test_cosine_can_exceed_one_as_in_the_reference(mosaics):
    """Cubic copies of the winner are not clipped (golden run i max 1.005)."""
    written, _ = mosaics["i_stride16_upsample"]
    cos = read_bands(written["cosine_map"])
    assert cos.max() > 1.0
    golden = read_bands(str(RASTER / "i_stride16_upsample" / "outputs" / "epoch2021"
                            / "mosaic_cosine_map_golden_c.tif"))
    assert cos.max() == pytest.approx(golden.max(), abs=1e-3)


def test_timing_is_reported(mosaics):
    """Not a limit: prints seconds per output megapixel for the report."""
    for run, (written, seconds) in mosaics.items():
        info = raster_info(written["cosine_map"])
        mpix = info.width * info.height / 1e6
        print(f"{run}: {seconds:.2f} s for {mpix:.3f} Mpx x {len(written)} files = {seconds / mpix:.1f} s/Mpx")
        assert seconds > 0
