"""Execution of an upstream plan: change maps of every row, then the mosaic.

:func:`execute_plan` and :func:`run_config` are thin wrappers over
:func:`planaura_plugin.resumable_run.run_plan`, the one execution path (also that of the command
line and of QGIS); :func:`pipelines` is where every path imports the raster pipelines.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Callable, Dict, List, Optional, Sequence, Tuple

from ..errors import InputError, MissingDependencyError, PlanauraError
from ..feedback import Feedback
from .config import load_config
from .jobs import UpstreamPlan
from .plan import build_plan
from ..i18n import _


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


def pipelines(tasks: Sequence[str]) -> Tuple[Optional[Callable], Optional[Callable]]:
    """(run_change_map, run_mosaic) for the tasks, imported only when a run starts (they pull
    torch and GDAL); None for a task not asked for.

    Args:
        tasks: the plan's task list (``infer``, ``mosaic``).

    Returns:
        The change-map pipeline (for ``infer``) and the mosaic pipeline (for ``mosaic``), or None.

    Raises:
        MissingDependencyError: a Python package they need is not installed.
        PlanauraError: this build has no raster pipeline.
    """
    run_change_map: Optional[Callable] = None
    run_mosaic: Optional[Callable] = None
    try:
        if "infer" in tasks:
            from ..pipeline.change import run_change_map as change_map_pipeline

            run_change_map = change_map_pipeline
        if "mosaic" in tasks:
            from ..pipeline.mosaic import run_mosaic as mosaic_pipeline

            run_mosaic = mosaic_pipeline
    except ModuleNotFoundError as exc:
        if (exc.name or "").startswith("planaura_plugin"):
            raise PlanauraError(_("this build of the plugin has no raster pipeline yet ({exc})").format(
                                    exc=exc)) from exc
        raise MissingDependencyError(_("the Python package '{name}' is needed to run Planaura; install it (see "
                                       "requirements.txt)").format(name=exc.name)) from exc
    return run_change_map, run_mosaic


def execute_plan(plan: UpstreamPlan, feedback: Optional[Feedback] = None) -> RunResult:
    """Run the change maps of every row, then the mosaic: every pair computed, no run manifest written.

    The execution of ``python -m planaura_plugin run`` (:func:`~planaura_plugin.resumable_run.run_plan`)
    without resume and without ``planaura_run.json``.

    Args:
        plan: from :func:`~.plan.build_plan`.
        feedback: progress, messages and cancellation.

    Returns:
        The files written, per CSV row and for the mosaic, and those ``delete_residues`` removed.

    Raises:
        InputError: a pair failed for its data (the other pairs and the mosaic were still computed;
            the message lists each failed CSV line with its reason).
        PlanauraError: the plan cannot start (folders not writable, no GPU for cuda).
    """
    from ..resumable_run import run_plan

    result = run_plan(plan, feedback, resume=False, record=False)
    if result.failed:
        rows = {job.file_id: job.row for job in plan.pairs}
        raise InputError(_("{n} pair(s) failed: {reasons}").format(n=len(result.failed), reasons="; ".join(
            _("CSV line {row}: {reason}").format(row=rows.get(fid, "?"), reason=reason)
            for fid, reason in result.failed.items())))
    return result


def run_config(path: os.PathLike, feedback: Optional[Feedback] = None, device: Optional[str] = None,
               cwd: Optional[os.PathLike] = None) -> RunResult:
    """Load, plan and execute an upstream YAML (:func:`execute_plan` of its plan).

    Args:
        path: the YAML.
        feedback: progress, messages and cancellation.
        device: overrides the YAML's device (``cpu``, ``cuda``...).
        cwd: the folder relative paths of the YAML start from (default: the current one).

    Returns:
        What :func:`execute_plan` returns.

    Raises:
        ConfigError: the YAML is not a valid upstream configuration.
        InputError, PlanauraError: as :func:`execute_plan`.
    """
    plan = build_plan(load_config(path), cwd=cwd, device=device)
    return execute_plan(plan, feedback)
