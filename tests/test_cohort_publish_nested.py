"""Cohort curves that nest (ALL vs a trajectory type, national vs a region,
a year vs its quarters): subtracting published curves must not describe a
group of fewer than min_at_risk trajectories at risk.

``reader_leaks`` is an independent oracle, written without the module's
code: plain dictionaries, the nestings spelled out by hand, the reader's
sums followed to a fixed point.
"""

from __future__ import annotations

import duckdb
import pytest
from cohort_mart_fixture import cohort_mart_connection

from werkmonitor.publish.cohorts import public_cohort_outcomes

MIN = 20


def mart(curves: dict[tuple, list[int]]) -> duckdb.DuckDBPyConnection:
    """``curves``: (level, region, type, start cohort) -> at_risk by month 1, 2, ..."""
    con = cohort_mart_connection({"AM18": "Groot Amsterdam", "AM13": "X"})
    for (level, region, ttype, start), at_risk in curves.items():
        for month, n in enumerate(at_risk, start=1):
            con.execute(
                "insert into marts.cohort_outcomes values ('2024Q3', ?, ?, ?, 'ALL', 'ALL', ?,"
                " 'paid_work', ?, ?, 0, 1, 0, 0.1, 0.05, 0.2)",
                [level, region, ttype, start, month, n],
            )
    return con


def published(curves) -> dict[tuple, set[int]]:
    frame = public_cohort_outcomes(mart(curves), MIN, 5)
    out: dict[tuple, set[int]] = {}
    for row in frame.itertuples():
        region = row.region_code if isinstance(row.region_code, str) else None
        key = (row.level, region, row.trajectory_type, row.start_cohort)
        out.setdefault(key, set()).add(row.month)
    return out


def nestings(curves) -> list[tuple[tuple, list[tuple]]]:
    """(total, parts) of the hand-made tables: type, start cohort, region."""
    out = []
    for total in curves:
        level, region, ttype, start = total
        parts = []
        if ttype == "ALL":
            parts.append(
                [k for k in curves if k[:2] == total[:2] and k[3] == start and k[2] != "ALL"]
            )
        parts.append(
            [
                k
                for k in curves
                if k[:3] == total[:3]
                and k[3] != start
                and (k[3][:4] == start if len(start) == 4 else start == "ALL" and len(k[3]) == 4)
            ]
        )
        if level == "national":
            parts.append([k for k in curves if k[0] == "region" and k[2:] == total[2:]])
        out += [(total, p) for p in parts if p]
    return out


def reader_leaks(curves, shown) -> list[str]:
    """Months where the reader knows a curve of 1..MIN-1 at risk (added up
    from shown ones), or a total whose unknown rest is 1..MIN-1."""
    months = max(len(v) for v in curves.values())
    n = {k: v + [0] * (months - len(v)) for k, v in curves.items()}
    found = []
    for m in range(months):
        known = {k for k in curves if m + 1 in shown.get(k, set()) or n[k][m] == 0}
        grew = True
        while grew:  # sums: a total from all its parts, a part from a total and the rest
            grew = False
            for total, parts in nestings(curves):
                if n[total][m] != sum(n[p][m] for p in parts):
                    continue  # the parts do not add up to the total
                missing = [x for x in [total, *parts] if x not in known]
                if len(missing) == 1:
                    known.add(missing[0])
                    grew = True
        found += [
            f"month {m + 1}: {k} = {n[k][m]} added up"
            for k in known
            if 0 < n[k][m] < MIN and m + 1 not in shown.get(k, set())
        ]
        for total, parts in nestings(curves):
            if total in known:
                rest = n[total][m] - sum(n[p][m] for p in parts if p in known)
                if 0 < rest < MIN:
                    found.append(f"month {m + 1}: {total} minus known parts = {rest}")
    return found


def test_region_all_minus_ips_of_three_people():
    # AM18: 40 at risk in all trajectories, 37 of them IPS: the other 3 would
    # be ALL - IPS, although each curve alone has at least 20 at risk.
    curves = {
        ("region", "AM18", "ALL", "ALL"): [40, 30, 25],
        ("region", "AM18", "IPS", "ALL"): [37, 27, 22],
    }
    old = {k: {m for m, x in enumerate(v, 1) if x >= MIN} for k, v in curves.items()}
    assert reader_leaks(curves, old)  # the per-curve threshold alone leaks
    shown = published(curves)
    assert reader_leaks(curves, shown) == []
    # the cheaper side (IPS: the same number of rows, the part) is withheld
    assert shown == {("region", "AM18", "ALL", "ALL"): {1, 2, 3}}


def test_a_large_enough_complement_keeps_both_curves():
    curves = {
        ("region", "AM18", "ALL", "ALL"): [70, 50, 30],
        ("region", "AM18", "IPS", "ALL"): [45, 30, 21],
    }
    # complements 25, 20, 9: both curves until month 2, then the cheaper one stops
    shown = published(curves)
    assert reader_leaks(curves, shown) == []
    assert shown[("region", "AM18", "ALL", "ALL")] == {1, 2, 3}
    assert shown[("region", "AM18", "IPS", "ALL")] == {1, 2}


def test_national_minus_the_regions_shown():
    # national IPS 40 = AM18 25 + AM13 15: AM13 is below 20, but 40 - 25 = 15
    # would give its curve (and AM13 is the only other region).
    curves = {
        ("national", None, "IPS", "ALL"): [40, 30],
        ("region", "AM18", "IPS", "ALL"): [25, 22],
        ("region", "AM13", "IPS", "ALL"): [15, 8],
    }
    shown = published(curves)
    assert reader_leaks(curves, shown) == []
    assert shown == {("national", None, "IPS", "ALL"): {1, 2}}


def test_a_withheld_curve_does_not_come_back_as_the_sum_of_its_years():
    # AM18 IPS (start ALL) is withheld against ALL (63 - 60 = 3), but its two
    # start years are shown and add up to it: one of them must go too.
    curves = {
        ("region", "AM18", "ALL", "ALL"): [63],
        ("region", "AM18", "ALL", "2023"): [31],
        ("region", "AM18", "ALL", "2024"): [32],
        ("region", "AM18", "IPS", "ALL"): [60],
        ("region", "AM18", "IPS", "2023"): [30],
        ("region", "AM18", "IPS", "2024"): [30],
    }
    old = {k: {1} for k in curves}
    assert reader_leaks(curves, old)
    shown = published(curves)
    assert reader_leaks(curves, shown) == []
    assert len(shown) >= 3  # not everything withheld


@pytest.mark.parametrize("start", ["ALL", "2024"])
def test_quarters_in_their_year(start):
    # 2024 = 2024Q1 + 2024Q2 + the rest; the rest (5) is the unknown part
    curves = {
        ("national", None, "IPS", "2024"): [70],
        ("national", None, "IPS", "2024Q1"): [40],
        ("national", None, "IPS", "2024Q2"): [25],
        ("national", None, "IPS", "2024Q3"): [5],
    }
    if start == "ALL":
        curves[("national", None, "IPS", "ALL")] = [70]
    shown = published(curves)
    assert reader_leaks(curves, shown) == []
    assert ("national", None, "IPS", "2024Q1") in shown
