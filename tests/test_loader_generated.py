"""The demo landing zone loads cleanly: the generator and the loader read one format."""

from __future__ import annotations

import time

import duckdb
import pytest

from werkmonitor.loader import load_quarter


@pytest.mark.slow
def test_generated_quarter_loads_without_rejections(tmp_path):
    from werkmonitor.generate import generate_landing_zone

    raw, wh = tmp_path / "raw", tmp_path / "wh.duckdb"
    generated = generate_landing_zone(raw, scale=1, seed=42, first="2024Q3", last="2024Q3")
    started = time.perf_counter()
    summary = load_quarter("2024Q3", raw, wh)
    elapsed = time.perf_counter() - started
    stats = generated["quarters"]["2024Q3"]
    assert summary.rejected == 0, summary.format()
    assert summary.rows_quarantined == 0, summary.format()
    assert summary.accepted == stats["files"]
    con = duckdb.connect(str(wh), read_only=True)
    current = con.execute(
        "select count(*) from raw.trajecten t join audit.submissions s using (submission_id)"
        " where s.status = 'accepted'"
    ).fetchone()[0]
    jobs = con.execute(
        "select count(*) from raw.banen b join audit.submissions s using (submission_id)"
        " where s.status = 'accepted'"
    ).fetchone()[0]
    con.close()
    assert (current, jobs) == (stats["trajecten"], stats["banen"])
    print(f"scale 1, 2024Q3: {summary.rows_loaded} rows loaded in {elapsed:.1f}s")
