"""change_map.cluster in a plan: where the change types of each pair go (computed by
:mod:`planaura_plugin.runs.change_types`)."""
from __future__ import annotations

from pathlib import Path
from typing import List, Mapping, Optional

from ..products import pair_file_name, sidecar_paths
from .config import UpstreamConfig
from .jobs import PairJob

# ---------------------------------------------------------------------------------------
# change_map.cluster: change types of each pair

TYPES_KIND = "change_types"


def types_files(job: PairJob) -> List[str]:
    """The files of a pair's change types: the raster and its sidecars (``.types.json``); [] without."""
    if not job.change_types:
        return []
    return [job.change_types, *sidecar_paths(TYPES_KIND, job.change_types)]


def change_types_path(config: UpstreamConfig, job: PairJob, save: Mapping[int, Path],
                      notes: List[str]) -> Optional[str]:
    """``change_types<c>A<c>B.tif`` in the cosine map's folder when change_map.cluster.return is true."""
    cluster = config["change_map"]["cluster"]
    if not cluster["return"]:
        return None
    if "cosine_map" not in job.outputs or config.num_frames != 2:
        note = ("change_map.cluster needs change maps of pairs (num_frames 2, change_map.return true); "
                "no change types are computed")
        if note not in notes:
            notes.append(note)
        return None
    return str(save[0] / pair_file_name(TYPES_KIND, job.file_id))
