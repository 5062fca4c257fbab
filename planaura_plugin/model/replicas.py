"""One model call split over several devices (upstream's ``use_multi_gpu``).

Upstream wraps its model in ``torch.nn.DataParallel``; here each device holds its own
:class:`~planaura_plugin.model.inference.PlanauraRunner` and a batch of tiles is cut into
even consecutive parts (:func:`~planaura_plugin.model.devices.split_sizes`), inferred in one
thread per device (torch releases the GIL while a device computes) and put back together in
order. Tiles are independent, so the result is the one a single device gives.
"""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any, Dict, List, Optional, Sequence

import numpy as np

from .devices import split_sizes
from .inference import ModelOutputs

FIELDS = ("features", "cosine", "which_before", "valid", "reconstruction")


def concat_outputs(parts: Sequence[ModelOutputs]) -> ModelOutputs:
    """The outputs of consecutive sub-batches as those of the whole batch (None stays None)."""
    if len(parts) == 1:
        return parts[0]
    joined: Dict[str, Any] = {}
    for name in FIELDS:
        values = [getattr(p, name) for p in parts]
        joined[name] = None if values[0] is None else np.concatenate(values, axis=0)
    return ModelOutputs(**joined)


class ReplicaRunner:
    """Runs each batch over several runners (one per device); ``infer`` as ``PlanauraRunner.infer``."""

    def __init__(self, runners: Sequence[Any]) -> None:
        """Args:
            runners: loaded runners of one model, one per device (at least one).

        Raises:
            ValueError: no runner given.
        """
        if not runners:
            raise ValueError("ReplicaRunner needs at least one runner")
        self.runners: List[Any] = list(runners)
        first = self.runners[0]
        self.cfg = first.cfg
        self.precision, self.precision_note = first.precision, first.precision_note
        self.load_report = getattr(first, "load_report", None)
        self.devices = [r.device for r in self.runners]
        self.device = self.devices[0]
        self._pool = ThreadPoolExecutor(max_workers=len(self.runners), thread_name_prefix="planaura-device")

    def infer(self, batch: np.ndarray, feature_channels: Optional[Sequence[int]] = None,
              reconstruction: bool = False, change: bool = True, step=None) -> ModelOutputs:
        """Split ``batch`` (B, C, T, S, S) over the devices, infer, and join the parts in order.

        ``step`` (see ``PlanauraRunner.infer``) is called by every part; the parts run together,
        so each one's fraction is about the batch's.
        """
        sizes = split_sizes(len(batch), len(self.runners))
        starts = np.cumsum([0] + sizes)
        jobs = [self._pool.submit(runner.infer, batch[starts[i]:starts[i + 1]], feature_channels, reconstruction,
                                  change, step)
                for i, runner in enumerate(self.runners[:len(sizes)])]
        return concat_outputs([job.result() for job in jobs])

    def offsets_per_chunk(self, batch: int) -> int:
        """The dense chunking of the first device (every device holds the same model)."""
        return int(self.runners[0].offsets_per_chunk(batch))
