"""How large each output of a change-map run will be, known before the model runs.

Sizes are uncompressed (float embeddings compress little): bands x cells x bytes per value,
on the grid each output is written on. Above :data:`LARGE_OUTPUT_BYTES` the run warns and
names the setting that makes that output smaller.
"""
from __future__ import annotations

from typing import Any, Dict, Iterable, List

import numpy as np

from ...feedback import Feedback
from ...i18n import _
from ...products import product_of

LARGE_OUTPUT_BYTES = 2 * 1024 ** 3  # as the embeddings algorithm's LARGE_EMBEDDINGS_BYTES


def format_bytes(size: float) -> str:
    """1536 -> '1.5 KB', 3.2e9 -> '3.0 GB' (binary multiples, as file managers show them)."""
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024.0
    return f"{size:.1f} TB"  # pragma: no cover - the loop returns at GB


def output_bytes(kind: str, cells: int, infer_cells: int, channels: int, all_channels: int, bands: int) -> int:
    """Uncompressed bytes of one output.

    Args:
        kind: the output kind (``cosine_map``, ``feature_maps_0``, ``infer_1``, ``feature_table_0`` ...).
        cells: pixels of the maps' grid.
        infer_cells: pixels of the reconstructions' grid (the input pixels).
        channels: embedding channels kept in feature rasters.
        all_channels: embedding channels of a feature table (every one).
        bands: the model's input bands (reconstructions hold them).

    Returns:
        Bytes; a feature table counts 4 bytes per channel and row (one row per map cell).
    """
    product = product_of(kind)
    if product.key == "feature_maps":
        return int(cells) * int(channels) * 4
    if product.key == "feature_table":
        return int(cells) * int(all_channels) * 4
    if product.key == "infer":
        return int(infer_cells) * int(bands) * 4
    return int(cells) * np.dtype(product.dtype or "float32").itemsize


def declared_sizes(request: Any, kinds: Iterable[str], width: int, height: int, bands: int = 6) -> Dict[str, int]:
    """kind -> uncompressed bytes at most, from the first image's declared size (before any reading).

    An upper bound: the run writes only the area its kept tiles cover (and the area of interest).

    Args:
        request: the pair's ``ChangeMapRequest`` (model, stride, upsampling, embedding channels).
        kinds: the outputs it writes.
        width, height: the first image's size in pixels.
        bands: the model's input bands.
    """
    cfg = request.model.config
    patch = int(cfg.patch_size)
    coarse = int(request.patch_stride) == patch and not request.upsample
    pixels = int(width) * int(height)
    cells = -(-int(width) // patch) * -(-int(height) // patch) if coarse else pixels
    channels = len(request.embeddings) if request.embeddings else int(cfg.embed_dim)
    return {kind: output_bytes(kind, cells, pixels, channels, int(cfg.embed_dim), bands) for kind in kinds}


def cheaper_setting(kind: str) -> str:
    """What makes an output of this kind smaller, as the user sets it."""
    key = product_of(kind).key
    if key in ("feature_maps", "feature_table"):
        return _("keep fewer embedding channels (e.g. 0-15), or use the 16 px stride without upsampling "
                 "(one value per patch)")
    if key == "infer":
        return _("leave the reconstructions out")
    return _("give a smaller area of interest, or use the 16 px stride without upsampling")


def report_sizes(sizes: Dict[str, int], fb: Feedback) -> List[str]:
    """Log every output's size and warn about those above 2 GB; returns the warnings given."""

    if not sizes:
        return []
    listing = ", ".join(f"{kind} {format_bytes(size)}" for kind, size in sizes.items())
    fb.info(_("Output sizes (uncompressed): {listing}; {total} in all").format(
        listing=listing, total=format_bytes(sum(sizes.values()))))
    warnings = []
    for kind, size in sizes.items():
        if size > LARGE_OUTPUT_BYTES:
            text = _("{kind} will take about {size} on disk and in memory while written: {advice}").format(
                kind=kind, size=format_bytes(size), advice=cheaper_setting(kind))
            fb.warning(text)
            warnings.append(text)
    return warnings
