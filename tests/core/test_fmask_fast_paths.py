"""Fmask decoding, max-pooling and nearest-neighbour repeats against their definitions written out
(the fast paths: a table of the 256 byte values, disjoint windows, broadcast repeats)."""
from __future__ import annotations

import numpy as np
import pytest

from planaura_plugin.fmask import FILL, decode, pool_max
from planaura_plugin.raster.upsample import pooled_fmask, repeat_nearest


def pool_loops(codes, kernel, stride):
    h, w = codes.shape
    out = np.empty(((h - kernel) // stride + 1, (w - kernel) // stride + 1), np.uint8)
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            win = codes[i * stride:i * stride + kernel, j * stride:j * stride + kernel]
            known = win[win != FILL]
            out[i, j] = known.max() if known.size else FILL
    return out


@pytest.mark.parametrize("size, kernel, stride", [(64, 16, 16), (48, 16, 16), (64, 16, 8), (50, 16, 1), (64, 4, 4)])
@pytest.mark.parametrize("seed", [0, 1])
def test_pool_max_is_the_windowed_max_ignoring_fill(size, kernel, stride, seed):
    rng = np.random.default_rng(seed)
    codes = rng.choice(np.array([0, 1, 2, 3, 4, 6, FILL], np.uint8), size=(size, size),
                       p=[.5, .1, .1, .05, .05, .05, .15])
    codes[:kernel, :kernel] = FILL  # one window without information
    codes[kernel:2 * kernel, :kernel] = 0  # one all clear
    got = pool_max(codes, kernel, stride)
    assert got.dtype == np.uint8
    assert np.array_equal(got, pool_loops(codes, kernel, stride))
    assert got[0, 0] == FILL


@pytest.mark.parametrize("factor", [1, 2, 16])
def test_repeat_nearest_is_a_block_copy(factor):
    a = np.arange(2 * 3 * 5, dtype=np.int64).reshape(2, 3, 5)
    got = repeat_nearest(a, factor)
    assert got.shape == (2, 3 * factor, 5 * factor)
    for i in range(3 * factor):
        for j in range(5 * factor):
            assert (got[:, i, j] == a[:, i // factor, j // factor]).all()
    got[0, 0, 0] = -1  # an array of its own, writable
    assert a[0, 0, 0] == 0


def test_pooled_fmask_upsampled_back():
    codes = np.zeros((32, 32), np.uint8)
    codes[3, 20] = 4
    codes[16:, :16] = FILL
    out = pooled_fmask(codes, 16, 16, upsample=True)
    assert out.shape == (32, 32)
    assert (out[:16, 16:] == 4).all() and (out[16:, :16] == FILL).all() and (out[:16, :16] == 0).all()


def decode_bits(v: int) -> int:
    """SPEC's bit rules for one byte: cloud 1, adjacent 2, shadow 3, snow 4, aerosol level 3 -> 6, the last set wins."""
    if v == FILL:
        return FILL
    code = 0
    for bit, c in ((1, 1), (2, 2), (3, 3), (4, 4)):
        if (v >> bit) & 1:
            code = c
    return 6 if (v >> 6) & 3 == 3 else code


def test_decode_every_byte_and_other_integer_types():
    every = np.arange(256, dtype=np.uint8)
    got = decode(every)
    assert got.dtype == np.uint8
    assert got.tolist() == [decode_bits(v) for v in range(256)]
    assert np.array_equal(decode(every, bitwise=False), every)
    tile = np.random.default_rng(0).integers(0, 256, size=(40, 30)).astype(np.uint8)
    assert np.array_equal(decode(tile), got[tile])
    assert np.array_equal(decode(tile.astype(np.int16)), got[tile])  # the general path agrees
    out = decode(tile)
    out[0, 0] = 9  # a result of its own, not the shared table
    assert decode(np.zeros(1, np.uint8))[0] == 0 and decode(every)[0] == decode_bits(0)
