"""The upstream YAML schema (key -> (checker, default)) and the validation of one section."""
from __future__ import annotations

import difflib
import re
from typing import Any, Dict, List, Mapping, Sequence, Tuple

from ..i18n import N_, _
from ..products import MAX_FRAMES
from .checkers import (_REQUIRED, ConfigError, shown, _anything, _bbox, _bool, _compression, _concat_char,
                       _embeddings, _float, _input_bands, _int, _null_only, _opt_path, _opt_str, _path, _postfix,
                       _precision, _regex, _str, _str_list, _tasks)

# ---------------------------------------------------------------------------------------
# the schema: key -> (checker, default). Options without effect here are listed apart.

_CLUSTER = {  # newer upstream: change types of the changed pixels (clusters of embedding differences)
    "return": (_bool, False),
    "min_cluster_size": (_int(2), 20),
    "max_similarity": (_float(-1.0, 1.0), 0.6),
}
_CHANGE_MAP = {
    "return": (_bool, True),
    "upsample_cosine_map": (_bool, True),
    "save_dates_layer": (_bool, False),
    "save_fmask_layer": (_bool, False),
    "fmask_in_bit": (_bool, False),
    "date_regex": (_regex, None),
    "cluster": (dict, _CLUSTER),
}
_FEATURE_MAPS = {
    "return": (_bool, True),
    "write_as_df": (_bool, True),
    "write_as_csv": (_bool, False),
    "upsample_feature_map": (_bool, False),
    "write_as_image": (_bool, False),
    "embeddings": (_embeddings, None),
}
_MOSAIC = {
    "target_crs": (_str, "EPSG:3979"),
    "target_resolution": (_float(0.0, exclusive_min=True), 30.0),
    "delete_residues": (_bool, False),
    "mosaic_save_postfix": (_postfix, "dummy"),
}
_LOAD_PARAMS = {
    "source": (_str, "local"),
    "checkpoint_path": (_opt_path, None),
    "repo_id": (_opt_str, None),
    "model_name": (_opt_str, None),
}
_MODEL_PARAMS = {
    "load_params": (dict, _LOAD_PARAMS),
    "keep_pos_embedding": (_bool, True),
    "backbone": (_str, "planaura_reconstruction"),
    "bands": (_anything, None),
    "img_size": (_int(16), 512),
    "depth": (_int(1), 12),
    "decoder_depth": (_int(0), 8),
    "patch_size": (_int(1), 16),
    "patch_stride": (_int(1), 16),
    "embed_attention": (_bool, True),
    "embed_dim": (_int(16), 768),
    "decoder_embed_dim": (_int(16), 512),
    "num_heads": (_int(1), 12),
    "decoder_num_heads": (_int(1), 16),
    "mask_ratio": (_float(0.0, 1.0), 0.75),
    "tubelet_size": (_int(1), 1),
    "no_data": (_float(), None),
    "no_data_float": (_float(), 0.0001),
    "data_mean": (_anything, None),
    "data_std": (_anything, None),
    "mlp_ratio": (_float(0.0, exclusive_min=True), None),
    # training-only options of the reference, accepted as they are
    "freeze_backbone": (_anything, None),
    "freeze_encoder": (_anything, None),
    "resume_encoder_only": (_anything, None),
    "restore_weights_only": (_anything, None),
    "ignore_index": (_anything, None),
    "loss": (_anything, None),
}
_TOP = {
    "task_list": (_tasks, ("infer", "mosaic")),
    "csv_inference_file": (_path, _REQUIRED),
    "paths_included_in_csvs": (_bool, True),
    "num_frames": (_int(1, MAX_FRAMES), 2),
    "num_predictions": (_int(1), 1),
    "minimum_valid_percentage": (_float(0.0, 1.0, hint=N_(" (a fraction: 0.7 means 70 %)")), 0.9),
    "concatenate_char": (_concat_char, "!"),
    "tif_compression": (_compression, "NONE"),
    "batch_size": (_int(0), 4),  # 0: from the free GPU memory (model/devices.py); a CPU then takes 4
    "use_gpu": (_bool, True),
    "use_multi_gpu": (_bool, False),  # every GPU, each batch split over them (model/replicas.py)
    "using_multi_gpu": (_bool, False),  # the spelling of upstream's older configs
    "autocast_float16": (_bool, False),
    "precision": (_precision, None),  # plugin key: float32 | bfloat16 | float16 (GPU) | int8 (CPU)
    "save_reconstructed_images": (_bool, False),
    "process_bbox": (_bbox, None),
    "process_bbox_crs": (_opt_str, None),
    "input_bands": (_input_bands, None),
    "reference_prefix": (_opt_str, None),
    "ignore_prefixes": (_str_list, None),
    "conditioned_on": (_null_only, None),
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
_FRAME_KEY = re.compile(r"^inference_(input|save)_folder_frame_(\d+)$")
_FRAME_KEY_EXAMPLES = ("inference_input_folder_frame_0", "inference_input_folder_frame_1",
                       "inference_save_folder_frame_0", "inference_save_folder_frame_1")


def _closest(key: str, candidates: Sequence[str], prefix: str = "") -> str:
    match = difflib.get_close_matches(key, list(candidates), n=1, cutoff=0.5)
    return f" (did you mean '{prefix}{match[0]}'?)" if match else ""


def _check_section(raw: Mapping[str, Any], schema: Mapping[str, Tuple[Any, Any]], prefix: str,
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
            out[key] = _check_section(value, default, name + ".", unknown)
        else:
            out[key] = checker(name, value)
    for key, (checker, default) in schema.items():
        if key in out:
            continue
        if checker is dict:
            out[key] = _check_section({}, default, f"{prefix}{key}.", unknown)
        elif default is _REQUIRED:
            raise ConfigError(_("the required key '{prefix}{key}' is missing from the config").format(
                                  prefix=prefix, key=key))
        else:
            out[key] = default
    return out
