"""The Planaura network: a ViT encoder over (frame, row, column) patches and an MAE decoder.

Module names follow the official checkpoints (``backbone.encoder.blocks.0.attn.qkv`` ...),
so a state dict loads without renaming. Attention runs on ``scaled_dot_product_attention``.
Position tables are buffers set by the checkpoint loader (see ``checkpoint.py``), never
parameters, because they depend on the inference grid (tile size, stride, frames). The table
of the configured stride's grid is a :class:`~.position.GridPositions`: at stride 1 it is made
per dense sub-grid, never whole (1.5 GB for a base tile).
"""
from __future__ import annotations

import contextlib
from typing import Callable, ContextManager, Optional, Tuple

import torch
import torch.nn.functional as F
from torch import nn

from .config import ModelConfig
from .position import GridPositions, sincos_3d


class Attention(nn.Module):
    def __init__(self, dim: int, num_heads: int) -> None:
        super().__init__()
        self.num_heads = num_heads
        # what the attention kernel runs inside; the runner decides (see inference.use_attention_context)
        self.kernel_context: Callable[[], ContextManager[None]] = contextlib.nullcontext
        self.qkv = nn.Linear(dim, dim * 3, bias=True)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        b, n, c = x.shape
        qkv = self.qkv(x).reshape(b, n, 3, self.num_heads, c // self.num_heads).permute(2, 0, 3, 1, 4)
        q, k, v = qkv.unbind(0)
        with self.kernel_context():
            x = F.scaled_dot_product_attention(q, k, v)
        return self.proj(x.transpose(1, 2).reshape(b, n, c))


class Mlp(nn.Module):
    def __init__(self, dim: int, hidden: int) -> None:
        super().__init__()
        self.fc1 = nn.Linear(dim, hidden)
        self.act = nn.GELU()
        self.fc2 = nn.Linear(hidden, dim)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fc2(self.act(self.fc1(x)))


class Block(nn.Module):
    """Pre-norm transformer block (LayerNorm eps 1e-6, as timm's ViT)."""

    def __init__(self, dim: int, num_heads: int, mlp_ratio: float) -> None:
        super().__init__()
        self.norm1 = nn.LayerNorm(dim, eps=1e-6)
        self.attn = Attention(dim, num_heads)
        self.norm2 = nn.LayerNorm(dim, eps=1e-6)
        self.mlp = Mlp(dim, int(dim * mlp_ratio))

    def forward(self, x: torch.Tensor, after_part: Optional[Callable[[], None]] = None) -> torch.Tensor:
        """``after_part`` is called after the attention and after the MLP (a cancel check, progress)."""
        x = x + self.attn(self.norm1(x))
        if after_part is not None:
            after_part()
        x = x + self.mlp(self.norm2(x))
        if after_part is not None:
            after_part()
        return x


class PatchEmbed(nn.Module):
    """Conv3d patch projection; the stride is chosen per call (16 = fast, 1 = dense)."""

    def __init__(self, cfg: ModelConfig) -> None:
        super().__init__()
        p, t = cfg.patch_size, cfg.tubelet_size
        self.patch_size = p
        self.proj = nn.Conv3d(cfg.in_chans, cfg.embed_dim, kernel_size=(t, p, p), stride=(t, p, p))

    def forward(self, x: torch.Tensor, stride: Optional[int] = None) -> torch.Tensor:
        """(B, C, T, H, W) -> (B, E, T, h, w)."""
        s = stride or self.patch_size
        return F.conv3d(x, self.proj.weight, self.proj.bias, stride=(self.proj.stride[0], s, s))


class Encoder(nn.Module):
    def __init__(self, cfg: ModelConfig) -> None:
        super().__init__()
        e = cfg.embed_dim
        self.patch_embed = PatchEmbed(cfg)
        self.cls_token = nn.Parameter(torch.zeros(1, 1, e))
        self.blocks = nn.ModuleList(Block(e, cfg.num_heads, cfg.mlp_ratio) for _ in range(cfg.depth))
        self.norm = nn.LayerNorm(e, eps=1e-6)
        t, g, gd = cfg.num_frames, cfg.patch_grid, cfg.grid
        # "original": the stride-p grid (decoder path); positions: the grid of the configured stride
        self.register_buffer("pos_embed_original", torch.from_numpy(sincos_3d(e, t, g, g)), persistent=False)
        self.positions = GridPositions(e, t, gd)

    @property
    def pos_embed(self) -> torch.Tensor:
        """The whole (1, 1 + T*G*G, E) table of the configured grid (built on each access)."""
        return self.positions.full()

    @pos_embed.setter
    def pos_embed(self, table: torch.Tensor) -> None:
        self.positions = GridPositions(self.positions.dim, self.positions.t, self.positions.grid, full_table=table)


class Backbone(nn.Module):
    """Encoder + MAE decoder, named like the checkpoints' ``backbone.*`` keys."""

    def __init__(self, cfg: ModelConfig) -> None:
        super().__init__()
        d = cfg.decoder_embed_dim
        self.encoder = Encoder(cfg)
        self.decoder_embed = nn.Linear(cfg.embed_dim, d)
        self.mask_token = nn.Parameter(torch.zeros(1, 1, d))  # unused at mask ratio 0, kept for strict loading
        self.decoder_blocks = nn.ModuleList(
            Block(d, cfg.decoder_num_heads, cfg.mlp_ratio) for _ in range(cfg.decoder_depth))
        self.decoder_norm = nn.LayerNorm(d, eps=1e-6)
        p = cfg.patch_size
        self.decoder_pred = nn.Linear(d, cfg.tubelet_size * p * p * cfg.in_chans)
        g = cfg.patch_grid
        self.register_buffer("decoder_pos_embed", torch.from_numpy(sincos_3d(d, cfg.num_frames, g, g)),
                             persistent=False)


class PlanauraNetwork(nn.Module):
    """The whole network with the fast (stride p) and dense (stride 1) encoder paths."""

    def __init__(self, cfg: ModelConfig) -> None:
        super().__init__()
        self.cfg = cfg
        self.backbone = Backbone(cfg)

    # ---- encoder -------------------------------------------------------------------------
    def _run_blocks(self, x: torch.Tensor, after_part: Optional[Callable[[], None]] = None) -> torch.Tensor:
        for blk in self.backbone.encoder.blocks:
            x = blk(x, after_part)
        return x

    def encode_fast(self, x: torch.Tensor, after_part: Optional[Callable[[], None]] = None) -> torch.Tensor:
        """Stride-p encoder with cls token: (B, C, T, S, S) -> normed (B, 1 + T*g*g, E).

        ``after_part``: called twice per block (see :meth:`Block.forward`); it may raise to stop.
        """
        enc = self.backbone.encoder
        tok = enc.patch_embed(x).flatten(2).transpose(1, 2)
        table = enc.pos_embed_original
        tok = tok + table[:, 1:, :]
        cls = (enc.cls_token + table[:, :1, :]).expand(tok.shape[0], -1, -1)
        return enc.norm(self._run_blocks(torch.cat([cls, tok], dim=1), after_part))

    def dense_layout(self) -> Tuple[int, int]:
        """(G, R): dense grid side and sub-grid rows of the longest (offset 0) sub-grid."""
        g = self.cfg.grid
        return g, -(-g // self.cfg.patch_size)

    def encode_dense(self, x: torch.Tensor, consume: Callable[[slice, torch.Tensor], None],
                     offsets_per_chunk: int, after_part: Optional[Callable[[], None]] = None) -> None:
        """Stride-1 encoder, one chunk of sub-grid sequences at a time.

        The G x G grid of every frame is split into p*p interleaved sub-grids; sub-grid
        (i, j) holds rows i, i+p, ... and columns j, j+p, .... Each is one sequence without
        a cls token, padded with zero vectors to the longest sub-grid (R x R per frame);
        the padding tokens take part in attention, as in the reference. For every chunk,
        ``consume(offset_slice, normed)`` receives normed tokens shaped (B, n, T, R, R, E)
        for the flat offsets ``i * p + j`` in ``offset_slice``; padded slots are garbage.
        ``after_part`` is called twice per block of every chunk (see :meth:`Block.forward`).
        """
        enc = self.backbone.encoder
        p = self.cfg.patch_size
        b, c, t, s, _ = x.shape
        g, r = self.dense_layout()
        e = self.cfg.embed_dim
        # zero margin so that every offset yields R full patches (the extra ones are masked)
        xp = F.pad(x, (0, r * p + p - s, 0, r * p + p - s))
        rows = torch.arange(r, device=x.device)
        n_off = p * p
        for start in range(0, n_off, offsets_per_chunk):
            stop = min(start + offsets_per_chunk, n_off)
            offs = [(k // p, k % p) for k in range(start, stop)]
            crops = torch.stack([xp[:, :, :, i:i + r * p, j:j + r * p] for i, j in offs], dim=1)
            n = len(offs)
            tok = enc.patch_embed(crops.reshape(b * n, c, t, r * p, r * p))  # (B*n, E, T, R, R)
            tok = tok.reshape(b, n, e, t, r, r).permute(0, 1, 3, 4, 5, 2)  # (B, n, T, R, R, E)
            pos = torch.stack([self._subgrid_positions(i, j) for i, j in offs]).to(x.device)  # (n, T, R, R, E)
            oi = torch.tensor([i for i, _ in offs], device=x.device)
            oj = torch.tensor([j for _, j in offs], device=x.device)
            valid = ((rows[None, :, None] * p + oi[:, None, None]) < g) & \
                    ((rows[None, None, :] * p + oj[:, None, None]) < g)  # (n, R, R)
            seq = torch.where(valid[None, :, None, :, :, None], tok + pos[None].to(tok.dtype),
                              torch.zeros((), dtype=tok.dtype, device=tok.device))
            del tok, pos, crops
            seq = self._run_blocks(seq.reshape(b * n, t * r * r, e), after_part)
            consume(slice(start, stop), enc.norm(seq).reshape(b, n, t, r, r, e))

    def _subgrid_positions(self, i: int, j: int) -> torch.Tensor:
        """(T, R, R, E) stride-1 positions of sub-grid (i, j), zero beyond the grid (CPU).

        Args:
            i: row offset (0 <= i < p).
            j: column offset.

        Returns:
            The positions of rows i, i+p, ... and columns j, j+p, ... of every frame.
        """
        import numpy as np

        p = self.cfg.patch_size
        g, r = self.dense_layout()
        enc = self.backbone.encoder
        rows, cols = np.arange(i, g, p), np.arange(j, g, p)
        out = torch.zeros((self.cfg.num_frames, r, r, self.cfg.embed_dim), dtype=torch.float32)
        out[:, :len(rows), :len(cols)] = enc.positions.subgrid(rows, cols)
        return out

    # ---- decoder -------------------------------------------------------------------------
    def decode(self, encoded: torch.Tensor, after_part: Optional[Callable[[], None]] = None) -> torch.Tensor:
        """Normed encoder output with cls -> per-patch predictions (B, T*g*g, p*p*C)."""
        bb = self.backbone
        x = bb.decoder_embed(encoded) + bb.decoder_pos_embed
        for blk in bb.decoder_blocks:
            x = blk(x, after_part)
        return bb.decoder_pred(bb.decoder_norm(x))[:, 1:, :]

    def unpatchify(self, pred: torch.Tensor) -> torch.Tensor:
        """(B, T*g*g, p*p*C) -> (B, C, T, S, S); within a patch the order is (row, col, band)."""
        cfg = self.cfg
        b = pred.shape[0]
        p, g, t, c = cfg.patch_size, cfg.patch_grid, cfg.num_frames, cfg.in_chans
        x = pred.reshape(b, t, g, g, p, p, c)
        return x.permute(0, 6, 1, 2, 4, 3, 5).reshape(b, c, t, g * p, g * p)
