"""The model's six bands of one input, in the model's convention, from whatever the file stores.

A :class:`BandLayout` says which stored bands hold B02, B03, B04, B8A, B11, B12 (model
order), which band is an alpha band or whether a per-dataset mask band exists, and the
per-band affine that brings stored values to the model's DN (10000 x reflectance). Reading
through it gives ``(6, h, w)`` arrays where every pixel the file marks invalid (its declared
nodata, alpha 0, mask 0) holds the model's nodata value, so that both the file's and the
model's nodata apply. An input that needs none of this is read as stored (the reference's
path, bit for bit).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional, Sequence, Tuple

import numpy as np

from ..i18n import _


@dataclass(frozen=True)
class BandLayout:
    """Where the model bands are in a dataset and how their values become model DN.

    Attributes:
        bands: 1-based stored band numbers of B02, B03, B04, B8A, B11, B12, in that order.
        alpha_band: 1-based band number of an alpha band (0 = invalid pixel), or None.
        per_dataset_mask: the dataset has a mask band shared by all bands (0 = invalid).
        scale, offset: per model band, model DN = stored x scale + offset (valid pixels only);
            empty = unchanged.
        declared_nodata: per model band, the nodata value the file declares (None = unset).
        model_nodata: the model's nodata value written where a pixel is invalid; None = the
            layout never substitutes (stored values pass through).
    """

    bands: Tuple[int, ...]
    alpha_band: Optional[int] = None
    per_dataset_mask: bool = False
    scale: Tuple[float, ...] = ()
    offset: Tuple[float, ...] = ()
    declared_nodata: Tuple[Optional[float], ...] = ()
    model_nodata: Optional[float] = None

    @property
    def affine(self) -> bool:
        """Whether stored values are rescaled."""
        return any(s != 1.0 for s in self.scale) or any(o != 0.0 for o in self.offset)

    @property
    def substitutes(self) -> bool:
        """Whether some stored pixels are replaced by the model's nodata value."""
        if self.model_nodata is None:
            return False
        declared_other = any(v is not None and not _same_value(v, self.model_nodata) for v in self.declared_nodata)
        return declared_other or self.alpha_band is not None or self.per_dataset_mask or self.affine

    def is_identity(self, stored_bands: int) -> bool:
        """True when reading through the layout gives the stored bands unchanged."""
        return tuple(self.bands) == tuple(range(1, stored_bands + 1)) and not self.substitutes

    def output_dtype(self, stored: np.dtype) -> np.dtype:
        """dtype of the model bands: the stored one, or float32 when values change or nodata does not fit."""
        stored = np.dtype(stored)
        if self.affine:
            return np.dtype(np.float32)
        if self.model_nodata is not None and self.substitutes and stored.kind in "iu":
            info = np.iinfo(stored)
            if not info.min <= self.model_nodata <= info.max:
                return np.dtype(np.float32)
        return stored

    def stored_band_list(self) -> list:
        """Bands to read from the file: the model bands, then the alpha band if any."""
        return list(self.bands) + ([self.alpha_band] if self.alpha_band else [])


def _same_value(a: float, b: float) -> bool:
    return (np.isnan(a) and np.isnan(b)) or a == b


def to_model_convention(stored: np.ndarray, layout: BandLayout, valid: Optional[np.ndarray] = None) -> np.ndarray:
    """Stored model bands ``(6, h, w)`` -> model DN, invalid pixels set to the model's nodata.

    Args:
        stored: the model bands as read (model order), any dtype.
        layout: the input's :class:`BandLayout`.
        valid: ``(h, w)`` bool, False where an alpha or mask band says invalid; None = all valid.

    Returns:
        ``(6, h, w)`` of ``layout.output_dtype(stored.dtype)``; NaN stays NaN (the model masks it).
    """
    out = stored.astype(layout.output_dtype(stored.dtype), copy=True)
    if not layout.substitutes:
        return out
    m = layout.model_nodata
    for b in range(out.shape[0]):
        band = stored[b]
        bad = np.zeros(band.shape, dtype=bool) if valid is None else ~valid
        nd = layout.declared_nodata[b] if b < len(layout.declared_nodata) else None
        if nd is not None:
            bad |= np.isnan(band) if np.isnan(nd) else band == nd
        if layout.affine:
            s = layout.scale[b] if layout.scale else 1.0
            o = layout.offset[b] if layout.offset else 0.0
            out[b] = (band.astype(np.float64) * s + o).astype(out.dtype)
        out[b][bad] = m
    return out


class ModelBandsView:
    """A dataset seen as its six model bands in the model's convention (window reads only).

    Wraps the GDAL dataset itself (stored pixel coordinates); an orientation goes on top.

    Offers what :class:`~.reader.RowBandCache` uses: sizes, ``ReadAsArray`` of a window
    (``band_list`` numbers model bands 1..6), ``FlushCache``, ``GetDescription``.
    """

    def __init__(self, ds, layout: BandLayout) -> None:
        self.ds, self.layout = ds, layout
        self.RasterXSize, self.RasterYSize = ds.RasterXSize, ds.RasterYSize
        self.RasterCount = len(layout.bands)

    def ReadAsArray(self, xoff: int, yoff: int, width: int, height: int, band_list=None):  # noqa: N802 - GDAL's name
        lay = self.layout
        arr = self.ds.ReadAsArray(xoff, yoff, width, height, band_list=lay.stored_band_list())
        if arr is None:
            return None
        arr = arr.reshape((-1, height, width))
        valid = None
        if lay.alpha_band:
            valid, arr = arr[-1] != 0, arr[:-1]
        elif lay.per_dataset_mask:
            mask = self._mask(xoff, yoff, width, height)
            if mask is None:  # unreadable, as GDAL says it with exceptions off (with them on, it raised)
                return None
            valid = mask != 0
        out = to_model_convention(arr, lay, valid)
        if band_list is not None:
            out = out[[b - 1 for b in band_list]]
        return out

    def _mask(self, xoff: int, yoff: int, width: int, height: int) -> np.ndarray:
        band = self.ds.GetRasterBand(self.layout.bands[0]).GetMaskBand()
        return band.ReadAsArray(xoff, yoff, width, height)

    def FlushCache(self) -> None:  # noqa: N802 - GDAL's name
        self.ds.FlushCache()

    def GetDescription(self) -> str:  # noqa: N802 - GDAL's name
        return self.ds.GetDescription()


def warp_source(ds, layout: BandLayout):
    """A VRT of ``ds`` holding the model bands (and the alpha band last), for GDAL's warper.

    Returns:
        (dataset, src_alpha): the VRT and whether its last band is an alpha band.
    """
    from osgeo import gdal

    from ..gdal_calls import gdal_call

    vrt, reason = gdal_call(gdal.Translate, "", ds, format="VRT", bandList=layout.stored_band_list())
    if vrt is None:
        from ..errors import InputError

        raise InputError(_("GDAL cannot select bands {bands} of {name}: {reason}").format(
            bands=layout.stored_band_list(), name=ds.GetDescription(), reason=reason or _("no reason given")))
    return vrt, layout.alpha_band is not None


def declared(values: Sequence[Optional[float]], bands: Sequence[int]) -> Tuple[Optional[float], ...]:
    """Declared nodata of the given 1-based bands."""
    return tuple(values[b - 1] if b - 1 < len(values) else None for b in bands)
