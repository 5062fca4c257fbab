"""What an upstream plan holds: one job per CSV row, the mosaic job, the plan itself."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Tuple

from ..products import pair_raster_files
from .config import UpstreamConfig
from ..i18n import _


@dataclass
class PairJob:
    """One CSV row: the inputs of one image/pair/triple and what it writes where."""

    row: int  # line number in the CSV (the header is line 1)
    inputs: Tuple[str, ...]
    names: Tuple[str, ...]  # input names without folder and extension (parts of the output names)
    fmasks: Tuple[Optional[str], ...]
    outputs: Dict[str, str]  # kind -> path (GeoTIFFs and feature tables)
    file_id: str  # the part of every output name after the kind (``!A!B``), upstream's pair id
    request: Any = None  # pipeline.requests.ChangeMapRequest
    change_types: Optional[str] = None  # change_map.cluster: change_types<c>A<c>B.tif beside the cosine map


@dataclass
class MosaicJob:
    """The persistence mosaic over every pair, written in the save folder of frame 0."""

    request: Any  # pipeline.requests.MosaicRequest
    expected: Dict[str, str]  # kind -> path the mosaic is expected to write
    delete_residues: bool
    residues: List[str]  # per-pair GeoTIFFs removed after the mosaic when delete_residues


@dataclass
class UpstreamPlan:
    """Everything a run will do, checked before the first model call."""

    config: UpstreamConfig
    cwd: str
    model: Any  # model.loading.ModelSpec
    pairs: List[PairJob]
    mosaic: Optional[MosaicJob]
    notes: List[str] = field(default_factory=list)  # informative lines (options without effect ...)
    warnings: List[str] = field(default_factory=list)
    existing_outputs: List[str] = field(default_factory=list)  # files a run will replace

    def describe(self) -> str:
        """A readable listing of the plan (``--dry-run``)."""
        c = self.config
        spec = self.model
        checkpoint = spec.checkpoint or f"{spec.repo_id}/{spec.preset.checkpoint_file} (Hugging Face)"
        lines = [_("configuration: {path}").format(path=c.path or _("(mapping)")),
                 _("working folder: {path}").format(path=self.cwd),
                 _("tasks: {tasks}").format(tasks=", ".join(c.tasks)),
                 _("model: {name}, checkpoint {checkpoint}").format(name=spec.preset.name, checkpoint=checkpoint),
                 "  " + _("img_size {img_size}, patch {patch}, stride {stride}, frames {frames}, embed {embed}, "
                          "depth {depth}").format(img_size=spec.config.img_size, patch=spec.config.patch_size,
                                                  stride=spec.config.patch_stride, frames=spec.config.num_frames,
                                                  embed=spec.config.embed_dim, depth=spec.config.depth),
                 _("device: {device}, precision {precision}, batch {batch}").format(
                     device=spec.device, precision=spec.precision, batch=spec.batch_size)]
        if "infer" in c.tasks:
            lines.append(_("change maps: {n_pairs} CSV row(s)").format(n_pairs=len(self.pairs)))
            for job in self.pairs:
                lines.append(_("- row {row}: {names}").format(row=job.row, names=" + ".join(job.names)))
                for k, (path, fm) in enumerate(zip(job.inputs, job.fmasks)):
                    lines.append(_("    input {k}: {path}").format(k=k, path=path) + (f"  (fmask {fm})" if fm else ""))
                for kind, path in job.outputs.items():
                    lines.append(f"    {kind}: {path}")
                lines += _size_lines(job)
        if self.mosaic is not None:
            request = self.mosaic.request
            lines.append(_("mosaic: {n_pairs} pair(s) decided by {reference} -> {target_crs} at {target_resolution}")
                           .format(n_pairs=len(request.pairs), reference=request.reference,
                             target_crs=request.target_crs, target_resolution=request.target_resolution))
            if "infer" not in c.tasks:
                for pair in request.pairs:
                    lines.append(_("  - pair {pair_id}: {files}").format(pair_id=pair.pair_id, files=", ".join(
                        os.path.basename(p) for p in pair_raster_files(pair))))
            for kind, path in self.mosaic.expected.items():
                lines.append(f"    {kind}: {path}")
            if self.mosaic.delete_residues:
                lines.append(_("    then delete {n_residues} per-pair GeoTIFF(s) (delete_residues)").format(
                                 n_residues=len(self.mosaic.residues)))
        if self.existing_outputs:
            lines.append(_("{n_existing_outputs} existing file(s) will be replaced").format(
                             n_existing_outputs=len(self.existing_outputs)))
        lines += [f"note: {n}" for n in self.notes]
        lines += [f"WARNING: {w}" for w in self.warnings]
        return "\n".join(lines)

def _size_lines(job: PairJob) -> List[str]:
    """The dry run's size estimate of a pair's outputs, from its first image's declared size."""
    if job.request is None or not job.inputs:
        return []
    from osgeo import gdal

    from ..pipeline.change import LARGE_OUTPUT_BYTES, cheaper_setting, declared_sizes, format_bytes

    try:
        ds = gdal.Open(str(job.inputs[0]))
    except RuntimeError:
        ds = None
    if ds is None:
        return []
    width, height = ds.RasterXSize, ds.RasterYSize
    sizes = declared_sizes(job.request, job.outputs, width, height)
    lines = [_("    sizes at most (first image {width} x {height} px, uncompressed): {listing}; {total} in all").format(
        width=width, height=height, total=format_bytes(sum(sizes.values())),
        listing=", ".join(f"{kind} {format_bytes(size)}" for kind, size in sizes.items()))]
    for kind, size in sizes.items():
        if size > LARGE_OUTPUT_BYTES:
            lines.append(_("    WARNING: {kind} may take {size}: {advice}").format(
                kind=kind, size=format_bytes(size), advice=cheaper_setting(kind)))
    return lines
