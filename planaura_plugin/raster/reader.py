"""Reading every date of a run on the tiles of the first image, with GDAL (SPEC 3).

Every raster is seen through its :class:`~.grids.Orientation` (a mirrored, e.g. south-up,
grid has its rows reversed), so the first image's pixel space is the run's. A date on the
same lattice as the first image (:func:`~.grids.aligned_offset`: same CRS, same pixel
vectors, origin on a pixel corner, within 0.01 px) is read at the rounded pixel offset of
the tile's corner; a date on any other grid is warped onto each tile by GDAL with cubic
resampling. Fmask files are read the same way on the first image's tiles, with nearest
neighbour when they need warping.

Same-grid reads keep one band of rows (a few tile heights) and drop GDAL's block cache
after each read, so memory does not grow with the raster.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, replace
from functools import partial
from typing import Any, List, Optional, Sequence, Tuple

import numpy as np

from ..errors import InputError
from ..gdal_calls import gdal_call, spatial_reference
from ..i18n import _
from ..fmask import FILL, decode_quality
from ..quality_kinds import QualitySource
from .row_band import PixelTransform, RowBandCache, RowMemo
from .model_bands import BandLayout, ModelBandsView, to_model_convention, warp_source
from .grids import Orientation, aligned_offset, grid_bounds, orientation_of, oriented_geotransform
from .grids import same_crs as grids_same_crs


@dataclass(frozen=True)
class RasterInfo:
    """What the pipeline needs to know about one input raster."""

    path: str
    width: int
    height: int
    bands: int
    dtype: np.dtype
    geotransform: Tuple[float, ...]  # of the pixels as the run sees them (after ``orientation``)
    projection: str  # WKT, '' when the raster has no CRS
    georeferenced: bool
    nodata: Tuple[Optional[float], ...]  # per band as declared (None = not set)
    orientation: Orientation = Orientation()  # how the stored pixels are turned (south-up: rows reversed)
    layout: Optional[BandLayout] = None  # where the model bands are and their convention; None = as stored
    quality: Optional[QualitySource] = None  # the product's own quality layer (HLS Fmask, Sentinel-2 SCL)
    date: Optional[int] = None  # YYYYDDD from the product's metadata, when it gives one
    messages: Tuple[Tuple[str, str], ...] = ()  # ("info" | "warning", text): what reading it decided
    label: str = ""  # what the user chose, for messages (``path`` may be a VRT or a sub-dataset)

    @property
    def name(self) -> str:
        """The input as the user knows it (a file name), for messages."""
        return self.label or self.path

    @property
    def model_bands(self) -> int:
        """How many bands the model gets from this raster."""
        return len(self.layout.bands) if self.layout is not None else self.bands

    @property
    def through_layout(self) -> bool:
        """Whether reads go through :attr:`layout` (else the stored bands are read as they are)."""
        return self.layout is not None and not self.layout.is_identity(self.bands)

    @property
    def active_layout(self) -> Optional[BandLayout]:
        """:attr:`layout` when reads go through it (:attr:`through_layout`), else None."""
        return self.layout if self.through_layout else None

    @property
    def model_dtype(self) -> np.dtype:
        """dtype of the model bands as read."""
        lay = self.active_layout
        return lay.output_dtype(self.dtype) if lay is not None else self.dtype

    @property
    def bounds(self) -> Tuple[float, float, float, float]:
        """(xmin, ymin, xmax, ymax) of the raster's four corners (any affine geotransform)."""
        return grid_bounds(self.geotransform, self.width, self.height)

    def cut_nodata(self) -> List[float]:
        """Nodata per model band for cutting tiles: an unset value counts as 0 (the reference's rule);
        through a layout that marks invalid pixels, the model's nodata value."""
        lay = self.active_layout
        if lay is not None and lay.substitutes and lay.model_nodata is not None:  # substitutes: it is set
            return [float(lay.model_nodata)] * self.model_bands
        return [0.0 if v is None else float(v) for v in self.nodata]


def open_dataset(path: str):
    """Open a raster read-only; an :class:`InputError` that names the file when GDAL cannot."""
    from .datasets import open_dataset as open_named

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
    try:
        orientation = orientation_of(gt) if georef else Orientation()
    except ValueError as exc:
        raise InputError(_("{path} has a geotransform GDAL reads as {geotransform}: {reason}; the raster cannot be "
                           "placed on the ground. Fix its georeferencing (e.g. gdal_edit.py -a_ullr) and try "
                           "again").format(path=path, geotransform=tuple(gt), reason=exc)) from None
    gt = oriented_geotransform(gt, ds.RasterXSize, ds.RasterYSize, orientation)
    b1 = ds.GetRasterBand(1) if ds.RasterCount else None
    dtype = np.dtype(gdal_array.GDALTypeCodeToNumericTypeCode(b1.DataType)) if b1 is not None else np.dtype("f4")
    nodata = tuple(ds.GetRasterBand(i + 1).GetNoDataValue() for i in range(ds.RasterCount))
    return RasterInfo(path=str(path), width=ds.RasterXSize, height=ds.RasterYSize, bands=ds.RasterCount,
                      dtype=dtype, geotransform=tuple(float(v) for v in gt), projection=projection,
                      georeferenced=georef, nodata=nodata, orientation=orientation)


def same_crs(wkt_a: str, wkt_b: str) -> bool:
    """Whether two WKT strings describe the same CRS (both empty = pixel space)."""
    return grids_same_crs(wkt_a, wkt_b)


def same_lattice(info: RasterInfo, base: RasterInfo) -> Optional[Tuple[int, int]]:
    """(row, col) of ``base``'s pixel (0, 0) on ``info``'s oriented grid when both share one pixel
    lattice (same CRS, pixel vectors and pixel corners within 0.01 px, see :mod:`.grids`), else None."""
    if not grids_same_crs(base.projection, info.projection, base.geotransform, base.width, base.height):
        return None
    return aligned_offset(base.geotransform, info.geotransform, max(base.width, base.height, info.width, info.height))


class OrientedDataset:
    """A GDAL dataset read through an :class:`Orientation` (windows of the turned pixels).

    Offers the few dataset calls the readers use: sizes, ``ReadAsArray`` of a window,
    ``FlushCache`` and ``GetDescription``.
    """

    def __init__(self, ds, orientation: Orientation) -> None:
        self.ds, self.orientation = ds, orientation
        self.RasterXSize, self.RasterYSize, self.RasterCount = ds.RasterXSize, ds.RasterYSize, ds.RasterCount

    def ReadAsArray(self, xoff: int, yoff: int, width: int, height: int, band_list=None):  # noqa: N802 - GDAL's name
        o = self.orientation
        x = self.RasterXSize - xoff - width if o.flip_cols else xoff
        y = self.RasterYSize - yoff - height if o.flip_rows else yoff
        arr = self.ds.ReadAsArray(x, y, width, height, band_list=band_list)
        if arr is None:
            return None
        if o.flip_rows:
            arr = arr[..., ::-1, :]
        if o.flip_cols:
            arr = arr[..., ::-1]
        return np.ascontiguousarray(arr)

    def FlushCache(self) -> None:  # noqa: N802 - GDAL's name
        self.ds.FlushCache()

    def GetDescription(self) -> str:  # noqa: N802 - GDAL's name
        return self.ds.GetDescription()


def oriented(ds, info: RasterInfo):
    """``ds`` itself for an unmirrored grid, else an :class:`OrientedDataset` of it."""
    return ds if info.orientation.identity else OrientedDataset(ds, info.orientation)


def transform_bounds_wkt(bounds: Tuple[float, float, float, float], src_wkt: str, dst_wkt: str,
                     densify: int = 21) -> Tuple[float, float, float, float]:
    """Bounds from one CRS to another, densified along the edges (as rasterio's ``transform_bounds``).

    Raises:
        InputError: a CRS cannot be read, or the bounds cannot be transformed (in either GDAL
            exceptions state).
    """
    if not src_wkt or not dst_wkt or same_crs(src_wkt, dst_wkt):
        return bounds
    from osgeo import osr

    (src, src_reason), (dst, dst_reason) = (spatial_reference(wkt, user_input=True) for wkt in (src_wkt, dst_wkt))
    ct, reason = (gdal_call(osr.CoordinateTransformation, src, dst) if src is not None and dst is not None
                  else (None, src_reason or dst_reason))
    out, reason = (gdal_call(ct.TransformBounds, bounds[0], bounds[1], bounds[2], bounds[3], densify)
                   if ct is not None else (None, reason))
    if out is None or not all(math.isfinite(v) for v in out):
        raise InputError(_("the bounds {bounds} cannot be transformed to the CRS of the image: {reason}").format(
            bounds=tuple(bounds), reason=reason or _("no reason given")))
    xmin, ymin, xmax, ymax = out
    return xmin, ymin, xmax, ymax


def warp_to_tile(ds, geotransform: Sequence[float], projection: str, size: int, dtype, resampling: str,
                 src_nodata: Optional[Sequence[Optional[float]]], dst_nodata: float,
                 src_alpha: bool = False) -> np.ndarray:
    """Warp every band of ``ds`` onto one S x S tile with GDAL; (bands, S, S) of ``dtype``.

    With ``src_alpha`` the last band of ``ds`` is an alpha band: it masks the others (0 =
    invalid) and is not warped itself.

    Bands are masked independently (``UNIFIED_SRC_NODATA=NO``), the tile starts as
    ``dst_nodata``, and the transformer is approximated to 0.125 px (GDAL's and rasterio's
    default), as a per-band ``rasterio.warp.reproject`` onto the tile does.

    A target pixel whose nearest source pixel is invalid stays ``dst_nodata`` whatever the
    resampling (GDAL 3.8's rule, that of the reference's rasterio 1.3.10; GDAL 3.6 gives it a
    value from the valid pixels of the kernel): the result is the same on either GDAL.
    """
    tile = _warp_once(ds, geotransform, projection, size, dtype, resampling, src_nodata, dst_nodata, src_alpha)
    if resampling != "near":
        nearest = _warp_once(ds, geotransform, projection, size, dtype, "near", src_nodata, dst_nodata, src_alpha)
        tile[nearest == np.asarray(dst_nodata).astype(tile.dtype)] = np.asarray(dst_nodata).astype(tile.dtype)
    return tile


def _warp_once(ds, geotransform: Sequence[float], projection: str, size: int, dtype, resampling: str,
               src_nodata: Optional[Sequence[Optional[float]]], dst_nodata: float, src_alpha: bool) -> np.ndarray:
    """One GDAL warp of :func:`warp_to_tile` with ``resampling``."""
    from osgeo import gdal

    from .geotiff import gdal_type

    n = ds.RasterCount - (1 if src_alpha else 0)
    mem = gdal.GetDriverByName("MEM").Create("", int(size), int(size), n, gdal_type(dtype))
    mem.SetGeoTransform([float(v) for v in geotransform])
    if projection:
        mem.SetProjection(projection)
    for b in range(n):
        band = mem.GetRasterBand(b + 1)
        band.SetNoDataValue(float(dst_nodata))
        band.Fill(float(dst_nodata))
    kwargs = dict(resampleAlg=resampling, errorThreshold=0.125, multithread=False,
                  warpOptions=["UNIFIED_SRC_NODATA=NO", "INIT_DEST=NO_DATA"], dstNodata=float(dst_nodata),
                  srcAlpha=bool(src_alpha))
    if src_nodata is not None and any(v is not None for v in src_nodata):
        kwargs["srcNodata"] = " ".join("None" if v is None else repr(float(v)) for v in src_nodata)
    else:
        kwargs["srcNodata"] = "None"
    result, reason = gdal_call(gdal.Warp, mem, ds, options=gdal.WarpOptions(**kwargs))
    if result is None:
        raise InputError(_("GDAL could not warp {path} onto a tile: {reason}; the file may be truncated or "
                           "corrupt").format(path=ds.GetDescription(), reason=reason or _("no reason given")))
    return mem.ReadAsArray().reshape((n, int(size), int(size)))


class DateReader:
    """One date (image + optional Fmask) read on the tiles of the first image."""

    def __init__(self, info: RasterInfo, base: RasterInfo, area_cols: Tuple[int, int], tile_size: int,
                 quality: Optional[QualitySource] = None, is_base: bool = False,
                 memo: Optional[RowMemo] = None, memo_mode: str = "off",
                 transform: Optional[PixelTransform] = None, missing_quality: int = FILL) -> None:
        """``quality``: the date's quality layer (None: every pixel is ``missing_quality``, 255 "no
        information" unless the caller asks for the reference's 0 "clear"); ``memo_mode``: "record" keeps what is
        read (raw rows of a same-grid date, warped tiles of another) in ``memo``, "use" takes it from
        it; ``transform``: a per-pixel function of the raw model bands (e.g. the normalisation) that
        :meth:`read` applies, once per row on a same-grid date."""
        self.info, self.base, self.size = info, base, int(tile_size)
        self.is_base = is_base
        self.memo, self.memo_mode = memo, memo_mode  # the memo keeps raw values, before ``transform``
        self.transform = transform
        # (row, col) of the first image's pixel (0, 0) on this date's grid; None = warped
        self.lattice_offset: Optional[Tuple[int, int]] = (0, 0) if is_base else same_lattice(info, base)
        self.same_grid = self.lattice_offset is not None
        self.quality = quality
        self.missing_quality = int(missing_quality)
        self._area_cols = area_cols
        self._ds = None
        self._cache: Optional[RowBandCache] = None
        self._fmask_ds = None
        self._fmask_info: Optional[RasterInfo] = None
        self._fmask_offset: Optional[Tuple[int, int]] = None
        self._fmask_cache: Optional[RowBandCache] = None
        self._warp_row: Optional[int] = None
        self._warp_src: Any = None  # (GDAL source of the model bands, alpha band or None)
        self._fmask_vrt = None

    # -- opening (lazily, so that each thread opens its own handles) -------------------------
    def _dataset(self):
        if self._ds is None:
            self._ds = open_dataset(self.info.path)
            if self.lattice_offset is not None:  # same_grid
                lo, hi = self._column_span(self.lattice_offset)
                lay = self.info.active_layout
                view = ModelBandsView(self._ds, lay) if lay is not None else self._ds
                self._cache = RowBandCache(oriented(view, self.info), lo, hi, transform=self.transform,
                                           memo=self.memo, memo_key=(self.info.path, repr(lay), lo, hi),
                                           memo_mode=self.memo_mode)
        return self._ds

    def _column_span(self, lattice_offset: Tuple[int, int]) -> Tuple[int, int]:
        c0, c1 = self._area_cols
        return c0 + lattice_offset[1], c1 + lattice_offset[1]

    def close(self) -> None:
        self._ds = self._cache = self._fmask_ds = self._fmask_cache = self._fmask_vrt = self._warp_src = None

    # -- grid arithmetic ------------------------------------------------------------------
    def tile_origin(self, row: int, col: int) -> Tuple[float, float]:
        """Map coordinates of the tile's top-left corner on the first image (the reference's formula)."""
        gt = self.base.geotransform
        return gt[0] + col * gt[1] + row * gt[2], gt[3] + col * gt[4] + row * gt[5]

    def tile_geotransform(self, row: int, col: int) -> Tuple[float, ...]:
        gt = self.base.geotransform
        x, y = self.tile_origin(row, col)
        return (x, gt[1], gt[2], y, gt[4], gt[5])

    def offset(self, row: int, col: int) -> Optional[Tuple[int, int]]:
        """(row, col) of the tile on this date's own (oriented) grid, or None when it is not fully inside."""
        return _tile_on_lattice(self.lattice_offset, row, col, self.size, self.info)

    # -- reading --------------------------------------------------------------------------
    def read(self, row: int, col: int) -> Optional[np.ndarray]:
        """The tile (bands, S, S): raw in the image's dtype, or through the reader's ``transform``;
        None when a same-grid date misses it. Same-grid tiles may be views of the row band: copy
        them before the next read."""
        ds = self._dataset()
        if self.same_grid:
            off = self.offset(row, col)
            if off is None:
                return None
            assert self._cache is not None  # made by _dataset() on a same-grid date (it keeps rows in the memo)
            return self._cache.window(off[0], off[1], self.size, self.size)
        key = (self.info.path, row, col)
        if row != self._warp_row:  # keep the source blocks of one row of tiles in GDAL's cache, not more
            ds.FlushCache()
            self._warp_row = row
        if self.memo is not None and self.memo_mode == "use":
            kept = self.memo.pop(key)
            if kept is not None:
                return self._transformed(kept)
        tile = self._warp(ds, row, col)
        if self.memo is not None and self.memo_mode == "record":
            self.memo.put(key, tile)
        return self._transformed(tile)

    def _transformed(self, raw: np.ndarray) -> np.ndarray:
        return raw if self.transform is None else self.transform(raw)

    def _warp(self, ds, row: int, col: int) -> np.ndarray:
        """The model bands warped (cubic) onto the first image's tile, invalid pixels at the cut nodata."""
        info = self.info
        gt, wkt = self.tile_geotransform(row, col), self.base.projection
        lay = info.active_layout
        if lay is None:
            return warp_to_tile(ds, gt, wkt, self.size, info.dtype, "cubic", info.nodata, info.cut_nodata()[0])
        if self._warp_src is None:
            self._warp_src = warp_source(ds, lay)
        src, alpha = self._warp_src
        nodata = info.cut_nodata()[0]
        tile = warp_to_tile(src, gt, wkt, self.size, info.model_dtype, "cubic", lay.declared_nodata or None, nodata,
                            src_alpha=alpha)
        if lay.affine:  # warped invalid pixels hold the model's nodata: rescale the others only
            tile = to_model_convention(tile, replace(lay, declared_nodata=(nodata,) * tile.shape[0]))
        return tile

    def read_fmask(self, row: int, col: int) -> np.ndarray:
        """Fmask codes (S, S) uint8 on the first image's tile, 255 = no information; without a quality layer every
        pixel is ``missing_quality``
        (may be a view of the decoded row band: copy it before the next read).

        An Fmask on the first image's pixel lattice is read pixel for pixel; any other is
        warped onto the tile with nearest neighbour.
        """
        quality = self.quality
        if quality is None:
            return np.full((self.size, self.size), self.missing_quality, dtype=np.uint8)
        if self._fmask_ds is None or self._fmask_info is None:
            self._fmask_ds = open_dataset(quality.dataset)
            self._fmask_info = describe(quality.dataset)
            self._fmask_offset = same_lattice(self._fmask_info, self.base)
        finfo = self._fmask_info
        lattice = self._fmask_offset
        off = None if lattice is None else _tile_on_lattice(lattice, row, col, self.size, finfo)
        if lattice is not None and off is not None:
            if self._fmask_cache is None:  # decoded once per row of the band, not once per overlapping tile
                lo, hi = self._column_span(lattice)
                self._fmask_cache = RowBandCache(oriented(self._fmask_ds, finfo), lo, hi, bands=[quality.band],
                                                 transform=partial(_decoded_into, finfo=finfo, quality=quality))
            return self._fmask_cache.window(off[0], off[1], self.size, self.size)[0]
        raw = self._warp_fmask(self.tile_geotransform(row, col), self.base.projection, quality.band)
        return self._decode(raw, finfo, quality)

    def _warp_fmask(self, gt, wkt, band: int) -> np.ndarray:
        from osgeo import gdal

        if self._fmask_vrt is None:
            fmask = self._fmask_ds
            self._fmask_vrt, reason = gdal_call(gdal.Translate, "", fmask, format="VRT", bandList=[band])
            if self._fmask_vrt is None:
                raise InputError(_("GDAL cannot select bands {bands} of {name}: {reason}").format(
                    bands=[band], name=fmask.GetDescription() if fmask is not None else "",
                    reason=reason or _("no reason given")))
        return warp_to_tile(self._fmask_vrt, gt, wkt, self.size, np.uint8, "near", None, FILL)[0]

    @staticmethod
    def _decode(raw: np.ndarray, finfo: RasterInfo, quality: QualitySource) -> np.ndarray:
        b = quality.band
        nd = finfo.nodata[b - 1] if len(finfo.nodata) >= b else None
        return decode_quality(raw, quality.kind, nd)


def _decoded_into(raw: np.ndarray, finfo: RasterInfo, quality: QualitySource,
                  out: Optional[np.ndarray] = None) -> np.ndarray:
    """:meth:`DateReader._decode` of ``raw`` (a row band's transform), written into ``out`` when given."""
    codes = DateReader._decode(raw, finfo, quality)
    if out is None:
        return codes
    out[...] = codes
    return out


def _tile_on_lattice(lattice_offset: Optional[Tuple[int, int]], row: int, col: int, size: int,
                     info: RasterInfo) -> Optional[Tuple[int, int]]:
    """(row, col) of a first-image tile on a raster sharing its lattice, or None (other grid, not fully inside)."""
    if lattice_offset is None:
        return None
    r, c = row + lattice_offset[0], col + lattice_offset[1]
    if r < 0 or c < 0 or r + size > info.height or c + size > info.width:
        return None
    return r, c


