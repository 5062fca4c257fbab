"""The change polygons' report writes numbers the reader's way: 0.80 and 1,234.50 in English,
0,80 and 1 234,50 in French (one place: planaura_plugin.i18n.number)."""
from __future__ import annotations

from types import SimpleNamespace

import pytest

from planaura_plugin import i18n
from planaura_plugin.analysis import report

NBSP = "\u00a0"


@pytest.fixture(params=["en", "fr"])
def language(request, monkeypatch):
    monkeypatch.setattr(i18n, "_language", request.param)  # only the numbers' form, no catalogue needed
    return request.param


def summary(thresholds=(0.8, 0.6, 0.4)):
    request = SimpleNamespace(min_area_ha=0.5, bbox=(500000.0, 4100000.5, 501000.0, 4101000.0), mask=None,
                              simplify=2.5, output="poly.gpkg")
    return SimpleNamespace(thresholds=thresholds, request=request, area_kind="ellipsoid", ellipsoid="WGS 84")


def test_number_per_language(language):
    want = {"en": ("0.80", "1,234,567.89", "1,234", "0.5", "-1.2"),
            "fr": ("0,80", f"1{NBSP}234{NBSP}567,89", f"1{NBSP}234", "0,5", "-1,2")}[language]
    got = (i18n.number(0.8, ".2f"), i18n.number(1234567.891, ",.2f"), i18n.number(1234, ",d"), i18n.number(0.5),
           i18n.decimal(-1.2, 1))
    assert got == want


def test_class_labels_and_parameters(language):
    labels = [report.class_label(code, (0.8, 0.6, 0.4), report.TEXTS) for code in (1, 2, 3, 4)]
    section = report._parameters_section(summary(), report.TEXTS)
    if language == "en":
        assert labels == ["No change (> 0.80)", "Low change (0.60 to 0.80)", "Moderate change (0.40 to 0.60)",
                          "High change (<= 0.40)"]
        assert "<dd>0.80, 0.60, 0.40</dd>" in section and "<dd>0.5</dd>" in section
        assert "<dd>500000, 4.1e+06, 501000, 4.101e+06</dd>" in section and "<dd>2.5</dd>" in section
    else:
        assert labels == ["No change (> 0,80)", "Low change (0,60 to 0,80)", "Moderate change (0,40 to 0,60)",
                          "High change (<= 0,40)"]
        assert "<dd>0,80; 0,60; 0,40</dd>" in section and "<dd>0,5</dd>" in section
        assert "<dd>2,5</dd>" in section
    assert report.class_label(4, (0.7, 0.7, 0.7), report.TEXTS) == \
        ("Change (<= 0.70)" if language == "en" else "Change (<= 0,70)")


def test_area_table(language):
    row = {"class": 4, "label": "High", "pixels": 1234567, "pixel_area_ha": 11111.125, "polygons": 3,
           "polygon_area_ha": 12.345, "percent": 37.5, "below_min_polygons": 2, "below_min_ha": 0.25}
    html = report._areas_section([row], summary(), report.TEXTS)
    if language == "en":
        cells = ["<td>1,234,567</td>", "<td>11,111.12</td>", "<td>12.35</td>", "<td>37.50</td>", "<td>2 / 0.25</td>"]
    else:
        cells = [f"<td>1{NBSP}234{NBSP}567</td>", f"<td>11{NBSP}111,12</td>", "<td>12,35</td>", "<td>37,50</td>",
                 "<td>2 / 0,25</td>"]
    for cell in cells:
        assert cell in html, (cell, html)


def test_class_limits_are_never_rounded_away():
    """A single threshold of 0.999 must not read 1.00 (the 'no change' and 'change' labels would say the
    same limit as a cosine of 1); two-decimal limits keep their two decimals; in both languages."""
    from planaura_plugin.analysis.report import TEXTS, class_label
    from planaura_plugin.i18n import decimal, set_language

    try:
        for language, point in (("en", "."), ("fr", ",")):
            set_language(language)
            assert decimal(0.8) == f"0{point}80"
            assert decimal(0.999) == f"0{point}999"
            assert decimal(-0.125) == f"-0{point}125"
            assert class_label(4, (0.999,) * 3, TEXTS) == f"Change (<= 0{point}999)"
            assert class_label(1, (0.999,) * 3, TEXTS) == f"No change (> 0{point}999)"
            assert class_label(2, (0.8, 0.6, 0.4), TEXTS) == f"Low change (0{point}60 to 0{point}80)"
    finally:
        set_language("en")
