"""Find, read and load Planaura checkpoints (local files or the Hugging Face hub).

Loading follows the reference's rules (SPEC section 2): state dicts possibly nested under
``model_state_dict`` or prefixed ``module.``; position tables taken from the checkpoint
and resized per frame when the grid differs (``keep_pos_embedding``), or rebuilt from the
sin-cos formula; patch projection and decoder prediction skipped when the band count
differs. Everything else must match the configured architecture exactly.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional, Tuple, Union

from ..errors import CheckpointError, MissingDependencyError, WeightsUnavailableError
from ..i18n import _
from ..presets import HF_REPO_ID
from .config import ModelConfig

ENC_POS = "backbone.encoder.pos_embed"
ENC_POS_ORIGINAL = "backbone.encoder.pos_embed_original"
DEC_POS = "backbone.decoder_pos_embed"
POSITION_KEYS = (ENC_POS, ENC_POS_ORIGINAL, DEC_POS)
CHANNEL_KEYS = ("backbone.encoder.patch_embed.proj.weight", "backbone.decoder_pred.weight",
                "backbone.decoder_pred.bias")


@dataclass
class LoadReport:
    """What the loader did with a checkpoint, for logs and tests."""

    source: str
    position_tables: str = "checkpoint"
    skipped_keys: List[str] = field(default_factory=list)
    warnings: List[str] = field(default_factory=list)


def _truthy(value: Optional[str]) -> bool:
    return (value or "").strip().lower() in {"1", "true", "yes", "on"}


def hf_checkpoint_path(model_name: str, repo_id: str = HF_REPO_ID, cache_dir: Optional[str] = None,
                       offline: Optional[bool] = None) -> Path:
    """Path of ``model_name`` (``Planaura-1.0-HLS`` or its ``.pth`` file) from the hub cache.

    Downloads it when allowed; honours ``HF_HOME``/``HF_HUB_CACHE`` and ``HF_HUB_OFFLINE``. A
    pinned file (:mod:`.weights_pins`) is taken at its pinned revision and its size and SHA-256
    are checked before it is returned.

    Raises:
        WeightsUnavailableError: not in the cache and not downloadable.
        CheckpointError: a pinned file whose size or SHA-256 differ (:func:`.weights_check.verify_pinned`).
    """
    from .weights_check import verify_pinned
    from .weights_pins import pin_for

    filename = model_name if model_name.endswith((".pth", ".pt")) else model_name + ".pth"
    try:
        from huggingface_hub import hf_hub_download
    except ImportError as exc:  # pragma: no cover - depends on the installation
        raise MissingDependencyError(_(
            "huggingface_hub is not installed, so the weights cannot be fetched from Hugging Face; "
            "install the plugin's dependencies or choose a local checkpoint file")) from exc
    if offline is None:
        offline = _truthy(os.environ.get("HF_HUB_OFFLINE"))
    pin = pin_for(repo_id, filename)
    try:
        path = Path(hf_hub_download(repo_id=repo_id, filename=filename, cache_dir=cache_dir,
                                    revision=pin.revision if pin else None, local_files_only=offline))
    except Exception as exc:  # the hub raises many types (offline, HTTP, missing entry, disk)
        where = cache_dir or os.environ.get("HF_HUB_CACHE") or os.environ.get("HF_HOME") or "~/.cache/huggingface"
        mode = _("offline mode (HF_HUB_OFFLINE) is on") if offline else _("the download failed")
        # the advice first, the library's message last (it can be long)
        raise WeightsUnavailableError(_(
            "The Planaura weights {file} (repository {repo}) are not in the Hugging Face cache ({cache}) and "
            "{mode}. Download {file} from {url} on a machine with internet access and either choose it as a "
            "local checkpoint file or copy the cache folder here. Hugging Face said: {error}").format(
            file=filename, repo=repo_id, cache=where, mode=mode, url=f"https://huggingface.co/{repo_id}",
            error=f"{type(exc).__name__}: {exc}")) from exc
    if pin is not None:
        verify_pinned(path, pin, repo_id, filename)
    return path


def read_state_dict(path: Union[str, Path]) -> Dict[str, Any]:
    """Read a checkpoint file safely (``weights_only``) and return its flat state dict."""
    import torch

    path = Path(path)
    if not path.is_file():
        raise CheckpointError(_("checkpoint file not found: {path}").format(path=path))
    try:
        obj = torch.load(str(path), map_location="cpu", weights_only=True)
    except Exception as exc:
        raise CheckpointError(_("{path} is not a readable PyTorch checkpoint: {error}").format(
            path=path, error=f"{type(exc).__name__}: {exc}")) from exc
    return unwrap_state_dict(obj, str(path))


def unwrap_state_dict(obj: Any, source: str = "checkpoint") -> Dict[str, Any]:
    import torch

    if isinstance(obj, Mapping):
        for key in ("model_state_dict", "state_dict", "model"):
            if key in obj and isinstance(obj[key], Mapping):
                obj = obj[key]
                break
    if not isinstance(obj, Mapping) or not obj or not all(isinstance(v, torch.Tensor) for v in obj.values()):
        raise CheckpointError(_("{source} holds no state dict of tensors (found {name})").format(
                                  source=source, name=type(obj).__name__))
    return {re.sub(r"^module\.", "", k): v for k, v in obj.items()}


def describe_architecture(sd: Mapping[str, Any]) -> str:
    """A short guess of the sizes a state dict was made for, for error messages."""
    parts = []
    w = sd.get("backbone.encoder.patch_embed.proj.weight")
    if w is not None and w.ndim == 5:
        parts.append(f"embed_dim={w.shape[0]} bands={w.shape[1]} patch_size={w.shape[-1]}")
    depth = len({k.split(".")[3] for k in sd if k.startswith("backbone.encoder.blocks.")})
    ddepth = len({k.split(".")[2] for k in sd if k.startswith("backbone.decoder_blocks.")})
    de = sd.get("backbone.decoder_embed.weight")
    parts.append(f"depth={depth} decoder_depth={ddepth}")
    if de is not None:
        parts.append(f"decoder_embed_dim={de.shape[0]}")
    pe = sd.get(ENC_POS)
    if pe is not None:
        parts.append(_("position tokens={n}").format(n=pe.shape[1] - 1))
    return ", ".join(parts)


def _position_tables(cfg: ModelConfig, sd: Mapping[str, Any], report: LoadReport):
    """(original, actual, decoder) tables for the configured grid, per SPEC 2.

    ``actual`` (the configured stride's grid) is a :class:`~.position.GridPositions`: made on
    demand, per dense sub-grid at stride 1, never whole.
    """
    import torch

    from .position import GridPositions, resize_per_frame, sincos_3d

    t, g, gd = cfg.num_frames, cfg.patch_grid, cfg.grid

    def computed():
        return (torch.from_numpy(sincos_3d(cfg.embed_dim, t, g, g)),
                GridPositions(cfg.embed_dim, t, gd),
                torch.from_numpy(sincos_3d(cfg.decoder_embed_dim, t, g, g)))

    if not cfg.keep_pos_embedding:
        report.position_tables = "sin-cos (keep_pos_embedding false)"
        return computed()
    enc = sd.get(ENC_POS_ORIGINAL, sd.get(ENC_POS))
    dec = sd.get(DEC_POS)
    tables = [] if enc is None or dec is None else [enc, dec]
    usable = bool(tables)
    for table in tables:
        n = table.shape[1] - 1
        side = int(round((n / t) ** 0.5)) if n % t == 0 else 0
        usable = usable and side > 0 and t * side * side == n
    if not usable:
        report.position_tables = "sin-cos (checkpoint tables do not fit the number of frames)"
        report.warnings.append(
            _("the checkpoint's position tables do not fit {t} frames; the sin-cos tables are used instead (the "
              "reference fails here)").format(t=t))
        return computed()
    assert enc is not None and dec is not None  # usable says so
    report.position_tables = "checkpoint"
    enc = enc.float()
    return (resize_per_frame(enc, t, g, g), GridPositions(cfg.embed_dim, t, gd, source=enc),
            resize_per_frame(dec.float(), t, g, g))


def load_network(cfg: ModelConfig, checkpoint: Union[str, Path, Mapping[str, Any]],
                 source: Optional[str] = None) -> Tuple[Any, LoadReport]:
    """Build a :class:`PlanauraNetwork` for ``cfg`` and load ``checkpoint`` into it (CPU, eval)."""
    from .network import PlanauraNetwork

    if isinstance(checkpoint, Mapping):
        sd = unwrap_state_dict(checkpoint, source or "checkpoint")
        source = source or "state dict"
    else:
        source = str(checkpoint)
        sd = read_state_dict(checkpoint)
    report = LoadReport(source=source)
    net = PlanauraNetwork(cfg)
    expected = net.state_dict()
    weights = {k: v for k, v in sd.items() if k not in POSITION_KEYS}

    proj = weights.get(CHANNEL_KEYS[0])
    if proj is not None and proj.ndim == 5 and proj.shape[1] != cfg.in_chans \
            and proj.shape[0] == cfg.embed_dim:
        for key in CHANNEL_KEYS:
            if key in weights:
                weights.pop(key)
                report.skipped_keys.append(key)
        report.warnings.append(
            _("the checkpoint was trained on {shape} bands but {in_chans} are configured: its patch projection and "
              "decoder prediction are NOT loaded (random), so outputs are not meaningful without fine-tuning").format(
                shape=proj.shape[1], in_chans=cfg.in_chans))

    missing = sorted(set(expected) - set(weights) - set(report.skipped_keys))
    unexpected = sorted(set(weights) - set(expected))
    wrong = sorted(k for k in set(weights) & set(expected) if tuple(weights[k].shape) != tuple(expected[k].shape))
    if missing or unexpected or wrong:
        lines = [_("{source} does not match the configured architecture ({configured}); the file looks like: "
                   "{found}.").format(source=source, found=describe_architecture(sd), configured=(
                       f"embed_dim={cfg.embed_dim}, depth={cfg.depth}, decoder_embed_dim={cfg.decoder_embed_dim}, "
                       f"decoder_depth={cfg.decoder_depth}, bands={cfg.in_chans}, patch_size={cfg.patch_size}"))]
        for title, keys in ((_("{n} missing keys: {keys}"), missing), (_("{n} unexpected keys: {keys}"), unexpected)):
            if keys:
                lines.append(title.format(n=len(keys), keys=", ".join(keys[:8]) + (" ..." if len(keys) > 8 else "")))
        if wrong:
            lines.append(_("{n} keys with other shapes: ").format(n=len(wrong)) + ", ".join(
                f"{k} {tuple(weights[k].shape)} != {tuple(expected[k].shape)}" for k in wrong[:8])
                         + (" ..." if len(wrong) > 8 else "") + ".")
        lines.append(_("For a custom checkpoint give its model configuration (YAML model_params)."))
        raise CheckpointError(" ".join(lines))

    net.load_state_dict(weights, strict=not report.skipped_keys)
    original, actual, decoder = _position_tables(cfg, sd, report)
    net.backbone.encoder.pos_embed_original = original.float()
    net.backbone.encoder.positions = actual
    net.backbone.decoder_pos_embed = decoder.float()
    net.eval()
    for prm in net.parameters():
        prm.requires_grad_(False)
    return net, report
