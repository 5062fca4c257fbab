"""How an output was made: the one definition of the provenance record (issue 27).

Every change-map raster carries it as GDAL metadata (``PLANAURA_PROVENANCE``: the record as JSON,
plus ``PLANAURA_PLUGIN_VERSION`` and ``PLANAURA_WEIGHTS_SHA256`` to read at a glance) and the run
writes it beside its outputs as ``<first output>.provenance.json`` (the YAML runner: in its run
manifest instead). The record holds:

- ``plugin_version``, ``created`` (UTC, ISO 8601) and the software (Python, numpy, GDAL, torch);
- ``model``: preset name and statistics, architecture, device, precision, batch size and the
  weights (path, SHA-256, size, pinned revision when official: :mod:`.model.weights_check`);
- ``parameters``: every field of the :class:`~.pipeline.requests.ChangeMapRequest` but the
  output paths, enough to run it again (``pipeline.rerun.request_from_provenance``);
- ``inputs``: per image, its dataset name, date (YYYYDDD) and the files GDAL reads for it, each
  with size and fingerprint (:func:`file_fingerprint`).
"""
from __future__ import annotations

import dataclasses
import datetime
import hashlib
import json
import os
import platform
from typing import Any, Dict, List, Mapping, Optional, Sequence

SCHEMA = "planaura-provenance/1"
KEY = "PLANAURA_PROVENANCE"  # GDAL metadata item: the whole record as JSON
VERSION_KEY = "PLANAURA_PLUGIN_VERSION"
WEIGHTS_KEY = "PLANAURA_WEIGHTS_SHA256"
SIDECAR_SUFFIX = ".provenance.json"
FULL_HASH_LIMIT = 256 * 2 ** 20  # files up to this size get a full SHA-256
SAMPLE_BLOCKS, SAMPLE_SIZE = 16, 2 ** 20
SAMPLED = "sha256-size-16x1MiB"  # the fingerprint of larger files (see file_fingerprint)


def file_fingerprint(path: str) -> Dict[str, Any]:
    """``{"path", "size", "mtime", "fingerprint", "method"}`` of one input file.

    ``method`` ``sha256``: SHA-256 of the whole file (files up to 256 MiB, cached by path, size
    and time). ``sha256-size-16x1MiB`` (bigger files): SHA-256 of the size as 8 bytes
    little-endian followed by 16 blocks of 1 MiB at offsets ``k * (size - 1 MiB) // 15`` — fast, a
    fingerprint that any change of size or of those blocks alters, not a hash of every byte.
    """
    from .model.weights_check import file_sha256

    st = os.stat(path)
    entry: Dict[str, Any] = {"path": os.path.abspath(path), "size": st.st_size,
                             "mtime": datetime.datetime.fromtimestamp(st.st_mtime, datetime.timezone.utc).isoformat()}
    if st.st_size <= FULL_HASH_LIMIT:
        entry.update(fingerprint=file_sha256(path), method="sha256")
        return entry
    digest = hashlib.sha256(st.st_size.to_bytes(8, "little"))
    with open(path, "rb") as handle:
        for k in range(SAMPLE_BLOCKS):
            handle.seek(k * (st.st_size - SAMPLE_SIZE) // (SAMPLE_BLOCKS - 1))
            digest.update(handle.read(SAMPLE_SIZE))
    entry.update(fingerprint=digest.hexdigest(), method=SAMPLED)
    return entry


def input_record(name: str, date: Optional[int]) -> Dict[str, Any]:
    """One input image: its dataset name, date and every local file GDAL reads for it."""
    from .raster.geotiff import files_read

    files = [file_fingerprint(p) for p in files_read(name) if os.path.isfile(p)]
    return {"name": str(name), "date": None if date is None else int(date), "files": files}


def _plain(value: Any) -> Any:
    """JSON-ready copy: dataclasses as dicts, tuples as lists."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def model_record(spec) -> Dict[str, Any]:
    """The model part of the record for a :class:`~.model.loading.ModelSpec` (weights hashed once)."""
    weights = spec.weights_identity()
    return {"preset": _plain(spec.preset), "config": _plain(spec.config), "checkpoint": spec.checkpoint,
            "repo_id": spec.repo_id, "device": spec.device, "precision": spec.precision,
            "batch_size": spec.batch_size, "multi_gpu": spec.multi_gpu, "weights": _plain(weights)}


def software() -> Dict[str, str]:
    """Versions of what computed the numbers."""
    import numpy

    from . import __version__

    out = {"planaura": __version__, "python": platform.python_version(), "numpy": numpy.__version__}
    try:
        from osgeo import gdal
        out["gdal"] = gdal.__version__
    except ImportError:  # pragma: no cover - GDAL is required by the pipeline
        pass
    try:
        import torch
        out["torch"] = torch.__version__
    except ImportError:
        pass
    return out


def change_map_record(request, dates: Sequence[Optional[int]]) -> Dict[str, Any]:
    """The provenance record of a change-map request (``dates``: YYYYDDD per input, as planned)."""
    from . import __version__

    params = {f.name: _plain(getattr(request, f.name)) for f in dataclasses.fields(request)
              if f.name not in ("outputs", "model", "inputs")}
    return {"schema": SCHEMA, "plugin_version": __version__,
            "created": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
            "software": software(), "job": "change_map", "model": model_record(request.model),
            "parameters": params, "inputs": [input_record(n, d) for n, d in zip(request.inputs, dates)],
            "outputs": {k: v for k, v in _plain(request.outputs).items() if v}}


def metadata_items(record: Mapping[str, Any]) -> Dict[str, str]:
    """The GDAL metadata items of a record (values are strings).

    The run's time (``created``) stays in the JSON only: the same run gives the same raster bytes.
    """
    kept = {k: v for k, v in record.items() if k != "created"}
    return {KEY: json.dumps(kept, sort_keys=True, default=str), VERSION_KEY: str(record.get("plugin_version", "")),
            WEIGHTS_KEY: str(((record.get("model") or {}).get("weights") or {}).get("sha256", ""))}


def sidecar_path(outputs: Sequence[str]) -> str:
    """``<first output without extension>.provenance.json``: the record beside the outputs."""
    first = os.path.abspath(str(outputs[0]))
    return os.path.splitext(first)[0] + SIDECAR_SUFFIX


def write_sidecar(record: Mapping[str, Any], path: str) -> None:
    """Write the record as indented JSON (UTF-8) at ``path`` (a temporary name of an OutputSet)."""
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(record, handle, indent=2, sort_keys=True, default=str)
        handle.write("\n")


def read_provenance(path: str) -> Dict[str, Any]:
    """The record of a raster (its GDAL metadata) or of a ``.provenance.json``; empty when none."""
    if path.endswith(SIDECAR_SUFFIX):
        with open(path, encoding="utf-8") as handle:
            return json.load(handle)
    from osgeo import gdal

    from .gdal_calls import gdal_call

    ds = gdal_call(gdal.Open, str(path))[0]
    value = (ds.GetMetadata() or {}).get(KEY) if ds is not None else None
    return json.loads(value) if value else {}


def record_of_outputs(outputs: Mapping[str, Mapping[str, Any]]) -> Dict[str, Any]:
    """The record carried by the first raster among ``{kind: {"path": ...}}`` (a run manifest's
    outputs), without the JSON-only ``created``; empty when none carries one."""
    for facts in outputs.values():
        path = str(facts.get("path", ""))
        if path.lower().endswith((".tif", ".tiff")) and os.path.isfile(path):
            record = read_provenance(path)
            if record:
                return record
    return {}


def input_names(record: Mapping[str, Any]) -> List[str]:
    """The dataset names of the record's inputs, in frame order."""
    return [str(i["name"]) for i in record.get("inputs", [])]
