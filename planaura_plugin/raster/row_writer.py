"""Writing a raster top to bottom in whole rows of GeoTIFF blocks.

Stitched rows arrive in small groups; GDAL would keep half-filled blocks in its cache (or
write and rewrite them). Buffering up to one block row here and flushing GDAL after each
full block row keeps memory at one block row per output and writes every block once.

The writing itself (conversion, compression, the file) runs in a thread of the writer's own,
in order, so that it overlaps with the stitching of the next rows (GDAL releases the GIL while
it compresses); at most :data:`MAX_PENDING` block rows wait for it.
"""
from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from typing import List, Optional

import numpy as np

from .geotiff import GeoTiffWriter

MAX_PENDING = 2  # block rows handed to the writing thread and not yet written


class BlockRowWriter:
    """Appends rows (bands, n, width) to a :class:`GeoTiffWriter`, one block row at a time."""

    def __init__(self, writer: GeoTiffWriter, block_rows: int = 256, background: bool = True) -> None:
        """Args:
            writer: the open GeoTIFF.
            block_rows: rows per block (the file's block height).
            background: write in a thread of this writer's own (False: in the caller's thread).
        """
        self.writer = writer
        self.block_rows = int(block_rows)
        self.next_row = 0  # first row handed to writing
        self._pending: List[np.ndarray] = []
        self._pending_rows = 0
        self._pool: Optional[ThreadPoolExecutor] = (
            ThreadPoolExecutor(max_workers=1, thread_name_prefix="planaura-gdal-write") if background else None)
        self._jobs: List[Future] = []

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

    def _store(self, data: np.ndarray, row: int) -> None:
        with self.writer.lock:
            self.writer.write(data, 0, row)
            self.writer.flush()

    def _write(self, final: bool) -> None:
        if not self._pending:
            return
        data = np.concatenate(self._pending, axis=1) if len(self._pending) > 1 else self._pending[0]
        n = data.shape[1] if final else (data.shape[1] // self.block_rows) * self.block_rows
        if n:
            if self._pool is None:
                self._store(data[:, :n], self.next_row)
            else:
                self._jobs = [j for j in self._jobs if not (j.done() and j.result() is None)]  # raises its error
                while len(self._jobs) >= MAX_PENDING:
                    self._jobs.pop(0).result()
                self._jobs.append(self._pool.submit(self._store, data[:, :n], self.next_row))
            self.next_row += n
        rest = data[:, n:]
        self._pending = [rest] if rest.shape[1] else []
        self._pending_rows = rest.shape[1]

    def wait(self) -> None:
        """Until every row handed over is written; raises the writing thread's error, if any."""
        jobs, self._jobs = self._jobs, []
        for job in jobs:
            job.result()

    def finish(self) -> None:
        """Write what is left and wait for it; the raster must then be complete."""
        try:
            self._write(final=True)
            self.wait()
        finally:
            if self._pool is not None:
                self._pool.shutdown(wait=True)
                self._pool = None
        if self.next_row != self.writer.height:
            raise RuntimeError(f"{self.writer.path}: {self.next_row} rows written of {self.writer.height}")
