"""Which Dask cluster a run uses: ``local[:N]``, ``tcp://HOST:PORT`` or a scheduler file.

- ``local`` / ``local:N``: a ``LocalCluster`` of N worker processes (default: the CPU count)
  with one thread each, started for the run and closed after it. It is private to the user
  who runs it: every connection is TLS with temporary credentials made for the run
  (``Security.temporary()``, held in memory only: another local user who finds the port cannot
  connect, so cannot submit code), it listens on the loopback interface only, and its HTTP
  servers serve nothing (no route) unless the dashboard is asked for, then on loopback only;
- ``tcp://HOST:PORT`` (or ``tls://``, ``ucx://``): a running scheduler (``dask scheduler``,
  ``dask-jobqueue``, Kubernetes ...);
- ``FILE.json``: the scheduler file written by ``dask scheduler --scheduler-file FILE.json``
  (the usual way on HPC clusters, where the address is not known in advance).
"""
from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from typing import Any, Dict, Optional, Tuple

from ...errors import InputError
from ...i18n import _

PROTOCOLS = ("tcp://", "tls://", "ucx://", "inproc://", "ws://", "wss://")


@dataclass(frozen=True)
class SchedulerSpec:
    """A parsed ``--scheduler`` value."""

    kind: str  # "local", "address" or "file"
    workers: Optional[int] = None  # local: worker processes (None = CPU count)
    target: Optional[str] = None  # address or scheduler file

    def describe(self) -> str:
        """Short text for logs and the manifest."""
        if self.kind == "local":
            return f"local:{self.workers}" if self.workers else "local"
        return str(self.target)


def parse_scheduler(text: str) -> SchedulerSpec:
    """Parse ``local[:N]``, an address or a scheduler file.

    Raises:
        InputError: not one of the three forms, N not a whole number >= 1, or a scheduler
        file that does not exist.
    """
    value = (text or "").strip()
    if value == "local" or value.startswith("local:"):
        count = value[len("local:"):] if ":" in value else ""
        if count and (not count.isdigit() or int(count) < 1):
            raise InputError(_("--scheduler {value}: the number of local workers must be a whole number >= 1, "
                               "e.g. local:4 (got {count})").format(value=value, count=repr(count)))
        return SchedulerSpec("local", workers=int(count) if count else None)
    if value.startswith(PROTOCOLS):
        return SchedulerSpec("address", target=value)
    if value.lower().endswith(".json") or os.path.sep in value:
        if not os.path.isfile(value):
            raise InputError(_("--scheduler: the scheduler file {value} does not exist; start the scheduler with "
                               "`dask scheduler --scheduler-file {value}` first (or give tcp://HOST:PORT)").format(
                                   value=value))
        return SchedulerSpec("file", target=os.path.abspath(value))
    raise InputError(_("--scheduler {value} is not understood: give local, local:N (N worker processes on this "
                       "machine), tcp://HOST:PORT (a running Dask scheduler) or the path of a scheduler file "
                       "(.json)").format(value=repr(value)))


LOOPBACK = "127.0.0.1"


def connect(spec: SchedulerSpec, gpu_workers: bool = False, dashboard: bool = False) -> Tuple[Any, Optional[Any]]:
    """A Dask ``Client`` for ``spec`` and the ``LocalCluster`` it started (None otherwise).

    Args:
        spec: from :func:`parse_scheduler`.
        gpu_workers: local workers advertise the resource ``GPU=1`` (model tasks ask for it).
        dashboard: a local cluster serves Dask's dashboard (on 127.0.0.1, a free port); without
            it no HTTP route is served at all. A running scheduler's own settings decide there.

    Raises:
        MissingDependencyError: Dask distributed (or, for a local cluster, ``cryptography``, which
            makes its TLS credentials) is not installed.
        InputError: the scheduler cannot be reached.
    """
    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:
        from ...errors import MissingDependencyError

        raise MissingDependencyError(_("--scheduler needs the Python packages dask and distributed "
                                       "(pip install dask==2026.8.0 distributed==2026.8.0, see "
                                       "requirements.txt)")) from exc
    if spec.kind == "local":
        _python_for_workers()
        n = spec.workers or max(1, os.cpu_count() or 1)
        return private_local_cluster(LocalCluster, Client, n, gpu_workers, dashboard)
    try:
        if spec.kind == "file":
            return Client(scheduler_file=spec.target, timeout="30s"), None
        return Client(spec.target, timeout="30s"), None
    except (OSError, TimeoutError) as exc:
        raise InputError(_("--scheduler {target}: no Dask scheduler answered ({error}); check that it runs "
                           "and that this machine can reach it").format(target=spec.target, error=exc)) from exc


def private_local_cluster(cluster_class: Any, client_class: Any, workers: int, gpu_workers: bool,
                          dashboard: bool) -> Tuple[Any, Any]:
    """A LocalCluster only this user can use, and its client (see the module's ``local``).

    Args:
        cluster_class, client_class: ``distributed.LocalCluster`` and ``distributed.Client``.
        workers: worker processes (one thread each).
        gpu_workers: workers advertise the resource ``GPU=1``.
        dashboard: serve the dashboard (on 127.0.0.1, a free port).

    Raises:
        MissingDependencyError: ``cryptography`` is missing (no TLS credentials can be made).
    """
    import dask
    from distributed.security import Security

    try:
        security = Security.temporary()
    except ImportError as exc:
        from ...errors import MissingDependencyError

        raise MissingDependencyError(_("--scheduler local needs the Python package cryptography to make the "
                                       "cluster's TLS credentials, so that no other user of this machine can "
                                       "use it (pip install cryptography, see requirements.txt)")) from exc
    settings: Dict[str, Any] = {"distributed.worker.http.routes": []}  # read by the workers' nannies too
    if not dashboard:
        settings["distributed.scheduler.http.routes"] = []
    with dask.config.set(settings):
        cluster = cluster_class(n_workers=workers, threads_per_worker=1, processes=True, host=LOOPBACK,
                                protocol="tls://", security=security,
                                scheduler_kwargs={"dashboard": dashboard, "dashboard_address": f"{LOOPBACK}:0"},
                                worker_dashboard_address=None,
                                resources={"GPU": 1} if gpu_workers else None)
    try:
        client = client_class(cluster, security=security)
        if not dashboard:  # Dask always starts its HTTP servers: stopped, nothing listens
            client.run(_stop_http_server)
            _stop_http_server(cluster.scheduler)
    except BaseException:
        cluster.close()
        raise
    return client, cluster


def _stop_http_server(dask_worker: Any) -> None:
    """Stop the HTTP server of a Dask server (a worker through ``Client.run``, or the scheduler)."""
    server = getattr(dask_worker, "http_server", None)
    if server is not None:
        server.stop()


def _python_for_workers() -> None:
    """Local worker processes are started with ``sys.executable``; inside QGIS that is QGIS itself
    (or whatever ``python3`` comes first in PATH, as qgis_process guesses), so the interpreter of
    this process's own installation (``sys.exec_prefix``) is named instead.

    Raises:
        InputError: no Python interpreter found in this process's installation.
    """
    import multiprocessing

    prefix = os.path.abspath(sys.exec_prefix)
    exe = os.path.abspath(sys.executable or "")
    if os.path.basename(exe).lower().startswith("python") and exe.startswith(prefix + os.sep):
        return
    version = f"{sys.version_info[0]}.{sys.version_info[1]}"
    names = [f"python{version}", f"python{sys.version_info[0]}", "python", "python.exe"]
    for path in (os.path.join(folder, name) for folder in (os.path.join(prefix, "bin"), prefix) for name in names):
        if os.path.isfile(path) and os.access(path, os.X_OK):
            multiprocessing.set_executable(path)
            return
    raise InputError(_("local Dask workers need a Python {version} interpreter, and none was found in {prefix}; "
                       "start a scheduler and workers in a terminal (dask scheduler, dask worker) and give their "
                       "address, tcp://HOST:PORT").format(version=version, prefix=prefix))


def worker_resources(client: Any) -> Tuple[int, int]:
    """(workers connected, of which with a GPU resource)."""
    workers = client.scheduler_info().get("workers", {})
    gpus = sum(1 for w in workers.values() if (w.get("resources") or {}).get("GPU", 0) >= 1)
    return len(workers), gpus
