"""The core's message catalogue: gettext, no Qt, English by default.

Messages of the core (errors, warnings, progress lines) are written in English and marked
``_("tile batch {n} of {m}").format(n=..., m=...)``; ``xgettext`` extracts them into
``planaura_plugin/i18n/planaura.pot`` and each language has ``planaura_<lang>.po`` beside it,
compiled to ``planaura_<lang>.mo`` by ``make translations`` (``msgfmt``, GNU gettext). The
caller chooses the language once: the QGIS provider from QGIS's locale, the command line from
``PLANAURA_LANGUAGE``; without a compiled catalogue for it, messages stay in English.

Placeholders are named (``{path}``), never positional, so that a translation may reorder them.
"""
from __future__ import annotations

import gettext
import os
import re
from pathlib import Path
from typing import Optional

DOMAIN = "planaura"
CATALOGUE_DIR = Path(__file__).resolve().parent
ENV_LANGUAGE = "PLANAURA_LANGUAGE"

_translations: gettext.NullTranslations = gettext.NullTranslations()
_language = "en"


def catalogue_path(language: str, folder: Path = CATALOGUE_DIR) -> Path:
    """The compiled catalogue of a language: ``<folder>/planaura_<language>.mo``."""
    return folder / f"{DOMAIN}_{language}.mo"


def _base_language(locale: Optional[str]) -> str:
    """'fr_CA', 'fr-CA', 'fr_CA.UTF-8', 'FR' -> 'fr'; None or '' -> 'en'."""
    text = (locale or "").strip().replace("-", "_").split(".", 1)[0]
    return text.split("_", 1)[0].lower() or "en"


def set_language(locale: Optional[str], folder: Path = CATALOGUE_DIR) -> str:
    """Translate the core's messages into the language of ``locale`` from now on (process-wide).

    Args:
        locale: a locale or language name such as ``fr``, ``fr_CA`` or ``en_US``; None or ''
            means English.
        folder: where the compiled catalogues are (tests give a freshly compiled one).

    Returns:
        The language now used: ``fr`` when ``planaura_fr.mo`` exists, else ``en`` (English is
        the source language and needs no catalogue).
    """
    global _translations, _language
    language = _base_language(locale)
    path = catalogue_path(language, folder)
    if language == "en" or not path.is_file():
        _translations, _language = gettext.NullTranslations(), "en"
        return _language
    with open(path, "rb") as handle:
        _translations = gettext.GNUTranslations(handle)
    _language = language
    return _language


def language() -> str:
    """The language of the core's messages now (``en``, ``fr``)."""
    return _language


def _(message: str) -> str:
    """``message`` (an English source string, a literal so that xgettext finds it) translated."""
    return _translations.gettext(message)


def decimal(value: float, digits: int = 2) -> str:
    """``value`` with at least ``digits`` decimals and the language's decimal separator: 0.8 -> '0.80',
    in French '0,80'; more decimals when the value has them (a limit of 0.999 is never shown as 1.00).

    Args:
        value: the number.
        digits: decimals shown at least (at most 6 are shown).

    Returns:
        The number as text (labels of legends, class limits, messages).
    """
    return number(float(value), f".{decimals_needed(float(value), int(digits))}f")


def decimals_needed(value: float, at_least: int, at_most: int = 6) -> int:
    """The fewest decimals, from ``at_least`` to ``at_most``, that show ``value`` without rounding it."""
    for digits in range(at_least, at_most):
        if abs(round(value, digits) - value) < 1e-9:
            return digits
    return at_most


# French writes 1 234,56: a decimal comma and a no-break space between thousands
_SEPARATORS = {"fr": (",", "\u00a0")}


def number(value: float, spec: str = "g") -> str:
    """``value`` formatted with a format ``spec`` (``.2f``, ``,.1f``, ``,d``, ``g``) in the language's way.

    The one place where the core writes numbers for people (reports, labels): English keeps
    Python's ``1,234.56``; French gives ``1 234,56`` (decimal comma, no-break space between
    thousands). Tables for programs (CSV, JSON) keep Python's numbers.

    Args:
        value: the number.
        spec: a format specification of :func:`format`; ``,`` asks for thousands separators.

    Returns:
        The number as text.
    """
    text = format(value, spec)
    point, thousands = _SEPARATORS.get(_language, (".", ","))
    return text.translate(str.maketrans(".,", point + thousands))


class LocalNumber(float):
    """A float whose ``format`` (``"{0:.2f}".format(LocalNumber(0.8))``) follows :func:`number`.

    For message templates that carry their own format specification (the report's class labels).
    """

    def __format__(self, spec: str) -> str:
        return number(float(self), spec or "g")


class LocalLimit(LocalNumber):
    """A class limit in a message template: a fixed-point ``spec`` (``.2f``) gives at least that many
    decimals and more when the limit has them, so 0.999 reads 0.999, not 1.00."""

    def __format__(self, spec: str) -> str:
        match = re.fullmatch(r"(.*)\.(\d+)f", spec)
        if not match:
            return super().__format__(spec)
        digits = decimals_needed(float(self), int(match.group(2)))
        return number(float(self), f"{match.group(1)}.{digits}f")


def list_separator() -> str:
    """Between numbers of a list: ``, `` in English, ``; `` in French (where the comma is the decimal)."""
    return "; " if _language == "fr" else ", "


def N_(message: str) -> str:  # noqa: N802 - the name xgettext looks for
    """Marks a literal for extraction without translating it (a constant translated later with ``_``)."""
    return message


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form of a message for ``n``, translated."""
    return _translations.ngettext(singular, plural, n)


set_language(os.environ.get(ENV_LANGUAGE))

__all__ = ["_", "N_", "ngettext", "decimal", "number", "LocalNumber", "list_separator", "set_language", "language",
           "catalogue_path", "DOMAIN", "ENV_LANGUAGE"]
