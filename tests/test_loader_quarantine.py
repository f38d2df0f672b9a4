"""Every row rule: the row is quarantined with each reason; the rest of the submission loads."""

from __future__ import annotations

import pytest
from submission_factory import banen_rows, check, make_submission, rules, trajecten_rows

# trajecten baseline: row 2 = T001 (IPS, running), row 3 = T002 (WABZ, ended 2024-09-15),
# row 4 = T003 (JOBCOACHING, running). banen: row 2 = T002/1, rows 3-4 = T003/1, T003/2.
TRAJECTEN_CASES = [
    # (row index, changes, expected [(column, rule)])
    (0, {"startdatum": "31-02-2024"}, [("startdatum", "invalid_date")]),
    (0, {"startdatum": "2024/01/15"}, [("startdatum", "invalid_date")]),
    (0, {"startdatum": "1/7/2024"}, [("startdatum", "invalid_date")]),
    (0, {"startdatum": ""}, [("startdatum", "required")]),
    (0, {"arbeidsmarktregio": "AM04"}, [("arbeidsmarktregio", "invalid_region")]),
    (0, {"arbeidsmarktregio": ""}, [("arbeidsmarktregio", "required")]),
    (0, {"trajecttype": "IPSX"}, [("trajecttype", "invalid_code")]),
    (1, {"financiering": "RIJK"}, [("financiering", "invalid_code")]),
    (1, {"financiering_detail": "LOTERIJ"}, [("financiering_detail", "invalid_code")]),
    (0, {"opleiding": "misschien"}, [("opleiding", "invalid_bool")]),
    (2, {"dagbesteding": ""}, [("dagbesteding", "required")]),
    (0, {"traject_id": ""}, [("traject_id", "required")]),
    (0, {"traject_id": "X" * 65}, [("traject_id", "too_long")]),
    (0, {"ips_regeling": ""}, [("ips_regeling", "required_for_ips")]),
    (0, {"fase": ""}, [("fase", "required_for_ips")]),
    (0, {"fase": "KLAAR"}, [("fase", "invalid_code")]),
    (1, {"ips_regeling": "EPA"}, [("ips_regeling", "only_for_ips")]),
    (2, {"fase": "ORIENTATIE"}, [("fase", "only_for_ips")]),
    (0, {"startdatum": "2024-10-01"}, [("startdatum", "start_after_quarter")]),
    (1, {"einddatum": "2024-07-15"}, [("einddatum", "end_before_start")]),
    (
        2,
        {"einddatum": "2024-10-05", "uitstroomreden": "BAAN"},
        [("einddatum", "end_outside_quarter")],
    ),
    (
        2,
        {"einddatum": "2024-06-30", "uitstroomreden": "BAAN"},
        [("einddatum", "end_outside_quarter")],
    ),
    (1, {"uitstroomreden": ""}, [("uitstroomreden", "exit_reason_required")]),
    (0, {"uitstroomreden": "BAAN"}, [("uitstroomreden", "exit_reason_without_end")]),
    (1, {"uitstroomreden": "WEG"}, [("uitstroomreden", "invalid_code")]),
    (
        0,
        {"startdatum": "morgen", "opleiding": "?"},
        [("opleiding", "invalid_bool"), ("startdatum", "invalid_date")],
    ),
]


@pytest.mark.parametrize("index,changes,expected", TRAJECTEN_CASES)
def test_trajecten_rule(tmp_path, index, changes, expected):
    rows = trajecten_rows()
    rows[index].update(changes)
    result = check(make_submission(tmp_path, fmt="csv", trajecten=rows))
    assert not result.is_rejected, result.rejections
    row = index + 2
    assert rules(result.quarantined) == sorted(
        [("trajecten", row, column, rule) for column, rule in expected]
        + _jobs_of(rows[index]["traject_id"])
    )
    flags = result.trajecten.column("is_quarantined").to_pylist()
    assert flags == [i == index for i in range(3)]
    for problem in result.quarantined:
        if problem.sheet != "trajecten":
            continue
        assert problem.message.startswith(
            f"Bestand ORG07_2024Q3/trajecten.csv, blad trajecten, rij {row}, "
            f"kolom {problem.column}: "
        )
        assert problem.message.endswith(f"[{problem.rule_code}]")
        delivered = rows[index][problem.column]
        if delivered:
            assert problem.value == delivered
            assert f"'{delivered[:79]}" in problem.message


def _jobs_of(traject_id: str) -> list[tuple]:
    """The banen rows quarantined with their trajectory (baseline jobs)."""
    return [
        ("banen", i + 2, "traject_id", "traject_quarantined")
        for i, job in enumerate(banen_rows())
        if job["traject_id"] == traject_id and traject_id
    ]


def test_message_wording_nl_and_en(tmp_path):
    rows = trajecten_rows()
    rows[0]["startdatum"] = "31-02-2024"
    result = check(make_submission(tmp_path, trajecten=rows))
    problem = result.quarantined[0]
    assert problem.render("nl") == (
        "Bestand ORG07_2024Q3.xlsx, blad trajecten, rij 2, kolom startdatum: waarde "
        "'31-02-2024' is geen geldige datum (verwacht JJJJ-MM-DD, DD-MM-JJJJ, D-M-JJJJ of "
        "DD/MM/JJJJ) [invalid_date]"
    )
    assert problem.render("en") == (
        "File ORG07_2024Q3.xlsx, sheet trajecten, row 2, column startdatum: value "
        "'31-02-2024' is not a valid date (expected YYYY-MM-DD, DD-MM-YYYY, D-M-YYYY or "
        "DD/MM/YYYY) [invalid_date]"
    )


def test_unparseable_value_becomes_null(tmp_path):
    rows = trajecten_rows()
    rows[0]["startdatum"] = "31-02-2024"
    rows[0]["arbeidsmarktregio"] = "am99"
    result = check(make_submission(tmp_path, fmt="csv", trajecten=rows))
    first = result.trajecten.slice(0, 1).to_pylist()[0]
    assert first["startdatum"] is None
    assert first["arbeidsmarktregio"] == "AM99"  # a code is kept (upper-cased) for the audit
    assert first["is_quarantined"] is True


def test_duplicate_traject_id_quarantines_all_rows_and_their_jobs(tmp_path):
    rows = trajecten_rows()
    rows[2]["traject_id"] = "T002"
    jobs = [j for j in banen_rows() if j["traject_id"] != "T003"]
    result = check(make_submission(tmp_path, fmt="csv", trajecten=rows, banen=jobs))
    assert rules(result.quarantined) == [
        ("banen", 2, "traject_id", "traject_quarantined"),
        ("trajecten", 3, "traject_id", "duplicate_traject_id"),
        ("trajecten", 4, "traject_id", "duplicate_traject_id"),
    ]
    assert "'T002' komt 2 keer voor in trajecten" in result.quarantined[1].message
    assert result.trajecten.column("is_quarantined").to_pylist() == [False, True, True]


BANEN_CASES = [
    (0, {"traject_id": "T999"}, [("traject_id", "unknown_traject_id")]),
    (0, {"traject_id": ""}, [("traject_id", "required")]),
    (0, {"baan_nr": "0"}, [("baan_nr", "below_minimum")]),
    (0, {"baan_nr": "een"}, [("baan_nr", "invalid_integer")]),
    (0, {"baan_nr": "1.5"}, [("baan_nr", "invalid_integer")]),
    (0, {"startdatum": "2024-10-02"}, [("startdatum", "start_after_quarter")]),
    (0, {"startdatum": "2024-13-01"}, [("startdatum", "invalid_date")]),
    (2, {"einddatum": "2024-02-01"}, [("einddatum", "end_before_start")]),
    (0, {"uren_per_week": "81"}, [("uren_per_week", "above_maximum")]),
    (0, {"uren_per_week": "-1"}, [("uren_per_week", "below_minimum")]),
    (0, {"uren_per_week": "twintig"}, [("uren_per_week", "invalid_decimal")]),
    (0, {"uren_per_week": ""}, [("uren_per_week", "required")]),
    (0, {"loonwaarde_pct": "101"}, [("loonwaarde_pct", "above_maximum")]),
    (0, {"loonwaarde_pct": "50.5"}, [("loonwaarde_pct", "invalid_integer")]),
    (0, {"contractduur_maanden": "-1"}, [("contractduur_maanden", "below_minimum")]),
    (0, {"contractsoort": "ZZP"}, [("contractsoort", "invalid_code")]),
]


@pytest.mark.parametrize("index,changes,expected", BANEN_CASES)
def test_banen_rule(tmp_path, index, changes, expected):
    jobs = banen_rows()
    jobs[index].update(changes)
    result = check(make_submission(tmp_path, fmt="csv", banen=jobs))
    assert not result.is_rejected, result.rejections
    assert rules(result.quarantined) == sorted(
        ("banen", index + 2, column, rule) for column, rule in expected
    )
    assert result.banen.column("is_quarantined").to_pylist() == [i == index for i in range(3)]
    assert result.trajecten.column("is_quarantined").to_pylist() == [False] * 3
    problem = result.quarantined[0]
    assert problem.message.startswith(
        f"Bestand ORG07_2024Q3/banen.csv, blad banen, rij {index + 2}, kolom {problem.column}: "
    )


def test_duplicate_baan_nr_per_trajectory(tmp_path):
    jobs = banen_rows()
    jobs[2]["baan_nr"] = "1"
    result = check(make_submission(tmp_path, fmt="csv", banen=jobs))
    assert rules(result.quarantined) == [
        ("banen", 3, "baan_nr", "duplicate_baan_nr"),
        ("banen", 4, "baan_nr", "duplicate_baan_nr"),
    ]
    # the same baan_nr under another trajectory is fine: T002/1 stays
    assert result.banen.column("is_quarantined").to_pylist() == [False, True, True]


def test_job_of_quarantined_trajectory_is_quarantined_with_it(tmp_path):
    rows = trajecten_rows()
    rows[2]["arbeidsmarktregio"] = "AM99"
    result = check(make_submission(tmp_path, fmt="csv", trajecten=rows))
    assert rules(result.quarantined) == [
        ("banen", 3, "traject_id", "traject_quarantined"),
        ("banen", 4, "traject_id", "traject_quarantined"),
        ("trajecten", 4, "arbeidsmarktregio", "invalid_region"),
    ]
    job = next(p for p in result.quarantined if p.sheet == "banen")
    assert job.message == (
        "Bestand ORG07_2024Q3/banen.csv, blad banen, rij 3, kolom traject_id: het traject "
        "'T003' staat in quarantaine, daarom deze baan ook [traject_quarantined]"
    )
    assert result.rows_quarantined == 3 and result.rows_accepted == 3
