"""What keeps output folders clean when runs fail, are killed or run side by side.

- :func:`temporary_name`: the hidden name a file is written under until its run commits,
  ``.<name>.<pid>-<host><random>.partial<ext>``; the pid and a tag of the host are part of it so
  that :func:`remove_dead_temporaries` can tell the leftovers of a dead run (killed by SIGKILL,
  a crash, a power cut) from the files of a run that is still writing;
- :class:`FolderLocks`: one lock file per output folder, held only while a run moves its
  files to their final names, so that two runs writing the same outputs commit one after the
  other (the last one wins with all its files, never a mix). Plain files created with
  ``O_EXCL``: no ``fcntl`` (POSIX only) nor ``msvcrt`` (Windows only), and they work the same
  on network shares;
- :class:`SigtermGuard`: while a run writes in the main thread, SIGTERM raises
  :class:`Terminated` so that the run removes its temporaries, and the signal is sent again once
  they are gone (the process still ends as SIGTERM asks). POSIX only; elsewhere a no-op.
"""
from __future__ import annotations

import hashlib
import os
import re
import socket
import time
import uuid
from typing import Any, List, Optional, Sequence

from ..errors import OutputError
from ..i18n import _

LOCK_NAME = ".planaura-commit.lock"
LOCK_WAIT_S = 300.0  # a commit only renames files: waiting this long means something is wrong
LOCK_STALE_S = 60.0  # a lock not refreshed for this long is left over, whoever (whichever host) holds it
LOCK_REFRESH_S = 5.0  # how often a holder refreshes its locks' modification time
_LOCK_POLL_S = 0.02

# .<final name>.<pid>-<host tag 4 hex><random 8 hex>.partial<ext>[GDAL sidecar] and the backups of a commit
_TEMP_RE = re.compile(r"^\.(?P<name>.+)\.(?P<pid>\d+)-(?P<host>[0-9a-f]{4})[0-9a-f]{8}"
                      r"\.(?:partial(?:\.[A-Za-z0-9]+)?(?:\.aux\.xml|\.ovr|\.msk)?|old)$")


class Terminated(BaseException):
    """SIGTERM arrived while a run was writing (a BaseException, as KeyboardInterrupt: no
    ``except Exception`` on the way may swallow it)."""


def host_tag() -> str:
    """4 hex digits naming this machine in temporary names (runs of other hosts are never cleaned)."""
    return hashlib.sha1(socket.gethostname().encode("utf-8", "replace")).hexdigest()[:4]


def new_token() -> str:
    """``<pid>-<host tag><8 random hex>``: unique per run, with what tells whether its owner is alive."""
    return f"{os.getpid()}-{host_tag()}{uuid.uuid4().hex[:8]}"


def temporary_name(final: str, token: str, kind: str = "partial") -> str:
    """Hidden name of ``final`` for one run: ``.<name>.<token>.partial<ext>`` (``kind="old"``:
    ``.<name>.<token>.old``, a backup kept while a commit may still be rolled back).

    Args:
        final: the final path.
        token: the run's :func:`new_token`.
        kind: ``"partial"`` or ``"old"``.

    Returns:
        The path in the folder of ``final``.
    """
    folder, name = os.path.split(os.path.abspath(final))
    suffix = f".partial{os.path.splitext(name)[1]}" if kind == "partial" else ".old"
    return os.path.join(folder, f".{name}.{token}{suffix}")


def pid_alive(pid: int) -> bool:
    """Whether the process ``pid`` of this machine runs; True when it cannot be told.

    Args:
        pid: a process id.

    Returns:
        False only when the process certainly does not exist.
    """
    if pid <= 0 or pid == os.getpid():
        return True
    if os.name == "nt":
        return _windows_pid_alive(pid)
    try:
        os.kill(pid, 0)  # signal 0: only checks that the process exists
    except ProcessLookupError:
        return False
    except OSError:  # PermissionError: it exists, under another user
        return True
    return True


def _windows_pid_alive(pid: int) -> bool:
    """``OpenProcess`` + ``GetExitCodeProcess`` (``os.kill`` would terminate the process on Windows)."""
    import ctypes

    kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
    handle = kernel32.OpenProcess(0x1000, False, int(pid))  # PROCESS_QUERY_LIMITED_INFORMATION
    if not handle:
        # access denied: it exists; invalid parameter: it does not (GetLastError exists on Windows only)
        return ctypes.GetLastError() == 5  # type: ignore[attr-defined]
    try:
        code = ctypes.c_ulong()
        if not kernel32.GetExitCodeProcess(handle, ctypes.byref(code)):
            return True
        return code.value == 259  # STILL_ACTIVE
    finally:
        kernel32.CloseHandle(handle)


def remove_dead_temporaries(folder: str) -> List[str]:
    """Remove the temporaries that dead runs of this host left in ``folder``.

    Only names of the exact pattern of :func:`temporary_name` are considered, only those of
    this host, and only when their process no longer exists.

    Args:
        folder: an output folder.

    Returns:
        The paths removed.
    """
    removed: List[str] = []
    tag = host_tag()
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        m = _TEMP_RE.match(entry.name)
        if not m or m.group("host") != tag or not entry.is_file(follow_symlinks=False):
            continue
        if pid_alive(int(m.group("pid"))):
            continue
        try:
            os.remove(entry.path)
            removed.append(entry.path)
        except OSError:  # another run removed it first, or it is not ours to remove
            pass
    return removed


def process_start(pid: int) -> str:
    """When process ``pid`` started, as the kernel counts it (Linux: ``/proc/<pid>/stat`` field 22),
    so that a pid reused by another process is told apart; '' where this cannot be read."""
    try:
        with open(f"/proc/{int(pid)}/stat", "rb") as f:
            stat = f.read().decode("ascii", "replace")
        return stat.rsplit(")", 1)[1].split()[19]
    except (OSError, IndexError, ValueError):
        return ""


class FolderLocks:
    """Lock files (``.planaura-commit.lock``) in several folders, taken in a fixed order.

    Used as a context manager around a commit; the files are removed on exit. A lock records
    its owner's pid, host tag, time and process start; the owner refreshes its modification time
    every :data:`LOCK_REFRESH_S` seconds while it holds it. A lock is taken over when its owner
    is a process of this host that is dead or whose pid now names another process, or when it
    was not refreshed for :data:`LOCK_STALE_S` seconds (a dead run of another machine sharing
    the folder).
    """

    def __init__(self, folders: Sequence[str], wait_s: float = LOCK_WAIT_S) -> None:
        self.folders = sorted({os.path.abspath(f) for f in folders})
        self.wait_s = wait_s
        self.held: List[str] = []
        self._stop: Optional[Any] = None  # threading.Event of the refreshing thread

    def __enter__(self) -> "FolderLocks":
        try:
            for folder in self.folders:
                self.held.append(self._acquire(os.path.join(folder, LOCK_NAME)))
        except BaseException:
            self.release()
            raise
        self._start_refresh()
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        self.release()

    def _start_refresh(self) -> None:
        import threading

        stop = threading.Event()
        held = list(self.held)

        def refresh() -> None:
            while not stop.wait(LOCK_REFRESH_S):
                for path in held:
                    try:
                        os.utime(path)
                    except OSError:
                        pass

        self._stop = stop
        threading.Thread(target=refresh, name="planaura-lock-refresh", daemon=True).start()

    def release(self) -> None:
        """Remove the lock files this object holds."""
        if self._stop is not None:
            self._stop.set()
            self._stop = None
        while self.held:
            try:
                os.remove(self.held.pop())
            except OSError:
                pass

    def _acquire(self, path: str) -> str:
        deadline = time.monotonic() + self.wait_s
        content = f"{os.getpid()} {host_tag()} {time.time():.3f} {process_start(os.getpid())}\n".encode()
        while True:
            try:
                fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except (FileExistsError, PermissionError):  # PermissionError: Windows, a lock being removed
                if _stale_lock(path):
                    _remove_quietly(path)
                    continue
                if time.monotonic() > deadline:
                    raise OutputError(_(
                        "another run is saving its files in {folder} (lock file {path}, {owner}) and has not "
                        "finished after {seconds} s; wait for it to end, or delete the lock file if no other run "
                        "is active").format(folder=os.path.dirname(path), path=path, owner=_lock_owner(path),
                                            seconds=f"{self.wait_s:.0f}")) from None
                time.sleep(_LOCK_POLL_S)
                continue
            try:
                try:
                    written = os.write(fd, content)
                finally:
                    os.close(fd)
                if written != len(content):
                    raise OSError(28, os.strerror(28), path)
            except OSError as exc:  # disk full: no empty lock file left behind
                _remove_quietly(path)
                raise OutputError(_("cannot write the lock file {path}: {reason}; free some space in {folder} and "
                                    "run again (nothing was saved)").format(
                    path=path, reason=exc.strerror or exc, folder=os.path.dirname(path))) from exc
            return path


def _lock_owner(path: str) -> str:
    try:
        with open(path, "rb") as f:
            pid, host, _ = (f.read(200).decode("ascii", "replace").split() + ["?", "?", "?"])[:3]
    except OSError:
        return "owner unknown"
    return f"held by process {pid}" + ("" if host == host_tag() else " of another machine")


def _stale_lock(path: str) -> bool:
    """A lock of a dead process of this host (or of a process whose pid was reused since), or not
    refreshed for LOCK_STALE_S whatever its host (or unreadable and a few seconds old)."""
    try:
        age = time.time() - os.path.getmtime(path)
        with open(path, "rb") as f:
            fields = f.read(200).decode("ascii", "replace").split()
    except OSError:
        return False  # gone already, or being replaced: try again
    if age > LOCK_STALE_S:
        return True
    if len(fields) < 2 or not fields[0].isdigit():
        return age > 5.0  # its owner died between creating and writing it
    if fields[1] != host_tag():
        return False  # another machine's: only its age tells
    pid = int(fields[0])
    if not pid_alive(pid):
        return True
    started = fields[3] if len(fields) > 3 else ""
    return bool(started) and process_start(pid) not in ("", started)  # the pid names another process now


def _remove_quietly(path: str) -> None:
    try:
        os.remove(path)
    except OSError:
        pass


class SigtermGuard:
    """Turns SIGTERM into :class:`Terminated` while a run writes, in the main thread only.

    ``deferred()`` returns a context in which the signal only sets a flag (commit and clean-up
    must not be cut in half); :meth:`finish` restores the previous handler and, if SIGTERM came,
    sends it again so the process ends as asked. Nothing is installed outside the main thread,
    on Windows, or when SIGTERM already has a handler other than the default.
    """

    def __init__(self) -> None:
        self.installed = False
        self.received = False
        self.defer = 0
        self._previous: Any = None  # the SIGTERM handler to restore

    def install(self) -> None:
        """Install the handler when allowed (see the class)."""
        import signal
        import threading

        if os.name == "nt" or threading.current_thread() is not threading.main_thread():
            return
        try:
            if signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL:
                return
            self._previous = signal.signal(signal.SIGTERM, self._handle)
        except (ValueError, OSError, AttributeError):  # not the main interpreter, or no SIGTERM
            return
        self.installed = True

    def _handle(self, signum, frame) -> None:
        self.received = True
        if not self.defer:
            raise Terminated("terminated by SIGTERM")

    def finish(self) -> None:
        """Restore the previous handler; end the process by SIGTERM if it arrived meanwhile."""
        if not self.installed:
            return
        import signal

        signal.signal(signal.SIGTERM, self._previous)
        self.installed = False
        if self.received:
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(1.0)  # the default action ends the process; should it not, fail as terminated
            raise Terminated("terminated by SIGTERM")


def created_folders(folder: str) -> List[str]:
    """The folders ``os.makedirs(folder)`` would create, outermost first.

    Args:
        folder: a folder that may not exist yet.

    Returns:
        Missing folders from the first missing ancestor down to ``folder``.
    """
    missing: List[str] = []
    path: Optional[str] = os.path.abspath(folder)
    while path and not os.path.isdir(path):
        missing.append(path)
        parent = os.path.dirname(path)
        path = parent if parent != path else None
    return missing[::-1]


def remove_empty_folders(folders: Sequence[str]) -> None:
    """Remove ``folders`` (innermost first) where they are empty; others are left alone.

    Args:
        folders: folders a run created, outermost first.
    """
    for folder in reversed(list(folders)):
        try:
            os.rmdir(folder)
        except OSError:
            pass
