"""Turn raw reflectance into the model's input exactly as the reference does.

Per band: the declared nodata value becomes ``no_data_float``; everything else becomes
``(x - mean) / std`` computed in float64 and stored as float32. Nothing else is masked
(HLS's -32768 pixels are valid data for the reference).
"""
from __future__ import annotations

from functools import lru_cache
from typing import Optional, Sequence, Tuple

import numpy as np

from .presets import NO_DATA_FLOAT

# 8- and 16-bit integers take their values from a table of every possible value (made with the
# float64 formula below, so the result is the same to the bit): one gather instead of four passes
_TABLE_TYPES = {np.dtype(t): np.dtype(u) for t, u in (("int16", "uint16"), ("uint16", "uint16"),
                                                      ("int8", "uint8"), ("uint8", "uint8"))}


@lru_cache(maxsize=16)
def _value_tables(dtype: str, mean: Tuple[float, ...], std: Tuple[float, ...], no_data: Optional[float],
                  no_data_float: float) -> np.ndarray:
    """(bands, 2**bits) float32: the normalised value of every raw value, indexed by its unsigned bit pattern."""
    kind = np.dtype(dtype)
    unsigned = _TABLE_TYPES[kind]
    values = np.arange(2 ** (8 * kind.itemsize), dtype=np.int64).astype(unsigned).view(kind)
    m = np.asarray(mean, dtype=np.float64)[:, None]
    s = np.asarray(std, dtype=np.float64)[:, None]
    table = ((values.astype(np.float64)[None] - m) / s).astype(np.float32)
    if no_data is not None and not np.isnan(no_data):
        table[:, values == no_data] = np.float32(no_data_float)
    return table


def _normalise_by_table(raw: np.ndarray, mean: Sequence[float], std: Sequence[float], no_data: Optional[float],
                        no_data_float: float, band_axis: int, out: np.ndarray) -> np.ndarray:
    table = _value_tables(raw.dtype.str, tuple(float(v) for v in mean), tuple(float(v) for v in std),
                          None if no_data is None else float(no_data), float(no_data_float))
    index = np.moveaxis(raw.view(_TABLE_TYPES[raw.dtype]), band_axis, 0)
    dst = np.moveaxis(out, band_axis, 0)
    for b in range(index.shape[0]):
        if dst[b].flags.c_contiguous:
            np.take(table[b], index[b], out=dst[b], mode="clip")  # every index is in the table
        else:
            dst[b] = table[b][index[b]]
    return out


def normalise(raw: np.ndarray, mean: Sequence[float], std: Sequence[float],
              no_data: Optional[float], no_data_float: float = NO_DATA_FLOAT,
              band_axis: int = 0, out: Optional[np.ndarray] = None) -> np.ndarray:
    """Normalise ``raw`` (bands on ``band_axis``) to float32 model input.

    NaN input stays NaN: the model marks every patch holding a NaN as nodata.

    Args:
        raw: raw values, any shape with the bands on ``band_axis``.
        mean, std: per band, in raw units.
        no_data: the raw nodata value (None = none); its pixels become ``no_data_float``.
        no_data_float: the model's nodata value.
        band_axis: the bands' axis.
        out: float32 array of ``raw``'s shape to write into (e.g. one slot of a batch); None = a new one.

    Returns:
        float32 array of ``raw``'s shape (``out`` when given).

    Raises:
        ValueError: the band count differs from the statistics', or ``out`` has another shape or dtype.
    """
    raw = np.asarray(raw)
    nb = raw.shape[band_axis]
    if nb != len(mean) or nb != len(std):
        raise ValueError(f"{nb} bands but {len(mean)} means and {len(std)} stds")
    if out is not None and (out.shape != raw.shape or out.dtype != np.float32):
        raise ValueError(f"out must be float32 of shape {raw.shape}, got {out.dtype} {out.shape}")
    if raw.dtype in _TABLE_TYPES:
        return _normalise_by_table(raw, mean, std, no_data, no_data_float, band_axis,
                                   np.empty(raw.shape, np.float32) if out is None else out)
    shape = [1] * raw.ndim
    shape[band_axis] = nb
    m = np.asarray(mean, dtype=np.float64).reshape(shape)
    s = np.asarray(std, dtype=np.float64).reshape(shape)
    res = ((raw.astype(np.float64) - m) / s).astype(np.float32)
    if no_data is not None and not np.isnan(no_data):
        res[raw == no_data] = np.float32(no_data_float)
    if out is None:
        return res
    out[...] = res
    return out


def denormalise(x: np.ndarray, mean: Sequence[float], std: Sequence[float],
                band_axis: int = 0) -> np.ndarray:
    """Inverse of :func:`normalise` for valid pixels (reconstructions back to DN)."""
    shape = [1] * x.ndim
    shape[band_axis] = x.shape[band_axis]
    m = np.asarray(mean, dtype=np.float64).reshape(shape)
    s = np.asarray(std, dtype=np.float64).reshape(shape)
    return (x.astype(np.float64) * s + m).astype(np.float32)
