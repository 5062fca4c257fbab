"""What an upstream plan holds: one job per CSV row, the mosaic job, the plan itself."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Tuple

from ..products import pair_raster_kinds, request_layers
from .config import UpstreamConfig


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
        lines = [f"config: {c.path or '(mapping)'}", f"working folder: {self.cwd}",
                 f"tasks: {', '.join(c.tasks)}",
                 f"model: {spec.preset.name}, checkpoint "
                 f"{spec.checkpoint or f'{spec.repo_id}/{spec.preset.checkpoint_file} (Hugging Face)'}",
                 f"  img_size {spec.config.img_size}, patch {spec.config.patch_size}, stride "
                 f"{spec.config.patch_stride}, frames {spec.config.num_frames}, embed {spec.config.embed_dim}, "
                 f"depth {spec.config.depth}",
                 f"device: {spec.device}, precision {spec.precision}, batch {spec.batch_size}"]
        if "infer" in c.tasks:
            lines.append(f"change maps: {len(self.pairs)} CSV row(s)")
            for job in self.pairs:
                lines.append(f"- row {job.row}: " + " + ".join(job.names))
                for k, (path, fm) in enumerate(zip(job.inputs, job.fmasks)):
                    lines.append(f"    input {k}: {path}" + (f"  (fmask {fm})" if fm else ""))
                for kind, path in job.outputs.items():
                    lines.append(f"    {kind}: {path}")
        if self.mosaic is not None:
            request = self.mosaic.request
            lines.append(f"mosaic: {len(request.pairs)} pair(s) decided by {request.reference} -> "
                         f"{request.target_crs} at {request.target_resolution}")
            if "infer" not in c.tasks:
                for pair in request.pairs:
                    lines.append(f"  - pair {pair.pair_id}: " + ", ".join(
                        os.path.basename(p) for p in _mosaic_pair_files(pair)))
            for kind, path in self.mosaic.expected.items():
                lines.append(f"    {kind}: {path}")
            if self.mosaic.delete_residues:
                lines.append(f"    then delete {len(self.mosaic.residues)} per-pair GeoTIFF(s) (delete_residues)")
        if self.existing_outputs:
            lines.append(f"{len(self.existing_outputs)} existing file(s) will be replaced")
        lines += [f"note: {n}" for n in self.notes]
        lines += [f"WARNING: {w}" for w in self.warnings]
        return "\n".join(lines)

def _mosaic_pair_files(pair) -> List[str]:
    files = list(request_layers(pair, pair_raster_kinds()).values())
    return [f for f in files if f]
