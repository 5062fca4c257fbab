"""The record of a series' finished pairs, for resume: ``pairs/series_manifest.json``.

A pair is reused when its record says it was done with the same parameters (the pair's whole
change-map request, device and batch size aside), its inputs have the recorded sizes and times
and its outputs the recorded bytes (:func:`~..runs.manifest.pair_is_current`). The file is written
under a temporary name and renamed, so a killed run leaves the previous record intact.
"""
from __future__ import annotations

import json
import os
from typing import Any, Dict, List, Mapping

from ..runs.manifest import DONE, input_facts, output_facts, pair_is_current, parameters_hash

FORMAT = "planaura-series-pairs"


def _inputs(change: Any) -> List[str]:
    return [str(p) for p in change.inputs] + [str(q) for q in change.fmasks if q]


class PairRecords:
    """The pairs' records of one output folder.

    Args:
        path: the JSON file (need not exist).
        resume: False: every pair runs again (the records are still written).
    """

    def __init__(self, path: str, resume: bool = True) -> None:
        self.path = path
        self.resume = resume
        self.records: Dict[str, Dict[str, Any]] = {}
        try:
            with open(path, encoding="utf-8") as fh:
                data = json.load(fh)
            if isinstance(data, dict) and data.get("format") == FORMAT and isinstance(data.get("pairs"), dict):
                self.records = data["pairs"]
        except (OSError, ValueError):
            pass

    def current(self, pair_id: str, change: Any) -> bool:
        """Whether the pair's files can be reused for ``change`` (its ChangeMapRequest)."""
        return self.resume and pair_is_current(self.records.get(pair_id), parameters_hash(change), _inputs(change))

    def record(self, pair_id: str, change: Any, written: Mapping[str, str]) -> None:
        """Keep a finished pair (``written``: kind -> path; empty when the pair gave no map)."""
        if not written:
            self.records.pop(pair_id, None)
        else:
            self.records[pair_id] = {"status": DONE, "params": parameters_hash(change),
                                     "inputs": [input_facts(p) for p in _inputs(change)],
                                     "outputs": {k: output_facts(v) for k, v in written.items()}}
        os.makedirs(os.path.dirname(self.path) or ".", exist_ok=True)
        tmp = f"{self.path}.tmp{os.getpid()}"
        with open(tmp, "w", encoding="utf-8") as fh:
            json.dump({"format": FORMAT, "pairs": self.records}, fh, indent=1, sort_keys=True)
        os.replace(tmp, self.path)
