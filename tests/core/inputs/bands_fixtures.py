"""Rasters for the band-mapping and value-check tests, built with GDAL from the real HLS scene.

Everything is written under ``/vsimem/`` (GDAL's in-memory files) or a test's ``tmp_path``:
the shared data is only read. ``WINDOW`` holds the scene's 8-pixel block of -32768, which a
scale check must shrug off.
"""
from __future__ import annotations

import itertools
from functools import lru_cache
from typing import Dict, Optional, Sequence

import numpy as np

from support import DATA

REAL = DATA / "HLS.S30.T15SXR.2021250T163901.v2.0.tif"
WINDOW = (480, 380, 160, 160)  # xoff, yoff, xsize, ysize: rows 380-539, cols 480-639
MODEL = ("B02", "B03", "B04", "B8A", "B11", "B12")
# a full Sentinel-2 L2A stack in band-number order, and its 10-band (no 60 m bands) subset
S2_13 = ("B01", "B02", "B03", "B04", "B05", "B06", "B07", "B08", "B8A", "B09", "B10", "B11", "B12")
S2_10 = ("B02", "B03", "B04", "B05", "B06", "B07", "B08", "B8A", "B11", "B12")
_counter = itertools.count()


def gdal():
    """``osgeo.gdal``; its exceptions state is the test's (the ``gdal_exceptions`` fixture), never set here."""
    from osgeo import gdal as _gdal

    return _gdal


def vsimem(stem: str = "r") -> str:
    """A fresh in-memory file name."""
    return f"/vsimem/planaura_bands_{stem}_{next(_counter)}.tif"


@lru_cache(maxsize=1)
def real_crop() -> np.ndarray:
    """The real scene's 6 model bands over ``WINDOW``: (6, 160, 160) int16, nodata -9999."""
    ds = gdal().Open(str(REAL))
    out = ds.ReadAsArray(*WINDOW)
    assert out.shape == (6, WINDOW[3], WINDOW[2]) and (out == -32768).any()
    return out


def crop_file(path: Optional[str] = None) -> str:
    """The real crop written as a GeoTIFF with its band descriptions (gdal.Translate srcWin)."""
    path = path or vsimem("crop")
    gdal().Translate(path, str(REAL), srcWin=list(WINDOW))
    return path


def band_for(name: str) -> np.ndarray:
    """The pixels stored under ``name``: the real band for a model band, else a distinct fake."""
    if name in MODEL:
        return real_crop()[MODEL.index(name)]
    seed = sum(ord(c) * 31 ** i for i, c in enumerate(name)) % 2 ** 32
    return np.random.default_rng(seed).integers(0, 6000, size=real_crop().shape[1:], dtype=np.int16)


def write_stack(path: str, arrays: Sequence[np.ndarray], descriptions: Optional[Sequence[str]] = None,
                nodata: Optional[float] = -9999, dtype: Optional[int] = None,
                metadata: Optional[Sequence[Dict[str, str]]] = None,
                scales: Optional[Sequence[float]] = None, offsets: Optional[Sequence[float]] = None,
                alpha: Optional[np.ndarray] = None) -> str:
    """Write bands (each (H, W)) to a GeoTIFF on the real scene's grid; returns ``path``.

    ``alpha`` adds a last band, an alpha band (colour interpretation alpha) of the same data type.
    """
    g = gdal()
    arrays = [np.asarray(a) for a in arrays]
    dtype = dtype or g.GDT_Int16
    count = len(arrays) + (alpha is not None)
    ds = g.GetDriverByName("GTiff").Create(path, arrays[0].shape[1], arrays[0].shape[0], count, dtype)
    src = g.Open(str(REAL))
    gt = list(src.GetGeoTransform())
    ds.SetGeoTransform([gt[0] + WINDOW[0] * gt[1], gt[1], 0, gt[3] + WINDOW[1] * gt[5], 0, gt[5]])
    ds.SetProjection(src.GetProjection())
    if alpha is not None:
        ds.GetRasterBand(count).WriteArray(alpha)
        ds.GetRasterBand(count).SetColorInterpretation(g.GCI_AlphaBand)
    for k, arr in enumerate(arrays):
        band = ds.GetRasterBand(k + 1)
        band.WriteArray(arr)
        if nodata is not None:
            band.SetNoDataValue(nodata)
        if descriptions is not None and descriptions[k]:
            band.SetDescription(descriptions[k])
        if metadata is not None and metadata[k]:
            band.SetMetadata(dict(metadata[k]))
        if scales is not None:
            band.SetScale(float(scales[k]))
        if offsets is not None:
            band.SetOffset(float(offsets[k]))
    ds = None
    return path


def s2_stack(names: Sequence[str], path: Optional[str] = None, described: bool = True, **kw) -> str:
    """A stack whose bands hold ``band_for(name)``, described with ``names`` (or not)."""
    return write_stack(path or vsimem("s2"), [band_for(n) for n in names],
                       descriptions=list(names) if described else None, **kw)


def read_bands(path: str, bands: Sequence[int]) -> np.ndarray:
    """The given 1-based bands of a raster, stacked: (len(bands), H, W)."""
    ds = gdal().Open(path)
    return np.stack([ds.GetRasterBand(b).ReadAsArray() for b in bands])
