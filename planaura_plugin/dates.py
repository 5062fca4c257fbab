"""Acquisition dates from file names, as YYYYDDD integers (the upstream date layers' values)."""
from __future__ import annotations

import datetime as _dt
import functools
import math
import re
from typing import Any, List, Optional, Sequence, Tuple

from .errors import InputError
from .i18n import _


#: the most unbounded repeats (``*``, ``+``, ``{n,}``) a date pattern may hold: with k of them a
#: search costs up to n**k steps on a name of n characters (255 -> 16 million for k = 3)
MAX_UNBOUNDED_REPEATS = 3
MAX_PATTERN_CHARS = 500
#: a file name's length, the most ways an unbounded repeat (or a wide bounded one) can match there
NAME_CHARS = 256
#: the most ways, all repeats and alternatives together, a date pattern may try at one place of a name
#: (as many as three unbounded repeats: NAME_CHARS ** 3)
MAX_MATCH_WAYS = NAME_CHARS ** MAX_UNBOUNDED_REPEATS


def _parser() -> Tuple[Any, Any]:
    """The pattern parser of ``re`` and its constants (``re._parser`` from Python 3.11, else ``sre_parse``)."""
    try:
        from re import _constants as consts  # type: ignore[attr-defined]  # Python >= 3.11
        from re import _parser as parser  # type: ignore[attr-defined]
    except ImportError:  # pragma: no cover - Python < 3.11
        import sre_constants as consts
        import sre_parse as parser
    return parser, consts


def date_pattern_problem(regex: str) -> Optional[str]:
    """Why a date pattern could take hours on some names (catastrophic backtracking), or None.

    Refused, from the parsed pattern: a repeat inside an unbounded repeat (``(.*)*``, ``(a+)+``,
    ``(\\d{7})*``, ``(b?.)*``), an alternation inside an unbounded repeat (``(a|ab)*``), more than
    :data:`MAX_UNBOUNDED_REPEATS` unbounded repeats, a pattern over :data:`MAX_PATTERN_CHARS`
    characters, and a pattern whose repeats and alternatives, bounded ones included, could try
    more than :data:`MAX_MATCH_WAYS` ways at one place of a name: ``(.*){1,30}x`` (a repeat
    repeated 30 times), ``.{0,300}`` five times, ``(a|a){1,60}b``. A repeat of a variable length
    counts as many ways as it can take lengths (at most :data:`NAME_CHARS`), an alternation as
    many as it has branches, a bounded repeat of a part multiplies that part's ways by itself as
    many times as it may repeat. What is left runs in polynomial time of low degree on a file name.

    Args:
        regex: the pattern (it must compile; see :func:`check_date_regex`).

    Returns:
        A short reason, or None when the pattern is safe.
    """
    if len(regex) > MAX_PATTERN_CHARS:
        return _("it is longer than {limit} characters").format(limit=MAX_PATTERN_CHARS)
    parser, _consts = _parser()
    walk = _PatternWalk()
    reason, bits = walk.ways(parser.parse(regex), False)
    if reason is None and walk.unbounded > MAX_UNBOUNDED_REPEATS:
        reason = _("it holds {count} unbounded repeats (*, +), at most {limit} are allowed").format(
            count=walk.unbounded, limit=MAX_UNBOUNDED_REPEATS)
    if reason is None and bits > math.log2(MAX_MATCH_WAYS) + 1e-9:
        reason = _("its repeats and alternatives could try about {ways:.2g} ways at each place of a file name, "
                   "at most {limit:.2g} are allowed").format(ways=2.0 ** min(bits, 1000.0), limit=MAX_MATCH_WAYS)
    return reason


class _PatternWalk:
    """Walks a parsed pattern: the first reason to refuse it, and log2 of the ways it can match at one place."""

    def __init__(self) -> None:
        self.consts = _parser()[1]
        names = ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT")
        self.repeats = {getattr(self.consts, n) for n in names if hasattr(self.consts, n)}
        self.unbounded = 0

    def ways(self, items: Any, inside: bool) -> Tuple[Optional[str], float]:
        """(reason or None, log2 of the ways) of a sequence; ``inside``: within an unbounded repeat."""
        consts, total = self.consts, 0.0
        for op, av in items:
            if op in self.repeats:
                found, bits = self._repeat(av, inside)
            elif op == consts.BRANCH:
                if inside:
                    return _("it has an alternation (|) inside an unbounded repeat"), total
                found, bits = self._alternatives(av[1], inside)
            elif op == getattr(consts, "GROUPREF_EXISTS", None):  # (?(1)yes|no)
                found, bits = self._alternatives([b for b in av[1:] if b is not None], inside)
            elif op == consts.SUBPATTERN:
                found, bits = self.ways(av[-1], inside)
            elif op in (consts.ASSERT, consts.ASSERT_NOT) or op == getattr(consts, "ATOMIC_GROUP", None):
                found, bits = self.ways(av[-1] if isinstance(av, tuple) else av, inside)
            else:
                found, bits = None, 0.0
            if found:
                return found, total
            total += bits
        return None, total

    def _repeat(self, av: Any, inside: bool) -> Tuple[Optional[str], float]:
        low, high, sub = av
        if inside and (high > 1 or low != high):  # (a?)* too: 'aa' is a?a? or a?a?a?...
            return _("it repeats a repeat inside an unbounded repeat (nested quantifiers, as in (.*)*)"), 0.0
        if high == self.consts.MAXREPEAT:
            self.unbounded += 1
            found, bits = self.ways(sub, True)
            return found, math.log2(NAME_CHARS) + bits
        found, bits = self.ways(sub, inside)
        return found, math.log2(min(high - low, NAME_CHARS) + 1) + min(high, NAME_CHARS) * bits

    def _alternatives(self, branches: Any, inside: bool) -> Tuple[Optional[str], float]:
        most = 0.0
        for branch in branches:
            found, bits = self.ways(branch, inside)
            if found:
                return found, 0.0
            most = max(most, bits)
        return None, math.log2(max(len(branches), 1)) + most


def check_date_regex(regex: str, label: Optional[str] = None) -> None:
    """Refuse a date pattern that does not compile or could run for hours (see :func:`date_pattern_problem`).

    Args:
        regex: the pattern.
        label: where it was given (a key or parameter name), for the message.

    Raises:
        InputError: the reason, and what to write instead.
    """
    label = label or _("the date regular expression")
    try:
        re.compile(regex)
    except (re.error, RecursionError, OverflowError) as exc:
        raise InputError(_("{label} is not a valid regular expression ({error}): '{regex}'").format(
            label=label, error=exc, regex=regex[:MAX_PATTERN_CHARS])) from exc
    reason = date_pattern_problem(regex)
    if reason is not None:
        raise InputError(_("{label} '{regex}' is refused: {reason}, so that searching a file name could take "
                           "hours; write a simpler pattern around the date digits, e.g. \\.(\\d{{7}})T or "
                           "_(\\d{{8}})_").format(label=label, regex=regex[:MAX_PATTERN_CHARS], reason=reason))


@functools.lru_cache(maxsize=64)
def _checked_pattern(regex: str) -> "re.Pattern[str]":
    check_date_regex(regex)
    return re.compile(regex)


def date_from_name(path: str, regex: str) -> int:
    """YYYYDDD from a dataset's name: 7 digits are taken as is, 8 digits (YYYYMMDD) converted.

    The names searched are those of :func:`.raster.datasets.date_names`, innermost first: the
    file name of a plain path; the member, its folders, then the zip of ``/vsizip/...``; the
    variable or table, then the file of ``NETCDF:"f.nc":B`` or ``GPKG:f.gpkg:t``.

    Args:
        path: a GDAL dataset name.
        regex: the date regular expression (the date in its first group that matched, else the whole match).

    Returns:
        The date as YYYYDDD.

    Raises:
        InputError: no name holds a date, or what the regex found is not a date.
    """
    from .raster.datasets import date_names

    names = date_names(str(path)) or [str(path)]
    match, name = None, names[0]
    for candidate in names:
        match = _checked_pattern(regex).search(candidate)
        if match:
            name = candidate
            break
    if not match:
        searched = "', '".join(names)
        where = _(" (the names in {path}, innermost first)").format(path=path) if len(names) > 1 else ""
        raise InputError(_("no date found in the file name '{names}'{where} with the date regular expression "
                           "'{regex}'; rename the file so that it holds the date (e.g. '.2024245T' for HLS), "
                           "give another date regular expression, or give the image's date (YYYY-MM-DD)").format(
            names=searched, where=where, regex=regex))
    # the first group that took part in the match ('(x)?\.(\d{7})T' leaves group 1 out), else the whole match
    digits = next((g for g in match.groups() if g is not None), match.group(0))
    try:
        if len(digits) == 7:
            value = int(digits)
            yyyyddd_to_date(value)
            return value
        if len(digits) == 8:
            d = _dt.datetime.strptime(digits, "%Y%m%d").date()
            return d.year * 1000 + d.timetuple().tm_yday
    except ValueError:
        pass
    raise InputError(_("'{digits}' found in '{name}' by '{regex}' is not a date (YYYYDDD or YYYYMMDD)").format(
        digits=digits, name=name, regex=regex))


def yyyyddd_to_date(value: int) -> _dt.date:
    year, doy = divmod(int(value), 1000)
    if not 1 <= doy <= 366 or year < 1900:
        raise ValueError(f"{value} is not a YYYYDDD date")
    return _dt.date(year, 1, 1) + _dt.timedelta(days=doy - 1)


def format_date(value: int) -> str:
    """2021250 -> '2021-09-07'."""
    return yyyyddd_to_date(value).isoformat()


def parse_iso_date(text: str, label: str = "") -> int:
    """'2021-09-07' (a date given by the user, YYYY-MM-DD) -> 2021250 (YYYYDDD).

    Args:
        text: the date as YYYY-MM-DD; 7 digits (YYYYDDD) and 8 digits (YYYYMMDD) are taken too.
        label: what the date is for (a parameter's name), for the message.

    Returns:
        The date as YYYYDDD.

    Raises:
        InputError: ``text`` is not a date in one of these forms.
    """
    value = str(text).strip()
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            day = _dt.date.fromisoformat(value)
            return day.year * 1000 + day.timetuple().tm_yday
        if re.fullmatch(r"\d{8}", value):
            day = _dt.datetime.strptime(value, "%Y%m%d").date()
            return day.year * 1000 + day.timetuple().tm_yday
        if re.fullmatch(r"\d{7}", value):
            yyyyddd_to_date(int(value))
            return int(value)
    except ValueError:
        pass
    raise InputError(_("{label}'{value}' is not a date: give it as YYYY-MM-DD (e.g. 2021-09-07)").format(
        label=f"{label}: " if label else "", value=value))


def input_dates(paths: Sequence[str], product_dates: Sequence[Optional[int]], given: Sequence[Optional[int]],
                regex: str, strict: bool) -> List[Optional[int]]:
    """YYYYDDD of each input: the date given by the caller, else the product's, else from the name.

    Args:
        paths: the inputs' GDAL dataset names, in frame order.
        product_dates: the date each product's own metadata gives (None where it gives none).
        given: dates the caller gave explicitly (same order; shorter or empty = none given).
        regex: the date regular expression for names.
        strict: raise when a date is found nowhere (date outputs asked for); else None.

    Returns:
        One YYYYDDD or None per input.

    Raises:
        InputError: ``strict`` and an input has no date; ``given`` longer than ``paths``.
    """
    if len(given) > len(paths):
        raise InputError(_("{given} dates given for {inputs} input images; give at most one per image").format(
            given=len(given), inputs=len(paths)))
    dates: List[Optional[int]] = []
    for i, (path, own) in enumerate(zip(paths, product_dates)):
        chosen = given[i] if i < len(given) else None
        if chosen is not None:
            yyyyddd_to_date(int(chosen))  # ValueError for a value that is no date
            dates.append(int(chosen))
        elif own is not None:
            dates.append(int(own))
        else:
            try:
                dates.append(date_from_name(path, regex))
            except InputError:
                if strict:
                    raise
                dates.append(None)
    return dates
