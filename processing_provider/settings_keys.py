"""QgsSettings keys shared by the Processing algorithms and the plugin's settings dialog.

The dialog (``ui/``) writes these keys, the algorithms read them as parameter defaults.
Keep this module free of QGIS imports so that both sides (and tests) can use it anywhere.

Keys (type, meaning, default):

- ``planaura/device`` (str): ``auto``, ``cpu`` or ``cuda``; default ``auto``.
- ``planaura/half_precision`` (bool): half-precision inference on a GPU; default false.
- ``planaura/precision`` (str): the half type used when half precision is on, ``float16`` or
  ``bfloat16`` (``float32`` = off); written by the settings dialog, default ``float32``.
- ``planaura/batch_size`` (int): tiles per model call; default 4.
- ``planaura/checkpoint/<model name>`` (str): local checkpoint of a published model, e.g.
  ``planaura/checkpoint/Planaura-1.0-HLS``; empty = Hugging Face cache / download.
- ``planaura/hf_cache_dir`` (str): Hugging Face cache folder used to find or download weights;
  empty = huggingface_hub's default.
"""
from __future__ import annotations

PREFIX = "planaura"

DEVICE = f"{PREFIX}/device"
HALF_PRECISION = f"{PREFIX}/half_precision"
PRECISION = f"{PREFIX}/precision"
BATCH_SIZE = f"{PREFIX}/batch_size"
CHECKPOINT_GROUP = f"{PREFIX}/checkpoint"
HF_CACHE_DIR = f"{PREFIX}/hf_cache_dir"

DEVICES = ("auto", "cpu", "cuda")  # same order as the algorithms' DEVICE enum
HALF_PRECISIONS = ("float16", "bfloat16")

DEFAULT_DEVICE = "auto"
DEFAULT_HALF_PRECISION = False
DEFAULT_BATCH_SIZE = 4


def checkpoint_key(model_name: str) -> str:
    """``planaura/checkpoint/Planaura-1.0-HLS`` for ``Planaura-1.0-HLS``."""
    return f"{CHECKPOINT_GROUP}/{model_name}"
