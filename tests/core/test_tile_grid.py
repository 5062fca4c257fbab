"""Tile starts, the edge-flush tile, shifts, the coarse-grid snap and the minimum-valid rule (SPEC 3, 7)."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planaura_plugin.raster.tile_grid import (TileGrid, axis_starts, keeps, nodata_fraction,
                                              window_from_bounds)


def test_starts_step_half_a_tile_and_end_flush():
    # run i/iv: 300 columns, 64 px tiles -> 0..224 every 32, then the edge tile at 236
    assert axis_starts(0, 300, 64) == [0, 32, 64, 96, 128, 160, 192, 224, 236]
    assert axis_starts(0, 260, 64) == [0, 32, 64, 96, 128, 160, 192, 196]
    # run iii: 130 px -> 0, 32, 64, then 66
    assert axis_starts(0, 130, 64) == [0, 32, 64, 66]


def test_no_edge_tile_when_the_last_tile_reaches_the_edge():
    assert axis_starts(0, 128, 64) == [0, 32, 64]
    assert axis_starts(0, 64, 64) == [0]


def test_axis_shorter_than_a_tile_has_no_tile():
    assert axis_starts(0, 63, 64) == []
    assert TileGrid((0, 0, 63, 500), 64).tiles() == []


def test_shift_starts_later_and_keeps_the_edge_tile():
    # num_predictions pass 1 (shift 64) of a 300 px axis
    assert axis_starts(0, 300, 64, shift=64) == [64, 96, 128, 160, 192, 224, 236]
    # a shift leaving no room for a tile
    assert axis_starts(0, 100, 64, shift=64) == []


def test_window_offsets_the_starts():
    assert axis_starts(10, 150, 64) == [10, 42, 74, 86]


def test_snap_moves_the_edge_tile_onto_the_coarse_grid():
    # run ii: the edge tile at 236 is not on the 16 px grid -> 224, already a tile -> dropped
    assert axis_starts(0, 300, 64, snap=16) == [0, 32, 64, 96, 128, 160, 192, 224]
    # 310 px: edge at 246 -> 240 (the largest multiple of 16 that fits), 6 px stay without value
    assert axis_starts(0, 310, 64, snap=16) == [0, 32, 64, 96, 128, 160, 192, 224, 240]
    # snapping is relative to the first start (a bbox window or a shift)
    assert axis_starts(5, 315, 64, snap=16) == [5, 37, 69, 101, 133, 165, 197, 229, 245]


def test_tiles_are_row_major():
    tiles = TileGrid((0, 0, 130, 100), 64).tiles()
    assert [(t.row, t.col) for t in tiles] == [(r, c) for r in (0, 32, 64, 66) for c in (0, 32, 36)]
    assert [t.index for t in tiles][:4] == [(0, 0), (0, 1), (0, 2), (1, 0)]


@settings(max_examples=200, deadline=None)
@given(begin=st.integers(0, 50), length=st.integers(1, 700), size=st.sampled_from([32, 48, 64, 128]),
       shift=st.sampled_from([0, 64, 128]), snap=st.sampled_from([1, 16]))
def test_starts_properties(begin, length, size, shift, snap):
    end = begin + length
    starts = axis_starts(begin, end, size, shift, snap)
    assert starts == sorted(set(starts))
    for s in starts:
        assert begin + shift <= s and s + size <= end
        if snap > 1:
            assert (s - starts[0]) % snap == 0
    if starts:
        # every pixel from the first start to the edge is covered (less than snap px may stay out)
        covered_to = max(s + size for s in starts)
        assert end - covered_to < snap
        gaps = [b - a for a, b in zip(starts, starts[1:])]
        assert all(g <= size // 2 + snap - 1 and g <= size for g in gaps)  # no hole between tiles
    else:
        assert length - shift < size


def test_nodata_fraction_is_the_worst_band():
    tile = np.zeros((3, 10, 10), dtype=np.int16)
    tile[0, :2] = -9999  # 20 %
    tile[2, :5] = -9999  # 50 %
    assert nodata_fraction(tile, [-9999.0] * 3) == pytest.approx(0.5)
    # -32768 is data when the declared nodata is -9999
    tile[1] = -32768
    assert nodata_fraction(tile, [-9999.0] * 3) == pytest.approx(0.5)


def test_nodata_fraction_unset_nodata_counts_zero():
    tile = np.ones((2, 4, 4), dtype=np.uint16)
    tile[1, 0] = 0
    assert nodata_fraction(tile, [None, None]) == pytest.approx(0.25)


def test_nodata_fraction_nan():
    tile = np.ones((1, 2, 2), dtype=np.float32)
    tile[0, 0, 0] = np.nan
    assert nodata_fraction(tile, [float("nan")]) == pytest.approx(0.25)


def test_min_valid_rule_keeps_exactly_at_the_threshold():
    assert keeps(0.3, 0.7)
    assert not keeps(0.3001, 0.7)
    assert keeps(1.0, 0.0)
    assert not keeps(0.0001, 1.0)


def test_window_from_bounds_floors_like_the_reference():
    gt = (600000.0, 30.0, 0.0, 3600000.0, 0.0, -30.0)
    # pixel-aligned box: rows 10..138, cols 20..148
    box = (600000 + 20 * 30, 3600000 - 138 * 30, 600000 + 148 * 30, 3600000 - 10 * 30)
    assert window_from_bounds(gt, 1000, 1000, box) == (10, 20, 138, 148)
    # inside pixels: floor of both corners
    box = (600000 + 20.5 * 30, 3600000 - 138.5 * 30, 600000 + 148.5 * 30, 3600000 - 10.5 * 30)
    assert window_from_bounds(gt, 1000, 1000, box) == (10, 20, 138, 148)
    # clipped to the raster
    assert window_from_bounds(gt, 100, 100, (0, 0, 1e9, 1e9)) == (0, 0, 100, 100)


@pytest.mark.parametrize("seed", range(10))
def test_nodata_fraction_is_the_plain_count_for_any_integer_tile(seed):
    rng = np.random.default_rng(seed)
    dtype = rng.choice([np.int16, np.uint16, np.uint8, np.int32])
    info = np.iinfo(dtype)
    tile = rng.integers(max(info.min, -500), min(info.max, 5000), size=(4, 40, 30)).astype(dtype)
    nodata = [None, float(rng.integers(0, 200)), float(info.min), 0.5]
    for b, nd in enumerate(nodata):  # some bands hold their nodata value, some not
        if nd is not None and nd == int(nd) and rng.random() < 0.6:
            tile[b, :int(rng.integers(1, 40)), :int(rng.integers(1, 30))] = int(nd)
    want = max(int(np.count_nonzero(tile[b] == (0 if nd is None else nd))) for b, nd in enumerate(nodata))
    assert nodata_fraction(tile, nodata) == want / (40 * 30)
