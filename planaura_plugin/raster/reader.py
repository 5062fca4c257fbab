"""Reading every date of a run on the tiles of the first image, with GDAL (SPEC 3).

A date on the same grid as the first image (same CRS and x resolution) is read at the
integer pixel offset of the tile's corner (``int()`` of the inverted geotransform, as the
reference); a date on another grid is warped onto each tile by GDAL with cubic
resampling. Fmask files are read the same way on the tile grid of their date, with
nearest neighbour when they need warping.

Same-grid reads keep one band of rows (a few tile heights) and drop GDAL's block cache
after each read, so memory does not grow with the raster.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from typing import List, Optional, Sequence, Tuple

import numpy as np

from ..errors import InputError
from ..fmask import FILL, decode


@dataclass(frozen=True)
class RasterInfo:
    """What the pipeline needs to know about one input raster."""

    path: str
    width: int
    height: int
    bands: int
    dtype: np.dtype
    geotransform: Tuple[float, ...]
    projection: str  # WKT, '' when the raster has no CRS
    georeferenced: bool
    nodata: Tuple[Optional[float], ...]  # per band as declared (None = not set)

    @property
    def bounds(self) -> Tuple[float, float, float, float]:
        """(xmin, ymin, xmax, ymax) of the raster on its own grid (north-up assumed)."""
        x0, dx, _rx, y0, _ry, dy = self.geotransform
        xs = (x0, x0 + dx * self.width)
        ys = (y0, y0 + dy * self.height)
        return min(xs), min(ys), max(xs), max(ys)

    def cut_nodata(self) -> List[float]:
        """Nodata per band for cutting tiles: an unset value counts as 0 (the reference's rule)."""
        return [0.0 if v is None else float(v) for v in self.nodata]


def open_dataset(path: str):
    """Open a raster read-only; an :class:`InputError` that names the file when GDAL cannot."""
    from ..inputs.datasets import open_dataset as open_named

    return open_named(path)


def describe(path: str) -> RasterInfo:
    """Size, grid, CRS and nodata of a raster (:class:`InputError` if it cannot be opened)."""
    from osgeo import gdal_array

    ds = open_dataset(path)
    gt = ds.GetGeoTransform(can_return_null=True)
    projection = ds.GetProjection() or ""
    georef = gt is not None or bool(projection)
    if gt is None:
        gt = (0.0, 1.0, 0.0, 0.0, 0.0, 1.0)
    b1 = ds.GetRasterBand(1) if ds.RasterCount else None
    dtype = np.dtype(gdal_array.GDALTypeCodeToNumericTypeCode(b1.DataType)) if b1 is not None else np.dtype("f4")
    nodata = tuple(ds.GetRasterBand(i + 1).GetNoDataValue() for i in range(ds.RasterCount))
    return RasterInfo(path=str(path), width=ds.RasterXSize, height=ds.RasterYSize, bands=ds.RasterCount,
                      dtype=dtype, geotransform=tuple(float(v) for v in gt), projection=projection,
                      georeferenced=georef, nodata=nodata)


def same_crs(wkt_a: str, wkt_b: str) -> bool:
    """Whether two WKT strings describe the same CRS (both empty = pixel space)."""
    if not wkt_a or not wkt_b:
        return not wkt_a and not wkt_b
    from osgeo import osr

    a, b = osr.SpatialReference(), osr.SpatialReference()
    a.ImportFromWkt(wkt_a)
    b.ImportFromWkt(wkt_b)
    return bool(a.IsSame(b))


def transform_bounds(bounds: Tuple[float, float, float, float], src_wkt: str, dst_wkt: str,
                     densify: int = 21) -> Tuple[float, float, float, float]:
    """Bounds from one CRS to another, densified along the edges (as rasterio's ``transform_bounds``)."""
    if not src_wkt or not dst_wkt or same_crs(src_wkt, dst_wkt):
        return bounds
    from osgeo import osr

    src, dst = osr.SpatialReference(), osr.SpatialReference()
    for srs, wkt in ((src, src_wkt), (dst, dst_wkt)):
        srs.SetFromUserInput(wkt)
        srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    ct = osr.CoordinateTransformation(src, dst)
    xmin, ymin, xmax, ymax = ct.TransformBounds(bounds[0], bounds[1], bounds[2], bounds[3], densify)
    return xmin, ymin, xmax, ymax


def read_window(ds, xoff: int, yoff: int, width: int, height: int, bands: Sequence[int]) -> np.ndarray:
    """(bands, height, width) of ``ds``; an :class:`InputError` naming the file when GDAL cannot
    read it (a truncated or corrupt file opens, then fails on its first damaged block)."""
    from osgeo import gdal

    try:
        arr = ds.ReadAsArray(xoff, yoff, width, height, band_list=list(bands))
    except RuntimeError:  # GDAL raises instead of returning None when exceptions are on
        arr = None
    if arr is None:
        raise InputError(f"GDAL cannot read {ds.GetDescription()} (pixels x {xoff}, y {yoff}, {width} x {height}): "
                         f"{gdal.GetLastErrorMsg() or 'read error'}; the file may be truncated or corrupt")
    return arr.reshape((len(bands), height, width))


class RowBandCache:
    """Reads windows of a raster through a band of rows kept in memory.

    Requests must come with non-decreasing top rows (row-major tiles); rows above the
    latest request are forgotten and GDAL's block cache is flushed after each read.
    """

    def __init__(self, ds, col0: int, col1: int, bands: Optional[Sequence[int]] = None) -> None:
        self.ds = ds
        self.col0, self.col1 = max(0, col0), min(ds.RasterXSize, col1)
        self.bands = list(bands) if bands is not None else list(range(1, ds.RasterCount + 1))
        self.r0 = 0
        self.data: Optional[np.ndarray] = None  # (bands, rows, col1 - col0)

    def _read(self, r0: int, r1: int) -> np.ndarray:
        arr = read_window(self.ds, self.col0, r0, self.col1 - self.col0, r1 - r0, self.bands)
        self.ds.FlushCache()
        return arr

    def window(self, row: int, col: int, height: int, width: int) -> np.ndarray:
        """(bands, height, width) at (row, col); the window must lie inside the raster and the column span."""
        if col < self.col0 or col + width > self.col1:  # outside the cached columns: plain read
            arr = read_window(self.ds, col, row, width, height, self.bands)
            self.ds.FlushCache()
            return arr
        r1 = row + height
        have = self.r0 + (0 if self.data is None else self.data.shape[1])
        if self.data is None or row < self.r0 or row >= have:
            self.data, self.r0 = self._read(row, r1), row
        else:
            if r1 > have:
                self.data = np.concatenate([self.data, self._read(have, r1)], axis=1)
            if row > self.r0:
                self.data = self.data[:, row - self.r0:].copy()
                self.r0 = row
        return self.data[:, row - self.r0:r1 - self.r0, col - self.col0:col - self.col0 + width]


def warp_to_tile(ds, geotransform: Sequence[float], projection: str, size: int, dtype, resampling: str,
                 src_nodata: Optional[Sequence[Optional[float]]], dst_nodata: float) -> np.ndarray:
    """Warp every band of ``ds`` onto one S x S tile with GDAL; (bands, S, S) of ``dtype``.

    Bands are masked independently (``UNIFIED_SRC_NODATA=NO``), the tile starts as
    ``dst_nodata``, and the transformer is approximated to 0.125 px (GDAL's and rasterio's
    default), as a per-band ``rasterio.warp.reproject`` onto the tile does.
    """
    from osgeo import gdal

    from .geotiff import gdal_type

    n = ds.RasterCount
    mem = gdal.GetDriverByName("MEM").Create("", int(size), int(size), n, gdal_type(dtype))
    mem.SetGeoTransform([float(v) for v in geotransform])
    if projection:
        mem.SetProjection(projection)
    for b in range(n):
        band = mem.GetRasterBand(b + 1)
        band.SetNoDataValue(float(dst_nodata))
        band.Fill(float(dst_nodata))
    kwargs = dict(resampleAlg=resampling, errorThreshold=0.125, multithread=False,
                  warpOptions=["UNIFIED_SRC_NODATA=NO", "INIT_DEST=NO_DATA"], dstNodata=float(dst_nodata))
    if src_nodata is not None and any(v is not None for v in src_nodata):
        kwargs["srcNodata"] = " ".join("None" if v is None else repr(float(v)) for v in src_nodata)
    else:
        kwargs["srcNodata"] = "None"
    result = gdal.Warp(mem, ds, options=gdal.WarpOptions(**kwargs))
    if result is None:
        raise InputError(f"GDAL could not warp {ds.GetDescription()} onto a tile: {gdal.GetLastErrorMsg()}")
    return mem.ReadAsArray().reshape((n, int(size), int(size)))


class TileMemo:
    """Warped tiles kept from the minimum-valid pre-pass for the model pass, within a byte budget.

    Warping a 512 px tile costs seconds; small runs then warp each tile once, large ones
    warp the tiles beyond the budget again.
    """

    def __init__(self, budget_bytes: int = 256 * 2 ** 20) -> None:
        self.budget = int(budget_bytes)
        self.used = 0
        self._tiles: dict = {}

    def put(self, key, tile: np.ndarray) -> None:
        if key not in self._tiles and self.used + tile.nbytes <= self.budget:
            self._tiles[key] = tile
            self.used += tile.nbytes

    def pop(self, key) -> Optional[np.ndarray]:
        tile = self._tiles.pop(key, None)
        if tile is not None:
            self.used -= tile.nbytes
        return tile


class DateReader:
    """One date (image + optional Fmask) read on the tiles of the first image."""

    def __init__(self, info: RasterInfo, base: RasterInfo, area_cols: Tuple[int, int], tile_size: int,
                 fmask_path: Optional[str] = None, fmask_bitwise: bool = True, is_base: bool = False,
                 memo: Optional[TileMemo] = None, memo_mode: str = "off") -> None:
        """``memo_mode``: "record" keeps warped tiles in ``memo``, "use" takes them from it."""
        self.info, self.base, self.size = info, base, int(tile_size)
        self.is_base = is_base
        self.memo, self.memo_mode = memo, memo_mode
        self.same_grid = is_base or (same_crs(info.projection, base.projection)
                                     and abs(info.geotransform[1]) == abs(base.geotransform[1]))
        self.fmask_path, self.fmask_bitwise = fmask_path, fmask_bitwise
        self._area_cols = area_cols
        self._ds = None
        self._cache: Optional[RowBandCache] = None
        self._fmask_ds = None
        self._fmask_info: Optional[RasterInfo] = None
        self._fmask_cache: Optional[RowBandCache] = None
        self._warp_row: Optional[int] = None
        self._fmask_vrt = None

    # -- opening (lazily, so that each thread opens its own handles) -------------------------
    def _dataset(self):
        if self._ds is None:
            self._ds = open_dataset(self.info.path)
            if self.same_grid:
                lo, hi = self._column_span()
                self._cache = RowBandCache(self._ds, lo, hi)
        return self._ds

    def _column_span(self) -> Tuple[int, int]:
        c0, c1 = self._area_cols
        if self.is_base:
            return c0, c1
        x_first = self.base.geotransform[0] + c0 * self.base.geotransform[1]
        off = self._offset(x_first, self.base.geotransform[3])
        lo = off[1] if off else 0
        return lo, lo + (c1 - c0)

    def close(self) -> None:
        self._ds = self._cache = self._fmask_ds = self._fmask_cache = self._fmask_vrt = None

    # -- grid arithmetic ------------------------------------------------------------------
    def tile_origin(self, row: int, col: int) -> Tuple[float, float]:
        """Map coordinates of the tile's top-left corner on the first image (the reference's formula)."""
        gt = self.base.geotransform
        return gt[0] + col * gt[1] + row * gt[2], gt[3] + col * gt[4] + row * gt[5]

    def tile_geotransform(self, row: int, col: int) -> Tuple[float, ...]:
        gt = self.base.geotransform
        x, y = self.tile_origin(row, col)
        return (x, gt[1], gt[2], y, gt[4], gt[5])

    def _offset(self, x: float, y: float) -> Optional[Tuple[int, int]]:
        gt = self.info.geotransform
        m = np.linalg.inv(np.array([[gt[1], gt[2]], [gt[4], gt[5]]]))
        cr = np.matmul(m, np.array([[x - gt[0]], [y - gt[3]]]))
        return int(cr[1, 0]), int(cr[0, 0])

    def offset(self, row: int, col: int) -> Optional[Tuple[int, int]]:
        """(row, col) of the tile on this date's own grid, or None when it is not fully inside."""
        if self.is_base:
            return row, col
        r, c = self._offset(*self.tile_origin(row, col))
        if r < 0 or c < 0 or r + self.size > self.info.height or c + self.size > self.info.width:
            return None
        return r, c

    # -- reading --------------------------------------------------------------------------
    def read(self, row: int, col: int) -> Optional[np.ndarray]:
        """The raw tile (bands, S, S) in the image's dtype, or None when a same-grid date misses it."""
        ds = self._dataset()
        if self.same_grid:
            off = self.offset(row, col)
            if off is None:
                return None
            return self._cache.window(off[0], off[1], self.size, self.size)
        key = (self.info.path, row, col)
        if row != self._warp_row:  # keep the source blocks of one row of tiles in GDAL's cache, not more
            ds.FlushCache()
            self._warp_row = row
        if self.memo is not None and self.memo_mode == "use":
            kept = self.memo.pop(key)
            if kept is not None:
                return kept
        tile = warp_to_tile(ds, self.tile_geotransform(row, col), self.base.projection, self.size,
                            self.info.dtype, "cubic", self.info.nodata, self.info.cut_nodata()[0])
        if self.memo is not None and self.memo_mode == "record":
            self.memo.put(key, tile)
        return tile

    def read_fmask(self, row: int, col: int) -> np.ndarray:
        """Fmask codes (S, S) uint8 on this date's tile; 0 (clear) without an Fmask file, 255 = no information."""
        if not self.fmask_path:
            return np.zeros((self.size, self.size), dtype=np.uint8)
        if self._fmask_ds is None:
            self._fmask_ds = open_dataset(self.fmask_path)
            self._fmask_info = describe(self.fmask_path)
        finfo = self._fmask_info
        if self.same_grid:
            off = self.offset(row, col)
            own_gt = list(self.info.geotransform)
            if off is not None:
                own_gt[0] = self.info.geotransform[0] + off[1] * own_gt[1] + off[0] * own_gt[2]
                own_gt[3] = self.info.geotransform[3] + off[1] * own_gt[4] + off[0] * own_gt[5]
            aligned = (finfo.geotransform == self.info.geotransform and finfo.width == self.info.width
                       and finfo.height == self.info.height and same_crs(finfo.projection, self.info.projection))
            if aligned and off is not None:
                if self._fmask_cache is None:
                    lo, hi = self._column_span()
                    self._fmask_cache = RowBandCache(self._fmask_ds, lo, hi, bands=[1])
                raw = self._fmask_cache.window(off[0], off[1], self.size, self.size)[0]
                return self._decode(raw, finfo)
            gt, wkt = own_gt, self.info.projection
        else:
            gt, wkt = self.tile_geotransform(row, col), self.base.projection
        raw = self._warp_fmask(gt, wkt)
        return self._decode(raw, finfo)

    def _warp_fmask(self, gt, wkt) -> np.ndarray:
        from osgeo import gdal

        if self._fmask_vrt is None:
            self._fmask_vrt = gdal.Translate("", self._fmask_ds, format="VRT", bandList=[1])
        return warp_to_tile(self._fmask_vrt, gt, wkt, self.size, np.uint8, "near", None, FILL)[0]

    def _decode(self, raw: np.ndarray, finfo: RasterInfo) -> np.ndarray:
        codes = decode(raw, bitwise=self.fmask_bitwise)
        nd = finfo.nodata[0] if finfo.nodata else None
        if not self.fmask_bitwise and nd is not None:
            codes[raw == nd] = FILL
        return codes


def fmask_beside(image_path: str) -> Optional[str]:
    """``fmask_<image name>.tif`` next to the image (the reference's convention), if it exists."""
    from ..inputs.datasets import fmask_beside as fmask_of

    return fmask_of(image_path)
