"""What `make bench` measures on this CPU, and in what time (issue 27: `make bench` on any CPU).

- :func:`cpu_features`: the CPU's features read at run time (``/proc/cpuinfo`` flags and
  ``torch.backends.cpu.get_cpu_capability()``): native bfloat16 (AVX-512 BF16, AMX), int8 dot
  products (AVX-512 VNNI, AVX-VNNI, AMX INT8), AVX2.
- :func:`precision_plan`: per CPU precision, ``full`` (every tile of the real pair), ``short``
  (one tile: the figure without the half-hour; the JSON says why) or ``skip``.
- :class:`SectionBudget`: each section has a budget in seconds and the whole bench 19 minutes; a
  section whose budget no longer fits is skipped (the JSON says so and which ``--only`` runs it),
  and a job is stopped at the bench's time limit. The seconds each section took are recorded.
"""
from __future__ import annotations

import time
from typing import Any, Dict, Iterable, List, Optional

TOTAL_BUDGET_S = 19 * 60.0  # the whole bench, preparation included, on a loaded 2-core machine
#: seconds per section, in the order the sections run (the most telling first)
SECTION_BUDGET_S: Dict[str, float] = {
    "forward": 150, "cancel": 60, "core": 150, "qgis": 260, "precisions": 240, "profile": 120, "scaling": 150,
    "dense": 100, "mosaic": 60, "densemem": 60, "null": 90, "gflops": 0, "distributed": 90, "resume": 45,
    "series": 150}
SECTIONS = tuple(SECTION_BUDGET_S)
BF16_NATIVE = ("avx512_bf16", "amx_bf16")
INT8_DOT = ("avx512_vnni", "avx_vnni", "amx_int8")


def read_cpu_flags(path: str = "/proc/cpuinfo") -> List[str]:
    """The flags of the first processor in ``path`` (empty where there is none, e.g. macOS)."""
    try:
        with open(path) as handle:
            for line in handle:
                if line.startswith("flags"):
                    return sorted(line.split(":", 1)[1].split())
    except OSError:
        pass
    return []


def torch_capability() -> Optional[str]:
    """``torch.backends.cpu.get_cpu_capability()`` (e.g. ``AVX2``, ``AVX512``), None without torch."""
    try:
        import torch

        return str(torch.backends.cpu.get_cpu_capability())
    except (ImportError, AttributeError, RuntimeError):
        return None


def cpu_features(flags: Optional[Iterable[str]] = None, capability: Optional[str] = "read") -> Dict[str, Any]:
    """The features the CPU precisions depend on.

    Args:
        flags: CPU flags (default: read from /proc/cpuinfo).
        capability: torch's CPU capability (default ``"read"``: asked from torch; None: unknown).

    Returns:
        ``{"flags", "torch_cpu_capability", "bf16_native", "int8_dot", "avx2", "avx512"}``.
    """
    have = set(read_cpu_flags() if flags is None else flags)
    cap = torch_capability() if capability == "read" else capability
    return {"flags": sorted(f for f in have if f.startswith(("avx", "amx", "fma"))),
            "torch_cpu_capability": cap,
            "bf16_native": bool(have & set(BF16_NATIVE)),
            "int8_dot": bool(have & set(INT8_DOT)),
            "avx2": "avx2" in have or (cap or "").upper().startswith(("AVX2", "AVX512")),
            "avx512": "avx512f" in have or (cap or "").upper().startswith("AVX512")}


def precision_plan(features: Dict[str, Any]) -> Dict[str, Dict[str, str]]:
    """``{precision: {"mode": "full" | "short" | "skip", "reason": ...}}`` for float32, bfloat16, int8.

    bfloat16 without AVX-512 BF16 or AMX is emulated (about 4x float32's time on AVX2): one tile.
    int8 needs at least AVX2 (fbgemm); without a dot-product instruction it is measured on one tile.
    """
    plan = {"float32": {"mode": "full", "reason": "the reference precision"}}
    if features.get("bf16_native"):
        plan["bfloat16"] = {"mode": "full", "reason": "native bfloat16 (AVX-512 BF16 or AMX)"}
    else:
        plan["bfloat16"] = {"mode": "short", "reason": "bfloat16 is emulated on this CPU (no avx512_bf16 or "
                                                       "amx_bf16): one tile only, its speed is not a reason to use it"}
    if features.get("int8_dot"):
        plan["int8"] = {"mode": "full", "reason": "int8 dot products in hardware (VNNI or AMX)"}
    elif features.get("avx2"):
        plan["int8"] = {"mode": "short", "reason": "int8 on AVX2 without VNNI: one tile"}
    else:
        plan["int8"] = {"mode": "skip", "reason": "no AVX2: fbgemm's int8 kernels do not run here"}
    return plan


class BudgetExceeded(RuntimeError):
    """A job ran into the bench's time limit and was stopped."""


class SectionBudget:
    """Decides which sections run within the total budget and records what each one took."""

    def __init__(self, asked: Iterable[str], total_s: float = TOTAL_BUDGET_S,
                 budgets: Optional[Dict[str, float]] = None, clock=time.monotonic) -> None:
        self.asked = set(asked)
        self.total_s = float(total_s)
        self.budgets = dict(SECTION_BUDGET_S if budgets is None else budgets)
        self.clock = clock
        self.start = clock()
        self.times: Dict[str, float] = {}
        self.skipped: Dict[str, str] = {}
        self._current: Optional[str] = None
        self._since = self.start

    def remaining(self) -> float:
        """Seconds left of the total budget."""
        return self.total_s - (self.clock() - self.start)

    def run(self, name: str) -> bool:
        """Whether section ``name`` runs now (asked for and its budget fits); ends the previous one."""
        self.end()
        if name not in self.asked:
            return False
        budget = self.budgets.get(name, 0.0)
        if budget > self.remaining():
            left = max(0.0, self.remaining())
            self.skipped[name] = (f"not run: its budget ({budget:.0f} s) is more than the {left:.0f}"
                                  f" s left of the bench's {self.total_s / 60:.0f} minutes (run it alone: "
                                  f"--only {name})")
            return False
        self._current, self._since = name, self.clock()
        return True

    def end(self) -> None:
        """Record the time of the section that is running, if any."""
        if self._current is not None:
            self.times[self._current] = round(self.clock() - self._since, 1)
            self._current = None

    def job_timeout(self) -> float:
        """The longest a job may run now: what is left of the total budget (at least 1 s)."""
        return max(1.0, self.remaining())

    def stop(self, name: str, reason: str) -> None:
        """Record that section ``name`` was stopped, and skip every section not yet run."""
        self.end()
        self.skipped[name] = reason
        self.asked = {s for s in self.asked if s in self.times}

    def report(self) -> Dict[str, Any]:
        """``{"total_budget_s", "section_budget_s", "section_s", "skipped"}`` for the JSON."""
        self.end()
        return {"total_budget_s": self.total_s, "section_budget_s": self.budgets, "section_s": dict(self.times),
                "skipped": dict(self.skipped)}


def precision_jobs(plan: Dict[str, Dict[str, str]], tiles: int) -> List[Dict[str, Any]]:
    """The precisions jobs to run: the full-mode precisions on ``tiles`` tiles together with float32,
    then each short one on one tile beside float32 (its error and speed against float32 there)."""
    full = [p for p, v in plan.items() if v["mode"] == "full" and p != "float32"]
    jobs = [{"precisions": ["float32"] + full, "max_tiles": tiles}]
    jobs += [{"precisions": ["float32", p], "max_tiles": 1} for p, v in plan.items() if v["mode"] == "short"]
    return jobs


def precision_tiles(forward_s_per_tile: Optional[float], full: int, budget_s: float, scene_tiles: int = 9) -> int:
    """Tiles of the real pair the full-mode precisions get within ``budget_s`` (1 to ``scene_tiles``).

    Each tile costs about ``(2 + 1.4 * full)`` forwards (float32's error and timing passes, then
    each other full precision's two at ~0.7 of float32's time); a third of the budget is kept for
    the short jobs.
    """
    if not forward_s_per_tile:
        return scene_tiles
    per_tile = forward_s_per_tile * (2 + 1.4 * full)
    return int(max(1, min(scene_tiles, (budget_s * 2 / 3) // per_tile)))


def merge_precision_results(parts: List[Dict[str, Any]], plan: Dict[str, Dict[str, str]]) -> Dict[str, Any]:
    """One ``cpu_precisions`` section from the jobs of :func:`precision_jobs` (float32 of the first
    job; each other precision from its own job, with its mode, reason and tile count)."""
    out: Dict[str, Any] = {"plan": plan}
    for job in parts:
        for precision, figures in job.items():
            if precision in plan and (precision != "float32" or "float32" not in out):
                out[precision] = dict(figures, mode=plan[precision]["mode"], tiles=job.get("tiles"))
        out.setdefault("cpu", job.get("cpu"))
    for precision, entry in plan.items():
        if entry["mode"] == "skip":
            out[precision] = {"mode": "skip", "reason": entry["reason"]}
        elif precision in out:
            out[precision]["reason"] = entry["reason"]
    return out
