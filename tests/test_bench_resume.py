"""`make bench` section resume: the job runs and its table rows read its figures."""
from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_the_resume_section_measures_rehashing_and_the_table_shows_it():
    sys.path.insert(0, str(REPO / "bench"))
    import resume_hash
    import run_bench

    result = resume_hash.job_resume_hash({"sizes": [200], "repeats": 1})
    pair = result["pair_200px"]
    assert pair["outputs_mb"] > 0 and pair["rehash_ms_per_pair"] > 0 and pair["stat_only_ms_per_pair"] >= 0
    rows = run_bench._distributed_rows({"resume_rehash": result})
    assert [r for r in rows if r[0].startswith("resume: re-hashing a kept 200px pair") and
            r[1] == pair["rehash_ms_per_pair"]], rows
    assert "resume_hash" in run_bench.JOBS
