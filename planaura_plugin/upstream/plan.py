"""The plan of an upstream run: CSV rows resolved into change-map and mosaic requests."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional, Sequence, Set, Tuple, Union

from ..errors import InputError, OutputError
from ..inputs.datasets import exists as dataset_exists
from ..inputs.datasets import fmask_beside
from ..products import pair_raster_files
from .checkers import ConfigError, shown
from .cluster import change_types_path, types_files
from .config import UpstreamConfig, load_config
from .jobs import PairJob, UpstreamPlan
from .mosaic_plan import mosaic_job
from .model_yaml import model_spec
from .outputs import change_request, pair_outputs, file_id
from .rows import check_csv_name, check_output_name, is_gdal_name, output_name, read_csv_rows, resolve_path
from .schema import DOCUMENTED, NO_EFFECT
from ..i18n import _


@dataclass
class _PlanContext:
    """What every CSV row of a plan is resolved against (built once by :func:`build_plan`)."""

    config: UpstreamConfig
    cwd: Path
    spec: Any  # model.loading.ModelSpec
    save: Dict[int, Path]  # frame -> save folder
    in_folders: Dict[int, Path]  # frame -> input folder (paths_included_in_csvs false)
    check_files: bool
    notes: List[str] = field(default_factory=list)
    warnings: List[str] = field(default_factory=list)

    @property
    def need_dates(self) -> bool:
        cm = self.config["change_map"]
        return bool(cm["return"] and self.config.num_frames >= 2 and cm["save_dates_layer"]) \
            or "mosaic" in self.config.tasks

    @property
    def date_regex(self) -> str:
        return self.config["change_map"]["date_regex"] or self.spec.preset.date_regex


def _folder_notes(config: UpstreamConfig, notes: List[str]) -> None:
    """Notes on the frame folders the run does not use."""
    T = config.num_frames
    for frame, _folder in sorted(config.input_folders.items()):
        if frame >= T:
            notes.append(_("inference_input_folder_frame_{frame} is not used (num_frames is {t})").format(
                             frame=frame, t=T))
        elif config["paths_included_in_csvs"]:
            notes.append(_("inference_input_folder_frame_{frame} is not used: paths_included_in_csvs is true, the CSV "
                           "holds the paths").format(frame=frame))
    for frame in sorted(config.save_folders):
        if frame >= T:
            notes.append(_("inference_save_folder_frame_{frame} is not used (num_frames is {t})").format(
                             frame=frame, t=T))


def _config_notes(config: UpstreamConfig, notes: List[str], warnings: List[str]) -> None:
    """Notes and warnings on options that change nothing or less than their name says."""
    for key, value in config.no_effect.items():
        notes.append(_("{key}: {value!r} has no effect here ({no_effect})").format(
                         key=key, value=shown(value), no_effect=_(NO_EFFECT[key])))
    for key, value in config.documented.items():
        warnings.append(f"{key}: {shown(value)!r}: {_(DOCUMENTED[key])}")
    _folder_notes(config, notes)
    cm, fm = config["change_map"], config["feature_maps"]
    if config.num_frames == 1 and cm["return"]:
        notes.append(_("change_map: no change map with num_frames 1 (static mode); only embeddings are computed"))
    if fm["return"] and fm["write_as_df"] and fm["write_as_csv"]:
        warnings.append(_("feature_maps.write_as_df and write_as_csv are both true: the feature table is written once, "
                          "as GeoParquet"))
    if fm["return"] and fm["upsample_feature_map"] and config["model_params"]["patch_stride"] == 1:
        notes.append(_("feature_maps.upsample_feature_map has no effect at patch_stride 1: the features are already one"
                       " per pixel"))
    if "infer" in config.tasks and config["mosaic_params"]["delete_residues"] and "mosaic" not in config.tasks:
        notes.append(_("mosaic_params.delete_residues has no effect without the mosaic task"))


def _row_entry(ctx: _PlanContext, row: int, k: int, entry: str) -> Tuple[str, str]:
    """(path, output name) of entry ``k`` of a CSV row, after the checks of path, existence and date."""
    config = ctx.config
    column = f"input_file_{k}"
    path: Union[str, Path]
    if config["paths_included_in_csvs"]:
        path = entry if is_gdal_name(entry) else resolve_path(entry, ctx.cwd)
    else:
        check_csv_name(entry, row, column)
        path = ctx.in_folders[k] / entry
    name = output_name(entry)
    check_output_name(name, entry, row)
    if ctx.check_files and not (dataset_exists(path) if isinstance(path, str)
                                else path.is_file() or path.is_dir()):  # a folder: HLS granule, SAFE
        if "infer" in config.tasks:
            raise ConfigError(_("CSV line {row}, {column}: the image {path} does not exist").format(
                                  row=row, column=column, path=path))
        ctx.warnings.append(_("CSV line {row}, {column}: the image {path} does not exist; the before/after input "
                              "mosaics cannot use it").format(row=row, column=column, path=path))
    if ctx.need_dates:
        from ..dates import date_from_name
        try:
            date_from_name(str(path), ctx.date_regex)
        except InputError as exc:
            if _product_date(str(path)) is None:
                raise ConfigError(_("CSV line {row}, {column}: {exc}").format(
                                      row=row, column=column, exc=exc)) from None
    return str(path), name


def _row_fmasks(ctx: _PlanContext, inputs: Sequence[str]) -> List[Optional[str]]:
    """The Fmask beside each input (``fmask_<name>``) when change_map.save_fmask_layer asks for quality."""
    cm = ctx.config["change_map"]
    fmasks: List[Optional[str]] = []
    for path in inputs:
        fmask = None
        if cm["return"] and ctx.config.num_frames >= 2 and cm["save_fmask_layer"]:
            candidate = Path(path).parent / f"fmask_{Path(path).name}"  # upstream's name for it
            found = fmask_beside(path)  # the one lookup (also inside zips and for fmask_<stem>.tif)
            if found or not ctx.check_files:
                fmask = found or str(candidate)
            elif _product_date(path) is not None:
                pass  # a product's own quality layer (HLS Fmask, Sentinel-2 SCL) is used
            else:
                ctx.warnings.append(_("no Fmask file {name} beside {path}: that date counts as clear").format(
                                        name=candidate.name, path=path))
        fmasks.append(fmask)
    return fmasks


def _pair_job(ctx: _PlanContext, row: int, entries: Sequence[str], seen_ids: Dict[str, int]) -> PairJob:
    """The job of one CSV row: inputs, Fmasks, outputs, change-map request, change types."""
    config = ctx.config
    resolved = [_row_entry(ctx, row, k, entry) for k, entry in enumerate(entries)]
    inputs = [path for path, _name in resolved]
    names = [name for _path, name in resolved]
    fmasks = _row_fmasks(ctx, inputs)
    outputs = pair_outputs(config, names, ctx.save)
    job = PairJob(row=row, inputs=tuple(inputs), names=tuple(names), fmasks=tuple(fmasks), outputs=outputs,
                  file_id=file_id(names, config["concatenate_char"]))
    if not outputs:
        raise ConfigError(_("nothing to compute: change_map.return, feature_maps.return and save_reconstructed_images "
                            "are all off (or give nothing with num_frames {num_frames})").format(
                              num_frames=config.num_frames))
    fid = job.file_id
    if fid in seen_ids:
        raise ConfigError(_("CSV lines {seen_ids} and {row} give the same output names (*{fid}.tif): their files would "
                            "overwrite each other").format(seen_ids=seen_ids[fid], row=row, fid=fid))
    seen_ids[fid] = row
    job.request = change_request(config, ctx.spec, inputs, fmasks, outputs)
    job.change_types = change_types_path(config, job, ctx.save, ctx.notes)
    return job


def _pair_jobs(ctx: _PlanContext, rows: Sequence[Tuple[int, Tuple[str, ...]]]) -> List[PairJob]:
    """One job per distinct CSV row (a repeated row is processed once, with a warning)."""
    pairs: List[PairJob] = []
    seen_entries: Dict[Tuple[str, ...], int] = {}
    seen_ids: Dict[str, int] = {}
    for row, entries in rows:
        if entries in seen_entries:
            ctx.warnings.append(_("CSV line {row} repeats line {seen_entries}; it is processed once").format(
                                    row=row, seen_entries=seen_entries[entries]))
            continue
        seen_entries[entries] = row
        pairs.append(_pair_job(ctx, row, entries, seen_ids))
    return pairs


def build_plan(config: UpstreamConfig, cwd: Union[str, os.PathLike, None] = None, device: Optional[str] = None,
               check_files: bool = True) -> UpstreamPlan:
    """Resolve the CSV rows into requests and check every path, before any model work.

    Args:
        config: the validated config (:func:`load_config`).
        cwd: the folder relative paths start from (default: the current folder).
        device: cpu / cuda / auto, overriding use_gpu; None keeps the config's choice.
        check_files: False skips the existence checks of inputs and checkpoint (tests).

    Returns:
        The plan: one job per CSV row, the mosaic job, notes and warnings.

    Raises:
        ConfigError: a row, a name or a key that cannot be run. OutputError: a destination that is not safe.
    """
    resolved_cwd = Path(cwd or os.getcwd()).resolve()
    T = config.num_frames
    notes: List[str] = []
    warnings: List[str] = []
    _config_notes(config, notes, warnings)
    spec = model_spec(config, resolved_cwd, device, check_checkpoint=check_files)
    if T == 1 and spec.config.keep_pos_embedding:
        notes.append(_("num_frames 1 with keep_pos_embedding true: upstream asks for false in static mode"))
    ctx = _PlanContext(config=config, cwd=resolved_cwd, spec=spec, check_files=check_files,
                       save={k: resolve_path(config.save_folders[k], resolved_cwd) for k in range(T)},
                       in_folders={k: resolve_path(config.input_folders[k], resolved_cwd)
                                   for k in range(T) if k in config.input_folders},
                       notes=notes, warnings=warnings)
    csv_path = resolve_path(config["csv_inference_file"], resolved_cwd)
    pairs = _pair_jobs(ctx, read_csv_rows(csv_path, T))
    mosaic = mosaic_job(config, spec, pairs, ctx.save, warnings) if "mosaic" in config.tasks else None
    plan = UpstreamPlan(config=config, cwd=str(resolved_cwd), model=spec, pairs=pairs, mosaic=mosaic, notes=notes,
                        warnings=warnings)
    _check_destinations(plan, ctx.save, csv_path)
    return plan


def _product_date(path: str) -> Optional[int]:
    """The acquisition date of imagery as distributed (HLS granule file or folder, Sentinel-2 product), else None."""
    from ..inputs.products import resolve_product

    try:
        product = resolve_product(path)
    except InputError:
        return None
    return product.date if product is not None else None


def _check_destinations(plan: UpstreamPlan, save: Mapping[int, Path], csv_path: Path) -> None:
    """Outputs stay in their save folders and never replace an input."""
    inputs: Set[str] = {os.path.realpath(csv_path)}
    if plan.config.path:
        inputs.add(os.path.realpath(plan.config.path))
    if plan.model.checkpoint:
        inputs.add(os.path.realpath(plan.model.checkpoint))
    input_dirs: Set[str] = set()
    for job in plan.pairs:
        for p in list(job.inputs) + [f for f in job.fmasks if f]:
            inputs.add(os.path.realpath(p))
            input_dirs.add(os.path.realpath(os.path.dirname(p)))
    for frame, folder in save.items():
        if folder.exists() and not folder.is_dir():
            raise OutputError(_("inference_save_folder_frame_{frame} ({folder}) is a file, not a folder").format(
                                  frame=frame, folder=folder))
    folders = {os.path.realpath(p) for p in save.values()}
    outputs: List[str] = []
    if "infer" in plan.config.tasks:
        outputs += [p for job in plan.pairs for p in job.outputs.values()]
        outputs += [p for job in plan.pairs for p in types_files(job)]
    elif plan.mosaic is not None:  # the per-pair files of an earlier run are the mosaic's inputs
        inputs.update(os.path.realpath(p) for pair in plan.mosaic.request.pairs for p in pair_raster_files(pair))
    if plan.mosaic is not None:
        outputs += list(plan.mosaic.expected.values())
    for out in outputs:
        # the file is replaced, not written through: its folder must be a save folder (links resolved)
        out_folder = os.path.realpath(os.path.dirname(out))
        if out_folder not in folders:
            raise OutputError(_("the output {out} would be written outside the save folders; check concatenate_char, "
                                "mosaic_save_postfix and the CSV names").format(out=out))
        targets = {os.path.join(out_folder, os.path.basename(out)), os.path.realpath(out)}
        if targets & inputs:
            raise OutputError(_("the output {out} is also an input of this run; choose other save folders").format(
                                  out=out))
    shared = sorted(folders & input_dirs)
    if shared:
        plan.warnings.append(_("save folder(s) {folders} also hold input images; upstream advises separate folders (no "
                               "output name equals an input name, so inputs are safe)").format(
                                   folders=", ".join(shared)))
    plan.existing_outputs = [p for p in outputs if os.path.lexists(p)]


def plan_from_file(path: os.PathLike, cwd: Optional[os.PathLike] = None, device: Optional[str] = None) -> UpstreamPlan:
    """:func:`load_config` then :func:`build_plan`."""
    return build_plan(load_config(path), cwd=cwd, device=device)
