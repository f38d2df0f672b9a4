"""Everything people actually type that the format accepts, and what it becomes."""

from __future__ import annotations

import datetime as dt

import pytest
from submission_factory import (
    banen_rows,
    check,
    csv_bytes,
    make_submission,
    organisatie_rows,
    trajecten_rows,
    write_xlsx,
)


def accepted(result):
    assert not result.is_rejected, [p.message for p in result.rejections]
    assert result.quarantined == [], [p.message for p in result.quarantined]
    return result


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_baseline_values(tmp_path, fmt):
    result = accepted(check(make_submission(tmp_path, fmt=fmt)))
    assert result.organisation_code == "ORG07" and result.quarter == "2024Q3"
    assert result.file_format == fmt
    t = result.trajecten.to_pylist()
    assert [r["traject_id"] for r in t] == ["T001", "T002", "T003"]
    assert [r["source_row"] for r in t] == [2, 3, 4]
    assert t[0]["ips_regeling"] == "EPA" and t[1]["ips_regeling"] is None
    assert t[1]["einddatum"] == dt.date(2024, 9, 15) and t[0]["einddatum"] is None
    assert [r["proefplaatsing"] for r in t] == [True, False, False]
    b = result.banen.to_pylist()
    assert [r["uren_per_week"] for r in b] == [20.0, 12.5, 16.0]
    assert [r["loonwaarde_pct"] for r in b] == [100, None, 60]
    assert [r["contractduur_maanden"] for r in b] == [6, None, 12]
    assert result.organisatie.to_pylist() == [
        {
            "source_row": 2,
            "organisatie_code": "ORG07",
            "kwartaal": "2024Q3",
            "fte_trajectbegeleiding": 2.5,
        }
    ]
    assert result.rows_accepted == 6 and result.rows_quarantined == 0


@pytest.mark.parametrize(
    "text", ["2024-08-01", "01-08-2024", "1-8-2024", "01/08/2024", " 2024-08-01 "]
)
def test_date_formats(tmp_path, text):
    rows = trajecten_rows()
    rows[1]["startdatum"] = text
    result = accepted(check(make_submission(tmp_path, fmt="csv", trajecten=rows)))
    assert result.trajecten.column("startdatum")[1].as_py() == dt.date(2024, 8, 1)


def test_leap_day(tmp_path):
    jobs = banen_rows()  # T003/1 ends 2024-02-29
    result = accepted(check(make_submission(tmp_path, fmt="csv", banen=jobs)))
    assert result.banen.column("einddatum")[1].as_py() == dt.date(2024, 2, 29)


@pytest.mark.parametrize("delimiter", [";", ","])
def test_decimal_comma_with_both_delimiters(tmp_path, delimiter):
    jobs = banen_rows()
    jobs[1]["uren_per_week"] = "12,5"
    orgs = organisatie_rows(fte="1,75")
    result = accepted(
        check(
            make_submission(tmp_path, fmt="csv", banen=jobs, organisatie=orgs, delimiter=delimiter)
        )
    )
    assert result.banen.column("uren_per_week")[1].as_py() == 12.5
    assert result.organisatie.column("fte_trajectbegeleiding")[0].as_py() == 1.75


@pytest.mark.parametrize(
    "words,expected",
    [
        (("ja", "nee", "j"), (True, False, True)),
        (("N", "1", "0"), (False, True, False)),
        (("TRUE", "false", "Ja"), (True, False, True)),
        (("NEE", "J", "True"), (False, True, True)),
    ],
)
def test_yes_no_variants(tmp_path, words, expected):
    rows = trajecten_rows()
    for row, word in zip(rows, words, strict=True):
        row["opleiding"] = word
    result = accepted(check(make_submission(tmp_path, fmt="csv", trajecten=rows)))
    assert tuple(result.trajecten.column("opleiding").to_pylist()) == expected


def test_codes_any_case_and_spaces(tmp_path):
    rows = trajecten_rows()
    rows[0].update(
        trajecttype=" ips ",
        ips_regeling="epa",
        fase="Goedgekeurd ",
        arbeidsmarktregio="am18 ",
        financiering="uwv",
    )
    rows[1].update(uitstroomreden="baan", financiering_detail=" zpm")
    jobs = banen_rows()
    jobs[0]["contractsoort"] = "loondienst"
    result = accepted(check(make_submission(tmp_path, fmt="csv", trajecten=rows, banen=jobs)))
    first = result.trajecten.to_pylist()[0]
    assert (
        first["trajecttype"],
        first["ips_regeling"],
        first["fase"],
        first["arbeidsmarktregio"],
        first["financiering"],
    ) == ("IPS", "EPA", "GOEDGEKEURD", "AM18", "UWV")
    assert result.trajecten.column("uitstroomreden")[1].as_py() == "BAAN"
    assert result.trajecten.column("financiering_detail")[1].as_py() == "ZPM"
    assert result.banen.column("contractsoort")[0].as_py() == "LOONDIENST"


def test_header_case_spaces_and_order(tmp_path):
    rows = trajecten_rows()
    odd = [
        {
            f" {k.upper()} " if i % 2 else k.title(): v
            for i, (k, v) in enumerate(reversed(list(row.items())))
        }
        for row in rows
    ]
    result = accepted(check(make_submission(tmp_path, fmt="csv", trajecten=odd)))
    assert result.trajecten.column("traject_id").to_pylist() == ["T001", "T002", "T003"]
    assert result.trajecten.column("trajecttype").to_pylist() == ["IPS", "WABZ", "JOBCOACHING"]


@pytest.mark.parametrize("delimiter", [";", ","])
def test_bom_and_delimiters(tmp_path, delimiter):
    result = accepted(check(make_submission(tmp_path, fmt="csv", bom=True, delimiter=delimiter)))
    assert result.trajecten.column("traject_id").to_pylist() == ["T001", "T002", "T003"]


def test_optional_columns_may_be_left_out(tmp_path):
    rows = [r for r in trajecten_rows() if not r["einddatum"]]
    for row in rows:
        del row["financiering_detail"], row["einddatum"]
    jobs = banen_rows()
    for job in jobs:
        del job["einddatum"], job["loonwaarde_pct"], job["contractduur_maanden"]
    result = accepted(
        check(
            make_submission(
                tmp_path,
                fmt="csv",
                trajecten=rows,
                banen=[j for j in jobs if j["traject_id"] != "T002"],
            )
        )
    )
    assert result.trajecten.column("einddatum").null_count == 2
    assert result.banen.column("loonwaarde_pct").to_pylist() == [None, None]


def test_typed_excel_cells(tmp_path):
    rows = trajecten_rows()
    rows[0].update(startdatum=dt.date(2024, 1, 15), opleiding=False, proefplaatsing=True)
    rows[1].update(
        startdatum=dt.datetime(2024, 8, 1),
        einddatum=dt.date(2024, 9, 15),
        opleiding=1,
        proefplaatsing=0,
    )
    jobs = banen_rows()
    jobs[1].update(
        baan_nr=1,
        uren_per_week=12.5,
        loonwaarde_pct=None,
        startdatum=dt.date(2022, 5, 1),
        contractduur_maanden=3.0,
    )
    result = accepted(
        check(
            make_submission(
                tmp_path, trajecten=rows, banen=jobs, organisatie=organisatie_rows(fte=2.5)
            )
        )
    )
    t = result.trajecten.to_pylist()
    assert t[0]["startdatum"] == dt.date(2024, 1, 15)
    assert (t[0]["opleiding"], t[0]["proefplaatsing"]) == (False, True)
    assert (t[1]["opleiding"], t[1]["proefplaatsing"]) == (True, False)
    assert t[1]["startdatum"] == dt.date(2024, 8, 1)
    b = result.banen.to_pylist()[1]
    assert (b["baan_nr"], b["uren_per_week"], b["contractduur_maanden"]) == (1, 12.5, 3)
    assert result.organisatie.column("fte_trajectbegeleiding")[0].as_py() == 2.5


def test_typed_excel_date_cell_in_wrong_column_is_named(tmp_path):
    jobs = banen_rows()
    jobs[0]["uren_per_week"] = dt.date(2024, 1, 1)
    result = check(make_submission(tmp_path, banen=jobs))
    assert [
        (p.sheet, p.source_row, p.column, p.value, p.rule_code) for p in result.quarantined
    ] == [("banen", 2, "uren_per_week", "2024-01-01", "invalid_decimal")]


def test_blank_rows_are_skipped_and_row_numbers_kept(tmp_path):
    rows = trajecten_rows()
    rows[2]["arbeidsmarktregio"] = "AM99"
    rows[1:1] = [{}, {}]  # two blank rows: T002 moves to row 5, T003 to row 6
    result = check(make_submission(tmp_path, trajecten=rows))
    assert result.trajecten.column("source_row").to_pylist() == [2, 5, 6]
    assert [(p.source_row, p.column) for p in result.quarantined if p.sheet == "trajecten"] == [
        (6, "arbeidsmarktregio")
    ]


def test_sheet_names_case_insensitive_and_extra_sheet_noted(tmp_path):
    path = tmp_path / "2024Q3" / "ORG07_2024Q3_20250115.xlsx"
    write_xlsx(
        path,
        {
            "trajecten": trajecten_rows(),
            "banen": banen_rows(),
            "organisatie": organisatie_rows(),
            "toelichting": [{"uitleg": "zie handleiding"}],
        },
        sheet_names={"trajecten": "Trajecten "},
    )
    result = accepted(check(path))
    assert result.notes == ["extra_sheet:toelichting"]
    assert "het extra blad 'toelichting' is niet gelezen" in result.format_feedback()


def test_validate_outside_quarter_folder_uses_name(tmp_path):
    path = make_submission(tmp_path, folder="downloads")
    result = accepted(check(path))
    assert result.quarter == "2024Q3"
    assert "downloads" in result.format_feedback("en")


def test_crlf_and_quoted_values(tmp_path):
    path = make_submission(tmp_path, fmt="csv")
    rows = trajecten_rows()
    rows[0]["traject_id"] = "T;001"
    (path / "trajecten.csv").write_bytes(csv_bytes(rows, delimiter=";"))
    jobs = [j for j in banen_rows()]
    (path / "banen.csv").write_bytes(csv_bytes(jobs, delimiter=","))
    result = accepted(check(path))
    assert result.trajecten.column("traject_id")[0].as_py() == "T;001"


def test_calamine_reads_typed_cells_as_the_text_people_type(tmp_path):
    """Replaces the streaming-reader-vs-openpyxl test: calamine is the one xlsx reader."""
    from werkmonitor.loader.read import read_xlsx

    rows = trajecten_rows()
    rows[0].update(startdatum=dt.date(2024, 1, 15), opleiding=False, traject_id=" T 001 ")
    rows[1].update(startdatum=dt.datetime(2024, 8, 1, 0, 0), opleiding=1)
    jobs = banen_rows()
    jobs[1].update(baan_nr=1, uren_per_week=12.5, contractduur_maanden=3.0)
    path = make_submission(tmp_path, trajecten=rows, banen=jobs)
    raw = read_xlsx(path, path.name)
    traj = raw.frames["trajecten"]
    assert traj.cells.header == list(trajecten_rows()[0])
    assert traj.cells.source_rows.to_pylist() == [2, 3, 4]

    def column(frame, name):
        return frame.cells.columns[frame.known[name]].to_pylist()

    assert column(traj, "startdatum") == ["2024-01-15", "2024-08-01", "2023-11-01"]
    assert column(traj, "opleiding") == ["false", "1", "nee"]
    assert column(traj, "traject_id") == [" T 001 ", "T002", "T003"]
    assert column(traj, "einddatum") == ["", "2024-09-15", ""]  # empty cells
    banen = raw.frames["banen"]
    assert column(banen, "uren_per_week") == ["20", "12.5", "16"]
    assert column(banen, "baan_nr") == ["1", "1", "2"]
    assert column(banen, "contractduur_maanden") == ["6", "3", "12"]


def test_time_of_day_in_a_date_cell_is_shown(tmp_path):
    rows = trajecten_rows()
    rows[0]["startdatum"] = dt.datetime(2024, 1, 15, 13, 30)
    result = check(make_submission(tmp_path, trajecten=rows))
    assert [(p.column, p.value, p.rule_code) for p in result.quarantined] == [
        ("startdatum", "2024-01-15 13:30:00", "invalid_date")
    ]
