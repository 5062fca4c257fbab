"""Cancel inside the model pass (issue 27): progress moves within a batch, a cancel stops within
seconds with the base model on a CPU, says "cancelling…" once, and leaves nothing behind."""
from __future__ import annotations

import time

import numpy as np
import pytest

from support import TINY
from planaura_plugin.errors import Cancelled
from planaura_plugin.feedback import Feedback
from planaura_plugin.model.config import ModelConfig
from planaura_plugin.model.inference import PlanauraRunner
from planaura_plugin.model.loading import ModelSpec
from planaura_plugin.model.pass_steps import pass_parts
from planaura_plugin.pipeline.change import PREPASS_SHARE, run_change_map
from planaura_plugin.pipeline.requests import ChangeMapOutputs, ChangeMapRequest
from planaura_plugin.presets import HLS

SAMPLE = ("sample_data/HLS.S30.T15SXR.2021250T163901.v2.0.tif", "sample_data/HLS.S30.T15SXR.2022245T163901.v2.0.tif")


@pytest.mark.parametrize("dense,rec", [(False, False), (False, True), (True, False)])
def test_steps_count_every_half_block_and_reach_one(tiny_checkpoint, dense, rec):
    """The fractions rise strictly to exactly 1.0, one per half block (encoder, chunks, decoder)."""
    cfg = ModelConfig(**TINY, patch_stride=1 if dense else 16)
    runner = PlanauraRunner.from_checkpoint(cfg, tiny_checkpoint, device="cpu")
    x = np.random.default_rng(0).normal(size=(2, 6, 2, 64, 64)).astype(np.float32)
    seen = []
    plain = runner.infer(x, reconstruction=rec)
    stepped = runner.infer(x, reconstruction=rec, step=seen.append)
    calls = -(-cfg.patch_size ** 2 // runner.offsets_per_chunk(2)) if dense else 1
    assert len(seen) == pass_parts(cfg.depth, calls, cfg.decoder_depth if rec else 0)
    assert np.all(np.diff(seen) > 0) and seen[-1] == 1.0
    np.testing.assert_array_equal(plain.cosine, stepped.cosine)  # the hook changes no number
    if rec:
        np.testing.assert_array_equal(plain.reconstruction, stepped.reconstruction)


def test_step_that_raises_ends_the_pass_at_once(tiny_checkpoint):
    runner = PlanauraRunner.from_checkpoint(ModelConfig(**TINY), tiny_checkpoint, device="cpu")
    calls = []

    def stop(fraction):
        calls.append(fraction)
        raise Cancelled("stop")

    with pytest.raises(Cancelled):
        runner.infer(np.zeros((1, 6, 2, 64, 64), np.float32), step=stop)
    assert len(calls) == 1


class CancelInsideBatch(Feedback):
    """Cancels at the first progress reported inside a model batch; records when and what was said."""

    def __init__(self) -> None:
        self.fractions, self.infos = [], []
        self.cancel_at = None

    def progress(self, fraction, message=""):
        self.fractions.append((fraction, message))
        if self.cancel_at is None and message.startswith("tile batch"):
            self.cancel_at = time.monotonic()

    def info(self, message):
        self.infos.append(message)

    def is_cancelled(self):
        return self.cancel_at is not None


def test_base_model_cancel_stops_within_seconds_and_leaves_nothing(base_checkpoint, tmp_path):
    """A base-model batch takes tens of seconds on a CPU; the cancel must not wait for its end.

    Generous bound (10 s) for a loaded shared machine; ``make bench`` reports the real figure.
    """
    from support import REPO

    out = tmp_path / "run"
    outputs = ChangeMapOutputs(cosine_map=str(out / "c.tif"), classes=str(out / "k.tif"),
                               feature_maps={0: str(out / "f.tif")})
    spec = ModelSpec(preset=HLS, config=ModelConfig(), checkpoint=str(base_checkpoint), device="cpu",
                     batch_size=4)
    request = ChangeMapRequest(inputs=[str(REPO / p) for p in SAMPLE], outputs=outputs, model=spec)
    fb = CancelInsideBatch()
    with pytest.raises(Cancelled):
        run_change_map(request, fb)
    stopped = time.monotonic() - fb.cancel_at
    assert stopped < 10.0, f"the run went on {stopped:.1f} s after the cancel"
    assert fb.infos.count("cancelling…") == 1
    # the first batch-level progress came from inside the pass (the end of a batch is 0.08 + 0.9016 / n)
    inside = [f for f, m in fb.fractions if m.startswith("tile batch")]
    assert len(inside) == 1 and PREPASS_SHARE < inside[0] < PREPASS_SHARE + 0.05
    assert not out.exists(), "a cancelled run leaves no file and removes the folder it created"
