"""Attack routes on small hand-made tables: the old rules leak, the audit
names the cell and the relation, the new suppression closes it."""

from __future__ import annotations

import numpy as np
import pandas as pd
from disclosure_legacy import suppress_indicators
from test_publish_suppression import cell

from werkmonitor.publish.disclosure.audit import audit
from werkmonitor.publish.disclosure.protect import protect
from werkmonitor.publish.disclosure.public import link_quarters
from werkmonitor.publish.disclosure.secondary import published_labels
from werkmonitor.publish.disclosure.system import build_system
from werkmonitor.publish.policy import load_policy

POLICY = load_policy()


def org_shares(entries, quarter="2024Q3"):
    """Organisation shares of region ``running`` cells: (organisation, region, count)."""
    return pd.DataFrame(
        [
            {
                "quarter": quarter,
                "organisation_code": o,
                "region_code": r,
                "trajectory_type": "ALL",
                "financing": "ALL",
                "ips_scheme": "ALL",
                "ips_phase": "ALL",
                "indicator": "running",
                "numerator": n,
            }
            for o, r, n in entries
        ]
    )


def old_policy(rows):
    """The previous rules: which rows they hide, and their reasons."""
    out, _ = suppress_indicators(pd.DataFrame(rows), POLICY)
    return ~out["is_suppressed"].to_numpy(bool), out["suppression_reason"].fillna("").to_numpy(
        object
    )


def attack(rows, shown, reason, intervals=False, views=None):
    frame = pd.DataFrame(rows)
    system = build_system(frame)
    return audit(system, shown, reason, 5, 10, 0.0, views=views, exact_only=not intervals)


def closed(rows, shares=None, intervals=True):
    """The new suppression passes its own audit and a second, independent run of it."""
    frame = pd.DataFrame(rows)
    result = protect(frame, POLICY, shares, intervals=intervals)
    assert result.result.passed, [f.message() for f in result.result.findings]
    labels = published_labels(result.system, result.reason)
    again = audit(result.system, result.reason == "", labels, 5, 10, 0.0, exact_only=False)
    assert again.passed, [f.message() for f in again.findings]
    return result


def test_one_unknown_member_of_an_additive_group():
    rows = [
        cell("running", 60),
        cell("running", 3, financing="UWV"),
        cell("running", 20, financing="GEMEENTE"),
        cell("running", 37, financing="OVERIG"),
    ]
    shown = np.array([True, False, True, True])  # what a rule without partners publishes
    reason = np.array(["", "small_count", "", ""], dtype=object)
    found = attack(rows, shown, reason).findings
    assert [f.cell for f in found] == ["2024Q3 national ALL/UWV/ALL/ALL running"]
    assert found[0].interval == (3.0, 3.0) and "financing adds up" in found[0].route[0]
    result = closed(rows)
    assert result.reason[2] == "secondary"  # GEMEENTE 20: the cheapest partner


def test_hidden_members_that_must_all_be_1():
    # UWV 1 and GEMEENTE 1 both "<5", OVERIG 10 and ALL 12 shown: 12 - 10 = 2 = 1 + 1.
    rows = [
        cell("running", 12),
        cell("running", 1, financing="UWV"),
        cell("running", 1, financing="GEMEENTE"),
        cell("running", 10, financing="OVERIG"),
    ]
    shown, reason = old_policy(rows)
    assert shown.tolist() == [True, False, False, True]  # the old rules leak
    found = attack(rows, shown, reason, intervals=True).findings
    assert {f.cell for f in found} == {
        "2024Q3 national ALL/UWV/ALL/ALL running",
        "2024Q3 national ALL/GEMEENTE/ALL/ALL running",
    }
    assert found[0].interval == (1.0, 1.0)
    result = closed(rows)
    assert result.reason[3] == "secondary"


def test_identity_between_indicators_per_type():
    # OVERIG: intended result = ended - never worked = 20 - 17 = 3, a hidden count.
    rows = [
        cell("running", 200, ttype="OVERIG"),
        cell("ended", 20, ttype="OVERIG"),
        cell("ended_never_worked", 17, 20, ttype="OVERIG"),
        cell("ended_intended_result", 3, 20, ttype="OVERIG"),
    ]
    shown, reason = old_policy(rows)
    assert shown.tolist() == [True, True, True, False]
    found = attack(rows, shown, reason).findings
    assert len(found) == 1 and found[0].cell.endswith("OVERIG/ALL/ALL/ALL ended_intended_result")
    assert "overig_intended_is_ever_worked" in found[0].route[0]
    result = closed(rows)
    assert result.reason[2] == "secondary"  # ended_never_worked goes with it


def test_organisation_subtracts_itself_in_a_two_provider_region():
    # AM22: ORG02 has 50 of the region's 54 running; ORG18 has 4.
    rows = [
        cell("running", 154),
        cell("running", 54, level="region", region="AM22"),
        cell("running", 100, level="region", region="AM23"),
    ]
    shares = org_shares(
        (
            ("ORG02", "AM22", 50.0),
            ("ORG18", "AM22", 4.0),
            ("ORG05", "AM23", 60.0),
            ("ORG06", "AM23", 40.0),
        )
    )
    shown, reason = old_policy(rows)
    assert shown.all()  # nothing small in the public table itself
    result = closed(shares=shares, rows=rows, intervals=False)
    system = result.system
    assert result.reason[1] == "organisation_view"
    assert result.reason[2] == "secondary"  # AM23 partners it against national
    from werkmonitor.publish.disclosure.protect import map_shares, org_views

    views = org_views(system, map_shares(system, shares), shown, 5)
    found = audit(system, shown, reason, 5, 10, views=views, exact_only=True).findings
    assert any(f.view == "ORG02" and "AM22" in f.cell and f.interval == (4.0, 4.0) for f in found)


def test_sole_provider_knows_its_region():
    # ORG01 alone delivers AM01 (40, hidden as partner); AM02 (3) is "<5":
    # national 100 - AM03 57 = 43 = AM01 + AM02, and ORG01 knows AM01 = 40.
    rows = [
        cell("running", 100),
        cell("running", 40, level="region", region="AM01"),
        cell("running", 3, level="region", region="AM02"),
        cell("running", 57, level="region", region="AM03"),
    ]
    shares = org_shares(
        (
            ("ORG01", "AM01", 40.0),
            ("ORG02", "AM02", 3.0),
            ("ORG02", "AM03", 30.0),
            ("ORG03", "AM03", 27.0),
        )
    )
    shown, reason = old_policy(rows)
    assert shown.tolist() == [True, False, False, True]  # old: AM01 is AM02's partner
    system = build_system(pd.DataFrame(rows))
    from werkmonitor.publish.disclosure.protect import map_shares, org_views

    views = org_views(system, map_shares(system, shares), shown, 5)
    found = audit(system, shown, reason, 5, 10, views=views, exact_only=True).findings
    assert [(f.view, f.cell, f.interval) for f in found] == [
        ("ORG01", "2024Q3 AM02 ALL/ALL/ALL/ALL running", (3.0, 3.0))
    ]
    result = closed(rows, shares=shares, intervals=False)
    assert result.reason[3] == "secondary"  # AM03 (57) goes too


def test_previous_quarter_columns_only_from_shown_cells():
    rows = pd.DataFrame(
        [
            cell("running", 50, quarter="2024Q2"),
            cell("started", 9, quarter="2024Q2"),
            cell("running", 60, quarter="2024Q3"),
            cell("started", 12, quarter="2024Q3"),
        ]
    )
    rows["is_suppressed"] = [False, True, False, False]  # Q2 started hidden in Q2's file
    rows.loc[1, ["numerator", "value"]] = np.nan
    out = link_quarters(rows)
    q3 = out[out["quarter"] == "2024Q3"].set_index("indicator")
    assert (
        q3.loc["running", "previous_numerator"] == 50 and q3.loc["running", "change_absolute"] == 10
    )
    assert np.isnan(q3.loc["started", "previous_numerator"])  # never repeats a hidden cell
    assert np.isnan(q3.loc["started", "change_absolute"])


def test_must_be_1_found_without_lp():
    rows = [
        cell("running", 12),
        cell("running", 1, financing="UWV"),
        cell("running", 1, financing="GEMEENTE"),
        cell("running", 10, financing="OVERIG"),
    ]
    shown, reason = old_policy(rows)
    found = attack(rows, shown, reason).findings  # exact audit, no LP
    assert sorted(f.interval for f in found) == [(1.0, 1.0), (1.0, 1.0)]
    assert all("financing adds up" in f.route[0] for f in found)


def test_a_rest_pooled_over_two_other_organisations_is_not_protected():
    # AM22: ORG02 has 50 of 54, ORG18 and ORG19 have 2 each. ORG02's rest (4)
    # is the count of two organisations together: it identifies neither one's
    # clients (our reading, docs/publishing.md "Organisation views"). ORG18's
    # rest is 52. Nothing is hidden; with two providers (50 + 4) the cell is.
    rows = [
        cell("running", 154),
        cell("running", 54, level="region", region="AM22"),
        cell("running", 100, level="region", region="AM23"),
    ]

    am23 = [("ORG05", "AM23", 60.0), ("ORG06", "AM23", 40.0)]
    pooled = org_shares(
        [("ORG02", "AM22", 50.0), ("ORG18", "AM22", 2.0), ("ORG19", "AM22", 2.0)] + am23
    )
    assert closed(rows, shares=pooled, intervals=False).reason.tolist() == ["", "", ""]
    pair = org_shares([("ORG02", "AM22", 50.0), ("ORG18", "AM22", 4.0)] + am23)
    assert closed(rows, shares=pair, intervals=False).reason[1] == "organisation_view"
