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
from ..model.config import ModelConfig
from ..model.loading import ModelSpec
from ..model.precision import Precision
from ..presets import HF_REPO_ID, HLS, PRESETS, custom_preset
from .checkers import ConfigError
from .config import UpstreamConfig
from ..i18n import _


def upstream_precision(precision: Optional[str], autocast_float16: bool, gpu: bool) -> Precision:
    """The precision an upstream YAML asks for: its ``precision`` when given, else float16 when
    ``autocast_float16`` is set and the run uses a GPU (upstream's switch), else float32.

    Args:
        precision: the YAML's ``precision`` (None or empty: not given).
        autocast_float16: the YAML's ``autocast_float16``.
        gpu: whether the run uses a GPU (``use_gpu``, or a device other than ``cpu``).

    Returns:
        One of :data:`~..model.precision.PRECISIONS` (the model checks it when it loads; where the
        device cannot run it, :func:`~..model.precision.resolve_precision` decides).
    """
    if precision:
        return precision  # type: ignore[return-value]  # checked by the schema and by resolve_precision
    return "float16" if (gpu and autocast_float16) else "float32"


def spec_from_upstream(config: Mapping[str, Any], base_dir: Optional[Path] = None) -> ModelSpec:
    """The model's typed options (:class:`~..model.loading.ModelSpec`) from an upstream YAML mapping,
    as read: ``model_params`` (architecture, statistics, ``load_params``), ``num_frames``,
    ``change_map.date_regex``, ``use_gpu``, ``precision``/``autocast_float16``, ``batch_size``,
    ``use_multi_gpu``. The one place the model's options are read from upstream keys.

    Args:
        config: the YAML mapping; base_dir: the folder a relative ``checkpoint_path`` starts from.

    Raises:
        ValueError / TypeError / KeyError: ``model_params`` the model cannot be built from
            (:func:`spec_from_yaml` turns them into a ConfigError naming the key).
    """
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
    precision = upstream_precision(config.get("precision"), bool(config.get("autocast_float16")), use_gpu)
    return ModelSpec(preset=preset, config=cfg, checkpoint=checkpoint,
                     repo_id=load.get("repo_id") or HF_REPO_ID,
                     device="auto" if use_gpu else "cpu",
                     precision=precision,
                     batch_size=int(config.get("batch_size", 4)),
                     multi_gpu=bool(config.get("use_multi_gpu") or config.get("using_multi_gpu")))


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
    values = dict(raw)
    given = dict(raw.get("model_params") or {})
    mp = {k: v for k, v in given.items() if v is not None}
    mp["load_params"] = {k: v for k, v in dict(given.get("load_params") or {}).items() if v is not None}
    values["model_params"] = mp
    try:
        spec = spec_from_upstream(values, base_dir=base_dir)
    except (ValueError, TypeError, KeyError) as exc:
        raise ConfigError(_("model_params: {exc}").format(exc=exc)) from exc
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
        spec = replace(spec, device=device, precision=upstream_precision(
            config["precision"], bool(config["autocast_float16"]), device != "cpu"))
    source = str(config["model_params"]["load_params"]["source"]).lower()
    if source == "local":
        if not spec.checkpoint:
            raise ConfigError(_("model_params.load_params.checkpoint_path is missing: with source 'local' give the path"
                                " of the .pth file (or use source 'huggingface')"))
        if check_checkpoint and not Path(spec.checkpoint).is_file():
            raise CheckpointError(_("the checkpoint {checkpoint} (model_params.load_params.checkpoint_path) does not "
                                    "exist").format(checkpoint=spec.checkpoint))
    return spec
