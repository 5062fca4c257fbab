"""Where a raster holds data at all: GDAL's data coverage, so tile planning skips what is empty.

A VRT declaring 200000 x 200000 px whose sources cover one scene, or a sparse GeoTIFF whose
missing blocks were never written, answers "empty" for the regions without data without
reading a pixel (``GDALGetDataCoverageStatus``). Such a region reads as the band's nodata
(or 0 without one, which SPEC 1 counts as nodata), so a tile lying in it is dropped by the
minimum-valid rule whatever its values: it need not be listed nor read.
"""
from __future__ import annotations

from typing import Callable, List, Sequence

from .reader import RasterInfo, open_dataset
from .tile_grid import Window

Empty = Callable[[int, int, int, int], bool]  # (row0, col0, rows, cols) on the first image -> no data there


def empty_regions(info: RasterInfo) -> Empty:
    """A test of "this window of ``info`` holds no data in some model band", by GDAL's coverage.

    Answers False (unknown: read it) for a raster seen through a band layout or turned
    (south-up), whose stored pixels are not those of the window, and wherever GDAL does not
    know (its answer is "data" then).

    Args:
        info: the first image (tiles are windows of its pixels).

    Returns:
        ``empty(row0, col0, rows, cols)``.
    """
    if info.active_layout is not None or not info.orientation.identity:
        return lambda *_window: False
    from osgeo import gdal

    ds = open_dataset(info.path)
    bands = [ds.GetRasterBand(b + 1) for b in range(ds.RasterCount)]

    def empty(row0: int, col0: int, rows: int, cols: int, _ds=ds) -> bool:  # _ds: the bands live while it does
        for band in bands:
            flags, _pct = band.GetDataCoverageStatus(int(col0), int(row0), int(cols), int(rows))
            if flags & gdal.GDAL_DATA_COVERAGE_STATUS_EMPTY and not flags & gdal.GDAL_DATA_COVERAGE_STATUS_DATA:
                return True
        return False

    return empty


def covered_starts(starts: Sequence[int], size: int, across: Window, rows: bool, empty: Empty) -> List[bool]:
    """For each tile start along one axis, whether the band of tiles it starts can hold data.

    Args:
        starts: tile starts (rows or columns) on the first image.
        size: the tile size (px).
        across: the processing window (row0, col0, row1, col1): the band spans it across.
        rows: True for row starts (bands are rows of tiles), False for column starts.
        empty: from :func:`empty_regions`.

    Returns:
        One flag per start; False: every tile of that band lies where the raster has no data.
    """
    r0, c0, r1, c1 = across
    if rows:
        return [not empty(s, c0, size, c1 - c0) for s in starts]
    return [not empty(r0, s, r1 - r0, size) for s in starts]
