"""Which model to run and a per-process cache of loaded networks.

A :class:`ModelSpec` says which weights (preset, local file or Hugging Face), which
architecture and which device/precision; :func:`get_runner` turns it into a
:class:`PlanauraRunner`, reusing a network already loaded in this process.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Dict, Mapping, Optional, Tuple

from ..i18n import _
from ..presets import HF_REPO_ID, HLS, PRESETS, Preset, custom_preset
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
    batch_size: int = 4

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


def spec_from_upstream(config: Mapping[str, Any], base_dir: Optional[Path] = None) -> ModelSpec:
    """A :class:`ModelSpec` from an upstream YAML (its ``model_params`` and run keys)."""
    mp = dict(config.get("model_params") or {})
    load = dict(mp.get("load_params") or {})
    cfg = ModelConfig.from_upstream(mp, num_frames=int(config.get("num_frames", 2)))
    mean, std = mp.get("data_mean"), mp.get("data_std")
    name = load.get("model_name") or ""
    known = PRESETS.get(name.replace(".pth", ""))
    # without date_regex, the named model's own convention (S2 names hold YYYYMMDD), else HLS
    regex = (config.get("change_map") or {}).get("date_regex") or (known or HLS).date_regex
    if mean is not None and std is not None:
        preset = custom_preset(mean, std, mp.get("no_data", known.no_data if known else HLS.no_data),
                               date_regex=regex, bands=cfg.bands, name=name or "custom")
        if known:
            preset = replace(preset, checkpoint_file=known.checkpoint_file)
    elif known:
        preset = replace(known, date_regex=regex)
    else:
        preset = replace(HLS, date_regex=regex)
    checkpoint = None
    source = (load.get("source") or "local").lower()
    if source == "local":
        path = load.get("checkpoint_path")
        if path:
            p = Path(path).expanduser()
            checkpoint = str(p if p.is_absolute() or base_dir is None else (base_dir / p))
    elif name and not name.endswith(".pth"):
        preset = replace(preset, checkpoint_file=name + ".pth")
    elif name:
        preset = replace(preset, checkpoint_file=name)
    use_gpu = bool(config.get("use_gpu", False))
    return ModelSpec(preset=preset, config=cfg, checkpoint=checkpoint,
                     repo_id=load.get("repo_id") or HF_REPO_ID,
                     device="auto" if use_gpu else "cpu",
                     precision=config.get("precision") or (
                         "float16" if (use_gpu and config.get("autocast_float16")) else "float32"),
                     batch_size=int(config.get("batch_size", 4)))


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


def get_runner(spec: ModelSpec):
    """A :class:`PlanauraRunner` for ``spec``; networks stay loaded for the next run."""
    import_torch()
    from .inference import PlanauraRunner, resolve_device

    path = spec.checkpoint_path()
    device = resolve_device(spec.device)
    stat = path.stat()
    key = (str(path.resolve()), stat.st_mtime_ns, stat.st_size, spec.config, device, spec.precision)
    with _LOCK:
        runner = _CACHE.get(key)
        if runner is None:
            runner = PlanauraRunner.from_checkpoint(spec.config, path, device=device, precision=spec.precision)
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
