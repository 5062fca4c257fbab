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
    from planaura_plugin.pipeline.change import plan as change_plan

    assert callable(change_plan.plan_change_map) and callable(change_plan.date_readers)


def test_the_null_model_section_splits_a_run_into_per_run_and_per_tile_cost():
    sys.path.insert(0, str(REPO / "bench"))
    import run_bench

    fixed, per_tile = 0.25, 0.014  # s
    sample = {"end_to_end_s": fixed + 9 * per_tile, "tiles": 9, "ms_per_tile": 41.0}
    hls = {"end_to_end_s": fixed + 196 * per_tile, "tiles": 196, "ms_per_tile": 15.3}
    section = run_bench.null_model_section(hls, sample)
    assert section["ms_per_tile"] == 15.3 and section["sample_1000x1000"] is sample
    assert section["marginal_ms_per_tile"] == 14.0 and section["fixed_per_run_s"] == 0.25
