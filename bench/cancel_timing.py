"""`make bench` section ``cancel``: the time from a cancel to the run's stop (issue 27).

A change map of the sample pair (512 x 512, one tile) with the base checkpoint on the CPU is
cancelled at the first progress reported inside the model's batch; the figure is the time from
that moment to the ``Cancelled`` exception reaching the caller (outputs removed included).
"""
from __future__ import annotations

import time
from pathlib import Path
from typing import Any, Dict

REPO = Path(__file__).resolve().parents[1]
SAMPLE = (REPO / "sample_data" / "HLS.S30.T15SXR.2021250T163901.v2.0.tif",
          REPO / "sample_data" / "HLS.S30.T15SXR.2022245T163901.v2.0.tif")


def job_cancel(args: Dict[str, Any]) -> Dict[str, Any]:
    """``{"cancel_to_stop_s", "said_cancelling", "progress_inside_batch", "outputs_left", "threads"}``."""
    import tempfile

    import torch

    from planaura_plugin.errors import Cancelled
    from planaura_plugin.feedback import Feedback
    from planaura_plugin.model.config import ModelConfig
    from planaura_plugin.model.loading import ModelSpec
    from planaura_plugin.pipeline.change import run_change_map
    from planaura_plugin.pipeline.requests import ChangeMapOutputs, ChangeMapRequest
    from planaura_plugin.presets import HLS

    class CancelInsideBatch(Feedback):
        def __init__(self) -> None:
            self.cancel_at = None
            self.inside = 0
            self.infos = []

        def progress(self, fraction, message=""):
            if message.startswith("tile batch"):
                self.inside += 1
                if self.cancel_at is None:
                    self.cancel_at = time.monotonic()

        def info(self, message):
            self.infos.append(message)

        def is_cancelled(self):
            return self.cancel_at is not None

    with tempfile.TemporaryDirectory(prefix="planaura_bench_cancel_") as tmp:
        out = Path(tmp) / "out"
        spec = ModelSpec(preset=HLS, config=ModelConfig(), checkpoint=args["checkpoint"], device="cpu", batch_size=4)
        request = ChangeMapRequest(inputs=[str(p) for p in SAMPLE], model=spec,
                                   outputs=ChangeMapOutputs(cosine_map=str(out / "c.tif"), classes=str(out / "k.tif")))
        fb = CancelInsideBatch()
        start = time.monotonic()
        try:
            run_change_map(request, fb)
            stopped = None
        except Cancelled:
            stopped = time.monotonic()
        left = sorted(p.name for p in out.rglob("*")) if out.exists() else []
    return {"cancel_to_stop_s": None if stopped is None or fb.cancel_at is None else round(stopped - fb.cancel_at, 3),
            "run_until_cancel_s": None if fb.cancel_at is None else round(fb.cancel_at - start, 1),
            "said_cancelling": "cancelling…" in fb.infos, "progress_calls_inside_batch": fb.inside,
            "outputs_left": left, "threads": torch.get_num_threads(),
            "note": "base checkpoint, sample pair (one 512 px tile), CPU float32, cancelled at the first progress "
                    "inside the batch (the model checks the cancel after every attention and MLP)"}


JOBS = {"cancel": job_cancel}
