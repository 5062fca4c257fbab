"""Value checkers of the upstream YAML: each returns the normalised value or raises ConfigError naming the key."""
from __future__ import annotations

import re
from typing import Any, Callable, Optional, Tuple

from ..errors import InputError
from ..i18n import _

TASKS = ("infer", "mosaic")
COMPRESSIONS = ("LZW", "DEFLATE", "ZSTD", "NONE")

# sidecars GDAL or the reference may leave next to a GeoTIFF (removed with it by delete_residues)
SIDECAR_SUFFIXES = (".tfw", ".aux.xml", ".ovr", ".qml")

REQUIRED = object()  # marker: the key has no default


class ConfigError(InputError):
    """The upstream YAML or its CSV is not usable; the message says which key or row."""


SHOWN_CHARS = 200  # the most characters of a value a message shows


class Shown:
    """A value as messages show it: its ``repr`` (``{value!r}``) and text (``{value}``) cut to
    :data:`SHOWN_CHARS` characters, nested lists and mappings to a few items and levels, so that a
    huge value (a YAML alias bomb that made it past the loader, a megabyte string) never makes a
    huge message."""

    def __init__(self, value: Any) -> None:
        self.value = value

    def __repr__(self) -> str:
        import reprlib

        short = reprlib.Repr()
        short.maxlevel, short.maxstring, short.maxother = 3, SHOWN_CHARS, SHOWN_CHARS
        short.maxlist = short.maxtuple = short.maxdict = short.maxset = 8
        return _cut(short.repr(self.value))

    def __str__(self) -> str:
        return _cut(self.value) if isinstance(self.value, str) else repr(self)

    def __format__(self, spec: str) -> str:
        if spec and isinstance(self.value, (int, float)):
            return format(self.value, spec)
        return str(self)


def _cut(text: str) -> str:
    return text if len(text) <= SHOWN_CHARS else text[:SHOWN_CHARS] + "..."


def shown(value: Any) -> Shown:
    """``value`` for a message: see :class:`Shown`."""
    return Shown(value)


# ---------------------------------------------------------------------------------------
# value checkers: each returns the normalised value or raises ConfigError naming the key

def _type_name(value: Any) -> str:
    return type(value).__name__ if value is not None else "nothing (null)"


def check_bool(key: str, value: Any) -> bool:
    """A YAML boolean (true/false), as is."""
    if isinstance(value, bool):
        return value
    raise ConfigError(_("{key} must be true or false, got {value!r}").format(key=key, value=shown(value)))


def int_checker(minimum: Optional[int] = None, maximum: Optional[int] = None) -> Callable[[str, Any], int]:
    """A checker of whole numbers within [minimum, maximum] (either bound optional); a float
    without a fraction counts as whole."""
    def check(key: str, value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or int(value) != value:
            raise ConfigError(_("{key} must be a whole number, got {value!r}").format(
                                  key=key, value=shown(value)))
        value = int(value)
        if minimum is not None and value < minimum or maximum is not None and value > maximum:
            if maximum is not None:
                raise ConfigError(_("{key} must be between {minimum} and {maximum}, got {value}").format(
                                      key=key, minimum=minimum, maximum=maximum, value=shown(value)))
            raise ConfigError(_("{key} must be at least {minimum}, got {value}").format(
                                  key=key, minimum=minimum, value=shown(value)))
        return value
    return check


def float_checker(minimum: Optional[float] = None, maximum: Optional[float] = None, hint: str = "",
                  exclusive_min: bool = False) -> Callable[[str, Any], float]:
    """A checker of numbers within the bounds (``exclusive_min``: above ``minimum``); ``hint``
    (marked with ``N_``) ends its message."""
    def check(key: str, value: Any) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ConfigError(_("{key} must be a number, got {value!r}").format(key=key, value=shown(value)))
        value = float(value)
        low_bad = minimum is not None and (value <= minimum if exclusive_min else value < minimum)
        if low_bad or (maximum is not None and value > maximum):
            bound = (_("{key} must be above {minimum}") if exclusive_min else _("{key} must be at least {minimum}"))
            if maximum is not None:
                bound += _(" and at most {maximum}")
            raise ConfigError((bound + _(", got {value}")).format(key=key, minimum=minimum, maximum=maximum,
                                                                 value=shown(value)) + (_(hint) if hint else ""))
        return value
    return check


def check_str(key: str, value: Any) -> str:
    """Text, as is."""
    if not isinstance(value, str):
        raise ConfigError(_("{key} must be text, got {type_name} {value!r}").format(
                              key=key, type_name=_type_name(value), value=shown(value)))
    return value


def check_opt_str(key: str, value: Any) -> Optional[str]:
    """Text, or None for null or an empty string."""
    return None if value is None or value == "" else check_str(key, value)


def check_path(key: str, value: Any) -> str:
    """A file or folder path: non-empty text, stripped of surrounding spaces."""
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(_("{key} must be a file or folder path, got {value!r}").format(
                              key=key, value=shown(value)))
    return value.strip()


def check_opt_path(key: str, value: Any) -> Optional[str]:
    """A path (:func:`check_path`), or None for null or an empty string."""
    return None if value is None or value == "" else check_path(key, value)


def check_tasks(key: str, value: Any) -> Tuple[str, ...]:
    """task_list: a tuple of :data:`TASKS` (a single task may be given as text)."""
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, (list, tuple)) or not value:
        raise ConfigError(_("{key} must be a list holding 'infer' and/or 'mosaic', got {value!r}").format(
                              key=key, value=shown(value)))
    bad = [v for v in value if v not in TASKS]
    if bad:
        raise ConfigError(_("{key}: unknown task(s) {tasks}; the tasks are 'infer' and 'mosaic'").format(
                              key=key, tasks=', '.join(map(repr, bad))))
    return tuple(t for t in TASKS if t in value)


def check_compression(key: str, value: Any) -> str:
    """tif_compression: one of :data:`COMPRESSIONS`, upper-cased."""
    text = "NONE" if value is None else str(value).strip().upper()
    if text not in COMPRESSIONS:
        raise ConfigError(_("{key} must be one of {compressions}, got {value!r}").format(
                              key=key, compressions=', '.join(COMPRESSIONS), value=shown(value)))
    return text


def check_precision(key: str, value: Any) -> Optional[str]:
    """The plugin's ``precision`` key: float32, bfloat16, float16 or int8 (None = from autocast_float16)."""
    from ..model.precision import PRECISIONS

    value = check_opt_str(key, value)
    if value is not None and value not in PRECISIONS:
        raise ConfigError(_("{key} must be one of {precisions}, got {value!r}").format(
                              key=key, precisions=', '.join(PRECISIONS), value=shown(value)))
    return value


def check_concat_char(key: str, value: Any) -> str:
    """concatenate_char: the characters joining the names of a pair's file id (no path separator)."""
    value = check_str(key, value)
    if not value or any(c in value for c in ("/", "\\", "\0")) or value in (".", ".."):
        raise ConfigError(_("{key} must be one or more characters that can be part of a file name (not a path "
                            "separator), got {value!r}").format(key=key, value=shown(value)))
    return value


def check_postfix(key: str, value: Any) -> str:
    """mosaic_save_postfix: text usable in a file name."""
    value = "" if value is None else str(value)
    if any(c in value for c in ("/", "\\", "\0")) or ".." in value:
        raise ConfigError(_("{key} must be text usable in a file name (no path separator, no '..'), got {value!r}")
                            .format(key=key, value=shown(value)))
    return value


def check_regex(key: str, value: Any) -> Optional[str]:
    """change_map.date_regex: a regular expression whose first group is a date, or None."""
    value = check_opt_str(key, value)
    if value is None:
        return None
    try:
        compiled = re.compile(value)
    except re.error as exc:
        raise ConfigError(_("{key} is not a valid regular expression ({exc}): {value!r}").format(
                              key=key, exc=exc, value=shown(value))) from exc
    from ..dates import date_pattern_problem

    reason = date_pattern_problem(value)
    if reason is not None:
        raise ConfigError(_("{key} {value!r} is refused: {reason}, so that searching a file name could take hours; "
                            "write a simpler pattern around the date digits, e.g. \\.(\\d{{7}})T").format(
                                key=key, value=shown(value), reason=reason))
    if compiled.groups < 1:
        raise ConfigError(_("{key} must hold one group (...) around the date digits, e.g. \\.(\\d{{7}})T; "
                            "got {value!r}")
                            .format(key=key, value=shown(value)))
    return value


def check_embeddings(key: str, value: Any) -> Optional[Tuple[int, ...]]:
    """feature_maps.embeddings: distinct channel indices (>= 0), or None for every channel."""
    if value is None or value == []:
        return None  # upstream: every channel
    if not isinstance(value, (list, tuple)):
        raise ConfigError(_("{key} must be a list of channel indices, got {value!r}").format(
                              key=key, value=shown(value)))
    out = tuple(int_checker(0)(f"{key}[{i}]", v) for i, v in enumerate(value))
    if len(set(out)) != len(out):
        raise ConfigError(_("{key} lists a channel twice: {out}").format(key=key, out=list(out)))
    return out


def check_input_bands(key: str, value: Any) -> Optional[Tuple[int, ...]]:
    """Our extension: 1-based band numbers of B02, B03, B04, B8A, B11, B12 in every input image."""
    if value is None:
        return None
    if not isinstance(value, (list, tuple)) or len(value) != 6:
        raise ConfigError(_("{key} must list the 6 band numbers of B02, B03, B04, B8A, B11, B12 (1-based), e.g. [2, 3, "
                            "4, 9, 12, 13] for a 13-band Sentinel-2 stack; got {value!r}").format(
                              key=key, value=shown(value)))
    return tuple(int_checker(1)(f"{key}[{i}]", v) for i, v in enumerate(value))


def check_bbox(key: str, value: Any) -> Optional[Tuple[float, float, float, float]]:
    """process_bbox: [minx, miny, maxx, maxy] with minx < maxx and miny < maxy, or None."""
    if value is None:
        return None
    if not isinstance(value, (list, tuple)) or len(value) != 4:
        raise ConfigError(_("{key} must be [minx, miny, maxx, maxy], got {value!r}").format(
                              key=key, value=shown(value)))
    box = tuple(float_checker()(f"{key}[{i}]", v) for i, v in enumerate(value))
    if not (box[0] < box[2] and box[1] < box[3]):
        raise ConfigError(_("{key} must be [minx, miny, maxx, maxy] with minx < maxx and miny < maxy, got {box}")
                            .format(key=key, box=list(box)))
    return box  # type: ignore[return-value]


def check_str_list(key: str, value: Any) -> Optional[Tuple[str, ...]]:
    """A list of text (a single text is a list of one), or None."""
    if value is None:
        return None
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, (list, tuple)):
        raise ConfigError(_("{key} must be a list of layer kinds, got {value!r}").format(
                              key=key, value=shown(value)))
    return tuple(check_str(f"{key}[{i}]", v) for i, v in enumerate(value))


def check_anything(key: str, value: Any) -> Any:
    """Any value, as is (options accepted without a check)."""
    return value


def check_null_only(key: str, value: Any) -> Any:
    """Only null: an upstream option this plugin does not support."""
    if value is not None:
        raise ConfigError(_("{key} (conditioned inference) is not supported by this plugin; leave it out or null")
                            .format(key=key))
    return None
