"""Writing a raster top to bottom in whole rows of GeoTIFF blocks.

Stitched rows arrive in small groups; GDAL would keep half-filled blocks in its cache (or
write and rewrite them). Buffering up to one block row here and flushing GDAL after each
full block row keeps memory at one block row per output and writes every block once.
"""
from __future__ import annotations

from typing import List

import numpy as np

from .geotiff import GeoTiffWriter


class BlockRowWriter:
    """Appends rows (bands, n, width) to a :class:`GeoTiffWriter`, one block row at a time."""

    def __init__(self, writer: GeoTiffWriter, block_rows: int = 256) -> None:
        self.writer = writer
        self.block_rows = int(block_rows)
        self.next_row = 0  # first row not yet written
        self._pending: List[np.ndarray] = []
        self._pending_rows = 0

    def append(self, rows: np.ndarray) -> None:
        rows = np.asarray(rows)
        if rows.ndim == 2:
            rows = rows[None]
        if rows.shape[1] == 0:
            return
        self._pending.append(rows)
        self._pending_rows += rows.shape[1]
        if self._pending_rows >= self.block_rows:
            self._write(final=False)

    def _write(self, final: bool) -> None:
        if not self._pending:
            return
        data = np.concatenate(self._pending, axis=1) if len(self._pending) > 1 else self._pending[0]
        n = data.shape[1] if final else (data.shape[1] // self.block_rows) * self.block_rows
        if n:
            self.writer.write(data[:, :n], 0, self.next_row)
            self.writer.ds.FlushCache()
            self.next_row += n
        rest = data[:, n:]
        self._pending = [rest] if rest.shape[1] else []
        self._pending_rows = rest.shape[1]

    def finish(self) -> None:
        """Write what is left; the raster must then be complete."""
        self._write(final=True)
        if self.next_row != self.writer.height:
            raise RuntimeError(f"{self.writer.path}: {self.next_row} rows written of {self.writer.height}")
