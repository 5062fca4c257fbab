"""Row-major stitching (SPEC 3): streamed rows equal the two-stage merge of the reference.

The reference pastes whole tiles in row-major order (later over earlier where not nodata),
then the central windows the same way into a second raster, and puts that one on top. The
tests compare the streamed stitcher with a direct implementation of that description.
"""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planaura_plugin.raster.layout import MapLayout, OutputGrid
from planaura_plugin.raster.stitch import (GridStitcher, LayerSpec, LayerStitcher, PassMerger, Placement,
                                           centre_window, merge_by_reference, union_extent)
from planaura_plugin.raster.tile_grid import TileGrid

ND = -100.0


def two_stage_merge(shape, placements, tiles, nodata=ND):
    """The reference's gdal_merge sequence, written out directly."""
    whole = np.full(shape, nodata, dtype=np.float64)
    mid = np.full(shape, nodata, dtype=np.float64)

    def paste(dst, r, c, data):
        h, w = data.shape
        r0, c0 = max(r, 0), max(c, 0)
        r1, c1 = min(r + h, shape[0]), min(c + w, shape[1])
        if r0 >= r1 or c0 >= c1:
            return
        src = data[r0 - r:r1 - r, c0 - c:c1 - c]
        view = dst[r0:r1, c0:c1]
        ok = src != nodata
        view[ok] = src[ok]

    for p, t in zip(placements, tiles):
        paste(whole, p.row, p.col, t)
    for p, t in zip(placements, tiles):
        lo, hi = p.centre
        paste(mid, p.row + lo, p.col + lo, t[lo:hi, lo:hi])
    return np.where(mid != nodata, mid, whole)


def stream(shape, placements, tiles, nodata=ND):
    """The pipeline's way: paste tile by tile, hand out rows no later tile can touch."""
    st_ = LayerStitcher(shape[1], shape[0], 1, np.float64, nodata)
    rows = []
    for i, (p, t) in enumerate(zip(placements, tiles)):
        st_.paste(p, t[None])
        until = placements[i + 1].row if i + 1 < len(placements) else shape[0]
        if until > st_.top:
            rows.append(st_.emit(until)[0])
    rows.append(st_.emit(shape[0])[0])
    return np.concatenate(rows, axis=0)


def grid_case(height, width, size, shift, scale=1, offset=0, map_size=None):
    tiles = TileGrid((0, 0, height, width), size, shift=shift, snap=scale).tiles()
    if scale == 1 and offset == 0:
        layout = MapLayout.input_grid(size)
    elif scale > 1:
        layout = MapLayout.coarse(size, scale)
    else:
        layout = MapLayout.dense(size, 2 * offset + 2)
    grid = OutputGrid.around(layout, tiles) if tiles else None
    return tiles, layout, grid


def test_centre_window():
    assert centre_window(64) == (16, 48)
    assert centre_window(512) == (128, 384)
    assert centre_window(64, 16) == (1, 3)
    assert centre_window(512, 16) == (8, 24)


def test_union_extent():
    ps = [Placement(0, 0, 4, (1, 3)), Placement(2, 5, 4, (1, 3))]
    assert union_extent(ps) == (0, 0, 6, 9)


@settings(max_examples=60, deadline=None)
@given(height=st.integers(16, 160), width=st.integers(16, 160), size=st.sampled_from([16, 32, 48, 64]),
       shift=st.sampled_from([0, 0, 8, 64]), holes=st.floats(0, 0.5), seed=st.integers(0, 2 ** 31 - 1))
def test_streamed_rows_equal_the_two_stage_merge(height, width, size, shift, holes, seed):
    tiles, layout, grid = grid_case(height, width, size, shift)
    if not tiles:
        return
    rng = np.random.default_rng(seed)
    shape = (grid.height, grid.width)
    placements = [grid.placement(t) for t in tiles]
    data = []
    for i, _t in enumerate(tiles):
        a = np.full((size, size), float(i), dtype=np.float64) + rng.random((size, size)) * 0.5
        a[rng.random((size, size)) < holes] = ND
        data.append(a)
    assert np.array_equal(stream(shape, placements, data), two_stage_merge(shape, placements, data))


@settings(max_examples=60, deadline=None)
@given(height=st.integers(16, 200), width=st.integers(16, 200), size=st.sampled_from([16, 32, 64]),
       shift=st.sampled_from([0, 32, 64]))
def test_every_pixel_of_the_union_is_covered_and_centres_win(height, width, size, shift):
    tiles, layout, grid = grid_case(height, width, size, shift)
    if not tiles:
        return
    shape = (grid.height, grid.width)
    placements = [grid.placement(t) for t in tiles]
    data = [np.full((size, size), float(i)) for i in range(len(tiles))]
    out = stream(shape, placements, data)
    assert (out != ND).all(), "a pixel of the union of tiles has no value"
    lo, hi = centre_window(size)
    # which tile's centre covers a pixel last (row-major), and which tile covers it last at all
    last_centre = np.full(shape, -1)
    last_whole = np.full(shape, -1)
    for i, p in enumerate(placements):
        last_whole[p.row:p.bottom, p.col:p.right] = i
        last_centre[p.row + lo:p.row + hi, p.col + lo:p.col + hi] = i
    expect = np.where(last_centre >= 0, last_centre, last_whole)
    assert np.array_equal(out, expect.astype(float))
    # away from the outer S/4 ring, every pixel comes from a centre window
    ring = lo
    inner = last_centre[ring:shape[0] - ring, ring:shape[1] - ring]
    assert (inner >= 0).all()


@settings(max_examples=40, deadline=None)
@given(height=st.integers(64, 260), width=st.integers(64, 300), shift=st.sampled_from([0, 64]))
def test_coarse_grid_every_tile_on_the_grid(height, width, shift):
    """upsample false (SPEC 7 fix): every coarse map lands on whole coarse pixels."""
    tiles, layout, grid = grid_case(height, width, 64, shift, scale=16)
    if not tiles:
        return
    for t in tiles:
        p = grid.placement(t)  # raises if off the grid
        assert p.size == 4 and p.centre == (1, 3)
    # at most p-1 input pixels of the far edges are left without a value
    span_rows = grid.height * 16 + grid.row0
    span_cols = grid.width * 16 + grid.col0
    assert 0 <= height - span_rows < 16 and 0 <= width - span_cols < 16


def test_dense_layout_places_pixel_k_at_input_k_plus_7():
    layout = MapLayout.dense(64, 16)
    assert (layout.size, layout.offset, layout.centre) == (49, 7, (16, 48))
    tiles, _l, grid = grid_case(130, 130, 64, 0, offset=7)
    assert (grid.row0, grid.col0, grid.height, grid.width) == (7, 7, 115, 115)
    gt = grid.geotransform((601110.0 - 37 * 30, 30.0, 0.0, 3589890.0 + 37 * 30, 0.0, -30.0))
    assert gt == (601110.0 - 30 * 30, 30.0, 0.0, 3589890.0 + 30 * 30, 0.0, -30.0)


def test_layers_keep_their_own_nodata():
    gs = GridStitcher(4, 2, {"a": LayerSpec(1, np.float32, -100.0), "q": LayerSpec(1, np.uint8, 255)})
    p0, p1 = Placement(0, 0, 2, (0, 0)), Placement(0, 2, 2, (0, 0))
    gs.paste(p0, {"a": np.full((1, 2, 2), 1.0, np.float32), "q": np.full((1, 2, 2), 3, np.uint8)})
    gs.paste(Placement(0, 1, 2, (0, 0)), {"a": np.full((1, 2, 2), -100.0, np.float32),
                                         "q": np.full((1, 2, 2), 4, np.uint8)})
    gs.paste(p1, {"a": np.full((1, 2, 2), 2.0, np.float32), "q": np.full((1, 2, 2), 255, np.uint8)})
    start, rows = gs.emit(2)
    assert start == 0
    assert rows["a"][0].tolist() == [[1, 1, 2, 2]] * 2  # -100 never pastes over data
    assert rows["q"][0].tolist() == [[3, 4, 4, 255]] * 2


def test_rows_already_handed_out_cannot_be_pasted_again():
    st_ = LayerStitcher(4, 8, 1, np.float32, ND)
    st_.paste(Placement(0, 0, 4, (1, 3)), np.ones((1, 4, 4), np.float32))
    st_.emit(3)
    with pytest.raises(RuntimeError):
        st_.paste(Placement(2, 0, 4, (1, 3)), np.ones((1, 4, 4), np.float32))
    # outside the grid (negative rows of a shifted pass) is clipped silently
    st2 = LayerStitcher(4, 8, 1, np.float32, ND)
    st2.paste(Placement(-2, -1, 4, (1, 3)), np.ones((1, 4, 4), np.float32))
    assert st2.emit(8)[0, :2, :3].tolist() == [[1, 1, 1]] * 2


def test_merge_by_reference_largest_wins_and_layers_follow():
    cos = [np.array([[[0.5, -100.0, 0.2, -100.0]]]), np.array([[[0.4, 0.1, 0.2, -100.0]]])]
    feat = [np.full((2, 1, 4), 1.0), np.full((2, 1, 4), 2.0)]
    merged = merge_by_reference([{"cosine": cos[0], "f": feat[0]}, {"cosine": cos[1], "f": feat[1]}],
                                "cosine", {"cosine": -100.0, "f": -100.0})
    assert merged["cosine"][0, 0].tolist() == [0.5, 0.1, 0.2, -100.0]
    # ties and all-nodata pixels go to the first pass
    assert merged["f"][:, 0].T.tolist() == [[1, 1], [2, 2], [1, 1], [1, 1]]


def test_pass_merger_waits_for_every_pass():
    specs = {"cosine": LayerSpec(1, np.float32, ND)}
    a, b = GridStitcher(3, 4, specs), GridStitcher(3, 4, specs)
    m = PassMerger([a, b], "cosine")
    a.paste(Placement(0, 0, 3, (0, 3)), {"cosine": np.full((1, 3, 3), 0.5, np.float32)})
    m.feed(0, a.emit(2)[1])
    assert m.take()[1] == {}
    b.paste(Placement(1, 0, 3, (0, 3)), {"cosine": np.full((1, 3, 3), 0.75, np.float32)})
    m.feed(1, b.emit(4)[1])
    start, rows = m.take()
    assert start == 0 and rows["cosine"][0].tolist() == [[0.5] * 3, [0.75] * 3]
    m.feed(0, a.emit(4)[1])
    start, rows = m.take()
    assert start == 2 and rows["cosine"][0].tolist() == [[0.75] * 3, [0.75] * 3]
