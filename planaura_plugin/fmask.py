"""Quality codes (SPEC section 4): HLS Fmask decoding and the Sentinel-2 SCL mapping onto them.

Codes: 0 clear, 1 cloud, 2 adjacent to cloud/shadow, 3 shadow, 4 snow/ice, 6 high aerosol,
255 no information. Bitwise decoding tests cloud (bit 1), adjacent (bit 2), shadow (bit 3),
snow/ice (bit 4) and aerosol level 3 (bits 6-7) in this order and the last one set wins, as
the reference does; water (bit 5) and cirrus (bit 0) are ignored. Unlike the reference,
fill (255) stays "no information" instead of decoding to high aerosol.
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np

from .quality_kinds import QUALITY_FMASK_BITWISE, QUALITY_FMASK_CLASSES, QUALITY_SCL

FILL = 255

# SCL class -> quality code (see scl_to_quality)
_SCL_CODES = {0: 255, 1: 255, 2: 0, 3: 3, 4: 0, 5: 0, 6: 0, 7: 0, 8: 1, 9: 1, 10: 1, 11: 4}
_SCL_LUT = np.full(256, 255, dtype=np.uint8)
for _scl, _code in _SCL_CODES.items():
    _SCL_LUT[_scl] = _code


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
            (Sentinel-2 scene classification, mapped by :func:`scl_to_quality`).
        nodata: the layer's declared nodata; with ``fmask_classes`` those pixels are 255.
    """
    if kind == QUALITY_SCL:
        return scl_to_quality(raw)
    if kind not in (QUALITY_FMASK_BITWISE, QUALITY_FMASK_CLASSES):
        raise ValueError(f"unknown quality layer kind {kind!r}")
    codes = decode(raw, bitwise=kind == QUALITY_FMASK_BITWISE)
    if kind == QUALITY_FMASK_CLASSES and nodata is not None:
        codes[np.asarray(raw) == nodata] = FILL
    return codes


def scl_to_quality(scl: np.ndarray) -> np.ndarray:
    """Sentinel-2 scene classification (SCL) mapped onto the quality codes of SPEC section 4.

    =====  ==================================  ============================================
    SCL    class                               quality code
    =====  ==================================  ============================================
    0      no data                             255 no information
    1      saturated or defective              255 no information
    2      dark area pixels (terrain shadow)   0 clear (see below)
    3      cloud shadow                        3 shadow
    4      vegetation                          0 clear
    5      not vegetated                       0 clear
    6      water                               0 clear (Fmask's water bit is ignored too)
    7      unclassified                        0 clear
    8      cloud, medium probability           1 cloud
    9      cloud, high probability             1 cloud
    10     thin cirrus                         1 cloud
    11     snow or ice                         4 snow/ice
    other  (not an SCL class)                  255 no information
    =====  ==================================  ============================================

    Dark area pixels count as clear: Sen2Cor puts burn scars, dark soils and dark water in that
    class besides topographic shadow, and a burn scar is a change to detect, not to mask; Fmask
    (the HLS quality the model's reference uses) has no terrain-shadow class either. SCL has no
    "adjacent to cloud" (2) or "high aerosol" (6) class, so those codes never appear.

    Args:
        scl: SCL values, any shape, any integer type (GDAL's driver gives uint16).

    Returns:
        uint8 quality codes, same shape.
    """
    values = np.asarray(scl)
    index = np.where((values >= 0) & (values <= 255), values, 255).astype(np.intp)
    return _SCL_LUT[index]


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
