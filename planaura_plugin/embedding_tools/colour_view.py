"""Embedding colour view: the embeddings projected to 3 principal components and shown as RGB.

The projection is fitted on a random sample of valid pixels (scikit-learn's PCA), then applied
to every pixel window by window. Each component is stretched linearly between its 2nd and 98th
percentile over the sample to the byte values 1-255 (values beyond are clipped); 0 is nodata.
The projection (mean, components, stretch) is saved as JSON and can be given back for another
image, so that two dates of the same area are shown in one colour space (their bands must be
the same: same model, same dimensions).
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import List, Optional

import numpy as np

from ..errors import InputError
from ..feedback import Feedback, ScaledFeedback, ensure_feedback
from ..i18n import _
from .blocks import (DEFAULT_MAX_VALUES, OutputBand, open_features, sample_valid, warn_large_outputs, write_json,
                     write_per_pixel)

KIND = "planaura-colour-view"
STRETCH_PERCENTILES = (2.0, 98.0)
NODATA = 0


@dataclass
class ColourProjection:
    """A PCA to 3 components and its stretch.

    ``rgb = 1 + 254 * clip(((x - mean) @ components.T - low) / (high - low), 0, 1)``, rounded.
    """

    bands: int
    mean: List[float]
    components: List[List[float]]  # 3 x bands
    low: List[float]
    high: List[float]
    explained: List[float]  # share of the variance of each component

    def to_bytes(self, pixels: np.ndarray) -> np.ndarray:
        """``(n, bands)`` feature vectors -> ``(n, 3)`` uint8 in 1..255."""
        scores = (pixels.astype(np.float64) - np.asarray(self.mean)) @ np.asarray(self.components).T
        low, high = np.asarray(self.low), np.asarray(self.high)
        scaled = np.clip((scores - low) / np.where(high > low, high - low, 1.0), 0.0, 1.0)
        return (1 + np.round(scaled * 254)).astype(np.uint8)


def fit_projection(sample: np.ndarray, seed: int = 0) -> ColourProjection:
    """PCA of ``sample`` (``(n, B)``) to 3 components (fewer bands: padded with zero components), stretched 2-98 %."""
    from sklearn.decomposition import PCA

    n_comp = int(min(3, sample.shape[1], len(sample)))
    pca = PCA(n_components=n_comp, random_state=seed).fit(sample.astype(np.float64))
    components = np.zeros((3, sample.shape[1]))
    components[:n_comp] = pca.components_
    explained = np.zeros(3)
    explained[:n_comp] = pca.explained_variance_ratio_
    scores = (sample - pca.mean_) @ components.T
    low, high = np.percentile(scores, STRETCH_PERCENTILES, axis=0)
    return ColourProjection(bands=int(sample.shape[1]), mean=pca.mean_.tolist(), components=components.tolist(),
                            low=low.tolist(), high=high.tolist(), explained=explained.tolist())


def save_projection(projection: ColourProjection, path: str) -> None:
    """Write the projection as JSON (``kind``: ``planaura-colour-view``)."""
    write_json(path, {"kind": KIND, **asdict(projection)})


def load_projection(path: str) -> ColourProjection:
    """Read a projection saved by :func:`save_projection`.

    Raises:
        InputError: the file cannot be read or is not a colour-view projection.
    """
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
        if data.pop("kind", None) != KIND:
            raise ValueError(KIND)
        return ColourProjection(**data)
    except (OSError, ValueError, TypeError) as exc:
        raise InputError(_("{path} is not a colour-view projection saved by Embedding colour view ({reason}); give "
                           "the .json written by an earlier run").format(path=path, reason=exc)) from exc


def colour_view(embeddings: str, output: str, projection_in: Optional[str] = None,
                projection_out: Optional[str] = None, sample_size: int = 20000, seed: int = 0,
                max_values: int = DEFAULT_MAX_VALUES, feedback: Optional[Feedback] = None) -> ColourProjection:
    """Write the RGB colour view of a feature raster.

    Args:
        embeddings: the feature raster (``B`` bands, nodata per band).
        output: the 3-band byte GeoTIFF (1-255, nodata 0) on the same grid.
        projection_in: a saved projection to use instead of fitting one (its bands must match).
        projection_out: where to save the projection used (JSON; written with the raster, all or nothing).
        sample_size: pixels the PCA and stretch are fitted on.
        seed: random seed of the sample.
        max_values: the window budget (bands x pixels).
        feedback: progress and cancel.

    Returns:
        The projection used.

    Raises:
        InputError: unreadable raster, no valid pixel, or a projection of another number of bands.
        OutputError: an output cannot be written (nothing is left half-written).
    """
    fb = ensure_feedback(feedback)
    src = open_features(embeddings, max_values)
    warn_large_outputs(src, [(output, "uint8", 3)], fb)
    if projection_in:
        projection = load_projection(projection_in)
        if projection.bands != src.bands:
            raise InputError(_("the projection {projection} was fitted on {expected} bands but {path} has {bands}; "
                               "use a projection fitted on embeddings of the same model and dimensions").format(
                                 projection=projection_in, expected=projection.bands, path=embeddings,
                                 bands=src.bands))
    else:
        projection = fit_projection(sample_valid(src, sample_size, seed, ScaledFeedback(fb, 0.0, 0.5)), seed)
        fb = ScaledFeedback(fb, 0.5, 1.0)  # the sampling pass is the first half of the run
    band = OutputBand(output, "uint8", NODATA, band_names=("PC1", "PC2", "PC3"), bands=3,
                      metadata={"PLANAURA_KIND": "embedding_colour_view", "SOURCE": embeddings})
    files = {projection_out: lambda temp: save_projection(projection, temp)} if projection_out else {}
    write_per_pixel(src, [band], lambda pixels: [projection.to_bytes(pixels)], fb, _("writing the colour view"),
                    files)
    return projection
