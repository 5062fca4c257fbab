"""`make bench` jobs for Dask distributed runs (section ``distributed``).

- ``distributed_scaling``: the same eight-pair upstream run (tiny model, task ``infer``; the
  real 1000 x 1000 HLS pair of shared/data under eight names) with ``--scheduler local:1`` and ``local:2``
  (single-threaded worker processes, torch at one thread each): wall time of the whole run
  (cluster start and one model load per worker included) and the speed-up.
- ``orchestration_pairs_per_s``: 400 pairs whose task does nothing (a null model) through the
  same executor, manifest records included: how many pairs per second the orchestration alone
  sustains on ``local:2``, the bound on how small a pair may be before scheduling dominates.

(The module is not named ``distributed.py``: ``bench/`` is on ``sys.path`` when the bench
runs, and that name would hide the ``distributed`` package.)
"""
from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Dict, Optional, Tuple

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("PLANAURA_SHARED", REPO.parent / "shared"))
INPUTS = SHARED / "golden" / "raster"
BEFORE = "HLS.S30.T15SXR.2021250T163901.v2.0.tif"
AFTER = "HLS.S30.T15SXR.2022245T163901.v2.0.tif"
#: where the pair's two images (and their fmask_ files) are: the golden 300 x 260 crop, or the
#: real 1000 x 1000 scene
SOURCES = {"golden": (INPUTS / "inputs" / "epoch2021", INPUTS / "inputs" / "epoch2022"),
           "scene": (SHARED / "data" / "hls_t15sxr", SHARED / "data" / "hls_t15sxr")}


def make_run(folder: Path, checkpoint: str, pairs: int, tasks: str = "[infer]", source: str = "golden") -> Path:
    """An upstream project of ``pairs`` copies (symbolic links) of one pair of ``SOURCES``; returns the run folder."""
    import yaml

    src = INPUTS / "v_mosaic3" / "config.yaml"
    cfg = yaml.safe_load(src.read_text().replace("<CHECKPOINT>", checkpoint))
    images = folder / "images"
    images.mkdir(parents=True)
    rows = ["input_file_0,input_file_1"]
    for i in range(pairs):
        names = []
        for where, name in zip(SOURCES[source], (BEFORE, AFTER)):
            alias = name.replace("T15SXR.", f"T15SXR-p{i}.")
            for prefix in ("", "fmask_"):
                (images / (prefix + alias)).symlink_to(where / (prefix + name))
            names.append(f"images/{alias}")
        rows.append(",".join(names))
    (folder / "pairs.csv").write_text("\n".join(rows) + "\n")
    cfg.update(task_list=yaml.safe_load(tasks), csv_inference_file="./pairs.csv", paths_included_in_csvs=True,
               inference_save_folder_frame_0="./out/0", inference_save_folder_frame_1="./out/1")
    cfg["feature_maps"]["return"] = False
    (folder / "config.yaml").write_text(yaml.safe_dump(cfg, sort_keys=False))
    return folder


def _plan(folder: Path):
    from planaura_plugin.upstream import build_plan, load_config

    return build_plan(load_config(folder / "config.yaml"), cwd=folder)


def job_distributed_scaling(args: Dict[str, Any]) -> Dict[str, Any]:
    """Eight pairs on 1 then 2 single-threaded workers (a fresh output folder each time)."""
    from planaura_plugin.runs import run_plan

    os.environ.setdefault("OMP_NUM_THREADS", "1")  # inherited by the worker processes
    out: Dict[str, Any] = {"pairs": int(args.get("pairs", 8)), "model": "tiny (tests/support.py TINY), 64 px tiles",
                           "pair_px": "1000 x 1000", "cores": os.cpu_count(), "loadavg_before": os.getloadavg()}
    with tempfile.TemporaryDirectory(prefix="planaura_bench_dask_") as tmp:
        for workers in (1, 2):
            folder = make_run(Path(tmp) / f"w{workers}", args["checkpoint"], out["pairs"], source="scene")
            start = time.perf_counter()
            result = run_plan(_plan(folder), scheduler=f"local:{workers}")
            wall = time.perf_counter() - start
            assert not result.failed and len(result.computed) == out["pairs"], result.failed
            import json

            records = json.loads(Path(result.manifest).read_text())["pairs"].values()
            out[f"workers_{workers}_pair_task_s_mean"] = round(sum(r["seconds"] for r in records) / len(records), 2)
            out[f"workers_{workers}_s"] = round(wall, 2)
            out[f"workers_{workers}_model_loads"] = result.model_loads
        out["speedup"] = round(out["workers_1_s"] / out["workers_2_s"], 2)
        out["loadavg_after"] = os.getloadavg()
    return out


def null_pair(job, cluster: Optional[Tuple[float, int]] = None):
    """A task that does no work: what the orchestration costs per pair."""
    from planaura_plugin.runs import PairOutcome

    return PairOutcome(file_id=job.file_id, row=job.row, status="done")


def job_orchestration(args: Dict[str, Any]) -> Dict[str, Any]:
    """``pairs`` null tasks through DaskExecutor.run_pairs and the manifest, on local:2."""
    import cloudpickle

    from planaura_plugin.runs.dask import DaskExecutor
    from planaura_plugin.feedback import Feedback
    from planaura_plugin.runs import RunResult
    from planaura_plugin.runs.resumable import run_pairs
    from planaura_plugin.runs.manifest import RunManifest

    cloudpickle.register_pickle_by_value(sys.modules[__name__])  # the workers need not import bench/
    n = int(args.get("pairs", 400))
    with tempfile.TemporaryDirectory(prefix="planaura_bench_null_") as tmp:
        folder = make_run(Path(tmp), args["checkpoint"], n)
        plan = _plan(folder)
        executor = DaskExecutor("local:2", plan, Feedback())
        try:
            manifest = RunManifest(folder / "out" / "0")
            result = RunResult(run_id="bench")
            start = time.perf_counter()
            run_pairs(plan, manifest, result, lambda jobs, cluster, done: executor.run_pairs(
                jobs, cluster, done, task=null_pair), True, True, Feedback(), 1.0)
            manifest.save()
            wall = time.perf_counter() - start
        finally:
            executor.close()
        shutil.rmtree(folder / "out", ignore_errors=True)
    return {"pairs": n, "workers": 2, "seconds": round(wall, 3), "pairs_per_s": round(n / wall, 1),
            "ms_per_pair": round(1000 * wall / n, 2)}


JOBS = {"distributed_scaling": job_distributed_scaling, "orchestration": job_orchestration}
