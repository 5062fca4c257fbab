"""Batched Planaura inference: features, cosine change map, which_before, reconstruction.

Masking follows the reference (SPEC 2.3): a token is invalid when any pixel under its
patch, in any band of any frame, equals ``no_data_float`` or is NaN; invalid tokens get
-100 in the cosine map, in ``which_before`` and in every feature channel.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, Optional, Sequence, Union

import numpy as np

from ..i18n import _
from ..products import COSINE_NODATA
from .blas import single_threaded_global_blas
from .config import ModelConfig
from .precision import (PRECISIONS, autocast_context, cast_encoder_linear_bf16,  # noqa: F401
                        quantize_encoder_int8, resolve_precision)

if TYPE_CHECKING:
    from .checkpoint import LoadReport
    from .pass_steps import StepCallback

NODATA_OUT = COSINE_NODATA


@dataclass
class ModelOutputs:
    """Numpy results for a batch of B tiles at the configured stride (grid h x w)."""

    features: Optional[np.ndarray]  # (B, T, h, w, k) float32, -100 where invalid
    cosine: Optional[np.ndarray]  # (B, h, w) float32, -100 where invalid; None for T=1
    which_before: Optional[np.ndarray]  # (B, h, w) int64 (0/1), -100 where invalid; None for T=1
    valid: np.ndarray  # (B, h, w) bool
    reconstruction: Optional[np.ndarray] = None  # (B, C, T, S, S) normalised, no_data_float where invalid


def resolve_device(device: str = "auto") -> str:
    """``auto`` -> ``cuda`` when a GPU is usable, else ``cpu``; ``cuda`` without GPU is an error.

    ``mps`` (Apple GPU) is used only when asked for, and only where torch reports it.
    """
    import torch

    if device in (None, "", "auto"):
        return "cuda" if torch.cuda.is_available() else "cpu"
    if device == "mps" and not (getattr(torch.backends, "mps", None) and torch.backends.mps.is_available()):
        from ..errors import DeviceError
        raise DeviceError(_("the Apple GPU (mps) was asked for but torch does not report it "
                            "(torch.backends.mps.is_available() is False); choose 'cpu' or 'auto'"))
    if device.startswith("cuda") and not torch.cuda.is_available():
        from ..errors import DeviceError
        raise DeviceError(_("CUDA was asked for but torch sees no GPU (torch.cuda.is_available() is False); choose "
                            "'cpu' or 'auto', or install a CUDA build of torch"))
    return device


def _cosine(a, b):
    import torch

    dot = (a * b).sum(-1)
    return dot / (torch.linalg.vector_norm(a, dim=-1) * torch.linalg.vector_norm(b, dim=-1))


def change_from_features(feats):
    """(…, T, h, w, E) float32 features -> (cosine, which_before) for T = 2 or 3, else (None, None).

    T=3: frames 0 and 1 are each compared with frame 2; the larger cosine wins.
    """
    import torch

    t = feats.shape[-4]
    if t == 2:
        cos = _cosine(feats[..., 0, :, :, :], feats[..., 1, :, :, :])
        return cos, torch.zeros(cos.shape, dtype=torch.int64, device=cos.device)
    if t == 3:
        c0 = _cosine(feats[..., 0, :, :, :], feats[..., 2, :, :, :])
        c1 = _cosine(feats[..., 1, :, :, :], feats[..., 2, :, :, :])
        which = (c1 > c0).to(torch.int64)
        return torch.where(which.bool(), c1, c0), which
    return None, None


def use_attention_context(network, context) -> None:
    """Run every attention kernel of ``network`` inside ``context()`` (e.g. one BLAS thread in QGIS on a CPU).

    Args:
        network: the Planaura network (its :class:`.network.Attention` modules are changed).
        context: a callable returning a context manager.
    """
    from .network import Attention

    for module in network.modules():
        if isinstance(module, Attention):
            module.kernel_context = context


class PlanauraRunner:
    """A loaded network on a device, ready to infer normalised batches (B, C, T, S, S)."""

    load_report: Optional["LoadReport"] = None  # set by from_checkpoint

    def __init__(self, network, device: str = "cpu", precision: str = "float32",
                 memory_budget_mb: Optional[float] = None) -> None:
        import torch

        self.device = resolve_device(device)
        # float32 is the reference; bfloat16 (CPU or GPU), float16 (GPU) and int8 (CPU) are opt-in
        self.precision, self.precision_note = resolve_precision(precision, self.device)
        self.network = network.to(self.device).eval()
        if self.device.startswith("cuda") and self.precision == "float32":
            # float32 means float32 on a GPU too: cuDNN would run the patch embedding's
            # convolution in TF32 (10-bit mantissa) on Ampere and later, beyond the golden
            # tolerances; the process-wide flags are set, not toggled per call (replicas share them)
            torch.backends.cudnn.allow_tf32 = False
            torch.backends.cuda.matmul.allow_tf32 = False
        if self.device == "cpu":  # torch's CPU attention calls BLAS from its OpenMP threads (see blas.py)
            use_attention_context(self.network, single_threaded_global_blas)
        if self.precision == "int8":
            quantize_encoder_int8(self.network)
        elif self.precision == "bfloat16" and self.device == "cpu":
            cast_encoder_linear_bf16(self.network)  # what autocast would cast on every call, once
        self.cfg: ModelConfig = network.cfg
        self.memory_budget_mb = memory_budget_mb
        self._torch = torch

    @classmethod
    def from_checkpoint(cls, cfg: ModelConfig, checkpoint, device: str = "cpu", precision: str = "float32",
                        memory_budget_mb: Optional[float] = None) -> "PlanauraRunner":
        from .checkpoint import load_network

        net, report = load_network(cfg, checkpoint)
        runner = cls(net, device=device, precision=precision, memory_budget_mb=memory_budget_mb)
        runner.load_report = report
        return runner

    # -------------------------------------------------------------------------------------
    def _autocast(self):
        return autocast_context(self.precision, self.device)

    def _budget_bytes(self) -> float:
        torch = self._torch
        if self.memory_budget_mb:
            return self.memory_budget_mb * 2 ** 20
        if self.device.startswith("cuda"):
            free, _total = torch.cuda.mem_get_info(torch.device(self.device))
            return free * 0.5
        return float(os.environ.get("PLANAURA_CPU_BUDGET_MB", 1024)) * 2 ** 20

    def offsets_per_chunk(self, batch: int) -> int:
        """How many dense sub-grid offsets fit the memory budget in one encoder call."""
        cfg = self.cfg
        _g, r = self.network.dense_layout()
        tokens = batch * cfg.num_frames * r * r
        elem = 2 if self.precision in ("float16", "bfloat16") else 4
        # residual + norm + qkv (3) + attention out + MLP hidden (mlp_ratio) + GELU copy
        per_offset = tokens * cfg.embed_dim * elem * (7 + 2 * cfg.mlp_ratio)
        return int(max(1, min(cfg.patch_size ** 2, self._budget_bytes() // per_offset)))

    def valid_mask(self, x):
        """(B, C, T, S, S) -> (B, h, w) bool at the configured stride."""
        import torch.nn.functional as F

        torch = self._torch
        bad = ((x == self.cfg.no_data_float) | torch.isnan(x)).any(dim=1).any(dim=1)  # (B, S, S)
        p, s = self.cfg.patch_size, self.cfg.patch_stride
        pooled = F.max_pool2d(bad[:, None].float(), kernel_size=p, stride=s)[:, 0]
        return pooled == 0, bad

    def infer(self, batch: Union[np.ndarray, "object"], feature_channels: Optional[Sequence[int]] = None,
              reconstruction: bool = False, change: bool = True,
              step: Optional["StepCallback"] = None) -> ModelOutputs:
        """Run the encoder (and the decoder when ``reconstruction``) on one batch.

        ``feature_channels``: None = all channels, [] = none (cosine only).
        ``step``: called with the fraction of the pass done after every half transformer block
        (:mod:`.pass_steps`); whatever it raises (e.g. ``Cancelled``) ends the pass there.
        """
        from .pass_steps import PassSteps, pass_parts

        torch = self._torch
        cfg = self.cfg
        x = torch.as_tensor(np.ascontiguousarray(batch) if isinstance(batch, np.ndarray) else batch)
        if x.ndim != 5 or x.shape[1] != cfg.in_chans or x.shape[2] != cfg.num_frames \
                or x.shape[3] != cfg.img_size or x.shape[4] != cfg.img_size:
            raise ValueError(f"expected a batch (B, {cfg.in_chans}, {cfg.num_frames}, {cfg.img_size}, "
                             f"{cfg.img_size}), got {tuple(x.shape)}")
        x = x.to(self.device, torch.float32)
        with torch.inference_mode():
            valid, bad_px = self.valid_mask(x)
            # NaN would spread through attention to every token of the tile: feed it as nodata
            x = torch.nan_to_num(x, nan=cfg.no_data_float)
            chans = None if feature_channels is None else list(feature_channels)
            calls = -(-cfg.patch_size ** 2 // self.offsets_per_chunk(x.shape[0])) if cfg.dense else 1
            steps = PassSteps(step, pass_parts(cfg.depth, calls, cfg.decoder_depth if reconstruction else 0))
            encoded = None  # stride-p tokens with cls: the decoder's input (dense mode computes them on demand)
            if cfg.dense:
                feats, cos, which = self._dense(x, chans, change, steps.hook)
            else:
                feats, cos, which, encoded = self._fast(x, chans, change, steps.hook)
            rec = None
            if reconstruction:
                with self._autocast():
                    if encoded is None:
                        encoded = self.network.encode_fast(x)
                    pred = self.network.decode(encoded, steps.hook)
                rec = self.network.unpatchify(pred.float())
                rec = torch.where(bad_px[:, None, None], torch.tensor(cfg.no_data_float, device=rec.device), rec)
            inv = ~valid
            if cos is not None:
                cos = torch.nan_to_num(cos, nan=NODATA_OUT, posinf=NODATA_OUT, neginf=NODATA_OUT)
                cos = cos.masked_fill(inv, NODATA_OUT)
                which = which.masked_fill(inv, int(NODATA_OUT))
            if feats is not None and cfg.dense:  # the dense buffers are ours (and big): in place
                torch.nan_to_num_(feats, nan=NODATA_OUT, posinf=NODATA_OUT, neginf=NODATA_OUT)
                feats.masked_fill_(inv[:, None, :, :, None], NODATA_OUT)
            elif feats is not None:
                feats = torch.nan_to_num(feats, nan=NODATA_OUT, posinf=NODATA_OUT, neginf=NODATA_OUT)
                feats = feats.masked_fill(inv[:, None, :, :, None], NODATA_OUT)
        def to_np(t):
            return None if t is None else t.cpu().numpy()

        return ModelOutputs(features=to_np(feats), cosine=to_np(cos), which_before=to_np(which),
                            valid=valid.cpu().numpy(), reconstruction=to_np(rec))

    def _fast(self, x, chans, change, after_part=None):
        cfg = self.cfg
        with self._autocast():
            encoded = self.network.encode_fast(x, after_part)
        b, g = x.shape[0], cfg.grid
        tokens = encoded[:, 1:, :].float().reshape(b, cfg.num_frames, g, g, cfg.embed_dim)
        cos, which = change_from_features(tokens) if change else (None, None)
        feats = tokens if chans is None else tokens[..., chans]
        if chans is not None and not chans:
            feats = None
        return feats, cos, which, encoded

    def _dense(self, x, chans, change, after_part=None):
        """Dense features, cosine and which_before, written straight into (B, [T,] G, G[, k]) buffers.

        Each chunk of sub-grid sequences is scattered to its rows i, i+p, ... and columns
        j, j+p, ... as soon as it is computed, so the only full-size buffers are the outputs.
        """
        torch = self._torch
        cfg = self.cfg
        b, t, p = x.shape[0], cfg.num_frames, cfg.patch_size
        g, _r = self.network.dense_layout()
        k = cfg.embed_dim if chans is None else len(chans)
        feats = torch.empty((b, t, g, g, k), dtype=torch.float32, device=x.device) if k else None
        do_change = change and t in (2, 3)
        cos = torch.empty((b, g, g), dtype=torch.float32, device=x.device) if do_change else None
        which = torch.empty((b, g, g), dtype=torch.int64, device=x.device) if do_change else None

        def consume(sl, normed):
            for n, off in enumerate(range(sl.start, sl.stop)):
                i, j = divmod(off, p)
                nr, nc = len(range(i, g, p)), len(range(j, g, p))
                tok = normed[:, n, :, :nr, :nc].float()  # (B, T, nr, nc, E)
                if do_change:
                    assert cos is not None and which is not None
                    c, w = change_from_features(tok)
                    cos[:, i::p, j::p] = c
                    which[:, i::p, j::p] = w
                if feats is not None:
                    feats[:, :, i::p, j::p] = tok if chans is None else tok[..., chans]

        with self._autocast():
            self.network.encode_dense(x, consume, self.offsets_per_chunk(b), after_part)
        return feats, cos, which
