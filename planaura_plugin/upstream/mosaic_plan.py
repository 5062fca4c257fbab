"""The mosaic part of an upstream plan: reference layer, expected files, pairs found on disk."""
from __future__ import annotations

import os
from pathlib import Path
from typing import List, Mapping, Sequence, Set

from .checkers import ConfigError
from .config import UpstreamConfig
from ..products import (REFERENCE_SUFFIX, all_kinds, mosaic_output_path, pair_raster_files, pair_raster_kinds,
                        product_of, request_fields, set_request_layer)
from .jobs import MosaicJob, PairJob
from ..i18n import _


def _mosaic_reference(config: UpstreamConfig, first: Mapping[str, str]) -> str:
    """Which per-pair layer decides the mosaic: reference_prefix, else cosine_map, else quality_fmask."""
    ref = config["reference_prefix"]
    if ref is not None and ref not in REFERENCE_SUFFIX:
        raise ConfigError(_("reference_prefix '{ref}' is not supported: mosaics are decided by cosine_map or "
                            "quality_fmask").format(ref=ref))
    if ref is not None and ref not in first:
        ref = None  # as upstream: a reference that was not produced is replaced by the default order
    ref = ref or next((k for k in REFERENCE_SUFFIX if k in first), None)
    if ref is None:
        raise ConfigError(_("the mosaic task needs cosine maps (or quality_fmask layers): set change_map.return true "
                            "with num_frames 2 or 3"))
    return ref


def mosaic_job(config: UpstreamConfig, spec, pairs: Sequence[PairJob], save: Mapping[int, Path],
               warnings: List[str]) -> MosaicJob:
    """The mosaic of a plan: its request over the run's pairs (task ``infer``) or the per-pair files
    found in the save folders (``mosaic`` alone), its outputs and the residues ``delete_residues`` removes.

    Raises:
        ConfigError: the mosaic options or the pairs found do not make a mosaic (the message says why).
    """
    from ..pipeline.requests import MosaicInputs, MosaicRequest

    mp = config["mosaic_params"]
    T = config.num_frames
    c = config["concatenate_char"]
    ignore = set(config["ignore_prefixes"] or ())
    known_kinds = set(all_kinds(T, ("mosaic", "both")))
    bad = sorted(ignore - known_kinds)
    if bad:
        raise ConfigError(_("ignore_prefixes: unknown layer kind(s) {bad} (kinds: {value})").format(
                              bad=', '.join(bad), value=', '.join(sorted(known_kinds - {'persistence'}))))
    first = {k: v for k, v in pairs[0].outputs.items() if v.endswith(".tif") and k not in ignore}
    reference = _mosaic_reference(config, first)  # an ignored layer never decides (upstream's order)
    images = list(dict.fromkeys(p for job in pairs for p in job.inputs if os.path.isfile(p)))
    regex = config["change_map"]["date_regex"] or spec.preset.date_regex
    folder = save[0]
    if "infer" in config.tasks:
        mosaic_pairs = []
        for job in pairs:
            o = {k: v for k, v in job.outputs.items() if v.endswith(".tif") and k not in ignore}
            layers = {k: v for k, v in o.items() if k in pair_raster_kinds(T)}
            mosaic_pairs.append(MosaicInputs(**request_fields(layers), inputs=list(job.inputs), pair_id=job.file_id))
        _warn_foreign_pairs(folder, reference, c, {job.file_id for job in pairs}, warnings)
    else:
        mosaic_pairs = _pairs_in_folders(config, save, reference, images, ignore)
    postfix = mp["mosaic_save_postfix"]
    kinds = _mosaic_kinds(first, reference, ignore)
    input_kinds = {"before_input", "after_input"} & ignore
    if len(input_kinds) == 2:  # no input layer at all: the mosaic gets no image to sample
        images = []
        for pair in mosaic_pairs:
            pair.inputs = []
    request = MosaicRequest(pairs=mosaic_pairs, output_dir=str(folder), postfix=postfix,
                            target_crs=mp["target_crs"], target_resolution=mp["target_resolution"],
                            compression=config["tif_compression"], input_images=images, date_regex=regex,
                            concatenate_char=c, reference=reference,
                            kinds=kinds if len(input_kinds) == 1 else None)
    expected = {k: mosaic_output_path(folder, k, postfix, reference) for k in kinds}
    residues = [p for pair in mosaic_pairs for p in pair_raster_files(pair)]
    return MosaicJob(request=request, expected=expected, delete_residues=mp["delete_residues"], residues=residues)


def _mosaic_kinds(first: Mapping[str, str], reference: str, ignore: Set[str]) -> List[str]:
    """The mosaic files a run is expected to write (for the plan and the output checks)."""
    kinds = [reference, "persistence"]
    kinds += [k for k in ("before_date", "after_date", "quality_fmask") if k in first and k != reference]
    kinds += [k for k, d in (("before_input", "before_date"), ("after_input", "after_date")) if d in first]
    kinds += sorted(k for k in first if product_of(k).per_frame)
    return [k for k in kinds if k not in ignore]


def _warn_foreign_pairs(folder: Path, reference: str, c: str, own: Set[str], warnings: List[str]) -> None:
    """Upstream mosaics every per-pair file it finds in the folder; this run mosaics its own pairs."""
    if not folder.is_dir():
        return
    others = sorted(n for n in os.listdir(folder)
                    if n.startswith(reference + c) and n.endswith(".tif")
                    and os.path.splitext(n)[0][len(reference):] not in own)
    if others:
        warnings.append(_("{n_others} other {reference} file(s) in {folder} (e.g. {others}) are not pairs of this CSV "
                          "and are left out of the mosaic (upstream would include them; run task_list [mosaic] alone to"
                          " mosaic everything in the folder)").format(
                            n_others=len(others), reference=reference, folder=folder, others=others[0]))


def _pairs_in_folders(config: UpstreamConfig, save: Mapping[int, Path], reference: str, images: Sequence[str],
                      ignore: Set[str]):
    """task_list [mosaic]: every per-pair file of an earlier run found in the save folders, as upstream."""
    from ..pipeline.persistence_mosaic import find_pair_layers

    c = config["concatenate_char"]
    folder = save[0]
    refs = sorted(str(folder / n) for n in (os.listdir(folder) if folder.is_dir() else [])
                  if n.startswith(reference + c) and n.endswith(".tif"))
    if not refs:
        raise ConfigError(_("mosaic: no {reference}{c}*.tif file in {folder} (inference_save_folder_frame_0); run the "
                            "'infer' task first").format(reference=reference, c=c, folder=folder))
    pairs = find_pair_layers(refs, search_folders=[str(save[k]) for k in sorted(save)], concatenate_char=c,
                             input_images=list(images))
    for pair in pairs:
        for kind in ignore & set(pair_raster_kinds()):
            set_request_layer(pair, kind, None)
    return pairs
