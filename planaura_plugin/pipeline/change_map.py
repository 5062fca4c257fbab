"""Per-pair change maps, embeddings and reconstructions of one, two or three dates (SPEC 3, 4, 6).

Everything the reference does with temporary tile files happens here in memory, streamed:
tiles of the first image are cut row-major, every date is read on them (integer offset or
GDAL warp), the model runs on batches, and each tile's maps are upsampled and stitched
into rows that are written as soon as no later tile can touch them. A reader thread
prepares the next batches and a writer thread stitches and writes while the model runs.

All checks (inputs, bands, overlap, outputs) and the minimum-valid filter run before the
model is loaded; all outputs are written under temporary names and renamed together.
"""
from __future__ import annotations

import os
import queue
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Dict, List, Mapping, Optional, Sequence, Tuple

import numpy as np

from ..dates import input_dates
from ..errors import InputError, OutputError
from ..feedback import Feedback, ensure_feedback
from ..fmask import FILL
from ..normalisation import denormalise, normalise
from ..raster.feature_table import FeatureTableWriter, require_pyarrow, table_format
from ..raster.geotiff import OutputSet, check_not_inputs, check_writable
from ..raster.layout import MapLayout, OutputGrid
from ..inputs import QUALITY_FMASK_BITWISE, QUALITY_FMASK_CLASSES, QualitySource
from ..inputs.sources import describe_input
from ..raster.grids import grid_bounds, pixel_to_map
from ..raster.reader import DateReader, RasterInfo, TileMemo, describe, fmask_beside, open_dataset, transform_bounds
from ..raster.row_writer import BlockRowWriter
from ..raster.stitch import GridStitcher, LayerSpec, PassMerger
from ..raster.tile_grid import Tile, TileGrid, keeps, nodata_fraction, window_from_bounds
from ..raster.upsample import NODATA, pooled_fmask, repeat_nearest, upsample_masked
from . import metadata as md
from .requests import ChangeMapRequest

if TYPE_CHECKING:
    from ..model.inference import PlanauraRunner

SHIFT_STEP = 64  # px between the start shifts of num_predictions passes (hard-coded upstream)
DATE_NODATA = -100
CLASS_NODATA = 0
CHANGE_KINDS = ("cosine_map", "before_date", "after_date", "quality_fmask", "classes")
PREPASS_SHARE = 0.08  # progress share of the minimum-valid pre-pass


# ----------------------------------------------------------------------------------------------
# the plan: everything decided before the model runs
# ----------------------------------------------------------------------------------------------
@dataclass
class ChangeMapPlan:
    """A checked request: inputs, grids, kept tiles per pass and the outputs to write."""

    request: ChangeMapRequest
    infos: List[RasterInfo]
    fmasks: List[Optional[QualitySource]]
    dates: List[Optional[int]]
    outputs: Dict[str, str]  # kind -> final path
    window: Tuple[int, int, int, int]
    passes: List[List[Tile]]  # kept tiles, row-major, per num_predictions pass
    planned_grid: Optional[OutputGrid] = None  # the maps' grid, set once the tiles are chosen (map_grid)
    infer_grid: Optional[OutputGrid] = None  # None when reconstructions share the map grid or are not asked
    raster_channels: List[int] = field(default_factory=list)  # embedding channels of feature rasters
    model_channels: Optional[List[int]] = None  # channels asked from the model (None = all)
    warnings: List[str] = field(default_factory=list)
    candidates: int = 0  # tiles of the unshifted pass before the minimum-valid filter
    dropped: Dict[Tuple[int, str], int] = field(default_factory=dict)  # (frame, "outside"|"nodata") -> tiles
    memo: TileMemo = field(default_factory=TileMemo)  # warped tiles of the pre-pass, reused once

    @property
    def map_grid(self) -> OutputGrid:
        """The grid of the maps (the output rasters but reconstructions on their own grid)."""
        assert self.planned_grid is not None, "the plan's tiles are not chosen yet"
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
        return {int(k[len(prefix):]): p for k, p in self.outputs.items() if k.startswith(prefix)}

    @property
    def base(self) -> RasterInfo:
        return self.infos[0]


def _input_infos(request: ChangeMapRequest, inputs: Sequence[str]) -> List[RasterInfo]:
    """Each date's raster and model-band layout (InputError names a file GDAL cannot open or read right)."""
    chosen = list(request.bands or ())
    if chosen and len(chosen) != len(inputs):
        raise InputError(f"{len(chosen)} band choices for {len(inputs)} inputs; give one per input "
                         "(None to take the bands as stored)")
    chosen += [None] * (len(inputs) - len(chosen))
    return [describe_input(p, request.model.preset, b) for p, b in zip(inputs, chosen)]


def _input_messages(infos: Sequence[RasterInfo], dates: Sequence[Optional[int]], fb: Feedback) -> None:
    """Log what reading the inputs decided, and warn about dates the model cannot compare well."""
    from ..inputs.checks import check_dates, fingerprint

    for info in infos:
        for level, text in info.messages:
            (fb.warning if level == "warning" else fb.info)(text)
    if len(infos) < 2:
        return
    first, last = infos[0], infos[-1]
    prints = None
    if first.width == last.width and first.height == last.height:
        prints = (fingerprint(open_dataset(first.path)), fingerprint(open_dataset(last.path)))
    for finding in check_dates(dates[0], dates[-1], (first.name, last.name), prints):
        fb.warning(finding.message)


def _requested_outputs(request: ChangeMapRequest, frames: int) -> Dict[str, str]:
    o = request.outputs
    out: Dict[str, str] = {}
    for kind in CHANGE_KINDS:
        path = getattr(o, kind)
        if path:
            out[kind] = str(path)
    for prefix, mapping in (("feature_maps_", o.feature_maps), ("infer_", o.reconstructions),
                            ("feature_table_", o.feature_tables)):
        for t, path in (mapping or {}).items():
            if not path:
                continue
            if not 0 <= int(t) < frames:
                raise InputError(f"{prefix}{t} asked for, but the run has {frames} date(s) (frames 0..{frames - 1})")
            out[f"{prefix}{int(t)}"] = str(path)
    return out


def _quality_sources(request: ChangeMapRequest, infos: Sequence[RasterInfo]) -> List[Optional[QualitySource]]:
    """Each date's quality layer: the one given, else the product's own (HLS Fmask, Sentinel-2 SCL),
    else ``fmask_<image name>`` beside the image (SPEC 4), else None (clear)."""
    kind = QUALITY_FMASK_BITWISE if request.fmask_bitwise else QUALITY_FMASK_CLASSES
    if request.fmasks:
        if len(request.fmasks) != len(request.inputs):
            raise InputError(f"{len(request.fmasks)} Fmask entries for {len(request.inputs)} inputs; "
                             "give one per input (None for a date without Fmask)")
        given = [f if isinstance(f, QualitySource) else QualitySource(str(f), kind) if f else info.quality
                 for f, info in zip(request.fmasks, infos)]  # None: the product's own quality layer, if any
        for q in given:
            if q:
                describe(q.dataset)  # raises InputError naming the file
        return given
    found: List[Optional[QualitySource]] = []
    for path, info in zip(request.inputs, infos):
        beside = fmask_beside(path) if info.quality is None else None
        found.append(info.quality or (QualitySource(beside, kind) if beside else None))
    return found


def _dates(request: ChangeMapRequest, infos: Sequence[RasterInfo], strict: bool) -> List[Optional[int]]:
    """YYYYDDD of each date: given in the request, else the product's metadata, else the name (SPEC 4)."""
    regex = request.date_regex or request.model.preset.date_regex
    return input_dates(request.inputs, [info.date for info in infos], list(request.dates or ()), regex, strict)


def _processing_window(request: ChangeMapRequest, base: RasterInfo) -> Tuple[int, int, int, int]:
    if request.bbox is None:
        return (0, 0, base.height, base.width)
    xmin, ymin, xmax, ymax = (float(v) for v in request.bbox)
    bounds = (xmin, ymin, xmax, ymax)
    if request.bbox_crs and base.georeferenced:
        from osgeo import osr

        srs = osr.SpatialReference()
        if srs.SetFromUserInput(str(request.bbox_crs)) != 0:
            raise InputError(f"the area of interest's CRS {request.bbox_crs!r} is not understood")
        bounds = transform_bounds(bounds, srs.ExportToWkt(), base.projection)
    window = window_from_bounds(base.geotransform, base.width, base.height, bounds)
    if window[0] >= window[2] or window[1] >= window[3]:
        raise InputError(f"the area of interest {tuple(request.bbox)} does not overlap {base.name}")
    return window


def _check_overlap(infos: Sequence[RasterInfo], window: Tuple[int, int, int, int]) -> None:
    base = infos[0]
    gt = base.geotransform
    x0, y0 = pixel_to_map(gt, window[1], window[0])
    area = grid_bounds((x0, gt[1], gt[2], y0, gt[4], gt[5]), window[3] - window[1], window[2] - window[0])
    for info in infos[1:]:
        if info.georeferenced != base.georeferenced:
            raise InputError(f"{base.name} and {info.name}: one is georeferenced and the other is not; "
                             "give both with a CRS or both as plain images")
        b = transform_bounds(info.bounds, info.projection, base.projection) if base.georeferenced else info.bounds
        if b[0] >= area[2] or b[2] <= area[0] or b[1] >= area[3] or b[3] <= area[1]:
            raise InputError(f"{info.name} does not overlap {base.name}"
                             + (" within the area of interest" if window != (0, 0, base.height, base.width) else ""))


def plan_change_map(request: ChangeMapRequest, feedback: Optional[Feedback] = None) -> ChangeMapPlan:
    """Check a request and decide the tiles, without running the model.

    Raises :class:`InputError` / :class:`OutputError` with a message naming the culprit.
    """
    fb = ensure_feedback(feedback)
    inputs = [str(p) for p in request.inputs]
    frames = len(inputs)
    if not 1 <= frames <= 3:
        raise InputError(f"one, two or three input images are needed, got {frames}")
    spec = request.model
    cfg = spec.config
    if request.patch_stride not in (1, cfg.patch_size):
        raise InputError(f"patch stride must be 1 or {cfg.patch_size}, got {request.patch_stride}")
    if not 0.0 <= float(request.min_valid) <= 1.0:
        raise InputError(f"the minimum valid share must be in [0, 1], got {request.min_valid}")
    t0, t1, t2 = request.class_thresholds
    if not t0 >= t1 >= t2:
        raise InputError(f"change class thresholds must decrease, got {tuple(request.class_thresholds)}")

    infos = _input_infos(request, inputs)

    outputs = _requested_outputs(request, frames)
    if not outputs:
        raise InputError("no output was asked for")
    if frames == 1 and any(k in outputs for k in CHANGE_KINDS):
        raise InputError("a change map, dates, quality or classes need two or three dates; one image was given")
    for kind, path in outputs.items():
        if kind.startswith("feature_table_"):
            if table_format(path) in (".parquet", ".geoparquet"):
                require_pyarrow()
        elif not path.lower().endswith((".tif", ".tiff")):
            raise OutputError(f"{kind} is written as GeoTIFF: its file name must end in .tif, got {path}")
    finals = [os.path.realpath(p) for p in outputs.values()]
    if len(set(finals)) != len(finals):
        raise OutputError("two outputs have the same file name; give each output its own file")
    fmasks: List[Optional[QualitySource]] = (_quality_sources(request, infos) if "quality_fmask" in outputs
                                             else [None] * frames)
    check_not_inputs(outputs.values(), inputs + [f.dataset for f in fmasks if f])
    for path in outputs.values():
        check_writable(path)
    dates = _dates(request, infos, strict=("before_date" in outputs or "after_date" in outputs))

    _input_messages(infos, dates, fb)

    base = infos[0]
    window = _processing_window(request, base)
    _check_overlap(infos, window)

    n_pred = max(1, int(request.num_predictions))
    warnings: List[str] = []
    if n_pred > 1 and frames == 1:
        warnings.append("num_predictions > 1 needs two or three dates (the passes are merged by their cosine); "
                        "one pass is made")
        n_pred = 1
    upsampled = request.patch_stride == cfg.patch_size and request.upsample
    coarse = request.patch_stride == cfg.patch_size and not request.upsample
    if coarse and n_pred > 1 and SHIFT_STEP % cfg.patch_size:
        raise InputError(f"num_predictions > 1 without upsampling needs a patch size dividing {SHIFT_STEP}")
    snap = cfg.patch_size if coarse else 1
    grids = [TileGrid(window, cfg.img_size, shift=SHIFT_STEP * k, snap=snap, shift_pass=k) for k in range(n_pred)]

    plan = ChangeMapPlan(request=request, infos=infos, fmasks=fmasks, dates=dates, outputs=outputs, window=window,
                         passes=[], warnings=warnings)
    embed = cfg.embed_dim
    chans = list(request.embeddings) if request.embeddings else list(range(embed))
    bad = [c for c in chans if not 0 <= int(c) < embed]
    if bad:
        raise InputError(f"embedding channels {bad} do not exist: the model has {embed} (0..{embed - 1})")
    plan.raster_channels = [int(c) for c in chans]
    if plan.kinds("feature_table_") or (plan.kinds("feature_maps_") and not request.embeddings):
        plan.model_channels = None  # tables hold every channel
    elif plan.kinds("feature_maps_"):
        plan.model_channels = plan.raster_channels
    else:
        plan.model_channels = []

    plan.passes = _keep_tiles(plan, grids, fb)
    plan.passes = [plan.passes[0]] + [p for p in plan.passes[1:] if p]
    if not plan.passes[0]:
        return plan

    if upsampled:
        layout = MapLayout.input_grid(cfg.img_size)
    elif coarse:
        layout = MapLayout.coarse(cfg.img_size, cfg.patch_size)
    else:
        layout = MapLayout.dense(cfg.img_size, cfg.patch_size)
    plan.planned_grid = OutputGrid.around(layout, plan.passes[0])
    if plan.kinds("infer_") and not upsampled:
        plan.infer_grid = OutputGrid.around(MapLayout.input_grid(cfg.img_size), plan.passes[0])

    return plan


def _keep_tiles(plan: ChangeMapPlan, grids: Sequence[TileGrid], fb: Feedback) -> List[List[Tile]]:
    """The minimum-valid filter of SPEC 3, per date (reads every tile once)."""
    req = plan.request
    readers = _date_readers(plan, with_fmask=False, memo_mode="record")
    candidates = [g.tiles() for g in grids]
    plan.candidates = len(candidates[0])
    total = sum(len(c) for c in candidates) or 1
    done = 0
    kept: List[List[Tile]] = []
    try:
        for k, tiles in enumerate(candidates):
            ok: List[Tile] = []
            last_row = None
            for tile in tiles:
                if tile.row != last_row:
                    fb.check_cancelled()
                    fb.progress(PREPASS_SHARE * done / total, "checking tiles")
                    last_row = tile.row
                done += 1
                good = True
                for t, (reader, info) in enumerate(zip(readers, plan.infos)):
                    raw = reader.read(tile.row, tile.col)
                    why = "outside" if raw is None else \
                        (None if keeps(nodata_fraction(raw, info.cut_nodata()), req.min_valid) else "nodata")
                    if why:
                        if k == 0:
                            plan.dropped[(t, why)] = plan.dropped.get((t, why), 0) + 1
                        good = False
                        break
                if good:
                    ok.append(tile)
                else:
                    for info in plan.infos:
                        plan.memo.pop((info.path, tile.row, tile.col))
            kept.append(ok)
    finally:
        for r in readers:
            r.close()
    return kept


def no_tile_message(plan: ChangeMapPlan) -> str:
    """Why no tile is left: which date dropped them, and for what."""
    size, base = plan.tile_size, plan.base
    r0, c0, r1, c1 = plan.window
    if not plan.candidates:
        dx, dy = abs(base.geotransform[1]), abs(base.geotransform[5])
        return (f"nothing was written: the area processed of {base.name} ({c1 - c0} x {r1 - r0} px) is smaller "
                f"than one tile of {size} x {size} px; give an area of interest of at least {size} x {size} px "
                f"({size * dx:g} x {size * dy:g} in the image's map units) inside the image, or none")
    reasons = []
    for (t, why), n in sorted(plan.dropped.items()):
        info = plan.infos[t]
        if why == "outside":
            reasons.append(f"{info.name} does not cover {n} of the {plan.candidates} tiles of {size} px whole "
                           f"(its overlap with {base.name} is smaller than one tile)")
        else:
            nd = ", ".join(sorted({"0 (none declared)" if v is None else f"{v:g}" for v in info.nodata}))
            reasons.append(f"{n} of the {plan.candidates} tiles of {info.name} have more than "
                           f"{100 * (1 - plan.request.min_valid):g} % nodata (nodata value {nd}; NaN counts as "
                           f"nodata), i.e. fewer valid pixels than the {100 * plan.request.min_valid:g} % asked for")
    return f"no tile of {base.name} can be processed, nothing was written: " + "; ".join(reasons)


def _date_readers(plan: ChangeMapPlan, with_fmask: bool, memo_mode: str = "off") -> List[DateReader]:
    cfg = plan.request.model.config
    cols = (plan.window[1], plan.window[3])
    return [DateReader(info, plan.base, cols, cfg.img_size, quality=plan.fmasks[t] if with_fmask else None,
                       is_base=(t == 0), memo=plan.memo,
                       memo_mode=memo_mode)
            for t, info in enumerate(plan.infos)]


# ----------------------------------------------------------------------------------------------
# per-tile maps
# ----------------------------------------------------------------------------------------------
def tile_maps(plan: ChangeMapPlan, out, b: int, fmask_codes: Optional[np.ndarray]) -> Tuple[Dict[str, np.ndarray],
                                                                                             Dict[str, np.ndarray]]:
    """Maps of tile ``b`` of a batch: ({layer: map-grid array}, {layer: input-grid array}).

    Layers: ``cosine``, ``which`` (before-frame index), ``fmask<t>``, ``feat<t>``, ``infer<t>``
    and, when several passes are merged on a separate reconstruction grid, ``cosine_ref``.
    """
    p, stride, T = plan.patch, plan.stride, plan.frames
    up = plan.upsampled
    maps: Dict[str, np.ndarray] = {}
    infer: Dict[str, np.ndarray] = {}
    if plan.change:
        cos = out.cosine[b].astype(np.float32)
        which = out.which_before[b]
        if up:
            maps["cosine"] = upsample_masked(cos, p, clip=True)[None]
            rep = repeat_nearest(which, p)
            maps["which"] = np.where(rep != DATE_NODATA, np.clip(rep, 0, T - 2), DATE_NODATA).astype(np.int32)[None]
        else:
            maps["cosine"] = cos[None]
            maps["which"] = which.astype(np.int32)[None]
    if plan.quality:
        assert fmask_codes is not None  # read for every batch when the quality output is asked
        for t in range(T):
            maps[f"fmask{t}"] = pooled_fmask(fmask_codes[t], p, stride, up)[None]
    frames_feat = plan.kinds("feature_maps_")
    if frames_feat:
        idx = plan.raster_channels if plan.model_channels is None else list(range(len(plan.raster_channels)))
        for t in frames_feat:
            f = np.moveaxis(out.features[b, t][..., idx], -1, 0).astype(np.float32)
            maps[f"feat{t}"] = upsample_masked(f, p, clip=False) if up else f
    frames_rec = plan.kinds("infer_")
    if frames_rec:
        preset = plan.request.model.preset
        nd_float = np.float32(plan.request.model.config.no_data_float)
        target = maps if plan.infer_grid is None else infer
        kept = sorted(frames_rec) if out.reconstruction.shape[2] != T else list(range(T))
        for t in frames_rec:
            rec = out.reconstruction[b, :, kept.index(t)]
            dn = denormalise(rec, preset.mean, preset.std, band_axis=0)
            target[f"infer{t}"] = np.where(rec == nd_float, np.float32(preset.no_data), dn).astype(np.float32)
        if plan.infer_grid is not None and len(plan.passes) > 1:
            infer["cosine_ref"] = _cosine_on_input_grid(plan, out.cosine[b].astype(np.float32))[None]
    return maps, infer


def _cosine_on_input_grid(plan: ChangeMapPlan, cos: np.ndarray) -> np.ndarray:
    """The tile's cosine laid on its S x S input grid (to merge reconstructions of several passes)."""
    size = plan.tile_size
    if plan.stride == plan.patch:
        return repeat_nearest(cos, plan.patch)
    full = np.full((size, size), np.float32(NODATA), dtype=np.float32)
    off = plan.map_grid.layout.offset
    full[off:off + cos.shape[0], off:off + cos.shape[1]] = cos
    return full


def table_rows(plan: ChangeMapPlan, tile: Tile, feats: np.ndarray) -> Tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Rows of a feature table from one tile: tokens of its central window, as the reference.

    ``feats`` (h, w, E). A token's point is the top-left corner of the pixel it is placed at
    (its patch's corner at stride p; the map pixel's at stride 1, 7 px in from the patch).
    """
    size, stride = plan.tile_size, plan.stride
    start = int(plan.patch / 2 - 1) if stride == 1 else 0
    lo = int(0.25 * size)
    hi = lo + int(size / 2) - 1
    pos = start + np.arange(feats.shape[0]) * stride
    sel = np.nonzero((pos >= lo) & (pos <= hi))[0]
    gt = plan.base.geotransform
    tx = gt[0] + tile.col * gt[1] + tile.row * gt[2]
    ty = gt[3] + tile.col * gt[4] + tile.row * gt[5]
    ii, jj = np.meshgrid(pos[sel], pos[sel], indexing="ij")
    x = tx + jj.ravel() * gt[1] + ii.ravel() * gt[2]
    y = ty + jj.ravel() * gt[4] + ii.ravel() * gt[5]
    f = feats[np.ix_(sel, sel)].reshape(-1, feats.shape[-1])
    return x, y, f


# ----------------------------------------------------------------------------------------------
# outputs
# ----------------------------------------------------------------------------------------------
class _Outputs:
    """The output files of a run and how stitched rows become their values."""

    def __init__(self, plan: ChangeMapPlan, outset: OutputSet) -> None:
        self.plan = plan
        req = plan.request
        preset = req.model.preset
        base = plan.base
        self.rows: Dict[str, BlockRowWriter] = {}
        self.tables: Dict[int, FeatureTableWriter] = {}
        common: Dict[str, Any] = dict(inputs=[i.name for i in plan.infos], dates=plan.dates,
                                      companions=plan.outputs, patch_stride=plan.stride, upsampled=plan.upsampled,
                                      model=preset.name, checkpoint=str(req.model.checkpoint or ""))

        def raster(kind: str, grid: OutputGrid, bands: int, dtype, nodata, names, frame=None, emb=None):
            gt: Optional[Tuple[float, ...]] = grid.geotransform(base.geotransform)
            if not base.georeferenced and gt == (0.0, 1.0, 0.0, 0.0, 0.0, 1.0):
                gt = None
            meta = md.output_metadata(kind, frame=frame, embeddings=emb, **common)
            w = outset.create(plan.outputs[kind], width=grid.width, height=grid.height, bands=bands, dtype=dtype,
                              geotransform=gt, projection=base.projection, nodata=nodata,
                              compression=req.compression, band_names=names, metadata=meta, fill=False)
            self.rows[kind] = BlockRowWriter(w)

        mg = plan.map_grid
        single = {"cosine_map": (np.float32, NODATA, "cosine similarity"),
                  "before_date": (np.int32, DATE_NODATA, "before date (YYYYDDD)"),
                  "after_date": (np.int32, DATE_NODATA, "after date (YYYYDDD)"),
                  "quality_fmask": (np.uint8, FILL, "worst Fmask class"),
                  "classes": (np.uint8, CLASS_NODATA, "change class")}
        for kind, (dtype, nd, name) in single.items():
            if kind in plan.outputs:
                raster(kind, mg, 1, dtype, nd, [name])
        for t in plan.kinds("feature_maps_"):
            raster(f"feature_maps_{t}", mg, len(plan.raster_channels), np.float32, NODATA,
                   [f"f{k}" for k in plan.raster_channels], frame=t, emb=plan.raster_channels)
        ig = plan.infer_grid or mg
        for t in plan.kinds("infer_"):
            raster(f"infer_{t}", ig, len(preset.bands), np.float32, float(preset.no_data), list(preset.bands), frame=t)
        embed = req.model.config.embed_dim
        for t, path in plan.kinds("feature_table_").items():
            meta = md.output_metadata(f"feature_table_{t}", frame=t, embeddings=list(range(embed)), **common)
            self.tables[t] = FeatureTableWriter(path, embed, base.projection, meta,
                                                write_path=outset.temp_name(path))
        self.dates_lookup = np.array([DATE_NODATA if d is None else d for d in plan.dates[:-1]] or [DATE_NODATA],
                                     dtype=np.int32)
        self.after = DATE_NODATA if plan.dates[-1] is None else int(plan.dates[-1])

    def write_map_rows(self, rows: Mapping[str, np.ndarray]) -> None:
        plan = self.plan
        out = plan.outputs
        if "cosine" in rows:
            cos = rows["cosine"]
            if "cosine_map" in out:
                self.rows["cosine_map"].append(cos)
            if "classes" in out:
                self.rows["classes"].append(change_classes(cos, plan.request.class_thresholds))
        if "which" in rows:
            which = rows["which"]
            valid = which != DATE_NODATA
            if "before_date" in out:
                idx = np.clip(which, 0, len(self.dates_lookup) - 1)
                self.rows["before_date"].append(np.where(valid, self.dates_lookup[idx], DATE_NODATA).astype(np.int32))
            if "after_date" in out:
                self.rows["after_date"].append(np.where(valid, self.after, DATE_NODATA).astype(np.int32))
            if "quality_fmask" in out:
                self.rows["quality_fmask"].append(worst_quality(which, [rows[f"fmask{t}"]
                                                                         for t in range(plan.frames)]))
        for t in plan.kinds("feature_maps_"):
            self.rows[f"feature_maps_{t}"].append(rows[f"feat{t}"])
        if plan.infer_grid is None:
            self.write_infer_rows(rows)

    def write_infer_rows(self, rows: Mapping[str, np.ndarray]) -> None:
        for t in self.plan.kinds("infer_"):
            self.rows[f"infer_{t}"].append(rows[f"infer{t}"])

    def finish(self) -> None:
        for w in self.rows.values():
            w.finish()
        self.close_tables()

    def close_tables(self) -> None:
        for t in self.tables.values():
            t.close()


def change_classes(cos: np.ndarray, thresholds: Sequence[float]) -> np.ndarray:
    """uint8 classes: 0 nodata, 1 no change (> t0), 2 low (t1, t0], 3 moderate (t2, t1], 4 high (<= t2)."""
    t0, t1, t2 = (float(v) for v in thresholds)
    out = np.full(cos.shape, 4, dtype=np.uint8)
    out[cos > t2] = 3
    out[cos > t1] = 2
    out[cos > t0] = 1
    out[cos == NODATA] = CLASS_NODATA
    return out


def worst_quality(which: np.ndarray, fmasks: Sequence[np.ndarray]) -> np.ndarray:
    """Larger Fmask code of the chosen before frame and the after frame; 255 where there is no cosine.

    A date without information (255) is ignored; 255 remains only where both have none.
    """
    valid = which != DATE_NODATA
    before = np.full(which.shape, FILL, dtype=np.uint8)
    for t, codes in enumerate(fmasks[:-1]):
        sel = valid & (which == t)
        before[sel] = codes[sel]
    after = fmasks[-1].astype(np.uint8)
    b_known, a_known = before != FILL, after != FILL
    worst = np.where(b_known & a_known, np.maximum(before, after), np.where(b_known, before, after))
    return np.where(valid, worst, FILL).astype(np.uint8)


# ----------------------------------------------------------------------------------------------
# execution
# ----------------------------------------------------------------------------------------------
_DONE = object()


class _Worker(threading.Thread):
    """A daemon thread whose exception is kept for the main thread."""

    def __init__(self, name: str, target: Callable[[], None]) -> None:
        super().__init__(name=name, daemon=True)
        self._target_fn = target
        self.error: Optional[BaseException] = None

    def run(self) -> None:
        try:
            self._target_fn()
        except BaseException as exc:  # noqa: BLE001 - handed to the main thread
            self.error = exc


def _put(q: "queue.Queue", item, stop: threading.Event, consumer: Optional[threading.Thread] = None) -> bool:
    """Put with a bounded queue; gives up when the run stops or the consumer has died."""
    while not stop.is_set() and (consumer is None or consumer.is_alive()):
        try:
            q.put(item, timeout=0.1)
            return True
        except queue.Full:
            continue
    return False


def _get(q: "queue.Queue", stop: threading.Event, other: Optional[_Worker] = None):
    while True:
        try:
            return q.get(timeout=0.1)
        except queue.Empty:
            if stop.is_set():
                return _DONE
            if other is not None and not other.is_alive() and q.empty():
                return _DONE


def balanced_batches(items: Sequence, batch_size: int) -> List[list]:
    """Consecutive batches of at most ``batch_size``, as even as possible (9 tiles by 4: 3+3+3, not
    4+4+1: a lone last tile runs much slower per tile on a CPU)."""
    n = len(items)
    if not n:
        return []
    count = -(-n // max(1, batch_size))
    base, extra = divmod(n, count)
    out, start = [], 0
    for i in range(count):
        size = base + (1 if i < extra else 0)
        out.append(list(items[start:start + size]))
        start += size
    return out


class _Run:
    """One execution of a plan: reader thread -> model (this thread) -> stitch/write thread."""

    def __init__(self, plan: ChangeMapPlan, load_runner: Callable[[], PlanauraRunner], outputs: _Outputs,
                 fb: Feedback) -> None:
        self.plan, self.load_runner, self.out, self.fb = plan, load_runner, outputs, fb
        self.stop = threading.Event()
        order = sorted(((t.row, k, t.col, t) for k, tiles in enumerate(plan.passes) for t in tiles),
                       key=lambda x: x[:3])
        self.order = [x[3] for x in order]
        self.batches = balanced_batches(self.order, int(plan.request.model.batch_size))
        # per pass: the row a tile's successor starts at, to know which rows are final
        self.next_row: Dict[Tuple[int, Tile], Tuple[int, int]] = {}
        for k, tiles in enumerate(plan.passes):
            for i, tile in enumerate(tiles):
                nxt = tiles[i + 1] if i + 1 < len(tiles) else None
                self.next_row[(k, tile)] = self._final_rows(nxt)
        self.map_stitch = [self._stitcher(plan.map_grid, self._map_layers()) for _ in plan.passes]
        self.map_merge = PassMerger(self.map_stitch, "cosine" if len(plan.passes) > 1 else None)
        self.infer_stitch: List[GridStitcher] = []
        if plan.infer_grid is not None:
            self.infer_stitch = [self._stitcher(plan.infer_grid, self._infer_layers()) for _ in plan.passes]
            ref = "cosine_ref" if len(plan.passes) > 1 else None
            self.infer_merge = PassMerger(self.infer_stitch, ref)
        # one batch waiting on each side of the model is enough to overlap reading and writing with it
        self.q_in: "queue.Queue" = queue.Queue(maxsize=1)
        self.q_out: "queue.Queue" = queue.Queue(maxsize=1)

    def _final_rows(self, nxt: Optional[Tile]) -> Tuple[int, int]:
        """(map rows, reconstruction rows) final once the tile before ``nxt`` is pasted."""
        plan = self.plan
        mg, ig = plan.map_grid, plan.infer_grid
        if nxt is None:
            return mg.height, (ig.height if ig else 0)
        return mg.placement(nxt).row, (ig.placement(nxt).row if ig else 0)

    @staticmethod
    def _stitcher(grid: OutputGrid, layers: Mapping[str, LayerSpec]) -> GridStitcher:
        return GridStitcher(grid.width, grid.height, layers)

    def _map_layers(self) -> Dict[str, LayerSpec]:
        plan = self.plan
        layers: Dict[str, LayerSpec] = {}
        if plan.change:
            layers["cosine"] = LayerSpec(1, np.float32, NODATA)
            layers["which"] = LayerSpec(1, np.int32, DATE_NODATA)
        if plan.quality:
            for t in range(plan.frames):
                layers[f"fmask{t}"] = LayerSpec(1, np.uint8, FILL)
        for t in plan.kinds("feature_maps_"):
            layers[f"feat{t}"] = LayerSpec(len(plan.raster_channels), np.float32, NODATA)
        if plan.infer_grid is None:
            layers.update(self._rec_layers())
        return layers

    def _rec_layers(self) -> Dict[str, LayerSpec]:
        preset = self.plan.request.model.preset
        return {f"infer{t}": LayerSpec(len(preset.bands), np.float32, float(preset.no_data))
                for t in self.plan.kinds("infer_")}

    def _infer_layers(self) -> Dict[str, LayerSpec]:
        layers = self._rec_layers()
        if len(self.plan.passes) > 1:
            layers["cosine_ref"] = LayerSpec(1, np.float32, NODATA)
        return layers

    # -- reader thread -------------------------------------------------------------------------
    def _read_batches(self) -> None:
        plan = self.plan
        preset = plan.request.model.preset
        readers = _date_readers(plan, with_fmask=plan.quality, memo_mode="use")
        T, S, C = plan.frames, plan.tile_size, len(preset.bands)
        try:
            for batch in self.batches:
                if self.stop.is_set():
                    return
                x = np.empty((len(batch), C, T, S, S), dtype=np.float32)
                codes = np.empty((len(batch), T, S, S), dtype=np.uint8) if plan.quality else None
                for b, tile in enumerate(batch):
                    for t, reader in enumerate(readers):
                        raw = reader.read(tile.row, tile.col)
                        if raw is None:  # the pre-pass kept it, so the file changed under us
                            raise InputError(f"{reader.info.name} changed during the run")
                        x[b, :, t] = normalise(raw, preset.mean, preset.std, preset.no_data)
                        if codes is not None:
                            codes[b, t] = reader.read_fmask(tile.row, tile.col)
                if not _put(self.q_in, (batch, x, codes), self.stop):
                    return
        finally:
            for r in readers:
                r.close()
            _put(self.q_in, _DONE, self.stop)

    # -- stitch/write thread -------------------------------------------------------------------
    def _stitch_and_write(self) -> None:
        plan = self.plan
        pass_of = {}
        for k, tiles in enumerate(plan.passes):
            for tile in tiles:
                pass_of[tile] = k
        while True:
            item = _get(self.q_out, self.stop)
            if item is _DONE:
                break
            batch, out, codes = item
            for b, tile in enumerate(batch):
                k = pass_of[tile]
                maps, infer = tile_maps(plan, out, b, None if codes is None else codes[b])
                map_until, infer_until = self.next_row[(k, tile)]
                self.map_stitch[k].paste(plan.map_grid.placement(tile), maps)
                self._advance(self.map_stitch[k], self.map_merge, k, map_until, self.out.write_map_rows)
                if self.infer_stitch and plan.infer_grid is not None:  # stitchers exist for that grid only
                    self.infer_stitch[k].paste(plan.infer_grid.placement(tile), infer)
                    self._advance(self.infer_stitch[k], self.infer_merge, k, infer_until,
                                  self.out.write_infer_rows)
                if k == 0 and self.out.tables:
                    for t, writer in self.out.tables.items():
                        writer.append(*table_rows(plan, tile, out.features[b, t]))
        if self.stop.is_set():
            return
        for k, st in enumerate(self.map_stitch):  # passes with no tile left: everything is final
            self._advance(st, self.map_merge, k, plan.map_grid.height, self.out.write_map_rows)
        infer_height = plan.infer_grid.height if plan.infer_grid is not None else 0
        for k, st in enumerate(self.infer_stitch):
            self._advance(st, self.infer_merge, k, infer_height, self.out.write_infer_rows)
        self.out.finish()

    @staticmethod
    def _advance(stitcher: GridStitcher, merger: PassMerger, k: int, until: int,
                 write: Callable[[Mapping[str, np.ndarray]], None]) -> None:
        if until <= stitcher.top:
            return
        _start, rows = stitcher.emit(until)
        merger.feed(k, rows)
        _s, merged = merger.take()
        if merged:
            write(merged)

    # -- main thread: the model ------------------------------------------------------------------
    def execute(self) -> None:
        plan, fb = self.plan, self.fb
        reader = _Worker("planaura-reader", self._read_batches)
        writer = _Worker("planaura-writer", self._stitch_and_write)
        reader.start()  # the first batch is read while the network loads
        writer.start()
        n = len(self.batches)
        rec_frames = sorted(plan.kinds("infer_"))
        want_rec = bool(rec_frames)
        try:
            self.runner = self.load_runner()
            for i in range(n):
                fb.check_cancelled()
                item = _get(self.q_in, self.stop, reader)
                if item is _DONE:
                    break
                batch, x, codes = item
                out = self.runner.infer(x, feature_channels=plan.model_channels, reconstruction=want_rec,
                                        change=plan.change)
                del x
                if want_rec and len(rec_frames) < plan.frames:  # keep only the frames to write
                    assert out.reconstruction is not None  # asked for
                    out.reconstruction = np.ascontiguousarray(out.reconstruction[:, :, rec_frames])
                if writer.error is not None:
                    break
                if not _put(self.q_out, (batch, out, codes), self.stop, writer):
                    break
                fb.progress(PREPASS_SHARE + (1 - PREPASS_SHARE) * 0.98 * (i + 1) / n,
                            f"tile batch {i + 1} of {n}")
            for w in (reader, writer):
                if w.error is not None:
                    raise w.error
            _put(self.q_out, _DONE, self.stop, writer)
            writer.join()
            if writer.error is not None:
                raise writer.error
            if reader.error is not None:
                raise reader.error
        except BaseException:
            self.stop.set()
            for w in (reader, writer):
                w.join(timeout=60)
            self.out.close_tables()
            raise


def run_change_map(request: ChangeMapRequest, feedback: Optional[Feedback] = None) -> Dict[str, str]:
    """Run one image, pair or triple; returns ``{kind: path}`` of the files written.

    Returns an empty dict (with a warning) when no tile has enough valid pixels.
    """
    fb = ensure_feedback(feedback)
    fb.progress(0.0, "checking inputs")
    plan = plan_change_map(request, fb)
    for line in plan.warnings:
        fb.warning(line)
    if not plan.passes[0]:
        fb.warning(no_tile_message(plan))
        return {}
    n_tiles = sum(len(p) for p in plan.passes)
    fb.info(f"{n_tiles} tile(s) of {plan.tile_size} px in {len(plan.passes)} pass(es); "
            f"output grid {plan.map_grid.width} x {plan.map_grid.height}")
    for info, reader in zip(plan.infos[1:], _date_readers(plan, with_fmask=False)[1:]):
        if not reader.same_grid:
            fb.info(f"{os.path.basename(info.name)} is on another grid: it is warped onto each tile (cubic)")

    from ..model.loading import get_runner

    def load_runner():
        return get_runner(request.model.for_run(plan.frames, plan.stride))

    with OutputSet() as outset:
        outputs = _Outputs(plan, outset)
        try:
            _Run(plan, load_runner, outputs, fb).execute()
        except BaseException:
            outputs.close_tables()
            raise
        outset.commit()
    fb.progress(1.0, "done")
    return dict(plan.outputs)
