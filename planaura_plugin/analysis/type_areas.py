"""Area per change type of a change map's analysed area (for the area report of the change polygons).

The change types raster (``planaura:changetypes``, or upstream's ``change_map.cluster`` output
``change_types!<a>!<b>.tif`` beside ``cosine_map!<a>!<b>.tif``) holds per pixel a type id (0, 1, ...),
-1 for changed pixels of no type (noise) and nodata (-100) elsewhere; it is on the change map's grid.
Pixels are counted in the analysed window (extent) and mask, strip by strip, and their true areas
on the ellipsoid summed with the change polygons' :class:`.areas.AreaMeter`, whatever the CRS.
"""
from __future__ import annotations

import os
from typing import Any, Dict, List, Optional

import numpy as np

from ..errors import InputError
from ..i18n import _
from ..products import beside_path
from .areas import SQUARE_METRES_PER_HECTARE, AreaMeter
from .change_types import TYPE_NODATA, TYPES


def find_change_types(change_map: str) -> Optional[str]:
    """The change types raster beside a change map with upstream's names, if it exists.

    Args:
        change_map: ``.../cosine_map!<a>!<b>.tif``.

    Returns:
        ``.../change_types!<a>!<b>.tif`` when that file exists, else None.
    """
    candidate = beside_path(change_map, "cosine_map", TYPES.key)
    return candidate if candidate and os.path.isfile(candidate) else None


def types_layer(request, src) -> Optional[str]:
    """The change types raster of a change polygons run: the request's, else upstream's beside the map.

    Args:
        request: the :class:`.polygons.PolygonRequest` (``change_types``, ``find_companions``).
        src: the change map's analysed window.

    Returns:
        The raster's path (checked to be on the map's grid), or None.

    Raises:
        InputError: the raster cannot be opened, says it is another kind of layer (PLANAURA_KIND)
            or is on another grid.
    """
    path = getattr(request, "change_types", None) or (find_change_types(src.path) if request.find_companions
                                                      else None)
    if path:
        _open_on_grid(path, src)
    return path


def types_csv_path(report: str) -> str:
    """The per-type CSV beside an HTML report: ``<report without .html>_types.csv``."""
    return os.path.splitext(report)[0] + "_types.csv"


def _open_on_grid(path: str, src):
    """The types dataset, refused unless it is on the change map's full grid."""
    from osgeo import gdal

    from ..pipeline.metadata import KIND, read_metadata

    from ..gdal_calls import gdal_call

    ds, _reason = gdal_call(gdal.Open, str(path))
    if ds is None:
        raise InputError(_("the change types raster {path} cannot be opened by GDAL").format(path=path))
    kind = read_metadata(str(path)).get(KIND)
    if kind and kind != TYPES.key:
        raise InputError(_("{path} is a {kind} layer (its PLANAURA_KIND metadata), not change types; give the "
                           "output of Change types (or of change_map.cluster) computed with this change map").format(
                               path=path, kind=kind))
    gt = tuple(ds.GetGeoTransform())
    same = (ds.RasterXSize, ds.RasterYSize) == tuple(src.full_size) and np.allclose(
        gt, src.full_geotransform, rtol=0, atol=1e-6 * abs(gt[1]))
    if not same or ds.RasterCount != 1:
        raise InputError(_("the change types raster {path} ({raster_xsize} x {raster_ysize} px, {raster_count} band(s),"
                           " origin {gt}, {gt_2}) is not a one-band raster on the grid of the change map {path_2} "
                           "({full_size} x {full_size_2} px, origin {full_geotransform}, {full_geotransform_2}); give "
                           "the change types computed with this change map (same images, stride and upsampling)")
                           .format(path=path, raster_xsize=ds.RasterXSize, raster_ysize=ds.RasterYSize,
                             raster_count=ds.RasterCount, gt=gt[0], gt_2=gt[3], path_2=src.path,
                             full_size=src.full_size[0], full_size_2=src.full_size[1],
                             full_geotransform=src.full_geotransform[0],
                             full_geotransform_2=src.full_geotransform[3]))
    return ds


def type_areas(types_path: str, src, meter: AreaMeter, mask_path: Optional[str] = None,
               block_rows: int = 256) -> List[Dict[str, Any]]:
    """Pixels and hectares per change type inside the analysed window (and mask) of a change map.

    Args:
        types_path: the change types raster (int, type id, -1 noise, nodata elsewhere).
        src: the change map's analysed window (:class:`.polygons.MapSource`).
        meter: the area meter of the window (``AreaMeter(projection, window geotransform, window size, path)``).
        mask_path: the rasterised mask on the window's grid (1 = analysed), or None.
        block_rows: rows read at a time.

    Returns:
        One dict per id found, types in increasing order then noise (-1): ``type``, ``pixels``,
        ``area_ha``.

    Raises:
        InputError: the raster cannot be opened, says it is another kind of layer (PLANAURA_KIND)
            or is on another grid.
    """
    from osgeo import gdal

    from ..raster.row_band import read_window

    ds = _open_on_grid(types_path, src)
    band = ds.GetRasterBand(1)
    nodata = band.GetNoDataValue()
    mask_ds = gdal.Open(mask_path) if mask_path else None
    pixels: Dict[int, int] = {}
    area_m2: Dict[int, float] = {}
    for y in range(0, src.height, max(1, block_rows)):
        n = min(block_rows, src.height - y)
        values = read_window(ds, src.xoff, src.yoff + y, src.width, n, [1])[0].astype(np.int64)
        keep = values != (TYPE_NODATA if nodata is None else int(nodata))
        keep &= values >= -1
        if mask_ds is not None:
            keep &= read_window(mask_ds, 0, y, src.width, n, [1])[0] > 0
        weights = meter.strip_m2(y, n)[keep]
        ids, inverse, counts = np.unique(values[keep], return_inverse=True, return_counts=True)
        sums = np.bincount(inverse, weights=weights, minlength=ids.size)
        for k, type_id in enumerate(ids.tolist()):
            pixels[type_id] = pixels.get(type_id, 0) + int(counts[k])
            area_m2[type_id] = area_m2.get(type_id, 0.0) + float(sums[k])
    order = sorted((t for t in pixels if t >= 0)) + ([-1] if -1 in pixels else [])
    return [{"type": t, "pixels": pixels[t], "area_ha": area_m2[t] / SQUARE_METRES_PER_HECTARE} for t in order]
