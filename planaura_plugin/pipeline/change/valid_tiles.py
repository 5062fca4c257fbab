"""The minimum-valid pre-pass of a change-map run (SPEC 3): which tiles every date covers with
enough valid pixels.

Each date is read in a thread of its own (GDAL decompresses without the GIL), the first one in
the calling thread, which reports progress and watches for cancellation. A tile is dropped by
the first date, in date order, that misses it or holds too much nodata there: the counts per
date and reason are those of a loop over the dates that stops at the first failing one.
"""
from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Callable, Dict, List, Optional, Sequence, Tuple

from ...feedback import Feedback
from ...i18n import _
from ...raster.coverage import covered_starts, empty_regions
from ...raster.reader import DateReader, RasterInfo, RowMemo
from ...raster.tile_grid import Tile, TileGrid, keeps, nodata_fraction

Verdict = Optional[str]  # None (kept), "outside" or "nodata"
Dropped = Dict[Tuple[int, str], int]  # (date index, "outside"|"nodata") -> tiles of the first pass


@dataclass(frozen=True)
class ListedTiles:
    """The tiles of each pass that can hold data (:func:`listed_tiles`), before any is read.

    Attributes:
        passes: per num_predictions pass, its listed tiles, row-major.
        candidates: tiles of the unshifted pass before the minimum-valid filter.
        unlisted: of those, the tiles never listed (no data under the first image there).
        read_cols: the columns (first, end) the listed tiles span; None when none is listed.
    """

    passes: List[List[Tile]]
    candidates: int
    unlisted: int
    read_cols: Optional[Tuple[int, int]]


@dataclass(frozen=True)
class TileSelection:
    """The minimum-valid pre-pass's result (:func:`keep_tiles`), from which the plan is made.

    Attributes:
        passes: per pass, the tiles every date keeps, row-major.
        candidates: tiles of the unshifted pass before the filter.
        dropped: {(date index, reason): tiles of the first pass} with reason "outside" (the
            date does not cover the tile) or "nodata" (too few valid pixels); the first failing
            date, in date order, counts a tile.
        read_cols: the columns (first, end) the listed tiles span (None: the window's).
    """

    passes: List[List[Tile]]
    candidates: int
    dropped: Dropped
    read_cols: Optional[Tuple[int, int]]


def _verdicts(reader: DateReader, cut_nodata: Sequence[float], min_valid: float, tiles: Sequence[Tile],
              stop: threading.Event, progress: Optional[Callable[[int, Tile], None]] = None) -> List[Verdict]:
    """Why ``reader``'s date drops each tile (None: it keeps it), reading every tile once."""
    out: List[Verdict] = []
    for i, tile in enumerate(tiles):
        if stop.is_set():
            break
        if progress is not None:
            progress(i, tile)
        raw = reader.read(tile.row, tile.col)
        out.append("outside" if raw is None else
                   (None if keeps(nodata_fraction(raw, cut_nodata), min_valid) else "nodata"))
    return out


def listed_tiles(base: RasterInfo, min_valid: float, grids: Sequence[TileGrid]) -> ListedTiles:
    """The tiles of each grid (pass) that can hold data, row-major; the others are never listed.

    A row or column of tiles lying where the first image has no data (GDAL's data coverage:
    raster/coverage.py) is dropped by the minimum-valid rule whatever is read there, so it is
    left out before any tile is made: memory and time follow the area that holds data, not the
    raster's declared size (a 200000 x 200000 px VRT over one scene lists that scene's tiles).
    Its tiles still count in ``candidates`` and (``unlisted``) as dropped for nodata by the
    first date.

    Args:
        base: the first date's raster; min_valid: the minimum valid share asked for (at 0 every
            tile is listed); grids: one tile grid per pass.

    Raises:
        InputError: the first image cannot be opened.
    """
    empty = empty_regions(base) if min_valid > 0 else (lambda *_window: False)
    listed: List[List[Tile]] = []
    candidates = unlisted = 0
    for k, grid in enumerate(grids):
        rows, cols = grid.rows, grid.cols
        if not rows or not cols:  # as TileGrid.tiles: no edge tile unless both axes have tiles
            rows, cols = [], []
        keep_r = covered_starts(rows, grid.size, grid.window, True, empty) if cols else []
        keep_c = covered_starts(cols, grid.size, grid.window, False, empty) if rows else []
        tiles = [Tile(r, c, (i, j), grid.shift_pass) for i, r in enumerate(rows) if keep_r[i]
                 for j, c in enumerate(cols) if keep_c[j]]
        if k == 0:
            candidates = len(rows) * len(cols)
            unlisted = candidates - len(tiles)
        listed.append(tiles)
    every = [t for tiles in listed for t in tiles]
    read_cols = (min(t.col for t in every), max(t.col for t in every) + grids[0].size) if every else None
    return ListedTiles(listed, candidates, unlisted, read_cols)


def keep_tiles(infos: Sequence[RasterInfo], min_valid: float, memo: RowMemo, listed: ListedTiles,
               readers: Sequence[DateReader], fb: Feedback, share: float) -> TileSelection:
    """The tiles of each pass that every date keeps, in order.

    Args:
        infos: each date's raster (its nodata values); min_valid: the minimum valid share.
        memo: what the readers record; the tiles dropped are taken out of it.
        listed: the tiles of each pass (:func:`listed_tiles`).
        readers: one per date (recording into ``memo``); closed here.
        fb: progress (up to ``share``) and cancellation.
        share: the share of the run's progress this pre-pass takes.

    Returns:
        The selection: per pass the tiles kept, and the tiles dropped per date and reason.

    Raises:
        the readers' InputError (a file GDAL cannot read), the feedback's cancellation.
    """
    flat = [(k, tile) for k, tiles in enumerate(listed.passes) for tile in tiles]
    tiles = [tile for _k, tile in flat]
    stop = threading.Event()
    last_row: List[Optional[int]] = [None]

    def progress(i: int, tile: Tile) -> None:
        if tile.row != last_row[0]:
            fb.check_cancelled()
            fb.progress(share * i / max(1, len(tiles)), _("checking tiles"))
            last_row[0] = tile.row

    def date(t: int) -> List[Verdict]:
        try:
            return _verdicts(readers[t], infos[t].cut_nodata(), min_valid, tiles, stop,
                             progress if t == 0 else None)
        except BaseException:
            stop.set()  # the other dates stop at their next tile
            raise

    try:
        with ThreadPoolExecutor(max(1, len(readers) - 1), thread_name_prefix="planaura-prepass") as pool:
            others = [pool.submit(date, t) for t in range(1, len(readers))]
            first = date(0)
            verdicts = [first] + [f.result() for f in others]  # a date's error is raised here
    finally:
        for r in readers:
            r.close()
    dropped: Dropped = {(0, "nodata"): listed.unlisted} if listed.unlisted else {}
    kept = _combine(infos, memo, len(listed.passes), flat, verdicts, dropped)
    return TileSelection(kept, listed.candidates, dropped, listed.read_cols)


def _combine(infos: Sequence[RasterInfo], memo: RowMemo, passes: int, flat: Sequence[Tuple[int, Tile]],
             verdicts: Sequence[Sequence[Verdict]], dropped: Dropped) -> List[List[Tile]]:
    """Per pass, the tiles no date drops; the first failing date's reason counted for pass 0 in
    ``dropped`` (the selection's own count, being made)."""
    kept: List[List[Tile]] = [[] for _ in range(passes)]
    for i, (k, tile) in enumerate(flat):
        failing = [(t, v[i]) for t, v in enumerate(verdicts) if v[i] is not None]
        if not failing:
            kept[k].append(tile)
            continue
        t, reason = failing[0]
        if k == 0 and reason is not None:
            dropped[(t, reason)] = dropped.get((t, reason), 0) + 1
        for info in infos:
            memo.pop((info.path, tile.row, tile.col))
    return kept
