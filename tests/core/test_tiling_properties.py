"""Property tests of tiling and stitching that test_tile_grid.py / test_stitch.py leave out.

Those cover 1-D starts, the single-pass stitch from a window at (0, 0) with tile sizes 16-64
on the input grid, and the coarse grid's alignment. Added here, with random raster sizes,
processing windows (a bbox does not start at pixel 0), tile sizes (any multiple of 4) and
shifts: the 2-D tile set (inside the window, row-major, covering it), the per-pixel rule on
all three map layouts (input grid, coarse, dense) with the rows handed out exactly once, and
the merge of several shifted passes as the pipeline feeds it.

The rule (SPEC 3), per output pixel: the value of the last tile, in row-major order, whose
central window covers the pixel with a valid value; else the last tile covering it at all
with a valid value; else nodata.
"""
from __future__ import annotations

from typing import Dict, List, Sequence, Tuple

import numpy as np
from hypothesis import assume, event, given, settings
from hypothesis import strategies as st

from planaura_plugin.raster.layout import MapLayout, OutputGrid
from planaura_plugin.raster.stitch import GridStitcher, LayerSpec, PassMerger, Placement
from planaura_plugin.raster.tile_grid import TileGrid

ND = -100.0


@st.composite
def windows(draw, size: int, extra: int = 160, short: bool = False):
    """(raster height, width, window) for tiles of ``size``: the window (a bbox: anywhere inside the
    raster) mostly holds several tiles; with ``short`` an axis may be shorter than one tile."""
    low = max(1, size // 2) if short else size
    wh = draw(st.integers(low, size + extra))
    ww = draw(st.integers(low, size + extra))
    r0, c0 = draw(st.integers(0, 40)), draw(st.integers(0, 40))
    h = r0 + wh + draw(st.integers(0, 30))
    w = c0 + ww + draw(st.integers(0, 30))
    return h, w, (r0, c0, r0 + wh, c0 + ww)


tile_sizes = st.integers(2, 24).map(lambda k: 4 * k)  # 8 .. 96, as S/2 and S/4 must be whole


# ------------------------------------------------------------------------------------------------
# the tile set
# ------------------------------------------------------------------------------------------------
@settings(max_examples=150, deadline=None)
@given(data=st.data(), size=tile_sizes, shift=st.integers(0, 130))
def test_tiles_lie_in_the_window_row_major_and_cover_it(data, size, shift):
    h, w, (r0, c0, r1, c1) = data.draw(windows(size, short=True))
    tiles = TileGrid((r0, c0, r1, c1), size, shift=shift).tiles()
    fits = r1 - r0 - shift >= size and c1 - c0 - shift >= size
    assert bool(tiles) == fits
    if not tiles:
        return
    # inside the window, no tile twice, row-major with consistent indices
    assert all(r0 <= t.row and t.row + size <= r1 and c0 <= t.col and t.col + size <= c1 for t in tiles)
    assert len({(t.row, t.col) for t in tiles}) == len(tiles)
    assert [(t.row, t.col) for t in tiles] == sorted((t.row, t.col) for t in tiles)
    rows = sorted({t.row for t in tiles})
    cols = sorted({t.col for t in tiles})
    assert len(tiles) == len(rows) * len(cols)
    assert all(t.index == (rows.index(t.row), cols.index(t.col)) for t in tiles)
    # coverage: every pixel from the first start to the window's far edges, nothing outside the window
    count = np.zeros((h, w), dtype=np.int32)
    for t in tiles:
        count[t.row:t.row + size, t.col:t.col + size] += 1
    assert (count[r0 + shift:r1, c0 + shift:c1] >= 1).all(), "a gap between tiles"
    outside = count.copy()
    outside[r0:r1, c0:c1] = 0
    assert not outside.any()
    # 50 % overlap: at most 2 regular tiles and the edge-flush one on each axis
    assert count.max() <= 9


@settings(max_examples=100, deadline=None)
@given(data=st.data(), k=st.integers(2, 6), patch=st.sampled_from([4, 8, 16]), shift_k=st.integers(0, 4))
def test_snapped_tiles_stay_on_the_coarse_grid(data, k, patch, shift_k):
    """Coarse maps: every tile start is first start + a multiple of p; under p px stay uncovered."""
    size = patch * k  # a multiple of p (and of 4)
    h, w, (r0, c0, r1, c1) = data.draw(windows(size, short=True))
    shift = shift_k * patch
    tiles = TileGrid((r0, c0, r1, c1), size, shift=shift, snap=patch).tiles()
    if not tiles:
        return
    first_r, first_c = tiles[0].row, tiles[0].col
    assert (first_r, first_c) == (r0 + shift, c0 + shift)
    assert all((t.row - first_r) % patch == 0 and (t.col - first_c) % patch == 0 for t in tiles)
    assert r1 - max(t.row + size for t in tiles) < patch
    assert c1 - max(t.col + size for t in tiles) < patch


# ------------------------------------------------------------------------------------------------
# stitching by the rule
# ------------------------------------------------------------------------------------------------
def rule(shape: Tuple[int, int], placements: Sequence[Placement], data: Sequence[np.ndarray],
         nodata: float = ND) -> np.ndarray:
    """The rule written per pixel: last valid centre, else last valid whole tile, else nodata."""
    last_centre = np.full(shape, -1)
    last_whole = np.full(shape, -1)

    def clip(r, c, size):
        rr0, cc0 = max(r, 0), max(c, 0)
        rr1, cc1 = min(r + size, shape[0]), min(c + size, shape[1])
        return rr0, cc0, rr1, cc1

    for i, (p, d) in enumerate(zip(placements, data)):
        a, b, e, f = clip(p.row, p.col, p.size)
        if a < e and b < f:
            ok = d[a - p.row:e - p.row, b - p.col:f - p.col] != nodata
            last_whole[a:e, b:f][ok] = i
        lo, hi = p.centre[0], min(p.centre[1], p.size)  # a dense map can be narrower than 3S/4
        a, b, e, f = clip(p.row + lo, p.col + lo, hi - lo)
        if a < e and b < f:
            ok = d[a - p.row:e - p.row, b - p.col:f - p.col] != nodata
            last_centre[a:e, b:f][ok] = i
    out = np.full(shape, nodata)
    pick = np.where(last_centre >= 0, last_centre, last_whole)
    for i, (p, d) in enumerate(zip(placements, data)):
        a, b, e, f = clip(p.row, p.col, p.size)
        if a < e and b < f:
            mine = pick[a:e, b:f] == i
            out[a:e, b:f][mine] = d[a - p.row:e - p.row, b - p.col:f - p.col][mine]
    return out


def stream(grid: OutputGrid, tiles, data: Sequence[np.ndarray], name: str = "v") -> Tuple[np.ndarray, List[int]]:
    """Paste tile by tile and hand out the rows no later tile touches, as the pipeline does;
    returns the raster and the first row of each handed-out block."""
    st_ = GridStitcher(grid.width, grid.height, {name: LayerSpec(1, np.float64, ND)})
    blocks, starts = [], []
    for i, (t, d) in enumerate(zip(tiles, data)):
        st_.paste(grid.placement(t), {name: d[None]})
        until = grid.placement(tiles[i + 1]).row if i + 1 < len(tiles) else grid.height
        if until > st_.top:
            start, rows = st_.emit(until)
            starts.append(start)
            blocks.append(rows[name][0])
    if st_.top < grid.height:
        start, rows = st_.emit(grid.height)
        starts.append(start)
        blocks.append(rows[name][0])
    return np.concatenate(blocks, axis=0), starts


def layout_for(kind: str, size: int, patch: int) -> MapLayout:
    return {"input": MapLayout.input_grid(size), "coarse": MapLayout.coarse(size, patch),
            "dense": MapLayout.dense(size, patch)}[kind]


@settings(max_examples=120, deadline=None)
@given(data=st.data(), size=tile_sizes, kind=st.sampled_from(["input", "coarse", "dense"]),
       patch=st.sampled_from([4, 8]), holes=st.sampled_from([0.0, 0.0, 0.2, 0.6]), seed=st.integers(0, 2 ** 31 - 1))
def test_every_output_pixel_follows_the_rule(data, size, kind, patch, holes, seed):
    assume(size % patch == 0 and size > patch)
    _h, _w, window = data.draw(windows(size, extra=100))
    room = min(window[2] - window[0], window[3] - window[1]) - size
    shift = data.draw(st.integers(0, max(0, room)), label="shift")
    snap = patch if kind == "coarse" else 1
    tiles = TileGrid(window, size, shift=shift, snap=snap).tiles()
    event(f"tiles: {'none' if not tiles else '1' if len(tiles) == 1 else 'several' if len(tiles) < 9 else '9+'}")
    if not tiles:
        return
    layout = layout_for(kind, size, patch)
    grid = OutputGrid.around(layout, tiles)
    rng = np.random.default_rng(seed)
    maps = []
    for i in range(len(tiles)):
        d = i + rng.random((layout.size, layout.size)) * 0.5
        d[rng.random(d.shape) < holes] = ND
        maps.append(d)
    out, starts = stream(grid, tiles, maps)
    assert out.shape == (grid.height, grid.width)
    # rows handed out once each, in order, with no gap
    assert starts == sorted(set(starts)) and starts[0] == 0
    expected = rule((grid.height, grid.width), [grid.placement(t) for t in tiles], maps)
    assert np.array_equal(out, expected)
    if holes == 0.0:
        assert (out != ND).all(), "a pixel of the union of tiles has no value"


@settings(max_examples=80, deadline=None)
@given(data=st.data(), size=st.sampled_from([16, 24, 32, 48]), step=st.sampled_from([8, 12, 16, 32]),
       passes=st.integers(2, 3), holes=st.sampled_from([0.0, 0.3]), seed=st.integers(0, 2 ** 31 - 1))
def test_shifted_passes_merge_by_the_largest_cosine(data, size, step, passes, holes, seed):
    """num_predictions: passes shifted by ``step`` px, fed in the pipeline's order (row, pass, col);
    per pixel the pass with the largest valid cosine wins (ties and all-nodata: the first pass),
    and the other layers follow it."""
    _h, _w, window = data.draw(windows(size + passes * step, extra=100))
    grids = [TileGrid(window, size, shift=k * step, shift_pass=k).tiles() for k in range(passes)]
    grids = [grids[0]] + [g for g in grids[1:] if g]
    event(f"passes with tiles: {len(grids) if grids[0] else 0}")
    if not grids[0] or len(grids) < 2:
        return
    layout = MapLayout.input_grid(size)
    grid = OutputGrid.around(layout, grids[0])
    rng = np.random.default_rng(seed)
    specs = {"cosine": LayerSpec(1, np.float64, ND), "pass": LayerSpec(1, np.float64, ND)}
    stitchers = [GridStitcher(grid.width, grid.height, specs) for _ in grids]
    merger = PassMerger(stitchers, "cosine")
    cos: Dict[Tuple[int, int, int], np.ndarray] = {}
    for k, tiles in enumerate(grids):
        for t in tiles:
            c = rng.random((size, size)) * 2 - 1
            c[rng.random(c.shape) < holes] = ND
            cos[(k, t.row, t.col)] = c
    # the pipeline's order and its "final rows" bookkeeping per pass
    order = sorted((t.row, k, t.col, t) for k, tiles in enumerate(grids) for t in tiles)
    nxt = {}
    for k, tiles in enumerate(grids):
        for i, t in enumerate(tiles):
            nxt[(k, t)] = grid.placement(tiles[i + 1]).row if i + 1 < len(tiles) else grid.height
    merged: List[Dict[str, np.ndarray]] = []
    starts: List[int] = []

    def advance(k: int, until: int) -> None:
        if until <= stitchers[k].top:
            return
        _s, rows = stitchers[k].emit(until)
        merger.feed(k, rows)
        start, m = merger.take()
        if m:
            starts.append(start)
            merged.append(m)

    for _r, k, _c, t in order:
        c = cos[(k, t.row, t.col)]
        stitchers[k].paste(grid.placement(t), {"cosine": c[None], "pass": np.where(c == ND, ND, float(k))[None]})
        advance(k, nxt[(k, t)])
    for k in range(len(grids)):
        advance(k, grid.height)
    out_cos = np.concatenate([m["cosine"][0] for m in merged], axis=0)
    out_pass = np.concatenate([m["pass"][0] for m in merged], axis=0)
    assert out_cos.shape == (grid.height, grid.width)
    assert starts == sorted(set(starts)) and starts[0] == 0

    per_pass = [rule((grid.height, grid.width), [grid.placement(t) for t in tiles],
                     [cos[(k, t.row, t.col)] for t in tiles]) for k, tiles in enumerate(grids)]
    stack = np.stack(per_pass)
    ranked = np.where(stack != ND, stack, -np.inf)
    winner = np.argmax(ranked, axis=0)
    expected = np.take_along_axis(stack, winner[None], axis=0)[0]
    assert np.array_equal(out_cos, expected)
    valid = expected != ND
    assert np.array_equal(out_pass[valid], winner[valid].astype(float)), "a layer did not follow the winner"
    assert (out_pass[~valid] == ND).all()
