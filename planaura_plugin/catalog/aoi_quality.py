"""How clear a scene is over the area of interest, read from its quality asset over that window only.

A scene's ``eo:cloud_cover`` is the share of the whole tile; a small area can be clear under a
cloudy scene or cloudy under a clear one. The quality asset (HLS Fmask, Sentinel-2 SCL) is read
over the AOI's window only (``/vsicurl/``: GDAL asks for the blocks it covers) and decoded to the
pipeline's quality codes (:func:`planaura_plugin.fmask.decode_quality`).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Tuple

import numpy as np

from ..i18n import _
from .errors import CatalogError
from .access import failure_message, open_remote

CLOUD_CODES = (1, 2, 3)  # cloud, adjacent to cloud/shadow, shadow (planaura_plugin.fmask)
NO_INFORMATION = 255


@dataclass(frozen=True)
class Aoi:
    """The area of interest: a rectangle in a CRS (anything GDAL's SetFromUserInput accepts, or WKT)."""

    bbox: Tuple[float, float, float, float]  # xmin, ymin, xmax, ymax
    crs: str

    def bounds_in(self, srs_wkt: str) -> Tuple[float, float, float, float]:
        """The rectangle's envelope in another CRS (edges densified), x/y in GIS order."""
        from osgeo import osr

        src, dst = osr.SpatialReference(), osr.SpatialReference()
        src.SetFromUserInput(self.crs)
        dst.SetFromUserInput(srs_wkt)
        for srs in (src, dst):
            srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
        if src.IsSame(dst):
            return self.bbox
        xmin, ymin, xmax, ymax = osr.CoordinateTransformation(src, dst).TransformBounds(*self.bbox, 21)
        return float(xmin), float(ymin), float(xmax), float(ymax)

    def wgs84(self) -> Tuple[float, float, float, float]:
        """West, south, east, north in degrees (for the search)."""
        return self.bounds_in("EPSG:4326")


@dataclass(frozen=True)
class AoiCover:
    """Quality over the AOI.

    Attributes:
        cloud: share (0-1) of the AOI's pixels with information that are cloud, adjacent or shadow.
        valid: share (0-1) of the AOI's pixels that have information (inside the scene, not fill).
        pixels: pixels of the AOI window on the quality asset's grid.
    """

    cloud: float
    valid: float
    pixels: int


def aoi_cover(url: str, kind: str, aoi: Aoi, catalogue: str = "", item: str = "") -> AoiCover:
    """Cloud and valid share of a quality asset over the AOI, reading only the AOI's window.

    Args:
        url: the quality asset's URL (``https://...Fmask.tif``) or GDAL name.
        kind: ``fmask_bitwise`` or ``scl`` (:mod:`planaura_plugin.inputs`).
        aoi: the area; catalogue, item: for messages.

    Raises:
        CatalogError: the asset cannot be read (message: catalogue, item, what to do).
    """
    from ..fmask import decode_quality
    from ..gdal_calls import gdal_call

    ds = open_remote(url, catalogue, item)
    gt = ds.GetGeoTransform()
    xmin, ymin, xmax, ymax = aoi.bounds_in(ds.GetProjection())
    c0, c1 = math.floor((xmin - gt[0]) / gt[1]), math.ceil((xmax - gt[0]) / gt[1])
    r0, r1 = math.floor((ymax - gt[3]) / gt[5]), math.ceil((ymin - gt[3]) / gt[5])
    total = max(c1 - c0, 1) * max(r1 - r0, 1)
    x0, x1 = max(c0, 0), min(c1, ds.RasterXSize)
    y0, y1 = max(r0, 0), min(r1, ds.RasterYSize)
    if x1 <= x0 or y1 <= y0:
        return AoiCover(cloud=0.0, valid=0.0, pixels=total)
    band = ds.GetRasterBand(1)
    raw, reason = gdal_call(band.ReadAsArray, x0, y0, x1 - x0, y1 - y0)
    if raw is None:
        raise CatalogError(failure_message(catalogue, item, url, reason or _("the read failed")))
    codes = decode_quality(raw, kind, band.GetNoDataValue())
    informed = codes != NO_INFORMATION
    n_valid = int(informed.sum())
    cloudy = int(np.isin(codes[informed], CLOUD_CODES).sum())
    return AoiCover(cloud=cloudy / n_valid if n_valid else 1.0, valid=n_valid / total, pixels=total)
