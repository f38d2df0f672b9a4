"""What people read is the catalogue's wording: statuses and indicator labels.

Submission statuses: one seed, one word per status wherever a person reads it.

``seeds/submission_statuses.csv`` holds the statuses of the submission log
(interface.md) and their Dutch words. The run summary, the feedback to the
organisation and the organisation's report used to name them each in their
own words (a rejected file was "afgewezen" in one and "afgekeurd" in
another); these tests read what each of them prints for a status. The run
summary's headline figures carry the indicator catalogue's labels and kinds.
"""

from __future__ import annotations

import re

import duckdb
import yaml

from werkmonitor.config import REPO_ROOT
from werkmonitor.publish.reports import organisation
from werkmonitor.quality import feedback
from werkmonitor.reference import submission_statuses
from werkmonitor.summary import headline_lines, load_lines


def test_the_statuses_are_the_spec_submission_log_statuses():
    text = (REPO_ROOT / "docs/spec/interface.md").read_text(encoding="utf-8")
    section = text.split("## Submission log", 1)[1]
    listed = re.search(r"status \(([^)]*)\)", section).group(1)
    assert list(submission_statuses()) == re.findall(r"`([a-z]+)`", listed)
    assert list(submission_statuses()) == ["accepted", "rejected", "superseded", "duplicate"]


def test_the_source_test_of_the_status_lists_the_seed_codes():
    """The dbt source test keeps its list (dbt YAML cannot read a seed): checked here."""
    path = REPO_ROOT / "models/staging/audit/_audit__sources.yml"
    (source,) = yaml.safe_load(path.read_text(encoding="utf-8"))["sources"]
    (table,) = [t for t in source["tables"] if t["name"] == "submissions"]
    (column,) = [c for c in table["columns"] if c["name"] == "status"]
    (test,) = [t for t in column["data_tests"] if "accepted_values" in t]
    assert sorted(test["accepted_values"]["arguments"]["values"]) == sorted(submission_statuses())


def test_one_dutch_word_per_status():
    assert {code: s.label_nl for code, s in submission_statuses().items()} == {
        "accepted": "geaccepteerd",
        "rejected": "afgekeurd",
        "superseded": "vervangen",
        "duplicate": "dubbel aangeleverd",
    }


def test_the_run_summary_says_the_seed_words():
    con = duckdb.connect()
    con.execute("create schema audit")
    con.execute(
        "create table audit.submissions (quarter varchar, status varchar,"
        " rows_accepted integer, rows_quarantined integer)"
    )
    con.execute(
        "insert into audit.submissions values ('2024Q3', 'accepted', 120, 3),"
        " ('2024Q3', 'rejected', 0, 0), ('2024Q3', 'duplicate', 0, 0),"
        " ('2024Q3', 'superseded', 80, 1), ('2024Q3', 'accepted', 1000, 0)"
    )
    assert load_lines(con, ["2024Q3"]) == [
        "  2024Q3: 2 geaccepteerd, 1 afgekeurd, 1 vervangen, 1 dubbel aangeleverd; "
        "1.120 rijen geladen, 3 in quarantaine"
    ]


def test_feedback_and_organisation_report_say_the_seed_words():
    # the feedback adds the seed's note; the report's table has the bare word
    assert feedback._status_nl("accepted") == "geaccepteerd (geldende versie)"
    assert feedback._status_nl("rejected") == "afgekeurd"
    assert feedback._status_nl("superseded") == "vervangen (door een latere versie)"
    assert feedback._status_nl("duplicate") == "dubbel aangeleverd (zelfde inhoud, genegeerd)"
    assert [organisation._status_nl(code) for code in submission_statuses()] == [
        "geaccepteerd", "afgekeurd", "vervangen", "dubbel aangeleverd",
    ]
    assert organisation._status_nl(None) == organisation.MISSING


def test_the_summary_headline_has_the_catalogue_labels_and_kinds():
    con = duckdb.connect()
    con.execute("create schema marts")
    con.execute(
        "create table marts.quarterly_indicators (quarter varchar, level varchar,"
        " trajectory_type varchar, financing varchar, ips_scheme varchar, ips_phase varchar,"
        " indicator varchar, numerator double, value double)"
    )
    con.execute(
        "insert into marts.quarterly_indicators values"
        " ('2024Q3', 'national', 'ALL', 'ALL', 'ALL', 'ALL', 'running', 4763, 4763),"
        " ('2024Q3', 'national', 'ALL', 'ALL', 'ALL', 'ALL', 'paid_work', 1786, 0.375),"
        " ('2024Q3', 'national', 'IPS', 'ALL', 'ALL', 'ALL', 'started', 12, 12)"
    )
    assert headline_lines(con, "2024Q3") == [
        f"  {'Lopend':<24} 4.763",
        f"  {'Betaald werk':<24} 1.786 (37,5%)",
    ]


def test_summary_numbers_are_written_as_the_published_file_writes_them():
    """The run summary prints the file's figures: half-up like ``display_value``
    (6.25% is 6,3%, where Python's float formatting said 6,2%), Dutch separators,
    a dash for a missing figure."""
    from werkmonitor.summary import nl_int, nl_pct

    assert nl_pct(0.0625) == "6,3%"
    assert nl_pct(0.368) == "36,8%"
    assert nl_int(4763) == "4.763"
    assert nl_int(2.5) == "3"
    assert nl_int(None) == "–" and nl_pct(None) == "–"
