"""change_map.cluster: change types of each pair."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Dict, List, Mapping, Optional

from ..feedback import Feedback
from .config import UpstreamConfig
from .jobs import PairJob, UpstreamPlan

# ---------------------------------------------------------------------------------------
# change_map.cluster: change types of each pair

def types_json(job: PairJob) -> str:
    """The types file written beside a pair's change types raster."""
    from ..analysis.change_types import types_json_path

    assert job.change_types, "only pairs with change types have a types file"
    return types_json_path(job.change_types)


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
    return str(save[0] / f"change_types{job.file_id}.tif")


def cluster_pair(job: PairJob, plan: UpstreamPlan, feedback: Feedback) -> Dict[str, str]:
    """Change types of one pair (change_map.cluster): written beside its cosine map, on its grid."""
    from ..analysis.change_types import change_types_of_pair

    cluster = plan.config["change_map"]["cluster"]
    assert job.change_types, "cluster_pair runs only for pairs with change types"
    feedback.info(f"change types: {os.path.basename(job.change_types)}")
    written = change_types_of_pair(job.request, job.change_types, cluster["max_similarity"],
                                   cluster["min_cluster_size"], reference_grid=job.outputs["cosine_map"],
                                   feedback=feedback)
    return {k: str(v) for k, v in written.items()}
