"""The plan of a change-map run: every check and the tiles, decided before the model runs.

:func:`plan_change_map` checks the request, runs the minimum-valid pre-pass (:mod:`.valid_tiles`)
and makes the :class:`ChangeMapPlan` once, frozen, from its result.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from functools import partial
from typing import Dict, List, Optional, Sequence, Tuple

from ...dates import input_dates
from ...errors import InputError, OutputError
from ...fmask import FILL as FMASK_FILL
from ...gdal_calls import spatial_reference
from ...i18n import N_, _
from ...feedback import Feedback, ensure_feedback
from ...quality_kinds import QUALITY_FMASK_BITWISE, QUALITY_FMASK_CLASSES, QUALITY_SCL, QualitySource
from ...inputs.sources import describe_input
from ...raster.feature_table import require_pyarrow, table_format
from ...raster.geotiff import check_not_inputs, check_writable
from ...raster.grids import grid_bounds, pixel_to_map
from ...raster.layout import MapLayout, OutputGrid
from ...raster.datasets import fmask_beside
from ...inputs.sentinel2 import is_scl_layer
from ...raster.reader import DateReader, RasterInfo, RowMemo, describe, open_dataset, transform_bounds_wkt
from ...raster.tile_grid import Tile, TileGrid, window_from_bounds
from ...products import CHANGE_KINDS, PRODUCTS, check_class_thresholds, frame_kind
from ..requests import ChangeMapRequest
from .output_sizes import output_bytes, report_sizes
from .valid_tiles import TileSelection, keep_tiles, listed_tiles


SHIFT_STEP = 64  # px between the start shifts of num_predictions passes (hard-coded upstream)
PREPASS_SHARE = 0.08  # progress share of the minimum-valid pre-pass


# ----------------------------------------------------------------------------------------------
# the plan: everything decided before the model runs
# ----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ChangeMapPlan:
    """A checked request: inputs, grids, kept tiles per pass and the outputs to write.

    Made once by :func:`plan_change_map` from the pre-pass's :class:`~.valid_tiles.TileSelection`
    and never changed after (``memo`` is the one shared cache the run reads from, once).
    """

    request: ChangeMapRequest
    infos: List[RasterInfo]
    fmasks: List[Optional[QualitySource]]
    dates: List[Optional[int]]
    outputs: Dict[str, str]  # kind -> final path
    window: Tuple[int, int, int, int]
    passes: List[List[Tile]]  # kept tiles, row-major, per num_predictions pass
    planned_grid: Optional[OutputGrid] = None  # the maps' grid around the kept tiles; None when none is kept
    infer_grid: Optional[OutputGrid] = None  # None when reconstructions share the map grid or are not asked
    raster_channels: List[int] = field(default_factory=list)  # embedding channels of feature rasters
    model_channels: Optional[List[int]] = None  # channels asked from the model (None = all)
    warnings: List[str] = field(default_factory=list)
    candidates: int = 0  # tiles of the unshifted pass before the minimum-valid filter
    dropped: Dict[Tuple[int, str], int] = field(default_factory=dict)  # (frame, "outside"|"nodata") -> tiles
    memo: RowMemo = field(default_factory=RowMemo)  # what the pre-pass read (raw rows, warped tiles), reused once
    read_cols: Optional[Tuple[int, int]] = None  # columns the listed tiles span (None: the window's)

    @property
    def map_grid(self) -> OutputGrid:
        """The grid of the maps (the output rasters but reconstructions on their own grid)."""
        assert self.planned_grid is not None, "the plan keeps no tile"
        return self.planned_grid

    @property
    def frames(self) -> int:
        return len(self.infos)

    @property
    def stride(self) -> int:
        return int(self.request.patch_stride)

    @property
    def patch(self) -> int:
        return self.request.model.config.patch_size

    @property
    def tile_size(self) -> int:
        return self.request.model.config.img_size

    @property
    def upsampled(self) -> bool:
        return self.stride == self.patch and bool(self.request.upsample)

    @property
    def change(self) -> bool:
        return self.frames > 1 and (any(k in self.outputs for k in CHANGE_KINDS) or len(self.passes) > 1)

    @property
    def quality(self) -> bool:
        return "quality_fmask" in self.outputs

    def kinds(self, prefix: str) -> Dict[int, str]:
        return _kinds(self.outputs, prefix)

    @property
    def base(self) -> RasterInfo:
        return self.infos[0]


def _kinds(outputs: Dict[str, str], prefix: str) -> Dict[int, str]:
    """frame -> path of the per-frame outputs whose kind starts with ``prefix`` (``feature_maps_``)."""
    return {int(k[len(prefix):]): p for k, p in outputs.items() if k.startswith(prefix)}


def _input_infos(request: ChangeMapRequest, inputs: Sequence[str]) -> List[RasterInfo]:
    """Each date's raster and model-band layout (InputError names a file GDAL cannot open or read right)."""
    chosen = list(request.bands or ())
    if chosen and len(chosen) != len(inputs):
        raise InputError(_("{n} band choices for {inputs} inputs; give one per input (None to take the bands as "
                           "stored)").format(n=len(chosen), inputs=len(inputs)))
    chosen += [None] * (len(inputs) - len(chosen))
    from .tile_workers import each_in_threads

    return each_in_threads(lambda pb: describe_input(pb[0], request.model.preset, pb[1]), list(zip(inputs, chosen)))


def _input_messages(inputs: Sequence[str], infos: Sequence[RasterInfo], dates: Sequence[Optional[int]],
                    pattern: str, fb: Feedback) -> None:
    """Log what reading the inputs decided, and warn about dates unknown or the model cannot compare well."""
    from ...inputs.checks import check_dates, check_dates_known
    from ...inputs.sampling import same_image_fingerprints

    for info in infos:
        for level, text in info.messages:
            (fb.warning if level == "warning" else fb.info)(text)
    if len(infos) < 2:
        return
    for finding in check_dates_known(inputs, dates, pattern):  # the names the dates were searched in
        fb.warning(finding.message)
    first, last = infos[0], infos[-1]
    prints = None
    if first.width == last.width and first.height == last.height:
        from .tile_workers import each_in_threads

        prints = same_image_fingerprints(open_dataset(first.path), open_dataset(last.path), each_in_threads)
    for finding in check_dates(dates[0], dates[-1], (first.name, last.name), prints):
        fb.warning(finding.message)


def _requested_outputs(request: ChangeMapRequest, frames: int) -> Dict[str, str]:
    """kind -> path of the outputs set on the request, in registry order (:data:`products.PRODUCTS`)."""
    o = request.outputs
    out: Dict[str, str] = {}
    for key, product in PRODUCTS.items():
        if not product.field or not hasattr(o, product.field):
            continue
        value = getattr(o, product.field)
        if not product.per_frame:
            if value:
                out[key] = str(value)
            continue
        for t, path in (value or {}).items():
            if not path:
                continue
            if not 0 <= int(t) < frames:
                raise InputError(_("{key}_{t} asked for, but the run has {frames} date(s) (frames 0..{last})").format(
                                     key=key, t=t, frames=frames, last=frames - 1))
            out[frame_kind(key, t)] = str(path)
    return out


def _quality_sources(request: ChangeMapRequest, infos: Sequence[RasterInfo]) -> List[Optional[QualitySource]]:
    """Each date's quality layer: the one given, else (when ``request.find_quality``) the product's own
    (HLS Fmask, Sentinel-2 SCL), else ``fmask_<image name>`` beside the image (SPEC 4), else None.

    Raises:
        InputError: not one Fmask entry per input, or a given quality layer GDAL cannot open.
    """
    kind = QUALITY_FMASK_BITWISE if request.fmask_bitwise else QUALITY_FMASK_CLASSES
    given: List[Optional[QualitySource]] = [None] * len(infos)
    if request.fmasks:
        if len(request.fmasks) != len(request.inputs):
            raise InputError(_("{n_fmasks} Fmask entries for {n_inputs} inputs; give one per input (None for a date "
                               "without Fmask)").format(
                                 n_fmasks=len(request.fmasks), n_inputs=len(request.inputs)))
        for f in request.fmasks:
            if f and not isinstance(f, QualitySource):
                describe(str(f))  # raises InputError naming the file
        # a Sentinel-2 SCL given as the quality layer is read as one, whatever the Fmask options say
        given = [f if isinstance(f, QualitySource) else
                 QualitySource(str(f), QUALITY_SCL if is_scl_layer(str(f)) else kind) if f else None
                 for f in request.fmasks]
    if not request.find_quality:
        return given
    found: List[Optional[QualitySource]] = []
    for q, path, info in zip(given, request.inputs, infos):
        beside = fmask_beside(str(path)) if q is None and info.quality is None else None
        found.append(q or info.quality or (QualitySource(beside, kind) if beside else None))
    return found


_QUALITY_KINDS = {QUALITY_FMASK_BITWISE: N_("HLS Fmask bit flags"), QUALITY_FMASK_CLASSES: N_("Fmask class codes"),
                  QUALITY_SCL: N_("Sentinel-2 scene classification (SCL)")}


def quality_source_messages(request: ChangeMapRequest, infos: Sequence[RasterInfo],
                            sources: Sequence[Optional[QualitySource]]) -> List[str]:
    """One log line per date naming its quality source (file, band and kind), or saying it has none.

    Args:
        request: the run (whether the quality layers found with the images are used, what a
            date without one counts as).
        infos: each date's raster; sources: :func:`_quality_sources` of the request.
    Returns:
        the lines, in date order.
    """
    lines = []
    for info, source in zip(infos, sources):
        if source is not None:
            lines.append(_("{name}: quality from {quality}, band {band} ({kind})").format(
                name=info.name, quality=source.name, band=source.band,
                kind=_(_QUALITY_KINDS.get(source.kind, source.kind))))
            continue
        why = (_("no quality layer was given and the quality layers found with the images are not used")
               if not request.find_quality else _("no quality layer was given or found with the image"))
        counts = (_("its pixels count as clear (0), as the reference does") if request.missing_quality_clear
                  else _("its pixels are 'no information' (255) in the quality layer"))
        lines.append(_("{name}: no quality source used ({why}); {counts}").format(name=info.name, why=why,
                                                                                 counts=counts))
    return lines


def _date_pattern(request: ChangeMapRequest) -> str:
    return request.date_regex or request.model.preset.date_regex


def _dates(request: ChangeMapRequest, infos: Sequence[RasterInfo], strict: bool) -> List[Optional[int]]:
    """YYYYDDD of each date: given in the request, else the product's metadata, else the name (SPEC 4)."""
    return input_dates(request.inputs, [info.date for info in infos], list(request.dates or ()),
                       _date_pattern(request), strict)


def _processing_window(request: ChangeMapRequest, base: RasterInfo) -> Tuple[int, int, int, int]:
    if request.bbox is None:
        return (0, 0, base.height, base.width)
    xmin, ymin, xmax, ymax = (float(v) for v in request.bbox)
    bounds = (xmin, ymin, xmax, ymax)
    if request.bbox_crs and base.georeferenced:
        srs, _reason = spatial_reference(str(request.bbox_crs), user_input=True)
        if srs is None:
            raise InputError(_("the area of interest's CRS {crs} is not understood").format(
                crs=repr(request.bbox_crs)))
        bounds = transform_bounds_wkt(bounds, srs.ExportToWkt(), base.projection)
    window = window_from_bounds(base.geotransform, base.width, base.height, bounds)
    if window[0] >= window[2] or window[1] >= window[3]:
        from ...raster.bounds_gap import far_away_note

        image_srs = spatial_reference(base.projection)[0] if base.projection else None
        raise InputError(_("the area of interest {bbox} does not overlap {name}: its bounds are {bounds} in its CRS "
                           "({crs}); give an area of interest that covers part of the image (with its CRS when that "
                           "is not the image's), or none").format(
            bbox=tuple(request.bbox), name=base.name, bounds=tuple(float(v) for v in base.bounds),
            crs=_crs_name(base.projection)) + far_away_note(bounds, base.bounds, image_srs))
    return window


def _crs_name(wkt: str) -> str:
    """The name of a CRS given as WKT, for messages ('none' without one)."""
    if not wkt:
        return _("none")
    srs, _reason = spatial_reference(wkt)
    return (srs.GetName() if srs is not None else "") or wkt[:60]


def _check_overlap(infos: Sequence[RasterInfo], window: Tuple[int, int, int, int]) -> None:
    base = infos[0]
    gt = base.geotransform
    x0, y0 = pixel_to_map(gt, window[1], window[0])
    area = grid_bounds((x0, gt[1], gt[2], y0, gt[4], gt[5]), window[3] - window[1], window[2] - window[0])
    for info in infos[1:]:
        if info.georeferenced != base.georeferenced:
            raise InputError(_("{first} and {other}: one is georeferenced and the other is not; give both with a "
                               "CRS or both as plain images").format(first=base.name, other=info.name))
        b = transform_bounds_wkt(info.bounds, info.projection, base.projection) if base.georeferenced else info.bounds
        if b[0] >= area[2] or b[2] <= area[0] or b[1] >= area[3] or b[3] <= area[1]:
            where = _(" within the area of interest") if window != (0, 0, base.height, base.width) else ""
            raise InputError(_("{other} does not overlap {first}{where}").format(other=info.name, first=base.name,
                                                                                where=where))


def _check_request(request: ChangeMapRequest, frames: int) -> None:
    """The request's own numbers: frame count, patch stride, minimum valid share, class thresholds."""
    cfg = request.model.config
    if not 1 <= frames <= 3:
        raise InputError(_("one, two or three input images are needed, got {n}").format(n=frames))
    if request.patch_stride not in (1, cfg.patch_size):
        raise InputError(_("patch stride must be 1 or {patch}, got {stride}").format(patch=cfg.patch_size,
                                                                                     stride=request.patch_stride))
    if not 0.0 <= float(request.min_valid) <= 1.0:
        raise InputError(_("the minimum valid share must be in [0, 1], got {value}").format(value=request.min_valid))
    check_class_thresholds(request.class_thresholds)


def _checked_outputs(request: ChangeMapRequest, frames: int) -> Dict[str, str]:
    """kind -> path of the outputs asked for, after the checks of kinds, formats and names."""
    outputs = _requested_outputs(request, frames)
    if not outputs:
        raise InputError(_("no output was asked for"))
    if frames == 1 and any(k in outputs for k in CHANGE_KINDS):
        raise InputError(_("a change map, dates, quality or classes need two or three dates; one image was given"))
    for kind, path in outputs.items():
        if kind.startswith("feature_table_"):
            if table_format(path) in (".parquet", ".geoparquet"):
                require_pyarrow()
        elif not path.lower().endswith((".tif", ".tiff")):
            raise OutputError(_("{kind} is written as GeoTIFF: its file name must end in .tif, got {path}").format(
                kind=kind, path=path))
    finals = [os.path.realpath(p) for p in outputs.values()]
    if len(set(finals)) != len(finals):
        raise OutputError(_("two outputs have the same file name; give each output its own file"))
    return outputs


def _tile_grids(request: ChangeMapRequest, window: Tuple[int, int, int, int], frames: int,
                warnings: List[str]) -> List[TileGrid]:
    """One tile grid per num_predictions pass, each shifted by SHIFT_STEP px."""
    cfg = request.model.config
    n_pred = max(1, int(request.num_predictions))
    if n_pred > 1 and frames == 1:
        warnings.append(_("num_predictions > 1 needs two or three dates (the passes are merged by their cosine); "
                          "one pass is made"))
        n_pred = 1
    coarse = request.patch_stride == cfg.patch_size and not request.upsample
    if coarse and n_pred > 1 and SHIFT_STEP % cfg.patch_size:
        raise InputError(_("num_predictions > 1 without upsampling needs a patch size dividing {shift_step}").format(
                             shift_step=SHIFT_STEP))
    snap = cfg.patch_size if coarse else 1
    return [TileGrid(window, cfg.img_size, shift=SHIFT_STEP * k, snap=snap, shift_pass=k) for k in range(n_pred)]


def _choose_channels(request: ChangeMapRequest, outputs: Dict[str, str]) -> Tuple[List[int], Optional[List[int]]]:
    """The embedding channels of feature rasters, and those asked from the model (None = all)."""
    embed = request.model.config.embed_dim
    chans = list(request.embeddings) if request.embeddings else list(range(embed))
    bad = [c for c in chans if not 0 <= int(c) < embed]
    if bad:
        raise InputError(_("embedding channels {bad} do not exist: the model has {n} (0..{last})").format(
            bad=bad, n=embed, last=embed - 1))
    raster_channels = [int(c) for c in chans]
    if _kinds(outputs, "feature_table_") or (_kinds(outputs, "feature_maps_") and not request.embeddings):
        return raster_channels, None  # tables hold every channel
    if _kinds(outputs, "feature_maps_"):
        return raster_channels, raster_channels
    return raster_channels, []


def _place_grids(request: ChangeMapRequest, outputs: Dict[str, str],
                 tiles: Sequence[Tile]) -> Tuple[Optional[OutputGrid], Optional[OutputGrid]]:
    """The output grid around the kept tiles of the first pass (and the reconstructions' own grid
    when they need one); (None, None) when no tile is kept."""
    if not tiles:
        return None, None
    cfg = request.model.config
    coarse = request.patch_stride == cfg.patch_size and not request.upsample
    upsampled = request.patch_stride == cfg.patch_size and bool(request.upsample)
    if upsampled:
        layout = MapLayout.input_grid(cfg.img_size)
    elif coarse:
        layout = MapLayout.coarse(cfg.img_size, cfg.patch_size)
    else:
        layout = MapLayout.dense(cfg.img_size, cfg.patch_size)
    infer_grid = None
    if _kinds(outputs, "infer_") and not upsampled:
        infer_grid = OutputGrid.around(MapLayout.input_grid(cfg.img_size), tiles)
    return OutputGrid.around(layout, tiles), infer_grid


def _select_tiles(request: ChangeMapRequest, infos: List[RasterInfo], window: Tuple[int, int, int, int],
                  grids: Sequence[TileGrid], memo: RowMemo, fb: Feedback) -> TileSelection:
    """The minimum-valid pre-pass over the listed tiles (recording what it reads into ``memo``);
    shifted passes left without a tile are dropped."""
    listed = listed_tiles(infos[0], request.min_valid, grids)
    cols = listed.read_cols or (window[1], window[3])
    readers = _readers(request, infos, cols, memo, [None] * len(infos), memo_mode="record")
    selection = keep_tiles(infos, request.min_valid, memo, listed, readers, fb, PREPASS_SHARE)
    passes = [selection.passes[0]] + [p for p in selection.passes[1:] if p]
    return replace(selection, passes=passes)


def plan_change_map(request: ChangeMapRequest, feedback: Optional[Feedback] = None) -> ChangeMapPlan:
    """Check a request and decide the tiles, without running the model.

    Args:
        request: inputs, outputs, model and options of one image, pair or triple.
        feedback: progress of the minimum-valid pre-pass, messages about the inputs.

    Returns:
        The plan; ``plan.passes[0]`` is empty when no tile has enough valid pixels.

    Raises:
        InputError / OutputError: with a message naming the culprit.
    """
    fb = ensure_feedback(feedback)
    inputs = [str(p) for p in request.inputs]
    frames = len(inputs)
    _check_request(request, frames)
    infos = _input_infos(request, inputs)
    outputs = _checked_outputs(request, frames)
    fmasks: List[Optional[QualitySource]] = (_quality_sources(request, infos) if "quality_fmask" in outputs
                                             else [None] * frames)
    check_not_inputs(outputs.values(), inputs + [i.path for i in infos] + [f.dataset for f in fmasks if f])
    for path in outputs.values():
        check_writable(path)
    dates = _dates(request, infos, strict=("before_date" in outputs or "after_date" in outputs))
    _input_messages(request.inputs, infos, dates, _date_pattern(request), fb)
    if "quality_fmask" in outputs:
        for line in quality_source_messages(request, infos, fmasks):
            fb.info(line)
    window = _processing_window(request, infos[0])
    _check_overlap(infos, window)
    warnings: List[str] = []
    grids = _tile_grids(request, window, frames, warnings)
    raster_channels, model_channels = _choose_channels(request, outputs)
    memo = RowMemo()
    selection = _select_tiles(request, infos, window, grids, memo, fb)
    planned_grid, infer_grid = _place_grids(request, outputs, selection.passes[0])
    plan = ChangeMapPlan(request=request, infos=infos, fmasks=fmasks, dates=dates, outputs=outputs, window=window,
                         passes=selection.passes, planned_grid=planned_grid, infer_grid=infer_grid,
                         raster_channels=raster_channels, model_channels=model_channels, warnings=warnings,
                         candidates=selection.candidates, dropped=selection.dropped, memo=memo,
                         read_cols=selection.read_cols)
    if plan.passes[0]:
        report_sizes(plan_sizes(plan), fb)  # before any model work
    return plan


def plan_sizes(plan: ChangeMapPlan) -> Dict[str, int]:
    """kind -> uncompressed bytes of every output of a planned run (its grids placed)."""
    grid = plan.map_grid
    cells = grid.width * grid.height
    infer = plan.infer_grid or grid
    embed = plan.request.model.config.embed_dim
    return {kind: output_bytes(kind, cells, infer.width * infer.height, len(plan.raster_channels), embed,
                               plan.base.model_bands) for kind in plan.outputs}


def no_tile_message(plan: ChangeMapPlan) -> str:
    """Why no tile is left: which date dropped them, and for what."""
    size, base = plan.tile_size, plan.base
    r0, c0, r1, c1 = plan.window
    if not plan.candidates:
        dx, dy = abs(base.geotransform[1]), abs(base.geotransform[5])
        return _("nothing was written: the area processed of {name} ({width} x {height} px) is smaller than one "
                 "tile of {size} x {size} px; give an area of interest of at least {size} x {size} px ({map_x} x "
                 "{map_y} in the image's map units) inside the image, or none").format(
            name=base.name, width=c1 - c0, height=r1 - r0, size=size, map_x=f"{size * dx:g}", map_y=f"{size * dy:g}")
    reasons = []
    for (t, why), n in sorted(plan.dropped.items()):
        info = plan.infos[t]
        if why == "outside":
            reasons.append(_("{name} does not cover {n} of the {total} tiles of {size} px whole (its overlap with "
                             "{first} is smaller than one tile)").format(name=info.name, n=n, total=plan.candidates,
                                                                         size=size, first=base.name))
        else:
            nd = ", ".join(sorted({_("0 (none declared)") if v is None else f"{v:g}" for v in info.nodata}))
            reasons.append(_("{n} of the {total} tiles of {name} have more than {share} % nodata (nodata value "
                             "{nodata}; NaN counts as nodata), i.e. fewer valid pixels than the {valid} % asked "
                             "for").format(n=n, total=plan.candidates, name=info.name,
                                           share=f"{100 * (1 - plan.request.min_valid):g}", nodata=nd,
                                           valid=f"{100 * plan.request.min_valid:g}"))
    return _("no tile of {name} can be processed, nothing was written: ").format(name=base.name) + "; ".join(reasons)


def date_readers(plan: ChangeMapPlan, with_fmask: bool, memo_mode: str = "off",
                 normalised: bool = False) -> List[DateReader]:
    """One reader per date on the plan's tiles; ``normalised``: they return the model's input
    (normalisation.normalise of the raw model bands, float32), else raw tiles."""
    cols = plan.read_cols or (plan.window[1], plan.window[3])
    qualities = list(plan.fmasks) if with_fmask else [None] * plan.frames
    return _readers(plan.request, plan.infos, cols, plan.memo, qualities, memo_mode, normalised)


def _readers(request: ChangeMapRequest, infos: Sequence[RasterInfo], cols: Tuple[int, int], memo: RowMemo,
             qualities: Sequence[Optional[QualitySource]], memo_mode: str = "off",
             normalised: bool = False) -> List[DateReader]:
    """One reader per date over the columns ``cols`` of the first date's grid (see :func:`date_readers`)."""
    cfg = request.model.config
    transform = None
    if normalised:
        from ...normalisation import normalise

        preset = request.model.preset
        transform = partial(normalise, mean=preset.mean, std=preset.std, no_data=preset.no_data)
    missing = 0 if request.missing_quality_clear else FMASK_FILL
    return [DateReader(info, infos[0], cols, cfg.img_size, quality=qualities[t], is_base=(t == 0), memo=memo,
                       memo_mode=memo_mode, transform=transform, missing_quality=missing)
            for t, info in enumerate(infos)]
