"""Similarity search ("more like this"): how close each pixel's embedding is to example pixels.

Rule (cosine similarity ``cos(a, b) = a.b / (|a| |b|)``, in [-1, 1]):

- ``mean``: the cosine of each pixel to the mean of the positive examples' unit vectors;
- ``max``: the largest cosine of the pixel to any positive example (better when the examples
  are of several looks of one thing).

With negative examples, the same measure to the negatives is subtracted:
``score = sim(positives) - sim(negatives)``, in [-2, 2]: pixels that look more like a negative
than a positive come out below 0. The raster is float32, nodata -100 (the cosine maps' nodata).
A threshold then gives polygons of the pixels at or above it, with their true areas, through
the change-polygons machinery (:mod:`..analysis.polygon_rasters`).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

import numpy as np

from ..errors import InputError
from ..feedback import Feedback, ensure_feedback
from ..i18n import _
from .blocks import (DEFAULT_MAX_VALUES, FeatureRaster, OutputBand, open_features, pixel_vectors, warn_large_outputs,
                     write_per_pixel)

NODATA = -100.0
MODES = ("mean", "max")
MAX_EXAMPLES = 5000  # example pixels kept per set (a random subset beyond)


@dataclass
class Seeds:
    """Example pixels by column and row of the feature raster (negatives optional)."""

    cols: np.ndarray
    rows: np.ndarray
    negative_cols: Optional[np.ndarray] = None
    negative_rows: Optional[np.ndarray] = None

    @classmethod
    def from_masks(cls, positive: np.ndarray, negative: Optional[np.ndarray] = None) -> "Seeds":
        """Seeds from boolean ``(height, width)`` masks on the feature raster's grid (True = example)."""
        rows, cols = np.nonzero(np.asarray(positive, bool))
        if negative is None:
            return cls(cols, rows)
        neg_rows, neg_cols = np.nonzero(np.asarray(negative, bool))
        return cls(cols, rows, neg_cols, neg_rows)


def _unit(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.where(norms > 0, norms, 1.0)


def _seed_vectors(src: FeatureRaster, cols, rows, what: str, feedback: Feedback, seed: int = 0) -> np.ndarray:
    """Unit vectors of the valid example pixels (at most MAX_EXAMPLES, drawn at random)."""
    cols, rows = np.asarray(cols, np.int64), np.asarray(rows, np.int64)
    if len(cols) > MAX_EXAMPLES:
        keep = np.random.default_rng(seed).choice(len(cols), MAX_EXAMPLES, replace=False)
        cols, rows = cols[keep], rows[keep]
    vectors, valid = pixel_vectors(src, cols, rows)
    if not valid.any():
        raise InputError(_("none of the {count} {what} example pixel(s) has an embedding in {path} (all are outside "
                           "it or nodata); put the examples over valid pixels").format(
                             count=len(cols), what=what, path=src.path))
    if not valid.all():
        feedback.warning(_("{dropped} of the {count} {what} example pixel(s) are nodata in {path} and are left "
                           "out").format(dropped=int((~valid).sum()), count=len(cols), what=what, path=src.path))
    return _unit(vectors[valid].astype(np.float64))


def similarity_to(pixels: np.ndarray, examples: np.ndarray, mode: str) -> np.ndarray:
    """Cosine of each of ``(n, B)`` pixels to unit ``examples`` ``(m, B)``: to their mean direction, or the max."""
    unit = _unit(pixels.astype(np.float64))
    if mode == "mean":
        centre = _unit(examples.mean(axis=0, keepdims=True))
        return (unit @ centre.T)[:, 0]
    best = np.full(len(unit), -np.inf)
    for start in range(0, len(examples), 256):  # bounded (n, 256) products
        best = np.maximum(best, (unit @ examples[start:start + 256].T).max(axis=1))
    return best


def similarity_map(embeddings: str, seeds: Seeds, output: str, mode: str = "mean",
                   max_values: int = DEFAULT_MAX_VALUES, feedback: Optional[Feedback] = None) -> str:
    """Write the similarity raster of a feature raster to example pixels.

    Args:
        embeddings: the feature raster.
        seeds: positive (and optionally negative) example pixels.
        output: float32 GeoTIFF on the same grid, nodata -100.
        mode: ``mean`` or ``max`` (module docstring).
        max_values: the window budget (bands x pixels).
        feedback: progress and cancel.

    Returns:
        ``output``.

    Raises:
        InputError: unknown mode, or no valid example pixel.
        OutputError: the output cannot be written (nothing is left half-written).
    """
    if mode not in MODES:
        raise InputError(_("unknown similarity mode {mode}; use one of {modes}").format(mode=mode,
                                                                                         modes=", ".join(MODES)))
    fb = ensure_feedback(feedback)
    src = open_features(embeddings, max_values)
    warn_large_outputs(src, [(output, "float32", 1)], fb)
    positives = _seed_vectors(src, seeds.cols, seeds.rows, _("positive"), fb)
    negatives = None
    if seeds.negative_cols is not None and len(seeds.negative_cols):
        negatives = _seed_vectors(src, seeds.negative_cols, seeds.negative_rows, _("negative"), fb)
    fb.info(_("similarity to {positives} positive and {negatives} negative example pixel(s), rule: {mode}").format(
                positives=len(positives), negatives=0 if negatives is None else len(negatives), mode=mode))

    def compute(pixels: np.ndarray):
        score = similarity_to(pixels, positives, mode)
        if negatives is not None:
            score = score - similarity_to(pixels, negatives, mode)
        return [score.astype(np.float32)]

    band = OutputBand(output, "float32", NODATA, band_names=("similarity",),
                      metadata={"PLANAURA_KIND": "embedding_similarity", "SIMILARITY_RULE": mode,
                                "NEGATIVES": "yes" if negatives is not None else "no", "SOURCE": embeddings})
    write_per_pixel(src, [band], compute, fb, _("writing the similarity map"))
    return output
