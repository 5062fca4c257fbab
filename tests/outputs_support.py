"""Helpers of tests/core/test_output_set.py that child processes import by name (spawn)."""
from __future__ import annotations

import importlib.util
import os
import time
from pathlib import Path
from typing import List

import numpy as np

HERE = Path(__file__).resolve().parent
N_FILES = 12


def _mosaic_tests():
    path = HERE / "core" / "pipeline" / "mosaic" / "test_persistence_mosaic.py"
    spec = importlib.util.spec_from_file_location("_mosaic_tests", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


MT = _mosaic_tests()
make_pair, request_for, smooth, B_ORIGIN = MT.make_pair, MT.request_for, MT.smooth, MT.B_ORIGIN


def pairs(folder: Path, base: float, date: int) -> list:
    """Two synthetic pairs whose cosine starts at ``base`` and whose dates start at ``date``."""
    a = make_pair(folder, "!a21!a22", smooth(base=base), date, date + 1000, 1, (1.0, 2.0))
    b = make_pair(folder, "!b21!b22", smooth(base=base + 0.3), date + 99, date + 1099, 3, (10.0, 20.0),
                  origin=B_ORIGIN)
    return [a, b]


def write_set(out_set, paths: List[Path], value: float, run: str) -> None:
    """Small float32 rasters of ``value`` tagged with metadata RUN=``run``, in ``out_set``."""
    for p in paths:
        w = out_set.create(p, width=4, height=3, bands=1, dtype=np.float32, geotransform=(0, 1, 0, 0, 0, -1),
                           projection=None, nodata=-100, metadata={"RUN": run})
        w.write(np.full((3, 4), value, np.float32))


def commit_set(folder: str, run: str, barrier, slow: bool) -> None:
    """One process: write N_FILES files tagged ``run``, wait for the other, commit at the same time."""
    from planaura_plugin.raster.geotiff import OutputSet

    if slow:  # widen the window in which two commits could interleave
        real = os.replace

        def replace(a, b):
            real(a, b)
            time.sleep(0.003)
        os.replace = replace
    with OutputSet() as s:
        order = range(N_FILES) if run == "a" else reversed(range(N_FILES))  # opposite commit orders
        write_set(s, [Path(folder) / f"f{i:02d}.tif" for i in order], float(run == "b"), run)
        barrier.wait(timeout=60)
        s.commit()


def mosaic_run(folder: str, out: str, base: float) -> None:
    """One process: the mosaic of :func:`pairs` of ``base`` into ``out``."""
    from planaura_plugin.pipeline.mosaic import run_mosaic

    run_mosaic(request_for(pairs(Path(folder), base, 2021001), Path(out)))
