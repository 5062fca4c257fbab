"""Change over time, from the images to the series' rasters and report.

Each pair of the series (:func:`.series.series_pairs`) is one ordinary change map
(:func:`~..pipeline.change.run_change_map`) on the first image's grid, with its quality layer:
``pairs/cosine_map_<before>_<after>.tif`` and ``pairs/quality_fmask_<before>_<after>.tif`` in the
output folder. Pairs are independent: they run one after the other in this process, or as Dask
tasks with a scheduler (``local:2``, an address, a scheduler file: as the runner's
``--scheduler``). A record of each finished pair (its parameters, inputs and outputs) is kept in
``pairs/series_manifest.json``; a second run with the same parameters and unchanged files reuses
the pair without model work (resume). The merge (:mod:`.date_of_change`) and the report
(:mod:`.report`) then run in this process, in windows of rows.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Sequence, Tuple

from ..errors import InputError
from ..feedback import Feedback, ScaledFeedback, ensure_feedback
from ..i18n import _
from ..model.loading import ModelSpec
from ..pipeline.requests import BBox, ChangeMapOutputs, ChangeMapRequest
from .date_of_change import MergeRule, PairMaps, merge_pairs
from .series import Pairing, SeriesImage, SeriesPair, check_quality, order_images, series_pairs

SERIES_KINDS = ("date_of_change", "change_intensity", "valid_observations", "cosine_per_pair")
DEFAULT_KINDS = ("date_of_change", "change_intensity", "valid_observations")
PAIRS_FOLDER = "pairs"
MANIFEST = "series_manifest.json"
PAIR_SHARE = 0.9  # of the progress bar: the pairs; the merge and the report the rest
Point = Tuple[str, float, float]  # name, x, y


@dataclass
class SeriesRequest:
    """A series of images of one place compared over time (see the module and :mod:`.date_of_change`).

    ``outputs`` maps a kind of :data:`SERIES_KINDS` (or ``report``) to an explicit path; the kinds of
    ``kinds`` without one are written in ``output_dir`` as ``<kind>_<first>_<last>.tif`` (the series'
    first and last dates, YYYYDDD). Points (name, x, y in ``points_crs``, None = the images' CRS) get
    their cosine through time in the report. The other fields mean what they mean for one pair
    (:class:`~..pipeline.requests.ChangeMapRequest`), per image in date-independent input order.
    """

    inputs: Sequence[str]
    output_dir: str
    model: ModelSpec = field(default_factory=ModelSpec)
    pairing: Pairing = "consecutive"
    reference_date: Optional[int] = None
    rule: MergeRule = field(default_factory=MergeRule)
    kinds: Sequence[str] = DEFAULT_KINDS
    outputs: Dict[str, str] = field(default_factory=dict)
    report: bool = True
    points: Sequence[Point] = ()
    points_crs: Optional[str] = None
    dates: Sequence[Optional[int]] = ()
    qualities: Sequence[Optional[str]] = ()
    bands: Sequence[Optional[Sequence[int]]] = ()
    date_regex: Optional[str] = None
    find_quality: bool = True
    missing_quality_clear: bool = False
    fmask_bitwise: bool = True
    patch_stride: int = 16
    upsample: bool = True
    min_valid: float = 0.7
    bbox: Optional[BBox] = None
    bbox_crs: Optional[str] = None
    compression: str = "LZW"
    resume: bool = True
    scheduler: Optional[str] = None


def series_file_name(kind: str, first: int, last: int, extension: str = ".tif") -> str:
    """``date_of_change_2021250_2022245.tif``: a series output named with its first and last dates."""
    return f"{kind}_{int(first)}_{int(last)}{extension}"


def pair_request(request: SeriesRequest, pair: SeriesPair, folder: str) -> ChangeMapRequest:
    """The ordinary change map of one pair: cosine and quality, on the before image's grid (the series')."""
    outputs = ChangeMapOutputs(cosine_map=os.path.join(folder, f"cosine_map_{pair.pair_id}.tif"),
                               quality_fmask=os.path.join(folder, f"quality_fmask_{pair.pair_id}.tif"))
    images = (pair.before, pair.after)
    return ChangeMapRequest(
        inputs=[im.path for im in images], outputs=outputs, model=request.model,
        fmasks=[im.quality for im in images], fmask_bitwise=request.fmask_bitwise,
        find_quality=request.find_quality, missing_quality_clear=request.missing_quality_clear,
        bands=[im.bands for im in images], patch_stride=request.patch_stride, upsample=request.upsample,
        min_valid=request.min_valid, dates=[im.date for im in images], bbox=request.bbox,
        bbox_crs=request.bbox_crs, compression=request.compression)


def run_pair_task(change: ChangeMapRequest) -> Tuple[Dict[str, str], List[Tuple[str, str]]]:
    """One pair's change map (a Dask task, or in process): (kind -> path, the messages it gave)."""
    from ..runs.pair_task import CollectingFeedback
    from ..runs.pipelines import pipelines

    run_change_map = pipelines(("infer",))[0]  # the runs' pipeline seam (tests, a killed worker)
    assert run_change_map is not None
    fb = CollectingFeedback()
    return run_change_map(change, fb), fb.messages


def run_series(request: SeriesRequest, feedback: Optional[Feedback] = None) -> Dict[str, str]:
    """Run a series: its pairs, then the date of change and the other rasters, then the report.

    Args:
        request: the series and what to write.
        feedback: progress, messages and cancellation.

    Returns:
        kind -> path of the files written (``report`` for the HTML report).

    Raises:
        InputError: bad images, dates, grids, pairing, threshold, kinds, or no pair gave a map;
            before any model work.
        OutputError: a file cannot be written.
        Cancelled: on cancellation; nothing half-written is left under a final name.
    """
    fb = ensure_feedback(feedback)
    fb.progress(0.0, _("checking inputs"))
    rule = request.rule.checked()
    images = order_images(request.inputs, request.model.preset, request.dates, request.qualities,
                          request.bands, request.date_regex)
    pairs = series_pairs(images, request.pairing, request.reference_date)
    for line in check_quality(pairs, request.find_quality, request.missing_quality_clear):
        fb.warning(line)
    outputs = series_outputs(request, images)
    if request.points and "report" in outputs:
        from ..inputs.sources import describe_input
        from .report import points_outside

        first = describe_input(images[0].path, request.model.preset, images[0].bands)
        for line in points_outside(request.points, request.points_crs, images[0].path, first):
            fb.warning(line)
    fb.info(_("{n} image(s) from {first} to {last}: {pairs} pair(s), {pairing}").format(
        n=len(images), first=images[0].date, last=images[-1].date, pairs=len(pairs), pairing=request.pairing))
    maps = run_pairs(request, pairs, ScaledFeedback(fb, 0.0, PAIR_SHARE))
    if not maps:
        raise InputError(_("no pair of the series had a tile with enough valid pixels: nothing to merge"))
    rasters = {k: v for k, v in outputs.items() if k != "report"}
    written = merge_pairs(maps, rasters, rule, ScaledFeedback(fb, PAIR_SHARE, 0.97), request.compression,
                          metadata=series_metadata(request, images, rule))
    if "report" in outputs:
        from .report import write_series_report

        written["report"] = write_series_report(outputs["report"], maps, written, request, rule, images)
    fb.progress(1.0, _("done"))
    return written


def series_outputs(request: SeriesRequest, images: Sequence[SeriesImage]) -> Dict[str, str]:
    """kind -> path of every output asked (explicit paths first, else named with dates in the folder)."""
    unknown = [k for k in list(request.kinds) + list(request.outputs) if k not in SERIES_KINDS + ("report",)]
    if unknown:
        raise InputError(_("unknown series output {kind}: outputs are {kinds}").format(
            kind=repr(unknown[0]), kinds=", ".join(SERIES_KINDS + ("report",))))
    first, last = images[0].date, images[-1].date
    out = {k: os.path.join(request.output_dir, series_file_name(k, first, last)) for k in request.kinds}
    if request.report:
        out["report"] = os.path.join(request.output_dir, series_file_name("change_over_time", first, last, ".html"))
    out.update({k: v for k, v in request.outputs.items() if v})
    return out


def series_metadata(request: SeriesRequest, images: Sequence[SeriesImage], rule: MergeRule) -> Dict[str, str]:
    """GDAL metadata of the series' rasters: inputs and dates in date order, the rule."""
    from ..pipeline import metadata as md

    return {md.INPUTS: json.dumps([im.path for im in images]), md.DATES: json.dumps([im.date for im in images]),
            md.MODEL: request.model.preset.name, "PLANAURA_PAIRING": request.pairing,
            "PLANAURA_RULE": json.dumps({"threshold": float(rule.threshold), "rule": rule.rule,
                                         "persistence": int(rule.persistence)})}


def run_pairs(request: SeriesRequest, pairs: Sequence[SeriesPair], feedback: Feedback) -> List[PairMaps]:
    """Every pair's change map (reused from the manifest where current); their maps in pair order."""
    from .pair_records import PairRecords

    folder = os.path.join(request.output_dir, PAIRS_FOLDER)
    records = PairRecords(os.path.join(folder, MANIFEST), request.resume)
    changes = {p.pair_id: pair_request(request, p, folder) for p in pairs}
    todo = [p for p in pairs if not records.current(p.pair_id, changes[p.pair_id])]
    if len(todo) < len(pairs):
        feedback.info(_("{n} pair(s) reused from {manifest}").format(n=len(pairs) - len(todo),
                                                                    manifest=records.path))
    results: Dict[str, Dict[str, str]] = {}

    def done(pair_id: str, written: Dict[str, str], messages: Sequence[Tuple[str, str]]) -> None:
        for level, text in messages:
            (feedback.warning if level == "warning" else feedback.info)(f"{pair_id}: {text}")
        results[pair_id] = written
        records.record(pair_id, changes[pair_id], written)
        feedback.progress(len(results) / max(1, len(todo)), _("pair {n} of {m}").format(n=len(results), m=len(todo)))

    if request.scheduler and todo:
        _on_dask(request, [changes[p.pair_id] for p in todo], [p.pair_id for p in todo], done, feedback)
    else:
        for p in todo:
            feedback.check_cancelled()
            written, messages = run_pair_task(changes[p.pair_id])
            done(p.pair_id, written, messages)
    return _pair_maps(pairs, changes, results, feedback)


def _pair_maps(pairs, changes, results, feedback: Feedback) -> List[PairMaps]:
    maps: List[PairMaps] = []
    for p in pairs:
        outs = changes[p.pair_id].outputs
        if p.pair_id in results and not results[p.pair_id]:
            feedback.warning(_("the pair {pair} gave no change map (no tile with enough valid pixels): it takes no "
                               "part in the series").format(pair=p.pair_id))
            continue
        maps.append(PairMaps(p.pair_id, p.after.date, outs.cosine_map, outs.quality_fmask))
    return maps


def _on_dask(request: SeriesRequest, changes: Sequence[ChangeMapRequest], ids: Sequence[str], done,
             feedback: Feedback) -> None:
    """The pairs as Dask tasks; each reported through ``done`` as it finishes."""
    from types import SimpleNamespace

    from ..runs.dask.executor import RETRIES, DaskExecutor

    executor = DaskExecutor(str(request.scheduler), SimpleNamespace(model=request.model), feedback)
    try:
        client = executor.client
        futures = [client.submit(run_pair_task, c, key=f"planaura-series-{i}-{client.id[-8:]}", pure=False,
                                 retries=RETRIES, resources=executor.resources) for i, c in zip(ids, changes)]
        by_key = {f.key: i for f, i in zip(futures, ids)}

        def finished(future: Any) -> None:
            written, messages = future.result()  # a task that failed its retries raises here
            done(by_key[future.key], written, messages)

        executor.wait_each(futures, finished)
    finally:
        executor.close()


__all__ = ["DEFAULT_KINDS", "SERIES_KINDS", "SeriesRequest", "pair_request", "run_series",
           "series_file_name"]
