"""The core's one seam to the caller: progress, messages and cancellation.

QGIS wraps a ``QgsProcessingFeedback`` in this interface, the command line prints a
terminal bar; tests use :class:`Feedback` itself (silent, never cancelled).
"""
from __future__ import annotations

import sys
import time
from typing import Optional

from .errors import Cancelled
from .i18n import _


class Feedback:
    """Silent feedback; subclass and override what you need."""

    def progress(self, fraction: float, message: str = "") -> None:
        """``fraction`` in [0, 1] of the whole job."""

    def info(self, message: str) -> None:
        """A line for the log."""

    def warning(self, message: str) -> None:
        """Something the user should know but that does not stop the run."""

    def is_cancelled(self) -> bool:
        return False

    def check_cancelled(self) -> None:
        """Raise :class:`Cancelled` when the user asked to stop; says "cancelling…" the first time."""
        if self.is_cancelled():
            if not getattr(self, "_cancel_said", False):
                self._cancel_said = True
                self.info(_("cancelling…"))
            raise Cancelled("the run was cancelled")


class ScaledFeedback(Feedback):
    """Maps the progress of one step onto [start, stop] of a parent feedback."""

    def __init__(self, parent: Feedback, start: float, stop: float) -> None:
        self.parent, self.start, self.stop = parent, start, stop

    def progress(self, fraction: float, message: str = "") -> None:
        self.parent.progress(self.start + (self.stop - self.start) * min(max(fraction, 0.0), 1.0), message)

    def info(self, message: str) -> None:
        self.parent.info(message)

    def warning(self, message: str) -> None:
        self.parent.warning(message)

    def is_cancelled(self) -> bool:
        return self.parent.is_cancelled()


class TerminalFeedback(Feedback):
    """A one-line progress bar on stderr and log lines on stdout."""

    def __init__(self, stream=None, min_interval: float = 0.2) -> None:
        self.stream = stream or sys.stderr
        self.min_interval = min_interval
        self._last = 0.0
        self._start = time.monotonic()

    def progress(self, fraction: float, message: str = "") -> None:
        now = time.monotonic()
        if fraction < 1.0 and now - self._last < self.min_interval:
            return
        self._last = now
        width = 30
        done = int(width * min(max(fraction, 0.0), 1.0))
        bar = "#" * done + "-" * (width - done)
        self.stream.write(f"\r[{bar}] {100 * fraction:5.1f}% {now - self._start:6.1f}s {message[:60]:<60}")
        if fraction >= 1.0:
            self.stream.write("\n")
        self.stream.flush()

    def _clear_bar(self) -> None:
        """Erase a half-drawn bar so that a log line does not land in the middle of it."""
        if self._last and self.stream.isatty():
            self.stream.write("\r" + " " * 120 + "\r")
            self.stream.flush()

    def info(self, message: str) -> None:
        self._clear_bar()
        print(message, flush=True)

    def warning(self, message: str) -> None:
        self._clear_bar()
        print(f"WARNING: {message}", flush=True)


def ensure_feedback(feedback: Optional[Feedback]) -> Feedback:
    return feedback if feedback is not None else Feedback()
