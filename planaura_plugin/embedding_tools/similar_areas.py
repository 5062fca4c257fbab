"""Polygons of the pixels of a similarity map at or above a threshold, with their true areas.

The change-polygons machinery (:mod:`..analysis.polygon_rasters`, :mod:`..analysis.polygon_layer`)
does the work: the map is thresholded strip by strip into a temporary byte raster (1 = similar),
GDAL's polygonize makes one polygon per 4-connected patch, and each polygon's area is the sum of
its pixels' true areas on the ellipsoid of the map's CRS. The fields are those of the change
polygons: ``class`` (1), ``area_ha``, ``mean_cos`` and ``min_cos`` (the mean and lowest similarity
of the patch), ``pixels``; the date fields stay empty.
"""
from __future__ import annotations

import os
import tempfile
from typing import Optional, Tuple

import numpy as np

from ..errors import InputError, OutputError
from ..feedback import Feedback, ensure_feedback
from ..gdal_calls import gdal_call
from ..i18n import _

SIMILAR = 1


def _source(path: str):
    """The similarity map as the polygon machinery's :class:`MapSource` (whole raster)."""
    from osgeo import gdal

    from ..analysis.polygon_request import MapSource

    ds, _reason = gdal_call(gdal.Open, str(path))
    if ds is None or ds.RasterCount != 1:
        raise InputError(_("{path} is not a one-band similarity map; give the output of Similarity search").format(
                             path=path))
    nodata = ds.GetRasterBand(1).GetNoDataValue()
    gt = tuple(ds.GetGeoTransform())
    return MapSource(path=str(path), width=ds.RasterXSize, height=ds.RasterYSize, xoff=0, yoff=0,
                     full_size=(ds.RasterXSize, ds.RasterYSize), full_geotransform=gt, geotransform=gt,
                     projection=ds.GetProjection() or "", nodata=-100.0 if nodata is None else float(nodata),
                     metadata={})


def _threshold_raster(src, threshold: float, path: str, block_rows: int, fb: Feedback) -> int:
    """Write 1 where the map is valid and at or above ``threshold``, 0 (nodata) elsewhere; count those pixels."""
    from osgeo import gdal

    ds = gdal.Open(src.path)
    out, reason = gdal_call(gdal.GetDriverByName("GTiff").Create, path, src.width, src.height, 1, gdal.GDT_Byte,
                            ["TILED=YES", "COMPRESS=LZW"])
    if out is None:
        raise OutputError(_("cannot create the temporary raster {path}: {get_last_error_msg}").format(
                              path=path, get_last_error_msg=reason))
    out.SetGeoTransform(src.geotransform)
    if src.projection:
        out.SetProjection(src.projection)
    out.GetRasterBand(1).SetNoDataValue(0)
    count = 0
    for y in range(0, src.height, block_rows):
        fb.check_cancelled()
        rows = min(block_rows, src.height - y)
        values = ds.GetRasterBand(1).ReadAsArray(0, y, src.width, rows).astype(np.float64)
        similar = np.isfinite(values) & (values != src.nodata) & (values >= threshold)
        count += int(similar.sum())
        out.GetRasterBand(1).WriteArray(similar.astype(np.uint8) * SIMILAR, 0, y)
    out.FlushCache()
    return count


def similar_areas(similarity: str, threshold: float, output: str, min_area_ha: float = 0.0,
                  block_rows: int = 256, feedback: Optional[Feedback] = None) -> Tuple[str, int, float]:
    """Polygons of the pixels of ``similarity`` at or above ``threshold`` (module docstring).

    Args:
        similarity: the similarity map (one band, nodata as its file says, else -100).
        threshold: the lowest similarity kept.
        output: the vector file (.gpkg, .geojson, .fgb ...).
        min_area_ha: polygons smaller than this (hectares) are left out.
        block_rows: rows per strip.
        feedback: progress and cancel.

    Returns:
        (``output``, polygons written, their total area in hectares).

    Raises:
        InputError: the map is not a one-band raster.
        OutputError: the output cannot be written (nothing is left half-written).
    """
    from ..analysis.areas import AreaMeter
    from ..analysis.polygon_layer import vector_driver, write_polygons
    from ..analysis.polygon_rasters import polygonize, rasterize_ids, zonal_stats
    from ..analysis.polygon_request import PolygonRequest, PolygonSummary
    from ..raster.geotiff import OutputSet, check_not_inputs, check_writable

    fb = ensure_feedback(feedback)
    src = _source(similarity)
    vector_driver(output)
    check_not_inputs([output], [similarity])
    check_writable(output)
    meter = AreaMeter(src.projection, src.geotransform, (src.width, src.height), src.path)
    request = PolygonRequest(change_map=similarity, output=output, thresholds=(threshold,), min_area_ha=min_area_ha,
                             find_companions=False, layer_name="similar_areas", block_rows=block_rows)
    with tempfile.TemporaryDirectory(prefix="planaura-similar-") as tmp, OutputSet() as outset:
        pixels = _threshold_raster(src, threshold, os.path.join(tmp, "similar.tif"), block_rows, fb)
        raw, n = polygonize(os.path.join(tmp, "similar.tif"), src, tmp, fb)
        stats = zonal_stats(rasterize_ids(raw, src, os.path.join(tmp, "ids.tif"), fb), src, n, {}, meter,
                            block_rows, fb)
        summary = PolygonSummary(request=request, thresholds=(threshold,), area_kind=meter.kind,
                                 pixel_size=(abs(src.geotransform[1]), abs(src.geotransform[5])),
                                 analysed_pixels=pixels, analysed_ha=0.0, class_pixels={}, class_pixel_ha={})
        write_polygons(raw, stats, src, request, outset.temp_name(os.path.abspath(output)), summary, fb)
        fb.check_cancelled()
        outset.commit()
    fb.info(_("{count} similar area(s), {area:.2f} ha, written to {path}").format(
                count=summary.total_polygons, area=summary.total_change_ha, path=output))
    return output, summary.total_polygons, summary.total_change_ha
