"""marts.cohort_outcomes against lifelines on a generated landing zone.

Why an oracle in pandas: the check must not reuse the mart's own month
numbers or histories. Here the histories are rebuilt from the raw tables as
the contract words them (indicators.md, "Outcomes by time since start"), the
months since start come from the dates with dateutil, and the estimate and
its band come from lifelines' ``AalenJohansenFitter``.

lifelines cannot take tied times of different kinds (it jitters them at
random). Two comparisons, both to 1e-9:

* ``tied``: its tie check switched off, so it runs its own formulas on the
  monthly event table (what the mart computes): share and band.
* ``jittered``: lifelines as it ships. The share of the event of interest does
  not depend on the order of the tied removals within a month, so it still
  agrees; censored durations get + 0.5 so that, as in the mart, a censored
  trajectory is still at risk in its month.
"""

from __future__ import annotations

import warnings

import duckdb
import numpy as np
import pandas as pd
import pytest
from cohort_oracle import oracle_histories, oracle_removals
from dbt_once import seed_and_run

pytestmark = pytest.mark.slow

FIRST, LAST = "2023Q1", "2024Q2"


@pytest.fixture(scope="module")
def generated_warehouse(tmp_path_factory):
    """A small generated landing zone, loaded and built on a scratch warehouse."""
    from werkmonitor.generate import generate_landing_zone
    from werkmonitor.loader import load_quarter
    from werkmonitor.quarters import Quarter

    base = tmp_path_factory.mktemp("cohort-generated")
    raw, warehouse = base / "raw", base / "werkmonitor.duckdb"
    generate_landing_zone(raw, scale=0.3, seed=11, first=FIRST, last=LAST)
    quarter = Quarter.parse(FIRST)
    while True:
        load_quarter(str(quarter), raw, warehouse)
        if str(quarter) == LAST:
            break
        quarter = quarter.next()
    seed_and_run(warehouse, base / "target", "+cohort_outcomes", "dim_regions")
    return warehouse


def _fit(durations, kinds, tied: bool):
    from lifelines import AalenJohansenFitter

    # the band only where it is compared (tied): lifelines' variance is most of a fit's
    # time, and the jittered share does not depend on it (the jitter is drawn before)
    fitter = AalenJohansenFitter(seed=3, calculate_variance=tied)
    if tied:
        fitter._check_for_duplicates = lambda durations, events: False
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fitter.fit(durations, kinds, event_of_interest=1)
    share = fitter.cumulative_density_.iloc[:, 0]
    if not tied:
        return share, None, None
    band = fitter.confidence_interval_
    # lifelines' "upper" column holds exp(-exp(T + z se)), the lower end
    return share, band.min(axis=1), band.max(axis=1)


def _compare(group: pd.DataFrame, mart: pd.DataFrame, tied: bool) -> float:
    """Max abs difference over months 1-36 (the mart's step function)."""
    durations = group["month"].astype(float).to_numpy()
    kinds = group["kind"].to_numpy()
    if not tied:
        durations = np.where(kinds == 0, durations + 0.5, durations)
    share, lower, upper = _fit(durations, kinds, tied)
    by_month = mart.set_index("month")
    worst = 0.0
    for month in by_month.index:
        # lifelines' estimate just after the month's removals
        at = share.index[share.index <= month + 0.25].max()
        worst = max(worst, abs(share[at] - by_month.at[month, "cumulative_share"]))
        if tied:
            for ours, theirs in (("ci_lower", lower[at]), ("ci_upper", upper[at])):
                value = by_month.at[month, ours]
                if np.isnan(theirs):
                    assert pd.isna(value), (month, ours)
                else:
                    worst = max(worst, abs(theirs - value))
    return worst


@pytest.fixture(scope="module")
def groups(generated_warehouse):
    """Mart curves and oracle removals per curve key: the same for both fits, so read once."""
    con = duckdb.connect(str(generated_warehouse), read_only=True)
    try:
        mart = con.execute("select * from marts.cohort_outcomes").df()
        as_of_quarters = ("2023Q3", LAST)
        histories = oracle_histories(con, as_of_quarters)
    finally:
        con.close()
    removals = oracle_removals(histories)
    keys = [
        "as_of_quarter", "level", "region_code", "trajectory_type", "financing",
        "ips_scheme", "start_cohort", "outcome",
    ]
    mart = mart[mart["as_of_quarter"].isin(as_of_quarters)].sort_values("month")
    mart["region_code"] = mart["region_code"].fillna("-")
    removals["region_code"] = removals["region_code"].fillna("-")
    mart_groups = {key: rows for key, rows in mart.groupby(keys, dropna=False)}
    oracle_groups = {key: rows for key, rows in removals.groupby(keys, dropna=False)}
    return mart_groups, oracle_groups


@pytest.mark.parametrize("tied", [True, False], ids=["tied", "jittered"])
def test_mart_agrees_with_lifelines(groups, tied):
    mart_groups, oracle_groups = groups
    assert set(mart_groups) == set(oracle_groups)
    worst, compared = 0.0, 0
    for number, (key, group) in enumerate(sorted(oracle_groups.items())):
        rows = mart_groups[key]
        last_month = min(int(group["month"].max()), 36)
        assert rows["month"].tolist() == list(range(1, last_month + 1)), key
        assert rows["at_risk"].iloc[0] == len(group), key
        # every curve of start cohort ALL, a fixed tenth of the others (time)
        if key[6] != "ALL" and number % 10:
            continue
        worst = max(worst, _compare(group, rows, tied))
        compared += 1
    mode = "tied" if tied else "jittered"
    print(f"lifelines ({mode}): {compared} curves, max abs diff {worst:.2e}")
    assert compared > 200
    assert worst < 1e-9


def test_public_tier_on_generated_warehouse(generated_warehouse):
    """No public row with fewer than 20 at risk, at_risk a multiple of 5, no
    internal column, and no more rows than the mart has with enough at risk."""
    from werkmonitor.publish.cohorts import PUBLIC_COLUMNS, public_cohort_outcomes

    con = duckdb.connect(str(generated_warehouse), read_only=True)
    try:
        public = public_cohort_outcomes(con)
        eligible = con.execute(
            "select count(*), min(at_risk) from marts.cohort_outcomes where at_risk >= 20"
        ).fetchone()
        raw_minimum = con.execute("select min(at_risk) from marts.cohort_outcomes").fetchone()[0]
    finally:
        con.close()
    assert tuple(public.columns) == PUBLIC_COLUMNS
    assert not {"events", "ended_without", "censored"} & set(public.columns)
    assert raw_minimum < 20 <= public["at_risk"].min()
    assert (public["at_risk"] % 5 == 0).all()
    # months whose nested differences would describe fewer than 20 are withheld
    # as well (test_cohort_publish_nested.py): at most the rows with 20 at risk
    assert 1000 < len(public) <= eligible[0]
    assert public["region_name"].notna().eq(public["level"] == "region").all()
    # what the nesting rule buys, checked here in plain pandas against the
    # mart's true counts: a shown total and a shown part of it (a trajectory
    # type inside ALL, same breakdown and month) never differ by 1-19 at risk
    keys = ["as_of_quarter", "level", "region_code", "financing", "ips_scheme",
            "start_cohort", "outcome", "month"]
    shown = public[keys + ["trajectory_type"]].merge(
        mart_at_risk(generated_warehouse), on=keys + ["trajectory_type"], how="left"
    )
    shown["region_code"] = shown["region_code"].fillna("-")
    totals = shown[shown["trajectory_type"] == "ALL"]
    parts = shown[shown["trajectory_type"] != "ALL"]
    pairs = parts.merge(totals, on=keys,
                        suffixes=("", "_total"))
    rest = pairs["at_risk_true_total"] - pairs["at_risk_true"]
    assert len(pairs) > 100
    assert not rest.between(1, 19).any()


def mart_at_risk(warehouse):
    """True at-risk counts per curve row of the mart (the reader never sees them)."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(
            "select as_of_quarter, level, region_code, trajectory_type, financing, "
            "ips_scheme, start_cohort, outcome, month, at_risk as at_risk_true "
            "from marts.cohort_outcomes"
        ).df()
    finally:
        con.close()
