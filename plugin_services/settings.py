"""The plugin's QgsSettings: typed read and write of the keys the algorithms use as defaults.

The key names live in ``plugin_services/settings_keys.py`` (shared with the algorithms);
this module adds ``planaura/precision``, the dialog's finer choice behind the algorithms'
``planaura/half_precision`` switch.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, Optional

from qgis.core import QgsSettings

from ..planaura_plugin.presets import PRESETS
from . import settings_keys as keys

DEVICE = keys.DEVICE
HALF_PRECISION = keys.HALF_PRECISION
BATCH_SIZE = keys.BATCH_SIZE
HF_CACHE_DIR = keys.HF_CACHE_DIR
#: one of PRECISIONS; ``half_precision`` is true for bfloat16 and float16.
PRECISION = keys.PRECISION

DEVICES = keys.DEVICES
PRECISIONS = keys.PRECISIONS  # the core's list: float32, bfloat16, float16, int8
DEFAULT_BATCH_SIZE = keys.DEFAULT_BATCH_SIZE
MODEL_NAMES = tuple(PRESETS)  # Planaura-1.0-HLS, Planaura-1.0-S2, Planaura-1.0-S2-Senegal


def checkpoint_key(model_name: str) -> str:
    """``planaura/checkpoint/Planaura-1.0-HLS``."""
    return keys.checkpoint_key(model_name)


@dataclass
class PlanauraSettings:
    """The values the settings dialog edits."""

    device: str = keys.DEFAULT_DEVICE
    precision: str = "float32"
    batch_size: int = DEFAULT_BATCH_SIZE
    hf_cache_dir: str = ""
    checkpoints: Dict[str, str] = field(default_factory=dict)

    @property
    def half_precision(self) -> bool:
        return self.precision in keys.HALF_PRECISIONS


def _as_bool(value) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in {"1", "true", "yes", "on"}
    return bool(value)


def load_settings(settings: Optional[QgsSettings] = None) -> PlanauraSettings:
    """Read every key, falling back to the defaults on missing or invalid values."""
    s = settings or QgsSettings()
    device = str(s.value(DEVICE, keys.DEFAULT_DEVICE) or keys.DEFAULT_DEVICE)
    precision = str(s.value(PRECISION, "") or "")
    if precision not in PRECISIONS:
        precision = "float16" if _as_bool(s.value(HALF_PRECISION, keys.DEFAULT_HALF_PRECISION)) else "float32"
    try:
        batch = max(1, int(s.value(BATCH_SIZE, DEFAULT_BATCH_SIZE)))
    except (TypeError, ValueError):
        batch = DEFAULT_BATCH_SIZE
    return PlanauraSettings(
        device=device if device in DEVICES else keys.DEFAULT_DEVICE,
        precision=precision,
        batch_size=batch,
        hf_cache_dir=str(s.value(HF_CACHE_DIR, "") or ""),
        checkpoints={name: str(s.value(checkpoint_key(name), "") or "") for name in MODEL_NAMES},
    )


def save_settings(values: PlanauraSettings, settings: Optional[QgsSettings] = None) -> None:
    """Write every key (``half_precision`` derived from ``precision``)."""
    s = settings or QgsSettings()
    s.setValue(DEVICE, values.device)
    s.setValue(PRECISION, values.precision)
    s.setValue(HALF_PRECISION, values.half_precision)
    s.setValue(BATCH_SIZE, int(values.batch_size))
    s.setValue(HF_CACHE_DIR, values.hf_cache_dir)
    for name, path in values.checkpoints.items():
        s.setValue(checkpoint_key(name), path)
