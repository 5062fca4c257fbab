"""GDAL metadata keys written on every per-pair output.

File names are not reliable (the QGIS modeler passes temporary names), so each output
says what it is, which inputs and dates made it, and where its companion outputs are.
Values are strings; lists and dicts are JSON.
"""
from __future__ import annotations

import json
from typing import Dict, Mapping, Optional, Sequence

KIND = "PLANAURA_KIND"  # output kind, one of requests.OUTPUT_KINDS
INPUTS = "PLANAURA_INPUTS"  # JSON list of the input image paths, in frame order
DATES = "PLANAURA_DATES"  # JSON list of YYYYDDD per input (null where the name holds no date)
COMPANIONS = "PLANAURA_COMPANIONS"  # JSON {kind: final path} of the other outputs of the run
FRAME = "PLANAURA_FRAME"  # frame index of feature_maps_<t>, infer_<t>, feature_table_<t>
PATCH_STRIDE = "PLANAURA_PATCH_STRIDE"  # 16 (fast) or 1 (dense)
UPSAMPLED = "PLANAURA_UPSAMPLED"  # "true" when stride-p maps were upsampled to the input grid
EMBEDDINGS = "PLANAURA_EMBEDDINGS"  # JSON list of the embedding channels in a feature raster/table
MODEL = "PLANAURA_MODEL"  # preset (checkpoint family) name
CHECKPOINT = "PLANAURA_CHECKPOINT"  # the weights file used (path), when known

ALL_KEYS = (KIND, INPUTS, DATES, COMPANIONS, FRAME, PATCH_STRIDE, UPSAMPLED, EMBEDDINGS, MODEL, CHECKPOINT)


def output_metadata(kind: str, inputs: Sequence[str], dates: Sequence[Optional[int]],
                    companions: Mapping[str, str], patch_stride: int, upsampled: bool,
                    model: str = "", frame: Optional[int] = None,
                    embeddings: Optional[Sequence[int]] = None, checkpoint: str = "") -> Dict[str, str]:
    """The metadata dict of one output (its own kind is left out of the companions)."""
    md = {
        KIND: kind,
        INPUTS: json.dumps([str(p) for p in inputs]),
        DATES: json.dumps([None if d is None else int(d) for d in dates]),
        COMPANIONS: json.dumps({k: str(v) for k, v in companions.items() if k != kind}),
        PATCH_STRIDE: str(int(patch_stride)),
        UPSAMPLED: "true" if upsampled else "false",
    }
    if model:
        md[MODEL] = model
    if checkpoint:
        md[CHECKPOINT] = str(checkpoint)
    if frame is not None:
        md[FRAME] = str(int(frame))
    if embeddings is not None:
        md[EMBEDDINGS] = json.dumps([int(e) for e in embeddings])
    return md


def read_metadata(path: str) -> Dict[str, object]:
    """The PLANAURA_* metadata of a raster, JSON values decoded (empty when there is none)."""
    from osgeo import gdal

    from ..gdal_calls import gdal_call

    ds, _reason = gdal_call(gdal.Open, str(path))
    if ds is None:
        return {}
    raw = ds.GetMetadata() or {}
    out: Dict[str, object] = {}
    for key in ALL_KEYS:
        if key in raw:
            value = raw[key]
            try:
                out[key] = json.loads(value)
            except ValueError:
                out[key] = value
    if KIND in raw:
        out[KIND] = raw[KIND]
    return out
