"""The inputs of a change-polygons run: thresholds, the change map and its window, companion layers."""
from __future__ import annotations

import os
from typing import Any, Dict, Optional, Sequence, Tuple

import numpy as np

from ..errors import InputError
from ..gdal_calls import band_min_max, gdal_call
from ..i18n import _
from ..products import COSINE_NODATA
from .polygon_request import COMPANION_KINDS, BBox, MapSource, PolygonRequest

# ------------------------------------------------------------------------------------------
# inputs

def class_thresholds(thresholds: Sequence[float]) -> Tuple[float, float, float]:
    """The three class limits of :func:`change_classes` from three limits or one.

    Args:
        thresholds: (no change, low, moderate) strictly decreasing, or one cosine threshold.

    Returns:
        Three limits; one threshold ``t`` gives ``(t, t, t)``: class 1 above it, 4 at or below.

    Raises:
        InputError: not 1 or 3 numbers, not decreasing, or outside [-1, 1].
    """
    from ..products import check_class_thresholds

    values = tuple(float(t) for t in thresholds)
    if len(values) == 3:
        return check_class_thresholds(values)  # the one rule of three limits
    if len(values) != 1:
        raise InputError(_("the change thresholds must be 3 cosines (no change, low, moderate) or one cosine threshold,"
                           " got {n_values}: {values}").format(n_values=len(values), values=list(values)))
    if not -1.0 <= values[0] <= 1.0:
        raise InputError(_("the change thresholds are cosines between -1 and 1, got {values}").format(
                             values=list(values)))
    return values[0], values[0], values[0]


def _window(ds, bbox: Optional[BBox], path: str) -> Tuple[int, int, int, int]:
    """Pixel window (xoff, yoff, width, height) of ``bbox`` on ``ds``, clipped to the raster."""
    from osgeo import gdal

    if bbox is None:
        return 0, 0, ds.RasterXSize, ds.RasterYSize
    inv = gdal.InvGeoTransform(ds.GetGeoTransform())
    xs, ys = [], []
    for x in (bbox[0], bbox[2]):
        for y in (bbox[1], bbox[3]):
            px, py = gdal.ApplyGeoTransform(inv, x, y)
            xs.append(px)
            ys.append(py)
    x0, x1 = max(0, int(np.floor(min(xs) + 1e-9))), min(ds.RasterXSize, int(np.ceil(max(xs) - 1e-9)))
    y0, y1 = max(0, int(np.floor(min(ys) + 1e-9))), min(ds.RasterYSize, int(np.ceil(max(ys) - 1e-9)))
    if x1 <= x0 or y1 <= y0:
        from ..raster.bounds_gap import far_away_note

        gt = ds.GetGeoTransform()
        image = (gt[0], gt[3] + ds.RasterYSize * gt[5], gt[0] + ds.RasterXSize * gt[1], gt[3])
        raise InputError(_("the extent {bbox} does not overlap the change map {path} (its bounds are {gt}, {value}, "
                           "{value_2}, {gt_2}); give an extent in the change map's CRS that covers part of it").format(
                             bbox=list(bbox), path=path, gt=gt[0], value=gt[3] + ds.RasterYSize * gt[5],
                             value_2=gt[0] + ds.RasterXSize * gt[1], gt_2=gt[3])
                         + far_away_note(bbox, image, ds.GetSpatialRef()))
    return x0, y0, x1 - x0, y1 - y0


# mosaic cosines may exceed [-1, 1] a little after cubic resampling (SPEC 7); classes (1-4), dates,
# quality codes and persistence counts do not fit in this range
COSINE_LIMIT = 1.5
# what date (YYYYDDD) and persistence (pairs per pixel) layers can hold
MIN_YYYYDDD, MAX_YYYYDDD = 1000001, 9999366
MAX_PERSISTENCE = 65535


def check_cosine_values(ds, path: str) -> None:
    """Refuse a one-band raster whose values are not cosine similarities.

    Args:
        ds: the GDAL dataset of the change map.
        path: its name, for the message.

    Raises:
        InputError: an integer data type, or valid values (GDAL's approximate minimum and
            maximum, nodata and NaN left out) outside [-COSINE_LIMIT, COSINE_LIMIT]; e.g. the
            classes, dates or quality output exported without its PLANAURA_KIND metadata.
    """
    from osgeo import gdal

    band = ds.GetRasterBand(1)
    limits = band_min_max(band, approximate=True)
    if limits is None:  # no valid pixel
        return
    low, high = limits
    floating = band.DataType in (gdal.GDT_Float32, gdal.GDT_Float64)
    if floating and -COSINE_LIMIT <= low <= high <= COSINE_LIMIT:
        return
    raise InputError(_("{path} holds {type} values from {low} to {high}, but a change map holds cosine "
                       "similarities (floating point, -1 to 1): give the change intensity (cosine map) output "
                       "of Planaura change map or Persistence mosaic, not its classes, dates, quality or "
                       "persistence").format(path=path, type=gdal.GetDataTypeName(band.DataType),
                                             low=format(low, ".10g"), high=format(high, ".10g")))


def open_change_map(path: str, bbox: Optional[BBox] = None) -> MapSource:
    """Check the change map and describe the window to analyse.

    Args:
        path: the cosine raster.
        bbox: optional extent in the map's CRS.

    Returns:
        The :class:`MapSource`.

    Raises:
        InputError: the file cannot be opened, has more than one band, says it is another kind
            of layer, holds values that are not cosines (:func:`check_cosine_values`), or the
            extent misses it.
    """
    from osgeo import gdal

    from ..pipeline.metadata import KIND, read_metadata

    ds, _reason = gdal_call(gdal.Open, str(path))
    if ds is None:
        raise InputError(_("the change map {path} cannot be opened by GDAL; give a cosine map GeoTIFF").format(
                             path=path))
    if ds.RasterCount != 1:
        raise InputError(_("{path} has {raster_count} bands; a change map (cosine map) has one band; give the change "
                           "intensity output of Planaura change map or Persistence mosaic").format(
                             path=path, raster_count=ds.RasterCount))
    meta = read_metadata(path)
    kind = meta.get(KIND)
    if kind and kind != "cosine_map":
        raise InputError(_("{path} is a {kind} layer (its PLANAURA_KIND metadata), not a change map; give the change "
                           "intensity (cosine map) output").format(path=path, kind=kind))
    check_cosine_values(ds, str(path))
    nodata = ds.GetRasterBand(1).GetNoDataValue()
    xoff, yoff, width, height = _window(ds, bbox, path)
    gt = tuple(ds.GetGeoTransform())
    wgt = (gt[0] + xoff * gt[1] + yoff * gt[2], gt[1], gt[2], gt[3] + xoff * gt[4] + yoff * gt[5], gt[4], gt[5])
    return MapSource(path=str(path), width=width, height=height, xoff=xoff, yoff=yoff,
                     full_size=(ds.RasterXSize, ds.RasterYSize), full_geotransform=gt, geotransform=wgt,
                     projection=ds.GetProjection() or "", nodata=COSINE_NODATA if nodata is None else float(nodata),
                     metadata=meta)


def _beside(path: str, name: str) -> Optional[str]:
    candidate = os.path.join(os.path.dirname(os.path.abspath(path)), name)
    return candidate if os.path.isfile(candidate) else None


def find_companions(change_map: str, metadata: Dict[str, Any]) -> Dict[str, str]:
    """Date and persistence layers of a change map: from its metadata, else upstream names.

    Args:
        change_map: the cosine map path.
        metadata: its PLANAURA_* metadata (:func:`pipeline.metadata.read_metadata`).

    Returns:
        ``{kind: path}`` for the kinds of :data:`COMPANION_KINDS` that exist.
    """
    from ..pipeline.metadata import COMPANIONS

    found: Dict[str, str] = {}
    companions = metadata.get(COMPANIONS) or {}
    if isinstance(companions, dict):
        for kind in COMPANION_KINDS:
            other = companions.get(kind)
            if other:
                path = str(other) if os.path.isfile(str(other)) else _beside(change_map, os.path.basename(str(other)))
                if path:
                    found[kind] = path
    name = os.path.basename(change_map)
    for prefix in ("cosine_map", "mosaic_cosine_map"):  # upstream: cosine_map!A!B.tif, mosaic_cosine_map_X_c.tif
        if name.startswith(prefix):
            for kind in COMPANION_KINDS:
                if kind not in found:
                    path = _beside(change_map, prefix.replace("cosine_map", kind) + name[len(prefix):])
                    if path:
                        found[kind] = path
    return found


def _check_same_grid(path: str, kind: str, src: MapSource) -> None:
    from osgeo import gdal

    ds, _reason = gdal_call(gdal.Open, str(path))
    if ds is None:
        raise InputError(_("the {kind} layer {path} cannot be opened by GDAL").format(
                             kind=kind, path=path))
    gt = tuple(ds.GetGeoTransform())
    same = (ds.RasterXSize, ds.RasterYSize) == src.full_size and np.allclose(gt, src.full_geotransform,
                                                                              rtol=0, atol=1e-6 * abs(gt[1]))
    if not same:
        raise InputError(_("the {kind} layer {path} is on another grid ({raster_xsize} x {raster_ysize} px, origin "
                           "{gt}, {gt_2}) than the change map {path_2} ({full_size} x {full_size_2} px, origin "
                           "{full_geotransform}, {full_geotransform_2}); give the {kind} layer written with this change"
                           " map").format(
                             kind=kind, path=path, raster_xsize=ds.RasterXSize, raster_ysize=ds.RasterYSize,
                             gt=gt[0], gt_2=gt[3], path_2=src.path, full_size=src.full_size[0],
                             full_size_2=src.full_size[1], full_geotransform=src.full_geotransform[0],
                             full_geotransform_2=src.full_geotransform[3]))


def companion_layers(request: PolygonRequest, src: MapSource) -> Dict[str, str]:
    """The companion layers used: explicit ones first, then found ones; each checked on the map's grid.

    Raises:
        InputError: a layer is on another grid, cannot be opened, or is another kind of layer (its
            PLANAURA_KIND, or values that are not dates or pair counts).
    """
    layers = find_companions(src.path, src.metadata) if request.find_companions else {}
    for kind in COMPANION_KINDS:
        explicit = getattr(request, kind)
        if explicit:
            layers[kind] = str(explicit)
    for kind, path in layers.items():
        _check_same_grid(path, kind, src)
        _check_companion_values(path, kind)
    return layers


def _check_companion_values(path: str, kind: str) -> None:
    """Refuse a date or persistence layer that says (PLANAURA_KIND) or shows (its values) it is another."""
    from osgeo import gdal

    from ..pipeline.metadata import KIND, read_metadata

    found = read_metadata(str(path)).get(KIND)
    if found and found != kind:
        raise InputError(_("the {kind} layer {path} is a {found} layer (its PLANAURA_KIND metadata); give the {kind} "
                           "layer written with this change map").format(kind=kind, path=path, found=found))
    ds = gdal.Open(str(path))  # opened by _check_same_grid; kept alive while its band is read
    limits = band_min_max(ds.GetRasterBand(1), approximate=True)
    if limits is None:  # no valid pixel
        return
    low, high = limits
    if kind == "persistence":
        ok, expected = 0 <= low <= high <= MAX_PERSISTENCE, _("persistence values are counts of pairs (1, 2, ...)")
    else:
        ok = MIN_YYYYDDD <= low <= high <= MAX_YYYYDDD
        expected = _("date values are dates (YYYYDDD, e.g. 2021250)")
    if not ok:
        raise InputError(_("the {kind} layer {path} holds values from {low} to {high}, but {expected}; give the {kind} "
                           "layer written with this change map").format(
                               kind=kind, path=path, low=format(low, ".10g"), high=format(high, ".10g"),
                               expected=expected))


def pair_dates(metadata: Dict[str, Any]) -> Tuple[Optional[int], Optional[int]]:
    """(before, after) YYYYDDD of a two-date change map from its PLANAURA_DATES, else (None, None)."""
    from ..pipeline.metadata import DATES

    dates = metadata.get(DATES)
    if isinstance(dates, list) and len(dates) == 2 and all(isinstance(d, int) for d in dates):
        return int(dates[0]), int(dates[1])
    return None, None
