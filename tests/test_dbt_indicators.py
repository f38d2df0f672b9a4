"""The indicators of indicators.md, computed by dbt on a hand-made data set.

One dbt build (session fixture) serves every value assertion; the expected
figures are counted by hand from tests/dbt_dataset.py, whose comments say why
each row is there. Readings of the spec: docs/indicators.md.
"""

from __future__ import annotations

import csv

import dbt_fixtures
import pytest
from dbt_fixtures import query

from werkmonitor.config import SEEDS_DIR

pytestmark = pytest.mark.slow

# the one shared build (session scope), see dbt_fixtures.dbt_warehouse
dbt_warehouse = dbt_fixtures.dbt_warehouse

Q3 = "2024Q3"


@pytest.fixture
def warehouse(dbt_warehouse):
    return dbt_warehouse


def indicator(warehouse, name, quarter=Q3, level="national", trajectory_type="ALL",
              financing="ALL", ips_scheme="ALL", ips_phase="ALL", region=None, organisation=None):
    rows = query(
        warehouse,
        """
        select * from marts.quarterly_indicators
        where quarter = ? and level = ? and indicator = ? and trajectory_type = ?
          and financing = ? and ips_scheme = ? and ips_phase = ?
          and region_code is not distinct from ? and organisation_code is not distinct from ?
        """,
        [quarter, level, name, trajectory_type, financing, ips_scheme, ips_phase, region,
         organisation],
    )
    assert len(rows) <= 1
    if not rows:
        return None
    columns = [r[0] for r in query(
        warehouse,
        "select column_name from information_schema.columns where table_schema = 'marts'"
        " and table_name = 'quarterly_indicators' order by ordinal_position",
    )]
    return dict(zip(columns, rows[0], strict=True))


def fraction(warehouse, name, **breakdown):
    row = indicator(warehouse, name, **breakdown)
    assert row is not None, (name, breakdown)
    return row["numerator"], row["denominator"]


def count(warehouse, name, **breakdown):
    row = indicator(warehouse, name, **breakdown)
    assert row is not None, (name, breakdown)
    assert row["denominator"] is None
    assert row["value"] == row["numerator"]
    return row["numerator"]


IPS = {"trajectory_type": "IPS"}


def test_populations_ips(warehouse):
    # running: P1-P5, ten band rows, X1, E1-E4; Q1 quarantined, O1/O2 orientation
    assert count(warehouse, "running", **IPS) == 20 + 1  # + ORG02's G1 (version b only)
    assert count(warehouse, "orientation", **IPS) == 2
    assert count(warehouse, "orientation_ended", **IPS) == 1
    assert count(warehouse, "started", **IPS) == 4  # P5, B30, B31, E4
    assert count(warehouse, "ended", **IPS) == 4
    assert indicator(warehouse, "orientation") is None  # not for ALL
    assert indicator(warehouse, "orientation", **IPS, ips_phase="GOEDGEKEURD") is None


def test_paid_work_family_ips_org01(warehouse):
    org = {"level": "organisation", "organisation": "ORG01", **IPS}
    assert fraction(warehouse, "paid_work", **org) == (15, 20)
    assert fraction(warehouse, "sustainable_paid_work", **org) == (13, 20)
    assert fraction(warehouse, "ever_paid_work", **org) == (17, 20)
    # job_started: P2, P4, ten band rows, E1 over running - paid work
    assert fraction(warehouse, "job_started", **org) == (13, 5)
    # job_stopped: P1 (job ended on the quarter's first day) over paid work
    assert fraction(warehouse, "job_stopped", **org) == (1, 15)
    assert fraction(warehouse, "education", **org) == (1, 20)
    assert fraction(warehouse, "outflow", **org) == (4, 20)


def test_ended_outflow_ips(warehouse):
    org = {"level": "organisation", "organisation": "ORG01", **IPS}
    assert fraction(warehouse, "ended_with_paid_work", **org) == (1, 4)  # E1
    assert fraction(warehouse, "ended_worked_before", **org) == (1, 4)  # E3
    assert fraction(warehouse, "ended_never_worked", **org) == (2, 4)  # E2, E4
    assert fraction(warehouse, "ended_intended_result", **org) == (3, 4)  # E1, E2 (OPLEIDING), E3


@pytest.mark.parametrize(
    ("trajectory_type", "expected"),
    [("WABZ", (1, 2)), ("JOBCOACHING", (1, 2)), ("WERKFIT", (2, 3)), ("NAAR_WERK", (1, 2)),
     ("OVERIG", (1, 2))],
)
def test_intended_result_per_type(warehouse, trajectory_type, expected):
    assert fraction(warehouse, "ended_intended_result", trajectory_type=trajectory_type) == expected


def test_intended_result_all_types(warehouse):
    # IPS 3/4, WABZ 1/2, JC 1/2, WERKFIT 2/3, NAAR_WERK 1/2, OVERIG 1/2
    numerator, denominator = fraction(warehouse, "ended_intended_result")
    assert (numerator, denominator) == (9, 15)


def test_first_job_day_bands_ips(warehouse):
    org = {"level": "organisation", "organisation": "ORG01", **IPS}
    # days among the 15 paid rows: P1 151, P2 182, P4 106, P5 0, E1 305, bands 30..271
    assert fraction(warehouse, "first_job_days_0_30", **org) == (2, 15)  # P5, B30
    assert fraction(warehouse, "first_job_days_31_60", **org) == (2, 15)  # B31, B60
    assert fraction(warehouse, "first_job_days_61_150", **org) == (5, 15)  # P4 B61 B90 B91 B150
    assert fraction(warehouse, "first_job_days_151_270", **org) == (4, 15)  # P1 P2 B151 B270
    assert fraction(warehouse, "first_job_days_271_plus", **org) == (2, 15)  # B271, E1
    assert fraction(warehouse, "first_job_within_3_months", **org) == (6, 15)
    assert fraction(warehouse, "first_job_after_9_months", **org) == (2, 15)


def test_first_job_is_a_job_held_during_the_trajectory(warehouse):
    rows = query(warehouse, """
        select traject_id, first_job_start_date::varchar, days_to_first_job, first_job_day_band
        from marts.fct_trajectory_quarters
        where quarter = '2024Q3' and traject_id in ('P4', 'P5', 'K6', 'X1')
        order by traject_id
    """)
    assert rows == [
        ("K6", "2024-01-01", 0, "0_30"),  # job from 2021: the trajectory start counts
        ("P4", "2024-08-15", 106, "61_150"),  # the 2020-2021 job ended before the trajectory
        ("P5", "2024-07-15", 0, "0_30"),
        ("X1", None, None, None),  # its only job is quarantined
    ]


def test_jobcoaching_employment_months(warehouse):
    jc = {"trajectory_type": "JOBCOACHING"}
    # held on 30 Sep (or on J1's end date 10 Sep): K1 5, K2 6, K4 12, K5 13, K6 44, J1 32
    assert fraction(warehouse, "employment_lt_6_months", **jc) == (1, 6)
    assert fraction(warehouse, "employment_6_12_months", **jc) == (2, 6)
    assert fraction(warehouse, "employment_gt_12_months", **jc) == (3, 6)
    assert indicator(warehouse, "employment_lt_6_months", trajectory_type="IPS") is None
    months = dict(query(warehouse, """
        select traject_id, employment_months from marts.fct_trajectory_quarters
        where quarter = '2024Q3' and trajectory_type = 'JOBCOACHING'
    """))
    assert months == {"K1": 5, "K2": 6, "K4": 12, "K5": 13, "K6": 44, "J1": 32, "J2": None}
    # J2's job ended the day before its end date: job stopped, outflow "worked before"
    assert fraction(warehouse, "job_stopped", **jc) == (1, 7)


def test_employment_bands_for_all_types_count_the_jobcoaching_rows(warehouse):
    # issue 11 §5: every indicator exists for ALL; ALL holds ORG01's jobcoaching rows
    for band, expected in [("lt_6_months", (1, 6)), ("6_12_months", (2, 6)),
                           ("gt_12_months", (3, 6))]:
        assert fraction(warehouse, f"employment_{band}") == expected
        assert fraction(warehouse, f"employment_{band}", level="organisation",
                        organisation="ORG01") == expected
    # ALL with financing GEMEENTE holds no jobcoaching row (JC rows are UWV): no row
    assert indicator(warehouse, "employment_lt_6_months", financing="GEMEENTE") is None
    # region AM22 (ORG02: one IPS row) has running rows but no jobcoaching
    assert count(warehouse, "running", level="region", region="AM22") == 1
    assert indicator(warehouse, "employment_lt_6_months", level="region", region="AM22") is None


def test_time_in_trajectory_at_the_end(warehouse):
    # end month since start (smallest m >= 1 with end <= start + m months):
    # E1 11, E2 8 (15 Jan + 8 months = 15 Sep), E3 8, E4 2, W2 7 (1 Jan + 7 = 1 Aug),
    # W3 8, J1 16, J2 16, F1-F3 7, N1-N2 8, V1-V2 7
    assert fraction(warehouse, "ended_within_6_months") == (1, 15)  # E4
    assert fraction(warehouse, "ended_within_12_months") == (13, 15)  # all but J1, J2
    assert fraction(warehouse, "ended_within_6_months", **IPS) == (1, 4)
    assert fraction(warehouse, "ended_within_12_months", trajectory_type="JOBCOACHING") == (0, 2)
    months = dict(query(warehouse, """
        select traject_id, end_month_since_start from marts.fct_trajectory_quarters
        where quarter = '2024Q3' and traject_id in ('E1', 'E2', 'E4', 'W2', 'J1', 'K1')
    """))
    assert months == {"E1": 11, "E2": 8, "E4": 2, "W2": 7, "J1": 16, "K1": None}
    # IPS only: ended without intended result, EPA <= 36 / CMD <= 24 months: E4 (EPA, month 2)
    assert fraction(warehouse, "ended_before_term_without_result", **IPS) == (1, 4)
    # CMD has running rows (P3, P4) but none ended: 0 / 0, value null
    cmd = indicator(warehouse, "ended_before_term_without_result", ips_scheme="CMD", **IPS)
    assert (cmd["numerator"], cmd["denominator"], cmd["value"]) == (0, 0, None)
    assert indicator(warehouse, "ended_before_term_without_result") is None  # not for ALL
    assert indicator(warehouse, "ended_before_term_without_result",
                     trajectory_type="WABZ") is None


def test_wabz_activities(warehouse):
    wabz = {"trajectory_type": "WABZ"}
    assert count(warehouse, "running", **wabz) == 3
    assert fraction(warehouse, "volunteer_work", **wabz) == (1, 3)
    assert fraction(warehouse, "day_activity", **wabz) == (1, 3)
    assert fraction(warehouse, "trial_placement", **wabz) == (0, 3)
    assert count(warehouse, "running", trajectory_type="WABZ", financing="GEMEENTE") == 3
    assert indicator(warehouse, "running", trajectory_type="WABZ", financing="UWV") is None


def test_breakdowns_ips(warehouse):
    assert count(warehouse, "running", **IPS, ips_scheme="EPA") == 18  # 17 ORG01 + G1
    assert count(warehouse, "running", **IPS, ips_scheme="CMD") == 2
    assert count(warehouse, "running", **IPS, ips_scheme="GEEN") == 1
    assert count(warehouse, "orientation", **IPS, ips_scheme="EPA") == 2
    assert count(warehouse, "running", **IPS, ips_phase="AANGEVRAAGD") == 1
    assert count(warehouse, "running", **IPS, ips_phase="GOEDGEKEURD") == 20
    assert count(warehouse, "running", **IPS, financing="GEMEENTE") == 1
    assert count(warehouse, "running", financing="UWV") == 19 + 1 + 7 + 3  # IPS, G1, JC, WF
    assert count(warehouse, "running") == 38
    assert count(warehouse, "running", level="region", region="AM22") == 1
    assert count(warehouse, "running", level="region", region="AM13") == 1


def test_clients_per_fte_and_average(warehouse):
    # (20 + 1) running IPS over 2.0 + 1.5 FTE; ORG02's superseded 9.0 FTE is ignored
    assert fraction(warehouse, "clients_per_fte", **IPS) == (21, 3.5)
    assert indicator(warehouse, "clients_per_fte", **IPS)["value"] == pytest.approx(6.0)
    assert fraction(warehouse, "clients_per_fte", level="organisation", organisation="ORG01",
                    **IPS) == (20, 2.0)
    assert indicator(warehouse, "clients_per_fte", level="region", region="AM18", **IPS) is None
    assert indicator(warehouse, "clients_per_fte") is None
    assert fraction(warehouse, "avg_per_organisation") == (38, 2)
    assert fraction(warehouse, "avg_per_organisation", trajectory_type="WABZ") == (3, 1)


def test_previous_quarter_changes(warehouse):
    running = indicator(warehouse, "running")
    assert (running["previous_value"], running["change_absolute"]) == (5, 33)
    assert running["change_relative"] == pytest.approx(33 / 5)
    assert running["change_percentage_points"] is None
    paid = indicator(warehouse, "paid_work", **IPS)
    assert (paid["numerator"], paid["denominator"]) == (15, 21)
    assert (paid["previous_numerator"], paid["previous_denominator"]) == (1, 3)
    assert paid["change_percentage_points"] == pytest.approx(100 * (15 / 21 - 1 / 3))
    assert paid["change_relative"] is None
    # 2024Q2 has nothing before it: no comparison at all
    q2 = indicator(warehouse, "running", quarter="2024Q2")
    assert q2["value"] == 5 and q2["previous_value"] is None and q2["change_absolute"] is None
    # absent in the previous quarter = 0 (WERKFIT did not exist in 2024Q2)
    werkfit = indicator(warehouse, "running", trajectory_type="WERKFIT")
    assert (werkfit["previous_value"], werkfit["change_absolute"]) == (0, 3)
    assert werkfit["change_relative"] is None


def test_like_for_like(warehouse):
    # only ORG01 delivered in both 2024Q2 and 2024Q3
    running = indicator(warehouse, "running")
    assert running["like_for_like_value"] == 37
    assert running["like_for_like_previous_value"] == 3
    assert running["like_for_like_organisations"] == 1
    paid = indicator(warehouse, "paid_work", **IPS)
    assert (paid["like_for_like_numerator"], paid["like_for_like_denominator"]) == (15, 20)
    assert (paid["like_for_like_previous_numerator"],
            paid["like_for_like_previous_denominator"]) == (1, 3)
    wabz = indicator(warehouse, "running", trajectory_type="WABZ")
    assert (wabz["previous_value"], wabz["like_for_like_previous_value"]) == (2, 0)
    region = indicator(warehouse, "running", level="region", region="AM13")
    assert (region["previous_value"], region["like_for_like_value"],
            region["like_for_like_previous_value"]) == (2, 1, 0)
    org01 = indicator(warehouse, "running", level="organisation", organisation="ORG01")
    assert (org01["like_for_like_value"], org01["like_for_like_previous_value"]) == (37, 3)
    assert org01["previous_value"] == 3
    org02 = indicator(warehouse, "running", level="organisation", organisation="ORG02")
    assert org02["previous_value"] is None and org02["like_for_like_value"] is None


def _register_expected(region: str, quarter: str) -> set[str]:
    with (SEEDS_DIR / "organisations.csv").open(encoding="utf-8") as handle:
        active = {
            row["organisation_code"] for row in csv.DictReader(handle)
            if row["active_from_quarter"] <= quarter
            and (not row["active_to_quarter"] or row["active_to_quarter"] >= quarter)
        }
    with (SEEDS_DIR / "organisation_regions.csv").open(encoding="utf-8") as handle:
        return {
            row["organisation_code"] for row in csv.DictReader(handle)
            if row["region_code"] == region and row["organisation_code"] in active
            and row["valid_from_quarter"] <= quarter
            and (not row["valid_to_quarter"] or row["valid_to_quarter"] >= quarter)
        }


def test_region_completeness(warehouse):
    rows = {
        row[0]: row[1:]
        for row in query(warehouse, """
            select region_code, status, organisations_expected, organisations_delivered,
                   missing_organisations, mark, unregistered_organisations, rows_unregistered
            from marts.region_completeness where quarter = '2024Q3'
        """)
    }
    assert len(rows) == 35
    delivered = {"ORG01", "ORG02"}  # ORG03 was rejected
    for region, (status, expected_n, delivered_n, missing, mark, _, _) in rows.items():
        expected = _register_expected(region, Q3)
        assert expected_n == len(expected), region
        assert delivered_n == len(expected & delivered), region
        assert missing == sorted(expected - delivered), region
        if not expected:
            assert (status, mark) == ("no_provider", "**"), region
        elif not expected & delivered:
            assert (status, mark) == ("no_data", "*"), region
        elif expected - delivered:
            assert (status, mark) == ("incomplete", "*"), region
        else:
            assert (status, mark) == ("complete", ""), region
    assert "ORG01" in _register_expected("AM18", Q3)
    assert rows["AM13"][5:] == (["ORG01"], 1)  # V1 delivered for AM13, not registered there
    assert rows["AM18"][5:] == ([], 0)


def test_regional_ambition(warehouse):
    rows = dict(query(warehouse, """
        select quarter, started_year_to_date from marts.regional_ambition
        where region_code = 'AM18' and year = 2024
    """))
    # 2024Q2: R3; 2024Q3 adds P5, B30, B31, E4
    assert rows == {"2024Q1": 0, "2024Q2": 1, "2024Q3": 5}
