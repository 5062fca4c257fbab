"""The last error the plugin or its Processing provider saw, kept for *Settings ▸ Copy diagnostics*.

Kept in QgsSettings (``planaura/last_error``), so the report still has it after QGIS restarts;
the time is UTC, ISO 8601.
"""
from __future__ import annotations

import datetime
from typing import Optional

from qgis.core import QgsSettings

KEY = "planaura/last_error"
#: a traceback or a pip log is cut to its last characters
MAX_CHARS = 4000


def record_error(source: str, message: str, settings: Optional[QgsSettings] = None) -> str:
    """Remember ``message`` as the last error, with where it came from and when.

    Args:
        source: what failed (an algorithm's name, "download", "install", "provider").
        message: the error text shown to the user.
        settings: a QgsSettings to write to (tests); the user's profile by default.

    Returns:
        The text stored: ``2026-12-05T08:10:00Z [Planaura change map] message``.
    """
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    text = f"{stamp} [{source}] {message.strip()}"
    if len(text) > MAX_CHARS:
        text = text[:200] + " … " + text[-(MAX_CHARS - 203):]
    (settings or QgsSettings()).setValue(KEY, text)
    return text


def last_error(settings: Optional[QgsSettings] = None) -> str:
    """The last recorded error, or an empty string."""
    return str((settings or QgsSettings()).value(KEY, "") or "")
