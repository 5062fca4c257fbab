"""Upstream runs on Dask distributed: one task per CSV pair, the persistence mosaic as tasks
over blocks of its grid.

``python -m planaura_plugin run CONFIG.yaml --scheduler local:4 | tcp://HOST:PORT | FILE.json``
(see :mod:`.cluster`). Nothing in the package imports Dask at import time (the sub-package is
named after what it drives; inside it ``import dask`` is still the Dask package); a run without
``--scheduler`` never imports it.
"""
from __future__ import annotations

from .cluster import SchedulerSpec, parse_scheduler
from .executor import DaskExecutor

__all__ = ["DaskExecutor", "SchedulerSpec", "parse_scheduler"]
