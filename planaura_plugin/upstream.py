"""Run an upstream Planaura YAML (the config of NRCan's ``infer_geotiff.py``) with this core.

Upstream users keep their config, their CSV and their folder layout:
``python -m planaura_plugin run planaura_hls_config.yaml`` writes the same file names into
the same folders. The run is built in two steps so that every mistake is found before any
model work: :func:`load_config` reads and validates the YAML (unknown keys, types, missing
keys), :func:`build_plan` resolves the CSV rows into change-map and mosaic requests and
checks where they would write; :func:`execute_plan` then runs them.

Paths in the YAML and in the CSV are relative to the current working directory, as
upstream. Defaults of keys left out are upstream's (``setup_config`` in infer_geotiff.py).
"""
from __future__ import annotations

import csv
import difflib
import os
import re
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable, Dict, List, Mapping, Optional, Sequence, Set, Tuple, Union

from .errors import CheckpointError, InputError, MissingDependencyError, OutputError, PlanauraError
from .feedback import Feedback, ScaledFeedback, ensure_feedback
from .inputs.datasets import exists as dataset_exists

TASKS = ("infer", "mosaic")
COMPRESSIONS = ("LZW", "DEFLATE", "ZSTD", "NONE")
MAX_FRAMES = 3

# per-pair kinds written in the save folder of frame 0; feature maps / reconstructions /
# feature tables of frame k go to the save folder of frame k
PAIR_KINDS_FRAME0 = ("cosine_map", "before_date", "after_date", "quality_fmask")
# sidecars GDAL or the reference may leave next to a GeoTIFF (removed with it by delete_residues)
SIDECAR_SUFFIXES = (".tfw", ".aux.xml", ".ovr", ".qml")

_REQUIRED = object()  # marker: the key has no default


class ConfigError(InputError):
    """The upstream YAML or its CSV is not usable; the message says which key or row."""


# ---------------------------------------------------------------------------------------
# value checkers: each returns the normalised value or raises ConfigError naming the key

def _type_name(value: Any) -> str:
    return type(value).__name__ if value is not None else "nothing (null)"


def _bool(key: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    raise ConfigError(f"{key} must be true or false, got {value!r}")


def _int(minimum: Optional[int] = None, maximum: Optional[int] = None) -> Callable[[str, Any], int]:
    def check(key: str, value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or int(value) != value:
            raise ConfigError(f"{key} must be a whole number, got {value!r}")
        value = int(value)
        if minimum is not None and value < minimum or maximum is not None and value > maximum:
            span = f"between {minimum} and {maximum}" if maximum is not None else f"at least {minimum}"
            raise ConfigError(f"{key} must be {span}, got {value}")
        return value
    return check


def _float(minimum: Optional[float] = None, maximum: Optional[float] = None, hint: str = "",
           exclusive_min: bool = False) -> Callable[[str, Any], float]:
    def check(key: str, value: Any) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ConfigError(f"{key} must be a number, got {value!r}")
        value = float(value)
        low_bad = minimum is not None and (value <= minimum if exclusive_min else value < minimum)
        if low_bad or (maximum is not None and value > maximum):
            raise ConfigError(f"{key} must be {'above' if exclusive_min else 'at least'} {minimum}"
                              + (f" and at most {maximum}" if maximum is not None else "")
                              + f", got {value}{hint}")
        return value
    return check


def _str(key: str, value: Any) -> str:
    if not isinstance(value, str):
        raise ConfigError(f"{key} must be text, got {_type_name(value)} {value!r}")
    return value


def _opt_str(key: str, value: Any) -> Optional[str]:
    return None if value is None or value == "" else _str(key, value)


def _path(key: str, value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{key} must be a file or folder path, got {value!r}")
    return value.strip()


def _opt_path(key: str, value: Any) -> Optional[str]:
    return None if value is None or value == "" else _path(key, value)


def _tasks(key: str, value: Any) -> Tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, (list, tuple)) or not value:
        raise ConfigError(f"{key} must be a list holding 'infer' and/or 'mosaic', got {value!r}")
    bad = [v for v in value if v not in TASKS]
    if bad:
        raise ConfigError(f"{key}: unknown task(s) {', '.join(map(repr, bad))}; the tasks are 'infer' and 'mosaic'")
    return tuple(t for t in TASKS if t in value)


def _compression(key: str, value: Any) -> str:
    text = "NONE" if value is None else str(value).strip().upper()
    if text not in COMPRESSIONS:
        raise ConfigError(f"{key} must be one of {', '.join(COMPRESSIONS)}, got {value!r}")
    return text


def _precision(key: str, value: Any) -> Optional[str]:
    """The plugin's ``precision`` key: float32, bfloat16, float16 or int8 (None = from autocast_float16)."""
    from .model.precision import PRECISIONS

    value = _opt_str(key, value)
    if value is not None and value not in PRECISIONS:
        raise ConfigError(f"{key} must be one of {', '.join(PRECISIONS)}, got {value!r}")
    return value


def _concat_char(key: str, value: Any) -> str:
    value = _str(key, value)
    if not value or any(c in value for c in ("/", "\\", "\0")) or value in (".", ".."):
        raise ConfigError(f"{key} must be one or more characters that can be part of a file name "
                          f"(not a path separator), got {value!r}")
    return value


def _postfix(key: str, value: Any) -> str:
    value = "" if value is None else str(value)
    if any(c in value for c in ("/", "\\", "\0")) or ".." in value:
        raise ConfigError(f"{key} must be text usable in a file name (no path separator, no '..'), got {value!r}")
    return value


def _regex(key: str, value: Any) -> Optional[str]:
    value = _opt_str(key, value)
    if value is None:
        return None
    try:
        compiled = re.compile(value)
    except re.error as exc:
        raise ConfigError(f"{key} is not a valid regular expression ({exc}): {value!r}") from exc
    if compiled.groups < 1:
        raise ConfigError(f"{key} must hold one group (...) around the date digits, e.g. \\.(\\d{{7}})T; "
                          f"got {value!r}")
    return value


def _embeddings(key: str, value: Any) -> Optional[Tuple[int, ...]]:
    if value is None or value == []:
        return None  # upstream: every channel
    if not isinstance(value, (list, tuple)):
        raise ConfigError(f"{key} must be a list of channel indices, got {value!r}")
    out = tuple(_int(0)(f"{key}[{i}]", v) for i, v in enumerate(value))
    if len(set(out)) != len(out):
        raise ConfigError(f"{key} lists a channel twice: {list(out)}")
    return out


def _input_bands(key: str, value: Any) -> Optional[Tuple[int, ...]]:
    """Our extension: 1-based band numbers of B02, B03, B04, B8A, B11, B12 in every input image."""
    if value is None:
        return None
    if not isinstance(value, (list, tuple)) or len(value) != 6:
        raise ConfigError(f"{key} must list the 6 band numbers of B02, B03, B04, B8A, B11, B12 (1-based), "
                          f"e.g. [2, 3, 4, 9, 12, 13] for a 13-band Sentinel-2 stack; got {value!r}")
    return tuple(_int(1)(f"{key}[{i}]", v) for i, v in enumerate(value))


def _bbox(key: str, value: Any) -> Optional[Tuple[float, float, float, float]]:
    if value is None:
        return None
    if not isinstance(value, (list, tuple)) or len(value) != 4:
        raise ConfigError(f"{key} must be [minx, miny, maxx, maxy], got {value!r}")
    box = tuple(_float()(f"{key}[{i}]", v) for i, v in enumerate(value))
    if not (box[0] < box[2] and box[1] < box[3]):
        raise ConfigError(f"{key} must be [minx, miny, maxx, maxy] with minx < maxx and miny < maxy, got {list(box)}")
    return box  # type: ignore[return-value]


def _str_list(key: str, value: Any) -> Optional[Tuple[str, ...]]:
    if value is None:
        return None
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, (list, tuple)):
        raise ConfigError(f"{key} must be a list of layer kinds, got {value!r}")
    return tuple(_str(f"{key}[{i}]", v) for i, v in enumerate(value))


def _anything(key: str, value: Any) -> Any:
    return value


def _null_only(key: str, value: Any) -> Any:
    if value is not None:
        raise ConfigError(f"{key} (conditioned inference) is not supported by this plugin; leave it out or null")
    return None


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
    "minimum_valid_percentage": (_float(0.0, 1.0, hint=" (a fraction: 0.7 means 70 %)"), 0.9),
    "concatenate_char": (_concat_char, "!"),
    "tif_compression": (_compression, "NONE"),
    "batch_size": (_int(1), 4),
    "use_gpu": (_bool, True),
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
    "use_multi_gpu": "one device is used; DataParallel is not needed for tiles processed in batches",
    "using_multi_gpu": "one device is used; DataParallel is not needed for tiles processed in batches",
    "data_loader_num_workers": "rasters are read by window in the main process",
    "use_xarray": "rasters are read by window with GDAL",
    "defaults": "Hydra composition is not used",
    "hydra": "Hydra composition is not used",
}
# keys that upstream's documentation gives under another name or that this plugin does not use:
# a config written from the README runs, with a warning (the value says what happens)
DOCUMENTED = {
    "change_map.save_date_layers": "the README's spelling of change_map.save_dates_layer; read as that key",
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
                raise ConfigError(f"{name} must be a mapping of options, got {value!r}")
            out[key] = _check_section(value, default, name + ".", unknown)
        else:
            out[key] = checker(name, value)
    for key, (checker, default) in schema.items():
        if key in out:
            continue
        if checker is dict:
            out[key] = _check_section({}, default, f"{prefix}{key}.", unknown)
        elif default is _REQUIRED:
            raise ConfigError(f"the required key '{prefix}{key}' is missing from the config")
        else:
            out[key] = default
    return out


# ---------------------------------------------------------------------------------------
# the validated configuration

@dataclass(frozen=True)
class UpstreamConfig:
    """An upstream YAML after validation: every key present, defaults filled in."""

    path: Optional[str]  # the YAML file (None when built from a mapping)
    values: Dict[str, Any]  # validated top-level keys and sections (upstream names)
    input_folders: Dict[int, str]  # frame -> inference_input_folder_frame_<k>
    save_folders: Dict[int, str]  # frame -> inference_save_folder_frame_<k>
    no_effect: Dict[str, Any]  # options accepted that change nothing here
    documented: Dict[str, Any] = field(default_factory=dict)  # DOCUMENTED keys found (dotted name -> value)

    def __getitem__(self, key: str) -> Any:
        return self.values[key]

    @property
    def num_frames(self) -> int:
        return self.values["num_frames"]

    @property
    def tasks(self) -> Tuple[str, ...]:
        return self.values["task_list"]


class _UniqueKeyLoader:
    """A PyYAML SafeLoader that refuses a key given twice (PyYAML keeps the last silently)."""

    @staticmethod
    def make():
        import yaml

        class Loader(yaml.SafeLoader):
            pass

        def construct_mapping(loader, node, deep=False):
            seen: Set[Any] = set()
            for key_node, _value in node.value:
                key = loader.construct_object(key_node, deep=deep)
                if key in seen:
                    raise ConfigError(f"the key '{key}' is given twice (line {key_node.start_mark.line + 1})")
                seen.add(key)
            return yaml.SafeLoader.construct_mapping(loader, node, deep=deep)

        Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, construct_mapping)
        return Loader


def read_yaml(path: os.PathLike) -> Dict[str, Any]:
    """The YAML file as a mapping, with errors that name the file and the line."""
    import yaml

    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"the config file {path} does not exist") from None
    except OSError as exc:
        raise ConfigError(f"cannot read the config file {path}: {exc.strerror or exc}") from exc
    try:
        data = yaml.load(text, Loader=_UniqueKeyLoader.make())  # noqa: S506 - a SafeLoader subclass
    except ConfigError as exc:
        raise ConfigError(f"{path}: {exc}") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path} is not valid YAML: {str(exc).splitlines()[0]} "
                          f"{getattr(exc, 'problem_mark', '') or ''}".strip()) from exc
    if data is None:
        raise ConfigError(f"the config file {path} is empty")
    if not isinstance(data, dict):
        raise ConfigError(f"the config file {path} must hold key: value options, not a {type(data).__name__}")
    return data


def _documented_keys(raw: Mapping[str, Any]) -> Tuple[Dict[str, Any], Dict[str, Any]]:
    """``raw`` without the keys of :data:`DOCUMENTED` (aliases applied), and those keys with their values.

    Args:
        raw: the YAML mapping.

    Returns:
        (the mapping to validate, ``{dotted key: value}`` of the documented keys found).
    """
    found: Dict[str, Any] = {}
    out = dict(raw)
    cm = out.get("change_map")
    if isinstance(cm, Mapping) and "save_date_layers" in cm:
        cm = dict(cm)
        value = cm.pop("save_date_layers")
        found["change_map.save_date_layers"] = value
        cm.setdefault("save_dates_layer", value)
        out["change_map"] = cm
    return out, found


def parse_config(raw: Mapping[str, Any], path: Optional[str] = None) -> UpstreamConfig:
    """Validate an upstream config mapping: unknown keys, types and required keys.

    Keys of upstream's documentation listed in :data:`DOCUMENTED` are accepted; they are kept in
    ``no_effect`` (dotted name) so that the plan warns about them.
    """
    unknown: List[str] = []
    raw, documented = _documented_keys(raw)
    no_effect = {k: raw[k] for k in raw if k in NO_EFFECT}
    frame_keys = {k: v for k, v in raw.items() if isinstance(k, str) and _FRAME_KEY.match(k)}
    rest = {k: v for k, v in raw.items() if k not in no_effect and k not in frame_keys}
    values = _check_section(rest, _TOP, "", unknown, extra_known=list(NO_EFFECT) + list(_FRAME_KEY_EXAMPLES))
    if unknown:
        raise ConfigError("unknown key(s) in the config: " + "; ".join(unknown)
                          + ". Remove them or fix their spelling (keys are those of planaura_hls_config.yaml)")
    if no_effect.get("data_loader_num_workers") is not None:
        _int(0)("data_loader_num_workers", no_effect["data_loader_num_workers"])
    for key in ("use_multi_gpu", "using_multi_gpu", "use_xarray"):
        if key in no_effect:
            _bool(key, no_effect[key])
    num_frames = values["num_frames"]
    input_folders: Dict[int, str] = {}
    save_folders: Dict[int, str] = {}
    for key, value in frame_keys.items():
        match = _FRAME_KEY.match(key)
        assert match is not None  # frame_keys holds the keys that match
        kind, frame = match.groups()
        target = input_folders if kind == "input" else save_folders
        folder = _opt_path(key, value)
        if folder is not None:
            target[int(frame)] = folder
    for frame in range(num_frames):
        if frame not in save_folders:
            raise ConfigError(f"the required key 'inference_save_folder_frame_{frame}' is missing from the config "
                              f"(one save folder per frame, num_frames is {num_frames})")
        if not values["paths_included_in_csvs"] and frame not in input_folders:
            raise ConfigError(f"the required key 'inference_input_folder_frame_{frame}' is missing from the config: "
                              "with paths_included_in_csvs false the CSV holds file names only and each frame's "
                              "folder must be given")
    _check_consistency(values)
    return UpstreamConfig(path=path, values=values, input_folders=input_folders, save_folders=save_folders,
                          no_effect=no_effect, documented=documented)


def _check_consistency(values: Mapping[str, Any]) -> None:
    """Rules that tie several keys together."""
    mp = values["model_params"]
    if mp["patch_stride"] not in (1, mp["patch_size"]):
        raise ConfigError(f"model_params.patch_stride must be 1 or patch_size ({mp['patch_size']}), "
                          f"got {mp['patch_stride']}")
    if mp["img_size"] % mp["patch_size"]:
        raise ConfigError(f"model_params.img_size ({mp['img_size']}) must be a multiple of patch_size "
                          f"({mp['patch_size']})")
    embeddings = values["feature_maps"]["embeddings"]
    if embeddings and max(embeddings) >= mp["embed_dim"]:
        raise ConfigError(f"feature_maps.embeddings holds {max(embeddings)} but the model has only "
                          f"{mp['embed_dim']} channels (0 to {mp['embed_dim'] - 1})")
    for key in ("data_mean", "data_std"):
        seq = mp[key]
        if seq is not None and (not isinstance(seq, (list, tuple)) or
                                not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in seq)):
            raise ConfigError(f"model_params.{key} must be a list of numbers (one per band), got {seq!r}")
    if (mp["data_mean"] is None) != (mp["data_std"] is None):
        raise ConfigError("model_params.data_mean and model_params.data_std go together: give both or neither")
    bands = mp["bands"]
    if bands is not None and (not isinstance(bands, (list, tuple)) or not bands):
        raise ConfigError(f"model_params.bands must be a list of band names, got {bands!r}")
    source = str(mp["load_params"]["source"]).lower()
    if source not in ("local", "huggingface"):
        raise ConfigError(f"model_params.load_params.source must be 'local' or 'huggingface', got {source!r}")


def load_config(path: os.PathLike) -> UpstreamConfig:
    """Read and validate an upstream YAML file."""
    return parse_config(read_yaml(path), path=str(path))


# ---------------------------------------------------------------------------------------
# the plan

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


def _resolve(path: str, cwd: Path) -> Path:
    """``path`` made absolute against the working folder, '..' folded (links are kept)."""
    p = Path(os.path.expanduser(path))
    return Path(os.path.normpath(p if p.is_absolute() else cwd / p))


def _check_csv_name(entry: str, row: int, column: str) -> None:
    """With paths_included_in_csvs false an entry is a file name inside the frame folder."""
    bad = (os.path.isabs(entry) or "/" in entry or "\\" in entry or "\0" in entry
           or entry in (".", "..") or re.match(r"^[A-Za-z]:", entry) is not None)
    if bad:
        raise ConfigError(f"CSV line {row}, {column}: '{entry}' is not a plain file name. With "
                          "paths_included_in_csvs false the CSV holds only file names (no folder, no '..'); "
                          "set paths_included_in_csvs true to give paths")


def output_name(entry: str) -> str:
    """The name an input contributes to output names: its file name without extension.

    A GDAL name that is not a plain path (``/vsizip//p/a.zip/x.tif``, ``NETCDF:"/p/f.nc":B``)
    gives the stem of :func:`.inputs.datasets.output_stem` (``x``, ``f_B``): a valid file name.
    """
    if is_gdal_name(entry):
        from .inputs.datasets import output_stem

        return output_stem(entry)
    return os.path.splitext(os.path.basename(entry.replace("\\", "/")))[0]


def is_gdal_name(entry: str) -> bool:
    """Whether a CSV entry is a GDAL dataset name to keep whole (``/vsi*``, sub-dataset, VRT XML)."""
    from .inputs.datasets import parse

    parsed = parse(entry)
    return entry.startswith("/vsi") or parsed.is_subdataset or parsed.is_xml


def _check_output_name(name: str, entry: str, row: int) -> None:
    if not name or name in (".", "..") or any(c in name for c in ("/", "\\", "\0")):
        raise ConfigError(f"CSV line {row}: the input '{entry}' gives no usable output name ('{name}')")


def read_csv_rows(csv_path: Path, num_frames: int) -> List[Tuple[int, Tuple[str, ...]]]:
    """(line number, entries) of every data row; columns ``input_file_0..input_file_<T-1>``."""
    try:
        with open(csv_path, newline="", encoding="utf-8-sig") as fh:
            reader = csv.reader(fh)
            header = next(reader, None)
            if header is None:
                raise ConfigError(f"the CSV {csv_path} is empty; it needs a header line "
                                  + ",".join(f"input_file_{k}" for k in range(num_frames)))
            header = [h.strip() for h in header]
            wanted = [f"input_file_{k}" for k in range(num_frames)]
            missing = [w for w in wanted if w not in header]
            if missing:
                raise ConfigError(f"the CSV {csv_path} has no column {', '.join(missing)} (num_frames is "
                                  f"{num_frames}; its columns are {', '.join(h for h in header if h) or 'none'})")
            index = [header.index(w) for w in wanted]
            rows = []
            for line_no, cells in enumerate(reader, start=2):
                if not any(c.strip() for c in cells):
                    continue
                entries = []
                for col, i in zip(wanted, index):
                    value = cells[i].strip() if i < len(cells) else ""
                    if not value:
                        raise ConfigError(f"CSV {csv_path} line {line_no}: {col} is empty")
                    entries.append(value)
                rows.append((line_no, tuple(entries)))
    except FileNotFoundError:
        raise ConfigError(f"the CSV file {csv_path} (csv_inference_file) does not exist") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"the CSV file {csv_path} is not UTF-8 text: {exc}") from exc
    except csv.Error as exc:
        raise ConfigError(f"the CSV file {csv_path} cannot be read: {exc}") from exc
    if not rows:
        raise ConfigError(f"the CSV {csv_path} lists no image (only a header)")
    return rows


def model_spec(config: UpstreamConfig, cwd: Path, device: Optional[str] = None, check_checkpoint: bool = True):
    """The :class:`ModelSpec` of the config; ``device`` (cpu/cuda/auto) overrides use_gpu."""
    from .model.loading import spec_from_upstream

    raw = dict(config.values)
    mp = {k: v for k, v in raw["model_params"].items() if v is not None}
    mp["load_params"] = {k: v for k, v in raw["model_params"]["load_params"].items() if v is not None}
    raw["model_params"] = mp
    try:
        spec = spec_from_upstream(raw, base_dir=cwd)
    except ValueError as exc:
        raise ConfigError(f"model_params: {exc}") from exc
    if device is not None:
        half = bool(config["autocast_float16"]) and device != "cpu"
        spec = replace(spec, device=device, precision=config["precision"] or ("float16" if half else "float32"))
    source = str(config["model_params"]["load_params"]["source"]).lower()
    if source == "local":
        if not spec.checkpoint:
            raise ConfigError("model_params.load_params.checkpoint_path is missing: with source 'local' give the "
                              "path of the .pth file (or use source 'huggingface')")
        if check_checkpoint and not Path(spec.checkpoint).is_file():
            raise CheckpointError(f"the checkpoint {spec.checkpoint} (model_params.load_params.checkpoint_path) "
                                  "does not exist")
    return spec


def file_id(names: Sequence[str], concatenate_char: str) -> str:
    """Upstream's pair id, the part of the output names after the kind: ``!A!B``."""
    return concatenate_char + concatenate_char.join(names)


def _pair_outputs(config: UpstreamConfig, names: Sequence[str], save: Mapping[int, Path]) -> Dict[str, str]:
    """kind -> path of what one row writes, named ``<kind><c><name0><c><name1>``."""
    T = config.num_frames
    fid = file_id(names, config["concatenate_char"])
    cm, fm = config["change_map"], config["feature_maps"]
    out: Dict[str, str] = {}

    def put(kind: str, frame: int, ext: str = ".tif") -> None:
        out[kind if ext == ".tif" else f"feature_table_{frame}"] = str(save[frame] / f"{kind}{fid}{ext}")

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


def _change_request(config: UpstreamConfig, spec, inputs: Sequence[str], fmasks: Sequence[Optional[str]],
                    outputs: Mapping[str, str]):
    from .pipeline.requests import ChangeMapOutputs, ChangeMapRequest

    T = config.num_frames
    outs = ChangeMapOutputs(
        cosine_map=outputs.get("cosine_map"), before_date=outputs.get("before_date"),
        after_date=outputs.get("after_date"), quality_fmask=outputs.get("quality_fmask"),
        feature_maps={k: outputs[f"feature_maps_{k}"] for k in range(T) if f"feature_maps_{k}" in outputs},
        reconstructions={k: outputs[f"infer_{k}"] for k in range(T) if f"infer_{k}" in outputs},
        feature_tables={k: outputs[f"feature_table_{k}"] for k in range(T) if f"feature_table_{k}" in outputs})
    cm = config["change_map"]
    return ChangeMapRequest(
        inputs=list(inputs), outputs=outs, model=spec, fmasks=list(fmasks), fmask_bitwise=cm["fmask_in_bit"],
        patch_stride=spec.config.patch_stride, upsample=cm["upsample_cosine_map"],
        num_predictions=config["num_predictions"], min_valid=config["minimum_valid_percentage"],
        date_regex=cm["date_regex"] or spec.preset.date_regex, bbox=config["process_bbox"],
        bbox_crs=config["process_bbox_crs"], embeddings=config["feature_maps"]["embeddings"],
        compression=config["tif_compression"],
        bands=[config["input_bands"]] * len(inputs) if config["input_bands"] else ())


MOSAIC_LAYER_KINDS = ("cosine_map", "persistence", "before_date", "after_date", "quality_fmask",
                      "before_input", "after_input")
MOSAIC_REFERENCES = {"cosine_map": "c", "quality_fmask": "f"}


def mosaic_output_path(folder: Path, kind: str, postfix: str, reference: str = "cosine_map") -> str:
    """Upstream's mosaic name: ``mosaic_<kind>_<postfix>_c.tif`` (``_f`` when decided by quality_fmask;
    no ``_<postfix>`` when the postfix is empty)."""
    tail = f"_{postfix}" if postfix else ""
    return str(Path(folder) / f"mosaic_{kind}{tail}_{MOSAIC_REFERENCES[reference]}.tif")


def _mosaic_reference(config: UpstreamConfig, first: Mapping[str, str]) -> str:
    """Which per-pair layer decides the mosaic: reference_prefix, else cosine_map, else quality_fmask."""
    ref = config["reference_prefix"]
    if ref is not None and ref not in MOSAIC_REFERENCES:
        raise ConfigError(f"reference_prefix '{ref}' is not supported: mosaics are decided by cosine_map or "
                          "quality_fmask")
    if ref is not None and ref not in first:
        ref = None  # as upstream: a reference that was not produced is replaced by the default order
    ref = ref or next((k for k in MOSAIC_REFERENCES if k in first), None)
    if ref is None:
        raise ConfigError("the mosaic task needs cosine maps (or quality_fmask layers): set change_map.return true "
                          "with num_frames 2 or 3")
    return ref


def _mosaic_job(config: UpstreamConfig, spec, pairs: Sequence[PairJob], save: Mapping[int, Path],
                warnings: List[str]) -> MosaicJob:
    from .pipeline.requests import MosaicInputs, MosaicRequest

    mp = config["mosaic_params"]
    T = config.num_frames
    c = config["concatenate_char"]
    ignore = set(config["ignore_prefixes"] or ())
    known_kinds = set(MOSAIC_LAYER_KINDS) | {f"feature_maps_{k}" for k in range(T)} | {f"infer_{k}" for k in range(T)}
    bad = sorted(ignore - known_kinds)
    if bad:
        raise ConfigError(f"ignore_prefixes: unknown layer kind(s) {', '.join(bad)} "
                          f"(kinds: {', '.join(sorted(known_kinds - {'persistence'}))})")
    first = {k: v for k, v in pairs[0].outputs.items() if v.endswith(".tif") and k not in ignore}
    reference = _mosaic_reference(config, first)  # an ignored layer never decides (upstream's order)
    images = list(dict.fromkeys(p for job in pairs for p in job.inputs if os.path.isfile(p)))
    regex = config["change_map"]["date_regex"] or spec.preset.date_regex
    folder = save[0]
    if "infer" in config.tasks:
        mosaic_pairs = []
        for job in pairs:
            o = {k: v for k, v in job.outputs.items() if v.endswith(".tif") and k not in ignore}
            mosaic_pairs.append(MosaicInputs(
                cosine_map=o.get("cosine_map"), before_date=o.get("before_date"), after_date=o.get("after_date"),
                quality_fmask=o.get("quality_fmask"),
                feature_maps={k: o[f"feature_maps_{k}"] for k in range(T) if f"feature_maps_{k}" in o},
                reconstructions={k: o[f"infer_{k}"] for k in range(T) if f"infer_{k}" in o},
                inputs=list(job.inputs), pair_id=job.file_id))
        _warn_foreign_pairs(folder, reference, c, {job.file_id for job in pairs}, warnings)
    else:
        mosaic_pairs = _pairs_in_folders(config, save, reference, images, ignore)
    postfix = mp["mosaic_save_postfix"]
    kinds = _mosaic_kinds(first, reference, ignore)
    input_kinds = {"before_input", "after_input"} & ignore
    if len(input_kinds) == 2:  # no input layer at all: the mosaic gets no image to sample
        images = []
        for pair in mosaic_pairs:
            pair.inputs = []
    request = MosaicRequest(pairs=mosaic_pairs, output_dir=str(folder), postfix=postfix,
                            target_crs=mp["target_crs"], target_resolution=mp["target_resolution"],
                            compression=config["tif_compression"], input_images=images, date_regex=regex,
                            concatenate_char=c, reference=reference,
                            kinds=kinds if len(input_kinds) == 1 else None)
    expected = {k: mosaic_output_path(folder, k, postfix, reference) for k in kinds}
    residues = [p for pair in mosaic_pairs for p in _mosaic_pair_files(pair)]
    return MosaicJob(request=request, expected=expected, delete_residues=mp["delete_residues"], residues=residues)


def _mosaic_kinds(first: Mapping[str, str], reference: str, ignore: Set[str]) -> List[str]:
    """The mosaic files a run is expected to write (for the plan and the output checks)."""
    kinds = [reference, "persistence"]
    kinds += [k for k in ("before_date", "after_date", "quality_fmask") if k in first and k != reference]
    kinds += [k for k, d in (("before_input", "before_date"), ("after_input", "after_date")) if d in first]
    kinds += sorted(k for k in first if k.startswith(("feature_maps_", "infer_")))
    return [k for k in kinds if k not in ignore]


def _warn_foreign_pairs(folder: Path, reference: str, c: str, own: Set[str], warnings: List[str]) -> None:
    """Upstream mosaics every per-pair file it finds in the folder; this run mosaics its own pairs."""
    if not folder.is_dir():
        return
    others = sorted(n for n in os.listdir(folder)
                    if n.startswith(reference + c) and n.endswith(".tif")
                    and os.path.splitext(n)[0][len(reference):] not in own)
    if others:
        warnings.append(f"{len(others)} other {reference} file(s) in {folder} (e.g. {others[0]}) are not pairs of "
                        "this CSV and are left out of the mosaic (upstream would include them; run task_list "
                        "[mosaic] alone to mosaic everything in the folder)")


def _pairs_in_folders(config: UpstreamConfig, save: Mapping[int, Path], reference: str, images: Sequence[str],
                      ignore: Set[str]):
    """task_list [mosaic]: every per-pair file of an earlier run found in the save folders, as upstream."""
    from .pipeline.persistence_mosaic import find_pair_layers

    c = config["concatenate_char"]
    folder = save[0]
    refs = sorted(str(folder / n) for n in (os.listdir(folder) if folder.is_dir() else [])
                  if n.startswith(reference + c) and n.endswith(".tif"))
    if not refs:
        raise ConfigError(f"mosaic: no {reference}{c}*.tif file in {folder} (inference_save_folder_frame_0); "
                          "run the 'infer' task first")
    pairs = find_pair_layers(refs, search_folders=[str(save[k]) for k in sorted(save)], concatenate_char=c,
                             input_images=list(images))
    for pair in pairs:
        for kind in ignore:
            if kind.startswith("feature_maps_"):
                pair.feature_maps.pop(int(kind.rsplit("_", 1)[1]), None)
            elif kind.startswith("infer_"):
                pair.reconstructions.pop(int(kind.rsplit("_", 1)[1]), None)
            elif kind in ("before_date", "after_date", "quality_fmask", "cosine_map"):
                setattr(pair, kind, None)
    return pairs


def build_plan(config: UpstreamConfig, cwd: Union[str, os.PathLike, None] = None, device: Optional[str] = None,
               check_files: bool = True) -> UpstreamPlan:
    """Resolve the CSV rows into requests and check every path, before any model work.

    ``check_files`` False skips the existence checks of inputs and checkpoint (tests).
    """
    cwd = Path(cwd or os.getcwd()).resolve()
    T = config.num_frames
    notes: List[str] = []
    warnings: List[str] = []
    for key, value in config.no_effect.items():
        notes.append(f"{key}: {value!r} has no effect here ({NO_EFFECT[key]})")
    for key, value in config.documented.items():
        warnings.append(f"{key}: {value!r}: {DOCUMENTED[key]}")
    paths_in_csv = config["paths_included_in_csvs"]
    for frame, _folder in sorted(config.input_folders.items()):
        if frame >= T:
            notes.append(f"inference_input_folder_frame_{frame} is not used (num_frames is {T})")
        elif paths_in_csv:
            notes.append(f"inference_input_folder_frame_{frame} is not used: paths_included_in_csvs is true, "
                         "the CSV holds the paths")
    for frame in sorted(config.save_folders):
        if frame >= T:
            notes.append(f"inference_save_folder_frame_{frame} is not used (num_frames is {T})")
    cm, fm = config["change_map"], config["feature_maps"]
    if T == 1 and cm["return"]:
        notes.append("change_map: no change map with num_frames 1 (static mode); only embeddings are computed")
    if fm["return"] and fm["write_as_df"] and fm["write_as_csv"]:
        warnings.append("feature_maps.write_as_df and write_as_csv are both true: the feature table is written "
                        "once, as GeoParquet")
    if fm["upsample_feature_map"]:
        notes.append("feature_maps.upsample_feature_map has no effect here: feature tables hold one row per "
                     "feature-map pixel")
    if "infer" in config.tasks and config["mosaic_params"]["delete_residues"] and "mosaic" not in config.tasks:
        notes.append("mosaic_params.delete_residues has no effect without the mosaic task")

    spec = model_spec(config, cwd, device, check_checkpoint=check_files)
    if T == 1 and spec.config.keep_pos_embedding:
        notes.append("num_frames 1 with keep_pos_embedding true: upstream asks for false in static mode")

    save = {k: _resolve(config.save_folders[k], cwd) for k in range(T)}
    in_folders = {k: _resolve(config.input_folders[k], cwd) for k in range(T) if k in config.input_folders}
    csv_path = _resolve(config["csv_inference_file"], cwd)
    rows = read_csv_rows(csv_path, T)

    pairs: List[PairJob] = []
    seen_entries: Dict[Tuple[str, ...], int] = {}
    seen_ids: Dict[str, int] = {}
    need_dates = (cm["return"] and T >= 2 and cm["save_dates_layer"]) or "mosaic" in config.tasks
    regex = cm["date_regex"] or spec.preset.date_regex
    for row, entries in rows:
        if entries in seen_entries:
            warnings.append(f"CSV line {row} repeats line {seen_entries[entries]}; it is processed once")
            continue
        seen_entries[entries] = row
        inputs: List[str] = []
        names: List[str] = []
        for k, entry in enumerate(entries):
            column = f"input_file_{k}"
            if paths_in_csv:
                path = entry if is_gdal_name(entry) else _resolve(entry, cwd)
            else:
                _check_csv_name(entry, row, column)
                path = in_folders[k] / entry
            name = output_name(entry)
            _check_output_name(name, entry, row)
            if check_files and not (dataset_exists(path) if isinstance(path, str)
                                    else path.is_file() or path.is_dir()):  # a folder: HLS granule, SAFE
                if "infer" in config.tasks:
                    raise ConfigError(f"CSV line {row}, {column}: the image {path} does not exist")
                warnings.append(f"CSV line {row}, {column}: the image {path} does not exist; the before/after "
                                "input mosaics cannot use it")
            if need_dates:
                from .dates import date_from_name
                try:
                    date_from_name(str(path), regex)
                except InputError as exc:
                    if _product_date(str(path)) is None:
                        raise ConfigError(f"CSV line {row}, {column}: {exc}") from None
            inputs.append(str(path))
            names.append(name)
        fmasks: List[Optional[str]] = []
        for path in inputs:
            fmask = None
            if cm["return"] and T >= 2 and cm["save_fmask_layer"]:
                candidate = Path(path).parent / f"fmask_{Path(path).name}"
                if candidate.is_file() or not check_files:
                    fmask = str(candidate)
                elif _product_date(path) is not None:
                    pass  # a product's own quality layer (HLS Fmask, Sentinel-2 SCL) is used
                else:
                    warnings.append(f"no Fmask file {candidate.name} beside {path}: that date counts as clear")
            fmasks.append(fmask)
        outputs = _pair_outputs(config, names, save)
        job = PairJob(row=row, inputs=tuple(inputs), names=tuple(names), fmasks=tuple(fmasks), outputs=outputs,
                      file_id=file_id(names, config["concatenate_char"]))
        if not outputs:
            raise ConfigError("nothing to compute: change_map.return, feature_maps.return and "
                              "save_reconstructed_images are all off (or give nothing with num_frames "
                              f"{T})")
        fid = job.file_id
        if fid in seen_ids:
            raise ConfigError(f"CSV lines {seen_ids[fid]} and {row} give the same output names (*{fid}.tif): "
                              "their files would overwrite each other")
        seen_ids[fid] = row
        job.request = _change_request(config, spec, inputs, fmasks, outputs)
        job.change_types = _change_types_path(config, job, save, notes)
        pairs.append(job)

    mosaic = _mosaic_job(config, spec, pairs, save, warnings) if "mosaic" in config.tasks else None
    plan = UpstreamPlan(config=config, cwd=str(cwd), model=spec, pairs=pairs, mosaic=mosaic, notes=notes,
                        warnings=warnings)
    _check_destinations(plan, save, csv_path)
    return plan


def _product_date(path: str) -> Optional[int]:
    """The acquisition date of imagery as distributed (HLS granule file or folder, Sentinel-2 product), else None."""
    from .inputs.products import resolve_product

    try:
        product = resolve_product(path)
    except InputError:
        return None
    return product.date if product is not None else None


def _check_destinations(plan: UpstreamPlan, save: Mapping[int, Path], csv_path: Path) -> None:
    """Outputs stay in their save folders and never replace an input."""
    inputs: Set[str] = {os.path.realpath(csv_path)}
    if plan.config.path:
        inputs.add(os.path.realpath(plan.config.path))
    if plan.model.checkpoint:
        inputs.add(os.path.realpath(plan.model.checkpoint))
    input_dirs: Set[str] = set()
    for job in plan.pairs:
        for p in list(job.inputs) + [f for f in job.fmasks if f]:
            inputs.add(os.path.realpath(p))
            input_dirs.add(os.path.realpath(os.path.dirname(p)))
    for frame, folder in save.items():
        if folder.exists() and not folder.is_dir():
            raise OutputError(f"inference_save_folder_frame_{frame} ({folder}) is a file, not a folder")
    folders = {os.path.realpath(p) for p in save.values()}
    outputs: List[str] = []
    if "infer" in plan.config.tasks:
        outputs += [p for job in plan.pairs for p in job.outputs.values()]
        outputs += [p for job in plan.pairs if job.change_types for p in (job.change_types, types_json(job))]
    elif plan.mosaic is not None:  # the per-pair files of an earlier run are the mosaic's inputs
        inputs.update(os.path.realpath(p) for pair in plan.mosaic.request.pairs for p in _mosaic_pair_files(pair))
    if plan.mosaic is not None:
        outputs += list(plan.mosaic.expected.values())
    for out in outputs:
        # the file is replaced, not written through: its folder must be a save folder (links resolved)
        out_folder = os.path.realpath(os.path.dirname(out))
        if out_folder not in folders:
            raise OutputError(f"the output {out} would be written outside the save folders; check "
                              "concatenate_char, mosaic_save_postfix and the CSV names")
        targets = {os.path.join(out_folder, os.path.basename(out)), os.path.realpath(out)}
        if targets & inputs:
            raise OutputError(f"the output {out} is also an input of this run; choose other save folders")
    shared = sorted(folders & input_dirs)
    if shared:
        plan.warnings.append("save folder(s) " + ", ".join(shared) + " also hold input images; upstream advises "
                             "separate folders (no output name equals an input name, so inputs are safe)")
    plan.existing_outputs = [p for p in outputs if os.path.lexists(p)]


def plan_from_file(path: os.PathLike, cwd: Optional[os.PathLike] = None, device: Optional[str] = None) -> UpstreamPlan:
    """:func:`load_config` then :func:`build_plan`."""
    return build_plan(load_config(path), cwd=cwd, device=device)


# ---------------------------------------------------------------------------------------
# execution

@dataclass
class RunResult:
    """What a run wrote, per CSV row and for the mosaic, and what it removed."""

    pairs: Dict[int, Dict[str, str]] = field(default_factory=dict)  # CSV line -> kind -> path
    mosaic: Dict[str, str] = field(default_factory=dict)
    removed: List[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def files(self) -> List[str]:
        kept = set(self.removed)
        out = [p for d in self.pairs.values() for p in d.values() if p not in kept]
        return out + [p for p in self.mosaic.values() if p not in kept]


def _pipelines(tasks: Sequence[str]) -> Tuple[Optional[Callable], Optional[Callable]]:
    """(run_change_map, run_mosaic) for the tasks, imported only when a run starts (they pull
    torch and GDAL); None for a task not asked for."""
    run_change_map: Optional[Callable] = None
    run_mosaic: Optional[Callable] = None
    try:
        if "infer" in tasks:
            from .pipeline.change_map import run_change_map as change_map_pipeline

            run_change_map = change_map_pipeline
        if "mosaic" in tasks:
            from .pipeline.persistence_mosaic import run_mosaic as mosaic_pipeline

            run_mosaic = mosaic_pipeline
    except ModuleNotFoundError as exc:
        if (exc.name or "").startswith("planaura_plugin"):
            raise PlanauraError(f"this build of the plugin has no raster pipeline yet ({exc})") from exc
        raise MissingDependencyError(f"the Python package '{exc.name}' is needed to run Planaura; install it "
                                     "(see requirements.txt)") from exc
    return run_change_map, run_mosaic


def _remove_with_sidecars(path: str) -> List[str]:
    removed = []
    for p in [path] + [path + s for s in SIDECAR_SUFFIXES] + [os.path.splitext(path)[0] + s for s in SIDECAR_SUFFIXES]:
        if os.path.lexists(p) and os.path.isfile(p):
            os.remove(p)
            removed.append(p)
    return removed


def _check_device(device: str) -> None:
    """``cuda`` without a usable GPU is the user's choice to revisit, not a crash."""
    if not str(device).startswith("cuda"):
        return
    from .model.inference import resolve_device

    try:
        resolve_device(device)
    except RuntimeError as exc:
        raise PlanauraError(str(exc)) from exc


class _ProgressSeen(ScaledFeedback):
    """Passes everything on and remembers the last fraction (so 100 % is reported once)."""

    def __init__(self, parent: Feedback) -> None:
        super().__init__(parent, 0.0, 1.0)
        self.last = 0.0

    def progress(self, fraction: float, message: str = "") -> None:
        self.last = fraction
        super().progress(fraction, message)


def execute_plan(plan: UpstreamPlan, feedback: Optional[Feedback] = None) -> RunResult:
    """Run the change maps of every row, then the mosaic; returns the files written."""
    progress = _ProgressSeen(ensure_feedback(feedback))
    feedback = progress
    run_change_map, run_mosaic = _pipelines(plan.config.tasks)
    started = time.monotonic()
    result = RunResult()
    for line in plan.notes:
        feedback.info(line)
    for line in plan.warnings:
        feedback.warning(line)
    tasks = plan.config.tasks
    from .raster.geotiff import check_writable

    infer_share = 0.0
    destinations = [p for job in plan.pairs for p in job.outputs.values()] if "infer" in tasks else []
    destinations += list(plan.mosaic.expected.values()) if plan.mosaic is not None else []
    for _folder, path in sorted({os.path.dirname(p): p for p in destinations}.items()):
        check_writable(path)  # creates the folder; a clear error before any model work
    if "infer" in tasks:
        _check_device(plan.model.device)
        infer_share = 0.9 if plan.mosaic is not None else 1.0
        n = len(plan.pairs)
        for i, job in enumerate(plan.pairs):
            feedback.check_cancelled()
            feedback.info(f"[{i + 1}/{n}] " + " + ".join(job.names))
            sub = ScaledFeedback(feedback, infer_share * i / n, infer_share * (i + 1) / n)
            assert run_change_map is not None  # imported for "infer"
            written = run_change_map(job.request, sub if not job.change_types else ScaledFeedback(sub, 0.0, 0.5))
            result.pairs[job.row] = {k: str(v) for k, v in (written or {}).items()}
            if job.change_types and (written or {}).get("cosine_map"):
                result.pairs[job.row].update(cluster_pair(job, plan, ScaledFeedback(sub, 0.5, 1.0)))
    if plan.mosaic is not None:
        feedback.check_cancelled()
        request = _pairs_on_disk(plan, feedback) if "infer" in tasks else plan.mosaic.request
        feedback.info(f"mosaic of {len(request.pairs)} pair(s)")
        assert run_mosaic is not None  # imported for a plan with a mosaic
        written = run_mosaic(request, ScaledFeedback(feedback, infer_share, 1.0))
        result.mosaic = {k: str(v) for k, v in (written or {}).items()}
        if plan.mosaic.delete_residues:
            mosaic_files = {os.path.realpath(p) for p in result.mosaic.values()}
            for pair in request.pairs:
                for path in _mosaic_pair_files(pair):
                    if os.path.realpath(path) not in mosaic_files:
                        result.removed += _remove_with_sidecars(path)
    if progress.last < 1.0:
        feedback.progress(1.0, "done")
    result.seconds = time.monotonic() - started
    return result


def _mosaic_pair_files(pair) -> List[str]:
    files = [pair.cosine_map, pair.before_date, pair.after_date, pair.quality_fmask]
    files += list(pair.feature_maps.values()) + list(pair.reconstructions.values())
    return [f for f in files if f]


def _pairs_on_disk(plan: UpstreamPlan, feedback: Feedback):
    """The mosaic request restricted to the per-pair files the run wrote (a pair without any
    valid tile writes nothing)."""
    assert plan.mosaic is not None  # called for a plan with a mosaic
    request = plan.mosaic.request
    ref = request.reference or "cosine_map"
    kept = []
    for pair in request.pairs:
        if not os.path.isfile(getattr(pair, ref)):
            feedback.warning(f"no {os.path.basename(getattr(pair, ref))}: that pair is left out of the mosaic")
            continue
        layers = {a: (getattr(pair, a) if getattr(pair, a) and os.path.isfile(getattr(pair, a)) else None)
                  for a in ("cosine_map", "before_date", "after_date", "quality_fmask")}
        kept.append(replace(pair, **layers,
                            feature_maps={k: v for k, v in pair.feature_maps.items() if os.path.isfile(v)},
                            reconstructions={k: v for k, v in pair.reconstructions.items() if os.path.isfile(v)}))
    if not kept:
        raise InputError(f"mosaic: no pair produced a {ref} layer (no tile had enough valid pixels?)")
    return replace(request, pairs=kept)


def run_config(path: os.PathLike, feedback: Optional[Feedback] = None, device: Optional[str] = None,
               cwd: Optional[os.PathLike] = None) -> RunResult:
    """Load, plan and execute an upstream YAML (the whole ``python -m planaura_plugin run``)."""
    plan = build_plan(load_config(path), cwd=cwd, device=device)
    return execute_plan(plan, feedback)


# ---------------------------------------------------------------------------------------
# change_map.cluster: change types of each pair

def types_json(job: PairJob) -> str:
    """The types file written beside a pair's change types raster."""
    from .analysis.change_types import types_json_path

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
    from .analysis.change_types import change_types_of_pair

    cluster = plan.config["change_map"]["cluster"]
    assert job.change_types, "cluster_pair runs only for pairs with change types"
    feedback.info(f"change types: {os.path.basename(job.change_types)}")
    written = change_types_of_pair(job.request, job.change_types, cluster["max_similarity"],
                                   cluster["min_cluster_size"], reference_grid=job.outputs["cosine_map"],
                                   feedback=feedback)
    return {k: str(v) for k, v in written.items()}
