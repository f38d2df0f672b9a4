"""marts.cohort_outcomes on cohorts small enough to compute by hand.

Each case is one curve: national, one trajectory type, one start quarter
(no other trajectory shares both). Values are worked out in the docstrings
and in docs/indicators.md (the WABZ case is the worked example there); the
mart must agree to 1e-9. The band is checked against lifelines on the same
durations (its tie check off: it runs its own formulas on the monthly table).
"""

from __future__ import annotations

import warnings

import pytest
from dbt_fixtures import Submission, d, query, write_submissions
from dbt_once import seed_and_run

pytestmark = pytest.mark.slow

WABZ_START = "2024-01-10"


def _wabz(traject_id, end=None):
    return {"traject_id": traject_id, "trajecttype": "WABZ", "startdatum": d(WABZ_START),
            "einddatum": d(end) if end else None, "uitstroomreden": "OVERIG" if end else None}


def _overig(traject_id, end=None):
    return {"traject_id": traject_id, "trajecttype": "OVERIG", "startdatum": d("2023-04-15"),
            "einddatum": d(end) if end else None, "uitstroomreden": "OVERIG" if end else None}


def _job(traject_id, start, hours=20.0):
    return {"traject_id": traject_id, "startdatum": d(start), "uren_per_week": hours}


def submissions() -> list[Submission]:
    """WABZ, started 10 Jan 2024 (months: 1 = 10 Jan-10 Feb, 2 = to 10 Mar, 3 = to
    10 Apr, ... 6 = 11 Jun-10 Jul): ties, censoring and competing ends.
    OVERIG, started 15 Apr 2023: every trajectory ended or found work."""
    q1 = Submission("ORG02", "2024Q1", trajectories=[
        _wabz("W07"),  # vanishes: observed end 31 Mar = month 3, censored
    ])
    q2 = Submission("ORG02", "2024Q2", trajectories=[
        _wabz("W01"), _wabz("W02"),  # first job 20 Jan: month 1
        _wabz("W03", end="2024-02-05"),  # ended without work in month 1
        _wabz("W04"),  # job 11 Feb: month 2
        _wabz("W05"),  # job 10 Mar, the last day of month 2
        _wabz("W06", end="2024-03-11"),  # ended without work in month 3
        _wabz("W08", end="2024-05-31"),  # job 20 Mar (month 3), ended later
        _wabz("W09"), _wabz("W10"),  # no job, no end: censored 30 Jun = month 6
        # months: 1 = to 15 May, 2 = to 15 Jun, 3 = to 15 Jul, 4 = to 15 Aug, 5 = to 15 Sep
        _overig("V01", end="2023-05-10"),  # month 1, without work
        _overig("V02"),  # job 1 Jun 2023: month 2
        _overig("V03", end="2023-07-01"),  # month 3, without work
        _overig("V04", end="2023-08-20"),  # after 15 Aug: month 5, without work
        _overig("V05"),  # job 16 Aug 2023 (after 15 Aug): month 5
    ], jobs=[
        _job("W01", "2024-01-20"), _job("W02", "2024-01-20"),
        _job("W04", "2024-02-11"), _job("W05", "2024-03-10", hours=8.0),
        _job("W08", "2024-03-20"),
        _job("V02", "2023-06-01"), _job("V05", "2023-08-16"),
    ])
    return [q1, q2]


WABZ_PAID_WORK = [
    # month, at_risk, events, ended_without, censored, cumulative_share
    (1, 10, 2, 1, 0, 0.2),  # 2/10; S = 7/10
    (2, 7, 2, 0, 0, 0.4),  # + 7/10 * 2/7; S = 5/10
    (3, 5, 1, 1, 1, 0.5),  # + 5/10 * 1/5; S = 3/10
    (4, 2, 0, 0, 0, 0.5),
    (5, 2, 0, 0, 0, 0.5),
    (6, 2, 0, 0, 2, 0.5),
]
# W05's job has 8 hours a week: not sustainable, so W05 is censored in month 6
WABZ_SUSTAINABLE = [
    (1, 10, 2, 1, 0, 0.2),
    (2, 7, 1, 0, 0, 0.3),  # + 7/10 * 1/7; S = 6/10
    (3, 6, 1, 1, 1, 0.4),  # + 6/10 * 1/6; S = 4/10
    (4, 3, 0, 0, 0, 0.4),
    (5, 3, 0, 0, 0, 0.4),
    (6, 3, 0, 0, 3, 0.4),
]
# no censoring: the plain share of the cohort with a job by month m (2 of 5)
OVERIG_PAID_WORK = [
    (1, 5, 0, 1, 0, 0.0),
    (2, 4, 1, 0, 0, 0.2),
    (3, 3, 0, 1, 0, 0.2),
    (4, 2, 0, 0, 0, 0.2),
    (5, 2, 1, 1, 0, 0.4),
]


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    base = tmp_path_factory.mktemp("cohort-estimator")
    path = base / "werkmonitor.duckdb"
    write_submissions(path, submissions())
    seed_and_run(path, base / "target", "+cohort_outcomes")
    return path


def _curve(warehouse, trajectory_type, start_cohort, outcome, as_of="2024Q2"):
    return query(warehouse, """
        select month, at_risk, events, ended_without, censored, cumulative_share,
            ci_lower, ci_upper
        from marts.cohort_outcomes
        where as_of_quarter = ? and level = 'national' and trajectory_type = ?
          and financing = 'ALL' and ips_scheme = 'ALL' and start_cohort = ? and outcome = ?
        order by month
    """, [as_of, trajectory_type, start_cohort, outcome])


def _lifelines_band(expected):
    """lifelines on the durations behind an expected table (kinds: 1 event,
    2 ended without, 0 censored), its tie check off."""
    from lifelines import AalenJohansenFitter

    durations, kinds = [], []
    for month, _, events, ended_without, censored, _ in expected:
        for kind, count in ((1, events), (2, ended_without), (0, censored)):
            durations += [month] * count
            kinds += [kind] * count
    fitter = AalenJohansenFitter()
    fitter._check_for_duplicates = lambda durations, events: False
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fitter.fit(durations, kinds, event_of_interest=1)
    band = fitter.confidence_interval_
    return band.min(axis=1), band.max(axis=1)


@pytest.mark.parametrize(
    ("trajectory_type", "start_cohort", "outcome", "expected"),
    [
        ("WABZ", "2024Q1", "paid_work", WABZ_PAID_WORK),
        ("WABZ", "2024", "sustainable_paid_work", WABZ_SUSTAINABLE),
        ("OVERIG", "2023Q2", "paid_work", OVERIG_PAID_WORK),
    ],
    ids=["ties-censoring-competing", "sustainable", "no-censoring-plain-share"],
)
def test_hand_computed_curve(warehouse, trajectory_type, start_cohort, outcome, expected):
    rows = _curve(warehouse, trajectory_type, start_cohort, outcome)
    assert [row[:5] for row in rows] == [row[:5] for row in expected]
    for row, want in zip(rows, expected, strict=True):
        assert row[5] == pytest.approx(want[5], abs=1e-9)
    lower, upper = _lifelines_band(expected)
    for row in rows:
        month, ci_lower, ci_upper = row[0], row[6], row[7]
        if month not in lower.index or lower.isna()[month]:
            continue
        assert ci_lower == pytest.approx(lower[month], abs=1e-9)
        assert ci_upper == pytest.approx(upper[month], abs=1e-9)
        assert ci_lower < row[5] < ci_upper


def test_band_by_hand_in_month_one(warehouse):
    """Month 1 of the WABZ curve: F = 0.2, Var = S0^2 e (n - e) / n^3 =
    2 * 8 / 1000 = 0.016 (the other terms vanish at the first event month),
    se = sqrt(0.016) / (0.2 |ln 0.2|), band exp(-exp(ln(-ln 0.2) -/+ z se))."""
    import math

    share, variance, z = 0.2, 0.016, 1.959963984540054
    se = math.sqrt(variance) / (share * abs(math.log(share)))
    centre = math.log(-math.log(share))
    month_one = _curve(warehouse, "WABZ", "2024Q1", "paid_work")[0]
    assert month_one[6] == pytest.approx(math.exp(-math.exp(centre + z * se)), abs=1e-12)
    assert month_one[7] == pytest.approx(math.exp(-math.exp(centre - z * se)), abs=1e-12)


def test_undefined_band(warehouse):
    """No band where the share is 0 (OVERIG month 1) or where everyone at risk
    leaves with an event or competing end (OVERIG month 5: lifelines gives NaN)."""
    rows = {row[0]: row for row in _curve(warehouse, "OVERIG", "2023Q2", "paid_work")}
    assert rows[1][6:] == (None, None)
    assert rows[5][6:] == (None, None)
    assert rows[2][6] is not None


def test_normal_quantile_is_scipys():
    """The macro's copy of z (dbt_project/macros/cohorts.sql) is lifelines' one."""
    from scipy.stats import norm

    from werkmonitor.config import REPO_ROOT

    macro = (REPO_ROOT / "dbt_project" / "macros" / "cohorts.sql").read_text()
    assert f"{norm.ppf(0.975):.15f}" in macro


def test_rows_stop_at_last_month_at_risk(warehouse):
    """Every curve ends in the last month anyone is at risk: its at_risk
    equals what leaves in it (nobody is left for the next month)."""
    rows = query(warehouse, """
        select count(*) from marts.cohort_outcomes o
        where month = (select max(month) from marts.cohort_outcomes p
                       where p.as_of_quarter = o.as_of_quarter and p.level = o.level
                         and p.region_code is not distinct from o.region_code
                         and p.trajectory_type = o.trajectory_type and p.financing = o.financing
                         and p.ips_scheme = o.ips_scheme and p.start_cohort = o.start_cohort
                         and p.outcome = o.outcome)
          and at_risk <> events + ended_without + censored
    """)
    assert rows == [(0,)]
