"""`make bench` section series: the job runs (three small dates here) and the table shows its figures."""
from __future__ import annotations

import sys
from pathlib import Path

from support import TINY

REPO = Path(__file__).resolve().parents[1]


def test_the_series_section_measures_pairs_and_merge_and_the_table_shows_it(tiny_checkpoint):
    sys.path.insert(0, str(REPO / "bench"))
    import run_bench
    import series_bench

    result = series_bench.job_series({"checkpoint": str(tiny_checkpoint), "arch": TINY, "dates": 3,
                                       "crop": [600, 800, 128, 128]})
    assert result["pairs"] == 2 and result["single_pair_s"] > 0 and result["pairs_s"] > 0
    assert result["single_pair_cold_cpu_s"] > 0 and result["merge_percent_of_pairs_cpu"] > 0
    assert result["merge_s"] > 0 and result["report_s"] > 0
    assert result["merge_percent_of_pairs"] == round(100 * (result["merge_s"] + result["report_s"])
                                                      / result["pairs_s"], 2)
    rows = series_bench.series_rows({"series_20_dates": result})
    assert [r[1] for r in rows] == [result["per_pair_vs_single"], result["merge_percent_of_pairs"]]
    assert run_bench.JOBS["series"] is series_bench.job_series
