"""The model of an upstream YAML: one rule for the Processing algorithms and the command line.

Both the CLI (``python -m planaura_plugin run config.yaml``) and the algorithms' *Model
configuration* parameter resolve a YAML's ``model_params`` (and ``change_map.date_regex``)
with :func:`spec_from_yaml`, so the same file gives the same model, statistics, weights and
date convention whichever way it is run.
"""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any, Mapping, Optional

from ..errors import CheckpointError
from .checkers import ConfigError
from .config import UpstreamConfig


def spec_from_yaml(raw: Mapping[str, Any], base_dir: Path, fallback_preset: Any = None) -> Any:
    """The :class:`~planaura_plugin.model.loading.ModelSpec` of an upstream YAML mapping.

    Keys given as null count as left out (upstream's defaults apply).

    Args:
        raw: the YAML mapping (validated by :func:`.parse_config` or as read).
        base_dir: the folder a relative ``checkpoint_path`` starts from.
        fallback_preset: the preset whose statistics apply when the YAML names no model and gives
            no ``data_mean``/``data_std`` (the algorithm's *Model* choice); None: HLS, as upstream.

    Returns:
        The spec; its preset's ``date_regex`` is the YAML's ``change_map.date_regex``, else the model's.

    Raises:
        ConfigError: ``model_params`` the model cannot be built from (the message names the key).
    """
    from ..model.loading import spec_from_upstream

    values = dict(raw)
    given = dict(raw.get("model_params") or {})
    mp = {k: v for k, v in given.items() if v is not None}
    mp["load_params"] = {k: v for k, v in dict(given.get("load_params") or {}).items() if v is not None}
    values["model_params"] = mp
    try:
        spec = spec_from_upstream(values, base_dir=base_dir)
    except (ValueError, TypeError, KeyError) as exc:
        raise ConfigError(f"model_params: {exc}") from exc
    has_stats = mp.get("data_mean") is not None and mp.get("data_std") is not None
    if fallback_preset is not None and not has_stats and not mp["load_params"].get("model_name"):
        if len(spec.config.bands) == len(fallback_preset.bands):
            regex = (raw.get("change_map") or {}).get("date_regex") or fallback_preset.date_regex
            spec = replace(spec, preset=replace(fallback_preset, bands=spec.config.bands, date_regex=regex))
    return spec


def model_spec(config: UpstreamConfig, cwd: Path, device: Optional[str] = None, check_checkpoint: bool = True):
    """The :class:`ModelSpec` of a validated config (:func:`spec_from_yaml`); ``device`` (cpu/cuda/auto)
    overrides use_gpu; a local checkpoint must be given (and exist when ``check_checkpoint``)."""
    spec = spec_from_yaml(config.values, cwd)
    if device is not None:
        half = bool(config["autocast_float16"]) and device != "cpu"
        spec = replace(spec, device=device, precision=config["precision"] or ("float16" if half else "float32"))
    source = str(config["model_params"]["load_params"]["source"]).lower()
    if source == "local":
        if not spec.checkpoint:
            raise ConfigError("model_params.load_params.checkpoint_path is missing: with source 'local' give the "
                              "path of the .pth file (or use source 'huggingface')")
        if check_checkpoint and not Path(spec.checkpoint).is_file():
            raise CheckpointError(f"the checkpoint {spec.checkpoint} (model_params.load_params.checkpoint_path) "
                                  "does not exist")
    return spec
