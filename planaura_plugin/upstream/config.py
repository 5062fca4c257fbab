"""The validated upstream configuration and the reading of its YAML file."""
from __future__ import annotations

import os
from collections.abc import Hashable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional, Set, Tuple

from .checkers import ConfigError, check_bool, check_opt_path, int_checker, shown
from .schema import FRAME_KEY, FRAME_KEY_EXAMPLES, NO_EFFECT, TOP_LEVEL, check_section
from ..i18n import _

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


#: the most values a YAML may hold once its aliases (``*name``) are expanded; an upstream config
#: holds about a hundred, an "alias bomb" of a few hundred bytes billions
MAX_EXPANDED_VALUES = 100_000
#: the largest config file read: an upstream config is a few kilobytes; 50 MB of YAML take 40 s and
#: gigabytes of memory to parse before any check
MAX_CONFIG_BYTES = 4_000_000


def _expanded_size(node: Any, memo: Dict[int, int]) -> int:
    """How many values ``node`` stands for with every alias expanded (shared nodes counted once
    per use, computed once: linear in the size of the file)."""
    key = id(node)
    if key in memo:
        return memo[key]
    memo[key] = 1  # a recursive alias counts once
    value = node.value
    if isinstance(value, list):
        size = 1
        for item in value:
            size += sum(_expanded_size(n, memo) for n in item) if isinstance(item, tuple) \
                else _expanded_size(item, memo)
    else:
        size = 1
    memo[key] = size
    return size


class _UniqueKeyLoader:
    """A PyYAML SafeLoader that refuses a key given twice (PyYAML keeps the last silently) and a
    document whose aliases expand to more than :data:`MAX_EXPANDED_VALUES` values (counted while
    it is composed, before anything is built)."""

    @staticmethod
    def make():
        import yaml

        class Loader(yaml.SafeLoader):
            expanded = 0
            sizes: Dict[int, int] = {}

            def compose_node(self, parent, index):
                if self.check_event(yaml.events.AliasEvent):
                    event = self.peek_event()
                    anchored = self.anchors.get(event.anchor)
                    if anchored is not None:
                        if not self.expanded:
                            self.sizes = {}
                        self.expanded += _expanded_size(anchored, self.sizes)
                        if self.expanded > MAX_EXPANDED_VALUES:
                            raise ConfigError(_("its aliases (*{anchor}, line {line}) expand to more than {limit} "
                                                "values, far more than a config holds; write the values out instead "
                                                "of repeating aliases").format(
                                anchor=shown(event.anchor), line=event.start_mark.line + 1,
                                limit=MAX_EXPANDED_VALUES))
                return super().compose_node(parent, index)

        def construct_mapping(loader, node, deep=False):
            seen: Set[Any] = set()
            for key_node, value_node in node.value:
                key = loader.construct_object(key_node, deep=deep)
                if not isinstance(key, Hashable):  # an alias of a list, '? [a, b]': PyYAML's TypeError otherwise
                    raise ConfigError(_("the value at line {line} has a list or a mapping ({kind}) as its key, not "
                                        "a name; write keys as plain names").format(
                        line=value_node.start_mark.line + 1, kind=type(key).__name__))
                if key in seen:
                    raise ConfigError(_("the key '{key}' is given twice (line {value})").format(
                                          key=key, value=key_node.start_mark.line + 1))
                seen.add(key)
            return yaml.SafeLoader.construct_mapping(loader, node, deep=deep)

        Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, construct_mapping)
        return Loader


def read_yaml(path: os.PathLike) -> Dict[str, Any]:
    """The YAML file as a mapping, with errors that name the file and the line."""
    import yaml

    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_CONFIG_BYTES:
            raise ConfigError(_("the config file {path} holds {size} bytes, far more than a config (a few "
                                "thousand); give the YAML config itself, at most {limit} bytes").format(
                path=path, size=size, limit=MAX_CONFIG_BYTES))
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(_("the config file {path} does not exist").format(path=path)) from None
    except OSError as exc:
        raise ConfigError(_("cannot read the config file {path}: {value}").format(
                              path=path, value=exc.strerror or exc)) from exc
    try:
        data = yaml.load(text, Loader=_UniqueKeyLoader.make())  # noqa: S506 - a SafeLoader subclass
    except ConfigError as exc:
        raise ConfigError(_("{path}: {error}").format(path=path, error=exc)) from None
    except RecursionError:
        raise ConfigError(_("{path}: its lists or mappings are nested too deeply to be read (deeper than Python's "
                            "recursion limit, a config nests two or three levels); write the values out flat").format(
            path=path)) from None
    except yaml.YAMLError as exc:
        raise ConfigError(_("{path} is not valid YAML: {error} {where}").format(
            path=path, error=str(exc).splitlines()[0], where=getattr(exc, "problem_mark", "") or "").strip()) from exc
    if data is None:
        raise ConfigError(_("the config file {path} is empty").format(path=path))
    if not isinstance(data, dict):
        raise ConfigError(_("the config file {path} must hold key: value options, not a {name}").format(
                              path=path, name=type(data).__name__))
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
    frame_keys = {k: v for k, v in raw.items() if isinstance(k, str) and FRAME_KEY.match(k)}
    rest = {k: v for k, v in raw.items() if k not in no_effect and k not in frame_keys}
    values = check_section(rest, TOP_LEVEL, "", unknown, extra_known=list(NO_EFFECT) + list(FRAME_KEY_EXAMPLES))
    if unknown:
        raise ConfigError(_("unknown key(s) in the config: {keys}. Remove them or fix their spelling (keys are those "
                            "of planaura_hls_config.yaml)").format(keys="; ".join(unknown)))
    if no_effect.get("data_loader_num_workers") is not None:
        int_checker(0)("data_loader_num_workers", no_effect["data_loader_num_workers"])
    for key in ("use_xarray",):
        if key in no_effect:
            check_bool(key, no_effect[key])
    num_frames = values["num_frames"]
    input_folders: Dict[int, str] = {}
    save_folders: Dict[int, str] = {}
    for key, value in frame_keys.items():
        match = FRAME_KEY.match(key)
        assert match is not None  # frame_keys holds the keys that match
        kind, frame = match.groups()
        target = input_folders if kind == "input" else save_folders
        folder = check_opt_path(key, value)
        if folder is not None:
            target[int(frame)] = folder
    for frame in range(num_frames):
        if frame not in save_folders:
            raise ConfigError(_("the required key 'inference_save_folder_frame_{frame}' is missing from the config (one"
                                " save folder per frame, num_frames is {num_frames})").format(
                                  frame=frame, num_frames=num_frames))
        if not values["paths_included_in_csvs"] and frame not in input_folders:
            raise ConfigError(_("the required key 'inference_input_folder_frame_{frame}' is missing from the config: "
                                "with paths_included_in_csvs false the CSV holds file names only and each frame's "
                                "folder must be given").format(frame=frame))
    _check_consistency(values)
    return UpstreamConfig(path=path, values=values, input_folders=input_folders, save_folders=save_folders,
                          no_effect=no_effect, documented=documented)


def _check_consistency(values: Mapping[str, Any]) -> None:
    """Rules that tie several keys together."""
    mp = values["model_params"]
    if mp["patch_stride"] not in (1, mp["patch_size"]):
        raise ConfigError(_("model_params.patch_stride must be 1 or patch_size ({mp}), got {mp_2}").format(
                              mp=mp['patch_size'], mp_2=mp['patch_stride']))
    if mp["img_size"] % mp["patch_size"]:
        raise ConfigError(_("model_params.img_size ({mp}) must be a multiple of patch_size ({mp_2})").format(
                              mp=mp['img_size'], mp_2=mp['patch_size']))
    embeddings = values["feature_maps"]["embeddings"]
    if embeddings and max(embeddings) >= mp["embed_dim"]:
        raise ConfigError(_("feature_maps.embeddings holds {embeddings} but the model has only {mp} channels (0 to "
                            "{value})").format(
                              embeddings=max(embeddings), mp=mp['embed_dim'], value=mp['embed_dim'] - 1))
    for key in ("data_mean", "data_std"):
        seq = mp[key]
        if seq is not None and (not isinstance(seq, (list, tuple)) or
                                not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in seq)):
            raise ConfigError(_("model_params.{key} must be a list of numbers (one per band), got {seq!r}").format(
                                  key=key, seq=shown(seq)))
    if (mp["data_mean"] is None) != (mp["data_std"] is None):
        raise ConfigError(_("model_params.data_mean and model_params.data_std go together: give both or neither"))
    bands = mp["bands"]
    if bands is not None and (not isinstance(bands, (list, tuple)) or not bands):
        raise ConfigError(_("model_params.bands must be a list of band names, got {bands!r}").format(
                              bands=shown(bands)))
    source = str(mp["load_params"]["source"]).lower()
    if source not in ("local", "huggingface"):
        raise ConfigError(_("model_params.load_params.source must be 'local' or 'huggingface', got {source!r}").format(
                              source=shown(source)))


def load_config(path: os.PathLike) -> UpstreamConfig:
    """Read and validate an upstream YAML file."""
    return parse_config(read_yaml(path), path=str(path))
