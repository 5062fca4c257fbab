"""Embeddings of one image: the change-map pipeline with only feature outputs.

Alone, the image runs in static mode (one frame). With a second date as context both are
encoded together (the model attends across dates) and the first image's embeddings are
written; the context is read on the image's grid like any second date.
"""
from __future__ import annotations

from typing import Dict, Optional, Sequence

from ...feedback import Feedback
from ...model.loading import ModelSpec
from .maps import run_change_map
from ..requests import BBox, ChangeMapOutputs, ChangeMapRequest


def embeddings_request(image: str, feature_map: Optional[str] = None, feature_table: Optional[str] = None,
                       reconstruction: Optional[str] = None, context: Optional[str] = None,
                       model: Optional[ModelSpec] = None, patch_stride: int = 16, upsample: bool = True,
                       min_valid: float = 0.7, bbox: Optional[BBox] = None, bbox_crs: Optional[str] = None,
                       embeddings: Optional[Sequence[int]] = None, compression: str = "LZW",
                       date_regex: Optional[str] = None, bands: Optional[Sequence[int]] = None,
                       context_bands: Optional[Sequence[int]] = None) -> ChangeMapRequest:
    """The :class:`ChangeMapRequest` that writes the embeddings of ``image`` (frame 0).

    ``bands`` / ``context_bands``: 1-based band numbers of B02, B03, B04, B8A, B11, B12 in the
    image / the context date (None: as stored, see :func:`..inputs.sources.describe_input`).
    """
    outputs = ChangeMapOutputs(feature_maps={0: feature_map} if feature_map else {},
                               feature_tables={0: feature_table} if feature_table else {},
                               reconstructions={0: reconstruction} if reconstruction else {})
    return ChangeMapRequest(inputs=[image] + ([context] if context else []), outputs=outputs,
                            model=model or ModelSpec(), patch_stride=patch_stride, upsample=upsample,
                            min_valid=min_valid, bbox=bbox, bbox_crs=bbox_crs, embeddings=embeddings,
                            compression=compression, date_regex=date_regex,
                            bands=[bands] + ([context_bands] if context else []))


def run_embeddings(image: str, feature_map: Optional[str] = None, feature_table: Optional[str] = None,
                   feedback: Optional[Feedback] = None, **options) -> Dict[str, str]:
    """Write the embeddings of ``image`` (raster and/or table); options as :func:`embeddings_request`."""
    return run_change_map(embeddings_request(image, feature_map, feature_table, **options), feedback)


#: above this, the Processing algorithm warns before the run (float32 embeddings grow fast)
LARGE_EMBEDDINGS_BYTES = 2 * 1024 ** 3


def embeddings_bytes(width: int, height: int, channels: int, patch_size: int, patch_stride: int,
                     upsample: bool) -> int:
    """Uncompressed size of an embeddings raster: one float32 per kept channel and output cell.

    Args:
        width, height: the processed area in input pixels.
        channels: embedding dimensions kept.
        patch_size: the model's patch size (16 px).
        patch_stride: 16 (one cell per patch) or 1 (dense: one cell per pixel).
        upsample: whether a patch-stride map is resampled to the input pixels.

    Returns:
        Bytes (before compression; float embeddings compress little).
    """
    if patch_stride == patch_size and not upsample:
        cells = -(-int(width) // patch_size) * -(-int(height) // patch_size)
    else:
        cells = int(width) * int(height)
    return cells * int(channels) * 4
