"""Reading a raster top to bottom through one band of rows, and what the pre-pass keeps for the run.

:class:`RowBandCache` holds the rows the current tiles need in one reused buffer, optionally
transformed pixel by pixel as they are read (normalisation, Fmask decoding): overlapping tiles
share that work. :class:`RowMemo` keeps, within a byte budget, what the minimum-valid pre-pass
read: the raw rows of same-grid dates (each row once, not once per overlapping tile) and the
warped tiles of dates on other grids, so that the model pass does not decompress or warp them
again.
"""
from __future__ import annotations

import threading
from typing import Callable, Dict, List, Optional, Sequence

import numpy as np

from ..errors import InputError
from ..i18n import _

# (bands, h, w) raw -> (bands, h, w), pixel by pixel; written into ``out`` when given (and returned)
PixelTransform = Callable[..., np.ndarray]


def read_window(ds, xoff: int, yoff: int, width: int, height: int, bands: Sequence[int]) -> np.ndarray:
    """(bands, height, width) of ``ds``; an :class:`InputError` naming the file when GDAL cannot
    read it (a truncated or corrupt file opens, then fails on its first damaged block)."""
    from ..gdal_calls import gdal_call

    arr, reason = gdal_call(ds.ReadAsArray, xoff, yoff, width, height, band_list=list(bands))
    if arr is None:
        reason = reason or "read error"
        raise InputError(_("GDAL cannot read {path} (pixels x {x}, y {y}, {width} x {height}): {reason}; the file "
                           "may be truncated or corrupt").format(path=ds.GetDescription(), x=xoff, y=yoff,
                                                                 width=width, height=height, reason=reason))
    return arr.reshape((len(bands), height, width))


class RowBandCache:
    """Reads windows of a raster through a band of rows kept in memory.

    Requests must come with non-decreasing top rows (row-major tiles); rows above the
    latest request are forgotten and GDAL's block cache is flushed after each read. With a
    ``transform`` (a per-pixel function such as the model's normalisation or the Fmask
    decoding), rows are transformed once as they are read, and windows hold transformed
    values: overlapping tiles share the work. The rows live in one buffer that is reused
    (the rows still needed move to its top, the new rows are read after them), so moving down
    a raster neither allocates nor copies the band again; a window is therefore a view that
    the next request may overwrite: copy it to keep it.
    """

    def __init__(self, ds, col0: int, col1: int, bands: Optional[Sequence[int]] = None,
                 transform: Optional[PixelTransform] = None, memo: Optional["RowMemo"] = None,
                 memo_key: object = None, memo_mode: str = "off") -> None:
        """``memo_mode``: "record" keeps the raw rows read in ``memo`` under ``memo_key``, "use" takes
        them from it (else reads them); "off" reads every row from the file."""
        self.ds = ds
        self.col0, self.col1 = max(0, col0), min(ds.RasterXSize, col1)
        self.bands = list(bands) if bands is not None else list(range(1, ds.RasterCount + 1))
        self.transform = transform
        self.memo, self.memo_key, self.memo_mode = memo, memo_key, memo_mode
        self.r0 = 0  # raster row of buffer row 0
        self.rows = 0  # buffer rows in use
        self._buffer: Optional[np.ndarray] = None  # (bands, capacity, col1 - col0)

    def _read(self, xoff: int, yoff: int, width: int, height: int) -> np.ndarray:
        raw = read_window(self.ds, xoff, yoff, width, height, self.bands)
        self.ds.FlushCache()
        return raw

    def _read_rows(self, r0: int, r1: int) -> np.ndarray:
        return self._read(self.col0, r0, self.col1 - self.col0, r1 - r0)

    def _append(self, r0: int, r1: int) -> None:
        """Read rows [r0, r1) after the rows held (r0 is the first row not held), transformed into the buffer."""
        if self.memo is not None and self.memo_mode == "use":
            raw = self.memo.rows(self.memo_key, r0, r1, self._read_rows)
        else:
            raw = self._read_rows(r0, r1)
            if self.memo is not None and self.memo_mode == "record":
                self.memo.put_rows(self.memo_key, r0, raw)
        dtype = raw.dtype if self.transform is None else self.transform(raw[:, :1, :1]).dtype
        need = self.rows + raw.shape[1]
        if self._buffer is None or self._buffer.dtype != dtype or need > self._buffer.shape[1]:
            grown = np.empty((raw.shape[0], need, raw.shape[2]), dtype=dtype)  # tiles of one size: grows once or twice
            if self._buffer is not None and self.rows:
                grown[:, :self.rows] = self._buffer[:, :self.rows]
            self._buffer = grown
        if self.transform is None:
            self._buffer[:, self.rows:need] = raw
        else:
            self.transform(raw, out=self._buffer[:, self.rows:need])
        self.rows = need

    def window(self, row: int, col: int, height: int, width: int) -> np.ndarray:
        """(bands, height, width) at (row, col); the window must lie inside the raster and the column span."""
        if col < self.col0 or col + width > self.col1:  # outside the cached columns: plain read
            raw = self._read(col, row, width, height)
            return raw if self.transform is None else self.transform(raw)
        r1 = row + height
        if self._buffer is None or row < self.r0 or row >= self.r0 + self.rows:
            self.r0, self.rows = row, 0  # start again at this row
        elif row > self.r0:  # forget the rows above: the rows still needed move to the top
            drop = row - self.r0
            keep = self.rows - drop
            for i in range(0, keep, drop):  # in steps that do not overlap (numpy would copy through a temporary)
                n = min(drop, keep - i)
                self._buffer[:, i:i + n] = self._buffer[:, drop + i:drop + i + n]
            self.r0, self.rows = row, keep
        if r1 > self.r0 + self.rows:
            self._append(self.r0 + self.rows, r1)
        assert self._buffer is not None
        return self._buffer[:, row - self.r0:r1 - self.r0, col - self.col0:col - self.col0 + width]


class RowMemo:
    """What the minimum-valid pre-pass read, kept for the model pass within a byte budget.

    Raw rows of same-grid dates are kept as the chunks the pre-pass's row bands read, per
    source (:meth:`put_rows`, :meth:`rows`); warped tiles of dates on other grids per tile
    (:meth:`put`, :meth:`pop`: warping a 512 px tile costs seconds). What does not fit is read
    or warped again. Safe to use from the pre-pass's threads.
    """

    def __init__(self, budget_bytes: int = 256 * 2 ** 20) -> None:
        self.budget = int(budget_bytes)
        self.used = 0
        self._tiles: dict = {}
        self._rows: Dict[object, Dict[int, np.ndarray]] = {}  # source -> first row -> (bands, n, width)
        self._lock = threading.Lock()

    def put(self, key, tile: np.ndarray) -> None:
        """Keep one tile (it must not change afterwards) if the budget allows."""
        with self._lock:
            if key not in self._tiles and self.used + tile.nbytes <= self.budget:
                self._tiles[key] = tile
                self.used += tile.nbytes

    def pop(self, key) -> Optional[np.ndarray]:
        """The tile kept under ``key`` (then forgotten), or None."""
        with self._lock:
            tile = self._tiles.pop(key, None)
            if tile is not None:
                self.used -= tile.nbytes
            return tile

    def put_rows(self, source, first: int, rows: np.ndarray) -> None:
        """Keep raw rows ``[first, first + n)`` of ``source`` (they must not change afterwards) if the
        budget allows and no rows of that source kept already overlap them."""
        with self._lock:
            chunks = self._rows.setdefault(source, {})
            end = first + rows.shape[1]
            overlap = any(s < end and first < s + c.shape[1] for s, c in chunks.items())
            if not overlap and self.used + rows.nbytes <= self.budget:
                chunks[first] = rows
                self.used += rows.nbytes

    def rows(self, source, r0: int, r1: int, read: Callable[[int, int], np.ndarray]) -> np.ndarray:
        """Raw rows ``[r0, r1)`` of ``source``: from the kept chunks where they hold them, the rest from
        ``read(a, b)``. Chunks wholly above ``r0`` are forgotten (rows are asked for top to bottom)."""
        with self._lock:
            chunks = self._rows.get(source, {})
            for start in [s for s, c in chunks.items() if s + c.shape[1] <= r0]:
                self.used -= chunks.pop(start).nbytes
            kept = sorted(chunks.items())
        pieces: List[np.ndarray] = []
        row = r0
        for start, chunk in kept:
            end = min(start + chunk.shape[1], r1)
            if start >= r1:
                break
            if start > row:
                pieces.append(read(row, start))
                row = start
            if end > row:
                pieces.append(chunk[:, row - start:end - start])
                row = end
        if row < r1:
            pieces.append(read(row, r1))
        return pieces[0] if len(pieces) == 1 else np.concatenate(pieces, axis=1)
