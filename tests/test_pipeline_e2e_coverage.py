"""A quarter with too little coverage is stopped before publication; a sound one is not held back.

Two ``werkmonitor run`` calls of their own (no shared build; in the test
process, ``e2e_fixtures.run_here``: the gates and the range are under test, not
the process start-up): its own file so
that the second xdist worker runs it while the first builds the Q3 run that
test_pipeline_e2e.py and test_pipeline_e2e_quarters.py share (each file goes
whole to one worker, ``--dist loadfile``). Moved unchanged from
test_pipeline_e2e_quarters.py.
"""

from __future__ import annotations

import shutil

import duckdb
import pytest
from e2e_fixtures import national_figures, run_here
from published_q3_2024 import build_landing_zone, mismatches

pytestmark = pytest.mark.slow


def test_a_quarter_below_the_coverage_threshold_is_blocked(tmp_path):
    from werkmonitor.generate import generate_landing_zone

    generate_landing_zone(tmp_path / "gen", scale=0.2, seed=3, first="2024Q2", last="2024Q2")
    quarter_dir = tmp_path / "raw" / "2024Q2"
    quarter_dir.mkdir(parents=True)
    for submission in sorted((tmp_path / "gen" / "2024Q2").iterdir())[:5]:
        target = quarter_dir / submission.name
        copy = shutil.copytree if submission.is_dir() else shutil.copy2
        copy(submission, target)
    blocked = run_here(tmp_path, "--quarter", "2024Q2")
    assert blocked.returncode == 1  # nothing published
    assert "publication_gate" in blocked.stderr
    assert "national_coverage" in blocked.stderr or "dekking" in blocked.stderr.lower()
    assert not (tmp_path / "published" / "werkmonitor.duckdb").exists()
    # contract 8: in a range, the blocked quarter does not hold back the sound one
    build_landing_zone(tmp_path / "raw")
    both = run_here(tmp_path, "--all")
    assert both.returncode == 3, both.stderr[-3000:]
    assert "2024Q2 NOT published" in both.stderr
    with duckdb.connect(str(tmp_path / "published" / "werkmonitor.duckdb"), read_only=True) as con:
        rows = con.execute("select distinct quarter from publication").fetchall()
    published = {q for (q,) in rows}
    assert published == {"2024Q3"}
    assert mismatches(national_figures(tmp_path, "2024Q3")) == []
