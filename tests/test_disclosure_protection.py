"""The LP protection method (``protection.lp_protect``): hand-made tables where
one cheapest partner per relation leaves a ``<5`` cell narrowed, the
intervals worked out by hand in each docstring."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from test_disclosure_routes import org_shares
from test_publish_suppression import cell

from werkmonitor.publish.disclosure.audit import audit, view_jobs
from werkmonitor.publish.disclosure.findings import public_requirements
from werkmonitor.publish.disclosure.protect import map_shares, org_views, protect
from werkmonitor.publish.disclosure.protection import PUBLIC, State, full_blocks, lp_protect
from werkmonitor.publish.disclosure.secondary import cost_of, published_labels
from werkmonitor.publish.disclosure.system import build_system
from werkmonitor.publish.policy import load_policy

POLICY = load_policy()
# running by financing: ALL 128 = UWV 3 (<5) + GEMEENTE 5 + OVERIG 120.
FLOOR = [
    cell("running", 128),
    cell("running", 3, financing="UWV"),
    cell("running", 5, financing="GEMEENTE"),
    cell("running", 120, financing="OVERIG"),
]


def test_one_partner_at_its_floor_narrows_and_the_lp_repair_protects():
    """One cheapest partner: GEMEENTE 5 costs 5 x 20 (a count of 5-8) x 1.5^3
    (three ALL dimensions) = 337.5 against OVERIG's 120 x 3.375 = 405, so the
    group rule hides GEMEENTE. A reader knows ``x`` >= 5: UWV + GEMEENTE =
    128 - 120 = 8 gives UWV in [1, 3], not [1, 4] (UWV = 4 needs GEMEENTE = 4).
    The protection LP moves UWV to 4 with the least information lost: OVERIG
    down by 1 (cost 405 per unit; the national total costs 1000 times more),
    so OVERIG is hidden; then UWV + GEMEENTE + OVERIG = 128 with both partners
    >= 5: UWV keeps [1, 4] (UWV 4, GEMEENTE 5, OVERIG 119; UWV 1, GEMEENTE 5,
    OVERIG 122)."""
    exact = protect(pd.DataFrame(FLOOR), POLICY, intervals=False)
    assert exact.reason.tolist() == ["", "small_count", "secondary", ""]
    labels = published_labels(exact.system, exact.reason)
    narrowed = audit(exact.system, exact.reason == "", labels, 5, 10, 0.0).findings
    assert [(f.cell, f.interval) for f in narrowed] == [
        ("2024Q3 national ALL/UWV/ALL/ALL running", pytest.approx((1.0, 3.0)))
    ]
    result = protect(pd.DataFrame(FLOOR), POLICY, intervals=True)
    assert result.reason.tolist() == ["", "small_count", "secondary", "secondary"]
    assert result.result.passed and result.result.rejected_hints == 0
    labels = published_labels(result.system, result.reason)
    again = audit(result.system, result.reason == "", labels, 5, 10, 0.0)
    assert again.passed  # the audit on its own (no handed-over points) agrees


def test_the_witness_is_a_table_the_reader_cannot_exclude():
    """For every protected cell and side, the point the LP hands over keeps
    every relation and every bound the reader sees, and reaches the end."""
    system = build_system(pd.DataFrame(FLOOR))
    reason = np.array(["", "small_count", "secondary", ""], dtype=object)
    labels = published_labels(system, reason)
    state = State(system, reason, labels, np.zeros(4, bool), 5, 10)
    reqs = public_requirements(system, reason == "", labels, 5, 0.0)
    blocks = full_blocks(system)
    hints = lp_protect(state, cost_of(system), view_jobs(system, reqs, [], blocks[0]), blocks)
    assert reason.tolist() == ["", "small_count", "secondary", "secondary"]  # OVERIG hidden
    points = hints.points[PUBLIC][int(blocks[0][1])]
    reached = set()
    for point in points:
        x = np.empty(system.n)
        x[np.flatnonzero(blocks[0] == blocks[0][1])] = point
        assert np.allclose(system.eq @ x, 0.0)  # ALL = UWV + GEMEENTE + OVERIG
        assert x[0] == pytest.approx(128.0)  # the shown total did not move
        assert 1 - 1e-9 <= x[1] <= 4 + 1e-9  # <5
        assert x[2] >= 5 - 1e-9 and x[3] >= 5 - 1e-9  # x on a count
        reached |= {round(x[1], 6)}
    assert {1.0, 4.0} <= reached  # both ends of UWV's [1, 4]


def test_an_organisation_view_is_protected_by_its_own_lp():
    """ORG01 alone delivers AM01 (40) and 2 of AM02's 3 (<5; ORG02 the
    other 1); AM03 5 and AM01 are partners (x); AM04 52 and national 100
    are shown. The policy asks ORG02's count in AM02 to keep a width of 2
    in ORG01's view here (``organisation_view_min_width`` 2; the default 1
    is met). The public reads AM01 + AM02 + AM03 = 48 with AM01, AM03 >= 5:
    AM02 in [1, 4] (passes). ORG01 knows AM01 = 40: AM02 + AM03 = 8, AM03
    >= 5, so AM02 <= 3, and AM02 >= 2 (its own): [2, 3], width 1, found by
    the LP only (nothing comes out exactly). Its LP fixes AM01 (ORG01's own
    figure) and moves AM02 to 4 through AM04 (52 -> 51), which is hidden;
    AM02 = 2 needs AM03 = 6 only (the 4 is the label's end: a target of
    3 + 2 = 5 would be a point no reader allows)."""
    rows = [
        cell("running", 100),
        cell("running", 40, level="region", region="AM01"),
        cell("running", 3, level="region", region="AM02"),
        cell("running", 5, level="region", region="AM03"),
        cell("running", 52, level="region", region="AM04"),
    ]
    shares = org_shares(
        (
            ("ORG01", "AM01", 40.0),
            ("ORG01", "AM02", 2.0),
            ("ORG02", "AM02", 1.0),
            ("ORG03", "AM03", 5.0),
            ("ORG02", "AM04", 30.0),
            ("ORG03", "AM04", 22.0),
        )
    )
    system = build_system(pd.DataFrame(rows))
    reason = np.array(["", "secondary", "small_count", "secondary", ""], dtype=object)
    labels = published_labels(system, reason)
    views = org_views(system, map_shares(system, shares), reason == "", 5, 2.0)
    found = audit(system, reason == "", labels, 5, 10, 0.0, views=views).findings
    assert [(f.view, f.cell, f.interval) for f in found] == [
        ("ORG01", "2024Q3 AM02 ALL/ALL/ALL/ALL running", pytest.approx((2.0, 3.0)))
    ]
    assert "width of 2" in found[0].message()
    assert audit(system, reason == "", labels, 5, 10, 0.0, views=views, exact_only=True).passed
    state = State(system, reason, labels, np.zeros(5, bool), 5, 10)
    reqs = public_requirements(system, reason == "", labels, 5, 0.0)
    blocks = full_blocks(system)
    jobs = view_jobs(system, reqs, views, blocks[0])
    hints = lp_protect(state, cost_of(system), jobs, blocks)
    assert reason.tolist() == ["", "secondary", "small_count", "secondary", "secondary"]
    assert not hints.failed
    labels = published_labels(system, reason)
    views = org_views(system, map_shares(system, shares), reason == "", 5, 2.0)
    result = audit(system, reason == "", labels, 5, 10, 0.0, views=views, hints=hints)
    assert result.passed and result.rejected_hints == 0
    assert audit(system, reason == "", labels, 5, 10, 0.0, views=views).passed


def test_a_stalled_route_is_closed_by_the_lp_protection_method():
    """The exact rounds' fallback (``protect._protect_stuck``), as it met a
    scale-10 quarter: an organisation that delivers a region alone pins two
    small cells of another region through a chain no partner of the cells'
    own relations reaches, so the partner rounds repeated the same finding.

    Running by financing (ALL = UWV + GEMEENTE + OVERIG), regions add up to
    national: AM01 30 = 30 + 0 + 0 (ORG01 alone), AM02 22 = 20 + 1 + 1,
    AM03 200 = 150 + 25 + 25, national 252 = 200 + 26 + 26. Shown: national
    ALL and UWV, AM03 ALL and UWV, the zeros. ORG01 knows AM01: AM02 ALL =
    252 - 30 - 200 = 22, AM02 UWV = 200 - 30 - 150 = 20, so GEMEENTE +
    OVERIG = 2 with both >= 1: each is 1. To move AM02 GEMEENTE to 4 the LP
    takes 3 from AM02 UWV (hidden) and, national UWV being shown and AM01
    ORG01's own, adds 3 to AM03 UWV (cost 150 x 1.5^2 = 337.5 a unit, against
    AM03 ALL's 200 x 1.5^3 = 675 on the ALL route): AM03 UWV is hidden, and
    then neither the exact audit nor the LP audit narrows anything."""
    from werkmonitor.publish.disclosure.protect import _Context, _protect_stuck

    financing = ("ALL", "UWV", "GEMEENTE", "OVERIG")
    regions = {"AM01": (30, 30, 0, 0), "AM02": (22, 20, 1, 1), "AM03": (200, 150, 25, 25)}
    national = [sum(v[i] for v in regions.values()) for i in range(4)]
    rows = [cell("running", n, financing=f) for f, n in zip(financing, national, strict=True)]
    for region, values in regions.items():
        rows += [
            cell("running", n, level="region", region=region, financing=f)
            for f, n in zip(financing, values, strict=True)
        ]
    owners = {
        "AM01": [("ORG01", 1.0)],
        "AM02": [("ORG02", 1.0)],
        "AM03": [("ORG03", 0.6), ("ORG04", 0.4)],
    }
    shares = pd.DataFrame(
        [
            {"quarter": "2024Q3", "organisation_code": org, "region_code": region,
             "trajectory_type": "ALL", "financing": f, "ips_scheme": "ALL", "ips_phase": "ALL",
             "indicator": "running", "numerator": n * w}
            for region, values in regions.items()
            for f, n in zip(financing, values, strict=True)
            if n
            for org, w in owners[region]
        ]
    )  # fmt: skip
    s, p = "secondary", "small_count"
    reason = np.array(["", "", s, s] + [s, s, "", ""] + [s, s, p, p] + ["", "", s, s], dtype=object)
    system = build_system(pd.DataFrame(rows))
    ctx = _Context(system, POLICY, map_shares(system, shares), np.zeros(16, bool), cost_of(system))
    found = ctx.audit(reason, intervals=False).findings
    assert [(f.view, f.cell, f.interval) for f in found] == [
        ("ORG01", "2024Q3 AM02 ALL/GEMEENTE/ALL/ALL running", pytest.approx((1.0, 1.0))),
        ("ORG01", "2024Q3 AM02 ALL/OVERIG/ALL/ALL running", pytest.approx((1.0, 1.0))),
    ]
    before = reason.copy()
    assert _protect_stuck(ctx, reason, found)
    assert np.flatnonzero(before != reason).tolist() == [13]  # AM03 UWV
    assert ctx.audit(reason, intervals=False).passed
    assert ctx.audit(reason, intervals=True).passed
