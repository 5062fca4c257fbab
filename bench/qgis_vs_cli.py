"""`make bench` section ``qgis``: the same change map through ``qgis_process`` and from a plain Python
process (the core's API, as ``python -m planaura_plugin`` runs it), side by side (issue 27).

Both runs: the real 1000 x 1000 HLS pair, the base checkpoint, CPU, batch 4, outputs cosine map,
before/after dates and quality. Figures per side: wall and CPU seconds of the whole process,
peak RSS, and the line the core logs once the model is loaded (torch threads and the BLAS the
matrix products run in: :mod:`planaura_plugin.model.runtime_info`); then the ratio of CPU
seconds QGIS / command line (the target: within 5 %).
"""
from __future__ import annotations

import re
from typing import Any, Dict

RUNTIME_LINE = re.compile(r"torch [^:\s]+: \d+ threads; matrix products: [^\"\n\\]+")


def job_cli_change_map(args: Dict[str, Any]) -> Dict[str, Any]:
    """``run_change_map`` on the pair and nothing else (no timers): the command line's work."""
    from run_bench import _change_map_request

    from planaura_plugin.feedback import Feedback
    from planaura_plugin.model.runtime_info import describe_runtime, runtime_line
    from planaura_plugin.pipeline.change import run_change_map

    lines = []

    class Log(Feedback):
        def info(self, message: str) -> None:
            lines.append(message)

    written = run_change_map(_change_map_request(args), Log())
    info = describe_runtime()
    return {"outputs": sorted(written), "runtime": info, "runtime_line": runtime_line(info),
            "logged": [m for m in lines if RUNTIME_LINE.search(m)]}


def compare(checkpoint: str, before: str, after: str, max_wait: float) -> Dict[str, Any]:
    """``{"cli": {...}, "qgis": {...}, "qgis_over_cli_cpu", "qgis_over_cli_wall"}``."""
    from run_bench import qgis_changemap, run_job

    cli = run_job("cli_change_map", {"checkpoint": checkpoint, "arch": {}, "stride": 16, "inputs": [before, after],
                                     "out_dir": None}, max_wait)
    qgis = qgis_changemap(checkpoint, max_wait)
    out: Dict[str, Any] = {"cli": cli, "qgis": qgis}
    if qgis.get("process_cpu_s") and cli.get("process_cpu_s"):
        out["qgis_over_cli_cpu"] = round(qgis["process_cpu_s"] / cli["process_cpu_s"], 3)
        out["qgis_over_cli_wall"] = round(qgis["end_to_end_s"] / cli["process_wall_s"], 3)
    return out


JOBS = {"cli_change_map": job_cli_change_map}
