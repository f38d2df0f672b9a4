"""Small-cell suppression on hand-built cells (values chosen by hand), through
the public tier's ``suppress_quarter`` (the round-1 ``suppression.py`` is gone;
its frozen copy for the route tests is ``tests/disclosure_legacy.py``)."""

from __future__ import annotations

import dataclasses
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from werkmonitor.formatting import fmt_count, fmt_number, fmt_pct, fmt_pp
from werkmonitor.publish.disclosure.public import link_quarters, suppress_quarter
from werkmonitor.publish.policy import PolicyError, load_policy


def cell(
    indicator,
    numerator,
    denominator=None,
    level="national",
    region=None,
    org=None,
    ttype="ALL",
    financing="ALL",
    scheme="ALL",
    phase="ALL",
    quarter="2024Q3",
    **extra,
):
    value = numerator if denominator is None else numerator / denominator
    return {
        "quarter": quarter,
        "level": level,
        "region_code": region,
        "organisation_code": org,
        "trajectory_type": ttype,
        "financing": financing,
        "ips_scheme": scheme,
        "ips_phase": phase,
        "indicator": indicator,
        "numerator": float(numerator),
        "denominator": None if denominator is None else float(denominator),
        "value": float(value),
        **extra,
    }


# every breakdown published at region level too (the routes through region
# breakdowns the default policy publishes nationally only)
ALL_BREAKDOWNS = dataclasses.replace(load_policy(), region_breakdowns=None)


def run(rows, policy=None):
    frame = pd.DataFrame(rows)
    parts, hidden, reasons = [], 0, []
    for _, q in frame.groupby("quarter", sort=True):
        out, result = suppress_quarter(q, policy or load_policy(), None)
        parts.append(out)
        hidden += int((result.reason != "").sum())
        reasons.extend(result.reason.tolist())
    out = link_quarters(pd.concat(parts, ignore_index=True))
    # the internal reason (partner, linked, ...) instead of the one word the
    # file says ("withheld"): these tests check the mechanism
    out["suppression_reason"] = pd.array([r or None for r in reasons], dtype="string")
    by_reason = pd.Series([r for r in reasons if r]).value_counts().to_dict()
    return out, SimpleNamespace(suppressed=hidden, by_reason=by_reason)


def state(out, **where):
    hit = out
    for col, val in where.items():
        hit = hit[hit[col] == val]
    assert len(hit) == 1, where
    return hit.iloc[0]


def test_dutch_number_formatting():
    assert fmt_count(4763) == "4.763"
    assert fmt_count(1234567) == "1.234.567"
    assert fmt_count(-167) == "-167"
    assert fmt_count(167, sign=True) == "+167"
    assert fmt_pct(0.375) == "37,5%"
    assert fmt_pct(1786 / 4763) == "37,5%"
    assert fmt_pct(-0.031) == "-3,1%"
    assert fmt_pct(0.009, sign=True) == "+0,9%"
    assert fmt_pct(0.00049) == "0,0%"
    assert fmt_pct(-0.00049) == "0,0%"  # no "-0,0%"
    assert fmt_number(16.0, 1) == "16,0"
    assert fmt_number(108.45, 1) == "108,5"  # half up, not half even
    assert fmt_number(0.125, 2) == "0,13"
    assert fmt_pp(0.009) == "+0,9 procentpunt"
    assert fmt_pct(None) == "" and fmt_count(float("nan")) == ""


def test_primary_small_count_and_small_denominator():
    out, stats = run(
        [
            cell("running", 120),
            cell("started", 3),
            cell("ended", 0),
            cell("paid_work", 40, 120),
            cell("job_stopped", 6, 9),
            cell("education", 2, 120),
        ]
    )
    started = state(out, indicator="started")
    assert started.is_suppressed and started.display_value == "<5"
    assert np.isnan(started.numerator) and np.isnan(started.value)
    assert started.suppression_reason == "small_count"
    ended = state(out, indicator="ended")
    assert not ended.is_suppressed and ended.display_value == "0"  # zero is shown
    stopped = state(out, indicator="job_stopped")  # 6 of 9: denominator < 10
    assert stopped.is_suppressed and stopped.suppression_reason == "small_denominator"
    assert stopped.display_value == "x" and np.isnan(stopped.denominator)
    education = state(out, indicator="education")  # 2 of 120: numerator reveals 2 people
    assert education.is_suppressed and education.suppression_reason == "small_count"
    paid = state(out, indicator="paid_work")
    assert not paid.is_suppressed and paid.display_value == "33,3%" and paid.numerator == 40
    assert state(out, indicator="running").display_value == "120"
    assert stats.suppressed == 3


def test_complementary_cell_in_financing_group_hides_next_smallest():
    # UWV 3 is hidden; ALL 60 = 3 + 20 + 37 would give it back, so GEMEENTE (20,
    # the next-smallest visible non-zero member) goes too; OVERIG stays.
    out, _ = run(
        [
            cell("running", 60),
            cell("running", 3, financing="UWV"),
            cell("running", 20, financing="GEMEENTE"),
            cell("running", 37, financing="OVERIG"),
        ]
    )
    assert state(out, financing="UWV").display_value == "<5"
    gem = state(out, financing="GEMEENTE")
    assert gem.is_suppressed and gem.suppression_reason == "secondary" and gem.display_value == "x"
    assert not state(out, financing="OVERIG").is_suppressed
    assert not state(out, financing="ALL").is_suppressed


def test_total_hidden_when_no_partner_exists():
    # Only UWV delivered: ALL equals the hidden UWV cell, so ALL is hidden too.
    out, _ = run([cell("running", 4), cell("running", 4, financing="UWV")])
    assert state(out, financing="UWV").suppression_reason == "small_count"
    assert state(out, financing="ALL").is_suppressed


def test_zero_member_is_not_a_partner():
    # OVERIG 0 is no protection (a published zero is exact): GEMEENTE goes instead.
    out, _ = run(
        [
            cell("running", 52),
            cell("running", 2, financing="UWV"),
            cell("running", 50, financing="GEMEENTE"),
            cell("running", 0, financing="OVERIG"),
        ]
    )
    assert state(out, financing="GEMEENTE").suppression_reason == "secondary"
    assert not state(out, financing="OVERIG").is_suppressed
    assert not state(out, financing="ALL").is_suppressed


def test_hidden_total_with_all_members_visible_hides_smallest_member():
    # National GEMEENTE running (48) is hidden as the partner of UWV (2); the
    # national GEMEENTE paid_work share divides by it, so it is hidden (linked).
    # The two regions' GEMEENTE paid_work cells (10 and 12) would add back up
    # to the hidden national numerator, so the smaller one is hidden too.
    # (Region ALL x financing is published nationally only by default: this
    # route needs a policy that publishes it at region level.)
    out, _ = run(
        [
            cell("running", 100),
            cell("running", 2, financing="UWV"),
            cell("running", 48, financing="GEMEENTE"),
            cell("running", 50, financing="OVERIG"),
            cell("paid_work", 22, 48, financing="GEMEENTE"),
            cell("paid_work", 12, 24, financing="GEMEENTE", level="region", region="AM01"),
            cell("paid_work", 10, 24, financing="GEMEENTE", level="region", region="AM02"),
        ],
        ALL_BREAKDOWNS,
    )
    assert state(out, indicator="running", financing="GEMEENTE").suppression_reason == "secondary"
    national = state(out, indicator="paid_work", level="national")
    assert national.suppression_reason == "linked"
    assert state(out, region_code="AM02").suppression_reason == "secondary"
    assert not state(out, region_code="AM01").is_suppressed


def test_regions_add_up_to_national():
    rows = [cell("running", 100)]
    for code, n in (("AM01", 2), ("AM02", 48), ("AM03", 50)):
        rows.append(cell("running", n, level="region", region=code))
    out, _ = run(rows)
    assert state(out, region_code="AM01").display_value == "<5"
    assert state(out, region_code="AM02").suppression_reason == "secondary"  # next-smallest
    assert not state(out, region_code="AM03").is_suppressed
    assert not state(out, level="national").is_suppressed


def test_secondary_suppression_cascades_across_groups():
    # IPS/UWV = 2 forces IPS/GEMEENTE (30) hidden in the financing group; in the
    # trajectory-type group for GEMEENTE, ALL/GEMEENTE = IPS 30 + WABZ 10, so
    # WABZ/GEMEENTE must go too.
    rows = [
        cell("running", 42, ttype="IPS"),
        cell("running", 2, ttype="IPS", financing="UWV"),
        cell("running", 30, ttype="IPS", financing="GEMEENTE"),
        cell("running", 10, ttype="IPS", financing="OVERIG"),
        cell("running", 10, ttype="WABZ"),
        cell("running", 10, ttype="WABZ", financing="GEMEENTE"),
        cell("running", 52),
        cell("running", 2, financing="UWV"),
        cell("running", 40, financing="GEMEENTE"),
        cell("running", 10, financing="OVERIG"),
    ]
    out, _ = run(rows)
    hidden = {(r.trajectory_type, r.financing) for r in out.itertuples() if r.is_suppressed}
    # IPS/UWV 2 (primary), ALL/UWV 2 (primary); IPS/OVERIG 10 is the smallest
    # partner in IPS's financing group; WABZ/GEMEENTE etc. follow from the cascade.
    assert ("IPS", "UWV") in hidden and ("ALL", "UWV") in hidden
    assert ("IPS", "OVERIG") in hidden
    # No additive group is left with exactly one hidden member next to a visible total.
    for ttype in ("IPS", "WABZ", "ALL"):
        members = out[(out.trajectory_type == ttype) & (out.financing != "ALL")]
        total = out[(out.trajectory_type == ttype) & (out.financing == "ALL")]
        if not total.iloc[0].is_suppressed:
            assert members.is_suppressed.sum() != 1, ttype
    for fin in ("UWV", "GEMEENTE", "OVERIG"):
        members = out[(out.financing == fin) & (out.trajectory_type != "ALL")]
        total = out[(out.financing == fin) & (out.trajectory_type == "ALL")]
        if len(total) and not total.iloc[0].is_suppressed:
            assert members.is_suppressed.sum() != 1, fin


def test_linked_rows_hide_derived_denominators():
    # paid_work 3 is hidden; job_started divides by running − paid_work (97)
    # and job_stopped by paid_work: both would reveal it.
    out, _ = run(
        [
            cell("running", 100),
            cell("paid_work", 3, 100),
            cell("job_started", 20, 97),
            cell("job_stopped", 0, 3),
            cell("ever_paid_work", 30, 100),
        ]
    )
    assert state(out, indicator="job_started").suppression_reason == "linked"
    assert state(out, indicator="job_stopped").is_suppressed
    assert not state(out, indicator="ever_paid_work").is_suppressed


def test_outflow_categories_add_up_to_ended():
    out, _ = run(
        [
            cell("running", 200),
            cell("ended", 40),
            cell("ended_with_paid_work", 2, 40),
            cell("ended_worked_before", 12, 40),
            cell("ended_never_worked", 26, 40),
        ]
    )
    assert state(out, indicator="ended_with_paid_work").is_suppressed
    assert state(out, indicator="ended_worked_before").suppression_reason == "secondary"
    assert not state(out, indicator="ended_never_worked").is_suppressed


def test_previous_quarter_columns_come_from_the_previous_quarters_published_cells():
    # 2024Q2: running 3 (hidden, <5), started 9 (shown). 2024Q3 shows both:
    # running has no previous figure (the previous quarter hides it), started does.
    out, _ = run(
        [
            cell("running", 3, quarter="2024Q2"),
            cell("started", 9, quarter="2024Q2"),
            cell("running", 50),
            cell("started", 12),
        ]
    )
    running = state(out, indicator="running", quarter="2024Q3")
    assert not running.is_suppressed
    assert np.isnan(running.previous_numerator) and np.isnan(running.change_absolute)
    started = state(out, indicator="started", quarter="2024Q3")
    assert started.previous_numerator == 9 and started.change_absolute == 3


def test_like_for_like_columns_are_not_public():
    # Plain 40, like-for-like 38: the 2 trajectories of the organisation that
    # only delivered this quarter would be the difference; the public tier has none.
    out, _ = run(
        [
            cell("running", 40, like_for_like_numerator=38.0, like_for_like_value=38.0),
            cell("started", 10, like_for_like_numerator=10.0, like_for_like_value=10.0),
        ]
    )
    assert out["like_for_like_numerator"].isna().all()
    assert state(out, indicator="running").numerator == 40


def test_policy_override_from_env(tmp_path, monkeypatch):
    path = tmp_path / "strict.yml"
    path.write_text("min_count: 10\nsmall_count_label: '<10'\n", encoding="utf-8")
    monkeypatch.setenv("WERKMONITOR_SUPPRESSION_POLICY", str(path))
    policy = load_policy()
    assert policy.min_count == 10 and policy.min_denominator == 10  # default kept
    out, _ = run([cell("running", 120), cell("started", 7)], policy)
    assert state(out, indicator="started").display_value == "<10"


def test_policy_errors_name_the_file(tmp_path):
    bad = tmp_path / "bad.yml"
    bad.write_text("min_cont: 3\n", encoding="utf-8")
    with pytest.raises(PolicyError, match="bad.yml.*min_cont"):
        load_policy(bad)
    with pytest.raises(PolicyError, match="not found"):
        load_policy(tmp_path / "missing.yml")


def test_restricted_breakdown_withholds_outcomes_by_phase_without_cascade():
    # One requested (AANGEVRAAGD) IPS client with paid work would otherwise
    # force GOEDGEKEURD (240) and then the national IPS figure to be hidden.
    rows = [
        cell("running", 700, ttype="IPS"),
        cell("running", 30, ttype="IPS", phase="AANGEVRAAGD"),
        cell("running", 670, ttype="IPS", phase="GOEDGEKEURD"),
        cell("paid_work", 241, 700, ttype="IPS"),
        cell("paid_work", 1, 30, ttype="IPS", phase="AANGEVRAAGD"),
        cell("paid_work", 240, 670, ttype="IPS", phase="GOEDGEKEURD"),
    ]
    out, stats = run(rows)
    by_phase = state(out, indicator="paid_work", ips_phase="GOEDGEKEURD")
    assert by_phase.is_suppressed and by_phase.suppression_reason == "breakdown_not_published"
    assert by_phase.display_value == "x"
    assert state(out, indicator="running", ips_phase="GOEDGEKEURD").display_value == "670"
    national = state(out, indicator="paid_work", ips_phase="ALL")
    assert not national.is_suppressed and national.display_value == "34,4%"
    assert stats.by_reason == {"breakdown_not_published": 2}
