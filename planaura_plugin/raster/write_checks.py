"""Checking what GDAL (and OGR) write: a failed write fails the output, whatever GDAL says back.

GDAL does not report a failed write reliably through return values: with exceptions off,
``WriteArray`` and ``FlushCache`` return success while libtiff reports "No space left on
device" through the error handler (the block is lost and the file has tiles that cannot be
read); with exceptions on (QGIS >= 3.40 turns them on process-wide) the call raises, except
when the failure happens while a dataset is closed (the bindings only print it). So every
write, flush and close of an output runs inside :class:`GdalWriteCheck`, which collects the
errors GDAL emits in that thread (the error handler stack is per thread), and the output is
failed (:class:`~..errors.OutputError`) at the first one: it is never committed.
"""
from __future__ import annotations

import errno
import os
from typing import Any, Callable, Optional

from ..errors import OutputError
from ..i18n import _

_FAILURE = 3  # gdal.CE_Failure
_FATAL = 4  # gdal.CE_Fatal
_NO_SPACE = ("no space left", "disk full", "quota exceeded")


def written_mb(path: str) -> str:
    """Size of ``path`` in MB with one decimal ('0.0' when it cannot be read)."""
    try:
        return f"{os.path.getsize(path) / 1e6:.1f}"
    except OSError:
        return "0.0"


def is_no_space(reason: str) -> bool:
    """Whether a GDAL or OS message says the disk (or the user's quota) is full."""
    text = reason.lower()
    return any(s in text for s in _NO_SPACE) or os.strerror(errno.ENOSPC).lower() in text


def write_failure(path: str, temp_path: str, reason: str) -> OutputError:
    """The error of a failed write of ``path`` (written under ``temp_path``).

    Args:
        path: the final name of the output.
        temp_path: the file being written (its size says how far the write went).
        reason: GDAL's or the system's message.

    Returns:
        An :class:`OutputError` naming the file, how much was written and the cause: "no space
        left on <folder> after N MB" when the disk or quota is full.
    """
    mb = written_mb(temp_path)
    folder = os.path.dirname(os.path.abspath(path))
    if is_no_space(reason):
        return OutputError(_("no space left on the disk of {folder} after {mb} MB of {path} ({reason}); free some "
                             "space (or choose another folder) and run again: nothing was saved under this "
                             "name").format(folder=folder, mb=mb, path=path, reason=reason))
    return OutputError(_("writing {path} failed after {mb} MB: {reason}; nothing was saved under this name").format(
        path=path, mb=mb, reason=reason))


class GdalWriteCheck:
    """Collects the GDAL errors emitted in this thread while writing one output.

    Use :meth:`run` around each GDAL call that writes (``WriteArray``, ``FlushCache``, the
    close, ``CreateFeature``...): it works with GDAL exceptions on or off and raises
    :class:`OutputError` (see :func:`write_failure`) at the first failure; once failed, every
    later call fails the same way (the file is incomplete for good).

    Args:
        path: the output's final name (for the message).
        temp_path: the file GDAL writes (its size goes into the message).
    """

    def __init__(self, path: str, temp_path: Optional[str] = None) -> None:
        self.path = str(path)
        self.temp_path = str(temp_path or path)
        self.failure: Optional[str] = None

    def run(self, call: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """``call(*args, **kwargs)`` with GDAL's errors collected.

        Returns:
            What ``call`` returns.

        Raises:
            OutputError: GDAL reported a failure (error handler, exception, or a CPLErr result
                other than 0), now or in an earlier call.
        """
        from ..gdal_calls import gdal_messages

        self.check()
        with gdal_messages() as messages:  # GDAL's one quiet collector (either exceptions state)
            try:
                result = call(*args, **kwargs)
            except RuntimeError as exc:  # GDAL with exceptions on
                messages.append((_FAILURE, str(exc)))
                result = None
            finally:
                # a failure's traceback keeps this frame: holding the call (a bound method of the
                # dataset) would keep the failed dataset open until a garbage collection closes it
                # during some later GDAL call, which then raises its error with exceptions on
                call = args = kwargs = None  # type: ignore[assignment]
        failures = [(c, m) for c, m in messages if c >= _FAILURE]
        if failures:
            self.failure = "; ".join(dict.fromkeys(m.strip() for _c, m in failures if m.strip())) or \
                "GDAL gave no reason"
        self.check()
        return result

    def check(self) -> None:
        """Raise the failure recorded so far, if any."""
        if self.failure is not None:
            raise write_failure(self.path, self.temp_path, self.failure)


def close_dataset(check: GdalWriteCheck, owner: Any, attribute: str = "ds") -> None:
    """Close the GDAL/OGR dataset ``owner.<attribute>`` (set to None), failing when the close fails.

    ``Dataset.Close()`` (GDAL >= 3.8) reports the close's result; older bindings close on the
    release of the last reference, whose errors reach only the error handler (collected): the
    attribute must therefore hold the only reference.

    Args:
        check: the output's :class:`GdalWriteCheck`.
        owner: the object holding the open dataset.
        attribute: its attribute name.

    Raises:
        OutputError: GDAL reported an error while closing (the last blocks, the header).
    """
    def close() -> None:
        ds = getattr(owner, attribute)
        setattr(owner, attribute, None)
        closer = getattr(ds, "Close", None)
        if closer is not None:
            closer()
        del ds

    check.run(close)
