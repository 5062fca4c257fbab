"""The area report of change polygons: an HTML page, a CSV of the areas per class, a PNG histogram.

The page is plain HTML (inline CSS, the PNG beside it by relative name), readable in a browser
and in QGIS's Results Viewer. Texts are English by default; a caller (the QGIS algorithm) passes
translated ones in ``texts`` with the keys of :data:`TEXTS`, so this module needs no Qt.
The histogram is drawn with matplotlib (Agg) when it is importable, else with numpy and GDAL's
PNG driver.
"""
from __future__ import annotations

import csv
import html
from typing import Any, Dict, List, Mapping, Optional, Sequence

import numpy as np

from ..i18n import LocalLimit, _, decimal, list_separator, number



def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 - the name pylupdate5 looks for
    """Marks a text for extraction into i18n/planaura_fr.ts; the QGIS algorithm translates it."""
    return text


TEXTS: Dict[str, str] = {
    "title": QT_TRANSLATE_NOOP("PlanauraReport", "Change polygons: area report"),
    "inputs": QT_TRANSLATE_NOOP("PlanauraReport", "Inputs"),
    "change_map": QT_TRANSLATE_NOOP("PlanauraReport", "Change map"),
    "images": QT_TRANSLATE_NOOP("PlanauraReport", "Images"),
    "dates": QT_TRANSLATE_NOOP("PlanauraReport", "Dates"),
    "model": QT_TRANSLATE_NOOP("PlanauraReport", "Model"),
    "checkpoint": QT_TRANSLATE_NOOP("PlanauraReport", "Checkpoint"),
    "weights_sha256": QT_TRANSLATE_NOOP("PlanauraReport", "Weights SHA-256"),
    "plugin_version": QT_TRANSLATE_NOOP("PlanauraReport", "Made with Planaura for QGIS"),
    "stride": QT_TRANSLATE_NOOP("PlanauraReport", "Patch stride (px)"),
    "companions": QT_TRANSLATE_NOOP("PlanauraReport", "Layers used beside the change map"),
    "parameters": QT_TRANSLATE_NOOP("PlanauraReport", "Parameters"),
    "thresholds": QT_TRANSLATE_NOOP("PlanauraReport", "Class thresholds (cosine)"),
    "min_area": QT_TRANSLATE_NOOP("PlanauraReport", "Minimum area (ha)"),
    "extent": QT_TRANSLATE_NOOP("PlanauraReport", "Extent"),
    "mask": QT_TRANSLATE_NOOP("PlanauraReport", "Mask"),
    "simplify": QT_TRANSLATE_NOOP("PlanauraReport", "Simplification tolerance (map units)"),
    "output": QT_TRANSLATE_NOOP("PlanauraReport", "Polygons"),
    "areas": QT_TRANSLATE_NOOP("PlanauraReport", "Area per class"),
    "class": QT_TRANSLATE_NOOP("PlanauraReport", "Class"),
    "label": QT_TRANSLATE_NOOP("PlanauraReport", "Meaning"),
    "pixels": QT_TRANSLATE_NOOP("PlanauraReport", "Pixels"),
    "pixel_area": QT_TRANSLATE_NOOP("PlanauraReport", "Area of the pixels (ha)"),
    "polygons": QT_TRANSLATE_NOOP("PlanauraReport", "Polygons"),
    "polygon_area": QT_TRANSLATE_NOOP("PlanauraReport", "Area of the polygons (ha)"),
    "percent": QT_TRANSLATE_NOOP("PlanauraReport", "% of the analysed area"),
    "below_min": QT_TRANSLATE_NOOP("PlanauraReport", "Left out, below the minimum area (polygons / ha)"),
    "analysed": QT_TRANSLATE_NOOP("PlanauraReport", "Analysed area (valid pixels)"),
    "total_change": QT_TRANSLATE_NOOP("PlanauraReport", "All change classes"),
    "largest": QT_TRANSLATE_NOOP("PlanauraReport", "Largest patches"),
    "centre": QT_TRANSLATE_NOOP("PlanauraReport", "Centre (x, y)"),
    "mean_cos": QT_TRANSLATE_NOOP("PlanauraReport", "Mean cosine"),
    "min_cos": QT_TRANSLATE_NOOP("PlanauraReport", "Minimum cosine"),
    "persistence": QT_TRANSLATE_NOOP("PlanauraReport", "Persistence (pairs)"),
    "histogram": QT_TRANSLATE_NOOP("PlanauraReport", "Histogram of the cosines of the analysed pixels"),
    "types": QT_TRANSLATE_NOOP("PlanauraReport", "Change types"),
    "type": QT_TRANSLATE_NOOP("PlanauraReport", "Type"),
    "area_note": QT_TRANSLATE_NOOP("PlanauraReport", "Areas are true areas on the {0} ellipsoid of the change "
                                   "map's CRS, whatever its projection: each pixel is measured from its corners in "
                                   "an equal-area projection on that ellipsoid, and each polygon, the union of its "
                                   "pixels, has the sum of their areas; the percentages are of the analysed area."),
    "area_note_nocrs": QT_TRANSLATE_NOOP("PlanauraReport", "The change map has no CRS (or one without an "
                                         "ellipsoid): its areas are square map "
                                         "units divided by 10,000, not hectares; the percentages are of the "
                                         "analysed area."),
    "none": QT_TRANSLATE_NOOP("PlanauraReport", "none"),
    "class_1": QT_TRANSLATE_NOOP("PlanauraReport", "No change (> {0:.2f})"),
    "class_2": QT_TRANSLATE_NOOP("PlanauraReport", "Low change ({1:.2f} to {0:.2f})"),
    "class_3": QT_TRANSLATE_NOOP("PlanauraReport", "Moderate change ({2:.2f} to {1:.2f})"),
    "class_4": QT_TRANSLATE_NOOP("PlanauraReport", "High change (<= {2:.2f})"),
    "class_4_single": QT_TRANSLATE_NOOP("PlanauraReport", "Change (<= {0:.2f})"),
    "type_n": QT_TRANSLATE_NOOP("PlanauraReport", "Change type {0}"),
    "noise": QT_TRANSLATE_NOOP("PlanauraReport", "Changed, of no type (noise)"),
    "type_area": QT_TRANSLATE_NOOP("PlanauraReport", "Area (ha)"),
    "types_note": QT_TRANSLATE_NOOP("PlanauraReport", "Pixels of the change types raster {0} inside the analysed "
                                    "area and the sum of their areas; a CSV of this table is written beside the "
                                    "report."),
}


def class_label(code: int, thresholds: Sequence[float], texts: Mapping[str, str]) -> str:
    """The meaning of class ``code`` with its cosine limits (one threshold: 1 no change, 4 change)."""
    single = len(set(thresholds)) == 1
    key = "class_4_single" if single and code == 4 else f"class_{code}"
    return texts[key].format(*(LocalLimit(t) for t in thresholds))


def _fmt(value: float, digits: int = 2) -> str:
    return number(value, f",.{digits}f")


def class_rows(summary, texts: Mapping[str, str]) -> List[Dict[str, Any]]:
    """One row per class (1-4, only 1 and 4 with one threshold) and the totals; numbers as numbers."""
    single = len(set(summary.thresholds)) == 1
    codes = (1, 4) if single else (1, 2, 3, 4)
    total = summary.analysed_ha or 1.0
    rows = []
    for code in codes:
        polygon_ha = summary.polygon_ha.get(code, 0.0) if code > 1 else summary.class_pixel_ha[code]
        rows.append({"class": code, "label": class_label(code, summary.thresholds, texts),
                     "pixels": summary.class_pixels[code], "pixel_area_ha": summary.class_pixel_ha[code],
                     "polygons": summary.polygons.get(code, 0) if code > 1 else "",
                     "polygon_area_ha": polygon_ha if code > 1 else "",
                     "percent": 100.0 * polygon_ha / total,
                     "below_min_polygons": summary.filtered.get(code, 0) if code > 1 else "",
                     "below_min_ha": summary.filtered_ha.get(code, 0.0) if code > 1 else ""})
    change_ha = sum(summary.polygon_ha.values())
    rows.append({"class": "2-4", "label": texts["total_change"],
                 "pixels": sum(summary.class_pixels[c] for c in (2, 3, 4)),
                 "pixel_area_ha": sum(summary.class_pixel_ha[c] for c in (2, 3, 4)),
                 "polygons": sum(summary.polygons.values()), "polygon_area_ha": change_ha,
                 "percent": 100.0 * change_ha / total, "below_min_polygons": sum(summary.filtered.values()),
                 "below_min_ha": sum(summary.filtered_ha.values())})
    rows.append({"class": "", "label": texts["analysed"], "pixels": summary.analysed_pixels,
                 "pixel_area_ha": summary.analysed_ha, "polygons": "", "polygon_area_ha": "", "percent": 100.0,
                 "below_min_polygons": "", "below_min_ha": ""})
    return rows


def write_csv(rows: Sequence[Mapping[str, Any]], path: str) -> None:
    """The per-class table as CSV (comma separated, UTF-8, full precision)."""
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0].keys()))
        writer.writeheader()
        writer.writerows(rows)


def write_histogram(counts: Sequence[int], edges: Sequence[float], thresholds: Sequence[float], path: str,
                    title: str) -> None:
    """A small PNG bar chart of the cosine histogram, bars coloured by class (matplotlib, else numpy + GDAL).

    Args:
        counts: pixels per bin.
        edges: the bins' edges (len(counts) + 1 cosines).
        thresholds: the three class limits.
        path: the PNG to write.
        title: the chart's title.
    """
    try:
        import matplotlib

        matplotlib.use("Agg", force=False)
        from matplotlib.figure import Figure
    except Exception:  # noqa: BLE001 - any failure: the plain drawing
        _histogram_plain(np.asarray(counts), path)
        return
    fig = Figure(figsize=(6, 3), dpi=100)
    ax = fig.add_subplot(1, 1, 1)
    widths = np.diff(edges)
    t0, t1, t2 = thresholds
    colours = ["#bd0026" if e < t2 else "#fd8d3c" if e < t1 else "#fecc5c" if e < t0 else "#bdbdbd"
               for e in edges[:-1]]
    ax.bar(edges[:-1], counts, width=widths, align="edge", color=colours, edgecolor="white", linewidth=0.3)
    ax.set_xlim(-1, 1)
    ax.set_xlabel(_("cosine"))
    ax.set_ylabel(_("pixels"))
    ax.set_title(title, fontsize=9)
    fig.tight_layout()
    fig.savefig(path, format="png")


def _histogram_plain(counts: np.ndarray, path: str, height: int = 160, bar: int = 8) -> None:
    """Bars drawn into an RGB array and saved with GDAL's PNG driver (no axis labels)."""
    from osgeo import gdal

    width = bar * len(counts)
    img = np.full((3, height, width), 255, dtype=np.uint8)
    peak = max(int(counts.max()) if counts.size else 0, 1)
    for i, value in enumerate(counts):
        h = int(round((height - 4) * value / peak))
        if h:
            img[0, height - h:, i * bar:(i + 1) * bar - 1] = 189
            img[1:, height - h:, i * bar:(i + 1) * bar - 1] = 38
    mem = gdal.GetDriverByName("MEM").Create("", width, height, 3, gdal.GDT_Byte)
    for b in range(3):
        mem.GetRasterBand(b + 1).WriteArray(img[b])
    from types import SimpleNamespace

    from ..raster.write_checks import GdalWriteCheck, close_dataset

    check = GdalWriteCheck(path)
    png = SimpleNamespace(ds=check.run(gdal.GetDriverByName("PNG").CreateCopy, path, mem))
    close_dataset(check, png)  # a PNG that could not be written (disk full) fails the report


def _table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    head = "".join(f"<th>{html.escape(str(h))}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><tr>{head}</tr>{body}</table>"


def _dl(items: Sequence[Sequence[Any]]) -> str:
    return "<dl>" + "".join(f"<dt>{html.escape(str(k))}</dt><dd>{html.escape(str(v))}</dd>" for k, v in items) + "</dl>"


def _provenance_of(summary) -> Dict[str, Any]:
    """The provenance record of the report's change map (provenance.py); empty when it has none."""
    from ..provenance import read_provenance

    try:
        return read_provenance(str(summary.request.change_map))
    except (ValueError, OSError):
        return {}


def _provenance_block(summary) -> str:
    """The change map's provenance record, machine-readable inside the page (JSON in a script element)."""
    import json

    record = _provenance_of(summary)
    if not record:
        return ""
    text = json.dumps(record, sort_keys=True).replace("</", "<\\/")
    return f"<script type='application/json' id='planaura-provenance'>{text}</script>"


def _inputs_section(summary, t: Mapping[str, str]) -> str:
    from ..dates import format_date
    from ..pipeline import metadata as md

    meta = summary.metadata
    record = _provenance_of(summary)

    def day(value) -> str:
        try:
            return format_date(int(value))
        except (TypeError, ValueError):
            return "?"
    dates = meta.get(md.DATES)
    dates_text = " \u2192 ".join(day(d) for d in dates) if isinstance(dates, list) and dates else \
        " \u2192 ".join(day(d) for d in summary.dates if d) or t["none"]
    images = meta.get(md.INPUTS)
    items = [(t["change_map"], summary.request.change_map),
             (t["images"], ", ".join(map(str, images)) if isinstance(images, list) and images else t["none"]),
             (t["dates"], dates_text), (t["model"], meta.get(md.MODEL) or t["none"]),
             (t["checkpoint"], meta.get(getattr(md, "CHECKPOINT", "PLANAURA_CHECKPOINT")) or t["none"]),
             (t["weights_sha256"], record.get("model", {}).get("weights", {}).get("sha256") or t["none"]),
             (t["plugin_version"], record.get("plugin_version") or t["none"]),
             (t["stride"], meta.get(md.PATCH_STRIDE, t["none"])),
             (t["companions"], ", ".join(f"{k}: {v}" for k, v in summary.companions.items()) or t["none"])]
    return f"<h2>{html.escape(t['inputs'])}</h2>" + _dl(items)


def _parameters_section(summary, t: Mapping[str, str]) -> str:
    r = summary.request
    thresholds = sorted(set(summary.thresholds), reverse=True)
    items = [(t["thresholds"], list_separator().join(decimal(v) for v in thresholds)),
             (t["min_area"], number(r.min_area_ha, "g")),
             (t["extent"], list_separator().join(number(v, "g") for v in r.bbox) if r.bbox else t["none"]),
             (t["mask"], r.mask or t["none"]),
             (t["simplify"], number(r.simplify, "g") if r.simplify else t["none"]), (t["output"], r.output)]
    return f"<h2>{html.escape(t['parameters'])}</h2>" + _dl(items)


def _areas_section(rows: Sequence[Mapping[str, Any]], summary, t: Mapping[str, str]) -> str:
    headers = [t["class"], t["label"], t["pixels"], t["pixel_area"], t["polygons"], t["polygon_area"],
               t["percent"], t["below_min"]]
    cells = []
    for r in rows:
        below = f"{r['below_min_polygons']} / {_fmt(r['below_min_ha'])}" if r["below_min_polygons"] != "" else ""
        cells.append([r["class"], r["label"], number(r["pixels"], ",d"), _fmt(r["pixel_area_ha"]), r["polygons"],
                      _fmt(r["polygon_area_ha"]) if r["polygon_area_ha"] != "" else "", _fmt(r["percent"]), below])
    return (f"<h2>{html.escape(t['areas'])}</h2>" + _table(headers, cells)
            + f"<p class='note'>{html.escape(area_note(summary, t))}</p>")


def area_note(summary, t: Mapping[str, str]) -> str:
    """How the areas were computed: on the ellipsoid of the map's CRS (named), or in map units without CRS."""
    if summary.area_kind == "none":
        return t["area_note_nocrs"]
    return t["area_note"].format(getattr(summary, "ellipsoid", "") or "?")


def _largest_section(summary, t: Mapping[str, str]) -> str:
    if not summary.largest:
        return ""
    from ..dates import format_date

    pers = any("persistence" in p for p in summary.largest)
    headers = ["fid", t["class"], t["polygon_area"], t["mean_cos"], t["min_cos"], t["pixels"], t["dates"],
               t["centre"]] + ([t["persistence"]] if pers else [])
    rows = []
    for p in summary.largest:
        days = [format_date(d) for d in (p.get("before_date"), p.get("after_date")) if d and d != -100]
        row = [p["fid"], p["class"], _fmt(p["area_ha"], 3), _fmt(p["mean_cos"], 3), _fmt(p["min_cos"], 3),
               number(p["pixels"], ",d"), " \u2192 ".join(days),
               list_separator().join(number(p[k], ".1f") for k in ("x", "y"))]
        rows.append(row + ([p.get("persistence", "")] if pers else []))
    return f"<h2>{html.escape(t['largest'])}</h2>" + _table(headers, rows)


def type_rows(summary, texts: Mapping[str, str]) -> List[Dict[str, Any]]:
    """One row per change type (then noise) of ``summary.type_areas``: pixels, hectares, % of the analysed area."""
    total = summary.analysed_ha or 1.0
    rows = []
    for entry in getattr(summary, "type_areas", None) or []:
        label = texts["noise"] if entry["type"] < 0 else texts["type_n"].format(entry["type"])
        rows.append({"type": entry["type"], "label": label, "pixels": entry["pixels"], "area_ha": entry["area_ha"],
                     "percent": 100.0 * entry["area_ha"] / total})
    return rows


def _types_section(rows: Sequence[Mapping[str, Any]], source: str, t: Mapping[str, str]) -> str:
    if not rows:
        return ""
    cells = [[r["type"], r["label"], number(r["pixels"], ",d"), _fmt(r["area_ha"]), _fmt(r["percent"])] for r in rows]
    return (f"<h2>{html.escape(t['types'])}</h2>"
            + _table([t["type"], t["label"], t["pixels"], t["type_area"], t["percent"]], cells)
            + f"<p class='note'>{html.escape(t['types_note'].format(source))}</p>")


STYLE = ("body{font-family:sans-serif;font-size:10pt;margin:1em;color:#222}h1{font-size:14pt}h2{font-size:12pt;"
         "margin-top:1.2em}table{border-collapse:collapse}td,th{border:1px solid #bbb;padding:2px 6px;"
         "text-align:right}th{background:#eee}td:nth-child(2){text-align:left}dt{font-weight:bold}"
         "dd{margin:0 0 4px 1.5em}.note{color:#555;font-size:9pt}")


def write_report(summary, paths: Mapping[str, str], png_name: str, texts: Optional[Mapping[str, str]] = None) -> None:
    """Write the HTML report, its CSV and its PNG histogram.

    Args:
        summary: the :class:`.polygons.PolygonSummary` of the run.
        paths: ``report`` (HTML), ``report_csv`` and ``histogram`` (PNG) paths to write (temporary names);
            ``report_types_csv`` too when the summary has change type areas.
        png_name: the histogram's final file name, referenced by the page.
        texts: translations of :data:`TEXTS` (missing keys stay English).
    """
    t = dict(TEXTS)
    t.update(texts or {})
    rows = class_rows(summary, t)
    write_csv(rows, paths["report_csv"])
    types = type_rows(summary, t)
    if types and paths.get("report_types_csv"):
        write_csv(types, paths["report_types_csv"])
    write_histogram(summary.histogram, summary.edges, summary.thresholds, paths["histogram"], t["histogram"])
    body = [f"<h1>{html.escape(t['title'])}</h1>", _areas_section(rows, summary, t),
            _types_section(types, getattr(summary, "types_source", "") or "", t), _largest_section(summary, t),
            f"<h2>{html.escape(t['histogram'])}</h2><img src='{html.escape(png_name)}' alt='histogram'>",
            _inputs_section(summary, t), _parameters_section(summary, t), _provenance_block(summary)]
    page = (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{html.escape(t['title'])}</title>"
            f"<style>{STYLE}</style></head><body>{''.join(body)}</body></html>")
    with open(paths["report"], "w", encoding="utf-8") as handle:
        handle.write(page)
