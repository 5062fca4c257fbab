"""The persistence mosaic on Dask: blocks of the target grid computed on the workers."""
from __future__ import annotations

from typing import Dict

from ..feedback import Feedback


def distributed_mosaic(executor, request, feedback: Feedback) -> Dict[str, str]:
    """Placeholder: the mosaic in the driver."""
    from ..pipeline.persistence_mosaic import run_mosaic

    return run_mosaic(request, feedback)
