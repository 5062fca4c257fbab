"""The Dask side of a resumable run: pairs as tasks, progress, failures, GPU resources.

Each pair is one task (:func:`~..pair_task.compute_pair`), submitted with ``retries`` so that a
task that raised for another reason than its data runs again; a worker that dies (killed,
out of memory) has its task rescheduled on another worker by the scheduler itself. A pair's
files are written under temporary names and renamed only when complete
(:class:`~...raster.geotiff.OutputSet`), so a dead worker leaves no final-named partial file.

When the model runs on a GPU (device ``cuda``, or ``auto`` with workers that offer the resource
``GPU``), pair tasks ask for ``resources={"GPU": 1}``: a worker started with
``--resources GPU=1`` runs one at a time, and CPU-only workers keep the mosaic blocks.
"""
from __future__ import annotations

import threading
from typing import Any, Callable, Dict, List, Optional, Tuple

from ...errors import Cancelled
from ...feedback import Feedback
from ..pair_task import compute_pair
from ..results import failure_of
from .cluster import connect, parse_scheduler, worker_resources

RETRIES = 2  # reruns of a task that raised (a dead worker's task is rescheduled without counting here)
POLL_S = 0.5  # how often a wait checks cancellation


class DaskExecutor:
    """A Dask client for one run.

    Args:
        scheduler: the ``--scheduler`` value (see :func:`~.cluster.parse_scheduler`).
        plan: the run's :class:`~...upstream.UpstreamPlan` (its device decides GPU resources).
        feedback: messages and cancellation.
        show_progress: Dask's text progress bar on the terminal while tasks run.

    Raises:
        InputError / MissingDependencyError: see :func:`~.cluster.connect`.
    """

    def __init__(self, scheduler: str, plan, feedback: Feedback, show_progress: bool = False,
                 dashboard: bool = False) -> None:
        self.spec = parse_scheduler(scheduler)
        self.feedback = feedback
        self.show_progress = show_progress
        self.want_dashboard = dashboard
        device = str(plan.model.device)
        self.client, self.cluster = connect(self.spec, gpu_workers=device.startswith("cuda"), dashboard=dashboard)
        workers, gpus = worker_resources(self.client)
        self.gpu = device.startswith("cuda") or (device == "auto" and gpus > 0)
        self.resources = {"GPU": 1} if self.gpu else None
        feedback.info(f"Dask scheduler {self.client.scheduler.address}: {workers} worker(s)"
                      + (f", {gpus} with a GPU" if gpus else ""))
        if self.gpu and not gpus:
            feedback.warning("the model runs on cuda but no Dask worker offers the resource GPU yet: pair tasks wait "
                             "for one (start workers with `dask worker ... --resources GPU=1`)")
        self.dashboard = self._dashboard()

    def _dashboard(self) -> Optional[str]:
        if self.cluster is not None and not self.want_dashboard:
            self.feedback.info("Dask dashboard: not served (--dashboard serves it on 127.0.0.1)")
            return None
        try:
            import bokeh  # type: ignore[import-not-found]  # noqa: F401  (the dashboard needs bokeh)
        except ImportError:
            self.feedback.info("Dask dashboard: not served (install bokeh>=3.1 to get it)")
            return None
        link = str(self.client.dashboard_link)
        self.feedback.info(f"Dask dashboard: {link}")
        return link

    def _progress_bar(self, futures: List[Any]) -> Optional[threading.Thread]:
        if not self.show_progress:
            return None
        from distributed import progress

        thread = threading.Thread(target=progress, args=(futures,), kwargs={"notebook": False}, daemon=True)
        thread.start()
        return thread

    def wait_each(self, futures: List[Any], on_done: Callable[[Any], None]) -> None:
        """Call ``on_done(future)`` for each future as it finishes; cancel all on cancellation."""
        from distributed import wait

        pending = set(futures)
        bar = self._progress_bar(list(futures))
        try:
            while pending:
                if self.feedback.is_cancelled():
                    self.client.cancel(list(pending))
                    raise Cancelled("the run was cancelled")
                try:
                    finished, pending = wait(list(pending), timeout=POLL_S, return_when="FIRST_COMPLETED")
                except TimeoutError:
                    continue
                for future in finished:
                    on_done(future)
        finally:
            if bar is not None:
                bar.join(timeout=2)

    def run_pairs(self, jobs: List[Any], cluster: Optional[Tuple[float, int]],
                  done: Callable[[Any], None], task: Optional[Callable] = None) -> None:
        """Submit one task per pair and report each :class:`~..results.PairOutcome` as it comes.

        ``task`` replaces :func:`~..pair_task.compute_pair` (the benchmark's null model).
        """
        token = self.client.id[-8:]
        futures = [self.client.submit(task or compute_pair, job, cluster, key=f"planaura-pair-{job.row}-{token}",
                                      pure=False, retries=RETRIES, resources=self.resources) for job in jobs]
        by_key: Dict[str, Any] = {f.key: job for f, job in zip(futures, jobs)}

        def finished(future) -> None:
            job = by_key[future.key]
            if future.status == "finished":
                done(future.result())
                return
            outcome = failure_of(future.exception())
            outcome.file_id, outcome.row = job.file_id, job.row
            done(outcome)

        self.wait_each(futures, finished)

    def run_mosaic(self, request, feedback: Feedback) -> Dict[str, str]:
        """The persistence mosaic with its blocks computed on the workers (see :mod:`.mosaic`)."""
        from .mosaic import distributed_mosaic

        return distributed_mosaic(self, request, feedback)

    def close(self) -> None:
        """Close the client, and the LocalCluster when this run started it."""
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()
