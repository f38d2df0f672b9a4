"""The public tier of the cohort mart: shares and rounded numbers at risk only.

On a hand-written ``marts.cohort_outcomes`` (the dbt side is tested in
test_cohort_estimator.py / test_cohort_lifelines.py, which also runs this
function on a generated warehouse).
"""

from __future__ import annotations

import math

import duckdb
import pytest
from cohort_mart_fixture import cohort_mart_connection

from werkmonitor.publish.cohorts import PUBLIC_COLUMNS, public_cohort_outcomes

INTERNAL = {"events", "ended_without", "censored"}


@pytest.fixture()
def con():
    con = cohort_mart_connection({"AM18": "Groot Amsterdam"})
    rows = [
        # national curve: 42, 23, 22, 20 at risk, then 19: cut off there
        ("national", None, 1, 42, 0.3125, 0.2, 0.45),
        ("national", None, 2, 23, 0.40001, 0.3, 0.5),
        ("national", None, 3, 22, 0.1235, None, None),
        ("national", None, 4, 20, 0.5, 0.4, 0.6),
        ("national", None, 5, 19, 0.5, 0.4, 0.6),
        ("region", "AM18", 1, 27, 0.25, 0.1, 0.4),
        ("region", "AM18", 2, 12, 0.3, 0.1, 0.5),
    ]
    # the region curve is of start cohort 2024, the national one of ALL: they
    # do not nest (national 42 - AM18 27 would be a curve of 15, which the
    # nesting rule withholds: test_cohort_publish_nested.py)
    con.executemany(
        "insert into marts.cohort_outcomes values ('2024Q3', ?, ?, 'IPS', 'ALL', 'ALL',"
        " case when ? = 'region' then '2024' else 'ALL' end, 'paid_work', ?, ?, 1, 1, 1, ?, ?, ?)",
        [(level, region, level, *rest) for level, region, *rest in rows],
    )
    yield con
    con.close()


def test_public_rows(con):
    frame = public_cohort_outcomes(con)
    assert tuple(frame.columns) == PUBLIC_COLUMNS
    assert not INTERNAL & set(frame.columns)
    got = [
        (row.level, row.region_name, row.month, row.at_risk, row.cumulative_share)
        for row in frame.itertuples()
    ]
    assert got[:4] == [
        ("national", None, 1, 40, 0.313),  # 42 -> 40; 31,25% -> 31,3% (half up)
        ("national", None, 2, 25, 0.4),  # 23 -> 25
        ("national", None, 3, 20, 0.124),  # 22 -> 20; 0.1235 half up
        ("national", None, 4, 20, 0.5),
    ]
    assert got[4] == ("region", "Groot Amsterdam", 1, 25, 0.25)
    assert len(got) == 5  # months with 19 and 12 at risk stay internal
    assert math.isnan(frame.loc[2, "ci_lower"]) and math.isnan(frame.loc[2, "ci_upper"])
    assert frame.loc[0, "ci_lower"] == 0.2 and frame.loc[0, "ci_upper"] == 0.45


def test_thresholds_come_from_the_caller(con):
    frame = public_cohort_outcomes(con, min_at_risk=25, at_risk_multiple=10)
    assert frame["at_risk"].tolist() == [40, 30]  # 42 and 27 at risk
    assert (frame["at_risk"] % 10 == 0).all()
    with pytest.raises(ValueError):
        public_cohort_outcomes(con, min_at_risk=0)


def test_only_the_chosen_as_of_quarters(con):
    con.execute(
        "insert into marts.cohort_outcomes select * replace ('2024Q2' as as_of_quarter)"
        " from marts.cohort_outcomes"
    )
    assert set(public_cohort_outcomes(con)["as_of_quarter"]) == {"2024Q2", "2024Q3"}
    chosen = public_cohort_outcomes(con, quarters=["2024Q3"])
    assert set(chosen["as_of_quarter"]) == {"2024Q3"} and len(chosen) == 5
    assert public_cohort_outcomes(con, quarters=[]).empty


def test_warehouse_without_the_mart_gives_an_empty_table():
    con = duckdb.connect()
    frame = public_cohort_outcomes(con)
    assert frame.empty and tuple(frame.columns) == PUBLIC_COLUMNS
