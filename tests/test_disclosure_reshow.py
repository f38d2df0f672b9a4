"""Target cells (issue 10 §4) as the last partners, the re-show pass, and
why a target left ``x`` is one (``targets.explain``). Hand-made IPS
``running`` tables under the default policy, exact audit.

Table ``SPLIT`` (national = AM01 + AM02, each = UWV + GEMEENTE):

    national 60 = 23 + 37     AM01 8 = 3 + 5     AM02 52 = 20 + 32

AM02 runs >= 10 IPS trajectories, so its running and its financing split are
target cells, and so is national IPS running (a headline figure); AM01 (8)
is not a target region. AM01 UWV 3 is ``<5``; AM01's financing takes the
cheaper partner AM01 GEMEENTE 5 (5 x 1.5^2 x 20 (a 5-8 count) = 225 against
AM01 ALL 8 x 1.5^3 x 20 = 540). Then "regions add up" has one hidden cell
twice: national UWV 23 = 3 + AM02 UWV 20 and national GEMEENTE 37 = 5 +
AM02 GEMEENTE 32. A target costs more than every other cell of its level
(region: 540 + 1 + its own cost, AM02 UWV 541 + 20 x 1.5^2 = 586), but a
national cell keeps its weight (national UWV 23 x 1000 x 1.5^2 = 51,750), so
the partner choice alone takes AM02 UWV and GEMEENTE, as round 6 did (x 1000:
45,000 < 51,750). The re-show pass then shows both and hides the national
UWV and GEMEENTE instead: two cells for two targets, and the audit passes.
"""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd
from test_publish_suppression import cell

from werkmonitor.publish.disclosure import protect as protection
from werkmonitor.publish.disclosure.reshow import reshow
from werkmonitor.publish.disclosure.secondary import close_groups, cost_of
from werkmonitor.publish.disclosure.system import KEY, build_system
from werkmonitor.publish.disclosure.targets import explain, headline_targets, target_cells
from werkmonitor.publish.policy import load_policy

POLICY = load_policy()


def ips(n, financing="ALL", region=None, ttype="IPS"):
    level = "region" if region else "national"
    return cell("running", n, ttype=ttype, financing=financing, level=level, region=region)


SPLIT = [
    ips(60), ips(23, "UWV"), ips(37, "GEMEENTE"),
    ips(8, region="AM01"), ips(3, "UWV", "AM01"), ips(5, "GEMEENTE", "AM01"),
    ips(52, region="AM02"), ips(20, "UWV", "AM02"), ips(32, "GEMEENTE", "AM02"),
]  # fmt: skip
NAT_UWV, NAT_GEM, AM01_UWV, AM01_GEM, AM02_UWV, AM02_GEM = 1, 2, 4, 5, 7, 8
ROUND_6 = np.array(["", "", "", "", "small_count", "secondary", "", "secondary", "secondary"])


def _check(system, frame, known=None):
    """The audit ``protect`` runs as its final gate (exact: the default policy)."""
    keep = protection.known_mask(frame, known)
    ctx = protection._Context(system, POLICY, None, keep, cost_of(system, POLICY.min_count))
    return keep, functools.partial(ctx.audit, intervals=False)


def test_a_target_is_the_last_partner_of_its_level():
    system = build_system(pd.DataFrame(SPLIT), published=POLICY.is_published)
    target = target_cells(system)
    assert np.flatnonzero(target).tolist() == [0, 6, AM02_UWV, AM02_GEM]
    cost = cost_of(system)
    region = system.keys["level"].to_numpy() == "region"
    assert cost[AM01_GEM] == 225 and cost[3] == 540  # AM01 ALL: the dearest region non-target
    assert cost[AM02_UWV] == 541 + 20 * 1.5**2
    assert cost[target & region].min() > cost[~target & region].max()
    assert cost[NAT_UWV] == 23 * 1000 * 1.5**2 > cost[AM02_UWV]  # across levels: the weight
    reason = np.array(["", "", "", "", "small_count", "", "", "", ""], dtype=object)
    reason = close_groups(system, reason, cost)
    assert reason.tolist() == ROUND_6.tolist()


def test_protect_shows_the_target_region_and_passes():
    result = protection.protect(pd.DataFrame(SPLIT), POLICY)
    assert result.result.passed
    assert result.reason[[AM02_UWV, AM02_GEM, 6, 0]].tolist() == ["", "", "", ""]
    assert result.reason[[NAT_UWV, NAT_GEM, AM01_GEM]].tolist() == ["secondary"] * 3
    assert result.targets == {}  # no target left hidden


def test_reshow_shows_the_round_6_partners_and_the_audit_still_passes():
    # the round-6 table: AM02 UWV and GEMEENTE hidden as partners. Shown
    # again as a group, the two "regions add up" rows each have one hidden
    # cell (AM01's) and take the national cell (not a target) instead
    frame = pd.DataFrame(SPLIT)
    system = build_system(frame, published=POLICY.is_published)
    keep, check = _check(system, frame)
    assert check(ROUND_6.astype(object)).passed
    start = ROUND_6.astype(object)
    reason, last, stats = reshow(system, start, cost_of(system), keep, check, POLICY)
    assert reason[[AM02_UWV, AM02_GEM]].tolist() == ["", ""]
    assert reason[[NAT_UWV, NAT_GEM]].tolist() == ["secondary", "secondary"]
    assert last is not None and last.passed and check(reason).passed
    assert stats == {"tried": 2, "shown": 2, "forced": 0, "audits": 1, "refused": {}}


CHAIN = [
    ips(60), ips(23, "UWV"), ips(37, "GEMEENTE"),
    ips(9, region="AM01"), ips(3, "UWV", "AM01"), ips(6, "GEMEENTE", "AM01"),
    ips(51, region="AM02"), ips(20, "UWV", "AM02"), ips(31, "GEMEENTE", "AM02"),
]  # fmt: skip


def test_no_reshow_when_the_audit_would_fail():
    # Known from an earlier publication: national GEMEENTE 37 and AM01 ALL 9.
    # AM01 9 = UWV 3 + GEMEENTE 6 leaves GEMEENTE 6 the only partner of the
    # <5; national GEMEENTE 37 = 6 + AM02 GEMEENTE 31 then leaves AM02
    # GEMEENTE (a target) the only partner of AM01 GEMEENTE. Shown, a reader
    # computes AM01 GEMEENTE = 37 - 31 = 6 and AM01 UWV = 9 - 6 = 3: the
    # re-show tries it and the audit refuses, so it stays hidden. No
    # relation of AM02 GEMEENTE holds a primary cell, so it is not proven
    # forced: it counts as chosen.
    frame = pd.DataFrame(CHAIN)
    known = frame.iloc[[NAT_GEM, 3]][[*KEY, "value"]]
    result = protection.protect(frame, POLICY, known=known)
    assert result.result.passed
    assert result.reason[[AM01_GEM, AM02_GEM]].tolist() == ["secondary", "secondary"]
    system = result.system
    keep, check = _check(system, frame, known)
    opened = result.reason.copy()
    opened[AM02_GEM] = ""
    failed = check(opened)
    assert not failed.passed
    assert {system.describe(f.var) for f in failed.findings} >= {
        "2024Q3 AM01 IPS/UWV/ALL/ALL running"
    }
    again, last, stats = reshow(system, result.reason.copy(), cost_of(system), keep, check, POLICY)
    assert again.tolist() == result.reason.tolist() and last is None
    assert stats["shown"] == 0 and stats["tried"] >= 1
    why = result.targets["2024Q3 AM02 IPS/GEMEENTE running"]
    assert why["why"] == "chosen"
    assert why["refused"] == "refused by the audit: the public works a protected cell out exactly"


def test_explain_names_the_relation_that_forces_a_target():
    # national ALL 60 = IPS 57 + WABZ 3: the <5 needs a partner and both
    # other cells are headline targets; one goes (IPS: cheaper), and the
    # relation is named. The region AM01 (running 57 IPS) is not in the table.
    frame = pd.DataFrame([ips(60, ttype="ALL"), ips(57), ips(3, ttype="WABZ")])
    result = protection.protect(frame, POLICY)
    assert result.result.passed
    assert result.reason.tolist() == ["", "secondary", "small_count"]
    why = result.targets
    assert why["2024Q3 national IPS/ALL running"] == {
        "why": "structural",
        "relation": "trajectory_type adds up (2024Q3 national ALL/ALL/ALL/ALL running)",
    }
    assert why["2024Q3 national WABZ/ALL running"] == {"why": "primary", "reason": "small_count"}
    assert explain(result.system, result.reason) == why


def test_headline_targets_report_every_x_with_its_class_and_the_verdict():
    # three national headline cells of 2024Q3: running shown, started x as a
    # structural partner, ended_with_paid_work x by small_denominator; one
    # target region (AM02, 52 running IPS) whose started is a chosen x
    def row(indicator, display, reason=None, level="national", region=None, ttype="IPS"):
        return {
            "quarter": "2024Q3", "level": level, "region_code": region,
            "trajectory_type": ttype, "financing": "ALL", "ips_scheme": "ALL",
            "ips_phase": "ALL", "indicator": indicator, "display_value": display,
            "suppression_reason": reason,
        }  # fmt: skip

    table = pd.DataFrame(
        [
            row("running", "60"),
            row("started", "x", "withheld"),
            row("ended_with_paid_work", "x", "small_denominator"),
            row("running", "52", level="region", region="AM02"),
            row("started", "x", "withheld", level="region", region="AM02"),
        ]
    )
    indicators = pd.DataFrame(SPLIT)
    why = {
        "2024Q3 national IPS/ALL started": {"why": "structural", "relation": "types add up"},
        "2024Q3 AM02 IPS/ALL started": {
            "why": "chosen",
            "refused": "the alternatives hide 9 cells",
        },
    }
    out = headline_targets(table, indicators, why)
    national = out["national_headline"]["2024Q3"]
    assert (national["cells"], national["shown_or_lt5"]) == (3, 1)
    assert national["x_primary"] == ["2024Q3 national IPS/ALL ended_with_paid_work"]
    assert national["x_structural"] == {"2024Q3 national IPS/ALL started": "types add up"}
    assert national["x_chosen"] == {}
    region = out["region_ips"]["2024Q3"]
    assert (region["regions"], region["cells"], region["shown_or_lt5"]) == (1, 2, 1)
    assert region["x_chosen"] == {"2024Q3 AM02 IPS/ALL started": "the alternatives hide 9 cells"}
    verdict = out["verdict"]
    assert verdict["national_headline"] == {
        "cells": 3, "shown_or_lt5": 1, "x_primary": 1, "x_structural": 1, "x_chosen": 0,
        "met": False, "met_except_forced": True,
    }  # fmt: skip
    assert verdict["region_ips"]["met_except_forced"] is False
