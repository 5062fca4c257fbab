"""`make bench`: how long a change map takes on this machine, and where the time goes.

Measures (float32, CPU, each job in its own subprocess so that its peak RSS is its own):

- the pure model forward per 512 px tile (base ViT-B checkpoint, stride 16, encoder only);
- the end-to-end change map (cosine + dates + quality) of the real 1000 x 1000 HLS pair at
  stride 16, upsampled, through the core (``run_change_map``) and through ``qgis_process``,
  and its overhead over tiles x forward; ``qgis_process`` against a plain Python process on the
  same run (CPU seconds, threads, BLAS: bench/qgis_vs_cli.py; section qgis);
- the time from a cancel to the stop of a base-model run (bench/cancel_timing.py; section cancel);
- an instrumented (timers per thread) run of that change map: reading, warping, normalising,
  forward, upsampling, stitching, writing, and how much of it is hidden behind the model;
- scaling to a synthetic 4000 x 4000 pair (mirrored copies of the real one) with a tiny
  model on the same 512 px tiles (the base model would need ~25 minutes there): s/km2, RSS;
- stride 1 (dense): a tiny-model run on a 256 px crop with its time per part, and the base
  model's dense tile extrapolated from two of its 256 sub-grid sequences;
- the persistence mosaic of the golden three-pair set at finer target resolutions (s/MP);
- CPU precisions (float32, bfloat16, int8) on the real pair's tiles, the peak memory of a dense
  base tile, the pipeline with a null model (ms/tile) and the encoder's GFLOP/s against the
  CPU's peak (bench/speed_jobs.py; sections precisions, densemem, null, gflops);
- Dask distributed runs (bench/distributed_runs.py; section distributed): the same eight-pair run on
  1 and 2 single-threaded workers (speed-up), and the pairs per second the orchestration alone
  sustains with a null model;
- the cost of a resume re-verifying the SHA-256 of the outputs it keeps (bench/resume_hash.py;
  section resume), per pair of 1000 x 1000 and 3660 x 3660 px;
- change over time (bench/series_bench.py; section series): a 20-date series of 1000 x 1000 px, its
  cost per pair against a single pair and the date-of-change merge's share.

The CPU's features decide which precisions are measured in full (bench/cpu_plan.py), and every
section has a time budget within 19 minutes: what does not fit is skipped and named in the JSON
(``budget.skipped``, with the ``--only`` that runs it).

Writes ``bench/results/<YYYY-MM-DD>.json`` and prints a table. Before each job the other
processes' CPU use is sampled; the job waits (up to ``--max-wait`` s) for a quiet machine
and the JSON records what it saw.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional

REPO = Path(__file__).resolve().parents[1]
for _p in (REPO, REPO / "tests", REPO / "bench"):
    if str(_p) not in sys.path:
        sys.path.insert(0, str(_p))

from support import CACHE, DATA, GOLDEN, TINY, make_checkpoint  # noqa: E402

BENCH_CACHE = REPO / ".cache" / "bench"
RESULTS = REPO / "bench" / "results"
BEFORE = DATA / "HLS.S30.T15SXR.2021250T163901.v2.0.tif"
AFTER = DATA / "HLS.S30.T15SXR.2022245T163901.v2.0.tif"
REFERENCE = {"end_to_end_s": 89.7, "peak_rss_mb": 1960.0, "forward_s": 84.0,
             "note": "NRCan reference, same 1000 x 1000 run on this machine type (encoder + decoder, "
                     "non-fused attention)"}
TINY512 = dict(TINY, img_size=512)
PIXEL_KM2 = 0.03 * 0.03  # 30 m pixels


# ------------------------------------------------------------------------------------------
# machine state
# ------------------------------------------------------------------------------------------
def _cpu_times() -> List[int]:
    with open("/proc/stat") as fh:
        return [int(v) for v in fh.readline().split()[1:]]


def busy_cores(seconds: float = 1.0) -> float:
    """CPU cores busy (all processes) over ``seconds``; the caller itself sleeps meanwhile."""
    a = _cpu_times()
    time.sleep(seconds)
    b = _cpu_times()
    d = [y - x for x, y in zip(a, b)]
    total = sum(d[:8]) or 1
    idle = d[3] + d[4]
    return (os.cpu_count() or 1) * (total - idle) / total


def wait_for_quiet(max_wait: float, threshold: float = 0.3) -> Dict[str, Any]:
    """Wait until other processes use less than ``threshold`` cores (at most ``max_wait`` s)."""
    start = time.monotonic()
    busy = busy_cores()
    while busy > threshold and time.monotonic() - start < max_wait:
        time.sleep(4.0)
        busy = busy_cores()
    return {"busy_cores_before": round(busy, 2), "loadavg_before": [round(v, 2) for v in os.getloadavg()],
            "waited_s": round(time.monotonic() - start, 1), "quiet": busy <= threshold}


def machine() -> Dict[str, Any]:
    import torch

    model = ""
    try:
        model = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    mem = 0
    try:
        mem = int(next(line.split()[1] for line in open("/proc/meminfo") if line.startswith("MemTotal"))) // 1024
    except (OSError, StopIteration):
        pass
    from osgeo import gdal
    import numpy

    return {"cpu": model, "cores": os.cpu_count(), "memory_mb": mem, "python": platform.python_version(),
            "torch": torch.__version__, "torch_threads": torch.get_num_threads(), "numpy": numpy.__version__,
            "gdal": gdal.__version__, "loadavg_at_start": [round(v, 2) for v in os.getloadavg()]}


# ------------------------------------------------------------------------------------------
# data and checkpoints (made once, cached outside git)
# ------------------------------------------------------------------------------------------
def checkpoints() -> Dict[str, Path]:
    return {"base": make_checkpoint(CACHE / "base_s0.pth", preset="base"),
            "tiny": make_checkpoint(CACHE / "tiny_s0.pth"),
            "tiny512": make_checkpoint(CACHE / "tiny512_s0.pth", extra=("--set", "img_size=512"))}


def _mirror_tiles(a, nx: int, ny: int):
    """``ny`` rows of ``nx`` copies of ``a``, every other one flipped, so edges meet without seams."""
    import numpy as np

    row = np.concatenate([a if j % 2 == 0 else a[:, ::-1] for j in range(nx)], axis=1)
    return np.concatenate([row if i % 2 == 0 else row[::-1] for i in range(ny)], axis=0)


def _derived_pair(tag: str, make: Callable[[Path, Path], None]) -> Dict[str, str]:
    """The real pair and its Fmasks derived by ``make(source, destination)`` into ``BENCH_CACHE/<tag>``
    (files already there are reused); returns {before, after, fmask_before, fmask_after} -> path."""
    folder = BENCH_CACHE / tag
    names = {}
    for key, src in (("before", BEFORE), ("after", AFTER)):
        for prefix in ("", "fmask_"):
            dst = folder / (prefix + src.name.replace("T15SXR.", f"T15SXR-{tag}."))
            names[prefix + key] = str(dst)
            if not dst.exists():
                folder.mkdir(parents=True, exist_ok=True)
                make(src.parent / (prefix + src.name), dst)
    return names


def synthetic_pair(nx: int = 4, ny: int = 4) -> Dict[str, str]:
    """The real pair and its Fmasks mirrored ``nx`` x ``ny`` times (same origin, 30 m)."""
    from osgeo import gdal

    def mirrored(source: Path, dst: Path) -> None:
        ds = gdal.Open(str(source))
        tmp = dst.with_suffix(".tmp.tif")
        out = gdal.GetDriverByName("GTiff").Create(
            str(tmp), ds.RasterXSize * nx, ds.RasterYSize * ny, ds.RasterCount,
            ds.GetRasterBand(1).DataType,
            ["TILED=YES", "BLOCKXSIZE=256", "BLOCKYSIZE=256", "COMPRESS=DEFLATE", "PREDICTOR=2",
             "BIGTIFF=IF_SAFER"])
        out.SetGeoTransform(ds.GetGeoTransform())
        out.SetProjection(ds.GetProjection())
        for b in range(1, ds.RasterCount + 1):
            band, ob = ds.GetRasterBand(b), out.GetRasterBand(b)
            if band.GetNoDataValue() is not None:
                ob.SetNoDataValue(band.GetNoDataValue())
            ob.SetDescription(band.GetDescription())
            ob.WriteArray(_mirror_tiles(band.ReadAsArray(), nx, ny))
        out = None
        os.replace(tmp, dst)

    return _derived_pair(f"synth{1000 * nx}x{1000 * ny}", mirrored)


def crop_pair(size: int = 256, xoff: int = 300, yoff: int = 300) -> Dict[str, str]:
    """A ``size`` px window of the real pair and its Fmasks."""
    from osgeo import gdal

    return _derived_pair(f"crop{size}", lambda source, dst: gdal.Translate(
        str(dst), str(source), srcWin=[xoff, yoff, size, size], creationOptions=["COMPRESS=LZW"]))


# ------------------------------------------------------------------------------------------
# jobs (run in a child process)
# ------------------------------------------------------------------------------------------
def _runner(ckpt: str, arch: Dict[str, Any], stride: int):
    from planaura_plugin.model.config import ModelConfig
    from planaura_plugin.model.inference import PlanauraRunner

    return PlanauraRunner.from_checkpoint(ModelConfig(**arch, patch_stride=stride), ckpt, device="cpu")


def _model_timers(timers, network) -> None:
    from planaura_plugin.model import network as netmod

    timers.wrap(netmod.PatchEmbed, "forward", "model: patch embedding")
    timers.wrap(netmod.PlanauraNetwork, "_run_blocks", "model: transformer blocks")
    timers.wrap(network.backbone.encoder.norm, "forward", "model: final norm")


def _run_tiles(args: Dict[str, Any]):
    """The normalised inputs (B, C, T, S, S) of the run's kept tiles, read as the pipeline reads them:
    the forward is timed on the very data of the end-to-end run (its speed depends a little on it)."""
    import numpy as np

    from planaura_plugin.normalisation import normalise
    from planaura_plugin.pipeline.change import plan as change_plan

    with tempfile.TemporaryDirectory(prefix="planaura_bench_plan_") as tmp:
        request = _change_map_request(dict(args, out_dir=tmp))
        plan = change_plan.plan_change_map(request)
    preset = request.model.preset
    readers = change_plan.date_readers(plan, with_fmask=False)
    tiles = [t for tiles in plan.passes for t in tiles]
    size = plan.tile_size
    x = np.empty((len(tiles), len(preset.bands), plan.frames, size, size), dtype=np.float32)
    try:
        for b, tile in enumerate(tiles):
            for t, reader in enumerate(readers):
                x[b, :, t] = normalise(reader.read(tile.row, tile.col), preset.mean, preset.std, preset.no_data)
    finally:
        for reader in readers:
            reader.close()
    return x


def job_forward(args: Dict[str, Any]) -> Dict[str, Any]:
    """``runner.infer`` (encoder, cosine only) on each tile of the run, batch 1, ``repeats`` passes:
    the median per tile; then one batch of ``batch`` tiles; model parts timed on the batch-1 passes."""
    import torch

    from instrument import Timers

    x = _run_tiles(args)
    runner = _runner(args["checkpoint"], args["arch"], args["stride"])
    runner.infer(x[:1], feature_channels=[])  # warm-up
    timers = Timers()
    _model_timers(timers, runner.network)
    times = []
    for _ in range(int(args.get("repeats", 2))):
        for i in range(len(x)):
            start = time.perf_counter()
            runner.infer(x[i:i + 1], feature_channels=[])
            times.append(time.perf_counter() - start)
    timers.restore()
    median = statistics.median(times)
    out: Dict[str, Any] = {"threads": torch.get_num_threads(), "data": "the run's own tiles, read and normalised "
                           "as the pipeline does", "tiles": len(x), "repeats": int(args.get("repeats", 2)),
                           "forward_s_per_tile": round(median, 4), "times_s": [round(t, 3) for t in times],
                           "min_s": round(min(times), 4), "max_s": round(max(times), 4)}
    parts = {k: timers.total(k) / len(times) for k in ("model: patch embedding", "model: transformer blocks",
                                                        "model: final norm")}
    out["breakdown_s_per_tile"] = {k: round(v, 4) for k, v in parts.items()}
    out["breakdown_s_per_tile"]["rest of infer (masks, cosine, copies)"] = round(
        max(0.0, statistics.mean(times) - sum(parts.values())), 4)
    batch = int(args.get("batch", 0))
    if batch and len(x) >= batch:
        start = time.perf_counter()
        runner.infer(x[:batch], feature_channels=[])
        out[f"forward_s_per_tile_batch{batch}"] = round((time.perf_counter() - start) / batch, 4)
    return out


def job_dense_tile(args: Dict[str, Any]) -> Dict[str, Any]:
    """A dense (stride 1) base tile, timed on ``chunks`` of its 256 sub-grid sequences and extrapolated."""
    from instrument import Timers
    from model_timing import time_forward

    runner = _runner(args["checkpoint"], args["arch"], 1)
    timers = Timers()
    _model_timers(timers, runner.network)
    r = time_forward(runner, dense_chunks=args["chunks"])
    timers.restore()
    done = r["extrapolated_from_subgrids"]
    scale = 256 / done
    return {"s_per_tile_extrapolated": r["s_per_tile"], "subgrids_timed": done,
            "offsets_per_chunk": runner.offsets_per_chunk(1),
            "breakdown_s_per_tile": {k: round(timers.total(k) * scale, 2) for k in (
                "model: patch embedding", "model: transformer blocks", "model: final norm")}}


def _change_map_request(args: Dict[str, Any]):
    from planaura_plugin.model.config import ModelConfig
    from planaura_plugin.model.loading import ModelSpec
    from planaura_plugin.pipeline.requests import ChangeMapOutputs, ChangeMapRequest
    from planaura_plugin.presets import HLS

    out = Path(args["out_dir"])
    spec = ModelSpec(preset=HLS, config=ModelConfig(**args["arch"]), checkpoint=args["checkpoint"], device="cpu",
                     batch_size=args.get("batch_size", 4))
    outputs = ChangeMapOutputs(cosine_map=str(out / "cosine_map.tif"), before_date=str(out / "before_date.tif"),
                               after_date=str(out / "after_date.tif"), quality_fmask=str(out / "quality.tif"))
    return ChangeMapRequest(inputs=args["inputs"], outputs=outputs, model=spec, patch_stride=args["stride"],
                            upsample=True, compression=args.get("compression", "LZW"))


def _pipeline_timers(timers) -> None:
    """Timers on every stage of the change-map pipeline (see the profile section of the report)."""
    from planaura_plugin import normalisation
    from planaura_plugin.model import loading
    from planaura_plugin.pipeline.change import maps as cm
    from planaura_plugin.pipeline.change import outputs as change_outputs, run as change_run, tiles as change_tiles
    from planaura_plugin.raster import geotiff, reader, row_band, row_writer, stitch

    # each name is wrapped where the pipeline looks it up (the module that imports or defines it)
    timers.wrap(cm, "plan_change_map", "plan: checks + minimum-valid pre-pass")
    timers.wrap(loading, "get_runner", "model load", timeline=True)
    timers.wrap(change_run, "_get", "queue get (wait)", timeline=True)
    timers.wrap(change_run, "_put", "queue put (wait)", timeline=True)
    timers.wrap(reader.DateReader, "read", "read: image tile (GDAL read/warp, normalised per row band)")
    timers.wrap(row_band.RowBandCache, "_read_rows", "read: GDAL ReadAsArray (row band)")
    timers.wrap(reader, "warp_to_tile", "read: GDAL warp")
    timers.wrap(reader.DateReader, "read_fmask", "read: Fmask tile")
    timers.wrap(normalisation, "normalise", "normalise")
    timers.wrap(change_run, "tile_maps", "tile maps (upsample, pool Fmask)")
    timers.wrap(change_tiles, "upsample_masked", "upsample: cubic zoom")
    timers.wrap(stitch.GridStitcher, "paste", "stitch: paste")
    timers.wrap(change_run.ChangeMapRun, "_advance", "stitch: emit rows + write")
    timers.wrap(row_writer.BlockRowWriter, "_write", "write: GDAL WriteArray + flush (LZW)")
    timers.wrap(change_outputs.ChangeMapFiles, "finish", "write: finish (last rows)")
    timers.wrap(geotiff.OutputSet, "commit", "write: close + rename")


def job_change_map(args: Dict[str, Any]) -> Dict[str, Any]:
    """run_change_map on a pair; with ``profile`` every stage is timed per thread."""
    from osgeo import gdal

    from instrument import Timers
    from planaura_plugin.model import inference
    from planaura_plugin.pipeline.change import run_change_map

    request = _change_map_request(args)
    timers = Timers()
    if args.get("profile"):
        _pipeline_timers(timers)
        if args.get("model_parts"):
            from planaura_plugin.model import network as netmod
            timers.wrap(netmod.PatchEmbed, "forward", "model: patch embedding")
            timers.wrap(netmod.PlanauraNetwork, "_run_blocks", "model: transformer blocks")
    timers.wrap(inference.PlanauraRunner, "infer", "forward (runner.infer)", timeline=True)
    timed_infer = inference.PlanauraRunner.infer
    tiles = [0]

    def counting(self, batch, *a, **k):
        tiles[0] += int(batch.shape[0])
        return timed_infer(self, batch, *a, **k)

    inference.PlanauraRunner.infer = counting
    sampler = RssSampler() if args.get("profile") else None
    start = time.perf_counter()
    written = run_change_map(request)
    end = time.perf_counter()
    timers.restore()
    if sampler is not None:
        sampler.stop()
    cos = gdal.Open(written["cosine_map"]).ReadAsArray()
    fwd = timers.spans("forward (runner.infer)", "MainThread")
    result: Dict[str, Any] = {
        "end_to_end_s": round(end - start, 3), "tiles": tiles[0],
        "forward_in_pipeline_s": round(timers.total("forward (runner.infer)"), 3),
        "output_px": int(cos.size), "valid_fraction": round(float((cos != -100).mean()), 4),
        "outputs": sorted(written)}
    if args.get("forward_after"):
        result["forward_after_run"] = _forward_after_run(args, request)
    if args.get("profile"):
        result["profile"] = _breakdown(timers, start, end, fwd)
        load_end = max((b for lab, _th, _a, b in timers.intervals if lab == "model load"), default=None)
        result["profile"]["rss_mb"] = sampler.summary(timers.t0, start - timers.t0, load_end, end - timers.t0)
        result["profile"]["rss_mb_timeline"] = sampler.timeline(timers.t0, 1.0)
    return result


class RssSampler:
    """Samples this process's resident memory every 50 ms (to tell when the peak happens)."""

    def __init__(self, period: float = 0.05) -> None:
        import threading

        self.samples: List[tuple] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(period,), daemon=True, name="rss-sampler")
        self._thread.start()

    @staticmethod
    def rss_mb() -> float:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        return 0.0

    def _run(self, period: float) -> None:
        while not self._stop.is_set():
            self.samples.append((time.perf_counter(), self.rss_mb()))
            self._stop.wait(period)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def timeline(self, t0: float, step: float) -> List[List[float]]:
        """[seconds from t0, MB] about every ``step`` s (the largest sample of each step)."""
        out: Dict[int, float] = {}
        for t, r in self.samples:
            k = int((t - t0) / step)
            out[k] = max(out.get(k, 0.0), r)
        return [[round(k * step, 1), round(v, 1)] for k, v in sorted(out.items())]

    def summary(self, t0: float, start: float, load_end: Optional[float], end: float) -> Dict[str, float]:
        """RSS at the start, peak before and after the model was loaded, at the end (MB)."""
        pts = [(t - t0, r) for t, r in self.samples]
        before = [r for t, r in pts if t <= (load_end if load_end is not None else start)]
        after = [r for t, r in pts if load_end is not None and t > load_end]
        return {"at_start": round(pts[0][1], 1) if pts else 0.0,
                "peak_until_model_loaded": round(max(before), 1) if before else 0.0,
                "peak_while_running": round(max(after), 1) if after else 0.0,
                "at_end": round(pts[-1][1], 1) if pts else 0.0}


def _forward_after_run(args: Dict[str, Any], request) -> Dict[str, Any]:
    """Right after the run, in the same process and with the network it loaded: each of its tiles
    through ``runner.infer`` alone (batch 1). The host's speed drifts by tens of percent from one
    minute to the next, so "tiles x forward" is best measured next to the run it is compared with."""
    from planaura_plugin.model.loading import get_runner

    x = _run_tiles(args)
    runner = get_runner(request.model.for_run(x.shape[2], int(args["stride"])))
    times = []
    for i in range(len(x)):
        begin = time.perf_counter()
        runner.infer(x[i:i + 1], feature_channels=[])
        times.append(time.perf_counter() - begin)
    return {"forward_s_per_tile": round(statistics.median(times), 4), "sum_s": round(sum(times), 3),
            "times_s": [round(t, 3) for t in times]}


def _breakdown(timers, start: float, end: float, fwd) -> Dict[str, Any]:
    """Where the main thread's wall time went, and what the reader/writer threads did meanwhile."""
    t0 = timers.t0
    s, e = start - t0, end - t0
    main = "MainThread"
    plan = timers.total("plan: checks + minimum-valid pre-pass", main)
    load = timers.total("model load", main)
    forward = sum(b - a for a, b in fwd)
    waits = timers.spans("queue get (wait)", main)
    wait_in = sum(b - a for a, b in waits)
    wait_out = sum(b - a for a, b in timers.spans("queue put (wait)", main))
    last_fwd = max(b for _a, b in fwd) if fwd else s
    tail = e - last_fwd
    tail_put = sum(b - a for a, b in timers.spans("queue put (wait)", main) if a >= last_fwd)
    first_get = min((a for a, _b in waits), default=s)
    accounted = plan + load + forward + wait_in + wait_out + tail - tail_put
    table = timers.table()
    return {
        "main_thread_s": {
            "total": round(e - s, 3),
            "plan (input checks + minimum-valid pre-pass: reads every tile)": round(plan, 3),
            "model load (checkpoint to network)": round(load, 3),
            "forward (runner.infer, all batches)": round(forward, 3),
            "waiting for the reader (queue empty)": round(wait_in, 3),
            "waiting for the writer (queue full)": round(wait_out - tail_put, 3),
            "tail after the last forward (stitch, write, close, rename)": round(tail, 3),
            "other (threads start, progress)": round(max(0.0, (e - s) - accounted), 3),
            "first batch requested at": round(first_get - s, 3),
        },
        "per_thread": table,
    }


def job_mosaic(args: Dict[str, Any]) -> Dict[str, Any]:
    """run_mosaic of the golden three-pair set (v_mosaic3) at ``resolution`` m."""
    from mosaic_compare import golden_input_images
    from planaura_plugin.pipeline.mosaic import find_pair_layers, run_mosaic
    from planaura_plugin.pipeline.requests import MosaicRequest

    outputs = GOLDEN / "raster" / "v_mosaic3" / "outputs"
    cosines = sorted(str(p) for p in (outputs / "epoch2021").glob("cosine_map!*.tif"))
    images = golden_input_images()
    pairs = find_pair_layers(cosines, [str(outputs / "epoch2022")], input_images=images)
    request = MosaicRequest(pairs=pairs, output_dir=args["out_dir"], postfix="bench", target_crs="EPSG:3979",
                            target_resolution=float(args["resolution"]), input_images=images)
    start = time.perf_counter()
    written = run_mosaic(request)
    seconds = time.perf_counter() - start
    from osgeo import gdal

    ds = gdal.Open(written["cosine_map"])
    mp = ds.RasterXSize * ds.RasterYSize / 1e6
    bands = sum(gdal.Open(p).RasterCount for p in written.values())
    return {"resolution_m": args["resolution"], "output_mp": round(mp, 3), "files": len(written),
            "bands_total": bands, "seconds": round(seconds, 3), "s_per_output_mp": round(seconds / mp, 3)}


import cancel_timing  # noqa: E402
import qgis_vs_cli  # noqa: E402
import distributed_runs  # noqa: E402
import resume_hash  # noqa: E402
import series_bench  # noqa: E402
from speed_jobs import gflops_from, job_dense_memory, job_null_pipeline, job_precisions  # noqa: E402

JOBS: Dict[str, Callable[[Dict[str, Any]], Dict[str, Any]]] = {
    "forward": job_forward, "dense_tile": job_dense_tile, "change_map": job_change_map, "mosaic": job_mosaic,
    "precisions": job_precisions, "dense_memory": job_dense_memory, "null_pipeline": job_null_pipeline}
JOBS.update(distributed_runs.JOBS)
JOBS.update(resume_hash.JOBS)
JOBS.update(series_bench.JOBS)
JOBS.update(cancel_timing.JOBS)
JOBS.update(qgis_vs_cli.JOBS)


# ------------------------------------------------------------------------------------------
# the parent: one subprocess per job, peak RSS from wait4
# ------------------------------------------------------------------------------------------
#: time.monotonic() at which every job is stopped (the bench's time limit, cpu_plan.SectionBudget); None = none
DEADLINE: List[Optional[float]] = [None]


def spawn(cmd: List[str], env: Optional[Dict[str, str]] = None, log: Optional[Path] = None) -> Dict[str, Any]:
    """Run ``cmd``; its wall time, exit status and peak RSS (of the process itself, via wait4).

    The process is killed at :data:`DEADLINE` (``"stopped_at_deadline": True`` in the result).
    """
    import threading

    start = time.perf_counter()
    cpu0 = _cpu_times()
    handle = open(log, "w") if log else subprocess.DEVNULL
    timer = None
    try:
        proc = subprocess.Popen(cmd, env=env, stdout=handle, stderr=subprocess.STDOUT if log else None)
        if DEADLINE[0] is not None:
            timer = threading.Timer(max(1.0, DEADLINE[0] - time.monotonic()), proc.kill)
            timer.start()
        _pid, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
    finally:
        if timer is not None:
            timer.cancel()
        if log:
            handle.close()
    wall = time.perf_counter() - start
    return {"wall_s": round(wall, 3), "returncode": proc.returncode, "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),
            "stopped_at_deadline": bool(timer is not None and DEADLINE[0] is not None
                                        and time.monotonic() >= DEADLINE[0]),
            "cpu_s": round(usage.ru_utime + usage.ru_stime, 1),
            "other_processes_cores": round(_others_busy(cpu0, _cpu_times(), usage, wall), 2)}


def _others_busy(a: List[int], b: List[int], usage, wall: float) -> float:
    """Average cores that processes other than the measured one kept busy during its run."""
    hz = os.sysconf("SC_CLK_TCK")
    d = [y - x for x, y in zip(a, b)]
    busy = (sum(d[:8]) - d[3] - d[4]) / hz
    own = usage.ru_utime + usage.ru_stime
    return max(0.0, (busy - own) / max(wall, 1e-9))


def run_job(name: str, args: Dict[str, Any], max_wait: float, env_extra: Optional[Dict[str, str]] = None) -> Dict:
    state = wait_for_quiet(max_wait)
    with tempfile.TemporaryDirectory(prefix="planaura_bench_") as tmp:
        result_file = Path(tmp) / "result.json"
        args = dict(args)
        if "out_dir" in args and args["out_dir"] is None:
            args["out_dir"] = str(Path(tmp) / "out")
        env = dict(os.environ, **(env_extra or {}))
        proc = spawn([sys.executable, str(Path(__file__).resolve()), "--job", name, "--args", json.dumps(args),
                      "--result", str(result_file)], env=env)
        if proc["stopped_at_deadline"]:
            from cpu_plan import BudgetExceeded

            raise BudgetExceeded(f"bench job {name} stopped at the bench's time limit after {proc['wall_s']:.0f} s")
        if proc["returncode"] != 0 or not result_file.exists():
            raise RuntimeError(f"bench job {name} failed (exit {proc['returncode']})")
        result = json.loads(result_file.read_text())
    state["other_processes_cores_during"] = proc["other_processes_cores"]
    result.update(process_wall_s=proc["wall_s"], process_cpu_s=proc["cpu_s"], peak_rss_mb=proc["peak_rss_mb"],
                  machine_state=state)
    return result


def qgis_changemap(checkpoint: Path, max_wait: float) -> Dict[str, Any]:
    """planaura:changemap through qgis_process.bin (plugin enabled in a throw-away profile)."""
    import sysconfig

    exe = shutil.which("qgis_process.bin") or "/usr/bin/qgis_process.bin"
    if not os.path.exists(exe):
        return {"skipped": f"{exe} not found"}
    with tempfile.TemporaryDirectory(prefix="planaura_bench_qgis_") as tmp:
        tmp = Path(tmp)
        (tmp / "plugins").mkdir()
        (tmp / "plugins" / "planaura_qgis").symlink_to(REPO, target_is_directory=True)
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen", QGIS_PLUGINPATH=str(tmp / "plugins"),
                   QGIS_CUSTOM_CONFIG_PATH=str(tmp / "profile"), XDG_RUNTIME_DIR=tempfile.gettempdir())
        env.pop("QGIS_OPTIONS_PATH", None)
        site = [sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]]
        env["PYTHONPATH"] = os.pathsep.join(dict.fromkeys(site + [p for p in env.get("PYTHONPATH", "").split(
            os.pathsep) if p]))
        enable = subprocess.run([exe, "plugins", "enable", "planaura_qgis"], env=env, capture_output=True, text=True)
        if enable.returncode != 0:
            return {"skipped": f"plugins enable failed: {enable.stdout[-500:]} {enable.stderr[-500:]}"}
        out = tmp / "out"
        out.mkdir()
        cmd = [exe, "--json", "run", "planaura:changemap", "--", f"BEFORE={BEFORE}", f"AFTER={AFTER}",
               f"CHECKPOINT={checkpoint}", "DEVICE=1", "BATCH_SIZE=4", f"OUTPUT={out / 'cosine_map.tif'}",
               f"OUTPUT_BEFORE_DATE={out / 'before_date.tif'}", f"OUTPUT_AFTER_DATE={out / 'after_date.tif'}",
               f"OUTPUT_QUALITY={out / 'quality.tif'}"]
        state = wait_for_quiet(max_wait)
        proc = spawn(cmd, env=env, log=tmp / "log.txt")
        text = (tmp / "log.txt").read_text(errors="replace")
        if proc["returncode"] != 0 or not (out / "cosine_map.tif").exists():
            return {"failed": f"exit {proc['returncode']}: {text[-1500:]}"}
        state["other_processes_cores_during"] = proc["other_processes_cores"]
        runtime = qgis_vs_cli.RUNTIME_LINE.search(text)
        return {"end_to_end_s": proc["wall_s"], "process_cpu_s": proc["cpu_s"], "peak_rss_mb": proc["peak_rss_mb"],
                "machine_state": state, "runtime_line": runtime.group(0) if runtime else None,
                "note": "whole qgis_process.bin run: QGIS start, plugin and torch import, model load, run, styles"}


# ------------------------------------------------------------------------------------------
def fmt(v: Any, nd: int = 2) -> str:
    if v is None:
        return "-"
    if isinstance(v, float):
        return f"{v:.{nd}f}"
    return str(v)


def print_table(res: Dict[str, Any]) -> None:
    rows = _distributed_rows(res) + series_bench.series_rows(res)
    f = res.get("forward_base_s16", {})
    rows.append(("model forward, base, stride 16, per 512 tile (median)", f.get("forward_s_per_tile"), "s",
                 f"{f.get('repeats')} x the run's {f.get('tiles')} tiles (min {fmt(f.get('min_s'))}, max "
                 f"{fmt(f.get('max_s'))}), {f.get('threads')} threads; batch 4: "
                 f"{fmt(f.get('forward_s_per_tile_batch4'))} s/tile"))
    c = res.get("cancel_to_stop", {})
    rows.append(("cancel to stop, base model, inside a batch", c.get("cancel_to_stop_s"), "s",
                 f"said 'cancelling…': {c.get('said_cancelling')}; files left: {len(c.get('outputs_left') or [])}"))
    for name, why in (res.get("budget") or {}).get("skipped", {}).items():
        rows.append((f"section {name}", None, "", why))
    s = res.get("stride16_1000px", {})
    rows.append(("change map 1000x1000 core (cosine+dates+quality)", s.get("end_to_end_s"), "s",
                 f"{s.get('tiles')} tiles; overhead ratio {fmt(s.get('overhead_ratio'), 3)} "
                 f"(vs this run's own forwards {fmt(s.get('overhead_ratio_same_run'), 3)}); "
                 f"{fmt(s.get('speedup_vs_reference'))}x the reference's 89.7 s; "
                 f"peak {fmt(s.get('peak_rss_mb'), 0)} MB"))
    q = res.get("stride16_1000px_qgis", {})
    side = res.get("qgis_vs_cli", {})
    rows.append(("CPU seconds qgis_process / command line", side.get("qgis_over_cli_cpu"), "",
                 f"{fmt(q.get('process_cpu_s'), 1)} s / {fmt(side.get('cli', {}).get('process_cpu_s'), 1)} s; "
                 f"QGIS: {q.get('runtime_line')}; CLI: {side.get('cli', {}).get('runtime_line')}"))
    rows.append(("change map 1000x1000 qgis_process", q.get("end_to_end_s"), "s",
                 f"peak {fmt(q.get('peak_rss_mb'), 0)} MB" if "end_to_end_s" in q else
                 str(q.get("skipped") or q.get("failed", ""))[:80]))
    for key in ("tiny512_1000px", "tiny512_1000x4000px", "tiny512_4000px"):
        sc = res.get("scaling", {}).get(key, {})
        rows.append((f"scaling {key} (tiny model, 512 tiles)", sc.get("end_to_end_s"), "s",
                     f"{fmt(sc.get('s_per_km2'), 4)} s/km2, {sc.get('tiles')} tiles, overhead ratio "
                     f"{fmt(sc.get('overhead_ratio'), 2)}, peak {fmt(sc.get('peak_rss_mb'), 0)} MB"))
    d = res.get("stride1_crop", {})
    rows.append(("stride 1, tiny, 256 px crop", d.get("end_to_end_s"), "s",
                 f"{d.get('tiles')} tiles of 64 px, {fmt(d.get('s_per_tile'), 3)} s/tile"))
    db = res.get("stride1_base_tile", {})
    rows.append(("stride 1, base, one 512 tile (extrapolated)", db.get("s_per_tile_extrapolated"), "s",
                 f"from {db.get('subgrids_timed')} of 256 sub-grid sequences"))
    for m in res.get("mosaic_v3_scaled", []):
        rows.append((f"persistence mosaic v_mosaic3 at {m.get('resolution_m')} m", m.get("seconds"), "s",
                     f"{m.get('output_mp')} MP x {m.get('files')} files; {fmt(m.get('s_per_output_mp'), 3)} s/MP; "
                     f"peak {fmt(m.get('peak_rss_mb'), 0)} MB"))
    for p, v in res.get("cpu_precisions", {}).items():
        if isinstance(v, dict) and "s_per_tile" in v:
            rows.append((f"base forward {p} (real pair tiles, interleaved)", v["s_per_tile"], "s",
                         f"{fmt(v.get('speedup_vs_float32'))}x float32; max |dcos| {fmt(v.get('max_abs_dcos'), 5)}, "
                         f"class changes {fmt(v.get('class_change_share'), 5)}"))
    dm = res.get("dense_base_tile", {})
    rows.append(("dense base tile, peak RSS (all channels)", dm.get("peak_rss_mb"), "MB",
                 f"{dm.get('subgrids_run')} of 256 sub-grids run; ~{fmt(dm.get('s_per_tile_extrapolated'), 0)} s/tile"))
    nm = res.get("pipeline_null_model", {})
    rows.append(("change map 3660x3660 with a null model", nm.get("ms_per_tile"), "ms",
                 f"per tile (target <= 15), {nm.get('tiles')} tiles, LZW outputs (default)"))
    zstd = nm.get("hls3660_zstd", {})
    rows.append(("change map 3660x3660 with a null model, ZSTD", zstd.get("ms_per_tile"), "ms",
                 "per tile, outputs with COMPRESSION=ZSTD"))
    small = nm.get("sample_1000x1000", {})
    rows.append(("change map 1000x1000 with a null model", small.get("ms_per_tile"), "ms",
                 f"per tile, {small.get('tiles')} tiles; estimated {fmt(nm.get('fixed_per_run_s'), 3)} s per run "
                 f"+ {fmt(nm.get('marginal_ms_per_tile'))} ms per tile"))
    gf = res.get("encoder_gflops", {})
    rows.append(("encoder float32 GFLOP/s", gf.get("achieved"), "GF/s", f"peak {fmt(gf.get('peak'), 1)} "
                 f"({gf.get('cores')} cores x {gf.get('mhz')} MHz x {gf.get('flops_per_cycle_per_core')})"))
    width = max(len(r[0]) for r in rows)
    print()
    print(f"{'measure':<{width}}  {'value':>9}  unit  notes")
    for name, value, unit, note in rows:
        print(f"{name:<{width}}  {fmt(value):>9}  {unit:<4}  {note}")
    prof = res.get("profile_1000px", {}).get("profile", {})
    if prof.get("main_thread_s"):
        print("\nprofile of the 1000x1000 core run (main thread, s):")
        for k, v in prof["main_thread_s"].items():
            print(f"  {k:<66} {v:>8.2f}")
        print("work of the reader and writer threads, overlapped with the forward (s):")
        for thread, parts in prof.get("per_thread", {}).items():
            if thread == "MainThread":
                continue
            for k, v in parts.items():
                if "queue" not in k:
                    print(f"  {thread:<16}{k:<50} {v['s']:>8.2f}")
        rss = prof.get("rss_mb", {})
        if rss:
            print("resident memory (MB): " + ", ".join(f"{k} {v:.0f}" for k, v in rss.items()))
    noisy: List[str] = []

    def visit(name: str, v: Any) -> None:
        if isinstance(v, dict):
            if v.get("machine_state", {}).get("other_processes_cores_during", 0) > 0.3:
                noisy.append(name)
            for k, w in v.items():
                visit(f"{name}.{k}", w)
        elif isinstance(v, list):
            for i, w in enumerate(v):
                visit(f"{name}[{i}]", w)

    for k, v in res.items():
        visit(k, v)
    if noisy:
        print("\nWARNING: other processes used CPU during: " + ", ".join(noisy) + " (see machine_state)")


def _distributed_rows(res: Dict[str, Any]) -> List[tuple]:
    d = res.get("distributed_scaling", {})
    o = res.get("orchestration_pairs_per_s", {})
    return [("Dask: 8 pairs, 1 -> 2 single-threaded workers (speed-up)", d.get("speedup"), "x",
             f"{fmt(d.get('workers_1_s'))} s -> {fmt(d.get('workers_2_s'))} s, tiny model, cluster start included"),
            ("Dask: orchestration alone, null model, local:2", o.get("pairs_per_s"), "pairs/s",
             f"{o.get('pairs')} pairs, {fmt(o.get('ms_per_pair'))} ms per pair (manifest included)")] + [
        (f"resume: re-hashing a kept {key[5:]} pair's outputs", r.get("rehash_ms_per_pair"), "ms",
         f"{fmt(r.get('outputs_mb'))} MB, {fmt(r.get('rehash_mb_per_s'), 0)} MB/s warm cache; size and time only: "
         f"{fmt(r.get('stat_only_ms_per_pair'), 3)} ms")
        for key, r in res.get("resume_rehash", {}).items() if key.startswith("pair_")]


def null_model_section(hls: Dict[str, Any], sample: Dict[str, Any]) -> Dict[str, Any]:
    """``pipeline_null_model``: the HLS-size run's figures at the top (``ms_per_tile`` is the
    3660 x 3660 pair's, 196 tiles: a scene as distributed), the 1000 x 1000 sample run under
    ``sample_1000x1000``, and from the two the cost per run and per extra tile (estimates:
    ``end_to_end = fixed_per_run_s + tiles * marginal_ms_per_tile``)."""
    out = dict(hls, raster="3660 x 3660 HLS-size pair (mirrored copies of the real pair)", sample_1000x1000=sample)
    if "end_to_end_s" in hls and "end_to_end_s" in sample and hls.get("tiles", 0) > sample.get("tiles", 0):
        marginal = (hls["end_to_end_s"] - sample["end_to_end_s"]) / (hls["tiles"] - sample["tiles"])
        out["marginal_ms_per_tile"] = round(1000 * marginal, 2)
        out["fixed_per_run_s"] = round(sample["end_to_end_s"] - sample["tiles"] * marginal, 3)
    return out


def speed_sections(res: Dict[str, Any], only, ck: Dict[str, str], pair: List[str], max_wait: float,
                   step: Callable[[str], None], save: Callable[[], None]) -> None:
    """The CPU speed sections: cpu_precisions, dense_base_tile, pipeline_null_model, encoder_gflops.

    Args:
        res: the results being built (updated in place).
        only: the :class:`cpu_plan.SectionBudget` of the run (which sections run, and their times).
        ck: checkpoint paths by name.
        pair: the real pair's two files.
        max_wait: seconds to wait for a quiet machine before each job.
        step: progress printer.
        save: writes ``res``.
    """
    from planaura_plugin.model.config import ModelConfig

    if only.run("precisions"):
        import cpu_plan

        plan = cpu_plan.precision_plan(res["cpu_features"])
        full = sum(1 for p, v in plan.items() if v["mode"] == "full" and p != "float32")
        tiles = cpu_plan.precision_tiles(res.get("forward_base_s16", {}).get("forward_s_per_tile"), full,
                                         only.budgets["precisions"])
        parts = []
        for job in cpu_plan.precision_jobs(plan, tiles):
            step(f"CPU precisions {', '.join(job['precisions'])} on {job['max_tiles']} tile(s) of the real pair (base)")
            parts.append(run_job("precisions", {"checkpoint": ck["base"], "arch": {}, "repeats": 1, **job}, max_wait))
        res["cpu_precisions"] = cpu_plan.merge_precision_results(parts, plan)
        save()
    if only.run("densemem"):
        step("dense base tile: peak memory (one chunk of sub-grid sequences, all channels)")
        res["dense_base_tile"] = run_job("dense_memory", {"chunks": 1}, max_wait)
        save()
    if only.run("null"):
        step("change map 1000x1000 with a null model (reader, stitcher, writers)")
        sample = run_job("null_pipeline", {"checkpoint": ck["base"], "arch": {}, "stride": 16, "inputs": pair,
                                           "out_dir": None, "repeats": 3}, max_wait)
        step("change map 3660x3660 (HLS size, mirrored copies of the pair) with a null model")
        from gpu_check import hls_size_pair

        hls = hls_size_pair(3660)
        big = {"checkpoint": ck["base"], "arch": {}, "stride": 16, "inputs": [hls["before"], hls["after"]],
               "out_dir": None, "repeats": 3}
        res["pipeline_null_model"] = null_model_section(run_job("null_pipeline", big, max_wait), sample)
        save()
        step("the same with ZSTD outputs (the COMPRESSION option; LZW is the default)")
        res["pipeline_null_model"]["hls3660_zstd"] = run_job("null_pipeline", dict(big, compression="ZSTD"), max_wait)
        save()
    if only.run("gflops"):
        f32 = res.get("cpu_precisions", {}).get("float32", {}).get("s_per_tile") or \
            res.get("forward_base_s16", {}).get("forward_s_per_tile")
        if f32:
            res["encoder_gflops"] = gflops_from(ModelConfig(), f32)
            res["encoder_gflops"]["source"] = ("cpu_precisions.float32.s_per_tile"
                                               if res.get("cpu_precisions") else "forward_base_s16")
            save()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--job", help=argparse.SUPPRESS)
    ap.add_argument("--args", help=argparse.SUPPRESS)
    ap.add_argument("--result", help=argparse.SUPPRESS)
    ap.add_argument("--only", default="", help="comma-separated sections: forward,cancel,core,qgis,profile,scaling,"
                                               "dense,mosaic,precisions,densemem,null,gflops,distributed,resume,series "
                                               "(default: all)")
    ap.add_argument("--repeats", type=int, default=2,
                    help="passes over the 9 tiles of the 1000 x 1000 run when timing the base forward (median)")
    ap.add_argument("--max-wait", type=float, default=30.0,
                    help="seconds to wait before each job for other processes to go quiet")
    ap.add_argument("--out", default=None, help="JSON path (default bench/results/<date>.json)")
    a = ap.parse_args()
    if a.job:
        result = JOBS[a.job](json.loads(a.args))
        Path(a.result).write_text(json.dumps(result))
        return

    only = {s.strip() for s in a.only.split(",") if s.strip()} or {
        "forward", "cancel", "core", "qgis", "profile", "scaling", "dense", "mosaic", "precisions", "densemem", "null",
        "gflops", "distributed", "resume", "series"}
    import cpu_plan

    budget = cpu_plan.SectionBudget(only)
    DEADLINE[0] = budget.start + budget.total_s
    started = time.monotonic()
    print("preparing checkpoints and synthetic data (cached in .cache/)...", flush=True)
    ck = {k: str(v) for k, v in checkpoints().items()}
    res: Dict[str, Any] = {"date": dt.date.today().isoformat(), "machine": machine(), "reference": REFERENCE}
    out_path = Path(a.out) if a.out else RESULTS / f"{res['date']}.json"
    if out_path.exists():  # a partial re-run (--only) keeps the other sections
        old = json.loads(out_path.read_text())
        res = {**old, **{k: res[k] for k in ("date", "machine", "reference")}}
    base_arch: Dict[str, Any] = {}
    pair = [str(BEFORE), str(AFTER)]
    res["cpu_features"] = cpu_plan.cpu_features()
    res["precision_plan"] = cpu_plan.precision_plan(res["cpu_features"])

    def save() -> None:
        out_path.parent.mkdir(parents=True, exist_ok=True)
        tmp = out_path.with_suffix(".json.tmp")
        tmp.write_text(json.dumps(res, indent=2) + "\n")
        os.replace(tmp, out_path)

    def step(msg: str) -> None:
        print(f"[{time.monotonic() - started:6.0f} s] {msg}", flush=True)

    try:
        if budget.run("forward"):
            step("pure forward, base, stride 16")
            res["forward_base_s16"] = run_job("forward", {"checkpoint": ck["base"], "arch": base_arch, "stride": 16,
                                                          "inputs": pair, "repeats": a.repeats, "batch": 4}, a.max_wait)
            save()
        fwd = res.get("forward_base_s16", {}).get("forward_s_per_tile")
        if budget.run("cancel"):
            step("cancel: base model, time from the cancel to the stop (sample pair, inside the first batch)")
            res["cancel_to_stop"] = run_job("cancel", {"checkpoint": ck["base"]}, a.max_wait)
            save()
        if budget.run("core"):
            step("change map 1000x1000 through the core")
            r = run_job("change_map", {"checkpoint": ck["base"], "arch": base_arch, "stride": 16, "inputs": pair,
                                       "out_dir": None, "forward_after": True}, a.max_wait)
            after = r.get("forward_after_run", {}).get("forward_s_per_tile")
            if fwd or after:
                # tiles x forward from the forwards timed right after the run, in its process (see
                # _forward_after_run); the separate forward job's median is kept beside it
                r["forward_s_per_tile"] = after or fwd
                r["forward_s_per_tile_separate_job"] = fwd
                r["overhead_ratio"] = round(r["end_to_end_s"] / (r["tiles"] * r["forward_s_per_tile"]), 3)
                r["forward_in_pipeline_s_per_tile"] = round(r["forward_in_pipeline_s"] / max(1, r["tiles"]), 3)
            # the same ratio against the forwards of this very run: free of the host's minute-to-minute drift
            r["overhead_ratio_same_run"] = round(r["end_to_end_s"] / r["forward_in_pipeline_s"], 3)
            r["speedup_vs_reference"] = round(REFERENCE["end_to_end_s"] / r["end_to_end_s"], 2)
            res["stride16_1000px"] = r
            save()
        if budget.run("qgis"):
            step("change map 1000x1000 through qgis_process and from a plain Python process, side by side")
            side = qgis_vs_cli.compare(ck["base"], str(BEFORE), str(AFTER), a.max_wait)
            q = side.pop("qgis")
            res["qgis_vs_cli"] = side
            core = res.get("stride16_1000px", {})
            per_tile = core.get("forward_s_per_tile") or fwd
            if per_tile and "end_to_end_s" in q and core.get("tiles"):
                q["overhead_ratio"] = round(q["end_to_end_s"] / (core["tiles"] * per_tile), 3)
            res["stride16_1000px_qgis"] = q
            save()
        if budget.run("profile"):
            step("profile of the 1000x1000 change map (timers per thread)")
            res["profile_1000px"] = run_job("change_map", {"checkpoint": ck["base"], "arch": base_arch, "stride": 16,
                                                           "inputs": pair, "out_dir": None, "profile": True},
                                            a.max_wait)
            save()
        if budget.run("scaling"):
            step("synthetic 4000x4000 and 1000x4000 pairs (cached)")
            synth = synthetic_pair(4, 4)
            tall = synthetic_pair(1, 4)
            step("scaling: tiny model on 512 px tiles, forward then 1000 and 4000 px")
            tf = run_job("forward", {"checkpoint": ck["tiny512"], "arch": TINY512, "stride": 16, "inputs": pair,
                                     "repeats": 5}, a.max_wait)
            scaling: Dict[str, Any] = {"model": "tiny architecture (tests/support.py TINY) with img_size 512: the "
                                                "production tile grid at a small fraction of the base model's cost",
                                       "forward_s_per_tile": tf["forward_s_per_tile"]}
            for key, inputs, (w, h) in (("tiny512_1000px", pair, (1000, 1000)),
                                        ("tiny512_1000x4000px", [tall["before"], tall["after"]], (1000, 4000)),
                                        ("tiny512_4000px", [synth["before"], synth["after"]], (4000, 4000))):
                step(f"scaling: {key}")
                r = run_job("change_map", {"checkpoint": ck["tiny512"], "arch": TINY512, "stride": 16, "inputs": inputs,
                                           "out_dir": None, "profile": True}, a.max_wait)
                prof = r.pop("profile")
                r["main_thread_s"] = prof["main_thread_s"]
                r["rss_mb"] = prof["rss_mb"]
                r["rss_mb_timeline"] = prof["rss_mb_timeline"]
                r["km2"] = round(w * h * PIXEL_KM2, 1)
                r["s_per_km2"] = round(r["end_to_end_s"] / r["km2"], 5)
                r["overhead_ratio"] = round(r["end_to_end_s"] / (r["tiles"] * tf["forward_s_per_tile"]), 2)
                scaling[key] = r
            res["scaling"] = scaling
            save()
        if budget.run("dense"):
            step("stride 1: tiny model on a 256 px crop")
            crop = crop_pair(256)
            r = run_job("change_map", {"checkpoint": ck["tiny"], "arch": TINY, "stride": 1,
                                       "inputs": [crop["before"], crop["after"]], "out_dir": None, "profile": True,
                                       "model_parts": True}, a.max_wait)
            r["s_per_tile"] = round(r["end_to_end_s"] / max(1, r["tiles"]), 4)
            res["stride1_crop"] = r
            save()
            step("stride 1: base model, one tile extrapolated from 2 sub-grid sequences")
            res["stride1_base_tile"] = run_job("dense_tile", {"checkpoint": ck["base"], "arch": base_arch, "chunks": 2},
                                               a.max_wait, env_extra={"PLANAURA_CPU_BUDGET_MB": "1"})
            res["stride1_base_tile"]["note"] = ("PLANAURA_CPU_BUDGET_MB=1 so that one chunk is one sub-grid sequence; "
                                                "the pipeline's default budget (1024 MB) runs 10 per chunk")
            save()
        if budget.run("mosaic"):
            res["mosaic_v3_scaled"] = []
            for resolution in (30.0, 15.0, 7.5):
                step(f"persistence mosaic v_mosaic3 at {resolution:g} m")
                res["mosaic_v3_scaled"].append(run_job("mosaic", {"resolution": resolution, "out_dir": None},
                                                       a.max_wait))
                save()
        speed_sections(res, budget, ck, pair, a.max_wait, step, save)
        if budget.run("distributed"):
            step("Dask: eight pairs on 1 and 2 single-threaded workers; 400 null-model pairs")
            res["distributed_scaling"] = run_job("distributed_scaling", {"checkpoint": ck["tiny"], "pairs": 8},
                                                 a.max_wait)
            res["orchestration_pairs_per_s"] = run_job("orchestration", {"checkpoint": ck["tiny"], "pairs": 400},
                                                       a.max_wait)
            save()
        if budget.run("resume"):
            step("resume: re-verifying the hashes of kept outputs")
            res["resume_rehash"] = run_job("resume_hash", {"sizes": [1000, 3660], "repeats": 5}, a.max_wait)
            save()
        if budget.run("series"):
            step("change over time: a 20-date series of 1000 x 1000 px against a single pair")
            res["series_20_dates"] = run_job("series", {"checkpoint": ck["tiny512"], "arch": TINY512, "dates": 20},
                                             a.max_wait)
            save()
    except cpu_plan.BudgetExceeded as exc:  # the 19 minutes are up: what ran is kept
        budget.stop(budget._current or "?", str(exc))
        step(str(exc))
    res["budget"] = budget.report()
    res["bench_wall_s"] = round(time.monotonic() - started, 1)
    res["machine"]["loadavg_at_end"] = [round(v, 2) for v in os.getloadavg()]
    save()
    print_table(res)
    print(f"\nwritten {out_path.relative_to(REPO) if out_path.is_relative_to(REPO) else out_path} "
          f"({res['bench_wall_s']:.0f} s)")


if __name__ == "__main__":
    main()
