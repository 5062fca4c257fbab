"""The BLAS that torch's matrix products end up in, when the host application chose it.

QGIS (qgis_process and the desktop) links the system OpenBLAS (pthreads) into the
application, so its ``sgemm_`` is a global symbol and torch's CPU matrix products bind to it
instead of torch's own BLAS. For the large products of the linear layers, called from one
thread, OpenBLAS's own threads are right. Inside torch's CPU flash attention, though, the
products are called from every OpenMP thread at once, and OpenBLAS then starts its own
threads as well: 2 cores run 3 or 4 busy threads and attention takes 2 to 3 times as long.
:func:`single_threaded_global_blas` asks OpenBLAS for one thread around such a call. Outside
QGIS (plain Python, the tests) OpenBLAS is not global and nothing is changed.
"""
from __future__ import annotations

import contextlib
import functools
from typing import Iterator


@functools.lru_cache(maxsize=1)
def global_openblas():
    """The OpenBLAS of the process's global symbols, or None (the usual case outside QGIS)."""
    import ctypes

    try:
        lib = ctypes.CDLL(None)
        lib.openblas_get_num_threads.restype = ctypes.c_int
        lib.openblas_set_num_threads.argtypes = [ctypes.c_int]
        return lib
    except (OSError, AttributeError, TypeError):
        return None


@contextlib.contextmanager
def single_threaded_global_blas() -> Iterator[None]:
    """One OpenBLAS thread inside the block when OpenBLAS is global in the process."""
    lib = global_openblas()
    if lib is None:
        yield
        return
    before = lib.openblas_get_num_threads()
    lib.openblas_set_num_threads(1)
    try:
        yield
    finally:
        lib.openblas_set_num_threads(before)
