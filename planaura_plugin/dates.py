"""Acquisition dates from file names, as YYYYDDD integers (the upstream date layers' values)."""
from __future__ import annotations

import datetime as _dt
import re
from typing import List, Optional, Sequence

from .errors import InputError
from .i18n import _


def date_from_name(path: str, regex: str) -> int:
    """YYYYDDD from a dataset's name: 7 digits are taken as is, 8 digits (YYYYMMDD) converted.

    The names searched are those of :func:`.inputs.datasets.date_names`, innermost first: the
    file name of a plain path; the member, its folders, then the zip of ``/vsizip/...``; the
    variable or table, then the file of ``NETCDF:"f.nc":B`` or ``GPKG:f.gpkg:t``.

    Args:
        path: a GDAL dataset name.
        regex: the date regular expression (the date in its first group, else the whole match).

    Returns:
        The date as YYYYDDD.

    Raises:
        InputError: no name holds a date, or what the regex found is not a date.
    """
    from .inputs.datasets import date_names

    names = date_names(str(path)) or [str(path)]
    match, name = None, names[0]
    for candidate in names:
        match = re.search(regex, candidate)
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
    digits = match.group(1) if match.groups() else match.group(0)
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
