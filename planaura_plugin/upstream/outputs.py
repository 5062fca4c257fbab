"""What each CSV row of an upstream config writes where, and the change-map request of a row."""
from __future__ import annotations

from pathlib import Path
from typing import Dict, Mapping, Optional, Sequence

from ..products import frame_kind, pair_file_name, request_fields
from .config import UpstreamConfig


def file_id(names: Sequence[str], concatenate_char: str) -> str:
    """Upstream's pair id, the part of the output names after the kind: ``!A!B``."""
    return concatenate_char + concatenate_char.join(names)


def pair_outputs(config: UpstreamConfig, names: Sequence[str], save: Mapping[int, Path]) -> Dict[str, str]:
    """kind -> path of what one row writes, named ``<kind><c><name0><c><name1>``."""
    T = config.num_frames
    fid = file_id(names, config["concatenate_char"])
    cm, fm = config["change_map"], config["feature_maps"]
    out: Dict[str, str] = {}

    def put(kind: str, frame: int, ext: str = ".tif") -> None:
        key = kind if ext == ".tif" else frame_kind("feature_table", frame)  # upstream names tables as maps
        out[key] = str(save[frame] / pair_file_name(kind, fid, ext))

    if cm["return"] and T >= 2:
        put("cosine_map", 0)
        if cm["save_dates_layer"]:
            put("before_date", 0)
            put("after_date", 0)
        if cm["save_fmask_layer"]:
            put("quality_fmask", 0)
    if fm["return"]:
        for k in range(T):
            if fm["write_as_image"]:
                put(f"feature_maps_{k}", k)
            if fm["write_as_df"]:
                put(f"feature_maps_{k}", k, ".geoparquet")
            elif fm["write_as_csv"]:
                put(f"feature_maps_{k}", k, ".csv")
    if config["save_reconstructed_images"]:
        for k in range(T):
            put(f"infer_{k}", k)
    return out


def change_request(config: UpstreamConfig, spec, inputs: Sequence[str], fmasks: Sequence[Optional[str]],
                   outputs: Mapping[str, str]):
    """The ``ChangeMapRequest`` of one CSV row: its images, Fmask files and outputs (from
    :func:`pair_outputs`) with the config's change-map options and the model ``spec``."""
    from ..pipeline.requests import ChangeMapOutputs, ChangeMapRequest

    outs = ChangeMapOutputs(**request_fields(outputs))
    cm = config["change_map"]
    return ChangeMapRequest(
        inputs=list(inputs), outputs=outs, model=spec, fmasks=list(fmasks), fmask_bitwise=cm["fmask_in_bit"],
        missing_quality_clear=True,  # SPEC 4: without an Fmask file a date counts as clear (golden parity)
        patch_stride=spec.config.patch_stride, upsample=cm["upsample_cosine_map"],
        num_predictions=config["num_predictions"], min_valid=config["minimum_valid_percentage"],
        date_regex=cm["date_regex"] or spec.preset.date_regex, bbox=config["process_bbox"],
        bbox_crs=config["process_bbox_crs"], embeddings=config["feature_maps"]["embeddings"],
        compression=config["tif_compression"], upsample_tables=config["feature_maps"]["upsample_feature_map"],
        bands=[config["input_bands"]] * len(inputs) if config["input_bands"] else (),
        provenance_file=False)  # the upstream layout has no such file; the run manifest holds the record
