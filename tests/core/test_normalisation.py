"""normalise: 8/16-bit integers through value tables give the float64 formula's float32 to the bit,
for every possible value, any band axis, into a given array or a new one."""
from __future__ import annotations

import numpy as np
import pytest

from planaura_plugin.normalisation import normalise
from planaura_plugin.presets import HLS, NO_DATA_FLOAT

MEAN, STD = HLS.mean, HLS.std


def formula(raw, no_data, band_axis=0):
    """The reference's arithmetic, written out: float64 (x - mean) / std, stored as float32."""
    shape = [1] * raw.ndim
    shape[band_axis] = len(MEAN)
    out = ((raw.astype(np.float64) - np.reshape(MEAN, shape)) / np.reshape(STD, shape)).astype(np.float32)
    if no_data is not None:
        out[raw == no_data] = np.float32(NO_DATA_FLOAT)
    return out


@pytest.mark.parametrize("dtype, no_data", [("int16", -9999), ("uint16", 0), ("int8", -1), ("uint8", 255),
                                            ("int16", None), ("int16", 0.5)])
def test_every_value_bit_for_bit(dtype, no_data):
    info = np.iinfo(dtype)
    every = np.arange(info.min, info.max + 1, dtype=np.int64).astype(dtype)
    raw = np.stack([np.roll(every, 7 * b) for b in range(len(MEAN))])  # (6, n): each band sees every value
    got = normalise(raw, MEAN, STD, no_data)
    assert got.dtype == np.float32
    assert np.array_equal(got.view(np.uint32), formula(raw, no_data).view(np.uint32))
    if no_data is not None and float(no_data).is_integer():
        assert (got[raw == no_data] == np.float32(NO_DATA_FLOAT)).all() and (raw == no_data).any()


def test_band_axis_and_out_slot_of_a_batch():
    rng = np.random.default_rng(3)
    raw = rng.integers(-2000, 12000, size=(2, 3, 6, 5, 4)).astype(np.int16)  # (B, T, C, H, W)
    raw[0, 1, 2, :2] = HLS.no_data
    expected = formula(raw, HLS.no_data, band_axis=2)
    assert np.array_equal(normalise(raw, MEAN, STD, HLS.no_data, band_axis=2), expected)
    batch = np.full((2, 6, 3, 5, 4), 7.0, dtype=np.float32)  # (B, C, T, H, W), filled slot by slot
    for b in range(2):
        for t in range(3):
            assert normalise(raw[b, t], MEAN, STD, HLS.no_data, out=batch[b, :, t]) is not None
    assert np.array_equal(batch, expected.transpose(0, 2, 1, 3, 4))
    window = raw[0, 0, :, 1:4, 1:3]  # a strided view, as a row-band cache hands out
    assert np.array_equal(normalise(window, MEAN, STD, HLS.no_data), formula(window, HLS.no_data))


def test_floats_keep_nan_and_fill_out():
    raw = np.full((6, 2, 2), 1000.0, dtype=np.float32)
    raw[0, 0, 0] = np.nan
    raw[1, 1, 1] = HLS.no_data
    out = np.empty((6, 2, 2), np.float32)
    assert normalise(raw, MEAN, STD, HLS.no_data, out=out) is out
    assert np.isnan(out[0, 0, 0]) and out[1, 1, 1] == np.float32(NO_DATA_FLOAT)
    assert np.array_equal(out[2], formula(raw, HLS.no_data)[2])


def test_wrong_out_is_refused():
    with pytest.raises(ValueError, match="out must be float32 of shape"):
        normalise(np.zeros((6, 2, 2), np.int16), MEAN, STD, None, out=np.empty((6, 2, 3), np.float32))
