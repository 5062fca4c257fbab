"""Temporary rasters of a change-polygons run: mask, classes, patches, polygon ids and zonal statistics."""
from __future__ import annotations

import os
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np

from ..errors import Cancelled, InputError, OutputError
from ..feedback import Feedback
from ..gdal_calls import band_min_max, gdal_call, gdal_status, spatial_reference
from ..i18n import _

from .areas import AreaMeter
from ..products import COSINE_NODATA, DATE_NODATA
from .polygon_request import HISTOGRAM_BINS, ClassCounts, MapSource, ZonalStats

# ------------------------------------------------------------------------------------------
# temporary rasters

def _temp_raster(path: str, src: MapSource, dtype: int, nodata: Optional[float]):
    """A tiled, compressed single-band GeoTIFF on the analysed window's grid."""
    from osgeo import gdal

    ds, reason = gdal_call(gdal.GetDriverByName("GTiff").Create, path, src.width, src.height, 1, dtype,
                           ["TILED=YES", "COMPRESS=LZW", "BIGTIFF=IF_SAFER"])
    if ds is None:
        raise OutputError(_("cannot create the temporary raster {path}: {get_last_error_msg}").format(
                              path=path, get_last_error_msg=reason or _("no reason given")))
    ds.SetGeoTransform(src.geotransform)
    if src.projection:
        ds.SetProjection(src.projection)
    if nodata is not None:
        ds.GetRasterBand(1).SetNoDataValue(nodata)
    return ds


def rasterize_mask(mask: str, src: MapSource, path: str) -> str:
    """Burn the polygons of ``mask`` (reprojected to the map's CRS) as 1 into a uint8 raster.

    Args:
        mask: an OGR dataset of polygons.
        src: the analysed window.
        path: the temporary raster to write.

    Returns:
        ``path``; pixels whose centre lies in a polygon are 1, others 0.

    Raises:
        InputError: the mask cannot be opened, has no layer, or holds nothing inside the window.
    """
    from osgeo import gdal

    vds, _reason = gdal_call(gdal.OpenEx, str(mask), gdal.OF_VECTOR)
    if vds is None or vds.GetLayerCount() == 0:
        raise InputError(_("the mask {mask} cannot be opened as a vector layer of polygons").format(
                             mask=mask))
    ds = _temp_raster(path, src, gdal.GDT_Byte, None)
    layer = vds.GetLayer(0)
    if layer.GetSpatialRef() is None and src.projection:
        raise InputError(_("the mask {mask} has no CRS; save it with its CRS (the change map's is needed to place it)")
                           .format(mask=mask))
    warp = None
    if layer.GetSpatialRef() is not None and src.projection:
        srs = spatial_reference(src.projection, gis_order=False)[0]
        if srs is not None and not srs.IsSame(layer.GetSpatialRef()):
            warp, reason = gdal_call(gdal.VectorTranslate, "", vds, format="Memory", dstSRS=srs,
                                     geometryType="PROMOTE_TO_MULTI")
            if warp is None:
                raise InputError(_("the mask {mask} cannot be reprojected to the CRS of the change map: {reason}")
                                 .format(mask=mask, reason=reason or _("no reason given")))
            layer = warp.GetLayer(0)
    reason = gdal_status(gdal.RasterizeLayer, ds, [1], layer, burn_values=[1])
    if reason:
        raise OutputError(_("cannot create the temporary raster {path}: {get_last_error_msg}").format(
                              path=path, get_last_error_msg=reason))
    ds.FlushCache()
    limits = band_min_max(ds.GetRasterBand(1)) if src.width and src.height else None
    inside = limits[1] if limits is not None else 0
    ds = None
    if not inside:
        raise InputError(_("no polygon of the mask {mask} covers a pixel centre of the change map {path} (inside the "
                           "extent, if one is given); check the mask's CRS and extent").format(
                             mask=mask, path=src.path))
    return path


def _strips(src: MapSource, rows: int):
    for y in range(0, src.height, rows):
        yield y, min(rows, src.height - y)


def _read(ds, src: MapSource, y: int, n: int, window_offset: bool = True) -> np.ndarray:
    """Rows ``y .. y + n`` of the window (``window_offset``: ``ds`` is the full map, else a window raster)."""
    from ..raster.row_band import read_window

    xoff, yoff = (src.xoff, src.yoff + y) if window_offset else (0, y)
    return read_window(ds, xoff, yoff, src.width, n, [1])[0]


def write_classes(src: MapSource, thresholds: Sequence[float], path: str, meter: AreaMeter,
                  mask_path: Optional[str], block_rows: int, fb: Feedback) -> ClassCounts:
    """Class the map strip by strip into ``path`` (2-4 kept, 0 elsewhere) and count every class.

    Args:
        src: the analysed window.
        thresholds: three class limits (:func:`class_thresholds`).
        path: the temporary uint8 raster (nodata 0) polygonize reads.
        meter: areas of the window's pixels (:class:`.areas.AreaMeter` of the window's grid).
        mask_path: a raster of 1 inside the mask (same window), or None.
        block_rows: rows per strip.
        fb: progress (0-40 %) and cancel.

    Returns:
        Pixels and m² per class code (0-4; 0 = not analysed is left 0), and the cosine histogram.
    """
    from osgeo import gdal

    from ..pipeline.change import change_classes

    cmap = gdal.Open(src.path)
    mask = gdal.Open(mask_path) if mask_path else None
    out = _temp_raster(path, src, gdal.GDT_Byte, 0)
    edges = np.linspace(-1.0, 1.0, HISTOGRAM_BINS + 1)
    counts = ClassCounts(np.zeros(5, np.int64), np.zeros(5), np.zeros(HISTOGRAM_BINS, np.int64), edges)
    for y, n in _strips(src, block_rows):
        fb.check_cancelled()
        cos = _read(cmap, src, y, n).astype(np.float64)
        valid = np.isfinite(cos) & (cos != src.nodata)
        if mask is not None:
            valid &= _read(mask, src, y, n, window_offset=False) > 0
        classes = change_classes(np.where(valid, cos, COSINE_NODATA), thresholds)
        classes[~valid] = 0
        counts.pixels += np.bincount(classes[valid], minlength=5)[:5]
        weights = meter.strip_m2(y, n)[valid]
        counts.area_m2 += np.bincount(classes[valid], weights=weights, minlength=5)[:5]
        counts.histogram += np.histogram(np.clip(cos[valid], -1.0, 1.0), bins=edges)[0]
        classes[classes == 1] = 0
        out.GetRasterBand(1).WriteArray(classes, 0, y)
        fb.progress(0.4 * (y + n) / max(src.height, 1), _("classing the change map"))
    out.FlushCache()
    out = None
    return counts


def _gdal_progress(fb: Feedback, start: float, stop: float, message: str):
    """A GDAL progress callback that reports into ``fb`` between two fractions and stops on cancel."""
    def callback(fraction, _msg, _data):
        fb.progress(start + (stop - start) * float(fraction), message)
        return 0 if fb.is_cancelled() else 1
    return callback


def polygonize(classes_path: str, src: MapSource, folder: str, fb: Feedback) -> Tuple[str, int]:
    """Polygons of the connected patches of ``classes_path`` (GDAL polygonize, 4-connected).

    Args:
        classes_path: the class raster of :func:`write_classes` (0 = nothing).
        src: the analysed window (for the CRS).
        folder: where the temporary GeoPackage goes.
        fb: progress (40-60 %) and cancel.

    Returns:
        (path of a GeoPackage whose layer ``raw`` has fields ``class`` and ``pid`` = fid, number of polygons).

    Raises:
        Cancelled: cancelled during polygonize.
    """
    from osgeo import gdal, ogr

    ds = gdal.Open(classes_path)
    band = ds.GetRasterBand(1)
    path = os.path.join(folder, "raw.gpkg")
    vds, _reason = gdal_call(ogr.GetDriverByName("GPKG").CreateDataSource, path)
    if vds is None:
        raise OutputError(_("cannot create {path} with GDAL's {driver} driver; check the folder and the name").format(
                              path=path, driver="GPKG"))
    srs = spatial_reference(src.projection, gis_order=False)[0] if src.projection else None
    layer, _reason = gdal_call(vds.CreateLayer, "raw", srs, ogr.wkbPolygon)
    if layer is None:
        raise OutputError(_("cannot create {path} with GDAL's {driver} driver; check the folder and the name").format(
                              path=path, driver="GPKG"))
    layer.CreateField(ogr.FieldDefn("class", ogr.OFTInteger))
    layer.CreateField(ogr.FieldDefn("pid", ogr.OFTInteger))
    vds.StartTransaction()
    reason = gdal_status(gdal.Polygonize, band, band.GetMaskBand(), layer, 0, [],
                         callback=_gdal_progress(fb, 0.4, 0.6, _("polygonizing")))
    if fb.is_cancelled():  # GDAL stopped on the callback's answer: raised or returned an error code
        raise Cancelled(_("cancelled while polygonizing"))
    if reason:
        raise OutputError(_("GDAL could not polygonize {path}: {get_last_error_msg}").format(
                              path=src.path, get_last_error_msg=reason))
    vds.CommitTransaction()
    vds.ExecuteSQL("UPDATE raw SET pid = fid")
    count = layer.GetFeatureCount()
    vds = None
    return path, count


def rasterize_ids(raw_path: str, src: MapSource, path: str, fb: Feedback) -> str:
    """Burn each polygon's ``pid`` at the pixels whose centre it holds (exactly its own pixels).

    Returns:
        ``path``: an int32 raster on the window's grid, 0 outside every polygon.
    """
    from osgeo import gdal, ogr

    ds = _temp_raster(path, src, gdal.GDT_Int32, 0)
    vds = ogr.Open(raw_path)
    reason = gdal_status(gdal.RasterizeLayer, ds, [1], vds.GetLayer(0), options=["ATTRIBUTE=pid"],
                         callback=_gdal_progress(fb, 0.6, 0.7, _("measuring the polygons")))
    if fb.is_cancelled():  # GDAL stopped on the callback's answer: raised or returned an error code
        raise Cancelled(_("cancelled while measuring the polygons"))
    if reason:
        raise OutputError(_("cannot create the temporary raster {path}: {get_last_error_msg}").format(
                              path=path, get_last_error_msg=reason))
    ds.FlushCache()
    return path


def _min_into(target: np.ndarray, ids: np.ndarray, values: np.ndarray) -> None:
    """target[id] = min(target[id], smallest value of that id) for every id present."""
    order = np.lexsort((values, ids))
    sorted_ids = ids[order]
    first = np.r_[True, sorted_ids[1:] != sorted_ids[:-1]]
    idx = sorted_ids[first]
    target[idx] = np.minimum(target[idx], values[order][first])


class _Majority:
    """The most frequent value per id, tallied strip by strip (ties: the smallest value)."""

    SCALE = 10 ** 8  # values are YYYYDDD (< 10^8)

    def __init__(self) -> None:
        self.keys: List[np.ndarray] = []
        self.counts: List[np.ndarray] = []
        self.size = 0

    def add(self, ids: np.ndarray, values: np.ndarray) -> None:
        keys, counts = np.unique(ids.astype(np.int64) * self.SCALE + values.astype(np.int64), return_counts=True)
        self.keys.append(keys)
        self.counts.append(counts)
        self.size += keys.size
        if self.size > 2_000_000:
            self._reduce()

    def _reduce(self) -> None:
        keys, inverse = np.unique(np.concatenate(self.keys), return_inverse=True)
        self.keys, self.counts = [keys], [np.bincount(inverse, weights=np.concatenate(self.counts)).astype(np.int64)]
        self.size = keys.size

    def result(self, n: int, missing: int) -> np.ndarray:
        """Array of ``n + 1`` values per id (``missing`` where an id had none)."""
        out = np.full(n + 1, missing, dtype=np.int64)
        if not self.keys:
            return out
        self._reduce()
        keys, counts = self.keys[0], self.counts[0]
        ids, values = keys // self.SCALE, keys % self.SCALE
        order = np.lexsort((values, -counts, ids))
        first = np.r_[True, ids[order][1:] != ids[order][:-1]]
        out[ids[order][first]] = values[order][first]
        return out


def zonal_stats(ids_path: str, src: MapSource, n: int, layers: Dict[str, str], meter: AreaMeter, block_rows: int,
                fb: Feedback) -> ZonalStats:
    """Per polygon: pixels, area, cosine sum and minimum, minimum persistence, majority dates; strip by strip.

    A polygon is exactly the union of its pixels (those whose centre it holds), so its area is the
    sum of their true areas (:meth:`.areas.AreaMeter.strip_m2`).

    Args:
        ids_path: the polygon-id raster of :func:`rasterize_ids`.
        src: the analysed window (the change map is read there).
        n: the number of polygons (ids 1..n).
        layers: companion layers (``before_date``, ``after_date``, ``persistence``) on the map's grid.
        meter: areas of the window's pixels.
        block_rows: rows per strip.
        fb: progress (70-85 %) and cancel.

    Returns:
        The :class:`ZonalStats` (arrays of n + 1 values, index = polygon id).
    """
    from osgeo import gdal

    ids_ds, cmap = gdal.Open(ids_path), gdal.Open(src.path)
    others = {kind: gdal.Open(path) for kind, path in layers.items()}
    stats = ZonalStats(np.zeros(n + 1, np.int64), np.zeros(n + 1), np.full(n + 1, np.inf), np.zeros(n + 1))
    pers = np.full(n + 1, np.iinfo(np.int64).max, dtype=np.int64) if "persistence" in others else None
    tallies = {kind: _Majority() for kind in ("before_date", "after_date") if kind in others}
    for y, rows in _strips(src, block_rows):
        fb.check_cancelled()
        ids = _read(ids_ds, src, y, rows, window_offset=False)
        sel = ids > 0
        if not sel.any():
            continue
        pid = ids[sel].astype(np.int64)
        cos = _read(cmap, src, y, rows).astype(np.float64)[sel]
        stats.pixels += np.bincount(pid, minlength=n + 1)
        stats.area_m2 += np.bincount(pid, weights=meter.strip_m2(y, rows)[sel], minlength=n + 1)
        stats.cos_sum += np.bincount(pid, weights=cos, minlength=n + 1)
        _min_into(stats.cos_min, pid, cos)
        if pers is not None:
            values = _read(others["persistence"], src, y, rows)[sel].astype(np.int64)
            _min_into(pers, pid, values)
        for kind, tally in tallies.items():
            values = _read(others[kind], src, y, rows)[sel].astype(np.int64)
            good = values != DATE_NODATA
            tally.add(pid[good], values[good])
        fb.progress(0.7 + 0.15 * (y + rows) / max(src.height, 1), _("zonal statistics"))
    if pers is not None:
        stats.persistence = np.where(pers == np.iinfo(np.int64).max, 0, pers)
    stats.dates = {kind: tally.result(n, DATE_NODATA) for kind, tally in tallies.items()}
    return stats
