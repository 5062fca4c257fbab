"""Where each algorithm's *Help* button leads: a section of the README that exists, in the user's language.

The anchors are GitHub's heading ids (:func:`heading_anchor`); tests/qgis/test_defaults_and_guards.py
checks that every one of them is a heading of README.md / README.fr.md, so a renamed heading
breaks the test instead of the link.
"""
from __future__ import annotations

import re
from typing import Dict, List, Tuple

REPOSITORY = "https://github.com/planaura-qgis/planaura-qgis"
#: language -> the README's address (GitHub shows README.md on the repository page)
README_URLS = {"en": REPOSITORY, "fr": REPOSITORY + "/blob/main/README.fr.md"}
README_FILES = {"en": "README.md", "fr": "README.fr.md"}
#: algorithm name -> (English anchor, French anchor)
ANCHORS: Dict[str, Tuple[str, str]] = {
    "changemap": ("a-change-map", "une-carte-de-changement"),
    "embeddings": ("embeddings", "plongements-embeddings"),
    "persistencemosaic": ("a-persistence-mosaic-and-models", "une-mosaïque-de-persistance-et-les-modèles"),
    "changepolygons": ("change-polygons-area-report-and-change-types",
                       "polygones-de-changement-rapport-des-superficies-et-types-de-changement"),
    "changetypes": ("change-polygons-area-report-and-change-types",
                    "polygones-de-changement-rapport-des-superficies-et-types-de-changement"),
    "runconfig": ("an-upstream-configuration-yaml", "une-configuration-damont-yaml"),
    "findimagery": ("imagery-from-stac-catalogues", "images-des-catalogues-stac"),
    "catalogchangemap": ("imagery-from-stac-catalogues", "images-des-catalogues-stac"),
    "changeovertime": ("change-over-time", "changement-dans-le-temps"),
    **{name: ("embedding-tools-colour-view-similarity-clusters-classes",
              "outils-de-plongements--vue-en-couleurs-similarité-groupes-classes")
       for name in ("embeddingcolourview", "similaritysearch", "embeddingclusters", "classesfromexamples")},
}


def heading_anchor(heading: str) -> str:
    """GitHub's id of a Markdown heading: lower case, punctuation dropped, each space a hyphen.

    Args:
        heading: the heading's text without the leading ``#`` (``A persistence mosaic, and models``).

    Returns:
        The anchor (``a-persistence-mosaic-and-models``); letters with accents are kept.
    """
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def readme_anchors(markdown: str) -> List[str]:
    """The anchors of every heading of a Markdown text (code blocks skipped)."""
    anchors, in_code = [], False
    for line in markdown.splitlines():
        if line.startswith("```"):
            in_code = not in_code
        elif not in_code and re.match(r"#{1,6} ", line):
            anchors.append(heading_anchor(line.lstrip("#")))
    return anchors


def help_url(algorithm: str, language: str = "en") -> str:
    """The README section of ``algorithm`` in ``language`` (English when there is no such README).

    Args:
        algorithm: the algorithm's name (``changemap``).
        language: ``en`` or ``fr`` (others: English).

    Returns:
        The address with its anchor; the README's top when the algorithm has no section.
    """
    lang = language if language in README_URLS else "en"
    anchors = ANCHORS.get(algorithm)
    if anchors is None:
        return README_URLS[lang] + ("#readme" if lang == "en" else "")
    return f"{README_URLS[lang]}#{anchors[0] if lang == 'en' else anchors[1]}"
