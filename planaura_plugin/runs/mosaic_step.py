"""The mosaic step of a resumable run: recomputed only when one of its inputs changed.

Its inputs are the per-pair files of the plan's pairs (by SHA-256, taken from the pair records
of the run manifest when the file is the one recorded) and the input images it samples (by
size and modification time); its parameters are the mosaic request without its pairs. When
``delete_residues`` removed the per-pair files after an earlier mosaic, a removed file counts
as unchanged while its pair's record says so.
"""
from __future__ import annotations

import os
import time
from dataclasses import replace
from typing import Any, Dict, List, Optional

from ..errors import InputError
from ..feedback import Feedback
from ..i18n import _
from ..products import pair_raster_files, pair_raster_kinds, request_fields, request_layers
from ..upstream import SIDECAR_SUFFIXES, UpstreamPlan
from . import pipelines
from .manifest import (DONE, RunManifest, input_facts, mosaic_is_current, output_records, parameters_hash, same_file,
                       sha256_of)
from .results import RunResult

MISSING = "missing"
REMOVED = "removed"
PAIR_KINDS = tuple(pair_raster_kinds())


def _recorded_outputs(manifest: RunManifest) -> Dict[str, Dict[str, Any]]:
    """path -> output record of every pair in the manifest."""
    return {o["path"]: o for rec in manifest.pairs.values() for o in (rec.get("outputs") or {}).values()
            if o.get("path")}


def mosaic_inputs(plan: UpstreamPlan, manifest: RunManifest) -> Dict[str, str]:
    """path -> digest of every file the mosaic reads (``missing`` / ``removed`` when absent).

    Args:
        plan: a plan with a mosaic.
        manifest: the run manifest (its pair records spare re-hashing files just written).

    Returns:
        The mapping recorded in (and compared with) the mosaic's manifest record.
    """
    assert plan.mosaic is not None, "called for plans with a mosaic"
    recorded = _recorded_outputs(manifest)
    digests: Dict[str, str] = {}
    for pair in plan.mosaic.request.pairs:
        for path in pair_raster_files(pair):
            rec = recorded.get(path)
            if not os.path.isfile(path):
                digests[path] = REMOVED if rec and rec.get("removed") else MISSING
            elif rec and rec.get("sha256") and same_file(rec):
                digests[path] = rec["sha256"]
            else:
                digests[path] = sha256_of(path)
    images = list(plan.mosaic.request.input_images)
    images += [p for pair in plan.mosaic.request.pairs for p in pair.inputs]
    for path in dict.fromkeys(images):
        facts = input_facts(path)
        digests[path] = f"{facts['size']}:{facts['mtime_ns']}" if facts["size"] is not None else MISSING
    return digests


def mosaic_parameters(plan: UpstreamPlan) -> str:
    """Hash of the mosaic request without its pairs and images (those are its inputs)."""
    assert plan.mosaic is not None, "called for plans with a mosaic"
    return parameters_hash(replace(plan.mosaic.request, pairs=[], input_images=()), plan.mosaic.delete_residues)


def mosaic_step(plan: UpstreamPlan, manifest: RunManifest, result: RunResult, executor: Optional[Any], resume: bool,
                feedback: Feedback) -> None:
    """Skip the mosaic when current, else compute it (in this process or on the Dask executor)
    and record it; then ``delete_residues``. Fills ``result.mosaic`` / ``mosaic_skipped`` / ``removed``."""
    assert plan.mosaic is not None, "called for plans with a mosaic"
    feedback.check_cancelled()
    params = mosaic_parameters(plan)
    inputs = mosaic_inputs(plan, manifest)
    if resume and mosaic_is_current(manifest.mosaic, params, inputs):
        assert manifest.mosaic is not None  # mosaic_is_current is False without a record
        result.mosaic = {k: o["path"] for k, o in manifest.mosaic["outputs"].items()}
        result.mosaic_skipped = True
        feedback.info(_("mosaic: its inputs are unchanged since it was written; kept"))
        return
    if result.failed and "infer" in plan.config.tasks and not (result.computed or result.skipped):
        feedback.warning(_("no mosaic: every pair failed"))
        return
    if result.failed:
        feedback.warning(_("the mosaic is built without the {n} failed pair(s)").format(n=len(result.failed)))
    request = pairs_on_disk(plan, feedback) if "infer" in plan.config.tasks else plan.mosaic.request
    feedback.info(_("mosaic of {n} pair(s)").format(n=len(request.pairs)))
    if executor is not None:
        written = executor.run_mosaic(request, feedback)
    else:
        run_mosaic = pipelines.pipelines(("mosaic",))[1]
        assert run_mosaic is not None  # imported for the "mosaic" task
        written = run_mosaic(request, feedback)
    result.mosaic = {k: str(v) for k, v in (written or {}).items()}
    manifest.set_mosaic({"status": DONE, "params": params, "inputs": inputs,
                         "outputs": output_records(result.mosaic), "run": result.run_id,
                         "finished": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())})
    if plan.mosaic.delete_residues:
        mosaic_files = {os.path.realpath(p) for p in result.mosaic.values()}
        for pair in request.pairs:
            for path in pair_raster_files(pair):
                if os.path.realpath(path) not in mosaic_files:
                    result.removed += remove_with_sidecars(path)
        gone = set(result.removed)
        for rec in manifest.pairs.values():
            for out in (rec.get("outputs") or {}).values():
                if out.get("path") in gone:
                    out["removed"] = True
        assert manifest.mosaic is not None  # set just above
        for path in gone & set(manifest.mosaic["inputs"]):
            manifest.mosaic["inputs"][path] = REMOVED
        manifest.save()


def pairs_on_disk(plan: UpstreamPlan, feedback: Feedback):
    """The mosaic request restricted to the per-pair files the run wrote (a pair without any
    valid tile writes nothing, a failed pair neither).

    Args:
        plan: a plan with a mosaic.
        feedback: a warning per pair left out.

    Returns:
        The plan's MosaicRequest with only the pairs, and the layers, found on disk.

    Raises:
        InputError: no pair has its reference layer on disk.
    """
    assert plan.mosaic is not None  # called for a plan with a mosaic
    request = plan.mosaic.request
    ref = request.reference or "cosine_map"
    kept = []
    for pair in request.pairs:
        if not os.path.isfile(getattr(pair, ref)):
            feedback.warning(_("no {name}: that pair is left out of the mosaic").format(
                                 name=os.path.basename(getattr(pair, ref))))
            continue
        on_disk = {k: p for k, p in request_layers(pair, PAIR_KINDS).items() if os.path.isfile(p)}
        kept.append(replace(pair, **request_fields(on_disk, complete=PAIR_KINDS)))
    if not kept:
        raise InputError(_("mosaic: no pair produced a {ref} layer (no tile had enough valid pixels?)").format(
                             ref=ref))
    return replace(request, pairs=kept)


def remove_with_sidecars(path: str) -> List[str]:
    """Remove a per-pair file and its sidecars (``.tfw``, ``.aux.xml``...); returns what was removed."""
    removed = []
    for p in [path] + [path + s for s in SIDECAR_SUFFIXES] + [os.path.splitext(path)[0] + s for s in SIDECAR_SUFFIXES]:
        if os.path.lexists(p) and os.path.isfile(p):
            os.remove(p)
            removed.append(p)
    return removed
