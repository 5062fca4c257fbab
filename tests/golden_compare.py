"""Comparing a GeoTIFF written by the plugin with a golden one (importable as `golden_compare`).

Generic: header checks (size, bands, type, nodata, geotransform, CRS) and a value comparison
that counts mismatching pixels, so that each test states its own tolerance and the fraction
of border pixels it accepts.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import List, Optional, Sequence

import numpy as np


@dataclass
class RasterInfo:
    path: str
    width: int
    height: int
    bands: int
    dtype: np.dtype
    nodata: List[Optional[float]]
    geotransform: Sequence[float]
    wkt: str
    descriptions: List[str]
    overviews: int


def raster_info(path: str) -> RasterInfo:
    from osgeo import gdal, gdal_array

    ds = gdal.Open(str(path))
    assert ds is not None, f"cannot open {path}"
    b1 = ds.GetRasterBand(1)
    return RasterInfo(path=str(path), width=ds.RasterXSize, height=ds.RasterYSize, bands=ds.RasterCount,
                      dtype=np.dtype(gdal_array.GDALTypeCodeToNumericTypeCode(b1.DataType)),
                      nodata=[ds.GetRasterBand(b + 1).GetNoDataValue() for b in range(ds.RasterCount)],
                      geotransform=tuple(ds.GetGeoTransform()), wkt=ds.GetProjection(),
                      descriptions=[ds.GetRasterBand(b + 1).GetDescription() for b in range(ds.RasterCount)],
                      overviews=b1.GetOverviewCount())


def read_bands(path: str) -> np.ndarray:
    """(bands, h, w) whatever the band count."""
    from osgeo import gdal

    ds = gdal.Open(str(path))
    arr = ds.ReadAsArray()
    return arr.reshape(ds.RasterCount, ds.RasterYSize, ds.RasterXSize)


def same_crs(wkt_a: str, wkt_b: str) -> bool:
    from osgeo import osr

    a, b = osr.SpatialReference(), osr.SpatialReference()
    a.ImportFromWkt(wkt_a)
    b.ImportFromWkt(wkt_b)
    return bool(a.IsSame(b))


def assert_same_header(actual: str, expected: str, geotransform_atol: float = 1e-6, check_nodata: bool = True) -> None:
    """Size, bands, data type, nodata, geotransform (to ``geotransform_atol``) and CRS."""
    a, e = raster_info(actual), raster_info(expected)
    assert (a.width, a.height, a.bands) == (e.width, e.height, e.bands), \
        f"{actual}: {a.width}x{a.height}x{a.bands} != golden {e.width}x{e.height}x{e.bands}"
    assert a.dtype == e.dtype, f"{actual}: {a.dtype} != golden {e.dtype}"
    if check_nodata:
        assert a.nodata == e.nodata, f"{actual}: nodata {a.nodata} != golden {e.nodata}"
    np.testing.assert_allclose(a.geotransform, e.geotransform, atol=geotransform_atol, rtol=0,
                               err_msg=f"{actual}: geotransform")
    assert same_crs(a.wkt, e.wkt), f"{actual}: CRS differs from the golden one"


@dataclass
class ValueComparison:
    """Pixels (band x row x col) compared, how many differ beyond the tolerance, and by how much."""

    compared: int
    mismatches: int
    validity_mismatches: int  # valid in one file, nodata in the other
    max_abs_diff: float  # over pixels valid in both

    @property
    def fraction(self) -> float:
        return self.mismatches / self.compared if self.compared else 0.0

    def __str__(self) -> str:
        return (f"{self.mismatches} of {self.compared} differ ({100 * self.fraction:.4f} %; "
                f"{self.validity_mismatches} in validity), max |diff| {self.max_abs_diff:g}")


def compare_values(actual: np.ndarray, expected: np.ndarray, atol: float, nodata_actual: Optional[float],
                   nodata_expected: Optional[float], where: Optional[np.ndarray] = None) -> ValueComparison:
    """Compare two (bands, h, w) arrays on ``where`` (broadcast to them; None = everywhere)."""
    a = np.asarray(actual, dtype=np.float64)
    e = np.asarray(expected, dtype=np.float64)
    assert a.shape == e.shape, f"shapes {a.shape} != {e.shape}"
    sel = np.ones(a.shape, bool) if where is None else np.broadcast_to(where, a.shape)
    va = np.ones(a.shape, bool) if nodata_actual is None else (a != nodata_actual)
    ve = np.ones(e.shape, bool) if nodata_expected is None else (e != nodata_expected)
    validity = (va != ve) & sel
    both = va & ve & sel
    diff = np.abs(a - e)
    value_bad = both & ~(diff <= atol)  # NaN counts as a mismatch
    max_diff = float(np.nanmax(diff[both])) if both.any() else 0.0
    return ValueComparison(compared=int(sel.sum()), mismatches=int(validity.sum() + value_bad.sum()),
                           validity_mismatches=int(validity.sum()), max_abs_diff=max_diff)
