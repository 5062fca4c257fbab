"""Embedding clusters: k-means or HDBSCAN fitted on a sample, every pixel then given its nearest centre.

- ``kmeans`` (scikit-learn's KMeans, 10 starts): ``k`` clusters; with ``k = 0`` the number is
  chosen on the sample as the ``k`` in ``k_range`` of the highest mean silhouette coefficient
  (scikit-learn's silhouette_score on at most 5000 sample pixels), a standard criterion that
  favours compact, well separated clusters.
- ``hdbscan`` (scikit-learn's HDBSCAN, density-based: finds the number of clusters itself and
  leaves sparse pixels as noise): fitted on the sample; each cluster's centre is the mean of its
  sample members, and every pixel (sample noise included) goes to the nearest centre.

Pixels are assigned to the nearest centre (Euclidean distance), window by window. The cluster
raster is byte (up to 254 clusters) values 1..k, nodata 0, with a colour table; the centres are
saved as JSON (``kind``: ``planaura-clusters``) and can be given back to assign another image of
the same model and dimensions to the same clusters without fitting again.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import List, Optional, Sequence

import numpy as np

from ..errors import InputError
from ..feedback import Feedback, ScaledFeedback, ensure_feedback
from ..i18n import _
from .blocks import (DEFAULT_MAX_VALUES, OutputBand, open_features, palette, sample_valid, warn_large_outputs,
                     write_json, write_per_pixel)

KIND = "planaura-clusters"
METHODS = ("kmeans", "hdbscan")
NODATA = 0
MAX_CLUSTERS = 254
SILHOUETTE_PIXELS = 5000
HDBSCAN_PIXELS = 20000  # HDBSCAN's memory grows with the square of its sample


@dataclass
class ClusterModel:
    """Cluster centres (``k x bands``) and how they were found."""

    bands: int
    centres: List[List[float]]
    method: str
    scores: Optional[dict] = None  # k -> silhouette, when k was chosen

    def assign(self, pixels: np.ndarray) -> np.ndarray:
        """``(n, bands)`` -> ``(n,)`` cluster values 1..k (nearest centre)."""
        from sklearn.metrics import pairwise_distances_argmin

        return (pairwise_distances_argmin(pixels.astype(np.float64), np.asarray(self.centres)) + 1).astype(np.uint8)


def choose_k(sample: np.ndarray, k_range: Sequence[int], seed: int = 0) -> tuple:
    """The ``k`` of ``k_range`` with the highest silhouette on the sample, and every k's score."""
    from sklearn.cluster import KMeans
    from sklearn.metrics import silhouette_score

    scores = {}
    for k in k_range:
        if 2 <= k < len(sample):
            labels = KMeans(n_clusters=k, n_init=10, random_state=seed).fit_predict(sample)
            scores[int(k)] = float(silhouette_score(sample, labels, sample_size=min(SILHOUETTE_PIXELS, len(sample)),
                                                    random_state=seed))
    if not scores:
        raise InputError(_("no number of clusters in {first}-{last} can be tried on {count} sample pixel(s); give a "
                           "range of at least 2 below the sample size").format(
                             first=min(k_range, default=0), last=max(k_range, default=0), count=len(sample)))
    return max(scores, key=lambda k: scores[k]), scores


def fit_clusters(sample: np.ndarray, method: str = "kmeans", k: int = 0, k_range: Sequence[int] = range(2, 11),
                 min_cluster_size: int = 50, seed: int = 0) -> ClusterModel:
    """Fit centres on ``sample`` (``(n, B)``) with the module's rules.

    Raises:
        InputError: unknown method, k out of 1..254 or above the sample size, or HDBSCAN found no cluster.
    """
    from sklearn.cluster import HDBSCAN, KMeans

    data = sample.astype(np.float64)
    if method == "kmeans":
        scores = None
        if k <= 0:
            k, scores = choose_k(data, k_range, seed)
        if not 1 <= k <= min(MAX_CLUSTERS, len(data)):
            raise InputError(_("{k} clusters cannot be made from {count} sample pixel(s); give 1 to {most}").format(
                                 k=k, count=len(data), most=min(MAX_CLUSTERS, len(data))))
        centres = KMeans(n_clusters=k, n_init=10, random_state=seed).fit(data).cluster_centers_
        return ClusterModel(bands=data.shape[1], centres=centres.tolist(), method=method, scores=scores)
    if method != "hdbscan":
        raise InputError(_("unknown clustering method {method}; use one of {methods}").format(
                             method=method, methods=", ".join(METHODS)))
    data = data[np.random.default_rng(seed).permutation(len(data))[:HDBSCAN_PIXELS]]
    if min_cluster_size > len(data):
        raise InputError(_("HDBSCAN's smallest cluster ({size} pixels) is larger than its sample ({count} pixels); "
                           "lower the minimum cluster size").format(size=min_cluster_size, count=len(data)))
    labels = HDBSCAN(min_cluster_size=max(2, int(min_cluster_size))).fit_predict(data)
    found = [c for c in np.unique(labels) if c >= 0][:MAX_CLUSTERS]
    if not found:
        raise InputError(_("HDBSCAN found no cluster in {count} sample pixel(s) with a minimum cluster size of "
                           "{size}; lower the minimum size or use k-means").format(count=len(data),
                                                                                  size=min_cluster_size))
    centres = np.stack([data[labels == c].mean(axis=0) for c in found])
    return ClusterModel(bands=data.shape[1], centres=centres.tolist(), method=method)


def save_clusters(model: ClusterModel, path: str) -> None:
    """Write the centres as JSON."""
    write_json(path, {"kind": KIND, **asdict(model)})


def load_clusters(path: str) -> ClusterModel:
    """Read centres saved by :func:`save_clusters`.

    Raises:
        InputError: the file cannot be read or holds no cluster centres.
    """
    import json

    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
        if data.pop("kind", None) != KIND:
            raise ValueError(KIND)
        return ClusterModel(**data)
    except (OSError, ValueError, TypeError) as exc:
        raise InputError(_("{path} is not a file of cluster centres saved by Embedding clusters ({reason}); give the "
                           ".json written by an earlier run").format(path=path, reason=exc)) from exc


def cluster_map(embeddings: str, output: str, method: str = "kmeans", k: int = 0,
                k_range: Sequence[int] = range(2, 11), centres_in: Optional[str] = None,
                centres_out: Optional[str] = None, sample_size: int = 20000, min_cluster_size: int = 50,
                seed: int = 0, max_values: int = DEFAULT_MAX_VALUES,
                feedback: Optional[Feedback] = None) -> ClusterModel:
    """Write the cluster raster of a feature raster (module docstring for the rules).

    Args:
        embeddings: the feature raster.
        output: byte GeoTIFF, clusters 1..k, nodata 0, with a colour table.
        method: ``kmeans`` or ``hdbscan``.
        k: clusters for k-means; 0 = chosen by silhouette over ``k_range``.
        centres_in: saved centres to assign to instead of fitting (same bands).
        centres_out: where to save the centres (JSON; written with the raster, all or nothing).
        sample_size: pixels the clusters are fitted on.
        min_cluster_size: HDBSCAN's smallest cluster (sample pixels).
        seed: random seed (sample, k-means starts).
        max_values: the window budget (bands x pixels).
        feedback: progress and cancel.

    Returns:
        The :class:`ClusterModel` used.

    Raises:
        InputError: bad raster, method, k or centres file.
        OutputError: an output cannot be written (nothing is left half-written).
    """
    fb = ensure_feedback(feedback)
    src = open_features(embeddings, max_values)
    warn_large_outputs(src, [(output, "uint8", 1)], fb)
    if centres_in:
        model = load_clusters(centres_in)
        if model.bands != src.bands:
            raise InputError(_("the cluster centres {centres} have {expected} bands but {path} has {bands}; use "
                               "centres fitted on embeddings of the same model and dimensions").format(
                                 centres=centres_in, expected=model.bands, path=embeddings, bands=src.bands))
    else:
        sample = sample_valid(src, sample_size, seed, ScaledFeedback(fb, 0.0, 0.5))
        try:
            model = fit_clusters(sample, method, k, k_range, min_cluster_size, seed)
        except InputError as exc:  # the rules speak of the sample: say which raster it was drawn from
            raise InputError(_("no clusters for {path}: {reason}").format(path=embeddings, reason=exc)) from exc
        fb = ScaledFeedback(fb, 0.5, 1.0)  # the sampling pass is the first half of the run
    count = len(model.centres)
    if model.scores:
        fb.info(_("silhouette per number of clusters: {scores}; chosen: {k}").format(
                    scores=", ".join(f"{key}: {value:.3f}" for key, value in model.scores.items()), k=count))
    band = OutputBand(output, "uint8", NODATA, band_names=("cluster",), colours=palette(count),
                      metadata={"PLANAURA_KIND": "embedding_clusters", "CLUSTERS": str(count),
                                "METHOD": model.method, "SOURCE": embeddings})
    files = {centres_out: lambda temp: save_clusters(model, temp)} if centres_out else {}
    write_per_pixel(src, [band], lambda pixels: [model.assign(pixels)], fb, _("assigning the clusters"), files)
    return model
