"""`make bench` jobs for the CPU speed work: precisions, dense memory, the pipeline without a model, GFLOP/s.

Each ``job_*`` runs in its own child process (``run_bench.run_job``), so the peak RSS that
``run_bench`` records for it (wait4) is its own.

- ``cpu_precisions``: float32, bfloat16 and int8 on the real pair's 9 tiles (base checkpoint,
  stride 16): s/tile (interleaved passes, median), speed-up, |d cosine|, change-class share.
- ``dense_base_tile``: construction + one dense base tile with all 768 channels, the encoder
  stopped after one chunk of sub-grid sequences (bench/dense_memory.py): peak RSS.
- ``pipeline_null_model``: ``run_change_map`` at stride 16 with cosine, dates and quality, the
  model replaced by a function returning precomputed outputs: what the checks, reader, stitcher
  and writers cost per tile, on a 3660 x 3660 HLS-size pair (``ms_per_tile``) and on the
  1000 x 1000 sample pair (``sample_1000x1000``; ``run_bench.null_model_section``).
- ``encoder_gflops``: the encoder's FLOPs per tile over its float32 time, against the CPU's peak.
"""
from __future__ import annotations

import os
import time
from typing import Any, Dict

import numpy as np


def encoder_flops(cfg: Any) -> float:
    """Floating-point operations (multiply and add counted apart) of one stride-p encoder pass per tile.

    Patch embedding ``2 * n * E * C*p*p``; per block ``24 * N * E**2`` (qkv 6, projection 2,
    MLP 16, for ``mlp_ratio`` 4) plus attention ``4 * N**2 * E`` (QK^T and AV); ``N = 1 + T*g*g``
    tokens with the cls token. Norms, GELU and softmax (a few % of it) are left out.

    Args:
        cfg: a :class:`~planaura_plugin.model.config.ModelConfig` (stride 16).

    Returns:
        FLOPs per tile.
    """
    e, n_patch = cfg.embed_dim, cfg.num_frames * cfg.patch_grid ** 2
    n = 1 + n_patch
    hidden = int(e * cfg.mlp_ratio)
    per_block = 2 * n * e * (3 * e + e + 2 * hidden) + 4 * n * n * e
    return 2.0 * n_patch * e * cfg.in_chans * cfg.patch_size ** 2 + cfg.depth * per_block


def peak_gflops() -> Dict[str, Any]:
    """The CPU's float32 peak: cores x clock x FLOPs per cycle per core.

    FLOPs per cycle per core = 2 (fused multiply-add) x float32 lanes per FMA unit x FMA units:
    AMD with AVX-512 (Zen 4) runs 512-bit FMAs on two 256-bit units: 2 x 8 x 2 = 32;
    Intel with AVX-512: 2 x 16 x 2 = 64; AVX2 + FMA: 2 x 8 x 2 = 32; otherwise SSE 2 x 4 x 2 = 16.
    The clock is /proc/cpuinfo's ``cpu MHz`` (a VM reports its nominal clock; boost is not counted).

    Returns:
        {"peak": GFLOP/s, "formula": text, and the numbers used}.
    """
    from planaura_plugin.model.precision import cpu_flags

    flags, vendor, mhz = set(cpu_flags()), "", 0.0
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("vendor_id") and not vendor:
                    vendor = line.split(":", 1)[1].strip()
                elif line.startswith("cpu MHz") and not mhz:
                    mhz = float(line.split(":", 1)[1])
    except OSError:
        pass
    if "avx512f" in flags:
        per_cycle = 32 if vendor == "AuthenticAMD" else 64
    elif {"avx2", "fma"} <= flags:
        per_cycle = 32
    else:
        per_cycle = 16
    cores = len(os.sched_getaffinity(0))
    peak = cores * mhz / 1000 * per_cycle
    return {"peak": round(peak, 1), "cores": cores, "mhz": mhz, "flops_per_cycle_per_core": per_cycle,
            "vendor": vendor, "formula": "cores x MHz/1000 x FLOPs/cycle/core (2 FMA x lanes x FMA units)"}


def job_precisions(args: Dict[str, Any]) -> Dict[str, Any]:
    """float32 / bfloat16 / int8 on the real pair's tiles (errors, s/tile); see bench/precisions.py."""
    from precisions import scene

    precisions = tuple(args.get("precisions") or ("float32", "bfloat16", "int8"))
    res = scene(args["checkpoint"], args["arch"], repeats=int(args.get("repeats", 1)), precisions=precisions,
                max_tiles=args.get("max_tiles"))
    keep = ("s_per_tile", "speedup_vs_float32", "max_abs_dcos", "mean_abs_dcos", "class_change_share",
            "max_abs_dfeature", "used", "note")
    out: Dict[str, Any] = {p: {k: v for k, v in res[p].items() if k in keep} for p in precisions}
    out["tiles"] = res["tiles"]
    from planaura_plugin.model.precision import describe_cpu

    out["cpu"] = describe_cpu()
    return out


def job_dense_memory(args: Dict[str, Any]) -> Dict[str, Any]:
    """One dense base tile (all channels), stopped after ``chunks`` chunks; see bench/dense_memory.py."""
    from dense_memory import child

    return child(int(args.get("chunks", 1)), construct_only=False)


class _NullRunner:
    """Stands in for PlanauraRunner: returns the same precomputed outputs for every batch."""

    def __init__(self, grid: int, frames: int, seed: int = 0) -> None:
        rng = np.random.default_rng(seed)
        self.cos = rng.uniform(0.2, 1.0, size=(1, grid, grid)).astype(np.float32)
        self.which = np.zeros((1, grid, grid), dtype=np.int64)
        self.valid = np.ones((1, grid, grid), dtype=bool)
        self.frames = frames
        self.calls = 0

    def infer(self, x, feature_channels=None, reconstruction=False, change=True):
        from planaura_plugin.model.inference import ModelOutputs

        b = x.shape[0]
        self.calls += b
        rep = (b, 1, 1)
        return ModelOutputs(features=None, cosine=np.tile(self.cos, rep), which_before=np.tile(self.which, rep),
                            valid=np.tile(self.valid, rep))


def job_null_pipeline(args: Dict[str, Any]) -> Dict[str, Any]:
    """run_change_map of the real pair (stride 16, cosine + dates + quality) with a null model.

    Args:
        args: ``inputs``, ``out_dir``, ``checkpoint``, ``arch``, ``stride`` (as the change_map job).

    Returns:
        {"ms_per_tile", "end_to_end_s", "tiles", "repeats"} (the best of ``repeats`` runs).
    """
    from run_bench import _change_map_request

    import torch  # noqa: F401  (loaded before the clock starts, as in a run with a model)

    from planaura_plugin.model import loading
    from planaura_plugin.pipeline.change import run_change_map

    null = _NullRunner(grid=args["arch"].get("img_size", 512) // 16, frames=2)
    original = loading.get_runner
    loading.get_runner = lambda spec: null
    times = []
    try:
        for k in range(int(args.get("repeats", 3))):
            out = os.path.join(args["out_dir"], f"run{k}")
            os.makedirs(out, exist_ok=True)
            request = _change_map_request(dict(args, out_dir=out))
            before = null.calls
            start = time.perf_counter()
            run_change_map(request)
            times.append(time.perf_counter() - start)
            tiles = null.calls - before
    finally:
        loading.get_runner = original
    best = min(times)
    return {"ms_per_tile": round(1000 * best / max(1, tiles), 2), "end_to_end_s": round(best, 4),
            "times_s": [round(t, 4) for t in times], "tiles": tiles, "repeats": len(times),
            "compression": args.get("compression", "LZW"),
            "note": "checks, minimum-valid pre-pass, reader, stitcher and writers of the change map (cosine, "
                    "dates, quality, stride 16, upsampled) with the model replaced by precomputed outputs; best "
                    "of the runs"}


def gflops_from(cfg: Any, s_per_tile: float) -> Dict[str, Any]:
    """achieved = encoder_flops(cfg) / s_per_tile, beside the peak (GFLOP/s)."""
    flops = encoder_flops(cfg)
    out = peak_gflops()
    out["achieved"] = round(flops / s_per_tile / 1e9, 1)
    out["gflop_per_tile"] = round(flops / 1e9, 1)
    out["s_per_tile_used"] = s_per_tile
    out["share_of_peak"] = round(out["achieved"] / out["peak"], 3) if out["peak"] else None
    return out
