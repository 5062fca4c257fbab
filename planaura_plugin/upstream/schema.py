"""The upstream YAML schema (key -> (checker, default)) and the validation of one section."""
from __future__ import annotations

import difflib
import re
from typing import Any, Dict, List, Mapping, Sequence, Tuple

from ..i18n import N_, _
from ..products import MAX_FRAMES
from .checkers import (REQUIRED, ConfigError, check_anything, check_bbox, check_bool, check_compression,
                       check_concat_char, check_embeddings, check_input_bands, check_null_only, check_opt_path,
                       check_opt_str, check_path, check_postfix, check_precision, check_regex, check_str,
                       check_str_list, check_tasks, float_checker, int_checker, shown)

# ---------------------------------------------------------------------------------------
# the schema: key -> (checker, default). Options without effect here are listed apart.

_CLUSTER = {  # newer upstream: change types of the changed pixels (clusters of embedding differences)
    "return": (check_bool, False),
    "min_cluster_size": (int_checker(2), 20),
    "max_similarity": (float_checker(-1.0, 1.0), 0.6),
}
_CHANGE_MAP = {
    "return": (check_bool, True),
    "upsample_cosine_map": (check_bool, True),
    "save_dates_layer": (check_bool, False),
    "save_fmask_layer": (check_bool, False),
    "fmask_in_bit": (check_bool, False),
    "date_regex": (check_regex, None),
    "cluster": (dict, _CLUSTER),
}
_FEATURE_MAPS = {
    "return": (check_bool, True),
    "write_as_df": (check_bool, True),
    "write_as_csv": (check_bool, False),
    "upsample_feature_map": (check_bool, False),
    "write_as_image": (check_bool, False),
    "embeddings": (check_embeddings, None),
}
_MOSAIC = {
    "target_crs": (check_str, "EPSG:3979"),
    "target_resolution": (float_checker(0.0, exclusive_min=True), 30.0),
    "delete_residues": (check_bool, False),
    "mosaic_save_postfix": (check_postfix, "dummy"),
}
_LOAD_PARAMS = {
    "source": (check_str, "local"),
    "checkpoint_path": (check_opt_path, None),
    "repo_id": (check_opt_str, None),
    "model_name": (check_opt_str, None),
}
_MODEL_PARAMS = {
    "load_params": (dict, _LOAD_PARAMS),
    "keep_pos_embedding": (check_bool, True),
    "backbone": (check_str, "planaura_reconstruction"),
    "bands": (check_anything, None),
    "img_size": (int_checker(16), 512),
    "depth": (int_checker(1), 12),
    "decoder_depth": (int_checker(0), 8),
    "patch_size": (int_checker(1), 16),
    "patch_stride": (int_checker(1), 16),
    "embed_attention": (check_bool, True),
    "embed_dim": (int_checker(16), 768),
    "decoder_embed_dim": (int_checker(16), 512),
    "num_heads": (int_checker(1), 12),
    "decoder_num_heads": (int_checker(1), 16),
    "mask_ratio": (float_checker(0.0, 1.0), 0.75),
    "tubelet_size": (int_checker(1), 1),
    "no_data": (float_checker(), None),
    "no_data_float": (float_checker(), 0.0001),
    "data_mean": (check_anything, None),
    "data_std": (check_anything, None),
    "mlp_ratio": (float_checker(0.0, exclusive_min=True), None),
    # training-only options of the reference, accepted as they are
    "freeze_backbone": (check_anything, None),
    "freeze_encoder": (check_anything, None),
    "resume_encoder_only": (check_anything, None),
    "restore_weights_only": (check_anything, None),
    "ignore_index": (check_anything, None),
    "loss": (check_anything, None),
}
TOP_LEVEL = {
    "task_list": (check_tasks, ("infer", "mosaic")),
    "csv_inference_file": (check_path, REQUIRED),
    "paths_included_in_csvs": (check_bool, True),
    "num_frames": (int_checker(1, MAX_FRAMES), 2),
    "num_predictions": (int_checker(1), 1),
    "minimum_valid_percentage": (float_checker(0.0, 1.0, hint=N_(" (a fraction: 0.7 means 70 %)")), 0.9),
    "concatenate_char": (check_concat_char, "!"),
    "tif_compression": (check_compression, "NONE"),
    "batch_size": (int_checker(0), 4),  # 0: from the free GPU memory (model/devices.py); a CPU then takes 4
    "use_gpu": (check_bool, True),
    "use_multi_gpu": (check_bool, False),  # every GPU, each batch split over them (model/replicas.py)
    "using_multi_gpu": (check_bool, False),  # the spelling of upstream's older configs
    "autocast_float16": (check_bool, False),
    "precision": (check_precision, None),  # plugin key: float32 | bfloat16 | float16 (GPU) | int8 (CPU)
    "save_reconstructed_images": (check_bool, False),
    "process_bbox": (check_bbox, None),
    "process_bbox_crs": (check_opt_str, None),
    "input_bands": (check_input_bands, None),
    "reference_prefix": (check_opt_str, None),
    "ignore_prefixes": (check_str_list, None),
    "conditioned_on": (check_null_only, None),
    "change_map": (dict, _CHANGE_MAP),
    "feature_maps": (dict, _FEATURE_MAPS),
    "mosaic_params": (dict, _MOSAIC),
    "model_params": (dict, _MODEL_PARAMS),
}
# accepted for compatibility; they change nothing here (the message says why)
NO_EFFECT = {
    "data_loader_num_workers": N_("rasters are read by window in the main process"),
    "use_xarray": N_("rasters are read by window with GDAL"),
    "defaults": N_("Hydra composition is not used"),
    "hydra": N_("Hydra composition is not used"),
}
# keys that upstream's documentation gives under another name or that this plugin does not use:
# a config written from the README runs, with a warning (the value says what happens)
DOCUMENTED = {
    "change_map.save_date_layers": N_("the README's spelling of change_map.save_dates_layer; read as that key"),
}
FRAME_KEY = re.compile(r"^inference_(input|save)_folder_frame_(\d+)$")
FRAME_KEY_EXAMPLES = ("inference_input_folder_frame_0", "inference_input_folder_frame_1",
                       "inference_save_folder_frame_0", "inference_save_folder_frame_1")


def _closest(key: str, candidates: Sequence[str], prefix: str = "") -> str:
    match = difflib.get_close_matches(key, list(candidates), n=1, cutoff=0.5)
    return f" (did you mean '{prefix}{match[0]}'?)" if match else ""


def check_section(raw: Mapping[str, Any], schema: Mapping[str, Tuple[Any, Any]], prefix: str,
                   unknown: List[str], extra_known: Sequence[str] = ()) -> Dict[str, Any]:
    """Validate one mapping against ``schema``, filling defaults; unknown keys are collected."""
    out: Dict[str, Any] = {}
    for key, value in raw.items():
        name = f"{prefix}{key}"
        if not isinstance(key, str):
            unknown.append(f"{name!r}")
            continue
        if key not in schema:
            if key not in extra_known:
                unknown.append(name + _closest(key, list(schema) + list(extra_known), prefix))
            continue
        checker, default = schema[key]
        if checker is dict:
            if value is None:
                value = {}
            if not isinstance(value, Mapping):
                raise ConfigError(_("{name} must be a mapping of options, got {value!r}").format(
                                      name=name, value=shown(value)))
            out[key] = check_section(value, default, name + ".", unknown)
        else:
            out[key] = checker(name, value)
    for key, (checker, default) in schema.items():
        if key in out:
            continue
        if checker is dict:
            out[key] = check_section({}, default, f"{prefix}{key}.", unknown)
        elif default is REQUIRED:
            raise ConfigError(_("the required key '{prefix}{key}' is missing from the config").format(
                                  prefix=prefix, key=key))
        else:
            out[key] = default
    return out
