"""A change map run again from its provenance record (``provenance.py``): the request it was made with."""
from __future__ import annotations

from typing import Any, Dict, Mapping

from ..model.config import ModelConfig
from ..model.loading import ModelSpec
from ..presets import Preset
from ..provenance import SCHEMA
from .requests import ChangeMapRequest


def request_from_provenance(record: Mapping[str, Any], outputs):
    """A :class:`~.requests.ChangeMapRequest` that runs a recorded change map again.

    Args:
        record: a record of :func:`change_map_record` (e.g. read from the JSON beside the outputs).
        outputs: a :class:`~.requests.ChangeMapOutputs` (new paths; the record's are in
            ``record["outputs"]``).

    Raises:
        ValueError: the record is not a change-map record of this schema.
    """

    if record.get("schema") != SCHEMA or record.get("job") != "change_map":
        raise ValueError(f"not a {SCHEMA} change-map record")
    m = record["model"]
    tuples = {"bands", "mean", "std"}

    def fields_of(recorded: Mapping[str, Any]) -> Dict[str, Any]:
        return {k: tuple(v) if k in tuples else v for k, v in recorded.items()}

    preset = Preset(**fields_of(m["preset"]))
    config = ModelConfig(**fields_of(m["config"]))
    spec = ModelSpec(preset=preset, config=config, checkpoint=m["checkpoint"] or m["weights"]["path"],
                     repo_id=m["repo_id"], device=m["device"], precision=m["precision"],
                     batch_size=m["batch_size"], multi_gpu=m["multi_gpu"])
    params = dict(record["parameters"])
    if params.get("bbox") is not None:
        params["bbox"] = tuple(params["bbox"])
    params["class_thresholds"] = tuple(params["class_thresholds"])
    return ChangeMapRequest(inputs=[i["name"] for i in record["inputs"]], outputs=outputs, model=spec, **params)
