"""Properties of inference that must hold for any weights and inputs."""
from __future__ import annotations

import numpy as np
import pytest

from planaura_plugin.model.config import ModelConfig
from planaura_plugin.model.inference import PlanauraRunner
from support import TINY

NDF = np.float32(0.0001)
# Identical frames still differ by their temporal position embedding, so their features are
# not bit-identical: the cosine is 1 to within ~3e-4 for the tiny random model (unrelated
# images give cosines far below 0.99; see test_different_frames_are_not_similar).
SAME = 1e-3


@pytest.fixture(scope="module")
def runners(tiny_checkpoint):
    return {s: PlanauraRunner.from_checkpoint(ModelConfig(**TINY, patch_stride=s), tiny_checkpoint) for s in (16, 1)}


def random_tiles(b=2, t=2, seed=0):
    rng = np.random.default_rng(seed)
    return rng.normal(0, 1, size=(b, 6, t, 64, 64)).astype(np.float32)


@pytest.mark.parametrize("stride", [16, 1])
def test_identical_frames_give_cosine_one(runners, stride):
    x = random_tiles(t=1)
    x = np.concatenate([x, x], axis=2)
    x[0, 2, :, 10, 40] = NDF  # some nodata: must not disturb the others
    out = runners[stride].infer(x, feature_channels=[])
    valid = out.cosine != -100
    assert valid.sum() > 0.8 * valid.size
    np.testing.assert_allclose(out.cosine[valid], 1.0, atol=SAME)
    assert (out.which_before[valid] == 0).all()


@pytest.mark.parametrize("stride", [16, 1])
def test_different_frames_are_not_similar(runners, stride):
    out = runners[stride].infer(random_tiles(), feature_channels=[])
    assert out.cosine.max() < 0.99


@pytest.mark.parametrize("stride", [16, 1])
def test_one_nodata_pixel_invalidates_exactly_the_patches_over_it(runners, stride):
    x = random_tiles()
    r, c = 37, 21
    x[1, 4, 1, r, c] = NDF  # one band of one frame of tile 1
    out = runners[stride].infer(x, feature_channels=[0, 3])
    h = out.cosine.shape[1]
    rows = np.arange(h) * stride
    covers = ((rows[:, None] <= r) & (r < rows[:, None] + 16)) & ((rows[None, :] <= c) & (c < rows[None, :] + 16))
    assert np.array_equal(out.cosine[1] == -100, covers)
    assert (out.cosine[0] != -100).all()
    assert np.array_equal(out.features[1, :, :, :, :] == -100, np.broadcast_to(covers[None, :, :, None],
                                                                                out.features[1].shape))
    assert np.array_equal(out.which_before[1] == -100, covers)


def test_nan_is_nodata_and_does_not_spread(runners):
    x = random_tiles()
    clean = runners[16].infer(x.copy(), feature_channels=[])
    x[0, 0, 0, 5, 5] = np.nan
    out = runners[16].infer(x, feature_channels=[])
    assert out.cosine[0, 0, 0] == -100
    assert np.isfinite(out.cosine).all() and (out.cosine[0].ravel()[1:] != -100).all()
    assert np.array_equal(out.cosine[1], clean.cosine[1])


def test_dense_and_fast_agree_on_the_shared_patch_grid(runners):
    x = random_tiles(seed=3)
    x[0, :, 0, 50:52, 3:9] = NDF
    fast = runners[16].infer(x, feature_channels=[], reconstruction=True)
    dense = runners[1].infer(x, feature_channels=[], reconstruction=True)
    assert dense.cosine.shape == (2, 49, 49)
    # the same patches are valid on the common grid (dense pixel 16*i = fast pixel i)
    assert np.array_equal(dense.valid[:, ::16, ::16], fast.valid)
    # reconstruction always comes from the stride-16 path
    np.testing.assert_array_equal(dense.reconstruction, fast.reconstruction)
    # same weights, different context (no cls, resized table, sub-grids): close, not equal
    both = fast.valid & dense.valid[:, ::16, ::16]
    diff = np.abs(dense.cosine[:, ::16, ::16] - fast.cosine)[both]
    assert diff.max() < 0.5 and diff.max() > 0


def test_three_frames_pick_the_closer_before_frame(tiny_nf3_checkpoint):
    runner = PlanauraRunner.from_checkpoint(ModelConfig(**TINY, num_frames=3), tiny_nf3_checkpoint)
    base = random_tiles(b=1, t=1, seed=5)
    other = random_tiles(b=1, t=1, seed=6)
    x = np.concatenate([other, base, base], axis=2)  # frame 1 equals the after frame
    out = runner.infer(x, feature_channels=[])
    assert (out.which_before == 1).all()
    np.testing.assert_allclose(out.cosine, 1.0, atol=SAME)
    x = np.concatenate([base, other, base], axis=2)  # now frame 0 does
    assert (runner.infer(x, feature_channels=[]).which_before == 0).all()


def test_static_mode_has_no_change_map(tiny_checkpoint):
    runner = PlanauraRunner.from_checkpoint(ModelConfig(**TINY, num_frames=1, keep_pos_embedding=False),
                                            tiny_checkpoint)
    out = runner.infer(random_tiles(t=1), feature_channels=[5])
    assert out.cosine is None and out.which_before is None and out.features.shape == (2, 1, 4, 4, 1)


def test_batch_shape_is_checked(runners):
    with pytest.raises(ValueError, match=r"expected a batch \(B, 6, 2, 64, 64\)"):
        runners[16].infer(np.zeros((1, 3, 2, 64, 64), np.float32))
