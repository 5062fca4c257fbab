"""change_map.cluster in a run: the change types of one pair, after its change map."""
from __future__ import annotations

import os
from typing import Dict, Tuple

from ..feedback import Feedback
from ..i18n import _
from ..upstream import PairJob


def cluster_pair(job: PairJob, cluster: Tuple[float, int], feedback: Feedback) -> Dict[str, str]:
    """Change types of one pair (change_map.cluster): written beside its cosine map, on its grid.

    Args:
        job: a pair with ``change_types`` set and its cosine map written.
        cluster: (max_similarity, min_cluster_size) of change_map.cluster.
        feedback: progress and messages.

    Returns:
        kind -> path of the files written (the change types raster and its types file).
    """
    from ..analysis.change_types import change_types_of_pair  # numpy, GDAL, scikit-learn: only when it runs

    assert job.change_types, "cluster_pair runs only for pairs with change types"
    feedback.info(_("change types: {change_types}").format(
                      change_types=os.path.basename(job.change_types)))
    written = change_types_of_pair(job.request, job.change_types, cluster[0], cluster[1],
                                   reference_grid=job.outputs["cosine_map"], feedback=feedback)
    return {k: str(v) for k, v in written.items()}
