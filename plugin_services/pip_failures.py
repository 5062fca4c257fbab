"""Why a pip run failed, read from pip's own output, so the dialog can say it in plain words.

pip prints many lines (``WARNING: Retrying (Retry(total=4...)) after connection broken by
'ProxyError(...)'``) and one ``ERROR:`` line; a QGIS user needs one sentence and what to do.
:func:`classify_pip_output` recognises the usual causes from the texts of pip 21 to 25 and of
the libraries under it (urllib3, requests, ssl, OSError); anything else is ``UNKNOWN`` and the
dialog shows pip's last error line.

No Qt and no QGIS here: the sentences themselves are translated by the dialog (Qt ``tr``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional, Sequence, Tuple

#: The kinds of failure, from the most specific.
NO_SPACE = "no_space"
PROXY = "proxy"
SSL = "ssl"
NO_CONNECTION = "no_connection"
NOT_IN_FOLDER = "not_in_folder"  # an offline install: the wheel folder lacks a package or this Python's build
NO_MATCHING = "no_matching"  # online: no release of a pin for this Python or platform
PERMISSION = "permission"
UNKNOWN = "unknown"

# (kind, patterns): the first kind with a matching pattern wins, so the order matters: a proxy
# that refuses the connection says both "ProxyError" and "Connection refused".
_PATTERNS: Tuple[Tuple[str, Tuple[str, ...]], ...] = (
    (NO_SPACE, (r"No space left on device", r"\[Errno 28\]", r"There is not enough space on the disk",
                r"\[WinError 112\]")),
    (PROXY, (r"ProxyError", r"Tunnel connection failed", r"407 Proxy Authentication Required",
             r"Cannot connect to proxy", r"proxy authentication")),
    (SSL, (r"SSLError", r"SSLCertVerificationError", r"CERTIFICATE_VERIFY_FAILED", r"certificate verify failed",
           r"self[- ]signed certificate", r"unable to get local issuer certificate", r"WRONG_VERSION_NUMBER")),
    (NO_CONNECTION, (r"NewConnectionError", r"Failed to establish a new connection", r"Name or service not known",
                     r"Temporary failure in name resolution", r"nodename nor servname provided",
                     r"getaddrinfo failed", r"Network is unreachable", r"Connection refused",
                     r"ConnectTimeoutError", r"Read timed out", r"ReadTimeoutError", r"No route to host",
                     r"Max retries exceeded", r"connection broken by")),
    (PERMISSION, (r"Permission denied", r"\[Errno 13\]", r"\[WinError 5\]", r"Access is denied")),
)
_NOT_FOUND = (r"No matching distribution found for", r"Could not find a version that satisfies the requirement")
_REQUIREMENT = re.compile(r"(?:No matching distribution found for|satisfies the requirement)\s+([^\s(]+)")


@dataclass(frozen=True)
class PipFailure:
    """What went wrong in one pip run.

    Attributes:
        kind: one of the module's kinds (``PROXY``, ``NO_CONNECTION``...).
        package: the requirement pip could not find (``torch==2.13.0``), when it names one.
        error_line: pip's last ``ERROR:`` line (or its last non-empty line), for the details.
    """

    kind: str
    package: Optional[str] = None
    error_line: str = ""


def last_error_line(lines: Sequence[str]) -> str:
    """pip's last ``ERROR:`` line, else its last non-empty line, else ''."""
    errors = [line.strip() for line in lines if line.strip().startswith("ERROR:")]
    if errors:
        return errors[-1]
    rest = [line.strip() for line in lines if line.strip()]
    return rest[-1] if rest else ""


def classify_pip_output(output: str, offline: bool = False) -> PipFailure:
    """The cause of a failed pip run, from its whole output (stdout and stderr together).

    Args:
        output: pip's output.
        offline: the run installed from a wheel folder (``--no-index --find-links``): a package
            pip cannot find is then missing from the folder, not from PyPI.

    Returns:
        A :class:`PipFailure`; ``UNKNOWN`` when no known cause is recognised (never raises).
    """
    lines = output.splitlines()
    error_line = last_error_line(lines)
    found = _REQUIREMENT.search(output)
    package = found.group(1) if found else None
    for kind, patterns in _PATTERNS:
        if any(re.search(pattern, output, re.IGNORECASE) for pattern in patterns):
            if kind == NO_CONNECTION and offline:
                break  # --no-index never connects: a folder problem, below
            return PipFailure(kind, package, error_line)
    if any(re.search(pattern, output) for pattern in _NOT_FOUND):
        return PipFailure(NOT_IN_FOLDER if offline else NO_MATCHING, package, error_line)
    return PipFailure(UNKNOWN, package, error_line)
