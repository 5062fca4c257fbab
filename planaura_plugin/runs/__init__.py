"""Runs of an upstream plan: execute an :class:`~..upstream.UpstreamPlan`, in this process or on
Dask, resumable.

:mod:`..upstream` plans (YAML + CSV -> plan) and runs nothing; this package executes the plan:

- :mod:`.resumable`: :func:`run_plan`, the one execution path (command line, QGIS, tests):
  pairs that need it, recorded one by one in the run manifest, then the mosaic step;
- :mod:`.execute`: :func:`execute_plan` / :func:`run_config`, ``run_plan`` without a manifest,
  raising when a pair failed;
- :mod:`.pair_task`: one CSV pair as a self-contained task (:func:`compute_pair`), with
  :mod:`.change_types` for change_map.cluster;
- :mod:`.mosaic_step`: the persistence mosaic, recomputed only when one of its inputs changed;
- :mod:`.manifest`: ``planaura_run.json``; :mod:`.results`: :class:`RunResult`, :class:`PairOutcome`;
- :mod:`.pipelines`: where every path gets the raster pipelines (the declared test seam);
- :mod:`.dask`: pairs and mosaic blocks as Dask tasks (Dask imported only with a scheduler).
"""
from . import pipelines
from .execute import execute_plan, run_config
from .pair_task import compute_pair
from .resumable import run_plan
from .results import PairOutcome, RunResult, failure_of

__all__ = ["PairOutcome", "RunResult", "compute_pair", "execute_plan", "failure_of", "pipelines", "run_config",
           "run_plan"]
