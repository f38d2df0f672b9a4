"""Loading a quarter: audit trail, versions, duplicates, idempotence, read-only landing zone."""

from __future__ import annotations

import shutil

import duckdb
import pytest
from submission_factory import (
    VALID_BSN,
    banen_rows,
    load,
    make_submission,
    organisatie_rows,
    trajecten_rows,
    tree_snapshot,
)
from test_loader_identifiers import assert_nowhere

from werkmonitor.loader import ensure_schema, validate_cli


def query(warehouse, sql, params=None):
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def statuses(warehouse):
    return query(
        warehouse,
        "select file_path, status, superseded_by from audit.submissions order by load_order",
    )


@pytest.fixture
def wh(tmp_path):
    return tmp_path / "warehouse" / "werkmonitor.duckdb"


@pytest.fixture
def raw(tmp_path):
    return tmp_path / "raw"


def test_ensure_schema_is_idempotent(tmp_path):
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    ensure_schema(con)
    ensure_schema(con)
    tables = con.execute(
        "select table_schema || '.' || table_name from information_schema.tables order by 1"
    ).fetchall()
    assert [t[0] for t in tables] == [
        "audit.quarantined_rows",
        "audit.rejections",
        "audit.submissions",
        "raw.banen",
        "raw.organisatie",
        "raw.trajecten",
    ]
    con.close()


def test_accepted_submission_rows_and_audit(raw, wh):
    rows = trajecten_rows()
    rows[2]["startdatum"] = "31-02-2024"  # T003 quarantined, with its two jobs
    make_submission(raw, trajecten=rows)
    summary = load(raw, wh)
    assert (summary.accepted, summary.rejected, summary.rows_loaded, summary.rows_quarantined) == (
        1,
        0,
        6,
        3,
    )
    [(sid, path, fmt, org, quarter, status, acc, qua, reason)] = query(
        wh,
        "select submission_id, file_path, file_format, organisation_code, quarter, status,"
        " rows_accepted, rows_quarantined, rejection_reason from audit.submissions",
    )
    assert sid.startswith("ORG07_2024Q3_") and len(sid) == len("ORG07_2024Q3_") + 12
    assert (path, fmt, org, quarter, status, acc, qua, reason) == (
        "2024Q3/ORG07_2024Q3.xlsx",
        "xlsx",
        "ORG07",
        "2024Q3",
        "accepted",
        3,
        3,
        None,
    )
    assert query(
        wh, "select traject_id, startdatum, is_quarantined from raw.trajecten order by source_row"
    )[2] == ("T003", None, True)
    assert query(wh, "select count(*) from raw.banen where is_quarantined") == [(2,)]
    assert query(
        wh, "select organisatie_code, kwartaal, fte_trajectbegeleiding from raw.organisatie"
    ) == [("ORG07", "2024Q3", 2.5)]
    quarantined = query(
        wh,
        "select sheet, source_row, traject_id, column_name, value, rule_code, message"
        " from audit.quarantined_rows order by sheet, source_row",
    )
    assert [q[:6] for q in quarantined] == [
        ("banen", 3, "T003", "traject_id", "T003", "traject_quarantined"),
        ("banen", 4, "T003", "traject_id", "T003", "traject_quarantined"),
        ("trajecten", 4, "T003", "startdatum", "31-02-2024", "invalid_date"),
    ]
    assert quarantined[2][6].startswith(
        "Bestand ORG07_2024Q3.xlsx, blad trajecten, rij 4, kolom startdatum"
    )


def test_rejected_submission_writes_audit_only(raw, wh):
    make_submission(raw, organisatie=organisatie_rows(quarter="2024Q2"))
    summary = load(raw, wh)
    assert (summary.accepted, summary.rejected) == (0, 1)
    [(status, reason)] = query(wh, "select status, rejection_reason from audit.submissions")
    assert status == "rejected" and "kwartaal_mismatch" in reason
    assert query(wh, "select sheet, source_row, column_name, rule_code from audit.rejections") == [
        ("organisatie", 2, "kwartaal", "kwartaal_mismatch")
    ]
    for table in ("raw.trajecten", "raw.banen", "raw.organisatie", "audit.quarantined_rows"):
        assert query(wh, f"select count(*) from {table}") == [(0,)]


def test_unreadable_name_gets_unknown_id(raw, wh):
    path = make_submission(raw)
    path.rename(path.with_name("aanlevering juli.xlsx"))
    load(raw, wh)
    [(sid, org, status)] = query(
        wh, "select submission_id, organisation_code, status from audit.submissions"
    )
    assert sid.startswith("UNKNOWN_2024Q3_") and org is None and status == "rejected"


def test_later_version_supersedes_in_later_run(raw, wh):
    make_submission(raw)
    load(raw, wh)
    make_submission(raw, suffix="v2", trajecten=trajecten_rows()[:2], banen=banen_rows()[:1])
    summary = load(raw, wh)
    assert (summary.accepted, summary.superseded, summary.unchanged) == (1, 1, 1)
    (p1, s1, by1), (p2, s2, by2) = statuses(wh)
    assert (p1, s1, p2, s2, by2) == (
        "2024Q3/ORG07_2024Q3.xlsx",
        "superseded",
        "2024Q3/ORG07_2024Q3_v2.xlsx",
        "accepted",
        None,
    )
    v2_id = query(wh, "select submission_id from audit.submissions where status = 'accepted'")
    assert by1 == v2_id[0][0]
    # both versions' rows stay for audit; the current one has 2 trajectories
    assert query(wh, "select count(*) from raw.trajecten") == [(5,)]
    assert query(wh, "select count(*) from raw.trajecten where submission_id = ?", [by1]) == [(2,)]


def test_versions_first_loaded_in_one_run_are_ordered_by_name(raw, wh):
    make_submission(
        raw, suffix="v2", fmt="csv", trajecten=trajecten_rows()[:2], banen=banen_rows()[:1]
    )
    make_submission(raw)  # ORG07_2024Q3.xlsx sorts before ORG07_2024Q3_v2
    load(raw, wh)
    assert [(p, s) for p, s, _ in statuses(wh)] == [
        ("2024Q3/ORG07_2024Q3.xlsx", "superseded"),
        ("2024Q3/ORG07_2024Q3_v2", "accepted"),
    ]
    assert query(wh, "select file_format from audit.submissions where status = 'accepted'") == [
        ("csv",)
    ]


def test_identical_copy_is_duplicate_even_after_another_version(raw, wh):
    first = make_submission(raw)
    load(raw, wh)
    make_submission(raw, suffix="v2", trajecten=trajecten_rows()[:2], banen=banen_rows()[:1])
    load(raw, wh)
    shutil.copy(first, first.with_name("ORG07_2024Q3_v3.xlsx"))
    summary = load(raw, wh)
    assert (summary.duplicate, summary.accepted, summary.superseded) == (1, 0, 0)
    assert [(p, s) for p, s, _ in statuses(wh)] == [
        ("2024Q3/ORG07_2024Q3.xlsx", "superseded"),
        ("2024Q3/ORG07_2024Q3_v2.xlsx", "accepted"),
        ("2024Q3/ORG07_2024Q3_v3.xlsx", "duplicate"),
    ]
    ids = [r[0] for r in query(wh, "select submission_id from audit.submissions")]
    assert len(set(ids)) == 3
    assert query(wh, "select count(*) from raw.trajecten") == [(5,)]


def test_duplicate_csv_folder(raw, wh):
    first = make_submission(raw, fmt="csv")
    shutil.copytree(first, first.with_name("ORG07_2024Q3_kopie"))
    summary = load(raw, wh)
    assert (summary.accepted, summary.duplicate) == (1, 1)


def test_rejected_newer_version_keeps_older_current(raw, wh):
    make_submission(raw)
    load(raw, wh)
    make_submission(raw, suffix="v2", drop_sheets=("banen",))
    summary = load(raw, wh)
    assert (summary.rejected, summary.superseded) == (1, 0)
    assert [(p, s) for p, s, _ in statuses(wh)] == [
        ("2024Q3/ORG07_2024Q3.xlsx", "accepted"),
        ("2024Q3/ORG07_2024Q3_v2.xlsx", "rejected"),
    ]


def test_reload_is_idempotent_and_landing_zone_untouched(raw, wh):
    make_submission(raw)
    make_submission(raw, org="ORG09", fmt="csv")
    make_submission(raw, org="ORG99")  # rejected
    before = tree_snapshot(raw)
    first = load(raw, wh)
    assert (first.accepted, first.rejected) == (2, 1)
    counts = {
        t: query(wh, f"select count(*) from {t}")[0][0]
        for t in (
            "audit.submissions",
            "audit.rejections",
            "audit.quarantined_rows",
            "raw.trajecten",
            "raw.banen",
            "raw.organisatie",
        )
    }
    audit = query(wh, "select * from audit.submissions order by load_order")
    again = load(raw, wh)
    assert (again.accepted, again.rejected, again.duplicate, again.unchanged) == (0, 0, 0, 3)
    assert query(wh, "select * from audit.submissions order by load_order") == audit
    assert {t: query(wh, f"select count(*) from {t}")[0][0] for t in counts} == counts
    assert tree_snapshot(raw) == before


def test_changed_file_at_same_path_is_a_new_version(raw, wh):
    make_submission(raw)
    load(raw, wh)
    make_submission(raw, trajecten=trajecten_rows()[:2], banen=banen_rows()[:1])  # overwrite
    summary = load(raw, wh)
    assert (summary.accepted, summary.superseded) == (1, 1)


def test_missing_quarter_folder_loads_nothing(raw, wh):
    summary = load(raw, wh, quarter="2023Q1")
    assert summary.new_submissions == 0 and "2023Q1" in summary.format()


def test_validate_cli_exit_codes_and_writes_nothing(tmp_path, capsys, monkeypatch):
    wh = tmp_path / "wh" / "w.duckdb"
    monkeypatch.setenv("WERKMONITOR_WAREHOUSE", str(wh))
    good = make_submission(tmp_path / "raw", org="ORG01")
    assert validate_cli(good, "nl") == 0
    out = capsys.readouterr().out
    assert out.startswith("Aanlevering ORG01_2024Q3.xlsx (organisatie ORG01, kwartaal 2024Q3)")
    assert "GOEDGEKEURD: 3 trajecten en 3 banen" in out
    bad = make_submission(tmp_path / "raw", org="ORG01", suffix="x", drop_sheets=("banen",))
    assert validate_cli(bad, "en") == 1
    out = capsys.readouterr().out
    assert "REJECTED" in out and "sheet banen" in out and "[missing_sheet]" in out
    assert not wh.exists()


def test_bsn_never_leaves_the_file(tmp_path, capsys, caplog):
    """A valid BSN in a submission appears nowhere: tables, output, logs, feedback."""
    caplog.set_level("DEBUG")
    raw, wh = tmp_path / "raw", tmp_path / "wh.duckdb"
    make_submission(raw)  # a clean version first
    rows = trajecten_rows()
    rows[1]["traject_id"] = VALID_BSN
    jobs = banen_rows()
    jobs[0]["traject_id"] = VALID_BSN
    csv_sub = make_submission(raw, fmt="csv", suffix="v2", trajecten=rows, banen=jobs)
    rows = trajecten_rows()
    rows[0]["arbeidsmarktregio"] = VALID_BSN
    xlsx_sub = make_submission(raw, suffix="v3", trajecten=rows)
    summary = load(raw, wh)
    assert (summary.accepted, summary.rejected) == (1, 2)
    texts = [summary.format()]
    for path in (csv_sub, xlsx_sub):
        assert validate_cli(path, "nl") == 1
        assert validate_cli(path, "en") == 1
    captured = capsys.readouterr()
    texts += [captured.out, captured.err, caplog.text]
    texts += [r.getMessage() for r in caplog.records]
    assert "burgerservicenummer" in captured.out  # the rule is named, the value is not
    assert_nowhere(wh, VALID_BSN, *texts)  # no text, no VARCHAR column of the warehouse
    con = duckdb.connect(str(wh), read_only=True)
    messages = con.execute("select message from audit.rejections").fetchall()
    con.close()
    assert len(messages) == 3


def test_load_summary_says_whether_the_quarter_changed(raw, wh):
    make_submission(raw)
    first = load(raw, wh)
    assert (first.has_new_content, first.has_new_rows) == (True, True)
    again = load(raw, wh)
    assert (again.has_new_content, again.has_new_rows, again.unchanged) == (False, False, 1)
    make_submission(raw, org="ORG99")  # rejected: audit changes, raw.* does not
    rejected = load(raw, wh)
    assert (rejected.has_new_content, rejected.has_new_rows) == (True, False)


def test_one_failing_file_does_not_fail_the_others_of_its_batch(raw, wh, monkeypatch):
    from werkmonitor.loader import checks

    real = checks._check_trajecten

    def fails_on_org09(con, labels, codes, periods):
        if any(label.startswith("ORG09") for label in labels):
            raise ValueError("boom")
        return real(con, labels, codes, periods)

    monkeypatch.setattr(checks, "_check_trajecten", fails_on_org09)
    make_submission(raw)
    make_submission(raw, org="ORG09", fmt="csv")
    summary = load(raw, wh)
    assert (summary.accepted, summary.rejected) == (1, 1)
    assert query(
        wh,
        "select s.file_path, r.rule_code from audit.rejections r join audit.submissions s"
        " using (submission_id)",
    ) == [("2024Q3/ORG09_2024Q3", "internal_error")]
