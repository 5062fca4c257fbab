"""Turn raw reflectance into the model's input exactly as the reference does.

Per band: the declared nodata value becomes ``no_data_float``; everything else becomes
``(x - mean) / std`` computed in float64 and stored as float32. Nothing else is masked
(HLS's -32768 pixels are valid data for the reference).
"""
from __future__ import annotations

from typing import Optional, Sequence

import numpy as np

from .presets import NO_DATA_FLOAT


def normalise(raw: np.ndarray, mean: Sequence[float], std: Sequence[float],
              no_data: Optional[float], no_data_float: float = NO_DATA_FLOAT,
              band_axis: int = 0) -> np.ndarray:
    """Normalise ``raw`` (bands on ``band_axis``) to float32 model input.

    NaN input stays NaN: the model marks every patch holding a NaN as nodata.
    """
    raw = np.asarray(raw)
    nb = raw.shape[band_axis]
    if nb != len(mean) or nb != len(std):
        raise ValueError(f"{nb} bands but {len(mean)} means and {len(std)} stds")
    shape = [1] * raw.ndim
    shape[band_axis] = nb
    m = np.asarray(mean, dtype=np.float64).reshape(shape)
    s = np.asarray(std, dtype=np.float64).reshape(shape)
    out = ((raw.astype(np.float64) - m) / s).astype(np.float32)
    if no_data is not None and not np.isnan(no_data):
        out[raw == no_data] = np.float32(no_data_float)
    return out


def denormalise(x: np.ndarray, mean: Sequence[float], std: Sequence[float],
                band_axis: int = 0) -> np.ndarray:
    """Inverse of :func:`normalise` for valid pixels (reconstructions back to DN)."""
    shape = [1] * x.ndim
    shape[band_axis] = x.shape[band_axis]
    m = np.asarray(mean, dtype=np.float64).reshape(shape)
    s = np.asarray(std, dtype=np.float64).reshape(shape)
    return (x.astype(np.float64) * s + m).astype(np.float32)
