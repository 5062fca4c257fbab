"""`make bench` reaches into the pipeline by name (timers wrap its stages, the forward job plans tiles):
a module split or a rename must fail here, not in a 20-minute bench run."""
from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


class _NameCheckingTimers:
    """Stands for bench.instrument.Timers: only checks that each wrapped name exists."""

    def __init__(self) -> None:
        self.wrapped = []

    def wrap(self, owner, attr, label=None, timeline=False) -> None:
        assert callable(getattr(owner, attr)), f"{owner!r}.{attr} is not callable"
        self.wrapped.append(attr)


def test_every_stage_the_profile_times_exists():
    sys.path.insert(0, str(REPO / "bench"))
    import run_bench

    timers = _NameCheckingTimers()
    run_bench._pipeline_timers(timers)
    assert {"plan_change_map", "tile_maps", "_advance", "finish", "commit"} <= set(timers.wrapped)


def test_the_forward_job_finds_the_planning_steps_it_uses():
    from planaura_plugin.pipeline import change_plan

    assert callable(change_plan.plan_change_map) and callable(change_plan.date_readers)
