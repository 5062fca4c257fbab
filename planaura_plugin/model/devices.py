"""Which devices a run uses and how many tiles go into one model call.

The decisions are pure functions of the figures they are given (free memory, device count),
so that they are tested without a GPU; :func:`batch_for_run` and :func:`devices_for_run`
read those figures from torch.

Memory model of one tile on a GPU (bytes, ``elem`` 4 for float32, 2 for bfloat16/float16):

- input: the float32 batch, its NaN-free copy and masks: ``3 * C * T * S * S * 4``;
- encoder activations of the widest step: ``N * E * elem * (7 + 2 * mlp_ratio)`` (residual,
  norm, qkv, attention output, MLP hidden and its GELU) plus one attention matrix
  ``heads * N * N * elem`` (in case the fused kernels are not used), with ``N = 1 + T * g * g``
  tokens at stride 16; in dense mode the encoder's chunks follow their own budget and only
  one sub-grid sequence (``T * R * R`` tokens) is counted here;
- outputs: float32 features ``T * G * G * k * 4`` (all ``E`` channels unless fewer are asked),
  cosine and dates ``3 * G * G * 4``, and the reconstruction ``C * T * S * S * 4`` with its
  decoder activations when asked.
"""
from __future__ import annotations

from typing import List, Optional, Sequence, Tuple

from .config import ModelConfig

GPU_SHARE = 0.7  # of the free memory a run may fill (the rest: allocator slack, cuDNN/cuBLAS workspaces)
MAX_AUTO_BATCH = 64  # beyond this a GPU gains nothing and the reader falls behind
CPU_BATCH = 4  # tiles per call on a CPU when left to the program (balanced batches, see change_map)


def _elem(precision: str) -> int:
    return 2 if precision in ("bfloat16", "float16") else 4


def tile_bytes(cfg: ModelConfig, precision: str = "float32", channels: Optional[int] = None,
               reconstruction: bool = False) -> int:
    """Device memory one tile of a batch needs (see the module docstring).

    Args:
        cfg: the model's configuration (stride and frames included).
        precision: float32, bfloat16, float16 or int8 (int8 counts as float32).
        channels: feature channels kept (None = all ``embed_dim``; 0 = cosine only).
        reconstruction: whether the decoder runs too.

    Returns:
        Bytes per tile.
    """
    t, s, c, e = cfg.num_frames, cfg.img_size, cfg.in_chans, cfg.embed_dim
    elem = _elem(precision)
    if cfg.dense:
        r = -(-cfg.grid // cfg.patch_size)
        n = t * r * r
    else:
        n = 1 + t * cfg.patch_grid ** 2
    act = n * e * elem * (7 + 2 * cfg.mlp_ratio) + cfg.num_heads * n * n * elem
    g = cfg.grid
    k = e if channels is None else channels
    out = t * g * g * k * 4 + 3 * g * g * 4
    if reconstruction:
        nd = 1 + t * cfg.patch_grid ** 2
        dec = nd * cfg.decoder_embed_dim * elem * (7 + 2 * cfg.mlp_ratio) + cfg.decoder_num_heads * nd * nd * elem
        act = max(act, dec)
        out += c * t * s * s * 4
    return int(3 * c * t * s * s * 4 + act + out)


def weights_bytes(cfg: ModelConfig) -> int:
    """Float32 weights of the encoder and decoder (about 12 E^2 per block, plus the patch embedding)."""
    enc = cfg.depth * 12 * cfg.embed_dim ** 2
    dec = cfg.decoder_depth * 12 * cfg.decoder_embed_dim ** 2
    embed = cfg.in_chans * cfg.patch_size ** 2 * (cfg.embed_dim + cfg.decoder_embed_dim)
    return int(4 * (enc + dec + embed))


def choose_batch_size(requested: int, free_bytes: Optional[Sequence[int]], per_tile: int, fixed: int = 0,
                      share: float = GPU_SHARE, cap: int = MAX_AUTO_BATCH) -> Tuple[int, Optional[str]]:
    """Tiles per model call from the devices' free memory.

    Args:
        requested: the batch asked for; 0 or less = automatic.
        free_bytes: free memory of each device the batch is split over (None on a CPU).
        per_tile: :func:`tile_bytes`.
        fixed: memory each device needs whatever the batch (its copy of the weights).
        share: the part of the free memory a run may fill.
        cap: the largest automatic batch.

    Returns:
        (batch size, a note when the batch asked for was lowered, else None). On a CPU the
        batch asked for is kept, and an automatic one is :data:`CPU_BATCH`.
    """
    if not free_bytes:
        return (requested if requested > 0 else CPU_BATCH), None
    per_device = [max(1, int((f * share - fixed) // max(1, per_tile))) for f in free_bytes]
    fits = min(per_device) * len(per_device)
    if requested <= 0:
        return max(1, min(fits, cap * len(per_device))), None
    if requested > fits:
        gb = min(free_bytes) / 2 ** 30
        return fits, (f"batch size lowered from {requested} to {fits}: {len(free_bytes)} device(s) with "
                      f"{gb:.1f} GB free hold about {fits} tile(s) at a time")
    return requested, None


def device_list(device: str, count: int, multi: bool) -> List[str]:
    """The devices a run uses: every GPU when ``multi`` and ``device`` is plain ``cuda``.

    Args:
        device: a resolved device (``cpu``, ``cuda`` or ``cuda:N``).
        count: ``torch.cuda.device_count()``.
        multi: the run asked for several GPUs (upstream's ``use_multi_gpu``).

    Returns:
        ``[device]``, or ``["cuda:0", ..., "cuda:<count-1>"]``. A numbered device stays alone.
    """
    if multi and device == "cuda" and count > 1:
        return [f"cuda:{i}" for i in range(count)]
    return [device]


def split_sizes(n: int, parts: int) -> List[int]:
    """``n`` tiles over ``parts`` devices, as even as possible, no empty part (9 over 2: [5, 4])."""
    parts = max(1, min(parts, n))
    base, extra = divmod(n, parts)
    return [base + (1 if i < extra else 0) for i in range(parts)] if n else []


def free_memory(devices: Sequence[str]) -> Optional[List[int]]:
    """Free bytes of each CUDA device (``torch.cuda.mem_get_info``); None for a CPU."""
    if not devices or not devices[0].startswith("cuda"):
        return None
    import torch

    return [int(torch.cuda.mem_get_info(torch.device(d))[0]) for d in devices]


def batch_for_run(cfg: ModelConfig, requested: int, devices: Sequence[str], precision: str = "float32",
                  channels: Optional[int] = None, reconstruction: bool = False,
                  loaded: bool = False) -> Tuple[int, Optional[str]]:
    """:func:`choose_batch_size` with the devices' free memory now.

    Args:
        cfg, precision, channels, reconstruction: as :func:`tile_bytes`.
        requested: the batch asked for (0 = automatic).
        devices: from :func:`device_list`.
        loaded: the weights are already on the devices (their memory is no longer free).

    Returns:
        (batch size, note or None).
    """
    per_tile = tile_bytes(cfg, precision, channels, reconstruction)
    fixed = 0 if loaded else weights_bytes(cfg)
    return choose_batch_size(requested, free_memory(devices), per_tile, fixed)
