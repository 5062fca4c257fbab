"""What a run hands back: one :class:`RunResult` per execution, one :class:`PairOutcome` per pair task.

Both are plain data: a :class:`PairOutcome` travels back from a Dask worker, a :class:`RunResult`
is what :func:`~.resumable.run_plan` (and :func:`~.execute.execute_plan`) return.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Tuple

from .manifest import FAILED


@dataclass
class RunResult:
    """What a run wrote, per CSV row and for the mosaic, what it removed, and what the run
    manifest says about this execution (which pairs it computed, kept or saw fail)."""

    pairs: Dict[int, Dict[str, str]] = field(default_factory=dict)  # CSV line -> kind -> path
    mosaic: Dict[str, str] = field(default_factory=dict)
    removed: List[str] = field(default_factory=list)
    seconds: float = 0.0
    run_id: str = ""
    manifest: str = ""
    computed: List[str] = field(default_factory=list)  # file ids computed by this execution
    skipped: List[str] = field(default_factory=list)  # file ids kept from an earlier execution
    failed: Dict[str, str] = field(default_factory=dict)  # file id -> reason
    mosaic_skipped: bool = False
    model_loads: int = 0  # networks loaded by the tasks of this execution (all workers together)
    dashboard: Optional[str] = None

    @property
    def files(self) -> List[str]:
        """Every output path of the run (pairs, then mosaic) that ``delete_residues`` did not remove."""
        kept = set(self.removed)
        out = [p for d in self.pairs.values() for p in d.values() if p not in kept]
        return out + [p for p in self.mosaic.values() if p not in kept]


@dataclass
class PairOutcome:
    """What one pair task did; plain data (sent back from Dask workers)."""

    file_id: str
    row: int
    status: str  # "done" or "failed"
    outputs: Dict[str, Dict[str, Any]] = field(default_factory=dict)  # kind -> output_facts
    error: Optional[str] = None
    messages: List[Tuple[str, str]] = field(default_factory=list)  # ("info" | "warning", text)
    model_loaded: bool = False  # this task loaded the network (False: reused, or no model work)
    worker: str = ""  # host:pid that ran it
    seconds: float = 0.0


def failure_of(exc: BaseException) -> PairOutcome:
    """A failed outcome for a task that raised (used by executors); the reason names the exception.

    The caller sets ``file_id`` and ``row`` (the task's pair).
    """
    text = " ".join(str(exc).split())
    return PairOutcome(file_id="", row=0, status=FAILED, error=f"{type(exc).__name__}: {text}" if text
                       else type(exc).__name__)
