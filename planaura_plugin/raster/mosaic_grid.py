"""The mosaic's target grid and the GDAL warps that bring per-pair layers onto it.

The grid and the warp settings reproduce what the reference does with rasterio
(``transform_bounds`` with 21 densification points, ``from_origin`` on the union of the
bounds, ``reproject`` into 1024 px windows with GDAL's approximate transformer at 0.125 px).
The approximate transformer interpolates along each destination row of a warp, so the
warped values depend (slightly, up to ~4e-3 in cosine) on the window the warp covers: keep
the reference's 1024 px windows for parity.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator, List, Optional, Sequence, Tuple

import numpy as np

from ..errors import InputError

Bounds = Tuple[float, float, float, float]  # xmin, ymin, xmax, ymax
Window = Tuple[int, int, int, int]  # x offset, y offset, width, height (pixels)

DENSIFY_POINTS = 21  # rasterio.warp.transform_bounds' default, used by the reference
APPROX_ERROR_PX = 0.125  # GDAL's and rasterio's default approximate-transformer error
WARP_MEMORY_MB_PER_BAND = 64  # GDAL's default warp memory, which the reference's per-band warps use


def target_srs(crs: str):
    """An ``osr.SpatialReference`` (x/y axis order) from user input; :class:`InputError` if unknown."""
    from osgeo import osr

    srs = osr.SpatialReference()
    text = str(crs or "").strip()
    try:
        err = srs.SetFromUserInput(text) if text else 1
    except RuntimeError as exc:  # GDAL with exceptions enabled
        raise InputError(f"unknown target CRS {crs!r}: {exc}") from exc
    if err != 0:
        raise InputError(f"unknown target CRS {crs!r}; give e.g. 'EPSG:3979', a WKT or a PROJ string")
    srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    return srs


def raster_srs(wkt: str, path: str):
    """The CRS of a raster (x/y axis order); :class:`InputError` naming the file if it has none."""
    from osgeo import osr

    if not wkt:
        raise InputError(f"{path} has no coordinate reference system; assign one before mosaicking")
    srs = osr.SpatialReference()
    try:
        err = srs.ImportFromWkt(wkt)
    except RuntimeError as exc:
        raise InputError(f"the coordinate reference system of {path} cannot be read: {exc}") from exc
    if err != 0:
        raise InputError(f"the coordinate reference system of {path} cannot be read")
    srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    return srs


def raster_bounds(geotransform: Sequence[float], width: int, height: int) -> Bounds:
    """Envelope of the raster's four corners in its own CRS."""
    gt = geotransform
    xs, ys = [], []
    for col, row in ((0, 0), (width, 0), (0, height), (width, height)):
        xs.append(gt[0] + col * gt[1] + row * gt[2])
        ys.append(gt[3] + col * gt[4] + row * gt[5])
    return min(xs), min(ys), max(xs), max(ys)


def transform_bounds(bounds: Bounds, src_srs, dst_srs, path: str = "") -> Bounds:
    """Bounds in ``dst_srs``, densified along the edges as ``rasterio.warp.transform_bounds``."""
    from osgeo import osr

    if src_srs.IsSame(dst_srs):
        return tuple(float(v) for v in bounds)  # type: ignore[return-value]
    try:
        ct = osr.CoordinateTransformation(src_srs, dst_srs)
        out = ct.TransformBounds(float(bounds[0]), float(bounds[1]), float(bounds[2]), float(bounds[3]),
                                 DENSIFY_POINTS)
    except (RuntimeError, TypeError) as exc:
        raise InputError(f"the bounds of {path or 'a layer'} cannot be transformed to the target CRS: {exc}") from exc
    if out is None or not all(np.isfinite(out)):
        raise InputError(f"the bounds of {path or 'a layer'} cannot be transformed to the target CRS")
    return tuple(float(v) for v in out)  # type: ignore[return-value]


@dataclass(frozen=True)
class MosaicGrid:
    """North-up grid of square pixels: origin (top-left corner), resolution and size."""

    wkt: str
    resolution: float
    x_origin: float
    y_origin: float
    width: int
    height: int

    @property
    def geotransform(self) -> Tuple[float, float, float, float, float, float]:
        return (self.x_origin, self.resolution, 0.0, self.y_origin, 0.0, -self.resolution)

    def window_geotransform(self, window: Window) -> Tuple[float, float, float, float, float, float]:
        """Geotransform of a window, computed as rasterio's ``window_transform`` does (bit for bit)."""
        x_off, y_off = window[0], window[1]
        return (x_off * self.resolution + self.x_origin, self.resolution, 0.0,
                y_off * -self.resolution + self.y_origin, 0.0, -self.resolution)

    def window_bounds(self, window: Window) -> Bounds:
        gt = self.window_geotransform(window)
        return gt[0], gt[3] - window[3] * self.resolution, gt[0] + window[2] * self.resolution, gt[3]

    def blocks(self, block_size: int) -> Iterator[Window]:
        """Row-major windows of ``block_size`` px anchored at the origin (the reference's order)."""
        for y in range(0, self.height, block_size):
            for x in range(0, self.width, block_size):
                yield x, y, min(block_size, self.width - x), min(block_size, self.height - y)

    def block_count(self, block_size: int) -> int:
        return -(-self.width // block_size) * -(-self.height // block_size)


def grid_covering(bounds: Sequence[Bounds], srs, resolution: float) -> MosaicGrid:
    """The union of ``bounds`` (already in the target CRS), origin not snapped, size int(span/res)+1."""
    if not bounds:
        raise InputError("no layer to mosaic")
    if not resolution or not np.isfinite(resolution) or resolution <= 0:
        raise InputError(f"the target resolution must be > 0, got {resolution}")
    xmin = min(b[0] for b in bounds)
    ymin = min(b[1] for b in bounds)
    xmax = max(b[2] for b in bounds)
    ymax = max(b[3] for b in bounds)
    width = int((xmax - xmin) / resolution) + 1
    height = int((ymax - ymin) / resolution) + 1
    return MosaicGrid(wkt=srs.ExportToWkt(), resolution=float(resolution), x_origin=float(xmin),
                      y_origin=float(ymax), width=width, height=height)


def intersects(a: Bounds, b: Bounds, margin: float = 0.0) -> bool:
    return a[0] - margin < b[2] and b[0] - margin < a[2] and a[1] - margin < b[3] and b[1] - margin < a[3]


def warp_window(source, bands: Sequence[int], grid: MosaicGrid, window: Window, resampling: str,
                src_nodata: Optional[float], dst_nodata: float, dtype, num_threads: Optional[str] = "ALL_CPUS"
                ) -> np.ndarray:
    """Warp ``bands`` (1-based) of ``source`` (path or dataset) into one window of the grid.

    Equivalent to the reference's per-band ``rasterio.warp.reproject`` into a destination
    pre-filled with ``dst_nodata``: source pixels equal to ``src_nodata`` are invalid. Several
    bands in one warp equal per-band warps whenever the bands share their nodata footprint,
    as per-pair layers do; the memory limit grows with the bands so that GDAL cuts the warp
    into the same chunks as a single-band warp (the chunks matter through the approximate
    transformer). Returns ``(len(bands), h, w)``.
    """
    from osgeo import gdal

    from .geotiff import gdal_type

    x_off, y_off, w, h = window
    try:
        src = gdal.Open(source) if isinstance(source, str) else source
        if src is None:
            raise InputError(f"GDAL cannot read {_name(source)}: {gdal.GetLastErrorMsg()}")
        if list(bands) != list(range(1, src.RasterCount + 1)):  # a subset: gdal.Warp of GDAL < 3.7 has no -srcband
            src = gdal.Translate("", src, format="VRT", bandList=list(bands))
            if src is None:
                raise InputError(f"cannot read bands {list(bands)} of {_name(source)}: {gdal.GetLastErrorMsg()}")
        dst = gdal.GetDriverByName("MEM").Create("", int(w), int(h), len(bands), gdal_type(dtype))
        dst.SetGeoTransform(grid.window_geotransform(window))
        dst.SetProjection(grid.wkt)
        for i in range(len(bands)):
            band = dst.GetRasterBand(i + 1)
            band.SetNoDataValue(float(dst_nodata))
            band.Fill(float(dst_nodata))
        warp_options: List[str] = ["INIT_DEST=NO_DATA"]
        if num_threads:
            warp_options.append(f"NUM_THREADS={num_threads}")
        kwargs = dict(resampleAlg=resampling, dstNodata=float(dst_nodata), errorThreshold=APPROX_ERROR_PX,
                      warpOptions=warp_options, warpMemoryLimit=WARP_MEMORY_MB_PER_BAND * len(bands))
        if src_nodata is not None:
            kwargs["srcNodata"] = float(src_nodata)
        ok = gdal.Warp(dst, src, **kwargs)
        if not ok:
            raise InputError(f"GDAL could not warp {_name(source)} to the mosaic grid: {gdal.GetLastErrorMsg()}")
        out = dst.ReadAsArray()
    except RuntimeError as exc:  # GDAL with exceptions enabled (gdal.UseExceptions(), as QGIS may do)
        raise InputError(f"GDAL could not warp {_name(source)} to the mosaic grid: {exc}") from exc
    return out.reshape(len(bands), int(h), int(w))


def _name(source) -> str:
    return source if isinstance(source, str) else source.GetDescription()
