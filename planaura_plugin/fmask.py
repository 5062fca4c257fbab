"""HLS Fmask quality codes.

Codes: 0 clear, 1 cloud, 2 adjacent to cloud/shadow, 3 shadow, 4 snow/ice, 6 high aerosol,
255 no information. Bitwise decoding tests cloud (bit 1), adjacent (bit 2), shadow (bit 3),
snow/ice (bit 4) and aerosol level 3 (bits 6-7) in this order and the last one set wins, as
the reference does; water (bit 5) and cirrus (bit 0) are ignored. Unlike the reference,
fill (255) stays "no information" instead of decoding to high aerosol.
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np

FILL = 255


def decode(raw: np.ndarray, bitwise: bool = True) -> np.ndarray:
    """Raw Fmask values -> uint8 codes (255 where the input is fill).

    8-bit input (HLS Fmask) is decoded through a table of the 256 values' codes (one gather).
    """
    raw = np.asarray(raw)
    if raw.dtype == np.uint8:
        return _code_table(bitwise)[raw]
    return _decode(raw, bitwise)


@lru_cache(maxsize=2)
def _code_table(bitwise: bool) -> np.ndarray:
    """The code of each of the 256 byte values, by :func:`_decode` itself."""
    table = _decode(np.arange(256, dtype=np.uint8), bitwise)
    table.flags.writeable = False
    return table


def _decode(raw: np.ndarray, bitwise: bool) -> np.ndarray:
    fill = raw == FILL
    if not bitwise:
        codes = raw.astype(np.uint8)
    else:
        v = raw.astype(np.uint8)
        codes = np.zeros(v.shape, dtype=np.uint8)
        for bit, code in ((1, 1), (2, 2), (3, 3), (4, 4)):
            codes[(v >> bit) & 1 == 1] = code
        codes[(v >> 6) & 3 == 3] = 6
    codes[fill] = FILL
    return codes


def decode_quality(raw: np.ndarray, kind: str, nodata=None) -> np.ndarray:
    """Raw values of a quality layer -> uint8 codes of this module (255 = no information).

    Args:
        raw: the layer's values on a tile.
        kind: ``fmask_bitwise`` (HLS bit flags), ``fmask_classes`` (codes already) or ``scl``
            (Sentinel-2 scene classification, mapped by :func:`..inputs.sentinel2.scl_to_quality`).
        nodata: the layer's declared nodata; with ``fmask_classes`` those pixels are 255.
    """
    from .inputs import QUALITY_FMASK_BITWISE, QUALITY_FMASK_CLASSES, QUALITY_SCL

    if kind == QUALITY_SCL:
        from .inputs.sentinel2 import scl_to_quality

        return scl_to_quality(raw)
    if kind not in (QUALITY_FMASK_BITWISE, QUALITY_FMASK_CLASSES):
        raise ValueError(f"unknown quality layer kind {kind!r}")
    codes = decode(raw, bitwise=kind == QUALITY_FMASK_BITWISE)
    if kind == QUALITY_FMASK_CLASSES and nodata is not None:
        codes[np.asarray(raw) == nodata] = FILL
    return codes


def pool_max(codes: np.ndarray, kernel: int, stride: int) -> np.ndarray:
    """Max-pool codes over (..., H, W) windows, ignoring fill; an all-fill window stays fill."""
    from numpy.lib.stride_tricks import sliding_window_view

    h, w = codes.shape[-2:]
    if kernel == stride and h % kernel == 0 and w % kernel == 0:  # disjoint windows: two reshaped maxima
        # fill (255) + 1 wraps to 0, below every code + 1; a window of fill only wraps back to 255
        shifted = np.asarray(codes, dtype=np.uint8) + np.uint8(1)
        lead = codes.shape[:-2]
        cols = shifted.reshape(lead + (h, w // kernel, kernel)).max(axis=-1)
        return cols.reshape(lead + (h // kernel, kernel, w // kernel)).max(axis=-2) - np.uint8(1)
    c = np.where(codes == FILL, 0, codes).astype(np.uint8)
    f = (codes != FILL).astype(np.uint8)
    # numpy's stubs allow one axis only; sliding_window_view itself takes a tuple of axes
    wv = sliding_window_view(c, (kernel, kernel), axis=(-2, -1))[  # type: ignore[call-overload]
        ..., ::stride, ::stride, :, :]
    fv = sliding_window_view(f, (kernel, kernel), axis=(-2, -1))[  # type: ignore[call-overload]
        ..., ::stride, ::stride, :, :]
    pooled = wv.max(axis=(-2, -1))
    anyvalid = fv.max(axis=(-2, -1)) > 0
    return np.where(anyvalid, pooled, FILL).astype(np.uint8)
