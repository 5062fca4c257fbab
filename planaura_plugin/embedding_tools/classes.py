"""Classes from a few examples: a classifier trained on labelled pixels of a feature raster.

The classifier is scikit-learn's logistic regression on standardised features. Its largest
class probability alone is no confidence measure: far from every example (a kind of land the
examples never showed) it still picks a class, often with a probability near 1. So the
confidence of a pixel also asks whether it lies among the examples of the class it was given:

- ``r_c``: the spread of class ``c``'s examples, the largest distance (Euclidean, in the
  features' units) from one of its examples to the nearest other example of ``c`` (classes of
  one example take the median spread of the others);
- ``d``: the pixel's distance to the nearest example of its class;
- ``confidence = p_max * exp(-max(0, d / r_c - 1))``: the probability where the pixel is as close
  to the examples as they are to one another, falling off beyond (to 0.37 p_max at twice the
  spread).

Pixels whose confidence is below the threshold are *unknown*: class value 0. Classes are the
values 1..K in the order of their names (numbers by value, then text); nodata is 255. The
confidence raster is float32 in [0, 1], nodata -1. Accuracy is estimated by stratified k-fold
cross-validation on the examples (k = the smallest class count, at most 5): the share of each
class's example pixels labelled right (pixels of one polygon are alike, so polygons make it
optimistic).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional

import numpy as np

from ..errors import InputError
from ..feedback import Feedback, ensure_feedback
from ..i18n import _
from .blocks import (DEFAULT_MAX_VALUES, OutputBand, open_features, palette, pixel_vectors, warn_large_outputs,
                     write_per_pixel)
from .examples import ExamplePixels

UNKNOWN = 0
NODATA = 255
CONFIDENCE_NODATA = -1.0
MAX_CLASSES = 254
MAX_PER_CLASS = 2000  # example pixels per class used (a random subset beyond)


@dataclass
class ExampleClassifier:
    """The fitted classifier, the examples (for distances) and each class's spread ``r_c``."""

    names: List[str]
    model: Any  # a fitted scikit-learn pipeline
    examples: np.ndarray
    labels: np.ndarray  # 1..K per example
    spread: np.ndarray  # r_c per class index 0..K-1

    def predict(self, pixels: np.ndarray) -> tuple:
        """``(n, B)`` -> (class values 1..K, confidence in [0, 1]) before the threshold."""
        data = pixels.astype(np.float64)
        proba = self.model.predict_proba(data)
        best = proba.argmax(axis=1)
        values = np.asarray(self.model.classes_)[best]
        distance = np.full(len(data), np.inf)
        for value in range(1, len(self.names) + 1):
            chosen = values == value
            if chosen.any():
                distance[chosen] = _nearest(data[chosen], self.examples[self.labels == value])
        spread = self.spread[values - 1]
        closeness = np.exp(-np.maximum(0.0, distance / np.maximum(spread, 1e-12) - 1.0))
        return values, proba.max(axis=1) * closeness


def _nearest(points: np.ndarray, examples: np.ndarray) -> np.ndarray:
    """Euclidean distance of each point to its nearest example."""
    from sklearn.metrics import pairwise_distances_argmin_min

    return pairwise_distances_argmin_min(points, examples)[1]


def class_spread(examples: np.ndarray, labels: np.ndarray, count: int) -> np.ndarray:
    """``r_c`` of each class 1..count (module docstring)."""
    from sklearn.metrics import pairwise_distances

    spread = np.full(count, np.nan)
    for value in range(1, count + 1):
        members = examples[labels == value]
        if len(members) > 1:
            dist = pairwise_distances(members)
            np.fill_diagonal(dist, np.inf)
            spread[value - 1] = dist.min(axis=1).max()
    known = spread[np.isfinite(spread)]
    return np.where(np.isfinite(spread), spread, np.median(known) if len(known) else 0.0)


@dataclass
class ClassReport:
    """Examples and cross-validated accuracy per class name (None when it could not be estimated)."""

    names: List[str]
    examples: Dict[str, int]
    accuracy: Dict[str, Optional[float]] = field(default_factory=dict)


def _pipeline():
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    return make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000))


def cross_validated(examples: np.ndarray, labels: np.ndarray, names: List[str], seed: int = 0) -> ClassReport:
    """Per-class accuracy by stratified k-fold (module docstring); None for every class when k < 2."""
    from sklearn.model_selection import StratifiedKFold, cross_val_predict

    counts = {name: int((labels == i + 1).sum()) for i, name in enumerate(names)}
    report = ClassReport(names=names, examples=counts, accuracy={name: None for name in names})
    folds = min(5, min(counts.values()))
    if folds >= 2:
        split = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
        predicted = cross_val_predict(_pipeline(), examples, labels, cv=split)
        for i, name in enumerate(names):
            report.accuracy[name] = float((predicted[labels == i + 1] == i + 1).mean())
    return report


def train(src, pixels: ExamplePixels, seed: int = 0, feedback: Optional[Feedback] = None) -> tuple:
    """Fit the classifier on the valid example pixels of ``src``.

    Returns:
        (:class:`ExampleClassifier`, :class:`ClassReport`).

    Raises:
        InputError: fewer than 2 classes, more than 254, a class without a valid pixel, or no class of
            2 valid pixels or more (no spread ``r_c`` could be measured).
    """
    names = pixels.names
    if not 2 <= len(names) <= MAX_CLASSES:
        raise InputError(_("{count} class(es) found in the examples; give examples of 2 to {most} classes").format(
                             count=len(names), most=MAX_CLASSES))
    rng = np.random.default_rng(seed)
    keep = np.concatenate([rng.permutation(np.nonzero(pixels.codes == c)[0])[:MAX_PER_CLASS]
                           for c in range(1, len(names) + 1)])
    vectors, valid = pixel_vectors(src, pixels.cols[keep], pixels.rows[keep])
    examples, labels = vectors[valid].astype(np.float64), pixels.codes[keep][valid]
    if not valid.all() and feedback is not None:
        feedback.warning(_("{dropped} of the {count} example pixel(s) are nodata in {path} and are left out").format(
                             dropped=int((~valid).sum()), count=len(valid), path=src.path))
    missing = [name for i, name in enumerate(names) if not (labels == i + 1).any()]
    if missing:
        raise InputError(_("the class(es) {names} have no example over a valid pixel of {path}; move their examples "
                           "over the embeddings").format(names=", ".join(missing), path=src.path))
    if np.bincount(labels, minlength=len(names) + 1)[1:].max() < 2:
        raise InputError(_("every class of the examples has a single example pixel in {path}: how far a class "
                           "spreads cannot be measured, so every other pixel would be unknown; give at least 2 "
                           "examples of each class (5 or more)").format(path=src.path))
    report = cross_validated(examples, labels, names, seed)
    model = _pipeline().fit(examples, labels)
    return ExampleClassifier(names, model, examples, labels, class_spread(examples, labels, len(names))), report


def classes_map(embeddings: str, pixels: ExamplePixels, output: str, confidence_output: Optional[str] = None,
                threshold: float = 0.5, seed: int = 0, max_values: int = DEFAULT_MAX_VALUES,
                feedback: Optional[Feedback] = None) -> ClassReport:
    """Write the class raster (and the confidence raster) of a feature raster from labelled pixels.

    Args:
        embeddings: the feature raster.
        pixels: the labelled example pixels (:func:`.examples.example_pixels`).
        output: byte GeoTIFF: classes 1..K, 0 unknown, nodata 255, with a colour table.
        confidence_output: float32 GeoTIFF of the confidence, nodata -1; None: not written.
        threshold: confidence below which a pixel is unknown (0..1).
        seed: random seed (subset of examples, folds).
        max_values: the window budget (bands x pixels).
        feedback: progress and cancel.

    Returns:
        The :class:`ClassReport` (also logged).

    Raises:
        InputError: bad raster, threshold or examples.
        OutputError: an output cannot be written (nothing is left half-written).
    """
    if not 0.0 <= threshold <= 1.0:
        raise InputError(_("the confidence threshold {threshold} is not between 0 and 1").format(threshold=threshold))
    fb = ensure_feedback(feedback)
    src = open_features(embeddings, max_values)
    warn_large_outputs(src, [(output, "uint8", 1)] + ([(confidence_output, "float32", 1)] if confidence_output else []),
                       fb)
    classifier, report = train(src, pixels, seed, fb)
    for name in report.names:
        accuracy = report.accuracy[name]
        fb.info(_("class {name}: {count} example pixel(s), cross-validated accuracy {accuracy}").format(
                    name=name, count=report.examples[name],
                    accuracy="-" if accuracy is None else f"{100 * accuracy:.1f} %"))
    single = [name for name in report.names if report.examples[name] < 2]
    if single:
        fb.warning(_("the accuracy cannot be cross-validated: the class(es) {names} have a single example pixel; give "
                     "at least 2 examples of every class (5 or more)").format(names=", ".join(single)))
    metadata = {"PLANAURA_KIND": "embedding_classes", "SOURCE": embeddings, "UNKNOWN": str(UNKNOWN),
                **{f"CLASS_{i + 1}": name for i, name in enumerate(report.names)}}
    outputs = [OutputBand(output, "uint8", NODATA, band_names=("class",), metadata=metadata,
                          colours=palette(len(report.names), unknown=UNKNOWN))]
    if confidence_output:
        outputs.append(OutputBand(confidence_output, "float32", CONFIDENCE_NODATA, band_names=("confidence",),
                                  metadata={"PLANAURA_KIND": "embedding_class_confidence", "SOURCE": embeddings}))

    def compute(data: np.ndarray):
        values, confidence = classifier.predict(data)
        values = np.where(confidence >= threshold, values, UNKNOWN).astype(np.uint8)
        return [values, confidence.astype(np.float32)][:len(outputs)]

    write_per_pixel(src, outputs, compute, fb, _("classing the pixels"))
    return report
