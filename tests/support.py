"""Paths and helpers shared by the tests (importable as `support`).

Checkpoints are generated with ../shared/tools/make_checkpoint.py (never committed): the
tiny ones per session, the base one (ViT-B, ~450 MB) cached in .cache/checkpoints.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("PLANAURA_SHARED", REPO.parent / "shared")).resolve()
GOLDEN = SHARED / "golden"
DATA = SHARED / "data" / "hls_t15sxr"
CACHE = Path(os.environ.get("PLANAURA_TEST_CACHE", REPO / ".cache" / "checkpoints"))

# the device the golden model and raster tests run on (bench/gpu_check.py sets it to cuda)
TEST_DEVICE = os.environ.get("PLANAURA_TEST_DEVICE", "cpu")

TINY = dict(img_size=64, embed_dim=64, depth=2, num_heads=4, decoder_embed_dim=32, decoder_depth=1,
            decoder_num_heads=4)


def make_checkpoint(out: Path, preset: str = "tiny", seed: int = 0, extra=()) -> Path:
    """Write a make_checkpoint.py checkpoint once (atomic rename, so parallel runs are safe)."""
    if out.exists():
        return out
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(f".tmp{os.getpid()}")
    cmd = [sys.executable, str(SHARED / "tools" / "make_checkpoint.py"), "--preset", preset, "--seed", str(seed),
           "--out", str(tmp), *extra]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    os.replace(tmp, out)
    return out


