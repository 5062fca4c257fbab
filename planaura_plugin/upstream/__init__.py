"""Plan an upstream Planaura YAML (the config of NRCan's ``infer_geotiff.py``) for this core.

Upstream users keep their config, their CSV and their folder layout:
``python -m planaura_plugin run planaura_hls_config.yaml`` writes the same file names into
the same folders. The run is built in two steps so that every mistake is found before any
model work: :func:`load_config` reads and validates the YAML (unknown keys, types, missing
keys), :func:`build_plan` resolves the CSV rows into change-map and mosaic requests and
checks where they would write. This package runs nothing: :mod:`planaura_plugin.runs` executes
the plan (``runs.run_plan``, ``runs.execute_plan``, ``runs.run_config``).

Paths in the YAML and in the CSV are relative to the current working directory, as
upstream. Defaults of keys left out are upstream's (``setup_config`` in infer_geotiff.py).

Modules: :mod:`.checkers` (value checks), :mod:`.schema` (keys and defaults), :mod:`.config`
(the validated config, YAML reading), :mod:`.rows` (the CSV), :mod:`.model_yaml` (the model of a YAML), :mod:`.outputs`
(per-row outputs), :mod:`.mosaic_plan`, :mod:`.jobs` and :mod:`.plan` (the plan),
:mod:`.cluster` (where the change types of each pair go).
"""
from ..products import MAX_FRAMES
from .checkers import COMPRESSIONS, SIDECAR_SUFFIXES, TASKS, ConfigError
from .cluster import types_files
from .config import UpstreamConfig, load_config, parse_config, read_yaml
from .jobs import MosaicJob, PairJob, UpstreamPlan
from .model_yaml import model_spec, spec_from_yaml
from .outputs import file_id
from .plan import build_plan, plan_from_file
from .rows import is_gdal_name, output_name, read_csv_rows, resolve_path
from .schema import DOCUMENTED, NO_EFFECT

__all__ = [
    "COMPRESSIONS", "DOCUMENTED", "MAX_FRAMES", "NO_EFFECT", "SIDECAR_SUFFIXES", "TASKS", "ConfigError", "MosaicJob",
    "PairJob", "UpstreamConfig", "UpstreamPlan", "build_plan", "file_id", "is_gdal_name", "load_config", "model_spec",
    "output_name", "parse_config", "plan_from_file", "read_csv_rows", "read_yaml", "resolve_path", "spec_from_yaml",
    "types_files",
]
