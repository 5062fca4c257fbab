"""The persistence mosaic on Dask: blocks of the target grid computed on the workers.

The driver decides the layout (grid, layers, output paths: metadata only), creates the
outputs under temporary names and writes the blocks in grid order as their arrays come back;
each block task reads, from the per-pair files and the input images, only the windows that
block needs (:func:`~...pipeline.mosaic_blocks.mosaic_block`). At most a few blocks per
worker are in flight, so the driver's memory stays bounded whatever the mosaic size. The
outputs are renamed to their final names by the driver once every block is written, as in
a run without Dask, and hold the same bytes.
"""
from __future__ import annotations

from collections import deque
from typing import Any, Callable, Deque, Dict, Iterator, List, Mapping, Optional, Tuple

import numpy as np

from ...feedback import Feedback

AHEAD_PER_WORKER = 2  # blocks in flight per worker


class BlockWrites:
    """Stands in for a GeoTiffWriter on a worker: keeps what one block writes (band, array, x, y)."""

    def __init__(self, dtype) -> None:
        self.dtype = np.dtype(dtype)
        self.writes: List[Tuple[int, np.ndarray, int, int]] = []

    def write(self, array: np.ndarray, x_off: int = 0, y_off: int = 0) -> None:
        a = array[None] if array.ndim == 2 else array
        for b in range(a.shape[0]):
            self.write_band(b + 1, a[b], x_off, y_off)

    def write_band(self, band: int, array: np.ndarray, x_off: int = 0, y_off: int = 0) -> None:
        """Keep the write of (h, w) into the 1-based ``band`` (``GeoTiffWriter.write_band``'s stand-in)."""
        self.writes.append((int(band), np.asarray(array).astype(self.dtype, copy=False), int(x_off), int(y_off)))


class _Warnings(Feedback):
    def __init__(self) -> None:
        self.lines: List[str] = []

    def warning(self, message: str) -> None:
        self.lines.append(message)


def compute_block(layout, window, dtypes: Mapping[str, Any]) -> Tuple[Dict[str, list], List[str]]:
    """Worker side: the writes of one block, kind -> [(band, array, x, y)], and its warnings."""
    from ...pipeline.mosaic_blocks import mosaic_block

    sinks = {kind: BlockWrites(dtype) for kind, dtype in dtypes.items()}
    warnings = _Warnings()
    mosaic_block(layout.run(sinks, warnings), window)
    return {kind: sink.writes for kind, sink in sinks.items()}, warnings.lines


def _apply(writes: Dict[str, list]) -> Callable[[Mapping[str, Any]], None]:
    def apply(writers: Mapping[str, Any]) -> None:
        for kind, items in writes.items():
            for band, array, x, y in items:
                writers[kind].write_band(band, array, x, y)
    return apply


def _dtypes(layout) -> Dict[str, Any]:
    out: Dict[str, Any] = {}
    for kind in layout.paths:
        layer = layout.layers.get(kind) or layout.input_layers.get(kind)
        out[kind] = np.uint16 if kind == "persistence" or layer is None else layer.dtype
    return out


def distributed_mosaic(executor, request, feedback: Feedback) -> Dict[str, str]:
    """Write the mosaic of ``request`` with its blocks computed on ``executor``'s workers.

    Args:
        executor: a :class:`~.executor.DaskExecutor`.
        request: the :class:`~...pipeline.requests.MosaicRequest` (per-pair files on disk).
        feedback: progress per block, warnings (each once), cancellation.

    Returns:
        kind -> path of the files written.
    """
    from ...pipeline.persistence_mosaic import mosaic_layout, write_mosaic

    client = executor.client
    layout = mosaic_layout(request, feedback)
    dtypes = _dtypes(layout)
    seen: set = set()

    def blocks(lay, windows) -> Iterator[Tuple[Any, Callable[[Mapping[str, Any]], None]]]:
        [shared] = client.scatter([lay], broadcast=True)
        workers = max(1, len(client.scheduler_info().get("workers", {})))
        ahead = AHEAD_PER_WORKER * workers
        queue: Deque[Tuple[Any, Any]] = deque()
        todo = iter(windows)
        token = client.id[-8:]
        try:
            for index, window in enumerate(todo):
                queue.append((window, client.submit(compute_block, shared, window, dtypes, pure=False,
                                                    key=f"planaura-mosaic-block-{index}-{token}", retries=2)))
                if len(queue) < ahead:
                    continue
                yield _next(queue, feedback, seen)
            while queue:
                yield _next(queue, feedback, seen)
        finally:
            client.cancel([f for _w, f in queue])

    return write_mosaic(layout, feedback, blocks=blocks)


def _next(queue: Deque[Tuple[Any, Any]], feedback: Feedback, seen: set) -> Tuple[Any, Callable]:
    window, future = queue.popleft()
    writes, warnings = _result(future, feedback)
    for line in warnings:
        if line not in seen:
            seen.add(line)
            feedback.warning(line)
    return window, _apply(writes)


def _result(future, feedback: Feedback, poll_s: float = 0.5) -> Tuple[Dict[str, list], List[str]]:
    """The result of one block, checking cancellation while waiting."""
    from distributed import wait

    while True:
        feedback.check_cancelled()
        try:
            wait([future], timeout=poll_s)
        except TimeoutError:
            continue
        result: Optional[Tuple[Dict[str, list], List[str]]] = future.result()
        assert result is not None
        return result
