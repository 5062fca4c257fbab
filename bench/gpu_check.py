"""`make bench-gpu`: the GPU path proven on a CUDA machine, and its dry run on a CPU.

On a CUDA machine (``--device cuda``, the default) it:

1. runs the golden model and raster tests on the GPU in float32 with the CPU's tolerances
   (``pytest`` with ``PLANAURA_TEST_DEVICE=cuda``, which those tests honour);
2. compares bfloat16 and float16 with float32 on the same device on every golden model case
   (max / mean |d cosine|, share of positions changing class, max |d feature|);
3. times one tile at stride 16 and at stride 1 (dense) in float32 and bfloat16, with the
   encoder's achieved TFLOP/s against the card's bfloat16 peak (:data:`BF16_PEAK_TFLOPS`);
4. runs the 1000 x 1000 sample pair end to end (cosine, dates, quality, stride 16, upsampled);
5. runs an HLS-size 3660 x 3660 pair (mirrored copies of the sample pair, cropped) end to end;

with the GPU's peak memory (``torch.cuda.max_memory_allocated``) for each part. It writes
``bench/results/gpu_<date>.json`` and prints a table.

``--device cpu --quick`` runs every part on the CPU with the tiny model, one golden case and
small crops, so that the script itself is known to work without a GPU
(tests/test_bench_gpu_check.py). ``--quick`` alone is the same small run on the GPU.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Sequence

import numpy as np

REPO = Path(__file__).resolve().parents[1]
for _p in (REPO, REPO / "tests", REPO / "bench"):
    if str(_p) not in sys.path:
        sys.path.insert(0, str(_p))

RESULTS = REPO / "bench" / "results"
HLS_SIZE = 3660  # an HLS tile's side in 30 m pixels

# dense (no sparsity) bfloat16 tensor-core peaks in TFLOP/s, float32 accumulation, from the
# vendors' data sheets; matched in this order against torch.cuda.get_device_name()
BF16_PEAK_TFLOPS = (
    ("H100 PCIe", 756.0), ("H100 NVL", 835.0), ("GH200", 989.0), ("H200", 989.0), ("H100", 989.0),
    ("A100", 312.0), ("A10G", 70.0), ("A10", 125.0), ("L40S", 362.0), ("L40", 181.0), ("L4", 121.0),
    ("RTX 6000 Ada", 364.0), ("RTX A6000", 155.0), ("RTX 4090", 165.0), ("RTX 3090", 35.6),
)

GOLDEN_TESTS = ("tests/core/test_model_golden.py", "tests/core/test_change_map_golden.py",
                "tests/core/test_golden_raster_runs.py")
QUICK_TESTS = ("tests/core/test_model_golden.py", "-k", "a_tiny_nf2_stride16")


def bf16_peak(name: str) -> Optional[float]:
    """The card's dense bfloat16 peak (TFLOP/s) from its name, None when it is not in the table.

    Args:
        name: ``torch.cuda.get_device_name()``, e.g. ``"NVIDIA H100 80GB HBM3"``.

    Returns:
        TFLOP/s or None.
    """
    return next((peak for key, peak in BF16_PEAK_TFLOPS if key.lower() in name.lower()), None)


def dense_flops(cfg: Any) -> float:
    """FLOPs of one stride-1 encoder pass per tile (multiply and add counted apart).

    The patch embedding runs at every one of the G x G positions of each frame; the blocks
    run ``p * p`` sub-grid sequences of ``T * R * R`` tokens (no cls token, padded to R x R):
    per sequence and block ``24 * N * E**2 + 4 * N**2 * E`` as in
    :func:`speed_jobs.encoder_flops`.

    Args:
        cfg: a :class:`~planaura_plugin.model.config.ModelConfig`.

    Returns:
        FLOPs per tile.
    """
    e, p, t = cfg.embed_dim, cfg.patch_size, cfg.num_frames
    g = cfg.img_size - p + 1
    r = -(-g // p)
    n = t * r * r
    hidden = int(e * cfg.mlp_ratio)
    per_block = 2 * n * e * (3 * e + e + 2 * hidden) + 4 * n * n * e
    return 2.0 * t * g * g * e * cfg.in_chans * p * p + p * p * cfg.depth * per_block


# ------------------------------------------------------------------------------------------
# device helpers
# ------------------------------------------------------------------------------------------
def device_info(device: str) -> Dict[str, Any]:
    """Name, memory, count and bfloat16 peak of the device (``"unknown"`` peak when not listed)."""
    import torch

    info: Dict[str, Any] = {"device": device, "torch": torch.__version__}
    if device.startswith("cuda"):
        props = torch.cuda.get_device_properties(torch.device(device))
        info.update(name=props.name, memory_gb=round(props.total_memory / 2 ** 30, 1),
                    count=torch.cuda.device_count(), cuda=torch.version.cuda,
                    capability=".".join(map(str, torch.cuda.get_device_capability(torch.device(device)))))
        peak = bf16_peak(props.name)
        info["bf16_peak_tflops"] = peak if peak is not None else "unknown"
    else:
        from planaura_plugin.model.precision import describe_cpu

        from run_bench import machine

        info.update(name=machine()["cpu"], cpu=describe_cpu(), count=1, bf16_peak_tflops="unknown")
    return info


def _reset_peak(device: str) -> None:
    import torch

    if device.startswith("cuda"):
        torch.cuda.synchronize()
        torch.cuda.empty_cache()
        torch.cuda.reset_peak_memory_stats()


def _peak_mb(device: str) -> Dict[str, float]:
    """The device's peak allocated memory since the last reset (GPU) or the process's peak RSS (CPU)."""
    import resource

    import torch

    if device.startswith("cuda"):
        torch.cuda.synchronize()
        return {"gpu_peak_allocated_mb": round(torch.cuda.max_memory_allocated() / 2 ** 20, 1)}
    return {"process_peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}


def checkpoint(key: str) -> Path:
    """The test checkpoint ``tiny``, ``tiny_nf3`` or ``base`` (made once, cached in .cache/checkpoints)."""
    from support import CACHE, make_checkpoint

    made = {"tiny": lambda: make_checkpoint(CACHE / "tiny_s0.pth"),
            "tiny_nf3": lambda: make_checkpoint(CACHE / "tiny_s0_nf3.pth", extra=("--set", "num_frames=3")),
            "base": lambda: make_checkpoint(CACHE / "base_s0.pth", preset="base")}
    return made[key]()


def guarded(name: str, fn: Callable[[], Dict[str, Any]]) -> Dict[str, Any]:
    """``fn()``, or {"part_failed": the error} so that one failing part does not hide the others."""
    start = time.perf_counter()
    try:
        out = fn()
    except Exception as exc:  # noqa: BLE001 - reported in the JSON and the table
        out = {"part_failed": f"{type(exc).__name__}: {exc}"}
    out["wall_s"] = round(time.perf_counter() - start, 2)
    state = "FAILED " + out["part_failed"] if "part_failed" in out else "done"
    print(f"  {name}: {state} ({out['wall_s']} s)", flush=True)
    return out


# ------------------------------------------------------------------------------------------
# 1. golden tests on the device
# ------------------------------------------------------------------------------------------
def golden_tests(device: str, quick: bool) -> Dict[str, Any]:
    """The golden model and raster tests run by pytest with ``PLANAURA_TEST_DEVICE=device``.

    Returns:
        {"passed", "failed", "errors", "skipped", "returncode", "failures": first lines of each}.
    """
    args = list(QUICK_TESTS if quick else GOLDEN_TESTS)
    with tempfile.TemporaryDirectory(prefix="planaura_gpu_check_") as tmp:
        xml = Path(tmp) / "junit.xml"
        env = dict(os.environ, PLANAURA_TEST_DEVICE=device)
        proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-x" if quick else "-q", f"--junitxml={xml}",
                               *args], cwd=REPO, env=env, capture_output=True, text=True)
        if not xml.exists():
            raise RuntimeError(f"pytest wrote no report (exit {proc.returncode}): {proc.stdout[-800:]}")
        root = ET.parse(xml).getroot()
    suites = [root] if root.tag == "testsuite" else list(root)
    count = {k: sum(int(s.get(k, 0)) for s in suites) for k in ("tests", "failures", "errors", "skipped")}
    failures = [f"{case.get('classname')}::{case.get('name')}: {(bad.get('message') or '')[:200]}"
                for s in suites for case in s.iter("testcase") for bad in case
                if bad.tag in ("failure", "error")]
    return {"tests": args, "passed": count["tests"] - count["failures"] - count["errors"] - count["skipped"],
            "failed": count["failures"], "errors": count["errors"], "skipped": count["skipped"],
            "returncode": proc.returncode, "failures": failures[:20]}


# ------------------------------------------------------------------------------------------
# 2. reduced precisions on the device
# ------------------------------------------------------------------------------------------
def precision_errors(device: str, quick: bool) -> Dict[str, Any]:
    """bfloat16 and float16 against float32 on the same device, on each golden model case.

    Returns:
        {case: {precision: error figures (tests/precision_compare.py) or {"skipped": why}}}.
    """
    from precision_compare import compare_outputs
    from precisions import GOLDEN_CASES
    from support import GOLDEN, TINY

    from planaura_plugin.model.config import ModelConfig
    from planaura_plugin.model.inference import PlanauraRunner
    from planaura_plugin.normalisation import normalise
    from planaura_plugin.presets import HLS

    names = ["a_tiny_nf2_stride16"] if quick else list(GOLDEN_CASES)
    out: Dict[str, Any] = {}
    for name in names:
        t, stride, keep, ck = GOLDEN_CASES[name]
        z = np.load(GOLDEN / "model" / f"{name}.npz")
        x = normalise(z["raw_int16"].transpose(0, 2, 1, 3, 4), HLS.mean, HLS.std, HLS.no_data, band_axis=1)
        cfg = ModelConfig(num_frames=t, patch_stride=stride, keep_pos_embedding=keep, **({} if ck == "base" else TINY))
        path = checkpoint(ck)
        ref = PlanauraRunner.from_checkpoint(cfg, path, device=device).infer(x)
        out[name] = {"float32_max_abs_dcos_vs_golden": (
            float(np.abs(ref.cosine - z["cosine_map"])[ref.valid].max()) if "cosine_map" in z.files else None)}
        for precision in ("bfloat16", "float16"):
            runner = PlanauraRunner.from_checkpoint(cfg, path, device=device, precision=precision)
            if runner.precision != precision:
                out[name][precision] = {"skipped": runner.precision_note}
                continue
            out[name][precision] = compare_outputs(ref, runner.infer(x))
    return out


# ------------------------------------------------------------------------------------------
# 3. one tile at stride 16 and stride 1
# ------------------------------------------------------------------------------------------
def time_tile(device: str, checkpoint: Path, arch: Dict[str, Any], stride: int, precision: str, x: np.ndarray,
              repeats: int) -> Dict[str, Any]:
    """One tile's forward (cosine only) on ``device``: median seconds, TFLOP/s and peak memory.

    Args:
        device: ``cpu`` or ``cuda[:n]``; checkpoint, arch: the model; stride: 16 or 1.
        precision: float32, bfloat16 or float16.
        x: one normalised tile (1, C, T, S, S).
        repeats: timed passes after one warm-up.

    Returns:
        {"s_per_tile", "times_s", "tflop_per_tile", "achieved_tflops", peak memory}.
    """
    from planaura_plugin.model.config import ModelConfig
    from planaura_plugin.model.inference import PlanauraRunner
    from speed_jobs import encoder_flops

    cfg = ModelConfig(**arch, patch_stride=stride)
    runner = PlanauraRunner.from_checkpoint(cfg, checkpoint, device=device, precision=precision)
    runner.infer(x, feature_channels=[])  # warm-up (kernels chosen, caches filled)
    _reset_peak(device)
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        runner.infer(x, feature_channels=[])  # returns numpy: the device has finished
        times.append(time.perf_counter() - start)
    s = statistics.median(times)
    flops = encoder_flops(cfg) if stride == cfg.patch_size else dense_flops(cfg)
    out = {"precision_used": runner.precision, "s_per_tile": round(s, 7), "times_s": [round(t, 7) for t in times],
           "tflop_per_tile": round(flops / 1e12, 4), "achieved_tflops": round(flops / s / 1e12, 6),
           "offsets_per_chunk": runner.offsets_per_chunk(1) if stride == 1 else None}
    out.update(_peak_mb(device))
    # the memory model that sizes automatic batches (model/devices.py), to compare with the peak above
    from planaura_plugin.model.devices import tile_bytes, weights_bytes

    out["model_tile_mb"] = round(tile_bytes(cfg, precision, channels=0) / 2 ** 20, 1)
    out["model_weights_mb"] = round(weights_bytes(cfg) / 2 ** 20, 1)
    return out


def tile_timings(device: str, quick: bool, bf16_peak_tflops: Optional[float]) -> Dict[str, Any]:
    """:func:`time_tile` at stride 16 and 1, float32 and bfloat16, on golden case e's tile (a's when quick)."""
    from support import GOLDEN, TINY

    from planaura_plugin.normalisation import normalise
    from planaura_plugin.presets import HLS

    name, ck, arch = ("a_tiny_nf2_stride16", "tiny", TINY) if quick else ("e_base512_nf2_stride16", "base", {})
    z = np.load(GOLDEN / "model" / f"{name}.npz")
    x = normalise(z["raw_int16"].transpose(0, 2, 1, 3, 4), HLS.mean, HLS.std, HLS.no_data, band_axis=1)[:1]
    out: Dict[str, Any] = {"tile": f"golden {name}, first tile", "bf16_peak_tflops": bf16_peak_tflops or "unknown"}
    for stride in (16, 1):
        for precision in ("float32", "bfloat16"):
            r = time_tile(device, checkpoint(ck), arch, stride, precision, x, repeats=3 if stride == 16 else 1)
            if bf16_peak_tflops:
                r["share_of_bf16_peak"] = round(r["achieved_tflops"] / bf16_peak_tflops, 4)
            out[f"stride{stride}_{precision}"] = r
    return out


# ------------------------------------------------------------------------------------------
# 4 and 5. end-to-end runs
# ------------------------------------------------------------------------------------------
def hls_size_pair(size: int) -> Dict[str, str]:
    """A ``size`` x ``size`` pair (with Fmasks) cut from mirrored copies of the sample pair (cached).

    Up to 1000 px it is a crop of the sample pair itself.
    """
    from osgeo import gdal

    from run_bench import BENCH_CACHE, crop_pair, synthetic_pair

    n = -(-size // 1000)
    if n == 1:
        return crop_pair(size, 0, 0)
    big = synthetic_pair(n, n)
    folder = BENCH_CACHE / f"hls{size}"
    out = {}
    for key, src in big.items():
        dst = folder / Path(src).name.replace(f"synth{1000 * n}x{1000 * n}", f"hls{size}")
        if not dst.exists():
            folder.mkdir(parents=True, exist_ok=True)
            tmp = dst.with_suffix(".tmp.tif")
            gdal.Translate(str(tmp), src, srcWin=[0, 0, size, size],
                           creationOptions=["TILED=YES", "COMPRESS=DEFLATE", "PREDICTOR=2", "BIGTIFF=IF_SAFER"])
            os.replace(tmp, dst)
        out[key] = str(dst)
    return out


def end_to_end(device: str, inputs: Sequence[str], checkpoint: Path, arch: Dict[str, Any],
               batch_size: int) -> Dict[str, Any]:
    """``run_change_map`` (cosine, dates, quality; stride 16, upsampled) on ``device``: time, tiles, memory."""
    from planaura_plugin.model.config import ModelConfig
    from planaura_plugin.model.loading import ModelSpec, release_models
    from planaura_plugin.pipeline.change import run_change_map
    from planaura_plugin.pipeline.requests import ChangeMapOutputs, ChangeMapRequest
    from planaura_plugin.presets import HLS

    with tempfile.TemporaryDirectory(prefix="planaura_gpu_check_run_") as tmp:
        spec = ModelSpec(preset=HLS, config=ModelConfig(**arch), checkpoint=str(checkpoint), device=device,
                         batch_size=batch_size)
        outputs = ChangeMapOutputs(cosine_map=f"{tmp}/cosine_map.tif", before_date=f"{tmp}/before_date.tif",
                                   after_date=f"{tmp}/after_date.tif", quality_fmask=f"{tmp}/quality.tif")
        request = ChangeMapRequest(inputs=list(inputs), outputs=outputs, model=spec, patch_stride=16, upsample=True)
        release_models()
        _reset_peak(device)
        start = time.perf_counter()
        written = run_change_map(request)
        seconds = time.perf_counter() - start
        from osgeo import gdal

        ds = gdal.Open(written["cosine_map"])
        cos = ds.GetRasterBand(1).ReadAsArray()
        size = (ds.RasterXSize, ds.RasterYSize)
        ds = None
    valid = cos != -100
    out = {"end_to_end_s": round(seconds, 3), "size_px": list(size), "batch_size": batch_size,
           "outputs": sorted(written), "valid_share": round(float(valid.mean()), 4),
           "cosine_mean": round(float(cos[valid].mean()), 5) if valid.any() else None}
    out.update(_peak_mb(device))
    return out


def runs(device: str, quick: bool) -> Dict[str, Any]:
    """The sample pair (1000 px; a 256 px crop when quick) and an HLS-size pair (3660 px; 320 px when quick)."""
    from run_bench import AFTER, BEFORE, crop_pair
    from support import TINY

    if quick:
        crop = crop_pair(256)
        sample = [crop["before"], crop["after"]]
        model: tuple = (checkpoint("tiny"), TINY)
    else:
        sample = [str(BEFORE), str(AFTER)]
        model = (checkpoint("base"), {})
    batch = 4 if device == "cpu" else 0  # 0: from the GPU's free memory (model/devices.py)
    out = {"sample_pair": guarded("sample pair end to end", lambda: end_to_end(device, sample, *model, batch))}
    hls = hls_size_pair(320 if quick else HLS_SIZE)
    out["hls_size_pair"] = guarded("HLS-size pair end to end",
                                   lambda: end_to_end(device, [hls["before"], hls["after"]], *model, batch))
    return out


# ------------------------------------------------------------------------------------------
# report
# ------------------------------------------------------------------------------------------
def _fmt(v: Any, digits: int = 4) -> str:
    if isinstance(v, float):
        return f"{v:.{digits}g}"
    return "-" if v is None else str(v)


def table(res: Dict[str, Any]) -> List[str]:
    """The printed summary: one line per figure."""
    lines = [f"device: {res['device'].get('name')} ({res['device'].get('device')}, "
             f"{res['device'].get('count')} device(s)); bf16 peak {res['device'].get('bf16_peak_tflops')} TFLOP/s"]
    g = res.get("golden_tests", {})
    lines.append(f"golden tests on {res['device'].get('device')}: {g.get('passed')} passed, {g.get('failed')} failed, "
                 f"{g.get('errors')} errors, {g.get('skipped')} skipped" + (f"  FAILED {g['part_failed']}"
                                                                           if "part_failed" in g else ""))
    for case, by in res.get("precisions", {}).items():
        if not isinstance(by, dict):
            continue
        for p in ("bfloat16", "float16"):
            e = by.get(p, {})
            lines.append(f"{case} {p}: " + (str(e["skipped"]) if "skipped" in e else
                                            f"max |dcos| {_fmt(e.get('max_abs_dcos'))}, class changes "
                                            f"{_fmt(e.get('class_change_share'))}, max |dfeature| "
                                            f"{_fmt(e.get('max_abs_dfeature'))}"))
    if "part_failed" in res.get("precisions", {}):
        lines.append(f"precisions FAILED {res['precisions']['part_failed']}")
    if "part_failed" in res.get("tile", {}):
        lines.append(f"tile timings FAILED {res['tile']['part_failed']}")
    for key, t in res.get("tile", {}).items():
        if isinstance(t, dict):
            mem = t.get("gpu_peak_allocated_mb", t.get("process_peak_rss_mb"))
            lines.append(f"one tile {key}: {_fmt(t.get('s_per_tile'))} s, {_fmt(t.get('achieved_tflops'))} TFLOP/s "
                         f"({_fmt(t.get('share_of_bf16_peak'))} of bf16 peak), peak {_fmt(mem)} MB")
    for key, r in res.get("runs", {}).items():
        if isinstance(r, dict):
            mem = r.get("gpu_peak_allocated_mb", r.get("process_peak_rss_mb"))
            lines.append(f"{key} {r.get('size_px')}: {_fmt(r.get('end_to_end_s'))} s end to end, "
                         f"batch {r.get('batch_size')}, peak {_fmt(mem)} MB" + (f"  FAILED {r['part_failed']}"
                                                                               if "part_failed" in r else ""))
    return lines


def main(argv: Optional[Sequence[str]] = None) -> Dict[str, Any]:
    """Run the check; returns the results (also written as JSON and printed)."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--device", default="cuda", help="cuda (default), cuda:N or cpu")
    ap.add_argument("--quick", action="store_true", help="tiny model, one golden case, small crops")
    ap.add_argument("--skip", default="", help="comma-separated parts to leave out: tests,precisions,tile,runs")
    ap.add_argument("--out", default=None, help="JSON path (default bench/results/gpu_<date>.json)")
    a = ap.parse_args(argv)
    from planaura_plugin.model.inference import resolve_device

    device = resolve_device(a.device)  # cuda without a GPU: DeviceError that says so
    skip = {s.strip() for s in a.skip.split(",") if s.strip()}
    res: Dict[str, Any] = {"date": dt.date.today().isoformat(), "quick": a.quick, "device": device_info(device)}
    peak = res["device"]["bf16_peak_tflops"]
    peak = peak if isinstance(peak, float) else None
    parts = {"tests": ("golden_tests", lambda: golden_tests(device, a.quick)),
             "precisions": ("precisions", lambda: precision_errors(device, a.quick)),
             "tile": ("tile", lambda: tile_timings(device, a.quick, peak)),
             "runs": ("runs", lambda: runs(device, a.quick))}
    for key, (name, fn) in parts.items():
        if key not in skip:
            res[name] = guarded(name, fn)
    out = Path(a.out) if a.out else RESULTS / f"gpu_{res['date']}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(res, indent=2) + "\n")
    print("\n".join(table(res)))
    print(f"written {out}")
    return res


if __name__ == "__main__":
    main()
