"""The threads of a change-map run: per-input checks in parallel, and the workers that turn the
model's tile outputs into map pieces.

The per-tile maps (cubic upsampling, Fmask pooling; ``tiles.tile_maps``) are
independent from tile to tile and spend their time in scipy and numpy, which release the
GIL: a few worker threads compute them ahead of the stitcher, which takes them in order.
"""
from __future__ import annotations

import os
from collections import deque
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from typing import Any, Callable, Deque, Iterator, List, Optional, Sequence, TypeVar

T = TypeVar("T")
MAX_MAP_WORKERS = 4


def map_workers(cores: Optional[int] = None) -> int:
    """Threads computing tile maps: one per core the process may use, at most :data:`MAX_MAP_WORKERS`."""
    if cores is None:
        try:
            cores = len(os.sched_getaffinity(0))
        except AttributeError:  # macOS, Windows
            cores = os.cpu_count() or 1
    return max(1, min(MAX_MAP_WORKERS, int(cores)))


def ordered_map(pool: Optional[Executor], fn: Callable[[int], T], n: int, ahead: int) -> Iterator[T]:
    """``fn(0)``, ..., ``fn(n - 1)`` in order, computed by ``pool`` at most ``ahead`` items in advance.

    Args:
        pool: the threads (None: computed here, one by one).
        fn: the work of item ``i``.
        n: how many items.
        ahead: how many items may be computed and waiting (bounds the memory they hold).

    Yields:
        The results in order; an error of ``fn`` is raised when its item's turn comes.
    """
    if pool is None:
        for i in range(n):
            yield fn(i)
        return
    pending: Deque[Future] = deque()
    for i in range(n):
        pending.append(pool.submit(fn, i))
        if len(pending) > ahead:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


def each_in_threads(fn: Callable[[Any], T], items: Sequence[Any]) -> List[T]:
    """``[fn(item) for item in items]`` with one thread per item (at most :func:`map_workers`).

    For the per-input checks of a run (each reads its own file; GDAL releases the GIL while it
    decompresses). The first error in the items' order is raised, as the plain loop would.
    """
    workers = min(len(items), map_workers())
    if workers <= 1:
        return [fn(item) for item in items]
    with ThreadPoolExecutor(workers, thread_name_prefix="planaura-inputs") as pool:
        return list(pool.map(fn, items))
