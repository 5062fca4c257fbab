"""Peak memory of a dense (stride 1) base tile on the CPU, measured in a fresh process.

A whole dense base tile takes ~20 min of CPU on 2 cores, so the child process runs the
full construction path (checkpoint load, position tables) and ``runner.infer`` of one
512 px bi-temporal tile with all 768 feature channels, but stops the encoder after
``--chunks`` chunks of sub-grid sequences. The output buffers are still touched in full
(the nodata masking writes every element), so the peak covers construction, the
outputs and the working set of one chunk; the remaining chunks only repeat that working
set. The time is extrapolated to the 256 sequences. Peak = ``ru_maxrss`` of the child.

Run: ``.venv/bin/python bench/dense_memory.py [--chunks 1] [--construct-only] [--code DIR]``
(``--code`` runs another checkout's ``planaura_plugin``, e.g. the main branch for "before").
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Dict, Optional, Sequence

REPO = Path(__file__).resolve().parents[1]


def child(chunks: int, construct_only: bool) -> Dict[str, Any]:
    """In the child: build the base dense runner, run ``chunks`` chunks of one tile; peak RSS.

    Args:
        chunks: chunks of sub-grid sequences to run (0 with ``construct_only``).
        construct_only: stop after loading the network.

    Returns:
        {"peak_rss_mb", "construct_rss_mb", "construct_s", ...}.
    """
    import resource

    import numpy as np

    sys.path[:0] = [str(Path.cwd()), str(REPO / "tests"), str(REPO / "bench")]
    from instrument import StopAfterChunks
    from support import CACHE, make_checkpoint
    from planaura_plugin.model.config import ModelConfig
    from planaura_plugin.model.inference import PlanauraRunner

    ck = make_checkpoint(CACHE / "base_s0.pth", preset="base")
    start = time.perf_counter()
    runner = PlanauraRunner.from_checkpoint(ModelConfig(patch_stride=1), ck, device="cpu")
    out: Dict[str, Any] = {"construct_s": round(time.perf_counter() - start, 2),
                           "construct_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}
    if construct_only:
        out["peak_rss_mb"] = out["construct_rss_mb"]
        return out
    x = np.random.default_rng(0).normal(size=(1, 6, 2, 512, 512)).astype(np.float32)
    with StopAfterChunks(runner.network, chunks) as sampled:
        start = time.perf_counter()
        res = runner.infer(x)  # all feature channels, cosine, which_before
        elapsed = time.perf_counter() - start
    out.update(peak_rss_mb=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
               subgrids_run=sampled.offsets, offsets_per_chunk=runner.offsets_per_chunk(1),
               features_mb=round(res.features.nbytes / 2 ** 20, 1),
               s_per_tile_extrapolated=round(elapsed * 256 / max(1, sampled.offsets), 1))
    return out


def measure(chunks: int = 1, construct_only: bool = False, code: Optional[str] = None,
            env_extra: Optional[Dict[str, str]] = None) -> Dict[str, Any]:
    """Run :func:`child` in a fresh Python process and return its figures.

    Args:
        chunks: chunks of sub-grid sequences to run.
        construct_only: only build the network.
        code: a checkout whose ``planaura_plugin`` is imported (default: this one).
        env_extra: extra environment variables for the child.

    Returns:
        The child's figures.

    Raises:
        RuntimeError: when the child fails.
    """
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", "--chunks", str(chunks)]
    if construct_only:
        cmd.append("--construct-only")
    env = dict(os.environ, **(env_extra or {}))
    proc = subprocess.run(cmd, cwd=code or str(REPO), env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"dense memory child failed ({proc.returncode}): {proc.stderr[-2000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main(argv: Optional[Sequence[str]] = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--chunks", type=int, default=1)
    ap.add_argument("--construct-only", action="store_true")
    ap.add_argument("--code", default=None, help="checkout to import planaura_plugin from")
    a = ap.parse_args(argv)
    if a.child:
        print(json.dumps(child(a.chunks, a.construct_only)))
        return
    print(json.dumps(measure(a.chunks, a.construct_only, a.code), indent=1))


if __name__ == "__main__":
    main()
