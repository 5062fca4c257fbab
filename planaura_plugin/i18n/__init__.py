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
    """``value`` with ``digits`` decimals and the language's decimal separator: 0.8 -> '0.80', in French '0,80'.

    Args:
        value: the number.
        digits: decimals shown.

    Returns:
        The number as text (labels of legends, messages).
    """
    text = f"{float(value):.{int(digits)}f}"
    return text.replace(".", ",") if _language == "fr" else text


def N_(message: str) -> str:  # noqa: N802 - the name xgettext looks for
    """Marks a literal for extraction without translating it (a constant translated later with ``_``)."""
    return message


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form of a message for ``n``, translated."""
    return _translations.ngettext(singular, plural, n)


set_language(os.environ.get(ENV_LANGUAGE))

__all__ = ["_", "N_", "ngettext", "decimal", "set_language", "language", "catalogue_path", "DOMAIN", "ENV_LANGUAGE"]
