"""The report of a series: changed area per date, a timeline, and chosen points' cosine through time.

One self-contained HTML page (its plots are inline SVG, written here, so the page needs no other
file and no plotting library) and a CSV of the areas beside it (``<report>.csv``). Areas are true
areas on the ellipsoid of the images' CRS (:class:`~..analysis.areas.AreaMeter`), summed per date of
change from the date-of-change raster read in windows of rows. A point is given as (name, x, y) in
a CRS (None = the images'); its cosine per pair is read from the pairs' change maps at its pixel,
and a pair that does not observe it there (cloud, shadow, snow, no information, no data) is left
empty.
"""
from __future__ import annotations

import csv
import html
import os
from typing import Any, Dict, List, Optional, Sequence, Tuple

import numpy as np

from ..dates import format_date
from ..errors import InputError
from ..i18n import _
from ..products import DATE_NODATA
from .date_of_change import PairMaps, observed

BLOCK_ROWS = 256
SQUARE_METRES_PER_HECTARE = 10_000.0
STYLE = ("body{font-family:sans-serif;font-size:10pt;margin:1em;color:#222}h1{font-size:14pt}h2{font-size:12pt;"
         "margin-top:1.2em}table{border-collapse:collapse}td,th{border:1px solid #bbb;padding:2px 6px;"
         "text-align:right}th{background:#eee}.note{color:#555;font-size:9pt}")
COLOURS = ("#d7301f", "#2b8cbe", "#31a354", "#756bb1", "#e6550d", "#636363")


def areas_per_date(date_raster: str, dates: Sequence[int]) -> Tuple[Dict[int, float], str]:
    """Changed area (ha, on the ellipsoid) per date of change, and how areas were measured.

    Args:
        date_raster: the date-of-change raster (int32 YYYYDDD, nodata :data:`DATE_NODATA`).
        dates: the dates to report (the pairs' after dates); others count under none.

    Returns:
        ({date: hectares} for every date of ``dates``, the area method in words).
    """
    from ..analysis.areas import AreaMeter
    from ..inputs.bands import open_raster

    ds = open_raster(date_raster)
    width, height = ds.RasterXSize, ds.RasterYSize
    meter = AreaMeter(ds.GetProjection(), ds.GetGeoTransform(), (width, height), date_raster)
    lookup = np.asarray(sorted(dates), dtype=np.int64)
    totals = np.zeros(len(lookup), dtype=np.float64)
    for row in range(0, height, BLOCK_ROWS):
        rows = min(BLOCK_ROWS, height - row)
        values = ds.GetRasterBand(1).ReadAsArray(0, row, width, rows).astype(np.int64)
        index = np.searchsorted(lookup, values)
        hit = (values != DATE_NODATA) & (index < len(lookup))
        hit &= lookup[np.minimum(index, len(lookup) - 1)] == values
        totals += np.bincount(index[hit], weights=meter.strip_m2(row, rows)[hit], minlength=len(lookup))
    return {int(d): float(a) / SQUARE_METRES_PER_HECTARE for d, a in zip(lookup, totals)}, meter.describe()


def point_cosines(maps: Sequence[PairMaps], points: Sequence[Tuple[str, float, float]],
                  crs: Optional[str] = None) -> Dict[str, List[Optional[float]]]:
    """Each point's cosine per pair (None where the pair does not observe it or it is off the grid).

    Args:
        maps: the pairs' maps, in date order.
        points: (name, x, y), coordinates in ``crs``.
        crs: the points' CRS (anything GDAL's SetFromUserInput takes); None = the maps' CRS.

    Raises:
        InputError: the points' CRS is not understood or cannot be carried to the maps'.
    """
    from ..inputs.bands import open_raster

    first = open_raster(maps[0].cosine_map)
    pixels = point_pixels(points, crs, first.GetProjection(), first.GetGeoTransform())
    width, height = first.RasterXSize, first.RasterYSize
    out: Dict[str, List[Optional[float]]] = {name: [] for name, _x, _y in points}
    for pair in maps:
        cos_ds, q_ds = open_raster(pair.cosine_map), open_raster(pair.quality_fmask)
        for (name, _x, _y), (col, row) in zip(points, pixels):
            if not (0 <= col < width and 0 <= row < height):
                out[name].append(None)
                continue
            c = cos_ds.GetRasterBand(1).ReadAsArray(col, row, 1, 1)
            q = q_ds.GetRasterBand(1).ReadAsArray(col, row, 1, 1)
            out[name].append(float(c[0, 0]) if bool(observed(c, q)[0, 0]) else None)
    return out


def points_outside(points: Sequence[Tuple[str, float, float]], crs: Optional[str], image: str, info: Any) -> List[str]:
    """Warnings for the points that fall outside the series' first image, one a point.

    Args:
        points: (name, x, y) in ``crs`` (None = the image's CRS).
        image: the first image's name, for the message.
        info: its description (``width``, ``height``, ``geotransform``, ``projection``), as
            ``inputs.sources.describe_input`` gives it.

    Raises:
        InputError: the points' CRS is not understood or cannot be carried to the image's.
    """
    pixels = point_pixels(points, crs, info.projection, info.geotransform)
    return [_("the point {name} ({x}, {y}) is outside {path} ({width} x {height} px): its cosines in the report "
              "will be empty; check the points layer and its CRS").format(
                  name=repr(name), x=x, y=y, path=image, width=info.width, height=info.height)
            for (name, x, y), (col, row) in zip(points, pixels)
            if not (0 <= col < info.width and 0 <= row < info.height)]


def point_pixels(points: Sequence[Tuple[str, float, float]], crs: Optional[str], wkt: str,
                 gt: Sequence[float]) -> List[Tuple[int, int]]:
    """(col, row) of each point (name, x, y in ``crs``; None = ``wkt``) on the grid ``gt`` of CRS ``wkt``.

    Raises:
        InputError: the points' CRS is not understood or cannot be carried to ``wkt``.
    """
    from osgeo import osr

    from ..gdal_calls import gdal_call, spatial_reference
    from ..raster.grids import map_to_pixel

    transform = None
    if crs and wkt:
        source, _reason = spatial_reference(str(crs), user_input=True)
        target, _reason2 = spatial_reference(wkt, user_input=True)
        if source is None or target is None:
            raise InputError(_("the points' CRS {crs} is not understood").format(crs=repr(crs)))
        transform, _reason3 = gdal_call(osr.CoordinateTransformation, source, target)
        if transform is None:
            raise InputError(_("the points' CRS {crs} cannot be transformed to the images' CRS").format(crs=repr(crs)))
    out = []
    for _name, x, y in points:
        if transform is not None:
            x, y = transform.TransformPoint(float(x), float(y))[:2]
        col, row = map_to_pixel(gt, float(x), float(y))
        out.append((int(np.floor(col)), int(np.floor(row))))
    return out


def timeline_svg(labels: Sequence[str], series: Sequence[Tuple[str, Sequence[Optional[float]]]],
                 bars: bool, unit: str, width: int = 640, height: int = 220) -> str:
    """An inline SVG chart: bars (one series) or lines (several) over the dates ``labels``.

    Args:
        labels: x-axis labels (dates), one per value.
        series: (name, values) pairs; None values are gaps.
        bars: bars for the first series instead of lines.
        unit: the y-axis label.
    """
    left, bottom, top = 56, 40, 12
    plot_w, plot_h = width - left - 12, height - bottom - top
    values = [v for _n, vals in series for v in vals if v is not None]
    lo = min([0.0] + values)
    hi = max([1.0 if not bars else 0.0] + values) or 1.0
    n = max(1, len(labels))
    step = plot_w / n

    def x(i: int) -> float:
        return left + step * (i + 0.5)

    def y(v: float) -> float:
        return top + plot_h * (1.0 - (v - lo) / ((hi - lo) or 1.0))

    parts = [f"<svg xmlns='http://www.w3.org/2000/svg' width='{width}' height='{height}' role='img'>",
             f"<line x1='{left}' y1='{top + plot_h}' x2='{left + plot_w}' y2='{top + plot_h}' stroke='#444'/>",
             f"<line x1='{left}' y1='{top}' x2='{left}' y2='{top + plot_h}' stroke='#444'/>",
             f"<text x='4' y='{top + 10}' font-size='10'>{html.escape(unit)}</text>",
             f"<text x='{left - 4}' y='{top + 4}' font-size='9' text-anchor='end'>{hi:.3g}</text>",
             f"<text x='{left - 4}' y='{top + plot_h}' font-size='9' text-anchor='end'>{lo:.3g}</text>"]
    for i, label in enumerate(labels):
        parts.append(f"<text x='{x(i):.1f}' y='{top + plot_h + 14}' font-size='9' text-anchor='middle'>"
                     f"{html.escape(label)}</text>")
    for k, (name, vals) in enumerate(series):
        colour = COLOURS[k % len(COLOURS)]
        if bars:
            for i, v in enumerate(vals):
                if v:
                    parts.append(f"<rect x='{x(i) - step * 0.35:.1f}' y='{y(v):.1f}' width='{step * 0.7:.1f}' "
                                 f"height='{y(lo) - y(v):.1f}' fill='{colour}'><title>{v:.2f}</title></rect>")
            continue
        points = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(vals) if v is not None)
        parts.append(f"<polyline points='{points}' fill='none' stroke='{colour}' stroke-width='2'/>")
        parts.append(f"<text x='{left + 6}' y='{top + 12 + 12 * k}' font-size='10' fill='{colour}'>"
                     f"{html.escape(name)}</text>")
    return "".join(parts) + "</svg>"


def _table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    head = "".join(f"<th>{html.escape(str(h))}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in r) + "</tr>" for r in rows)
    return f"<table><tr>{head}</tr>{body}</table>"


def write_series_report(path: str, maps: Sequence[PairMaps], written: Dict[str, str], request: Any, rule: Any,
                        images: Sequence[Any]) -> str:
    """Write the HTML report (and ``<report>.csv`` of the areas); returns the HTML's path.

    Args:
        path: the HTML file.
        maps: the pairs' maps, in date order.
        written: the series' rasters (``date_of_change`` is needed for the areas).
        request: the :class:`~.run.SeriesRequest` (points, pairing).
        rule: the :class:`~.date_of_change.MergeRule` used.
        images: the series' images, in date order.
    """
    title = html.escape(_("Change over time"))
    summary = _("{n} images from {first} to {last}, {pairs} pairs ({pairing}); change where the cosine is below "
                "{threshold}; rule: {rule}, persistence {k}").format(
        n=len(images), first=format_date(images[0].date), last=format_date(images[-1].date), pairs=len(maps),
        pairing=request.pairing, threshold=rule.threshold, rule=rule.rule, k=rule.persistence)
    body = [f"<h1>{title}</h1>", f"<p>{html.escape(summary)}</p>"]
    if "date_of_change" in written:
        body.append(_areas_html(written["date_of_change"], maps, os.path.splitext(path)[0] + ".csv"))
    if request.points:
        body.append(_points_html(maps, request.points, request.points_crs))
    page = (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{title}</title><style>{STYLE}</style>"
            f"</head><body>{''.join(body)}</body></html>")
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    tmp = f"{path}.tmp{os.getpid()}"
    with open(tmp, "w", encoding="utf-8") as handle:
        handle.write(page)
    os.replace(tmp, path)
    return path


def _areas_html(date_raster: str, maps: Sequence[PairMaps], csv_path: str) -> str:
    dates = [m.after_date for m in maps]
    areas, method = areas_per_date(date_raster, dates)
    rows: List[Tuple[str, str, str]] = [(format_date(d), str(d), f"{areas[d]:.2f}") for d in dates]
    _write_csv(csv_path, [("date", "yyyyddd", "changed_area_ha")] + rows)
    heading = _("Changed area per date of change")
    return (f"<h2>{html.escape(heading)}</h2>"
            + timeline_svg([r[0] for r in rows], [("ha", [areas[d] for d in dates])], True, _("hectares"))
            + _table([_("date"), "YYYYDDD", _("changed area (ha)")], rows)
            + f"<p class='note'>{html.escape(method)}</p>")


def _points_html(maps: Sequence[PairMaps], points: Sequence[Tuple[str, float, float]], crs: Optional[str]) -> str:
    labels = [format_date(m.after_date) for m in maps]
    cosines = point_cosines(maps, points, crs)
    note = _("empty: the pair does not observe the point (cloud, shadow, snow, no information or no data)")
    rows = [[name] + ["" if v is None else f"{v:.3f}" for v in vals] for name, vals in cosines.items()]
    heading = _("Cosine through time at the points")
    return (f"<h2>{html.escape(heading)}</h2>"
            + timeline_svg(labels, list(cosines.items()), False, _("cosine"))
            + _table([_("point")] + labels, rows) + f"<p class='note'>{html.escape(note)}</p>")


def _write_csv(path: str, rows: Sequence[Sequence[Any]]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
