"""Pinned requirement lines (``name==version ; marker``) and their PEP 508 environment markers.

``requirements.txt`` pins some packages per Python version (``torch==2.8.0; python_version < "3.10"``):
QGIS ships Pythons 3.9 to 3.13 and not every release has wheels for all of them. The installer
picks the lines whose marker holds for QGIS's Python. Markers are evaluated with
``packaging.markers`` where the Python has it (pip's own rules); otherwise with
:func:`evaluate_simple`, which knows the comparisons requirement files use (tested against
``packaging`` on random markers).

No Qt and no QGIS here; run as a script (``python pins.py``) it prints the marker environment of
the Python running it, as JSON, so that the installer can ask another interpreter for its own.
"""
from __future__ import annotations

import json
import os
import platform
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterable, List, Mapping, Optional, Tuple

_LINE = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9_.\-]*)\s*==\s*([A-Za-z0-9_.+!\-]+)\s*(?:;\s*(.+?))?\s*$")
_TOKEN = re.compile(r"""\s*(\(|\)|not\s+in\b|in\b|and\b|or\b|===|==|!=|<=|>=|~=|<|>|'[^']*'|"[^"]*"|"""
                    r"""[A-Za-z_][A-Za-z0-9_.]*)""")
_VERSION = re.compile(r"^\d+(\.\d+)*$")
_OPERATORS = ("==", "!=", "<=", ">=", "~=", "<", ">", "in", "not in")


@dataclass(frozen=True)
class PinLine:
    """One ``name==version`` line: the distribution name, its version and its marker (None: always)."""

    name: str
    version: str
    marker: Optional[str] = None


def parse_line(line: str) -> Optional[PinLine]:
    """The pin of one requirements line (``pyarrow==18.0.0 ; python_version >= "3.9"``), None for a
    comment, a blank line, an option (``-r``) or a requirement without ``==``."""
    match = _LINE.match(line.split("#", 1)[0])
    if not match:
        return None
    return PinLine(match.group(1), match.group(2), match.group(3))


def marker_environment() -> Dict[str, str]:
    """The PEP 508 marker variables of the Python running this (``python_version``: ``3.13``, ...)."""
    info = sys.implementation.version
    full = f"{info.major}.{info.minor}.{info.micro}"
    if info.releaselevel != "final":
        full += info.releaselevel[0] + str(info.serial)
    return {"implementation_name": sys.implementation.name, "implementation_version": full,
            "os_name": os.name, "platform_machine": platform.machine(), "platform_release": platform.release(),
            "platform_system": platform.system(), "platform_version": platform.version(),
            "python_full_version": platform.python_version(),
            "platform_python_implementation": platform.python_implementation(),
            "python_version": ".".join(platform.python_version_tuple()[:2]), "sys_platform": sys.platform}


def environment_of(python: Optional[str]) -> Dict[str, str]:
    """The marker variables of ``python`` (another interpreter, asked in a subprocess), or of this one."""
    if python is None or Path(python).resolve() == Path(sys.executable).resolve():
        return marker_environment()
    out = subprocess.run([python, str(Path(__file__).resolve())], capture_output=True, text=True, check=True)
    return dict(json.loads(out.stdout))


def _version_key(text: str) -> Tuple[int, ...]:
    return tuple(int(part) for part in text.split("."))


def _compare_versions(left: str, op: str, right: str) -> bool:
    """PEP 440 comparison of two release numbers (``3.9`` == ``3.9.0``; ``~=`` compatible release)."""
    a, b = _version_key(left), _version_key(right)
    size = max(len(a), len(b))
    pa, pb = a + (0,) * (size - len(a)), b + (0,) * (size - len(b))
    if op == "~=":
        if len(b) < 2:
            raise ValueError(f"~= needs at least two parts: {right}")
        return pa >= pb and a[:len(b) - 1] == b[:-1]
    return {"==": pa == pb, "!=": pa != pb, "<": pa < pb, "<=": pa <= pb, ">": pa > pb, ">=": pa >= pb}[op]


def _compare(left: str, op: str, right: str) -> bool:
    if op == "in":
        return left in right
    if op == "not in":
        return left not in right
    if _VERSION.match(left) and _VERSION.match(right):
        return _compare_versions(left, op, right)
    if op in ("==", "!="):
        return (left == right) == (op == "==")
    raise ValueError(f"cannot compare {left!r} {op} {right!r}")


def _tokens(marker: str) -> List[str]:
    tokens, position = [], 0
    marker = marker.strip()
    while position < len(marker):
        match = _TOKEN.match(marker, position)
        if not match:
            raise ValueError(f"cannot read the marker {marker!r} at {marker[position:]!r}")
        tokens.append(re.sub(r"\s+", " ", match.group(1)))
        position = match.end()
    return tokens


def evaluate_simple(marker: str, environment: Mapping[str, str]) -> bool:
    """Evaluate a PEP 508 marker without ``packaging``: ``and``/``or``/parentheses and the
    comparisons of :data:`_OPERATORS`, release numbers compared as versions, other values as text.

    Raises:
        ValueError: a marker it cannot read, an unknown variable, or an order comparison of text.
    """
    tokens = _tokens(marker)

    def value(token: str) -> str:
        if token[0] in "'\"":
            return token[1:-1]
        if token not in environment:
            raise ValueError(f"unknown marker variable {token!r} in {marker!r}")
        return environment[token]

    def atom(i: int) -> Tuple[bool, int]:
        if tokens[i] == "(":
            result, i = disjunction(i + 1)
            if i >= len(tokens) or tokens[i] != ")":
                raise ValueError(f"unbalanced parentheses in {marker!r}")
            return result, i + 1
        if len(tokens) < i + 3 or tokens[i + 1] not in _OPERATORS:
            raise ValueError(f"cannot read the marker {marker!r}")
        return _compare(value(tokens[i]), tokens[i + 1], value(tokens[i + 2])), i + 3

    def conjunction(i: int) -> Tuple[bool, int]:
        result, i = atom(i)
        while i < len(tokens) and tokens[i] == "and":
            right, i = atom(i + 1)
            result = result and right
        return result, i

    def disjunction(i: int) -> Tuple[bool, int]:
        result, i = conjunction(i)
        while i < len(tokens) and tokens[i] == "or":
            right, i = conjunction(i + 1)
            result = result or right
        return result, i

    try:
        result, end = disjunction(0)
    except IndexError:
        raise ValueError(f"the marker {marker!r} ends too early") from None
    if end != len(tokens):
        raise ValueError(f"cannot read the marker {marker!r} at {' '.join(tokens[end:])!r}")
    return result


def evaluate(marker: Optional[str], environment: Mapping[str, str]) -> bool:
    """True when ``marker`` holds in ``environment`` (no marker: always): ``packaging`` if importable."""
    if not marker:
        return True
    try:
        from packaging.markers import Marker
    except ImportError:
        return evaluate_simple(marker, environment)
    return bool(Marker(marker).evaluate(dict(environment)))


def select_pins(lines: Iterable[str], environment: Mapping[str, str]) -> Dict[str, Tuple[str, str]]:
    """``{distribution name: (name as written, version)}`` of the pins whose marker holds.

    Raises:
        ValueError: two lines pin the same package for this environment.
    """
    chosen: Dict[str, Tuple[str, str]] = {}
    for line in lines:
        pin = parse_line(line)
        if pin is None or not evaluate(pin.marker, environment):
            continue
        key = re.sub(r"[-_.]+", "_", pin.name).lower()
        if key in chosen:
            raise ValueError(f"{pin.name} is pinned twice for Python {environment.get('python_version')}: "
                             f"{chosen[key][1]} and {pin.version}")
        chosen[key] = (pin.name, pin.version)
    return chosen


if __name__ == "__main__":
    print(json.dumps(marker_environment()))
