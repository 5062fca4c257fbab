"""The raster pipelines a run executes, imported only when a run starts: the declared test seam.

Every execution path (one process, Dask workers, the mosaic step) gets the change-map and
mosaic pipelines through :func:`pipelines`; tests replace that function here
(``monkeypatch.setattr(planaura_plugin.runs.pipelines, "pipelines", fake)``) to run a plan
without the model.

A second seam, for tests of crashed workers only: when the environment variable
:data:`KILL_ONCE_ENV` names a file that does not exist yet, the change-map pipeline that
:func:`pipelines` hands out creates that file when it passes 30 % of its pair and kills its
own process (SIGKILL), as a crashed worker would. An environment variable, because Dask worker
processes inherit the environment and nothing of a test's monkeypatching.
"""
from __future__ import annotations

import os
import signal
import socket
from typing import Any, Callable, Optional, Sequence, Tuple

from ..errors import MissingDependencyError, PlanauraError
from ..feedback import Feedback, ScaledFeedback
from ..i18n import _

#: Test seam: names the marker file of the one process that kills itself mid-pair (see above).
KILL_ONCE_ENV = "PLANAURA_TEST_KILL_ONCE"
KILL_AT = 0.3  # fraction of the pair's change map at which that process dies


def pipelines(tasks: Sequence[str]) -> Tuple[Optional[Callable], Optional[Callable]]:
    """(run_change_map, run_mosaic) for the tasks, imported only when a run starts (they pull
    torch and GDAL); None for a task not asked for.

    Args:
        tasks: the plan's task list (``infer``, ``mosaic``).

    Returns:
        The change-map pipeline (for ``infer``; wrapped by the kill-once test seam when
        :data:`KILL_ONCE_ENV` is set) and the mosaic pipeline (for ``mosaic``), or None.

    Raises:
        MissingDependencyError: a Python package they need is not installed.
        PlanauraError: this build has no raster pipeline.
    """
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
            raise PlanauraError(_("this build of the plugin has no raster pipeline yet ({exc})").format(
                                    exc=exc)) from exc
        raise MissingDependencyError(_("the Python package '{name}' is needed to run Planaura; install it (see "
                                       "requirements.txt)").format(name=exc.name)) from exc
    marker = os.environ.get(KILL_ONCE_ENV)
    if run_change_map is not None and marker:
        run_change_map = _killed_once(run_change_map, marker)
    return run_change_map, run_mosaic


class _KillOnceFeedback(ScaledFeedback):
    """Forwards everything; past :data:`KILL_AT` the first process to create ``marker`` kills itself."""

    def __init__(self, parent: Feedback, marker: str) -> None:
        super().__init__(parent, 0.0, 1.0)
        self.marker = marker

    def progress(self, fraction: float, message: str = "") -> None:
        if fraction >= KILL_AT:
            _kill_once(self.marker)
        super().progress(fraction, message)


def _killed_once(run_change_map: Callable, marker: str) -> Callable:
    def run(request: Any, feedback: Feedback) -> Any:
        return run_change_map(request, _KillOnceFeedback(feedback, marker))
    return run


def _kill_once(marker: str) -> None:
    try:
        fd = os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
    except FileExistsError:
        return
    os.write(fd, f"{socket.gethostname()}:{os.getpid()}\n".encode())
    os.close(fd)
    os.kill(os.getpid(), signal.SIGKILL)
