"""Execute an upstream plan pair by pair with a run manifest: resume, failures per pair, Dask.

:func:`run_plan` is what ``python -m planaura_plugin run`` calls. It reads
``planaura_run.json`` in the first save folder (:mod:`.manifest`), skips the pairs whose
inputs, parameters and outputs are unchanged since they completed (unless ``force``), runs
the others one after another in this process or, with a ``scheduler``, as Dask tasks
(:mod:`.dask`; Dask itself is imported only then), records each pair as it finishes, then
recomputes the persistence mosaic only when one of its inputs changed (:mod:`.mosaic_step`).

A pair that fails for its data is recorded with its reason and the other pairs go on; the
result lists the failures (the command line then exits with status 1).
"""
from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Tuple

from ..errors import PlanauraError
from ..feedback import Feedback, ScaledFeedback, ensure_feedback
from ..i18n import _
from ..provenance import record_of_outputs
from ..upstream import PairJob, UpstreamPlan, resolve_path
from .dask import DaskExecutor
from .manifest import (DONE, MemoryManifest, RunManifest, input_facts, new_run_id, pair_is_current,
                       parameters_hash)
from .mosaic_step import mosaic_step
from .pair_task import compute_pair
from .results import PairOutcome, RunResult

PairRunner = Callable[[List[PairJob], Optional[Tuple[float, int]], Callable[[PairOutcome], None]], None]


def _cluster_params(plan: UpstreamPlan) -> Optional[Tuple[float, int]]:
    cluster = plan.config["change_map"]["cluster"]
    if not any(job.change_types for job in plan.pairs):
        return None
    return float(cluster["max_similarity"]), int(cluster["min_cluster_size"])


def pair_parameters(job: PairJob, cluster: Optional[Tuple[float, int]]) -> str:
    """The parameters hash of one pair: its request (model spec and checkpoint facts included)."""
    checkpoint = job.request.model.checkpoint
    facts = input_facts(checkpoint) if checkpoint else None
    return parameters_hash(job.request, job.change_types, cluster if job.change_types else None, facts)


def _pair_inputs(job: PairJob) -> List[str]:
    return [str(p) for p in job.inputs] + [str(f) for f in job.fmasks if f]


def _removed_by_mosaic(record: Optional[Dict[str, Any]]) -> bool:
    return any(o.get("removed") for o in ((record or {}).get("outputs") or {}).values())


def _decide_pairs(plan: UpstreamPlan, manifest: RunManifest, cluster, resume: bool, force: bool
                  ) -> Tuple[List[PairJob], List[PairJob], Dict[str, str]]:
    """(to compute, to keep, file id -> parameters hash)."""
    params = {job.file_id: pair_parameters(job, cluster) for job in plan.pairs}
    mosaic_ok = bool(manifest.mosaic and manifest.mosaic.get("status") == DONE)
    todo: List[PairJob] = []
    keep: List[PairJob] = []
    for job in plan.pairs:
        record = manifest.pairs.get(job.file_id)
        current = resume and not force and pair_is_current(record, params[job.file_id], _pair_inputs(job),
                                                           removed_ok=mosaic_ok)
        (keep if current else todo).append(job)
    if todo and plan.mosaic is not None:  # the mosaic is redone: it needs the files delete_residues removed
        todo += [j for j in keep if _removed_by_mosaic(manifest.pairs.get(j.file_id))]
        keep = [j for j in keep if j not in todo]
    return todo, keep, params


def _pair_record(job: PairJob, outcome: PairOutcome, params: str, run_id: str,
                 inputs: List[Dict[str, Any]]) -> Dict[str, Any]:
    return {"row": job.row, "inputs": inputs, "params": params, "status": outcome.status,
            "error": outcome.error, "outputs": outcome.outputs, "run": run_id, "worker": outcome.worker,
            "model_loaded": outcome.model_loaded, "seconds": round(outcome.seconds, 3),
            "provenance": record_of_outputs(outcome.outputs)}  # what the pair's rasters carry (provenance.py)


def sequential_pairs(feedback: Feedback) -> PairRunner:
    """A pair runner that computes the pairs one after another in this process."""
    def run(jobs: List[PairJob], cluster, done: Callable[[PairOutcome], None]) -> None:
        for i, job in enumerate(jobs):
            feedback.check_cancelled()
            feedback.info(f"[{i + 1}/{len(jobs)}] " + " + ".join(job.names))
            sub = ScaledFeedback(feedback, i / len(jobs), (i + 1) / len(jobs))
            done(compute_pair(job, cluster, sub))
    return run


def run_plan(plan: UpstreamPlan, feedback: Optional[Feedback] = None, scheduler: Optional[str] = None,
             resume: bool = True, force: bool = False, show_progress: bool = False,
             record: bool = True, dashboard: bool = False) -> RunResult:
    """Run every pair that needs it, then the mosaic when one of its inputs changed.

    Args:
        plan: from :func:`~..upstream.build_plan`.
        feedback: progress (per pair), messages and cancellation.
        scheduler: None (this process), ``local`` / ``local:N`` (a LocalCluster of N single-threaded
            worker processes), ``tcp://HOST:PORT`` or a scheduler file (JSON) of a running cluster.
        resume: skip pairs (and the mosaic) recorded complete with unchanged inputs, parameters and outputs.
        force: recompute everything (the manifest is still written).
        show_progress: with a scheduler, Dask's text progress bar on the terminal.
        record: read and write the run manifest; False keeps it in memory (nothing read, nothing
            written: :func:`~.execute.execute_plan`), which implies no resume.
        dashboard: a ``local`` cluster serves Dask's dashboard on 127.0.0.1 (else no HTTP at all).

    Returns:
        A :class:`~.results.RunResult`; ``failed`` lists the pairs that failed with their reasons.

    Raises:
        PlanauraError: the plan cannot start (folders not writable, no GPU for cuda, a manifest that
        is not one); a failing pair does not raise.
    """
    feedback = ensure_feedback(feedback)
    started = time.monotonic()
    _prepare(plan, feedback, check_device=not scheduler)
    manifest = (RunManifest if record else MemoryManifest)(_save0(plan), plan.config.path)
    for notice in manifest.notices:
        feedback.warning(notice)
    result = RunResult(run_id=new_run_id(), manifest=str(manifest.path))
    run_record = manifest.start_run(result.run_id, scheduler)
    executor = _LazyExecutor(scheduler, plan, feedback, show_progress, result, dashboard) if scheduler else None
    try:
        infer_share = 0.0
        if "infer" in plan.config.tasks:
            infer_share = 0.9 if plan.mosaic is not None else 1.0
            runner: PairRunner = (lambda jobs, cluster, done: executor.get().run_pairs(jobs, cluster, done)) \
                if executor is not None else sequential_pairs(ScaledFeedback(feedback, 0.0, infer_share))
            # one step per finished pair on Dask (in this process the pair's own progress moves the
            # bar; with Dask's bar on the terminal a second bar would be drawn)
            pairs_feedback = feedback if executor is not None and not show_progress else Feedback()
            run_pairs(plan, manifest, result, runner, resume, force, feedback, infer_share,
                      progress=pairs_feedback)
        if plan.mosaic is not None:
            mosaic_step(plan, manifest, result, executor, resume and not force,
                        ScaledFeedback(feedback, infer_share, 1.0))
    finally:
        if executor is not None:
            executor.close()
        run_record.update(computed=result.computed, skipped=result.skipped, failed=sorted(result.failed),
                          mosaic="skipped" if result.mosaic_skipped else ("done" if result.mosaic else None),
                          finished=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                          model_loads=result.model_loads)
        if manifest.path.is_file() or manifest.pairs:  # something was recorded (this run or an earlier one)
            manifest.save()
    feedback.progress(1.0, _("done"))
    result.seconds = time.monotonic() - started
    return result


class _LazyExecutor:
    """The Dask executor, connected on first use: a run with nothing to compute starts no cluster."""

    def __init__(self, scheduler: str, plan: UpstreamPlan, feedback: Feedback, show_progress: bool,
                 result: RunResult, dashboard: bool = False) -> None:
        self.args = (scheduler, plan, feedback, show_progress)
        self.dashboard = dashboard
        self.result = result
        self.executor: Any = None

    def get(self) -> Any:
        if self.executor is None:
            scheduler, plan, feedback, show_progress = self.args
            self.executor = DaskExecutor(scheduler, plan, feedback, show_progress=show_progress,
                                         dashboard=self.dashboard)
            self.result.dashboard = self.executor.dashboard
        return self.executor

    def run_mosaic(self, request, feedback: Feedback) -> Dict[str, str]:
        return self.get().run_mosaic(request, feedback)

    def close(self) -> None:
        if self.executor is not None:
            self.executor.close()


def _save0(plan: UpstreamPlan) -> str:
    return str(resolve_path(plan.config.save_folders[0], Path(plan.cwd)))


def _prepare(plan: UpstreamPlan, feedback: Feedback, check_device: bool) -> None:
    """Notes and warnings of the plan, writable destinations, a usable device (here, not on
    Dask workers): before any work."""
    from ..raster.geotiff import check_writable  # GDAL: only when a run starts
    from ..raster.output_safety import remove_dead_temporaries

    for line in plan.notes:
        feedback.info(line)
    for line in plan.warnings:
        feedback.warning(line)
    destinations = [p for job in plan.pairs for p in job.outputs.values()] if "infer" in plan.config.tasks else []
    destinations += list(plan.mosaic.expected.values()) if plan.mosaic is not None else []
    for folder, path in sorted({os.path.dirname(p): p for p in destinations}.items()):
        check_writable(path)
        remove_dead_temporaries(folder)  # hidden files of killed runs, even when nothing is computed
    remove_dead_temporaries(_save0(plan))  # the manifest's
    if "infer" in plan.config.tasks and check_device:
        check_device_usable(plan.model.device)


def check_device_usable(device: str) -> None:
    """``cuda`` without a usable GPU is the user's choice to revisit, not a crash.

    Raises:
        PlanauraError: ``cuda`` asked for and no usable GPU (the message says why).
    """
    if not str(device).startswith("cuda"):
        return
    from ..model.inference import resolve_device  # torch: only for cuda

    try:
        resolve_device(device)
    except RuntimeError as exc:
        raise PlanauraError(str(exc)) from exc


def run_pairs(plan: UpstreamPlan, manifest: RunManifest, result: RunResult, runner: PairRunner,
              resume: bool, force: bool, feedback: Feedback, share: float,
              progress: Optional[Feedback] = None) -> None:
    """Keep the pairs that are current, hand the others to ``runner`` and record each outcome.

    Args:
        plan: the plan whose pairs run.
        manifest: read for what is current, written as each pair finishes.
        result: filled in place (``pairs``, ``computed``, ``skipped``, ``failed``, ``model_loads``).
        runner: computes a list of jobs, calling back with each :class:`~.results.PairOutcome`
            (:func:`sequential_pairs`, or the Dask executor's ``run_pairs``).
        resume: keep pairs recorded complete and unchanged.
        force: recompute every pair.
        feedback: messages (one line per pair) and cancellation.
        share: the fraction of the run's progress the pairs take.
        progress: where the per-pair progress goes (default: ``feedback``).
    """
    cluster = _cluster_params(plan)
    todo, keep, params = _decide_pairs(plan, manifest, cluster, resume, force)
    for job in keep:
        record = manifest.pairs[job.file_id]
        result.skipped.append(job.file_id)
        result.pairs[job.row] = {k: o["path"] for k, o in (record.get("outputs") or {}).items()
                                 if not o.get("removed")}
    if keep:
        feedback.info(_("{kept} pair(s) already complete and unchanged (run manifest {path}); {todo} to compute")
                      .format(kept=len(keep), path=manifest.path, todo=len(todo))
                      + ("" if todo else " " + _("(to compute them again: --force on the command line, "
                                                 "'Recompute every pair' in QGIS)")))
    jobs = {job.file_id: job for job in todo}
    inputs = {job.file_id: [input_facts(p) for p in _pair_inputs(job)] for job in todo}
    count = [len(keep)]

    def done(outcome: PairOutcome) -> None:
        job = jobs[outcome.file_id]
        for level, text in outcome.messages:
            (feedback.warning if level == "warning" else feedback.info)(f"{job.file_id.lstrip('!')}: {text}")
        manifest.set_pair(job.file_id, _pair_record(job, outcome, params[job.file_id], result.run_id,
                                                    inputs[job.file_id]))
        result.model_loads += int(outcome.model_loaded)
        count[0] += 1
        if outcome.status == DONE:
            result.computed.append(job.file_id)
            result.pairs[job.row] = {k: o["path"] for k, o in outcome.outputs.items()}
            feedback.info(_("pair {n} of {m} done: {names} ({seconds} s)").format(
                n=count[0], m=len(plan.pairs), names=" + ".join(job.names), seconds=f"{outcome.seconds:.1f}"))
        else:
            result.failed[job.file_id] = outcome.error or "failed"
            feedback.warning(_("CSV line {row} ({names}) failed: {error}").format(
                row=job.row, names=" + ".join(job.names), error=outcome.error))
        (progress or feedback).progress(share * count[0] / max(1, len(plan.pairs)),
                                        _("pair {n} of {m}").format(n=count[0], m=len(plan.pairs)))

    if todo:
        runner(todo, cluster, done)
