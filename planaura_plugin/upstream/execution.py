"""Execution of an upstream plan: change maps of every row, then the mosaic."""
from __future__ import annotations

import os
import time
from dataclasses import dataclass, field, replace
from typing import Callable, Dict, List, Optional, Sequence, Tuple

from ..errors import InputError, MissingDependencyError, PlanauraError
from ..feedback import Feedback, ScaledFeedback, ensure_feedback
from ..products import pair_raster_kinds, request_fields, request_layers
from .checkers import SIDECAR_SUFFIXES
from .cluster import cluster_pair
from .config import load_config
from .jobs import UpstreamPlan, _mosaic_pair_files
from .plan import build_plan

# ---------------------------------------------------------------------------------------
# execution

PAIR_KINDS = tuple(pair_raster_kinds())


@dataclass
class RunResult:
    """What a run wrote, per CSV row and for the mosaic, and what it removed."""

    pairs: Dict[int, Dict[str, str]] = field(default_factory=dict)  # CSV line -> kind -> path
    mosaic: Dict[str, str] = field(default_factory=dict)
    removed: List[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def files(self) -> List[str]:
        kept = set(self.removed)
        out = [p for d in self.pairs.values() for p in d.values() if p not in kept]
        return out + [p for p in self.mosaic.values() if p not in kept]


def _pipelines(tasks: Sequence[str]) -> Tuple[Optional[Callable], Optional[Callable]]:
    """(run_change_map, run_mosaic) for the tasks, imported only when a run starts (they pull
    torch and GDAL); None for a task not asked for."""
    run_change_map: Optional[Callable] = None
    run_mosaic: Optional[Callable] = None
    try:
        if "infer" in tasks:
            from ..pipeline.change_map import run_change_map as change_map_pipeline

            run_change_map = change_map_pipeline
        if "mosaic" in tasks:
            from ..pipeline.persistence_mosaic import run_mosaic as mosaic_pipeline

            run_mosaic = mosaic_pipeline
    except ModuleNotFoundError as exc:
        if (exc.name or "").startswith("planaura_plugin"):
            raise PlanauraError(f"this build of the plugin has no raster pipeline yet ({exc})") from exc
        raise MissingDependencyError(f"the Python package '{exc.name}' is needed to run Planaura; install it "
                                     "(see requirements.txt)") from exc
    return run_change_map, run_mosaic


def _remove_with_sidecars(path: str) -> List[str]:
    removed = []
    for p in [path] + [path + s for s in SIDECAR_SUFFIXES] + [os.path.splitext(path)[0] + s for s in SIDECAR_SUFFIXES]:
        if os.path.lexists(p) and os.path.isfile(p):
            os.remove(p)
            removed.append(p)
    return removed


def _check_device(device: str) -> None:
    """``cuda`` without a usable GPU is the user's choice to revisit, not a crash."""
    if not str(device).startswith("cuda"):
        return
    from ..model.inference import resolve_device

    try:
        resolve_device(device)
    except RuntimeError as exc:
        raise PlanauraError(str(exc)) from exc


class _ProgressSeen(ScaledFeedback):
    """Passes everything on and remembers the last fraction (so 100 % is reported once)."""

    def __init__(self, parent: Feedback) -> None:
        super().__init__(parent, 0.0, 1.0)
        self.last = 0.0

    def progress(self, fraction: float, message: str = "") -> None:
        self.last = fraction
        super().progress(fraction, message)


def execute_plan(plan: UpstreamPlan, feedback: Optional[Feedback] = None) -> RunResult:
    """Run the change maps of every row, then the mosaic; returns the files written."""
    progress = _ProgressSeen(ensure_feedback(feedback))
    feedback = progress
    run_change_map, run_mosaic = _pipelines(plan.config.tasks)
    started = time.monotonic()
    result = RunResult()
    for line in plan.notes:
        feedback.info(line)
    for line in plan.warnings:
        feedback.warning(line)
    tasks = plan.config.tasks
    from ..raster.geotiff import check_writable

    infer_share = 0.0
    destinations = [p for job in plan.pairs for p in job.outputs.values()] if "infer" in tasks else []
    destinations += list(plan.mosaic.expected.values()) if plan.mosaic is not None else []
    for _folder, path in sorted({os.path.dirname(p): p for p in destinations}.items()):
        check_writable(path)  # creates the folder; a clear error before any model work
    if "infer" in tasks:
        _check_device(plan.model.device)
        infer_share = 0.9 if plan.mosaic is not None else 1.0
        n = len(plan.pairs)
        for i, job in enumerate(plan.pairs):
            feedback.check_cancelled()
            feedback.info(f"[{i + 1}/{n}] " + " + ".join(job.names))
            sub = ScaledFeedback(feedback, infer_share * i / n, infer_share * (i + 1) / n)
            assert run_change_map is not None  # imported for "infer"
            written = run_change_map(job.request, sub if not job.change_types else ScaledFeedback(sub, 0.0, 0.5))
            result.pairs[job.row] = {k: str(v) for k, v in (written or {}).items()}
            if job.change_types and (written or {}).get("cosine_map"):
                result.pairs[job.row].update(cluster_pair(job, plan, ScaledFeedback(sub, 0.5, 1.0)))
    if plan.mosaic is not None:
        feedback.check_cancelled()
        request = _pairs_on_disk(plan, feedback) if "infer" in tasks else plan.mosaic.request
        feedback.info(f"mosaic of {len(request.pairs)} pair(s)")
        assert run_mosaic is not None  # imported for a plan with a mosaic
        written = run_mosaic(request, ScaledFeedback(feedback, infer_share, 1.0))
        result.mosaic = {k: str(v) for k, v in (written or {}).items()}
        if plan.mosaic.delete_residues:
            mosaic_files = {os.path.realpath(p) for p in result.mosaic.values()}
            for pair in request.pairs:
                for path in _mosaic_pair_files(pair):
                    if os.path.realpath(path) not in mosaic_files:
                        result.removed += _remove_with_sidecars(path)
    if progress.last < 1.0:
        feedback.progress(1.0, "done")
    result.seconds = time.monotonic() - started
    return result



def _pairs_on_disk(plan: UpstreamPlan, feedback: Feedback):
    """The mosaic request restricted to the per-pair files the run wrote (a pair without any
    valid tile writes nothing)."""
    assert plan.mosaic is not None  # called for a plan with a mosaic
    request = plan.mosaic.request
    ref = request.reference or "cosine_map"
    kept = []
    for pair in request.pairs:
        if not os.path.isfile(getattr(pair, ref)):
            feedback.warning(f"no {os.path.basename(getattr(pair, ref))}: that pair is left out of the mosaic")
            continue
        on_disk = {k: p for k, p in request_layers(pair, PAIR_KINDS).items() if os.path.isfile(p)}
        kept.append(replace(pair, **request_fields(on_disk, complete=PAIR_KINDS)))
    if not kept:
        raise InputError(f"mosaic: no pair produced a {ref} layer (no tile had enough valid pixels?)")
    return replace(request, pairs=kept)


def run_config(path: os.PathLike, feedback: Optional[Feedback] = None, device: Optional[str] = None,
               cwd: Optional[os.PathLike] = None) -> RunResult:
    """Load, plan and execute an upstream YAML (the whole ``python -m planaura_plugin run``)."""
    plan = build_plan(load_config(path), cwd=cwd, device=device)
    return execute_plan(plan, feedback)
