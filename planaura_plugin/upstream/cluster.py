"""change_map.cluster: change types of each pair."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Dict, List, Mapping, Optional, Tuple

from ..feedback import Feedback
from ..products import pair_file_name, sidecar_paths
from .config import UpstreamConfig
from .jobs import PairJob
from ..i18n import _

# ---------------------------------------------------------------------------------------
# change_map.cluster: change types of each pair

TYPES_KIND = "change_types"


def types_files(job: PairJob) -> List[str]:
    """The files of a pair's change types: the raster and its sidecars (``.types.json``); [] without."""
    if not job.change_types:
        return []
    return [job.change_types, *sidecar_paths(TYPES_KIND, job.change_types)]


def _change_types_path(config: UpstreamConfig, job: PairJob, save: Mapping[int, Path],
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


def cluster_pair(job: PairJob, cluster: Tuple[float, int], feedback: Feedback) -> Dict[str, str]:
    """Change types of one pair (change_map.cluster): written beside its cosine map, on its grid.

    Args:
        job: a pair with ``change_types`` set and its cosine map written.
        cluster: (max_similarity, min_cluster_size) of change_map.cluster.
        feedback: progress and messages.

    Returns:
        kind -> path of the files written (the change types raster and its types file).
    """
    from ..analysis.change_types import change_types_of_pair

    assert job.change_types, "cluster_pair runs only for pairs with change types"
    feedback.info(_("change types: {change_types}").format(
                      change_types=os.path.basename(job.change_types)))
    written = change_types_of_pair(job.request, job.change_types, cluster[0], cluster[1],
                                   reference_grid=job.outputs["cosine_map"], feedback=feedback)
    return {k: str(v) for k, v in written.items()}
