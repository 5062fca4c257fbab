"""Does reducing the embedding differences before clustering find the change types users see?

Issue 21's last question. Change types cluster the unit embedding differences (after - before) of the
changed pixels with HDBSCAN (``analysis/change_types.py``). In 768 channels distances concentrate;
projecting the directions on their first principal components first (scikit-learn's PCA, fitted on
the same sample) is the usual remedy. This script measures both ways against known change kinds:

1. **synthetic two kinds** (the unit test's recipe, ``tests/core/analysis/test_change_types.py``) at
   16 and 768 channels, with noise in every channel at increasing levels;
2. **the sample pair** (``sample_data``, HLS T15SXR 2021250 -> 2022245, 512 x 512 px) and the **scene pair**
   it is cut from (``../shared/data/hls_t15sxr``, 1000 x 1000 px), base architecture with the random-weight
   checkpoint of ``.cache/checkpoints`` unless ``--checkpoint`` gives the official one; change map and
   embeddings at the model stride, truth from ``../shared/data/hls_t15sxr/CHANGES_mask.tif``
   (1 burn scar, 2 clearing, 3 cloud blob; majority over each 16 px patch).

Figures: number of types, adjusted Rand index (ARI) of types against the truth over the changed pixels
that have a truth kind, share of them left as noise. Printed and written to
``bench/results/change_types_reduction_<date>.json``. Run: ``.venv/bin/python bench/change_types_reduction.py``.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import tempfile
from pathlib import Path
from typing import Dict, List, Optional

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))
SHARED = REPO.parent / "shared"
COMPONENTS = (None, 8, 16, 32, 64)  # None: the directions as they are (the behaviour before this measurement)


def cluster(directions: np.ndarray, components: Optional[int], min_cluster_size: int) -> np.ndarray:
    """Type of each direction as ``run_change_types`` gives it: HDBSCAN on the directions (after PCA to
    ``components``; None = none), then every direction assigned to the nearest type within its radius."""
    from planaura_plugin.analysis.change_types import assign_types, fit_types

    types = fit_types(directions, directions, min_cluster_size, components or 0)
    return assign_types(directions.astype(np.float32), types).astype(int)


def score(labels: np.ndarray, truth: np.ndarray) -> Dict[str, float]:
    """Types found, ARI against the truth kinds (noise as its own label), noise share."""
    from sklearn.metrics import adjusted_rand_score

    return {"types": int(len(set(labels.tolist()) - {-1})),
            "ari": round(float(adjusted_rand_score(truth, labels)), 4),
            "noise_share": round(float((labels < 0).mean()), 4)}


def synthetic(channels: int, noise: float, seed: int = 1) -> tuple:
    """Directions of two change kinds (along channel 0 and 5, magnitude 2-4) plus noise in every channel."""
    rng = np.random.default_rng(seed)
    n0, n1 = 400, 700
    diff = rng.normal(scale=noise, size=(n0 + n1, channels))
    diff[:n0, 0] += rng.uniform(2, 4, n0)
    diff[n0:, 5] += rng.uniform(2, 4, n1)
    directions = diff / np.linalg.norm(diff, axis=1, keepdims=True)
    return directions, np.r_[np.zeros(n0, int), np.ones(n1, int)]


def measure_synthetic(min_cluster_size: int) -> List[Dict]:
    rows = []
    for channels in (16, 768):
        for noise in (0.05, 0.1, 0.2, 0.3, 0.4, 0.5):
            directions, truth = synthetic(channels, noise)
            for k in COMPONENTS:
                if k is not None and k >= channels:
                    continue
                rows.append({"case": "synthetic", "channels": channels, "noise": noise, "pca": k,
                             **score(cluster(directions, k, min_cluster_size), truth)})
                print(rows[-1], flush=True)
    return rows


PAIRS = {"sample pair": REPO / "sample_data",  # 512 x 512 px: burn scar and cloud blob
         "scene pair": SHARED / "data/hls_t15sxr"}  # 1000 x 1000 px: burn scar, clearing and cloud blob


def sample_pair_maps(checkpoint: Path, folder: Path, pair: str = "sample pair") -> tuple:
    """(cosine (h, w), before and after embeddings (768, h, w), truth kinds (h, w): 0 none ... 3 cloud) of the
    sample pair at the model stride."""
    from osgeo import gdal

    from planaura_plugin.model.config import ModelConfig
    from planaura_plugin.model.loading import ModelSpec
    from planaura_plugin.pipeline.change_map import run_change_map
    from planaura_plugin.pipeline.requests import ChangeMapOutputs, ChangeMapRequest
    from planaura_plugin.presets import HLS

    spec = ModelSpec(preset=HLS, config=ModelConfig(), checkpoint=str(checkpoint), device="cpu", batch_size=4)
    outputs = ChangeMapOutputs(cosine_map=str(folder / "cos.tif"),
                               feature_maps={0: str(folder / "f0.tif"), 1: str(folder / "f1.tif")})
    sample = PAIRS[pair]
    run_change_map(ChangeMapRequest(inputs=[str(sample / "HLS.S30.T15SXR.2021250T163901.v2.0.tif"),
                                            str(sample / "HLS.S30.T15SXR.2022245T163901.v2.0.tif")],
                                    outputs=outputs, model=spec, upsample=False))
    cos_ds = gdal.Open(str(folder / "cos.tif"))
    cos = cos_ds.ReadAsArray()
    truth_ds = gdal.Warp("", str(SHARED / "data/hls_t15sxr/CHANGES_mask.tif"), format="MEM",
                         outputBounds=_bounds(cos_ds), width=cos.shape[1], height=cos.shape[0],
                         resampleAlg="mode")
    truth = truth_ds.ReadAsArray()
    f0, f1 = (gdal.Open(str(folder / n)).ReadAsArray() for n in ("f0.tif", "f1.tif"))
    return cos, f0, f1, truth


def changed_directions(maps: tuple, max_similarity: float) -> tuple:
    """Unit directions of the pixels below ``max_similarity`` and their truth kinds."""
    cos, f0, f1, truth = maps
    changed = (cos > -100) & (cos < max_similarity) & (f0[0] != -100) & (f1[0] != -100)
    diff = (f1[:, changed] - f0[:, changed]).T
    return diff / np.maximum(np.linalg.norm(diff, axis=1, keepdims=True), 1e-12), truth[changed]


def _bounds(ds) -> tuple:
    gt = ds.GetGeoTransform()
    return (gt[0], gt[3] + gt[5] * ds.RasterYSize, gt[0] + gt[1] * ds.RasterXSize, gt[3])


def measure_sample_pair(checkpoint: Path, min_cluster_size: int, pair: str) -> List[Dict]:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        maps = sample_pair_maps(checkpoint, Path(tmp), pair)
        cos, truth_all = maps[0], maps[3]
        print("cosine by truth kind (median):", {k: float(np.median(cos[(truth_all == k) & (cos > -100)]))
                                                 for k in range(4)}, flush=True)
        for max_similarity in (0.6, 0.8, 0.9, 0.95):
            directions, truth = changed_directions(maps, max_similarity)
            kinds = truth > 0
            counts = {int(k): int((truth == k).sum()) for k in range(4)}
            for k in COMPONENTS:
                labels = cluster(directions, k, min_cluster_size)
                rows.append({"case": pair, "checkpoint": checkpoint.name, "max_similarity": max_similarity,
                             "changed": int(truth.size), "truth_counts": counts, "pca": k,
                             **score(labels[kinds], truth[kinds]),
                             "types_all_changed": int(len(set(labels.tolist()) - {-1}))})
                print(rows[-1], flush=True)
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--checkpoint", type=Path, default=REPO / ".cache/checkpoints/base_s0.pth")
    ap.add_argument("--min-cluster-size", type=int, default=20)
    ap.add_argument("--skip-sample", action="store_true")
    args = ap.parse_args()
    rows = measure_synthetic(args.min_cluster_size)
    if not args.skip_sample:
        for pair in PAIRS:
            rows += measure_sample_pair(args.checkpoint, args.min_cluster_size, pair)
    out = REPO / "bench/results" / f"change_types_reduction_{dt.date.today().isoformat()}.json"
    out.write_text(json.dumps(rows, indent=1))
    print("written", out)


if __name__ == "__main__":
    main()
