"""QgsSettings keys shared by the Processing algorithms and the plugin's settings dialog.

The dialog (``ui/``) writes these keys, the algorithms read them as parameter defaults.
Keep this module free of QGIS imports so that both sides (and tests) can use it anywhere.

Keys (type, meaning, default):

- ``planaura/device`` (str): ``auto``, ``cpu``, ``cuda`` or ``mps`` (Apple GPU); default ``auto``.
- ``planaura/half_precision`` (bool): half-precision inference on a GPU; default false.
- ``planaura/precision`` (str): one of :data:`PRECISIONS` (``float32``, ``bfloat16``, ``float16``,
  ``int8``), written by the settings dialog, default ``float32``; with half precision on, the half
  type (``float16`` unless ``bfloat16``); with it off, ``int8`` or ``float32``
  (:func:`default_precision`).
- ``planaura/batch_size`` (int): tiles per model call; default 4.
- ``planaura/checkpoint/<model name>`` (str): local checkpoint of a published model, e.g.
  ``planaura/checkpoint/Planaura-1.0-HLS``; empty = Hugging Face cache / download.
- ``planaura/hf_cache_dir`` (str): Hugging Face cache folder used to find or download weights;
  empty = huggingface_hub's default.
"""
from __future__ import annotations

from ..planaura_plugin.model.precision import DEVICE_CHOICES, PRECISIONS  # noqa: F401 - the one lists

PREFIX = "planaura"

DEVICE = f"{PREFIX}/device"
HALF_PRECISION = f"{PREFIX}/half_precision"
PRECISION = f"{PREFIX}/precision"
BATCH_SIZE = f"{PREFIX}/batch_size"
CHECKPOINT_GROUP = f"{PREFIX}/checkpoint"
HF_CACHE_DIR = f"{PREFIX}/hf_cache_dir"

DEVICES = DEVICE_CHOICES  # auto, cpu, cuda, mps: the order of the algorithms' DEVICE enum (mps: Apple GPU)
HALF_PRECISIONS = ("float16", "bfloat16")

DEFAULT_DEVICE = "auto"
DEFAULT_HALF_PRECISION = False
DEFAULT_BATCH_SIZE = 4


def checkpoint_key(model_name: str) -> str:
    """``planaura/checkpoint/Planaura-1.0-HLS`` for ``Planaura-1.0-HLS``."""
    return f"{CHECKPOINT_GROUP}/{model_name}"


def default_precision(half: bool, chosen: str) -> str:
    """The precision of a run whose PRECISION parameter is ``default``.

    Args:
        half: the run's HALF_PRECISION switch (its default is the settings' ``half_precision``).
        chosen: the settings' ``planaura/precision``.

    Returns:
        With ``half``: ``chosen`` if it is a half type, else ``float16``. Without: ``int8`` when
        the settings chose it, else ``float32``.
    """
    if half:
        return chosen if chosen in HALF_PRECISIONS else "float16"
    return "int8" if chosen == "int8" else "float32"
