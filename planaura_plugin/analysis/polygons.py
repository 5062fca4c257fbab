"""Change polygons: the connected patches of one change class of a change map, with their areas.

The change map (a cosine map of one pair or a persistence mosaic) is read in strips of rows,
never whole:

1. every strip is classed with :func:`pipeline.change_map.change_classes` (the one home of
   the class rule) into a temporary uint8 raster that keeps classes 2-4 (1 "no change" and
   nodata become 0); the analysed area, the area of every class and a histogram of the
   cosines are counted on the way;
2. GDAL's polygonize turns that raster into polygons, one per 4-connected patch of one class
   (pixels that only touch at a corner are two patches); holes are kept;
3. the polygons are burnt back (pixel centres) into an int32 raster of polygon ids, so the
   zonal statistics (pixels, mean and minimum cosine, persistence, dates) are gathered strip
   by strip from the id raster and the change map;
4. each polygon's area comes from its geometry in the map's CRS (geodesic for a geographic
   CRS, see :mod:`.areas`); polygons below the minimum area are dropped; the optional
   simplification (OGR's SimplifyPreserveTopology) keeps every polygon valid.

Outputs are written under temporary names and renamed together (no half-written file).
"""
from __future__ import annotations

import heapq
import json
import os
import tempfile
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Sequence, Tuple

import numpy as np

from ..errors import Cancelled, InputError, OutputError
from ..feedback import Feedback, ensure_feedback
from .areas import SQUARE_METRES_PER_HECTARE, AreaMeter
from .type_areas import type_areas, types_csv_path, types_layer

BBox = Tuple[float, float, float, float]
COSINE_NODATA = -100.0
DATE_NODATA = -100
CHANGE_CLASSES = (2, 3, 4)
HISTOGRAM_BINS = 40  # cosine histogram from -1 to 1, 0.05 wide
VECTOR_DRIVERS = {".gpkg": "GPKG", ".geojson": "GeoJSON", ".json": "GeoJSON", ".fgb": "FlatGeobuf",
                  ".shp": "ESRI Shapefile", ".sqlite": "SQLite"}
COMPANION_KINDS = ("before_date", "after_date", "persistence")


@dataclass
class PolygonRequest:
    """What :func:`run_change_polygons` is asked for.

    Attributes:
        change_map: a float cosine raster (1 band, nodata -100 unless the file says otherwise).
        output: the vector file to write (``.gpkg`` by default; ``.geojson``, ``.fgb`` also).
        thresholds: three decreasing cosines (classes 1 > t0, 2 (t1, t0], 3 (t2, t1], 4 <= t2) or
            one cosine (1 above it, 4 "change" at or below it).
        min_area_ha: polygons smaller than this (hectares) are left out.
        bbox: (xmin, ymin, xmax, ymax) in the map's CRS; only pixels inside are analysed.
        mask: an OGR dataset of polygons (any CRS); only pixels whose centre is inside are analysed.
        simplify: tolerance (map units) of a validity-keeping simplification; 0 = none.
        before_date, after_date, persistence: explicit companion layers on the map's grid; None =
            found from the map's metadata or upstream file names when ``find_companions``.
        report: an ``.html`` area report to write (a ``.csv`` and a ``.png`` histogram beside).
        texts: report texts replacing the English ones (see :data:`.report.TEXTS`).
    """

    change_map: str
    output: str
    thresholds: Sequence[float] = (0.80, 0.60, 0.40)
    min_area_ha: float = 0.0
    bbox: Optional[BBox] = None
    mask: Optional[str] = None
    simplify: float = 0.0
    before_date: Optional[str] = None
    after_date: Optional[str] = None
    persistence: Optional[str] = None
    find_companions: bool = True
    report: Optional[str] = None
    texts: Optional[Dict[str, str]] = None
    layer_name: str = "change_polygons"
    largest: int = 10
    block_rows: int = 256
    change_types: Optional[str] = None  # change types raster on the map's grid (else found beside it)


@dataclass
class MapSource:
    """The analysed window of a change map: pixels ``[xoff, xoff + width)`` x ``[yoff, yoff + height)``."""

    path: str
    width: int
    height: int
    xoff: int
    yoff: int
    full_size: Tuple[int, int]
    full_geotransform: Tuple[float, ...]
    geotransform: Tuple[float, ...]  # of the window
    projection: str
    nodata: float
    metadata: Dict[str, Any]


@dataclass
class ClassCounts:
    """Pixels and areas of the analysed window per class (index = class code 0-4), and the histogram."""

    pixels: np.ndarray
    area_m2: np.ndarray
    histogram: np.ndarray
    edges: np.ndarray


@dataclass
class ZonalStats:
    """Per polygon id (index 0 unused): pixels, sum and minimum of the cosines, companions."""

    pixels: np.ndarray
    cos_sum: np.ndarray
    cos_min: np.ndarray
    persistence: Optional[np.ndarray] = None
    dates: Dict[str, np.ndarray] = field(default_factory=dict)  # kind -> YYYYDDD per id (-100 = none)


@dataclass
class PolygonSummary:
    """Everything the area report says; areas in hectares, per class code."""

    request: PolygonRequest
    thresholds: Tuple[float, ...]
    area_kind: str
    pixel_size: Tuple[float, float]
    analysed_pixels: int
    analysed_ha: float
    class_pixels: Dict[int, int]
    class_pixel_ha: Dict[int, float]
    polygons: Dict[int, int] = field(default_factory=dict)
    polygon_ha: Dict[int, float] = field(default_factory=dict)
    filtered: Dict[int, int] = field(default_factory=dict)
    filtered_ha: Dict[int, float] = field(default_factory=dict)
    largest: List[Dict[str, Any]] = field(default_factory=list)
    histogram: List[int] = field(default_factory=list)
    edges: List[float] = field(default_factory=list)
    metadata: Dict[str, Any] = field(default_factory=dict)
    companions: Dict[str, str] = field(default_factory=dict)
    dates: Tuple[Optional[int], Optional[int]] = (None, None)
    type_areas: List[Dict[str, Any]] = field(default_factory=list)  # per change type: type, pixels, area_ha
    types_source: str = ""

    @property
    def total_polygons(self) -> int:
        """Change polygons written (all classes)."""
        return int(sum(self.polygons.values()))

    @property
    def total_change_ha(self) -> float:
        """Area of the change polygons written, in hectares."""
        return float(sum(self.polygon_ha.values()))


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
    values = tuple(float(t) for t in thresholds)
    if len(values) not in (1, 3):
        raise InputError(f"the change thresholds must be 3 cosines (no change, low, moderate) or one cosine "
                         f"threshold, got {len(values)}: {list(values)}")
    if any(not -1.0 <= v <= 1.0 for v in values):
        raise InputError(f"the change thresholds are cosines between -1 and 1, got {list(values)}")
    if len(values) == 3 and not values[0] > values[1] > values[2]:
        raise InputError(f"the change thresholds must decrease (no change > low > moderate), got {list(values)}")
    return values * 3 if len(values) == 1 else values  # type: ignore[return-value]


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
        gt = ds.GetGeoTransform()
        raise InputError(f"the extent {list(bbox)} does not overlap the change map {path} (its bounds are "
                         f"{gt[0]}, {gt[3] + ds.RasterYSize * gt[5]}, {gt[0] + ds.RasterXSize * gt[1]}, {gt[3]}); "
                         "give an extent in the change map's CRS that covers part of it")
    return x0, y0, x1 - x0, y1 - y0


def open_change_map(path: str, bbox: Optional[BBox] = None) -> MapSource:
    """Check the change map and describe the window to analyse.

    Args:
        path: the cosine raster.
        bbox: optional extent in the map's CRS.

    Returns:
        The :class:`MapSource`.

    Raises:
        InputError: the file cannot be opened, has more than one band, says it is another kind
            of layer, or the extent misses it.
    """
    from osgeo import gdal

    from ..pipeline.metadata import KIND, read_metadata

    ds = gdal.Open(str(path))
    if ds is None:
        raise InputError(f"the change map {path} cannot be opened by GDAL; give a cosine map GeoTIFF")
    if ds.RasterCount != 1:
        raise InputError(f"{path} has {ds.RasterCount} bands; a change map (cosine map) has one band; give the "
                         "change intensity output of Planaura change map or Persistence mosaic")
    meta = read_metadata(path)
    kind = meta.get(KIND)
    if kind and kind != "cosine_map":
        raise InputError(f"{path} is a {kind} layer (its PLANAURA_KIND metadata), not a change map; give the "
                         "change intensity (cosine map) output")
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

    ds = gdal.Open(str(path))
    if ds is None:
        raise InputError(f"the {kind} layer {path} cannot be opened by GDAL")
    gt = tuple(ds.GetGeoTransform())
    same = (ds.RasterXSize, ds.RasterYSize) == src.full_size and np.allclose(gt, src.full_geotransform,
                                                                              rtol=0, atol=1e-6 * abs(gt[1]))
    if not same:
        raise InputError(f"the {kind} layer {path} is on another grid ({ds.RasterXSize} x {ds.RasterYSize} px, "
                         f"origin {gt[0]}, {gt[3]}) than the change map {src.path} ({src.full_size[0]} x "
                         f"{src.full_size[1]} px, origin {src.full_geotransform[0]}, {src.full_geotransform[3]}); "
                         f"give the {kind} layer written with this change map")


def companion_layers(request: PolygonRequest, src: MapSource) -> Dict[str, str]:
    """The companion layers used: explicit ones first, then found ones; each checked on the map's grid.

    Raises:
        InputError: a layer is on another grid or cannot be opened.
    """
    layers = find_companions(src.path, src.metadata) if request.find_companions else {}
    for kind in COMPANION_KINDS:
        explicit = getattr(request, kind)
        if explicit:
            layers[kind] = str(explicit)
    for kind, path in layers.items():
        _check_same_grid(path, kind, src)
    return layers


def pair_dates(metadata: Dict[str, Any]) -> Tuple[Optional[int], Optional[int]]:
    """(before, after) YYYYDDD of a two-date change map from its PLANAURA_DATES, else (None, None)."""
    from ..pipeline.metadata import DATES

    dates = metadata.get(DATES)
    if isinstance(dates, list) and len(dates) == 2 and all(isinstance(d, int) for d in dates):
        return int(dates[0]), int(dates[1])
    return None, None


# ------------------------------------------------------------------------------------------
# temporary rasters

def _temp_raster(path: str, src: MapSource, dtype: int, nodata: Optional[float]):
    """A tiled, compressed single-band GeoTIFF on the analysed window's grid."""
    from osgeo import gdal

    ds = gdal.GetDriverByName("GTiff").Create(path, src.width, src.height, 1, dtype,
                                              ["TILED=YES", "COMPRESS=LZW", "BIGTIFF=IF_SAFER"])
    if ds is None:
        raise OutputError(f"cannot create the temporary raster {path}: {gdal.GetLastErrorMsg()}")
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

    vds = gdal.OpenEx(str(mask), gdal.OF_VECTOR)
    if vds is None or vds.GetLayerCount() == 0:
        raise InputError(f"the mask {mask} cannot be opened as a vector layer of polygons")
    ds = _temp_raster(path, src, gdal.GDT_Byte, None)
    layer = vds.GetLayer(0)
    if layer.GetSpatialRef() is None and src.projection:
        raise InputError(f"the mask {mask} has no CRS; save it with its CRS (the change map's is needed to place it)")
    warp = None
    if layer.GetSpatialRef() is not None and src.projection:
        from osgeo import osr

        srs = osr.SpatialReference()
        srs.ImportFromWkt(src.projection)
        if not srs.IsSame(layer.GetSpatialRef()):
            warp = gdal.VectorTranslate("", vds, format="Memory", dstSRS=srs, geometryType="PROMOTE_TO_MULTI")
            layer = warp.GetLayer(0)
    gdal.RasterizeLayer(ds, [1], layer, burn_values=[1])
    ds.FlushCache()
    inside = ds.GetRasterBand(1).ComputeRasterMinMax(False)[1] if src.width and src.height else 0
    ds = None
    if not inside:
        raise InputError(f"no polygon of the mask {mask} covers a pixel centre of the change map {src.path} "
                         "(inside the extent, if one is given); check the mask's CRS and extent")
    return path


def _strips(src: MapSource, rows: int):
    for y in range(0, src.height, rows):
        yield y, min(rows, src.height - y)


def _read(ds, src: MapSource, y: int, n: int, window_offset: bool = True) -> np.ndarray:
    """Rows ``y .. y + n`` of the window (``window_offset``: ``ds`` is the full map, else a window raster)."""
    xoff, yoff = (src.xoff, src.yoff + y) if window_offset else (0, y)
    return ds.GetRasterBand(1).ReadAsArray(xoff, yoff, src.width, n)


def write_classes(src: MapSource, thresholds: Sequence[float], path: str, meter: AreaMeter,
                  mask_path: Optional[str], block_rows: int, fb: Feedback) -> ClassCounts:
    """Class the map strip by strip into ``path`` (2-4 kept, 0 elsewhere) and count every class.

    Args:
        src: the analysed window.
        thresholds: three class limits (:func:`class_thresholds`).
        path: the temporary uint8 raster (nodata 0) polygonize reads.
        meter: areas of the map's pixels.
        mask_path: a raster of 1 inside the mask (same window), or None.
        block_rows: rows per strip.
        fb: progress (0-40 %) and cancel.

    Returns:
        Pixels and m² per class code (0-4; 0 = not analysed is left 0), and the cosine histogram.
    """
    from osgeo import gdal

    from ..pipeline.change_map import change_classes

    cmap = gdal.Open(src.path)
    mask = gdal.Open(mask_path) if mask_path else None
    out = _temp_raster(path, src, gdal.GDT_Byte, 0)
    edges = np.linspace(-1.0, 1.0, HISTOGRAM_BINS + 1)
    counts = ClassCounts(np.zeros(5, np.int64), np.zeros(5), np.zeros(HISTOGRAM_BINS, np.int64), edges)
    row_area = np.array([meter.pixel_m2(src.yoff + r) for r in range(src.height)]) if meter.kind == "geographic" \
        else np.full(src.height, meter.pixel_m2(0))
    for y, n in _strips(src, block_rows):
        fb.check_cancelled()
        cos = _read(cmap, src, y, n).astype(np.float64)
        valid = np.isfinite(cos) & (cos != src.nodata)
        if mask is not None:
            valid &= _read(mask, src, y, n, window_offset=False) > 0
        classes = change_classes(np.where(valid, cos, COSINE_NODATA), thresholds)
        classes[~valid] = 0
        counts.pixels += np.bincount(classes[valid], minlength=5)[:5]
        weights = np.broadcast_to(row_area[y:y + n, None], classes.shape)[valid]
        counts.area_m2 += np.bincount(classes[valid], weights=weights, minlength=5)[:5]
        counts.histogram += np.histogram(np.clip(cos[valid], -1.0, 1.0), bins=edges)[0]
        classes[classes == 1] = 0
        out.GetRasterBand(1).WriteArray(classes, 0, y)
        fb.progress(0.4 * (y + n) / max(src.height, 1), "classing the change map")
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
    from osgeo import gdal, ogr, osr

    ds = gdal.Open(classes_path)
    band = ds.GetRasterBand(1)
    path = os.path.join(folder, "raw.gpkg")
    vds = ogr.GetDriverByName("GPKG").CreateDataSource(path)
    srs = None
    if src.projection:
        srs = osr.SpatialReference()
        srs.ImportFromWkt(src.projection)
    layer = vds.CreateLayer("raw", srs, ogr.wkbPolygon)
    layer.CreateField(ogr.FieldDefn("class", ogr.OFTInteger))
    layer.CreateField(ogr.FieldDefn("pid", ogr.OFTInteger))
    vds.StartTransaction()
    status = gdal.Polygonize(band, band.GetMaskBand(), layer, 0, [],
                             callback=_gdal_progress(fb, 0.4, 0.6, "polygonizing"))
    if fb.is_cancelled():
        raise Cancelled("cancelled while polygonizing")
    if status != 0:
        raise OutputError(f"GDAL could not polygonize {src.path}: {gdal.GetLastErrorMsg()}")
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
    gdal.RasterizeLayer(ds, [1], vds.GetLayer(0), options=["ATTRIBUTE=pid"],
                        callback=_gdal_progress(fb, 0.6, 0.7, "measuring the polygons"))
    if fb.is_cancelled():
        raise Cancelled("cancelled while measuring the polygons")
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


def zonal_stats(ids_path: str, src: MapSource, n: int, layers: Dict[str, str], block_rows: int,
                fb: Feedback) -> ZonalStats:
    """Per polygon: pixels, cosine sum and minimum, minimum persistence, majority dates; strip by strip.

    Args:
        ids_path: the polygon-id raster of :func:`rasterize_ids`.
        src: the analysed window (the change map is read there).
        n: the number of polygons (ids 1..n).
        layers: companion layers (``before_date``, ``after_date``, ``persistence``) on the map's grid.
        block_rows: rows per strip.
        fb: progress (70-85 %) and cancel.

    Returns:
        The :class:`ZonalStats` (arrays of n + 1 values, index = polygon id).
    """
    from osgeo import gdal

    ids_ds, cmap = gdal.Open(ids_path), gdal.Open(src.path)
    others = {kind: gdal.Open(path) for kind, path in layers.items()}
    stats = ZonalStats(np.zeros(n + 1, np.int64), np.zeros(n + 1), np.full(n + 1, np.inf))
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
        stats.cos_sum += np.bincount(pid, weights=cos, minlength=n + 1)
        _min_into(stats.cos_min, pid, cos)
        if pers is not None:
            values = _read(others["persistence"], src, y, rows)[sel].astype(np.int64)
            _min_into(pers, pid, values)
        for kind, tally in tallies.items():
            values = _read(others[kind], src, y, rows)[sel].astype(np.int64)
            good = values != DATE_NODATA
            tally.add(pid[good], values[good])
        fb.progress(0.7 + 0.15 * (y + rows) / max(src.height, 1), "zonal statistics")
    if pers is not None:
        stats.persistence = np.where(pers == np.iinfo(np.int64).max, 0, pers)
    stats.dates = {kind: tally.result(n, DATE_NODATA) for kind, tally in tallies.items()}
    return stats


# ------------------------------------------------------------------------------------------
# the output layer

def _vector_driver(path: str) -> str:
    ext = os.path.splitext(path)[1].lower()
    if ext not in VECTOR_DRIVERS:
        raise OutputError(f"the output {path} has the extension '{ext}'; change polygons are written as "
                          f"{', '.join(sorted(VECTOR_DRIVERS))} (GeoPackage .gpkg by default)")
    return VECTOR_DRIVERS[ext]


def _create_layer(path: str, driver: str, src: MapSource, name: str, persistence: bool):
    """The output dataset and its layer with the fields of the change polygons."""
    from osgeo import ogr, osr

    drv = ogr.GetDriverByName(driver)
    if drv is None:
        raise OutputError(f"GDAL has no {driver} driver to write {path}; choose a .gpkg output")
    vds = drv.CreateDataSource(path)
    if vds is None:
        raise OutputError(f"cannot create {path} with GDAL's {driver} driver; check the folder and the name")
    srs = None
    if src.projection:
        srs = osr.SpatialReference()
        srs.ImportFromWkt(src.projection)
    layer = vds.CreateLayer(name, srs, ogr.wkbPolygon)
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


def write_polygons(raw_path: str, stats: ZonalStats, src: MapSource, request: PolygonRequest, meter: AreaMeter,
                   path: str, summary: PolygonSummary, fb: Feedback) -> None:
    """Write the change polygons with their fields into ``path``; fill the summary's polygon totals.

    Args:
        raw_path: the GeoPackage of :func:`polygonize`.
        stats: the zonal statistics per polygon id.
        src: the analysed window.
        request: the minimum area, simplification, layer name.
        meter: measures the polygons (m²).
        path: the (temporary) output file.
        summary: receives polygons / areas per class, the filtered ones and the largest.
        fb: progress (85-95 %) and cancel.
    """
    from osgeo import ogr

    raw_ds = ogr.Open(raw_path)
    raw = raw_ds.GetLayer(0)
    n = max(raw.GetFeatureCount(), 1)
    vds, layer = _create_layer(path, _vector_driver(request.output), src, request.layer_name,
                               stats.persistence is not None)
    defn = layer.GetLayerDefn()
    heap: List = []
    vds.StartTransaction()
    for i, feat in enumerate(raw):
        if i % 5000 == 0:
            fb.check_cancelled()
            fb.progress(0.85 + 0.1 * i / n, "writing the polygons")
        pid, cls, geom = feat.GetField("pid"), feat.GetField("class"), feat.GetGeometryRef()
        area_ha = meter.geometry_m2(geom) / SQUARE_METRES_PER_HECTARE
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
            if layer.CreateFeature(out) != 0:
                raise OutputError(f"GDAL could not write a polygon into {request.output}: {_last_error()}")
            row["fid"] = out.GetFID()
        _record(summary, heap, cls, area_ha, kept, row, request.largest)
    vds.CommitTransaction()
    vds = None
    summary.largest = [item[2] for item in sorted(heap, key=lambda it: (-it[0], -it[1]))]


def _last_error() -> str:
    from osgeo import gdal

    return gdal.GetLastErrorMsg() or "no reason given"


# ------------------------------------------------------------------------------------------
# the job

def report_paths(report: str) -> Dict[str, str]:
    """The report's files: the HTML, a CSV and a PNG histogram beside it (same name)."""
    root = os.path.splitext(report)[0]
    return {"report": report, "report_csv": root + ".csv", "histogram": root + "_histogram.png"}


def _check_outputs(request: PolygonRequest, layers: Dict[str, str], types: Optional[str] = None) -> Dict[str, str]:
    """kind -> final path of every file the run writes, checked before any work."""
    from ..raster.geotiff import check_not_inputs, check_writable

    _vector_driver(request.output)
    outputs = {"polygons": os.path.abspath(request.output)}
    if request.report:
        if os.path.splitext(request.report)[1].lower() not in (".html", ".htm"):
            raise OutputError(f"the report {request.report} must be an .html file (a .csv is written beside it)")
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
        request=request, thresholds=thresholds, area_kind=meter.kind, pixel_size=(abs(gt[1]), abs(gt[5])),
        analysed_pixels=int(counts.pixels[1:].sum()), analysed_ha=float(counts.area_m2[1:].sum() * to_ha),
        class_pixels={c: int(counts.pixels[c]) for c in range(1, 5)},
        class_pixel_ha={c: float(counts.area_m2[c] * to_ha) for c in range(1, 5)},
        histogram=[int(v) for v in counts.histogram], edges=[float(v) for v in counts.edges],
        metadata=dict(src.metadata), companions=dict(layers), dates=pair_dates(src.metadata))


def run_change_polygons(request: PolygonRequest, feedback: Optional[Feedback] = None) -> Dict[str, str]:
    """Change polygons of a change map, and the area report when asked (see :func:`change_polygons`).

    Returns:
        ``{kind: path}`` written: ``polygons`` and, with a report, ``report``, ``report_csv``, ``histogram``.
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
        raise InputError(f"the minimum area ({request.min_area_ha} ha) and the simplification tolerance "
                         f"({request.simplify}) cannot be negative")
    src = open_change_map(request.change_map, request.bbox)
    layers = companion_layers(request, src)
    types = types_layer(request, src)
    outputs = _check_outputs(request, layers, types)
    for kind, path in layers.items():
        fb.info(f"{kind}: {path}")
    centre = (src.geotransform[0] + src.width / 2 * src.geotransform[1],
              src.geotransform[3] + src.height / 2 * src.geotransform[5])
    meter = AreaMeter(src.projection, src.geotransform, centre)
    if meter.kind == "none":
        fb.warning(f"{src.path} has no CRS: areas are in square pixel units, not hectares")
    with tempfile.TemporaryDirectory(prefix="planaura-polygons-") as tmp, OutputSet() as outset:
        mask = rasterize_mask(request.mask, src, os.path.join(tmp, "mask.tif")) if request.mask else None
        counts = write_classes(src, thresholds, os.path.join(tmp, "classes.tif"), meter, mask,
                               request.block_rows, fb)
        summary = _summary(request, src, thresholds, counts, meter, layers)
        if types:
            summary.type_areas, summary.types_source = type_areas(types, src, meter, mask, request.block_rows), types
        raw, n = polygonize(os.path.join(tmp, "classes.tif"), src, tmp, fb)
        stats = zonal_stats(rasterize_ids(raw, src, os.path.join(tmp, "ids.tif"), fb), src, n, layers,
                            request.block_rows, fb)
        write_polygons(raw, stats, src, request, meter, outset.temp_name(outputs["polygons"]), summary, fb)
        if request.report:
            from .report import write_report

            kinds = ("report", "report_csv", "histogram", "report_types_csv")
            temps: Dict[str, str] = {k: outset.temp_name(outputs[k]) for k in kinds if k in outputs}
            write_report(summary, temps, os.path.basename(outputs["histogram"]), request.texts)
        fb.check_cancelled()
        outset.commit()
    kept = sum(summary.polygons.values())
    fb.info(f"{kept} change polygon(s) written to {outputs['polygons']}"
            + (f"; {sum(summary.filtered.values())} below {request.min_area_ha} ha left out"
               if summary.filtered else ""))
    fb.progress(1.0, "done")
    return outputs, summary


def summary_json(summary: PolygonSummary) -> str:
    """The summary as JSON (areas per class, largest patches), for tests and other tools."""
    data = {k: getattr(summary, k) for k in ("thresholds", "area_kind", "analysed_pixels", "analysed_ha",
                                              "class_pixels", "class_pixel_ha", "polygons", "polygon_ha",
                                              "filtered", "filtered_ha", "largest")}
    return json.dumps(data, default=str)
