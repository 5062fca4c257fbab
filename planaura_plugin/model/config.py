"""Architecture of a Planaura network and how it is read from an upstream YAML."""
from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from typing import Any, Dict, Mapping, Tuple

from ..presets import BANDS, NO_DATA_FLOAT

# upstream `model_params` keys that describe training only; accepted and ignored here
_TRAINING_ONLY_KEYS = {
    "load_params", "freeze_backbone", "freeze_encoder", "resume_encoder_only", "restore_weights_only",
    "ignore_index", "loss", "backbone", "mask_ratio", "embed_attention", "no_data", "data_mean", "data_std",
}


@dataclass(frozen=True)
class ModelConfig:
    """Sizes of the encoder/decoder and the inference mode; defaults are Planaura-1.0."""

    img_size: int = 512
    patch_size: int = 16
    patch_stride: int = 16
    num_frames: int = 2
    tubelet_size: int = 1
    bands: Tuple[str, ...] = field(default=BANDS)
    embed_dim: int = 768
    depth: int = 12
    num_heads: int = 12
    decoder_embed_dim: int = 512
    decoder_depth: int = 8
    decoder_num_heads: int = 16
    mlp_ratio: float = 4.0
    keep_pos_embedding: bool = True
    no_data_float: float = NO_DATA_FLOAT

    def __post_init__(self) -> None:
        problems = []
        if self.img_size % self.patch_size:
            problems.append(f"img_size {self.img_size} is not a multiple of patch_size {self.patch_size}")
        if self.patch_stride not in (1, self.patch_size):
            problems.append(f"patch_stride must be 1 or patch_size ({self.patch_size}), got {self.patch_stride}")
        if self.num_frames not in (1, 2, 3):
            problems.append(f"num_frames must be 1, 2 or 3, got {self.num_frames}")
        if self.tubelet_size != 1:
            problems.append(f"tubelet_size must be 1 (Planaura), got {self.tubelet_size}")
        if self.embed_dim % self.num_heads:
            problems.append(f"embed_dim {self.embed_dim} is not divisible by num_heads {self.num_heads}")
        if self.decoder_embed_dim % self.decoder_num_heads:
            problems.append(f"decoder_embed_dim {self.decoder_embed_dim} is not divisible by "
                            f"decoder_num_heads {self.decoder_num_heads}")
        if self.embed_dim % 16 or self.decoder_embed_dim % 16:
            problems.append("embed_dim and decoder_embed_dim must be multiples of 16 (3-D sin-cos tables)")
        if problems:
            raise ValueError("invalid model configuration: " + "; ".join(problems))

    @property
    def in_chans(self) -> int:
        return len(self.bands)

    @property
    def patch_grid(self) -> int:
        """Tokens per side at stride ``patch_size`` (the "original" grid)."""
        return self.img_size // self.patch_size

    @property
    def grid(self) -> int:
        """Tokens (feature-map pixels) per side at the configured stride."""
        return (self.img_size - self.patch_size) // self.patch_stride + 1

    @property
    def dense(self) -> bool:
        return self.patch_stride == 1

    def with_(self, **changes: Any) -> "ModelConfig":
        return replace(self, **changes)

    @classmethod
    def from_upstream(cls, model_params: Mapping[str, Any], num_frames: int = 2,
                      strict: bool = True) -> "ModelConfig":
        """Read the ``model_params`` block of an upstream Planaura YAML.

        Unknown keys raise (``strict``) so that a typo is never silently ignored.
        """
        known = {f.name for f in fields(cls)}
        kwargs: Dict[str, Any] = {"num_frames": int(num_frames)}
        unknown = []
        for key, value in model_params.items():
            if key in known:
                kwargs[key] = tuple(value) if key == "bands" else value
            elif key not in _TRAINING_ONLY_KEYS:
                unknown.append(key)
        if unknown and strict:
            raise ValueError("unknown model_params keys: " + ", ".join(sorted(unknown)))
        for key in ("img_size", "patch_size", "patch_stride", "num_frames", "tubelet_size", "embed_dim",
                    "depth", "num_heads", "decoder_embed_dim", "decoder_depth", "decoder_num_heads"):
            if key in kwargs:
                kwargs[key] = int(kwargs[key])
        if "keep_pos_embedding" in kwargs:
            kwargs["keep_pos_embedding"] = bool(kwargs["keep_pos_embedding"])
        return cls(**kwargs)
