"""Errors of one precision's model outputs against float32 (importable as `precision_compare`).

Used by tests/core/test_precisions.py and bench/precisions.py.
"""
from __future__ import annotations

from typing import Any, Dict, Sequence

import numpy as np

THRESHOLDS = (0.80, 0.60, 0.40)


def compare_outputs(ref: Any, out: Any, thresholds: Sequence[float] = THRESHOLDS) -> Dict[str, Any]:
    """Errors of ``out`` against ``ref`` (two :class:`ModelOutputs` of the same batch).

    Args:
        ref: the float32 outputs.
        out: the outputs of another precision.
        thresholds: change-class thresholds.

    Returns:
        Error figures (see the module docstring); cosine figures only when there is a cosine.
    """
    from planaura_plugin.pipeline.change import change_classes

    res: Dict[str, Any] = {"valid_positions": int(ref.valid.sum()),
                           "valid_mask_equal": bool(np.array_equal(ref.valid, out.valid))}
    if ref.features is not None and out.features is not None:
        v = ref.valid[:, None, :, :, None] & out.valid[:, None, :, :, None]
        d = np.abs(ref.features.astype(np.float64) - out.features)
        res["max_abs_dfeature"] = float(d[np.broadcast_to(v, d.shape)].max()) if v.any() else 0.0
    if ref.cosine is not None and out.cosine is not None:
        both = ref.valid & out.valid
        dc = np.abs(ref.cosine.astype(np.float64) - out.cosine)[both]
        res["max_abs_dcos"] = float(dc.max()) if dc.size else 0.0
        res["mean_abs_dcos"] = float(dc.mean()) if dc.size else 0.0
        ca, cb = change_classes(ref.cosine, thresholds), change_classes(out.cosine, thresholds)
        res["class_change_share"] = float((ca != cb)[both].mean()) if both.any() else 0.0
        if ref.which_before is not None and ref.cosine.ndim and ref.which_before.max() > 0:
            res["which_before_changes"] = int((ref.which_before != out.which_before)[both].sum())
    return res
