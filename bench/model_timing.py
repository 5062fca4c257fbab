"""Pure model forward time per tile (no I/O): tiny and base checkpoints, stride 16 and 1.

Prints a table and returns the figures; `bench/run_bench.py` reuses :func:`time_forward`.
A dense (stride 1) base tile takes many minutes on a CPU, so by default it is timed on a
few chunks of its 256 sub-grid sequences and extrapolated (the table says so).
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path
from typing import Dict, Optional

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(REPO / "bench"))

from instrument import StopAfterChunks  # noqa: E402 - bench/ is on sys.path only from the line above

TINY = dict(img_size=64, embed_dim=64, depth=2, num_heads=4, decoder_embed_dim=32, decoder_depth=1,
            decoder_num_heads=4)


def time_forward(runner, repeats: int = 3, dense_chunks: Optional[int] = None, batch: int = 1) -> Dict:
    """Median seconds per tile of ``runner.infer`` on random data (cosine only, encoder only)."""
    cfg = runner.cfg
    x = np.random.default_rng(0).normal(size=(batch, cfg.in_chans, cfg.num_frames, cfg.img_size,
                                              cfg.img_size)).astype(np.float32)
    runner.infer(x[:, :, :, :cfg.img_size, :cfg.img_size], feature_channels=[]) if not cfg.dense else None
    if cfg.dense and dense_chunks:
        per_chunk = runner.offsets_per_chunk(batch)
        with StopAfterChunks(runner.network, dense_chunks):
            t0 = time.perf_counter()
            runner.infer(x, feature_channels=[])
            elapsed = time.perf_counter() - t0
        done = min(256, dense_chunks * per_chunk)
        return {"s_per_tile": elapsed / batch * 256 / done, "extrapolated_from_subgrids": done, "repeats": 1}
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        runner.infer(x, feature_channels=[])
        times.append((time.perf_counter() - t0) / batch)
    return {"s_per_tile": statistics.median(times), "repeats": repeats, "times": [round(t, 4) for t in times]}


def main() -> None:
    import torch

    from planaura_plugin.model.config import ModelConfig
    from planaura_plugin.model.inference import PlanauraRunner
    from support import CACHE, make_checkpoint

    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--dense-chunks", type=int, default=2, help="chunks timed for a dense base tile (0 = all)")
    args = ap.parse_args()
    tiny = make_checkpoint(CACHE / "tiny_s0.pth")
    base = make_checkpoint(CACHE / "base_s0.pth", preset="base")
    rows = []
    for name, ck, arch in (("tiny", tiny, TINY), ("base", base, {})):
        for stride in (16, 1):
            runner = PlanauraRunner.from_checkpoint(ModelConfig(**arch, patch_stride=stride), ck, device="cpu")
            chunks = args.dense_chunks if (stride == 1 and name == "base" and args.dense_chunks) else None
            r = time_forward(runner, repeats=args.repeats, dense_chunks=chunks)
            rows.append((name, stride, r))
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, CPU float32, 2 frames, cosine only")
    print(f"{'checkpoint':<10} {'stride':>6} {'s/tile':>10}  note")
    for name, stride, r in rows:
        note = (f"extrapolated from {r['extrapolated_from_subgrids']} of 256 sub-grids"
                if "extrapolated_from_subgrids" in r else f"median of {r['repeats']}")
        print(f"{name:<10} {stride:>6} {r['s_per_tile']:>10.3f}  {note}")


if __name__ == "__main__":
    main()
