"""The per-pixel merge of a series' pair maps: when it changed, how much, from how many observations.

Each pair of the series has its change map (cosine of the two dates' embeddings) and its quality
(worst Fmask class of the two dates) on the first image's grid. A pair *observes* a pixel when its
cosine there is data and its quality is not cloud, cloud shadow, snow/ice or no information
(:data:`EXCLUDED_QUALITY`); a pair that does not observe a pixel takes no part in its decision, so
a passing cloud is never a change date. A pair *changed* a pixel when it observes it and its cosine
is strictly below the threshold.

Rules (the date is the after date of the deciding pair, YYYYDDD):

- ``strongest``: the pair with the lowest cosine among the changed ones (ties: the earliest).
- ``first_persistent``: the first pair from which ``persistence`` observing pairs in a row are all
  changed (pairs that do not observe the pixel are skipped, an observing unchanged pair breaks the
  run). With ``persistence`` 1 it is the first change. Meant for pairs against a reference date,
  where a lasting change stays below the threshold in every later pair; consecutive pairs see a
  lasting change once only, at its date.

Pixels without a deciding pair are nodata in the date and the intensity. The rasters are read and
written in windows of rows, so memory is bounded by (pairs x rows x width).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, List, Literal, Optional, Sequence, Tuple

import numpy as np

from ..errors import InputError
from ..feedback import Feedback, ensure_feedback
from ..fmask import FILL
from ..i18n import _
from ..products import COSINE_NODATA, DATE_NODATA, PRODUCTS

Rule = Literal["strongest", "first_persistent"]
RULES: Tuple[Rule, ...] = ("strongest", "first_persistent")
#: Fmask classes (codes of :mod:`..fmask`) a pair's quality may not have for it to observe a pixel:
#: cloud, cloud shadow, snow/ice, no information. Adjacent-to-cloud (2) and high aerosol (6) observe.
EXCLUDED_QUALITY: Tuple[int, ...] = (1, 3, 4, FILL)
BLOCK_ROWS = 256  # rows of one window of the merge
COUNT_DTYPE = np.uint16


@dataclass(frozen=True)
class PairMaps:
    """One pair's files on the series' grid: its change map and quality, dated by its after image."""

    pair_id: str
    after_date: int
    cosine_map: str
    quality_fmask: str


@dataclass(frozen=True)
class MergeRule:
    """How pixels are decided: threshold (a cosine in [-1, 1]), rule, persistence (observations, >= 1)."""

    threshold: float = 0.6
    rule: Rule = "strongest"
    persistence: int = 1

    def checked(self) -> "MergeRule":
        """This rule, or InputError naming the bad value."""
        if not -1.0 <= float(self.threshold) <= 1.0:
            raise InputError(_("the change threshold is a cosine between -1 and 1, got {value}").format(
                value=self.threshold))
        if self.rule not in RULES:
            raise InputError(_("unknown rule {rule}: choose one of {choices}").format(
                rule=repr(self.rule), choices=", ".join(RULES)))
        if int(self.persistence) < 1:
            raise InputError(_("the persistence is a number of observations, 1 or more, got {value}").format(
                value=self.persistence))
        return self


def observed(cosine: np.ndarray, quality: np.ndarray) -> np.ndarray:
    """Where a pair observes the pixel: cosine is data and quality not in :data:`EXCLUDED_QUALITY` (bool)."""
    return (cosine != np.float32(COSINE_NODATA)) & ~np.isin(quality, EXCLUDED_QUALITY)


def decide(cosine: np.ndarray, valid: np.ndarray, dates: Sequence[int],
           rule: MergeRule) -> Tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Date, intensity and observation count of each pixel from its pairs.

    Args:
        cosine: (pairs, rows, cols) float32 cosines, pairs in the order of their after dates.
        valid: (pairs, rows, cols) bool, where each pair observes the pixel (:func:`observed`).
        dates: the pairs' after dates (YYYYDDD), one per pair.
        rule: threshold, rule and persistence.

    Returns:
        (date int32 with :data:`DATE_NODATA`, intensity float32 with :data:`COSINE_NODATA`, number of
        observing pairs uint16), each (rows, cols).
    """
    changed = valid & (cosine < np.float32(rule.threshold))
    count = valid.sum(axis=0, dtype=np.int64).astype(COUNT_DTYPE)
    if rule.rule == "strongest":
        masked = np.where(changed, cosine, np.float32(np.inf))
        pick = np.argmin(masked, axis=0)  # the first of equal minima: the earliest pair
        found = changed.any(axis=0)
    else:
        pick, found = _first_run(changed, valid, int(rule.persistence))
    lookup = np.asarray(dates, dtype=np.int32)
    chosen = np.take_along_axis(cosine, pick[None], axis=0)[0]
    date = np.where(found, lookup[pick], np.int32(DATE_NODATA)).astype(np.int32)
    intensity = np.where(found, chosen, np.float32(COSINE_NODATA)).astype(np.float32)
    return date, intensity, count


def _first_run(changed: np.ndarray, valid: np.ndarray, k: int) -> Tuple[np.ndarray, np.ndarray]:
    """(index of the first pair of the first run of ``k`` changed observations, whether there is one)."""
    shape = changed.shape[1:]
    run = np.zeros(shape, dtype=np.int32)
    start = np.zeros(shape, dtype=np.int64)
    pick = np.zeros(shape, dtype=np.int64)
    found = np.zeros(shape, dtype=bool)
    for p in range(changed.shape[0]):
        begin = changed[p] & (run == 0)
        start[begin] = p
        run = np.where(changed[p], run + 1, np.where(valid[p], 0, run))
        now = (run >= k) & ~found
        pick[now] = start[now]
        found |= now
    return pick, found


def merge_pairs(pairs: Sequence[PairMaps], outputs: Dict[str, str], rule: MergeRule,
                feedback: Optional[Feedback] = None, compression: str = "LZW",
                block_rows: int = BLOCK_ROWS, metadata: Optional[Dict[str, str]] = None) -> Dict[str, str]:
    """Write the series' rasters from its pairs' maps, window by window.

    Args:
        pairs: the pairs' maps, in the order of their after dates, all on one grid.
        outputs: kind -> path for the kinds to write: ``date_of_change``, ``change_intensity``,
            ``valid_observations``, ``cosine_per_pair`` (one band per pair, named by its dates).
        rule: threshold, rule and persistence (checked).
        feedback: progress and cancellation.
        compression: GeoTIFF compression.
        block_rows: rows per window.
        metadata: extra GDAL metadata for every output (inputs, dates, parameters).

    Returns:
        kind -> path of the files written (all of ``outputs``), renamed together at the end.

    Raises:
        InputError: no pair, or a pair's maps not on the grid of the first pair's.
        OutputError: a file cannot be written (nothing is left under a final name).
    """
    from ..raster.geotiff import OutputSet

    fb = ensure_feedback(feedback)
    rule = rule.checked()
    if not pairs:
        raise InputError(_("no pair to merge: the series gave no pair with a change map"))
    grid = _common_grid(pairs)
    width, height = grid[0], grid[1]
    dates = [p.after_date for p in pairs]
    with OutputSet() as outset:
        writers = _create(outset, outputs, pairs, grid, compression, metadata or {})
        sources = [(_open(p.cosine_map), _open(p.quality_fmask)) for p in pairs]
        for row in range(0, height, block_rows):
            fb.check_cancelled()
            rows = min(block_rows, height - row)
            cos = np.stack([c.GetRasterBand(1).ReadAsArray(0, row, width, rows) for c, _q in sources])
            qual = np.stack([q.GetRasterBand(1).ReadAsArray(0, row, width, rows) for _c, q in sources])
            valid = observed(cos, qual)
            date, intensity, count = decide(cos, valid, dates, rule)
            for kind, values in (("date_of_change", date), ("change_intensity", intensity),
                                 ("valid_observations", count)):
                if kind in writers:
                    writers[kind].write(values[None], 0, row)
            if "cosine_per_pair" in writers:
                writers["cosine_per_pair"].write(cos, 0, row)
            fb.progress(min(1.0, (row + rows) / height), _("merging the pairs"))
        sources.clear()
        outset.commit()
    return {k: str(v) for k, v in outputs.items() if k in writers}


def _open(path: str):
    from ..inputs.bands import open_raster

    return open_raster(path)


def _common_grid(pairs: Sequence[PairMaps]) -> Tuple[int, int, Tuple[float, ...], str]:
    """(width, height, geotransform, projection) of the first pair's map; InputError for another grid."""
    grids: List[Tuple[int, int, Tuple[float, ...], str]] = []
    for p in pairs:
        for path in (p.cosine_map, p.quality_fmask):
            ds = _open(path)
            grids.append((ds.RasterXSize, ds.RasterYSize, tuple(ds.GetGeoTransform()), ds.GetProjection()))
            if grids[-1][:3] != grids[0][:3]:
                raise InputError(_("{path} is not on the grid of {first} ({width} x {height} px): the maps of a "
                                   "series' pairs must share one grid").format(
                    path=path, first=pairs[0].cosine_map, width=grids[0][0], height=grids[0][1]))
    return grids[0]


def _create(outset, outputs: Dict[str, str], pairs: Sequence[PairMaps], grid, compression: str,
            metadata: Dict[str, str]) -> Dict[str, Any]:
    from ..pipeline.metadata import KIND

    width, height, gt, wkt = grid
    writers: Dict[str, Any] = {}
    for kind, path in outputs.items():
        product = PRODUCTS[kind]
        bands = len(pairs) if kind == "cosine_per_pair" else 1
        names = [p.pair_id for p in pairs] if kind == "cosine_per_pair" else [_(n) for n in product.band_names]
        writers[kind] = outset.create(path, width=width, height=height, bands=bands, dtype=product.dtype,
                                      geotransform=gt, projection=wkt, nodata=product.nodata,
                                      compression=compression, band_names=names,
                                      metadata={**metadata, KIND: kind}, fill=False)
    return writers
