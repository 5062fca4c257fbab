"""Feature-table rows upsampled to the input pixels (feature_maps.upsample_feature_map), against scipy."""
from __future__ import annotations

import numpy as np
import pytest
from scipy.ndimage import zoom

from planaura_plugin.raster.upsampled_rows import upsampled_table_rows

GT = (600000.0, 30.0, 0.0, 3600000.0, 0.0, -30.0)


def spline(plane: np.ndarray, factor: int) -> np.ndarray:
    """SPEC 3's resampler written out: a cubic B-spline zoom, edges repeated, pixel-area grid."""
    return zoom(plane, (factor, factor), order=3, mode="nearest", grid_mode=True)


def test_rows_are_the_cubic_spline_zoom_of_the_tile_at_every_input_pixel_of_its_centre():
    rng = np.random.default_rng(3)
    feats = rng.normal(size=(4, 4, 3)).astype(np.float32)  # a 64 px tile at stride 16
    x, y, f = upsampled_table_rows(feats, 16, tile_row=32, tile_col=64, tile_size=64, geotransform=GT)
    assert f.shape == (32 * 32, 3) and x.shape == y.shape == (32 * 32,)
    expected = np.stack([spline(feats[..., k], 16) for k in range(3)], axis=-1)[16:48, 16:48]  # central window
    np.testing.assert_allclose(f, expected.reshape(-1, 3), rtol=0, atol=1e-6)
    # row-major from the window's first pixel: input pixel (32 + 16, 64 + 16), its top-left corner
    assert (x[0], y[0]) == (600000.0 + 80 * 30.0, 3600000.0 - 48 * 30.0)
    assert (x[33], y[33]) == (600000.0 + 81 * 30.0, 3600000.0 - 49 * 30.0)
    assert not np.allclose(f[1], f[0])  # really interpolated, not repeated per patch


def test_pixels_too_close_to_nodata_patches_are_left_out():
    feats = np.ones((4, 4, 2), dtype=np.float32)
    feats[1, 2, :] = -100.0  # one patch without features, inside the central window
    _x, _y, f = upsampled_table_rows(feats, 16, 0, 0, 64, GT)
    valid = spline((feats[..., 0] != -100).astype(np.float32), 16)[16:48, 16:48] > 0.9
    assert f.shape[0] == int(valid.sum()) < 32 * 32
    values = spline(np.where(feats[..., 0] != -100, feats[..., 0], 0), 16)[16:48, 16:48][valid]
    np.testing.assert_allclose(f[:, 0], values, rtol=0, atol=1e-6)
    assert (f != -100).all()


@pytest.mark.parametrize("factor", [1, 16])
def test_constant_features_stay_constant(factor):
    feats = np.full((64 // factor, 64 // factor, 2), 0.25, dtype=np.float32)
    _x, _y, f = upsampled_table_rows(feats, factor, 0, 0, 64, GT)
    assert f.shape == (32 * 32, 2) and np.allclose(f, 0.25)
