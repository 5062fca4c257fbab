"""`make bench` section ``resume``: the cost of re-verifying the hashes of what a resume keeps.

A resume keeps a pair only when each recorded output still has its size and its SHA-256
(``runs.manifest.same_file``: the bytes are read and hashed again, so that a file damaged since
it was recorded is recomputed, not kept). The job writes outputs of the sizes a pair leaves
(a 1000 x 1000 sample change map, an HLS-size 3660 x 3660 one: float32 cosine map, int32
dates, uint8 quality, LZW) and times, per output, the check with the hash against the check by
size and modification time only (the cost before). The files were just written: the page cache
holds them (a resume long after a run reads them from disk, slower).
"""
from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path
from typing import Any, Callable, Dict, List


def _pair_outputs(folder: Path, size: int) -> List[str]:
    """The three rasters of a change map of ``size`` x ``size`` px (smooth values, as real ones compress)."""
    import numpy as np
    from osgeo import gdal

    yy, xx = np.mgrid[0:size, 0:size].astype(np.float32)
    cosine = (np.sin(xx / 37.0) * np.cos(yy / 53.0)).astype(np.float32)
    arrays = {"cosine_map": cosine, "dates": (2021250 + (cosine > 0)).astype(np.int32),
              "quality": (cosine * 100).astype(np.uint8)}
    paths = []
    for name, array in arrays.items():
        path = folder / f"{name}_{size}.tif"
        ds = gdal.GetDriverByName("GTiff").Create(str(path), size, size, 1,
                                                  {np.float32: gdal.GDT_Float32, np.int32: gdal.GDT_Int32,
                                                   np.uint8: gdal.GDT_Byte}[array.dtype.type],
                                                  ["TILED=YES", "COMPRESS=LZW"])
        ds.GetRasterBand(1).WriteArray(array)
        ds = None
        paths.append(str(path))
    return paths


def _median_s(check: Callable[[], bool], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        assert check()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def job_resume_hash(args: Dict[str, Any]) -> Dict[str, Any]:
    """Per pair size: MB of outputs, ms to re-verify them with the hash and without, MB/s."""
    from planaura_plugin.runs.manifest import output_facts, same_file

    out: Dict[str, Any] = {"note": "warm page cache (files just written); a pair's three change-map rasters"}
    with tempfile.TemporaryDirectory(prefix="planaura-bench-hash-") as tmp:
        for size in args.get("sizes", (1000, 3660)):
            records = [output_facts(p) for p in _pair_outputs(Path(tmp), int(size))]
            mb = sum(r["size"] for r in records) / 1e6
            repeats = int(args.get("repeats", 5))
            hashed = _median_s(lambda kept=records: all(same_file(r) for r in kept), repeats)
            stat_only = _median_s(lambda kept=records: all(same_file(r, verify_hash=False) for r in kept), repeats)
            out[f"pair_{size}px"] = {"outputs_mb": round(mb, 2), "rehash_ms_per_pair": round(1000 * hashed, 2),
                                     "stat_only_ms_per_pair": round(1000 * stat_only, 3),
                                     "rehash_mb_per_s": round(mb / hashed, 1) if hashed else None}
    return out


JOBS = {"resume_hash": job_resume_hash}
