"""Every rule that rejects a whole submission (submission-format.md, 'What is rejected')."""

from __future__ import annotations

import shutil

import pytest
from submission_factory import (
    VALID_BSN,
    banen_rows,
    check,
    make_submission,
    organisatie_rows,
    trajecten_rows,
)

from werkmonitor.loader import identifiers
from werkmonitor.loader.spec import COLUMNS


def only_rejection(result):
    assert result.is_rejected
    return result.rejections


def test_file_name_must_follow_pattern(tmp_path):
    path = make_submission(tmp_path)
    bad = path.with_name("ORG07-2024Q3.xlsx")
    path.rename(bad)
    result = check(bad)
    assert [p.rule_code for p in result.rejections] == ["file_name"]
    assert "ORG07-2024Q3" in result.rejections[0].message
    assert result.rejections[0].message.startswith("Bestand ORG07-2024Q3.xlsx: ")


def test_quarter_of_folder_and_name_must_agree(tmp_path):
    path = make_submission(tmp_path, folder="2024Q4")
    result = check(path)
    assert [p.rule_code for p in result.rejections] == ["quarter_mismatch"]
    assert "2024Q3" in result.rejections[0].message and "2024Q4" in result.rejections[0].message


@pytest.mark.parametrize("quarter", ["2019Q1", "2030Q1"])
def test_unknown_quarter(tmp_path, quarter):
    path = make_submission(tmp_path, quarter=quarter)
    result = check(path)
    assert "quarter_unknown" in [p.rule_code for p in result.rejections]


def test_unknown_organisation(tmp_path):
    result = check(make_submission(tmp_path, org="ORG99"))
    assert [p.rule_code for p in result.rejections] == ["organisation_unknown"]
    assert "ORG99" in result.rejections[0].message


def test_inactive_organisation(tmp_path):
    # ORG08 left the register after 2023Q4
    result = check(make_submission(tmp_path, org="ORG08"))
    assert [p.rule_code for p in result.rejections] == ["organisation_inactive"]


@pytest.mark.parametrize("sheet", ["trajecten", "banen", "organisatie"])
def test_missing_sheet(tmp_path, sheet):
    result = check(make_submission(tmp_path, drop_sheets=(sheet,)))
    assert [(p.sheet, p.rule_code) for p in result.rejections] == [(sheet, "missing_sheet")]
    assert f"'{sheet}' ontbreekt" in result.rejections[0].message


@pytest.mark.parametrize("sheet", ["trajecten", "banen", "organisatie"])
def test_missing_csv_file(tmp_path, sheet):
    result = check(make_submission(tmp_path, fmt="csv", drop_sheets=(sheet,)))
    assert [p.rule_code for p in result.rejections] == ["missing_file"]
    assert f"{sheet}.csv" in result.rejections[0].message


@pytest.mark.parametrize(
    "sheet,column",
    [
        (sheet, col.name)
        for sheet, cols in COLUMNS.items()
        for col in cols
        if not col.may_be_omitted
    ],
)
def test_missing_required_column(tmp_path, sheet, column):
    rows = {
        "trajecten": trajecten_rows(),
        "banen": banen_rows(),
        "organisatie": organisatie_rows(),
    }[sheet]
    for row in rows:
        del row[column]
    result = check(make_submission(tmp_path, fmt="csv", **{sheet: rows}))
    assert (sheet, 1, column, "missing_column") in [
        (p.sheet, p.source_row, p.column, p.rule_code) for p in result.rejections
    ]
    message = next(p.message for p in result.rejections if p.rule_code == "missing_column")
    assert f"ORG07_2024Q3/{sheet}.csv, blad {sheet}, rij 1, kolom {column}" in message


def test_unknown_column(tmp_path):
    rows = trajecten_rows()
    for row in rows:
        row["opmerking"] = "x"
    result = check(make_submission(tmp_path, trajecten=rows))
    assert [(p.sheet, p.source_row, p.column, p.rule_code) for p in result.rejections] == [
        ("trajecten", 1, "opmerking", "unknown_column")
    ]


def test_duplicate_column(tmp_path):
    path = make_submission(tmp_path, fmt="csv")
    text = (path / "banen.csv").read_text()
    lines = text.splitlines()
    lines = [line + (";contractsoort" if i == 0 else ";LOONDIENST") for i, line in enumerate(lines)]
    (path / "banen.csv").write_text("\n".join(lines) + "\n")
    result = check(path)
    assert [(p.sheet, p.column, p.rule_code) for p in result.rejections] == [
        ("banen", "contractsoort", "duplicate_column")
    ]


def test_unnamed_column_with_data(tmp_path):
    rows = trajecten_rows()
    rows[1][""] = "iets"
    result = check(
        make_submission(tmp_path, fmt="csv", trajecten=rows, columns={"trajecten": [*rows[0], ""]})
    )
    assert [p.rule_code for p in result.rejections] == ["unnamed_column"]


def test_ragged_csv_row(tmp_path):
    path = make_submission(tmp_path, fmt="csv")
    lines = (path / "banen.csv").read_text().splitlines()
    lines[2] += ";extra;waarde"
    (path / "banen.csv").write_text("\n".join(lines) + "\n")
    result = check(path)
    assert [(p.sheet, p.source_row, p.rule_code) for p in result.rejections] == [
        ("banen", 3, "ragged_row")
    ]


@pytest.mark.parametrize(
    "name",
    [
        "bsn",
        "BSN-nummer",
        " Burgerservicenummer ",
        "naam",
        "Client naam",
        "geboortedatum",
        "Geb. datum",
        "adres",
        "postcode",
        "E-mail",
        "emailadres",
        "telefoon",
        "Telefoonnummer",
    ],
)
def test_identifier_column(tmp_path, name):
    rows = trajecten_rows()
    for row in rows:
        row[name] = "x"
    result = check(make_submission(tmp_path, fmt="csv", trajecten=rows))
    found = [p for p in result.rejections if p.rule_code == "identifier_column"]
    assert len(found) == 1
    assert found[0].sheet == "trajecten" and found[0].source_row == 1 and found[0].value is None
    assert not any(p.rule_code == "unknown_column" for p in result.rejections)


def test_no_spec_column_looks_like_an_identifier():
    for cols in COLUMNS.values():
        for col in cols:
            assert not identifiers.looks_like_identifier_column(col.name), col.name


def test_eleven_test():
    assert identifiers.passes_eleven_test("111222333")
    assert identifiers.passes_eleven_test("123456782")
    assert not identifiers.passes_eleven_test("123456789")
    assert not identifiers.passes_eleven_test("000000000")
    assert not identifiers.passes_eleven_test("12345678")
    assert identifiers.text_is_bsn(" 1112.22.333 ")
    assert identifiers.number_is_bsn(12345672)  # 012345672 with the leading zero lost


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize(
    "sheet,index,column,value",
    [
        ("trajecten", 2, "traject_id", VALID_BSN),
        ("trajecten", 0, "arbeidsmarktregio", VALID_BSN),
        ("banen", 1, "contractduur_maanden", VALID_BSN),
        ("trajecten", 1, "traject_id", "1112.22.333"),
    ],
)
def test_bsn_value_rejects(tmp_path, fmt, sheet, index, column, value):
    rows = {"trajecten": trajecten_rows(), "banen": banen_rows()}
    rows[sheet][index][column] = value
    result = check(make_submission(tmp_path, fmt=fmt, **rows))
    found = [p for p in result.rejections if p.rule_code == "bsn_value"]
    assert [(p.sheet, p.source_row, p.column, p.value) for p in found] == [
        (sheet, index + 2, column, None)
    ]
    assert result.trajecten is None and result.quarantined == []
    assert value not in result.format_feedback() and value not in result.format_feedback("en")


def test_bsn_in_typed_excel_number_cell(tmp_path):
    rows = trajecten_rows()
    rows[0]["traject_id"] = 12345672  # BSN 012345672 typed as a number: leading zero lost
    result = check(make_submission(tmp_path, trajecten=rows))
    assert [(p.sheet, p.source_row, p.column, p.rule_code) for p in result.rejections] == [
        ("trajecten", 2, "traject_id", "bsn_value")
    ]


def test_nine_digits_failing_eleven_test_is_fine(tmp_path):
    rows = trajecten_rows()
    rows[0]["traject_id"] = "123456789"
    result = check(make_submission(tmp_path, trajecten=rows))
    assert not result.is_rejected
    assert result.trajecten.column("traject_id")[0].as_py() == "123456789"


def test_corrupt_xlsx(tmp_path):
    path = tmp_path / "2024Q3" / "ORG07_2024Q3.xlsx"
    path.parent.mkdir()
    path.write_bytes(b"PK\x03\x04 this is not really a workbook")
    result = check(path)
    assert [p.rule_code for p in result.rejections] == ["unreadable"]


def test_empty_xlsx(tmp_path):
    path = tmp_path / "2024Q3" / "ORG07_2024Q3.xlsx"
    path.parent.mkdir()
    path.write_bytes(b"")
    assert [p.rule_code for p in check(path).rejections] == ["empty_file"]


def test_empty_csv(tmp_path):
    path = make_submission(tmp_path, fmt="csv")
    (path / "banen.csv").write_bytes(b"\xef\xbb\xbf\r\n")
    result = check(path)
    assert [(p.sheet, p.rule_code) for p in result.rejections] == [("banen", "empty_file")]


def test_csv_wrong_encoding(tmp_path):
    path = make_submission(tmp_path, fmt="csv")
    data = (path / "trajecten.csv").read_bytes().replace(b"T003", b"T\xe9003")  # cp1252 é
    (path / "trajecten.csv").write_bytes(data)
    result = check(path)
    assert [(p.sheet, p.source_row, p.rule_code) for p in result.rejections] == [
        ("trajecten", 4, "encoding")
    ]


def test_csv_delimiter_not_recognised(tmp_path):
    path = make_submission(tmp_path, fmt="csv")
    data = (path / "trajecten.csv").read_bytes().replace(b";", b"\t")
    (path / "trajecten.csv").write_bytes(data)
    result = check(path)
    assert [(p.sheet, p.rule_code) for p in result.rejections] == [("trajecten", "delimiter")]


def test_unsupported_format(tmp_path):
    path = make_submission(tmp_path, fmt="csv")
    loose = path.parent / "ORG07_2024Q3.csv"
    shutil.copy(path / "trajecten.csv", loose)
    assert [p.rule_code for p in check(loose).rejections] == ["unsupported_format"]


@pytest.mark.parametrize("count", [0, 2])
def test_organisatie_must_have_one_row(tmp_path, count):
    rows = organisatie_rows() * count
    result = check(
        make_submission(
            tmp_path,
            organisatie=rows,
            columns={"organisatie": ["organisatie_code", "kwartaal", "fte_trajectbegeleiding"]},
        )
    )
    assert [(p.sheet, p.rule_code) for p in result.rejections] == [
        ("organisatie", "organisatie_rows")
    ]


def test_organisatie_code_must_match_name(tmp_path):
    result = check(make_submission(tmp_path, organisatie=organisatie_rows(org="ORG09")))
    assert [(p.sheet, p.source_row, p.column, p.rule_code) for p in result.rejections] == [
        ("organisatie", 2, "organisatie_code", "organisatie_code_mismatch")
    ]
    assert "'ORG09'" in result.rejections[0].message


def test_kwartaal_must_match_name(tmp_path):
    result = check(make_submission(tmp_path, organisatie=organisatie_rows(quarter="2024Q2")))
    assert [(p.sheet, p.source_row, p.column, p.rule_code) for p in result.rejections] == [
        ("organisatie", 2, "kwartaal", "kwartaal_mismatch")
    ]


def test_fte_required_with_ips_rows(tmp_path):
    result = check(make_submission(tmp_path, organisatie=organisatie_rows(fte="")))
    assert [(p.sheet, p.source_row, p.column, p.rule_code) for p in result.rejections] == [
        ("organisatie", 2, "fte_trajectbegeleiding", "fte_required")
    ]


def test_fte_may_be_empty_without_ips_rows(tmp_path):
    rows = [r for r in trajecten_rows() if r["trajecttype"] != "IPS"]
    result = check(make_submission(tmp_path, trajecten=rows, organisatie=organisatie_rows(fte="")))
    assert not result.is_rejected
    assert result.organisatie.column("fte_trajectbegeleiding")[0].as_py() is None


@pytest.mark.parametrize("fte,rule", [("-1", "below_minimum"), ("twee", "invalid_decimal")])
def test_fte_invalid_rejects(tmp_path, fte, rule):
    result = check(make_submission(tmp_path, organisatie=organisatie_rows(fte=fte)))
    assert [(p.sheet, p.column, p.rule_code, p.value) for p in result.rejections] == [
        ("organisatie", "fte_trajectbegeleiding", rule, fte)
    ]


def test_missing_path(tmp_path):
    result = check(tmp_path / "2024Q3" / "ORG07_2024Q3.xlsx", tmp_path)
    assert [p.rule_code for p in result.rejections] == ["not_found"]


def test_missing_header_row(tmp_path):
    path = make_submission(tmp_path, fmt="csv")
    (path / "organisatie.csv").write_bytes(b";;\r\nORG07;2024Q3;2,5\r\n")
    result = check(path)
    assert [(p.sheet, p.source_row, p.rule_code) for p in result.rejections] == [
        ("organisatie", 1, "missing_header")
    ]


def test_organisatie_code_required(tmp_path):
    result = check(make_submission(tmp_path, organisatie=organisatie_rows(org="")))
    assert [(p.sheet, p.source_row, p.column, p.rule_code) for p in result.rejections] == [
        ("organisatie", 2, "organisatie_code", "required")
    ]


def test_excel_cells_right_of_the_header_reject(tmp_path):
    from werkmonitor.demo.xlsx import write_xlsx

    header = list(trajecten_rows()[0])
    rows = [list(row.values()) for row in trajecten_rows()]
    rows[1] += [None, "los"]  # row 3, column 16: two columns right of the 14-column header
    path = tmp_path / "2024Q3" / "ORG07_2024Q3.xlsx"
    path.parent.mkdir()
    write_xlsx(path, [
        ("trajecten", [header, *rows]),
        ("banen", [list(banen_rows()[0]), *(list(r.values()) for r in banen_rows())]),
        ("organisatie", [list(organisatie_rows()[0]), list(organisatie_rows()[0].values())]),
    ])
    result = check(path)
    assert [(p.sheet, p.source_row, p.rule_code) for p in result.rejections] == [
        ("trajecten", 3, "unnamed_column")
    ]


def test_many_bsn_values_are_summarised(tmp_path):
    bsns = [
        f"{n:09d}"
        for n in range(100_000_000, 100_010_000)
        if identifiers.passes_eleven_test(f"{n:09d}")
    ][:12]
    rows = []
    for i, bsn in enumerate(bsns):
        row = trajecten_rows()[2]
        row["traject_id"] = bsn
        rows.append(row)
        assert i < 12
    result = check(make_submission(tmp_path, fmt="csv", trajecten=rows, banen=[]))
    codes = [p.rule_code for p in result.rejections]
    assert codes == ["bsn_value"] * 10 + ["bsn_value_more"]
    assert "nog 2 cellen" in result.rejections[-1].message
    feedback = result.format_feedback()
    assert not any(bsn in feedback for bsn in bsns)


def test_loader_error_is_a_rejection_without_the_exception_text(tmp_path, monkeypatch, caplog):
    from werkmonitor.loader import checks

    def broken(*args, **kwargs):
        raise ValueError(f"Failed to parse {VALID_BSN}")

    monkeypatch.setattr(checks, "_check_trajecten", broken)
    result = check(make_submission(tmp_path))
    assert [p.rule_code for p in result.rejections] == ["internal_error"]
    assert "ValueError" in result.rejections[0].message
    assert VALID_BSN not in result.format_feedback() and VALID_BSN not in caplog.text


def test_bsn_as_column_name_is_not_echoed(tmp_path):
    rows = trajecten_rows()
    for row in rows:
        row[VALID_BSN] = "x"
    result = check(make_submission(tmp_path, fmt="csv", trajecten=rows))
    assert [(p.sheet, p.source_row, p.column, p.rule_code) for p in result.rejections] == [
        ("trajecten", 1, None, "bsn_value")
    ]
    assert VALID_BSN not in result.format_feedback()


def test_feedback_of_rejected_file_also_lists_bad_rows(tmp_path):
    rows = trajecten_rows()
    rows[0]["startdatum"] = "31-02-2024"
    result = check(make_submission(tmp_path, org="ORG99", trajecten=rows))
    assert [p.rule_code for p in result.rejections] == ["organisation_unknown"]
    assert [(p.sheet, p.source_row, p.column) for p in result.quarantined] == [
        ("trajecten", 2, "startdatum")
    ]
    assert result.trajecten is None  # nothing of a rejected file is kept for loading
    feedback = result.format_feedback()
    assert feedback.splitlines()[1] == "GEWEIGERD: de aanlevering is niet geladen (1 reden(en))."
    assert "Daarnaast zijn deze rijen afgekeurd:" in feedback
    assert "rij 2, kolom startdatum: waarde '31-02-2024'" in feedback
