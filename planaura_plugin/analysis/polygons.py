"""Change polygons: the connected patches of one change class of a change map, with their areas.

The change map (a cosine map of one pair or a persistence mosaic) is read in strips of rows,
never whole:

1. every strip is classed with :func:`pipeline.change.change_classes` (the one home of
   the class rule) into a temporary uint8 raster that keeps classes 2-4 (1 "no change" and
   nodata become 0); the analysed area, the area of every class and a histogram of the
   cosines are counted on the way;
2. GDAL's polygonize turns that raster into polygons, one per 4-connected patch of one class
   (pixels that only touch at a corner are two patches); holes are kept;
3. the polygons are burnt back (pixel centres) into an int32 raster of polygon ids, so the
   zonal statistics (pixels, mean and minimum cosine, persistence, dates) are gathered strip
   by strip from the id raster and the change map;
4. every area is a true area on the ellipsoid of the map's CRS, whatever its projection
   (:mod:`.areas`): pixels are measured from their corners, and a polygon, the union of its
   pixels, has the sum of their areas; polygons below the minimum area are dropped; the
   optional simplification (OGR's SimplifyPreserveTopology, its tolerance checked against the
   pixel size in the CRS's unit by :func:`.simplify_check.check_simplify`) keeps every polygon valid.

Outputs are written under temporary names and renamed together (no half-written file).

Modules: :mod:`.polygon_request` (request and results), :mod:`.polygon_inputs` (change map, thresholds,
companions), :mod:`.polygon_rasters` (temporary rasters, zonal statistics), :mod:`.polygon_layer` (output layer).
"""
from __future__ import annotations

import json
import os
import tempfile
from typing import Dict, Optional, Tuple

from ..errors import InputError, OutputError
from ..feedback import Feedback, ensure_feedback
from ..i18n import _
from .areas import SQUARE_METRES_PER_HECTARE, AreaMeter
from .polygon_inputs import class_thresholds, companion_layers, find_companions, open_change_map, pair_dates
from .polygon_layer import vector_driver, write_polygons
from .polygon_rasters import polygonize, rasterize_ids, rasterize_mask, write_classes, zonal_stats
from .polygon_request import (CHANGE_CLASSES, COMPANION_KINDS, ClassCounts, MapSource, PolygonRequest, PolygonSummary,
                              ZonalStats)
from .simplify_check import check_simplify
from .type_areas import type_areas, types_csv_path, types_layer

# ------------------------------------------------------------------------------------------
# the job

def report_paths(report: str) -> Dict[str, str]:
    """The report's files: the HTML, a CSV and a PNG histogram beside it (same name)."""
    root = os.path.splitext(report)[0]
    return {"report": report, "report_csv": root + ".csv", "histogram": root + "_histogram.png"}


def _check_outputs(request: PolygonRequest, layers: Dict[str, str], types: Optional[str] = None) -> Dict[str, str]:
    """kind -> final path of every file the run writes, checked before any work."""
    from ..raster.geotiff import check_not_inputs, check_writable

    vector_driver(request.output)
    outputs = {"polygons": os.path.abspath(request.output)}
    if request.report:
        if os.path.splitext(request.report)[1].lower() not in (".html", ".htm"):
            raise OutputError(_("the report {report} must be an .html file (a .csv is written beside it)").format(
                                  report=request.report))
        outputs.update({k: os.path.abspath(v) for k, v in report_paths(request.report).items()})
        if types:
            outputs["report_types_csv"] = os.path.abspath(types_csv_path(request.report))
    inputs = [request.change_map, request.mask, types] + list(layers.values())
    check_not_inputs(outputs.values(), [p for p in inputs if p])
    for path in outputs.values():
        check_writable(path)
    return outputs


def _summary(request: PolygonRequest, src: MapSource, thresholds: Tuple[float, ...], counts: ClassCounts,
             meter: AreaMeter, layers: Dict[str, str]) -> PolygonSummary:
    gt = src.geotransform
    to_ha = 1.0 / SQUARE_METRES_PER_HECTARE
    return PolygonSummary(
        request=request, thresholds=thresholds, area_kind=meter.kind, ellipsoid=meter.ellipsoid,
        pixel_size=(abs(gt[1]), abs(gt[5])),
        analysed_pixels=int(counts.pixels[1:].sum()), analysed_ha=float(counts.area_m2[1:].sum() * to_ha),
        class_pixels={c: int(counts.pixels[c]) for c in range(1, 5)},
        class_pixel_ha={c: float(counts.area_m2[c] * to_ha) for c in range(1, 5)},
        histogram=[int(v) for v in counts.histogram], edges=[float(v) for v in counts.edges],
        metadata=dict(src.metadata), companions=dict(layers), dates=pair_dates(src.metadata))


def run_change_polygons(request: PolygonRequest, feedback: Optional[Feedback] = None) -> Dict[str, str]:
    """Change polygons of a change map, and the area report when asked (see :func:`change_polygons`).

    Returns:
        ``{kind: path}`` written: ``polygons`` and, with a report, ``report``, ``report_csv``, ``histogram``
        (and ``report_types_csv`` with change types).
    """
    return change_polygons(request, feedback)[0]


def change_polygons(request: PolygonRequest,
                    feedback: Optional[Feedback] = None) -> Tuple[Dict[str, str], PolygonSummary]:
    """Change polygons of a change map, and the area report when asked.

    Args:
        request: the :class:`PolygonRequest`.
        feedback: progress and cancel.

    Returns:
        (``{kind: path}`` written, the :class:`PolygonSummary` the report shows).

    Raises:
        InputError: a bad change map, thresholds, extent, mask or companion layer.
        OutputError: an output cannot be written.
        Cancelled: cancelled (nothing is left behind).
    """
    from ..raster.geotiff import OutputSet

    fb = ensure_feedback(feedback)
    thresholds = class_thresholds(request.thresholds)
    if request.min_area_ha < 0 or request.simplify < 0:
        raise InputError(_("the minimum area ({min_area_ha} ha) and the simplification tolerance ({simplify}) cannot be"
                           " negative").format(min_area_ha=request.min_area_ha, simplify=request.simplify))
    src = open_change_map(request.change_map, request.bbox)
    layers = companion_layers(request, src)
    types = types_layer(request, src)
    outputs = _check_outputs(request, layers, types)
    for kind, path in layers.items():
        fb.info(f"{kind}: {path}")
    meter = AreaMeter(src.projection, src.geotransform, (src.width, src.height), src.path)
    check_simplify(request.simplify, src.projection, meter, src.path, fb)
    if meter.kind == "none":
        fb.warning(_("{path} has no CRS (or one without an ellipsoid): its areas are square map units divided by "
                     "10,000 (the area_ha field, the minimum area and the report), not hectares; save the change "
                     "map with its CRS for true areas").format(path=src.path))
    with tempfile.TemporaryDirectory(prefix="planaura-polygons-") as tmp, OutputSet() as outset:
        mask = rasterize_mask(request.mask, src, os.path.join(tmp, "mask.tif")) if request.mask else None
        counts = write_classes(src, thresholds, os.path.join(tmp, "classes.tif"), meter, mask,
                               request.block_rows, fb)
        summary = _summary(request, src, thresholds, counts, meter, layers)
        if types:
            summary.type_areas, summary.types_source = type_areas(types, src, meter, mask, request.block_rows), types
        raw, n = polygonize(os.path.join(tmp, "classes.tif"), src, tmp, fb)
        stats = zonal_stats(rasterize_ids(raw, src, os.path.join(tmp, "ids.tif"), fb), src, n, layers, meter,
                            request.block_rows, fb)
        write_polygons(raw, stats, src, request, outset.temp_name(outputs["polygons"]), summary, fb)
        if request.report:
            from .report import write_report

            kinds = ("report", "report_csv", "histogram", "report_types_csv")
            temps: Dict[str, str] = {k: outset.temp_name(outputs[k]) for k in kinds if k in outputs}
            write_report(summary, temps, os.path.basename(outputs["histogram"]), request.texts)
        fb.check_cancelled()
        outset.commit()
    kept = sum(summary.polygons.values())
    message = _("{kept} change polygon(s) written to {path}").format(kept=kept, path=outputs["polygons"])
    if summary.filtered:
        message += _("; {n} below {min_area:g} ha left out").format(n=sum(summary.filtered.values()),
                                                                    min_area=request.min_area_ha)
    fb.info(message)
    fb.progress(1.0, _("done"))
    return outputs, summary


def summary_json(summary: PolygonSummary) -> str:
    """The summary as JSON (areas per class, largest patches), for tests and other tools."""
    data = {k: getattr(summary, k) for k in ("thresholds", "area_kind", "ellipsoid", "analysed_pixels", "analysed_ha",
                                              "class_pixels", "class_pixel_ha", "polygons", "polygon_ha",
                                              "filtered", "filtered_ha", "largest")}
    return json.dumps(data, default=str)


__all__ = ["CHANGE_CLASSES", "COMPANION_KINDS", "ClassCounts", "MapSource", "PolygonRequest", "PolygonSummary",
           "ZonalStats", "change_polygons", "class_thresholds", "find_companions", "open_change_map", "pair_dates",
           "report_paths", "run_change_polygons", "summary_json"]
