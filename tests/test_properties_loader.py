"""Property: whatever odd but valid submission arrives, the loader keeps exactly what was sent.

Hypothesis draws single submissions (``property_zones.submissions``: tiny and
large, no jobs, only orientation rows, zero FTE, every row with an unknown
region, CSV folder or xlsx) for organisations of the real register and loads
each with ``werkmonitor.loader.load_quarter`` into a fresh warehouse. The
submission must be accepted; the rows set aside must be exactly the ones made
invalid on purpose; every other row must be stored with the values written.
The number of examples comes from the Hypothesis profile (``conftest.py``:
``ci`` at least 50, ``bench`` more).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import duckdb
from conftest import hypothesis_budget
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from property_zones import organisations_for, submissions, write

from werkmonitor.loader import load_quarter

QUARTER = "2024Q3"
ORGS = organisations_for([QUARTER])


@st.composite
def one_submission(draw):
    org = draw(st.sampled_from(ORGS))
    return draw(submissions(org, QUARTER, sizes=st.integers(1, 40)))


@settings(max_examples=hypothesis_budget("submissions"), deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(sub=one_submission())
def test_loader_keeps_exactly_what_was_sent(sub):
    with tempfile.TemporaryDirectory() as tmp:
        raw, warehouse = Path(tmp) / "raw", Path(tmp) / "wh.duckdb"
        write(sub, raw / QUARTER)
        summary = load_quarter(QUARTER, raw, warehouse)
        assert (summary.accepted, summary.rejected) == (1, 0), summary.format()
        with duckdb.connect(str(warehouse), read_only=True) as con:
            status, accepted, quarantined = con.execute(
                "select status, rows_accepted, rows_quarantined from audit.submissions"
            ).fetchone()
            stored = con.execute(
                "select traject_id, trajecttype, startdatum, einddatum, is_quarantined "
                "from raw.trajecten order by source_row").fetchall()
            jobs = con.execute("select traject_id, baan_nr, uren_per_week, loonwaarde_pct "
                               "from raw.banen where not is_quarantined order by source_row"
                               ).fetchall()
            fte = con.execute("select fte_trajectbegeleiding from raw.organisatie").fetchone()[0]
    total = len(sub.trajecten) + len(sub.banen)
    assert status == "accepted"
    assert quarantined == sub.quarantined and accepted == total - sub.quarantined
    assert [(r["traject_id"], r["trajecttype"], r["startdatum"], r["einddatum"])
            for r in sub.trajecten] == [row[:4] for row in stored]
    assert all(row[4] for row in stored) == bool(sub.quarantined) or not stored
    if not sub.quarantined:
        assert jobs == [(j["traject_id"], j["baan_nr"], float(j["uren_per_week"]),
                         j["loonwaarde_pct"]) for j in sub.banen]
    assert fte == sub.fte
