"""Execution of an upstream plan without a run manifest: change maps of every row, then the mosaic.

:func:`execute_plan` and :func:`run_config` are thin wrappers over
:func:`~.resumable.run_plan`, the one execution path (also that of the command line and of
QGIS); :func:`~.pipelines.pipelines` is where every path imports the raster pipelines.
"""
from __future__ import annotations

import os
from typing import Optional

from ..errors import InputError
from ..feedback import Feedback
from ..i18n import _
from ..upstream import UpstreamPlan, build_plan, load_config
from .resumable import run_plan
from .results import RunResult


def execute_plan(plan: UpstreamPlan, feedback: Optional[Feedback] = None) -> RunResult:
    """Run the change maps of every row, then the mosaic: every pair computed, no run manifest written.

    The execution of ``python -m planaura_plugin run`` (:func:`~.resumable.run_plan`)
    without resume and without ``planaura_run.json``.

    Args:
        plan: from :func:`~..upstream.build_plan`.
        feedback: progress, messages and cancellation.

    Returns:
        The files written, per CSV row and for the mosaic, and those ``delete_residues`` removed.

    Raises:
        InputError: a pair failed for its data (the other pairs and the mosaic were still computed;
            the message lists each failed CSV line with its reason).
        PlanauraError: the plan cannot start (folders not writable, no GPU for cuda).
    """
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
