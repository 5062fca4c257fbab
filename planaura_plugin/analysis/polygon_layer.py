"""The output vector layer of a change-polygons run: one feature per patch with its area and statistics."""
from __future__ import annotations

import heapq
import os
from typing import Any, Dict, List, Optional, Tuple

from ..errors import OutputError
from ..feedback import Feedback
from ..gdal_calls import gdal_call, gdal_status, spatial_reference
from ..i18n import _
from .areas import SQUARE_METRES_PER_HECTARE
from ..products import DATE_NODATA
from .polygon_request import VECTOR_DRIVERS, MapSource, PolygonRequest, PolygonSummary, ZonalStats

# ------------------------------------------------------------------------------------------
# the output layer

def vector_driver(path: str) -> str:
    ext = os.path.splitext(path)[1].lower()
    if ext not in VECTOR_DRIVERS:
        raise OutputError(_("the output {path} has the extension '{ext}'; change polygons are written as "
                            "{vector_drivers} (GeoPackage .gpkg by default)").format(
                              path=path, ext=ext, vector_drivers=', '.join(sorted(VECTOR_DRIVERS))))
    return VECTOR_DRIVERS[ext]


def _create_layer(path: str, driver: str, src: MapSource, name: str, persistence: bool):
    """The output dataset and its layer with the fields of the change polygons."""
    from osgeo import ogr

    drv = ogr.GetDriverByName(driver)
    if drv is None:
        raise OutputError(_("GDAL has no {driver} driver to write {path}; choose a .gpkg output").format(
                              driver=driver, path=path))
    vds, _reason = gdal_call(drv.CreateDataSource, path)
    srs = spatial_reference(src.projection, gis_order=False)[0] if src.projection else None
    layer, _reason = gdal_call(vds.CreateLayer, name, srs, ogr.wkbPolygon) if vds is not None else (None, "")
    if layer is None:
        raise OutputError(_("cannot create {path} with GDAL's {driver} driver; check the folder and the name").format(
                              path=path, driver=driver))
    fields = [("class", ogr.OFTInteger), ("area_ha", ogr.OFTReal), ("mean_cos", ogr.OFTReal),
              ("min_cos", ogr.OFTReal), ("pixels", ogr.OFTInteger64), ("before_date", ogr.OFTDate),
              ("after_date", ogr.OFTDate)]
    if persistence:
        fields.append(("persistence", ogr.OFTInteger))
    for fname, ftype in fields:
        layer.CreateField(ogr.FieldDefn(fname, ftype))
    return vds, layer


def _set_date(feature, name: str, value: Optional[int]) -> None:
    from ..dates import yyyyddd_to_date

    if value is None or int(value) == DATE_NODATA:
        return
    try:
        day = yyyyddd_to_date(int(value))
    except ValueError:
        return
    feature.SetField(name, day.year, day.month, day.day, 0, 0, 0, 0)


def _dates_of(stats: ZonalStats, pid: int, fallback: Tuple[Optional[int], Optional[int]]) -> Tuple:
    out = []
    for k, kind in enumerate(("before_date", "after_date")):
        values = stats.dates.get(kind)
        out.append(int(values[pid]) if values is not None else fallback[k])
    return tuple(out)


def _record(summary: PolygonSummary, heap: List, cls: int, area_ha: float, kept: bool, row: Dict[str, Any],
            largest: int) -> None:
    """Add one polygon to the per-class totals and to the heap of the largest."""
    if not kept:
        summary.filtered[cls] = summary.filtered.get(cls, 0) + 1
        summary.filtered_ha[cls] = summary.filtered_ha.get(cls, 0.0) + area_ha
        return
    summary.polygons[cls] = summary.polygons.get(cls, 0) + 1
    summary.polygon_ha[cls] = summary.polygon_ha.get(cls, 0.0) + area_ha
    item = (area_ha, -row["fid"], row)
    if len(heap) < largest:
        heapq.heappush(heap, item)
    elif item[:2] > heap[0][:2]:
        heapq.heapreplace(heap, item)


def write_polygons(raw_path: str, stats: ZonalStats, src: MapSource, request: PolygonRequest, path: str,
                   summary: PolygonSummary, fb: Feedback) -> None:
    """Write the change polygons with their fields into ``path``; fill the summary's polygon totals.

    Args:
        raw_path: the GeoPackage of :func:`polygonize`.
        stats: the zonal statistics per polygon id (their areas, the sums of their pixels' true areas).
        src: the analysed window.
        request: the minimum area, simplification, layer name.
        path: the (temporary) output file.
        summary: receives polygons / areas per class, the filtered ones and the largest.
        fb: progress (85-95 %) and cancel.
    """
    from osgeo import ogr

    raw_ds = ogr.Open(raw_path)
    raw = raw_ds.GetLayer(0)
    n = max(raw.GetFeatureCount(), 1)
    vds, layer = _create_layer(path, vector_driver(request.output), src, request.layer_name,
                               stats.persistence is not None)
    defn = layer.GetLayerDefn()
    heap: List = []
    vds.StartTransaction()
    for i, feat in enumerate(raw):
        if i % 5000 == 0:
            fb.check_cancelled()
            fb.progress(0.85 + 0.1 * i / n, _("writing the polygons"))
        pid, cls, geom = feat.GetField("pid"), feat.GetField("class"), feat.GetGeometryRef()
        area_ha = float(stats.area_m2[pid]) / SQUARE_METRES_PER_HECTARE
        kept = area_ha >= request.min_area_ha and stats.pixels[pid] > 0
        row: Dict[str, Any] = {"fid": -1, "class": cls, "area_ha": area_ha}
        if kept:
            out = ogr.Feature(defn)
            if request.simplify > 0:
                simple = geom.SimplifyPreserveTopology(float(request.simplify))
                geom = simple if simple is not None and not simple.IsEmpty() else geom
            out.SetGeometry(geom)
            row.update(mean_cos=float(stats.cos_sum[pid] / stats.pixels[pid]), min_cos=float(stats.cos_min[pid]),
                       pixels=int(stats.pixels[pid]))
            for key in ("class", "area_ha", "mean_cos", "min_cos", "pixels"):
                out.SetField(key, row[key])
            dates = _dates_of(stats, pid, summary.dates)
            for name, value in zip(("before_date", "after_date"), dates):
                _set_date(out, name, value)
            row["before_date"], row["after_date"] = dates
            if stats.persistence is not None:
                row["persistence"] = int(stats.persistence[pid])
                out.SetField("persistence", row["persistence"])
            centre = geom.Centroid()
            row["x"], row["y"] = centre.GetX(), centre.GetY()
            reason = gdal_status(layer.CreateFeature, out)
            if reason:
                raise OutputError(_("GDAL could not write a polygon into {output}: {last_error}").format(
                                      output=request.output, last_error=reason))
            row["fid"] = out.GetFID()
        _record(summary, heap, cls, area_ha, kept, row, request.largest)
    _commit_and_close(vds, path)
    del vds, layer, defn
    summary.largest = [item[2] for item in sorted(heap, key=lambda it: (-it[0], -it[1]))]


def _commit_and_close(vds, path: str) -> None:
    """Commit the features and close the layer's file; a failed commit or close (disk full)
    raises :class:`OutputError` naming the file (it is then never committed)."""
    from ..raster.write_checks import GdalWriteCheck, close_dataset

    class _Holder:
        ds = vds

    check = GdalWriteCheck(path)
    result = check.run(vds.CommitTransaction)
    if result not in (None, 0):
        check.failure = _last_error()
        check.check()
    del vds  # the holder keeps the only reference of this function: closed in close_dataset
    close_dataset(check, _Holder)


def _last_error() -> str:
    from osgeo import gdal

    return gdal.GetLastErrorMsg() or _("no reason given")
