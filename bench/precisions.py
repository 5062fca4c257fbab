"""CPU precisions (bfloat16, int8) against float32: errors on the golden model cases and the real scene, speed.

For every golden model case (shared/golden/model, tiny checkpoints; case e with the base one)
and for the real 1000 x 1000 HLS pair (its 9 tiles of 512 px at stride 16, read as the
pipeline reads them, with the tiny-512 and the base checkpoints), each precision's outputs
are compared with this runner's float32 outputs (which equal the reference's within 1e-5):

- ``max_abs_dcos`` / ``mean_abs_dcos``: |cosine - cosine_float32| over positions valid in both;
- ``class_change_share``: share of those positions whose change class (thresholds 0.8/0.6/0.4,
  as ``pipeline.change.maps.change_classes``) differs;
- ``max_abs_dfeature``: max |feature - feature_float32| over valid positions, all channels;
- ``which_before_changes``: positions whose ``which_before`` differs (T=3 only).

Speed (``s_per_tile``) is the median over interleaved passes of the precisions in one
process (batch 1, cosine only), so that the other processes of a shared machine weigh on
every precision alike. Run: ``.venv/bin/python bench/precisions.py [--no-scene] [--repeats N]``.
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence

import numpy as np

REPO = Path(__file__).resolve().parents[1]
for _p in (REPO, REPO / "tests", REPO / "bench"):
    if str(_p) not in sys.path:
        sys.path.insert(0, str(_p))

from precision_compare import compare_outputs  # noqa: E402  (tests/)

LOW = ("bfloat16", "int8")
GOLDEN_CASES = {  # name: (num_frames, stride, keep_pos_embedding, checkpoint key)
    "a_tiny_nf2_stride16": (2, 16, True, "tiny"),
    "b_tiny_nf2_stride1": (2, 1, True, "tiny"),
    "c_tiny_nf1_static_stride16": (1, 16, False, "tiny"),
    "d_tiny_nf3_stride16": (3, 16, False, "tiny"),
    "d2_tiny_nf3_stride16_ckpt_nf3": (3, 16, True, "tiny_nf3"),
    "e_base512_nf2_stride16": (2, 16, True, "base"),
}


def _checkpoints() -> Dict[str, Path]:
    from support import CACHE, make_checkpoint

    return {"tiny": make_checkpoint(CACHE / "tiny_s0.pth"),
            "tiny_nf3": make_checkpoint(CACHE / "tiny_s0_nf3.pth", extra=("--set", "num_frames=3")),
            "tiny512": make_checkpoint(CACHE / "tiny512_s0.pth", extra=("--set", "img_size=512")),
            "base": make_checkpoint(CACHE / "base_s0.pth", preset="base")}


def golden_case(name: str, precisions: Sequence[str] = LOW) -> Dict[str, Dict[str, Any]]:
    """Errors of each precision against float32 on one golden model case (all feature channels).

    Args:
        name: a key of :data:`GOLDEN_CASES`.
        precisions: the precisions to compare.

    Returns:
        {precision: error figures}.
    """
    from planaura_plugin.model.config import ModelConfig
    from planaura_plugin.model.inference import PlanauraRunner
    from planaura_plugin.normalisation import normalise
    from planaura_plugin.presets import HLS
    from support import GOLDEN, TINY

    t, stride, keep, ck = GOLDEN_CASES[name]
    z = np.load(GOLDEN / "model" / f"{name}.npz")
    x = normalise(z["raw_int16"].transpose(0, 2, 1, 3, 4), HLS.mean, HLS.std, HLS.no_data, band_axis=1)
    arch = {} if ck == "base" else TINY
    cfg = ModelConfig(num_frames=t, patch_stride=stride, keep_pos_embedding=keep, **arch)
    path = _checkpoints()[ck]
    ref = PlanauraRunner.from_checkpoint(cfg, path, precision="float32").infer(x)
    return {p: compare_outputs(ref, PlanauraRunner.from_checkpoint(cfg, path, precision=p).infer(x))
            for p in precisions}


def scene_tiles(checkpoint: Path, arch: Dict[str, Any]) -> np.ndarray:
    """The normalised 512 px tiles (B, C, 2, 512, 512) of the real pair at stride 16."""
    from run_bench import AFTER, BEFORE, _run_tiles

    return _run_tiles({"checkpoint": str(checkpoint), "arch": arch, "stride": 16,
                       "inputs": [str(BEFORE), str(AFTER)]})


def scene(checkpoint: Path, arch: Dict[str, Any], repeats: int = 1,
          precisions: Sequence[str] = ("float32",) + LOW, max_tiles: Optional[int] = None) -> Dict[str, Dict[str, Any]]:
    """Errors and speed of each precision on the real scene's tiles.

    Args:
        checkpoint: the checkpoint file.
        arch: ModelConfig keywords of its architecture.
        repeats: interleaved timing passes over the tiles (0 = errors only).
        precisions: float32 first, then the others.
        max_tiles: only the first tiles (bench/cpu_plan.py shortens emulated precisions so); None = all.

    Returns:
        {precision: {"s_per_tile", "speedup_vs_float32", error figures...}}.
    """
    from planaura_plugin.model.config import ModelConfig
    from planaura_plugin.model.inference import PlanauraRunner, ModelOutputs

    x = scene_tiles(checkpoint, arch)[:max_tiles]
    runners = {p: PlanauraRunner.from_checkpoint(ModelConfig(**arch), checkpoint, precision=p) for p in precisions}
    outs = {}
    for p, r in runners.items():  # all channels, one tile at a time, then concatenated
        parts = [r.infer(x[i:i + 1]) for i in range(len(x))]
        outs[p] = ModelOutputs(*(np.concatenate([getattr(o, k) for o in parts]) for k in (
            "features", "cosine", "which_before", "valid")))
    res = {p: ({} if p == "float32" else compare_outputs(outs["float32"], outs[p])) for p in precisions}
    times: Dict[str, List[float]] = {p: [] for p in precisions}
    for _ in range(repeats):
        for i in range(len(x)):
            for p, r in runners.items():
                start = time.perf_counter()
                r.infer(x[i:i + 1], feature_channels=[])
                times[p].append(time.perf_counter() - start)
    if repeats:
        for p in precisions:
            res[p]["s_per_tile"] = round(statistics.median(times[p]), 4)
            res[p]["speedup_vs_float32"] = round(statistics.median(times["float32"]) / res[p]["s_per_tile"], 3)
    for p, r in runners.items():
        res[p]["used"] = r.precision
        if r.precision_note:
            res[p]["note"] = r.precision_note
    res["tiles"] = len(x)
    return res


def main(argv: Optional[Sequence[str]] = None) -> None:
    from planaura_plugin.model.precision import describe_cpu
    from run_bench import TINY512

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeats", type=int, default=1, help="interleaved timing passes over the scene's tiles")
    ap.add_argument("--no-scene", action="store_true")
    ap.add_argument("--no-golden", action="store_true")
    ap.add_argument("--out", default=None, help="write the figures as JSON here")
    a = ap.parse_args(argv)
    res: Dict[str, Any] = {"cpu": describe_cpu()}
    if not a.no_golden:
        res["golden"] = {name: golden_case(name) for name in GOLDEN_CASES}
    if not a.no_scene:
        ck = _checkpoints()
        res["scene_tiny512"] = scene(ck["tiny512"], TINY512, repeats=a.repeats)
        res["scene_base"] = scene(ck["base"], {}, repeats=a.repeats)
    text = json.dumps(res, indent=1)
    print(text)
    if a.out:
        Path(a.out).write_text(text + "\n")


if __name__ == "__main__":
    main()
