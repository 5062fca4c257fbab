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
from ..gdal_calls import gdal_call, spatial_reference
from ..i18n import _

Bounds = Tuple[float, float, float, float]  # xmin, ymin, xmax, ymax
Window = Tuple[int, int, int, int]  # x offset, y offset, width, height (pixels)

DENSIFY_POINTS = 21  # rasterio.warp.transform_bounds' default, used by the reference
APPROX_ERROR_PX = 0.125  # GDAL's and rasterio's default approximate-transformer error
WARP_MEMORY_MB_PER_BAND = 64  # GDAL's default warp memory, which the reference's per-band warps use


def target_srs(crs: str):
    """An ``osr.SpatialReference`` (x/y axis order) from user input; :class:`InputError` if unknown."""
    srs, _reason = spatial_reference(str(crs or ""), user_input=True)
    if srs is None:
        raise InputError(_("unknown target CRS {crs!r}; give e.g. 'EPSG:3979', a WKT or a PROJ string").format(
                             crs=crs))
    return srs


def raster_srs(wkt: str, path: str):
    """The CRS of a raster (x/y axis order); :class:`InputError` naming the file if it has none."""
    if not wkt:
        raise InputError(_("{path} has no coordinate reference system; assign one before mosaicking").format(
                             path=path))
    srs, reason = spatial_reference(wkt)
    if srs is None:
        raise InputError(_("the coordinate reference system of {path} cannot be read: {exc}").format(
                             path=path, exc=reason))
    return srs


def transform_bounds(bounds: Bounds, src_srs, dst_srs, path: str = "") -> Bounds:
    """Bounds in ``dst_srs``, densified along the edges as ``rasterio.warp.transform_bounds``."""
    from osgeo import osr

    if src_srs.IsSame(dst_srs):
        return tuple(float(v) for v in bounds)  # type: ignore[return-value]
    ct, reason = gdal_call(osr.CoordinateTransformation, src_srs, dst_srs)
    out, reason = (gdal_call(ct.TransformBounds, float(bounds[0]), float(bounds[1]), float(bounds[2]),
                             float(bounds[3]), DENSIFY_POINTS) if ct is not None else (None, reason))
    if out is None or not all(np.isfinite(out)):
        raise InputError(_("the bounds of {value} cannot be transformed to the target CRS: {exc}").format(
                             value=path or 'a layer', exc=reason or _("no reason given")))
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
        raise InputError(_("no layer to mosaic"))
    if not resolution or not np.isfinite(resolution) or resolution <= 0:
        raise InputError(_("the target resolution must be > 0, got {resolution}").format(
                             resolution=resolution))
    xmin = min(b[0] for b in bounds)
    ymin = min(b[1] for b in bounds)
    xmax = max(b[2] for b in bounds)
    ymax = max(b[3] for b in bounds)
    width = int((xmax - xmin) / resolution) + 1
    height = int((ymax - ymin) / resolution) + 1
    return MosaicGrid(wkt=srs.ExportToWkt(), resolution=float(resolution), x_origin=float(xmin),
                      y_origin=float(ymax), width=width, height=height)


MAX_SCALE = 1000.0  # a target pixel more than this many times coarser or finer than the inputs' is refused
DEFAULT_METRE_RESOLUTION = 30.0  # upstream's default, kept for target CRSs in metres


def crs_unit(srs) -> str:
    """Name of the unit of the CRS's axes (``metre``, ``degree``, ``US survey foot``...), from osr.

    Args:
        srs: an ``osr.SpatialReference``.

    Returns:
        The unit's name as the CRS defines it.
    """
    if srs.IsGeographic():
        return srs.GetAngularUnitsName() or "degree"
    return srs.GetLinearUnitsName() or "unit"


def in_metres(srs) -> bool:
    """Whether the CRS is projected with axes in metres."""
    return bool(srs.IsProjected()) and abs(srs.GetLinearUnits() - 1.0) < 1e-12


def native_resolution(path: str, wkt: str, geotransform: Sequence[float], dst_srs) -> Optional[float]:
    """The raster's pixel size expressed in the units of ``dst_srs``.

    GDAL's own suggestion for a warp into ``dst_srs`` (``AutoCreateWarpedVRT``: square pixels
    that keep the number of pixels along the diagonal); the raster's own size when the CRS
    is the same.

    Args:
        path: the raster.
        wkt: its CRS.
        geotransform: its geotransform.
        dst_srs: the target ``osr.SpatialReference``.

    Returns:
        The pixel size, or None when GDAL cannot tell.
    """
    from osgeo import gdal

    if raster_srs(wkt, path).IsSame(dst_srs):
        return float(np.sqrt(abs(geotransform[1] * geotransform[5]))) or None
    src, _reason = gdal_call(gdal.Open, path)
    vrt, _reason = (gdal_call(gdal.AutoCreateWarpedVRT, src, wkt, dst_srs.ExportToWkt(), gdal.GRA_NearestNeighbour,
                              APPROX_ERROR_PX) if src is not None else (None, _reason))
    if vrt is None:
        return None
    res = abs(vrt.GetGeoTransform()[1])
    return float(res) if np.isfinite(res) and res > 0 else None


def rounded(value: float, digits: int = 3) -> float:
    """``value`` to ``digits`` significant digits (a resolution a user can read and type)."""
    return float(f"{float(value):.{digits}g}")


def check_resolution(resolution: float, bounds: Sequence[Bounds], natives: Sequence[float], srs,
                     crs_label: str) -> None:
    """Refuse a target resolution that cannot give a sensible mosaic in the target CRS's units.

    Refused: one pixel larger than all the inputs together, or a pixel more than
    :data:`MAX_SCALE` times coarser than the coarsest input pixel or finer than the finest one
    (their sizes in the target units) -- typically metres typed for a CRS in degrees.

    Args:
        resolution: the target pixel size, in target CRS units.
        bounds: the inputs' bounds in the target CRS.
        natives: the inputs' pixel sizes in the target units (see :func:`native_resolution`).
        srs: the target ``osr.SpatialReference``.
        crs_label: the target CRS as the user gave it.

    Raises:
        InputError: saying the unit, what the resolution would give and a sensible value.
    """
    unit = crs_unit(srs)
    span_x = max(b[2] for b in bounds) - min(b[0] for b in bounds)
    span_y = max(b[3] for b in bounds) - min(b[1] for b in bounds)
    problem = None
    if resolution > max(span_x, span_y):
        problem = _("one pixel would be larger than all the inputs together ({span_x:.3g} x {span_y:.3g} {unit})"
                    ).format(span_x=span_x, span_y=span_y, unit=unit)
    elif natives and resolution > MAX_SCALE * max(natives):
        problem = _("pixels would be {factor:.0f} times coarser than the inputs'").format(
            factor=resolution / max(natives))
    elif natives and resolution < min(natives) / MAX_SCALE:
        problem = _("pixels would be {factor:.0f} times finer than the inputs'").format(
            factor=min(natives) / resolution)
    if problem is None:
        return
    hint = _("give a resolution in that unit")
    if natives:
        size = rounded(min(natives))
        hint = _("the inputs' pixels measure about {size:g} {unit} in {crs_label}: give a resolution near {size:g}"
                 ).format(size=size, unit=unit, crs_label=crs_label)
        if not in_metres(srs):
            hint += _(" (or none: the inputs' pixel size is then the default)")
    raise InputError(_("the target resolution {resolution:g} is impossible in {crs_label}, whose unit is the {unit}: "
                       "{problem}; {hint}").format(
                         resolution=resolution, crs_label=crs_label, unit=unit, problem=problem, hint=hint))


def default_resolution(natives: Sequence[float], srs, crs_label: str) -> float:
    """The resolution of a mosaic whose resolution is not given.

    30 (upstream's default) in a CRS in metres; otherwise the finest input pixel size in the
    target units, to 3 significant digits.

    Args:
        natives: the inputs' pixel sizes in the target units.
        srs: the target ``osr.SpatialReference``.
        crs_label: the target CRS as the user gave it.

    Returns:
        The resolution.

    Raises:
        InputError: no input pixel size can be expressed in the target CRS.
    """
    if in_metres(srs):
        return DEFAULT_METRE_RESOLUTION
    if not natives:
        raise InputError(_("the pixel size of the inputs cannot be expressed in {crs_label} (unit: {crs_unit}); give "
                           "the target resolution").format(crs_label=crs_label, crs_unit=crs_unit(srs)))
    return rounded(min(natives))


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

    from .geotiff import gdal_reason, gdal_type

    x_off, y_off, w, h = window
    src, reason = gdal_call(gdal.Open, source) if isinstance(source, str) else (source, "")
    if src is None:
        raise InputError(_("GDAL cannot read {name}: {gdal_reason}").format(
                             name=_name(source), gdal_reason=gdal_reason(reason)))
    if list(bands) != list(range(1, src.RasterCount + 1)):  # a subset: gdal.Warp of GDAL < 3.7 has no -srcband
        src, reason = gdal_call(gdal.Translate, "", src, format="VRT", bandList=list(bands))
        if src is None:
            raise InputError(_("cannot read bands {bands} of {name}: {gdal_reason}").format(
                                 bands=list(bands), name=_name(source), gdal_reason=gdal_reason(reason)))
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
    ok, reason = gdal_call(gdal.Warp, dst, src, **kwargs)
    out, read_reason = gdal_call(dst.ReadAsArray) if ok else (None, reason)
    if out is None:
        raise InputError(_("GDAL could not warp {name} to the mosaic grid: {gdal_reason}").format(
                             name=_name(source), gdal_reason=gdal_reason(read_reason)))
    return out.reshape(len(bands), int(h), int(w))


def _name(source) -> str:
    return source if isinstance(source, str) else source.GetDescription()
