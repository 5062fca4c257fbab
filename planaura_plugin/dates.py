"""Acquisition dates from file names, as YYYYDDD integers (the upstream date layers' values)."""
from __future__ import annotations

import datetime as _dt
import re

from .errors import InputError


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
        where = f" (the names in {path}, innermost first)" if len(names) > 1 else ""
        raise InputError(f"no date found in the file name '{searched}'{where} with the date regular expression "
                         f"'{regex}'; rename the file so that it holds the date (e.g. '.2024245T' for HLS) "
                         "or give another date regular expression")
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
    raise InputError(f"'{digits}' found in '{name}' by '{regex}' is not a date (YYYYDDD or YYYYMMDD)")


def yyyyddd_to_date(value: int) -> _dt.date:
    year, doy = divmod(int(value), 1000)
    if not 1 <= doy <= 366 or year < 1900:
        raise ValueError(f"{value} is not a YYYYDDD date")
    return _dt.date(year, 1, 1) + _dt.timedelta(days=doy - 1)


def format_date(value: int) -> str:
    """2021250 -> '2021-09-07'."""
    return yyyyddd_to_date(value).isoformat()
