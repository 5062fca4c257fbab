"""`make bench` on any CPU (issue 27): feature detection, the precision plan and the section budget."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))

import cpu_plan  # noqa: E402

AVX2_ONLY = "fpu sse sse2 avx fma avx2 bmi2".split()  # this turn's machine (AMD EPYC, 2 cores)
SAPPHIRE = AVX2_ONLY + "avx512f avx512bw avx512_vnni avx512_bf16 amx_bf16 amx_int8 amx_tile".split()
ICELAKE = AVX2_ONLY + "avx512f avx512bw avx512_vnni".split()


def test_cpuinfo_flags_are_read_from_the_first_processor(tmp_path):
    info = tmp_path / "cpuinfo"
    info.write_text("processor : 0\nflags\t\t: fpu avx2 fma\n\nprocessor : 1\nflags : fpu avx512_bf16\n")
    assert cpu_plan.read_cpu_flags(str(info)) == ["avx2", "fma", "fpu"]
    assert cpu_plan.read_cpu_flags(str(tmp_path / "none")) == []


@pytest.mark.parametrize("flags,cap,expected", [
    (AVX2_ONLY, "AVX2", dict(bf16_native=False, int8_dot=False, avx2=True, avx512=False)),
    (ICELAKE, "AVX512", dict(bf16_native=False, int8_dot=True, avx2=True, avx512=True)),
    (SAPPHIRE, "AVX512", dict(bf16_native=True, int8_dot=True, avx2=True, avx512=True)),
    (["fpu", "sse2"], "DEFAULT", dict(bf16_native=False, int8_dot=False, avx2=False, avx512=False)),
    ([], "AVX2", dict(bf16_native=False, int8_dot=False, avx2=True, avx512=False)),  # no cpuinfo (macOS)
])
def test_features(flags, cap, expected):
    got = cpu_plan.cpu_features(flags, cap)
    assert {k: got[k] for k in expected} == expected and got["torch_cpu_capability"] == cap


def test_this_machine_is_read_at_run_time():
    got = cpu_plan.cpu_features()
    flags = cpu_plan.read_cpu_flags()
    assert got["bf16_native"] == bool({"avx512_bf16", "amx_bf16"} & set(flags))
    assert got["torch_cpu_capability"]  # torch is installed here


def test_precision_plan_shortens_what_is_emulated():
    avx2 = cpu_plan.precision_plan(cpu_plan.cpu_features(AVX2_ONLY, "AVX2"))
    assert {p: v["mode"] for p, v in avx2.items()} == {"float32": "full", "bfloat16": "short", "int8": "short"}
    assert "emulated" in avx2["bfloat16"]["reason"]
    amx = cpu_plan.precision_plan(cpu_plan.cpu_features(SAPPHIRE, "AVX512"))
    assert {p: v["mode"] for p, v in amx.items()} == {"float32": "full", "bfloat16": "full", "int8": "full"}
    old = cpu_plan.precision_plan(cpu_plan.cpu_features(["sse2"], "DEFAULT"))
    assert old["int8"]["mode"] == "skip" and old["bfloat16"]["mode"] == "short"


def test_precision_jobs_and_their_merge():
    plan = cpu_plan.precision_plan(cpu_plan.cpu_features(AVX2_ONLY, "AVX2"))
    jobs = cpu_plan.precision_jobs(plan, tiles=4)
    assert jobs == [{"precisions": ["float32"], "max_tiles": 4},
                    {"precisions": ["float32", "bfloat16"], "max_tiles": 1},
                    {"precisions": ["float32", "int8"], "max_tiles": 1}]
    parts = [{"float32": {"s_per_tile": 8.0}, "tiles": 4}, {"float32": {"s_per_tile": 9.0},
             "bfloat16": {"s_per_tile": 33.0}, "tiles": 1}, {"float32": {"s_per_tile": 9.0},
                                                              "int8": {"s_per_tile": 6.0}, "tiles": 1}]
    merged = cpu_plan.merge_precision_results(parts, plan)
    assert merged["float32"]["s_per_tile"] == 8.0 and merged["float32"]["tiles"] == 4
    assert merged["bfloat16"] == {"s_per_tile": 33.0, "mode": "short", "tiles": 1, "reason": plan["bfloat16"]["reason"]}
    assert merged["int8"]["tiles"] == 1 and merged["plan"] is plan


@pytest.mark.parametrize("fwd,full,budget,tiles", [(None, 2, 240, 9), (8.0, 0, 240, 9), (8.0, 2, 240, 4),
                                                   (30.0, 2, 240, 1), (1.0, 2, 240, 9)])
def test_precision_tiles_fit_the_budget(fwd, full, budget, tiles):
    assert cpu_plan.precision_tiles(fwd, full, budget) == tiles


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_sections_run_while_their_budget_fits_and_the_rest_is_said():
    clock = Clock()
    budget = cpu_plan.SectionBudget({"a", "b", "c", "d"}, total_s=100, budgets={"a": 30, "b": 50, "c": 40, "d": 5},
                                    clock=clock)
    assert budget.run("a")
    clock.now = 35.0
    assert not budget.run("x")  # not asked for
    assert budget.run("b")
    clock.now = 80.0
    assert not budget.run("c")  # 40 s > the 20 s left
    assert budget.run("d")
    clock.now = 83.0
    report = budget.report()
    assert report["section_s"] == {"a": 35.0, "b": 45.0, "d": 3.0}
    assert list(report["skipped"]) == ["c"] and "--only c" in report["skipped"]["c"]
    assert budget.job_timeout() == 17.0


def test_a_stopped_section_skips_the_others():
    clock = Clock()
    budget = cpu_plan.SectionBudget({"a", "b"}, total_s=100, budgets={"a": 10, "b": 10}, clock=clock)
    assert budget.run("a")
    clock.now = 100.0
    budget.stop("a", "stopped at the time limit")
    assert not budget.run("b") and budget.report()["skipped"] == {"a": "stopped at the time limit"}


def test_every_section_of_the_bench_has_a_budget_and_the_default_set_is_known():
    import run_bench  # noqa: F401  (imports cleanly with the new modules)

    assert set(cpu_plan.SECTIONS) == {"forward", "cancel", "core", "qgis", "precisions", "profile", "scaling",
                                      "dense", "mosaic", "densemem", "null", "gflops", "distributed", "resume",
                                      "series"}
    assert cpu_plan.TOTAL_BUDGET_S < 20 * 60
