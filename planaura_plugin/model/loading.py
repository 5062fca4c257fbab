"""Which model to run and a per-process cache of loaded networks.

A :class:`ModelSpec` says which weights (preset, local file or Hugging Face), which
architecture and which device/precision; :func:`get_runner` turns it into a
:class:`PlanauraRunner`, reusing a network already loaded in this process.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

from ..i18n import _
from ..presets import HF_REPO_ID, HLS, Preset
from .config import ModelConfig
from .precision import Precision


@dataclass(frozen=True)
class ModelSpec:
    """Everything that decides the numbers of a run, except the data."""

    preset: Preset = HLS
    config: ModelConfig = field(default_factory=ModelConfig)
    checkpoint: Optional[str] = None  # local file; None = the preset's file from Hugging Face
    repo_id: str = HF_REPO_ID
    hf_cache_dir: Optional[str] = None
    device: str = "auto"  # a DeviceChoice (auto | cpu | cuda | mps) or cuda:<n>
    precision: Precision = "float32"  # float32 | bfloat16 | float16 (GPU) | int8 (CPU); see precision.py
    batch_size: int = 4  # tiles per model call; 0 = from the free GPU memory (model/devices.py)
    multi_gpu: bool = False  # split each batch over every GPU (upstream's use_multi_gpu)

    def for_run(self, num_frames: int, patch_stride: int) -> "ModelSpec":
        return replace(self, config=self.config.with_(num_frames=num_frames, patch_stride=patch_stride))

    def checkpoint_path(self) -> Path:
        """The local checkpoint file, fetched from (or found in) the Hugging Face cache if needed."""
        from .checkpoint import hf_checkpoint_path

        if self.checkpoint:
            return Path(self.checkpoint)
        if not self.preset.checkpoint_file:
            from ..errors import CheckpointError
            raise CheckpointError(_("the model '{model}' has no published weights: choose a checkpoint file").format(
                model=self.preset.name))
        return hf_checkpoint_path(self.preset.checkpoint_file, repo_id=self.repo_id, cache_dir=self.hf_cache_dir)

    def weights_identity(self):
        """The :class:`~.weights_check.WeightsIdentity` of the weights this spec runs (path, SHA-256,
        size; pinned and revision for an official file, checked). Hashes once per file (cached)."""
        from .weights_check import identify, verify_pinned
        from .weights_pins import pin_for

        path = self.checkpoint_path()
        pin = None if self.checkpoint else pin_for(self.repo_id, path.name)
        return verify_pinned(path, pin, self.repo_id, path.name) if pin else identify(path)


_CACHE: Dict[Tuple, Any] = {}
_LOCK = threading.Lock()
_LOADS = [0]  # networks loaded by this process (see loaded_count)


def import_torch():
    """Import torch, or fail with a message that says how to install it."""
    try:
        import torch
    except ImportError as exc:
        from ..errors import MissingDependencyError
        raise MissingDependencyError(_(
            "PyTorch is not installed for this Python. In QGIS use Plugins > Planaura > Settings > "
            "Install dependencies; from a shell run `make setup` (or `pip install torch==2.13.0 "
            "huggingface_hub`).")) from exc
    return torch


def run_devices(spec: ModelSpec) -> List[str]:
    """The devices ``spec`` runs on: one, or every GPU when ``spec.multi_gpu`` (model/devices.py)."""
    torch = import_torch()
    from .devices import device_list
    from .inference import resolve_device

    device = resolve_device(spec.device)
    count = torch.cuda.device_count() if device.startswith("cuda") else 0
    return device_list(device, count, spec.multi_gpu)


def get_runner(spec: ModelSpec):
    """A :class:`PlanauraRunner` for ``spec`` (a :class:`ReplicaRunner` over several GPUs when
    ``spec.multi_gpu`` and more than one is present); networks stay loaded for the next run."""
    from .inference import PlanauraRunner

    devices = run_devices(spec)
    path = spec.checkpoint_path()
    stat = path.stat()
    key = (str(path.resolve()), stat.st_mtime_ns, stat.st_size, spec.config, tuple(devices), spec.precision)
    with _LOCK:
        runner = _CACHE.get(key)
        if runner is None:
            runners = [PlanauraRunner.from_checkpoint(spec.config, path, device=d, precision=spec.precision)
                       for d in devices]
            if len(runners) > 1:
                from .replicas import ReplicaRunner

                runner = ReplicaRunner(runners)
            else:
                runner = runners[0]
            _CACHE[key] = runner
            _LOADS[0] += 1
        return runner


def loaded_count() -> int:
    """How many networks this process has loaded since it started (a worker's reuse is seen
    as a count that stays the same from one task to the next)."""
    return _LOADS[0]


def release_models() -> int:
    """Forget every cached network and free GPU memory; returns how many were released."""
    with _LOCK:
        n = len(_CACHE)
        _CACHE.clear()
    try:
        import gc

        import torch
        gc.collect()
        if torch.cuda.is_available():
            torch.cuda.empty_cache()
    except ImportError:
        pass
    return n
