"""The per-pixel rules of change over time, and the series' images and pairs, without the model.

Each rule is checked against a direct per-pixel reading of its definition (:func:`expected`) on
random stacks of cosines and observations: random pair counts, thresholds, persistences, and
observation gaps.
"""
from __future__ import annotations

from pathlib import Path
from typing import List, Optional, Tuple

import numpy as np
import pytest

from series_data import image_name, make_series
from planaura_plugin.errors import InputError
from planaura_plugin.presets import HLS
from planaura_plugin.products import COSINE_NODATA, DATE_NODATA
from planaura_plugin.series.date_of_change import MergeRule, decide, observed
from planaura_plugin.series.series import order_images, series_pairs


def expected(cos: List[float], valid: List[bool], dates: List[int], rule: MergeRule) -> Tuple[int, float, int]:
    """The rule read literally for one pixel: (date, intensity, count)."""
    count = sum(valid)
    changed = [v and c < rule.threshold for c, v in zip(cos, valid)]
    pick: Optional[int] = None
    if rule.rule == "strongest":
        candidates = [i for i, ch in enumerate(changed) if ch]
        if candidates:
            pick = min(candidates, key=lambda i: (cos[i], i))
    else:
        observations = [i for i, v in enumerate(valid) if v]
        for n, i in enumerate(observations):
            window = observations[n:n + rule.persistence]
            if len(window) == rule.persistence and all(changed[j] for j in window):
                pick = i
                break
    if pick is None:
        return DATE_NODATA, COSINE_NODATA, count
    return dates[pick], cos[pick], count


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("which", ["strongest", "first_persistent"])
def test_rules_match_their_definition_on_random_stacks(seed, which):
    rng = np.random.default_rng(seed)
    pairs = int(rng.integers(1, 9))
    threshold = float(rng.uniform(-0.2, 0.9))
    rule = MergeRule(threshold=threshold, rule=which, persistence=int(rng.integers(1, 4)))
    # cosines on a coarse lattice, so that equal minima (ties) happen
    cos = rng.choice(np.linspace(-1, 1, 9).astype(np.float32), size=(pairs, 7, 9))
    valid = rng.random((pairs, 7, 9)) > 0.3
    dates = sorted(int(d) for d in rng.choice(np.arange(2021001, 2021366), size=pairs, replace=False))
    date, intensity, count = decide(cos, valid, dates, rule)
    assert date.dtype == np.int32 and intensity.dtype == np.float32 and count.dtype == np.uint16
    for r in range(7):
        for c in range(9):
            want = expected([float(v) for v in cos[:, r, c]], list(valid[:, r, c]), dates, rule)
            assert (int(date[r, c]), float(intensity[r, c]), int(count[r, c])) == pytest.approx(want), (r, c)


def test_a_cloudy_pair_takes_no_part_and_is_not_counted():
    cos = np.array([[[0.1]], [[0.95]], [[0.3]]], dtype=np.float32)
    quality = np.array([[[1]], [[0]], [[0]]], dtype=np.uint8)  # cloud in the first pair
    valid = observed(cos, quality)
    date, intensity, count = decide(cos, valid, [10, 20, 30], MergeRule(0.5))
    assert (date[0, 0], intensity[0, 0], count[0, 0]) == (30, np.float32(0.3), 2)
    for code, observes in ((0, True), (1, False), (2, True), (3, False), (4, False), (6, True), (255, False)):
        assert bool(observed(np.float32([0.5]), np.uint8([code]))[0]) is observes, code
    assert not observed(np.float32([COSINE_NODATA]), np.uint8([0]))[0]


def test_persistence_skips_unobserved_pairs_and_an_observed_unchanged_pair_breaks_the_run():
    dates = [1, 2, 3, 4, 5]
    cos = np.float32([0.1, 0.9, 0.1, 0.2, 0.1]).reshape(5, 1, 1)
    valid = np.array([True, True, True, False, True]).reshape(5, 1, 1)
    rule = MergeRule(0.5, "first_persistent", 2)
    assert decide(cos, valid, dates, rule)[0][0, 0] == 3  # 1 broken by 2; 3 then 5 (4 not observed)
    assert decide(cos, valid, dates, MergeRule(0.5, "first_persistent", 3))[0][0, 0] == DATE_NODATA
    assert decide(cos, valid, dates, MergeRule(0.5, "first_persistent", 1))[0][0, 0] == 1


def test_bad_rules_are_refused():
    for bad, why in ((MergeRule(1.5), "between -1 and 1"), (MergeRule(0.5, "latest"), "unknown rule"),
                     (MergeRule(0.5, "first_persistent", 0), "1 or more")):
        with pytest.raises(InputError, match=why):
            bad.checked()


@pytest.fixture(scope="module")
def series(tmp_path_factory) -> List[Path]:
    images = make_series(tmp_path_factory.mktemp("series_rules"), n=4, change_at=2, cloud_at=None)
    return list(images.values())


def test_images_are_sorted_by_date_whatever_their_order(series):
    rng = np.random.default_rng(3)
    for _ in range(3):
        shuffled = [str(p) for p in rng.permutation(series)]
        images = order_images(shuffled, HLS)
        assert [im.path for im in images] == [str(p) for p in series]
        assert [im.date for im in images] == [2021250, 2021260, 2021270, 2021280]


def test_pairs_consecutive_and_against_a_reference(series):
    images = order_images([str(p) for p in series], HLS)
    assert [p.pair_id for p in series_pairs(images)] == ["2021250_2021260", "2021260_2021270", "2021270_2021280"]
    assert [p.pair_id for p in series_pairs(images, "reference")] == \
        ["2021250_2021260", "2021250_2021270", "2021250_2021280"]
    assert [p.pair_id for p in series_pairs(images, "reference", 2021260)] == ["2021260_2021270", "2021260_2021280"]
    with pytest.raises(InputError, match="not the date of an image"):
        series_pairs(images, "reference", 2021255)
    with pytest.raises(InputError, match="last date"):
        series_pairs(images, "reference", 2021280)
    with pytest.raises(InputError, match="unknown pairing"):
        series_pairs(images, "monthly")


def test_a_series_is_refused_before_any_model_work_when(series, tmp_path):
    from osgeo import gdal

    with pytest.raises(InputError, match="at least two images"):
        order_images([str(series[0])], HLS)
    with pytest.raises(InputError, match="same date"):
        order_images([str(series[0]), str(series[1])], HLS, dates=[2021250, 2021250])
    # an image one pixel off the first one's grid
    moved = tmp_path / image_name(2021300)
    gdal.Translate(str(moved), str(series[1]), srcWin=[1, 0, 127, 128])
    with pytest.raises(InputError, match="not on the grid of .*warp it onto"):
        order_images([str(series[0]), str(moved)], HLS)


def test_a_series_without_any_quality_layer_is_refused_and_a_blind_pair_is_named(series, tmp_path):
    """Pairs between two dates without a quality layer observe nothing (quality 255 everywhere)."""
    import shutil

    from planaura_plugin.series.series import check_quality

    bare = []
    for p in series:
        shutil.copy(p, tmp_path / p.name)  # the images without their fmask_ files
        bare.append(str(tmp_path / p.name))
    pairs = series_pairs(order_images(bare, HLS))
    with pytest.raises(InputError, match="no image of the series has a quality layer"):
        check_quality(pairs, find_quality=True, missing_clear=False)
    assert check_quality(pairs, find_quality=True, missing_clear=True) == []
    # one date with its quality: the pairs that touch it observe (the other date's 255 is ignored)
    mixed = [str(series[0])] + bare[1:]
    lines = check_quality(series_pairs(order_images(mixed, HLS)), find_quality=True, missing_clear=False)
    assert lines == [f"the pair {a}_{b} has no quality layer on either date: it observes no pixel and takes no part "
                     "in the series" for a, b in ((2021260, 2021270), (2021270, 2021280))]
    # quality layers found beside the images are not used when the user says so
    with pytest.raises(InputError, match="no image of the series has a quality layer"):
        check_quality(series_pairs(order_images([str(p) for p in series], HLS)), find_quality=False,
                      missing_clear=False)
