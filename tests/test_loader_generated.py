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


def test_demo_defects_are_what_the_loader_reports(tmp_path):
    """The generator's defects come back from the loader exactly: quarantined rows per
    organisation, one file rejected for its bsn column (values never stored), and the
    late correction accepted in its place — the account ``make run`` ends with."""
    from werkmonitor.generate import generate_landing_zone
    from werkmonitor.quality.defects import summary as defects_summary

    raw, wh = tmp_path / "raw", tmp_path / "warehouse" / "werkmonitor.duckdb"
    wh.parent.mkdir()
    generated = generate_landing_zone(raw, scale=0.1, seed=42, first="2024Q2", last="2024Q4",
                                      defects=True)
    for quarter in generated["quarters"]:
        load_quarter(quarter, raw, wh)
    with duckdb.connect(str(wh), read_only=True) as con:
        quarantined = con.execute(
            "select quarter, organisation_code, rows_quarantined from audit.submissions "
            "where rows_quarantined > 0 order by 1, 2").fetchall()
        rejected = con.execute(
            "select s.file_path, r.rule_code, r.sheet, r.column_name from audit.submissions s "
            "join audit.rejections r using (submission_id)").fetchall()
        stored = " ".join(repr(con.execute(f"select * from {table}").fetchall()) for table in (
            "raw.trajecten", "raw.banen", "raw.organisatie", "audit.submissions",
            "audit.rejections", "audit.quarantined_rows"))
    planned = generated["defects"]["quarantined_rows"]
    assert quarantined == [(q, org, n) for q, orgs in planned.items() for org, n in orgs.items()]
    assert rejected == [(generated["defects"]["rejected"], "identifier_column", "trajecten",
                         "bsn")]
    from python_calamine import CalamineWorkbook

    bad = raw / generated["defects"]["rejected"]
    if bad.suffix == ".xlsx":
        workbook = CalamineWorkbook.from_path(str(bad))
        header, *rows = workbook.get_sheet_by_name("trajecten").to_python()
        values = [str(row[list(header).index("bsn")]) for row in rows]
    else:
        import csv

        values = [row["bsn"] for row in csv.DictReader(
            (bad / "trajecten.csv").read_text(encoding="utf-8-sig").splitlines(),
            delimiter=";" if ";" in (bad / "trajecten.csv").read_text().split("\n")[0] else ",")]
    assert values and not any(value in stored for value in values)
    lines = defects_summary(wh)
    total = sum(n for orgs in planned.values() for n in orgs.values())
    assert lines[1] == "  afgekeurde bestanden: 1"
    assert lines[3].startswith(f"  rijen in quarantaine: {total} in {len(quarantined)} ")

    late = generate_landing_zone(raw, scale=0.1, seed=42, first="2024Q2", last="2024Q4",
                                 late=True)
    quarter = late["defects"]["late_correction"].split("/")[0]
    result = load_quarter(quarter, raw, wh)
    assert result.accepted >= 1 and result.rejected == 0
    with duckdb.connect(str(wh), read_only=True) as con:
        (status,) = con.execute("select status from audit.submissions where file_path = ?",
                                [late["defects"]["late_correction"]]).fetchone()
    assert status == "accepted"
