"""One CSV pair as a self-contained task: what a worker (or the sequential run) executes.

:func:`compute_pair` runs the change map of one :class:`~..upstream.PairJob` (and its change
types), catches a failure that comes from the pair's data (an :class:`~..errors.InputError` or
:class:`~..errors.OutputError`: unreadable input, no date, no room for its outputs ...) into a
``failed`` outcome with its reason, and returns the facts the run manifest records (outputs
with SHA-256, computed where the files were written). Anything else is raised: a cancellation,
a checkpoint or device problem (they concern every pair), a bug; Dask retries such a task.

The network is loaded through :func:`~..model.loading.get_runner`, whose per-process cache is
keyed by the model spec (checkpoint path, size and time, architecture, device, precision): a
worker process loads it for its first pair and reuses it for every later one.
:attr:`~.results.PairOutcome.model_loaded` says whether this task had to load it. The pipelines
come from :func:`~.pipelines.pipelines` (the test seam).
"""
from __future__ import annotations

import os
import socket
import time
from typing import Dict, List, Optional, Tuple

from ..errors import InputError, OutputError
from ..feedback import Feedback, ScaledFeedback
from ..i18n import _
from ..model.loading import loaded_count
from ..raster.write_checks import is_no_space
from ..upstream import PairJob
from . import pipelines
from .change_types import cluster_pair
from .manifest import DONE, FAILED, output_facts
from .results import PairOutcome


class CollectingFeedback(Feedback):
    """Keeps info and warning lines for the driver; optionally forwards progress."""

    def __init__(self, forward: Optional[Feedback] = None) -> None:
        self.messages: List[Tuple[str, str]] = []
        self.forward = forward

    def progress(self, fraction: float, message: str = "") -> None:
        if self.forward is not None:
            self.forward.progress(fraction, message)

    def info(self, message: str) -> None:
        self.messages.append(("info", message))

    def warning(self, message: str) -> None:
        self.messages.append(("warning", message))

    def is_cancelled(self) -> bool:
        return self.forward.is_cancelled() if self.forward is not None else False


def compute_pair(job: PairJob, cluster: Optional[Tuple[float, int]] = None,
                 feedback: Optional[Feedback] = None) -> PairOutcome:
    """Run one pair: its change map (and change types when ``job.change_types``).

    Args:
        job: an :class:`~..upstream.PairJob` with its request.
        cluster: (max_similarity, min_cluster_size) of change_map.cluster, None without change types.
        feedback: progress is forwarded there (sequential runs); messages are kept in the outcome.

    Returns:
        A :class:`~.results.PairOutcome`: ``done`` with every file written (SHA-256 included), or
        ``failed`` with the reason when the pair's data or options are at fault.
    """
    fb = CollectingFeedback(feedback)
    started = time.monotonic()
    before = loaded_count()
    outcome = PairOutcome(file_id=job.file_id, row=job.row, status=DONE,
                          worker=f"{socket.gethostname()}:{os.getpid()}")
    try:
        written = _run_pair(job, cluster, fb)
    except (InputError, OutputError) as exc:
        outcome.status = FAILED
        outcome.error = " ".join(str(exc).split()) or type(exc).__name__
        written = {}
    except OSError as exc:  # a file the pair writes or reads directly (disk full, permission)
        outcome.status = FAILED
        outcome.error = _file_failure(exc)
        written = {}
    outcome.outputs = {kind: output_facts(path) for kind, path in written.items() if os.path.isfile(path)}
    outcome.messages = fb.messages
    outcome.model_loaded = loaded_count() > before
    outcome.seconds = time.monotonic() - started
    return outcome


def _file_failure(exc: OSError) -> str:
    """The reason of a failed file operation: the file, the system's reason and, when the disk is
    full, how to go on."""
    reason = exc.strerror or str(exc) or type(exc).__name__
    name = exc.filename or _("a file of the pair")
    if is_no_space(reason):
        return _("no space left to write {name} ({reason}); free some space and run again: the pair is computed "
                 "again").format(name=name, reason=reason)
    return _("cannot write or read {name}: {reason}").format(name=name, reason=reason)


def _run_pair(job: PairJob, cluster: Optional[Tuple[float, int]], fb: Feedback) -> Dict[str, str]:
    run_change_map = pipelines.pipelines(("infer",))[0]
    assert run_change_map is not None  # imported for the "infer" task
    first = ScaledFeedback(fb, 0.0, 0.5) if job.change_types else fb
    written = {k: str(v) for k, v in (run_change_map(job.request, first) or {}).items()}
    if job.change_types and written.get("cosine_map") and cluster is not None:
        written.update(cluster_pair(job, cluster, ScaledFeedback(fb, 0.5, 1.0)))
    return written
