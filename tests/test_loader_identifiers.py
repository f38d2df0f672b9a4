"""Identifiers never get in (issue 11 §4): every sheet, every file, one rule for text and numbers.

Each test asserts the status, the message (file, sheet, column, how to fix it,
never the value) and that the value appears nowhere: not in any table of the
warehouse, not in the logs, not in the feedback or the load summary.
"""

from __future__ import annotations

import shutil

import duckdb
from submission_factory import (
    VALID_BSN,
    banen_rows,
    check,
    load,
    make_submission,
    organisatie_rows,
    trajecten_rows,
    write_xlsx,
)

from werkmonitor.loader import IDENTIFIER_RULES, files_with_identifiers, identifiers

# 012345672 passes the eleven-test; typed as text without its leading zero it is 12345672
EIGHT_DIGIT_BSN = "12345672"
assert identifiers.passes_eleven_test("0" + EIGHT_DIGIT_BSN)
FIX = "geen getal van 8 of 9 cijfers"


def assert_nowhere(warehouse, value: str, *texts: str) -> None:
    for text in texts:
        assert value not in text
    con = duckdb.connect(str(warehouse), read_only=True)
    columns = con.execute(
        "select table_schema, table_name, column_name from information_schema.columns"
        " where data_type = 'VARCHAR'"
    ).fetchall()
    assert len(columns) > 20
    for schema, table, column in columns:
        hits = con.execute(
            f'select count(*) from {schema}.{table} where "{column}" like ?', [f"%{value}%"]
        ).fetchone()[0]
        assert hits == 0, (schema, table, column)
    con.close()


def statuses(warehouse):
    con = duckdb.connect(str(warehouse), read_only=True)
    rows = con.execute(
        "select file_path, status from audit.submissions order by load_order"
    ).fetchall()
    con.close()
    return rows


def _workbook_with_extra_sheet(raw, rows):
    path = raw / "2024Q3" / "ORG07_2024Q3.xlsx"
    sheets = {
        "trajecten": trajecten_rows(),
        "banen": banen_rows(),
        "organisatie": organisatie_rows(),
        "Cliënten": rows,
    }
    return write_xlsx(path, sheets)


def test_extra_sheet_with_a_bsn_column_rejects(tmp_path, caplog):
    caplog.set_level("DEBUG")
    raw, wh = tmp_path / "raw", tmp_path / "wh.duckdb"
    path = _workbook_with_extra_sheet(raw, [{"traject_id": "T001", "BSN": int(VALID_BSN)}])
    result = check(path)
    assert [(p.sheet, p.column, p.rule_code, p.value) for p in result.rejections] == [
        ("Cliënten", "bsn", "identifier_column", None)
    ]
    message = result.rejections[0].message
    assert message.startswith("Bestand ORG07_2024Q3.xlsx, blad Cliënten, rij 1, kolom bsn: ")
    summary = load(raw, wh)
    assert (summary.accepted, summary.rejected) == (0, 1)
    assert statuses(wh) == [("2024Q3/ORG07_2024Q3.xlsx", "rejected")]
    feedback = result.format_feedback() + result.format_feedback("en")
    assert_nowhere(wh, VALID_BSN, feedback, summary.format(), caplog.text)


def test_bsn_values_in_an_extra_sheet_under_an_innocent_name_reject(tmp_path):
    rows = [{"nummer": VALID_BSN}, {"nummer": "T002"}, {"nummer": int(VALID_BSN)}]
    result = check(_workbook_with_extra_sheet(tmp_path, rows))
    assert [(p.sheet, p.source_row, p.column, p.rule_code) for p in result.rejections] == [
        ("Cliënten", 2, "nummer", "bsn_value"),
        ("Cliënten", 4, "nummer", "bsn_value"),
    ]
    assert FIX in result.rejections[0].message
    assert VALID_BSN not in result.format_feedback()


def test_extra_csv_file_with_bsn_rejects(tmp_path, caplog):
    caplog.set_level("DEBUG")
    raw, wh = tmp_path / "raw", tmp_path / "wh.duckdb"
    folder = make_submission(raw, fmt="csv")
    (folder / "export_clienten.csv").write_text(
        f"traject_id;burgerservicenummer\nT001;{VALID_BSN}\n"
    )
    (folder / "koppeling.csv").write_text(f"id,waarde\nT002,{VALID_BSN}\n")
    result = check(folder)
    assert [(p.file, p.sheet, p.source_row, p.column, p.rule_code) for p in result.rejections] == [
        ("ORG07_2024Q3/export_clienten.csv", None, 1, "burgerservicenummer", "identifier_column"),
        ("ORG07_2024Q3/koppeling.csv", None, 2, "waarde", "bsn_value"),
    ]
    assert result.rejections[1].message.startswith(
        "Bestand ORG07_2024Q3/koppeling.csv, rij 2, kolom waarde: "
    )
    summary = load(raw, wh)
    assert summary.rejected == 1
    assert_nowhere(wh, VALID_BSN, result.format_feedback(), summary.format(), caplog.text)
    # the operator removes the stray export: the folder is a new version and loads
    (folder / "export_clienten.csv").unlink()
    (folder / "koppeling.csv").unlink()
    again = load(raw, wh)
    assert (again.accepted, again.rejected) == (1, 0)


def test_eight_digit_bsn_typed_as_text_rejects_like_the_number(tmp_path, caplog):
    caplog.set_level("DEBUG")
    raw, wh = tmp_path / "raw", tmp_path / "wh.duckdb"
    rows = trajecten_rows()
    rows[1]["traject_id"] = EIGHT_DIGIT_BSN  # text in CSV
    jobs = banen_rows()
    jobs[0]["traject_id"] = EIGHT_DIGIT_BSN
    text_sub = make_submission(raw, fmt="csv", trajecten=rows, banen=jobs)
    rows = trajecten_rows()
    rows[1]["traject_id"] = int(EIGHT_DIGIT_BSN)  # an Excel number cell
    number_sub = make_submission(raw, suffix="v2", trajecten=rows)
    found = {}
    for path in (text_sub, number_sub):
        result = check(path)
        found[path.name] = [
            (p.sheet, p.source_row, p.column, p.rule_code) for p in result.rejections
        ]
        assert FIX in result.rejections[0].message
        assert EIGHT_DIGIT_BSN not in result.format_feedback()
    assert found == {
        "ORG07_2024Q3": [
            ("banen", 2, "traject_id", "bsn_value"),
            ("trajecten", 3, "traject_id", "bsn_value"),
        ],
        "ORG07_2024Q3_v2.xlsx": [("trajecten", 3, "traject_id", "bsn_value")],
    }
    summary = load(raw, wh)
    assert summary.rejected == 2
    assert_nowhere(wh, EIGHT_DIGIT_BSN, summary.format(), caplog.text)


def test_eight_digit_number_failing_the_eleven_test_is_an_ordinary_id(tmp_path):
    rows = trajecten_rows()
    rows[0]["traject_id"] = "12345678"  # 012345678 fails the eleven-test
    result = check(make_submission(tmp_path, fmt="csv", trajecten=rows))
    assert not result.is_rejected
    assert result.trajecten.column("traject_id")[0].as_py() == "12345678"


def test_copy_of_a_rejected_file_is_a_duplicate_and_stays_listed(tmp_path, caplog):
    caplog.set_level("DEBUG")
    raw, wh = tmp_path / "raw", tmp_path / "wh.duckdb"
    rows = trajecten_rows()
    rows[0]["traject_id"] = VALID_BSN
    first = make_submission(raw, trajecten=rows)
    load(raw, wh)
    shutil.copy(first, first.with_name("ORG07_2024Q3_kopie.xlsx"))
    summary = load(raw, wh)
    assert (summary.duplicate, summary.rejected, summary.unchanged) == (1, 0, 1)
    assert "duplicate of ORG07_2024Q3_" in summary.format() and "(rejected)" in summary.format()
    assert statuses(wh) == [
        ("2024Q3/ORG07_2024Q3.xlsx", "rejected"),
        ("2024Q3/ORG07_2024Q3_kopie.xlsx", "duplicate"),
    ]
    con = duckdb.connect(str(wh), read_only=True)
    listed = files_with_identifiers(con)
    codes = {r[0] for r in con.execute("select rule_code from audit.rejections").fetchall()}
    con.close()
    assert listed == [
        ("2024Q3", "2024Q3/ORG07_2024Q3.xlsx", "rejected"),
        ("2024Q3", "2024Q3/ORG07_2024Q3_kopie.xlsx", "duplicate"),
    ]
    assert codes <= set(IDENTIFIER_RULES)
    assert_nowhere(wh, VALID_BSN, summary.format(), caplog.text)
