"""metadata.txt: the QGIS versions whose plugin manager offers the plugin (3.22 to 4.x, Qt5 and Qt6).

QGIS's plugin manager (``pyplugin_installer/installer_data.py``, read in QGIS 3.40) marks a plugin
incompatible when QGIS's version is outside [qgisMinimumVersion, qgisMaximumVersion]; an empty
maximum becomes the minimum's major version + ``.99`` (``3.99``, which hides the plugin from
QGIS 4). On Qt6 a plugin must also declare ``supportsQt6``.
"""
from __future__ import annotations

import configparser
from pathlib import Path
from typing import Tuple

import pytest

REPO = Path(__file__).resolve().parents[1]


def _metadata() -> configparser.SectionProxy:
    meta = configparser.ConfigParser(interpolation=None)
    meta.read(REPO / "metadata.txt", encoding="utf-8")
    return meta["general"]


def _version(text: str) -> Tuple[int, int]:
    major, minor = (text.split(".") + ["0"])[:2]
    return int(major), int(minor)


def offered(meta: configparser.SectionProxy, qgis: str, qt6: bool) -> bool:
    """Whether the plugin manager of QGIS ``qgis`` (built on Qt6 or not) lists the plugin as compatible."""
    minimum = meta.get("qgisMinimumVersion", "")
    maximum = meta.get("qgisMaximumVersion", "") or minimum.split(".")[0] + ".99"
    if qt6 and meta.get("supportsQt6", "").strip().lower() not in ("true", "yes", "1"):
        return False
    return _version(minimum) <= _version(qgis) <= _version(maximum)


@pytest.mark.parametrize("qgis, qt6", [("3.22.16", False), ("3.28.15", False), ("3.34.0", False), ("3.40.6", False),
                                       ("3.44.16", False), ("4.0.0", True), ("4.2.1", True), ("4.99.0", True)])
def test_qgis_3_22_to_4_offer_the_plugin(qgis, qt6):
    assert offered(_metadata(), qgis, qt6)


@pytest.mark.parametrize("qgis", ["3.16.0", "3.20.3", "5.0.0"])
def test_older_and_unknown_major_versions_do_not(qgis):
    assert not offered(_metadata(), qgis, qt6=qgis.startswith("5"))


def test_without_the_maximum_qgis_4_would_hide_it():
    """The rule the test relies on: the default maximum (3.99) excludes QGIS 4 even with supportsQt6."""
    meta = configparser.ConfigParser(interpolation=None)
    meta.read_string("[general]\nqgisMinimumVersion=3.22\nsupportsQt6=True\n")
    assert offered(meta["general"], "3.44.0", False) and not offered(meta["general"], "4.0.0", True)
    assert _metadata()["qgisMaximumVersion"] == "4.99" and _metadata()["supportsQt6"] == "True"
