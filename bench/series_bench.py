"""`make bench` section ``series``: what change over time costs per pair against a single pair.

A 20-date series of the real 1000 x 1000 scene (``tests/series_data.py``: the 2021-09-07 image with
small noise per date, a burn scar from the tenth date, a flagged cloud at the fifth) runs through
:func:`planaura_plugin.series.run.run_series` (consecutive pairs, every series output and the
report) with the tiny model on 512 px tiles, in one process. Figures:

- ``single_pair_s``: the first pair alone as an ordinary change map (cosine and quality), the model
  already loaded (``single_pair_cold_s``: the same with the load);
- ``per_pair_in_series_s``: the series' pair phase divided by its pairs (19), against the single pair;
- ``merge_s`` and ``report_s``: the per-pixel merge (date of change, intensity, observations: the
  default outputs) and the report, timed again on the series' pair maps; ``cosine_stack_s``: the
  optional cosine-per-pair raster (one band per pair) on its own;
- ``merge_percent_of_pairs``: (merge + report) as a percentage of the pairs' time: the series' own
  overhead (the issue's bound: 5 %). With the base model a pair costs ~40 times more and the share
  is smaller still.

Each phase has its wall time (``*_s``) and this process's CPU time (``*_cpu_s``), the steadier figure
on a loaded machine; ratios are given for both.
"""
from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import Any, Dict


def _spec(args: Dict[str, Any]):
    from planaura_plugin.model.config import ModelConfig
    from planaura_plugin.model.loading import ModelSpec
    from planaura_plugin.presets import HLS

    return ModelSpec(preset=HLS, config=ModelConfig(**args["arch"]), checkpoint=args["checkpoint"], device="cpu",
                     batch_size=int(args.get("batch_size", 4)))


class _Clock:
    """Wall and CPU seconds (this process, all its threads) of each phase: on a loaded machine the CPU
    seconds are the steadier figure."""

    def __init__(self) -> None:
        self.times: Dict[str, float] = {}

    def __call__(self, name: str, work):
        wall, cpu = time.perf_counter(), time.process_time()
        result = work()
        self.times[f"{name}_s"] = round(time.perf_counter() - wall, 3)
        self.times[f"{name}_cpu_s"] = round(time.process_time() - cpu, 3)
        return result


def job_series(args: Dict[str, Any]) -> Dict[str, Any]:
    """Seconds of a single pair, of the series' pairs, merge and report; the overhead in % of the pairs."""
    from series_data import make_series

    from planaura_plugin.feedback import Feedback
    from planaura_plugin.pipeline.change_map import run_change_map
    from planaura_plugin.series import run as series_run
    from planaura_plugin.series.date_of_change import MergeRule, merge_pairs
    from planaura_plugin.series.report import write_series_report
    from planaura_plugin.series.series import order_images, series_pairs

    n = int(args.get("dates", 20))
    crop = tuple(args.get("crop", (0, 0, 1000, 1000)))
    clock = _Clock()
    with tempfile.TemporaryDirectory(prefix="planaura-bench-series-") as tmp:
        images = make_series(Path(tmp) / "in", n=n, change_at=n // 2, cloud_at=n // 4, crop=crop)  # type: ignore
        request = series_run.SeriesRequest(inputs=[str(p) for p in images.values()], output_dir=str(Path(tmp) / "s"),
                                           model=_spec(args), kinds=series_run.SERIES_KINDS, rule=MergeRule(0.8))
        ordered = order_images(request.inputs, request.model.preset)
        pairs = series_pairs(ordered)
        # the first call loads the model (cold); the single pair is timed warm, as the series' pairs run
        clock("single_pair_cold", lambda: run_change_map(series_run.pair_request(request, pairs[0], f"{tmp}/cold")))
        clock("single_pair", lambda: run_change_map(series_run.pair_request(request, pairs[0], f"{tmp}/single")))
        maps = clock("pairs", lambda: series_run.run_pairs(request, pairs, Feedback()))
        outputs = {k: str(Path(tmp) / f"{k}.tif") for k in series_run.DEFAULT_KINDS}
        written = clock("merge", lambda: merge_pairs(maps, outputs, request.rule))
        stack = {"cosine_per_pair": str(Path(tmp) / "cosine_per_pair.tif")}
        clock("cosine_stack", lambda: merge_pairs(maps, stack, request.rule))
        clock("report", lambda: write_series_report(f"{tmp}/report.html", maps, written, request, request.rule,
                                                    ordered))
    t = clock.times
    out: Dict[str, Any] = {"dates": n, "pairs": len(pairs), "pixels": f"{crop[3]} x {crop[2]}", **t}
    out["per_pair_in_series_s"] = round(t["pairs_s"] / len(pairs), 3)
    out["per_pair_vs_single"] = round(t["pairs_s"] / len(pairs) / t["single_pair_s"], 3)
    out["per_pair_vs_single_cpu"] = round(t["pairs_cpu_s"] / len(pairs) / max(t["single_pair_cpu_s"], 1e-9), 3)
    out["merge_percent_of_pairs"] = round(100 * (t["merge_s"] + t["report_s"]) / t["pairs_s"], 2)
    out["merge_percent_of_pairs_cpu"] = round(100 * (t["merge_cpu_s"] + t["report_cpu_s"]) / t["pairs_cpu_s"], 2)
    out["note"] = "tiny model on 512 px tiles, one process; the base model makes the pairs ~40 x dearer"
    return out


def series_rows(res: Dict[str, Any]) -> list:
    """The table rows of the section."""
    s = res.get("series_20_dates", {})
    if not s:
        return []
    return [(f"change over time: {s.get('dates')} dates of {s.get('pixels')} px, per pair vs a single pair",
             s.get("per_pair_vs_single"), "x",
             f"{s.get('per_pair_in_series_s')} s per pair in the series, {s.get('single_pair_s')} s alone "
             f"(tiny model); CPU time: {s.get('per_pair_vs_single_cpu')} x"),
            ("change over time: merge + report, % of the pairs' time", s.get("merge_percent_of_pairs"), "%",
             f"merge {s.get('merge_s')} s, report {s.get('report_s')} s for {s.get('pairs')} pairs; CPU time: "
             f"{s.get('merge_percent_of_pairs_cpu')} %; cosine per pair on request: {s.get('cosine_stack_s')} s")]


JOBS = {"series": job_series}
