"""The LP interval audit as the gate: narrowing that subtraction cannot see.

Hand-made tables with values chosen so that no relation has a single unknown
(plain elimination finds nothing) and the feasible interval, worked out by
hand below, is narrower than the protection level.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
from test_publish_suppression import cell

from werkmonitor.publish.disclosure.audit import audit
from werkmonitor.publish.disclosure.gate import DisclosureAuditError, audit_published
from werkmonitor.publish.disclosure.protect import protect
from werkmonitor.publish.disclosure.reader import reader_system
from werkmonitor.publish.disclosure.secondary import published_labels
from werkmonitor.publish.disclosure.system import build_system
from werkmonitor.publish.policy import load_policy

POLICY = load_policy()

# running by financing: ALL 28 = UWV 3 (<5) + GEMEENTE 5 (x, a partner) + OVERIG 20.
ROWS = [
    cell("running", 28),
    cell("running", 3, financing="UWV"),
    cell("running", 5, financing="GEMEENTE"),
    cell("running", 20, financing="OVERIG"),
]
SHOWN = np.array([True, False, False, True])
LABELS = np.array(["", "small_count", "withheld", ""], dtype=object)


def test_a_partner_shown_as_x_is_at_least_5():
    system = build_system(pd.DataFrame(ROWS))
    reader = reader_system(system, SHOWN, LABELS, 5, 10)
    col = {int(v): j for j, v in enumerate(reader.unknown)}
    assert reader.col_lo[col[2]] == 5.0  # x on a count: not 0, not 1-4
    assert (reader.col_lo[col[1]], reader.col_hi[col[1]]) == (1.0, 4.0)  # <5
    # a share shown as x gets no floor (a linked share may be 0)
    share = build_system(pd.DataFrame([cell("paid_work", 6, 40)]))
    r = reader_system(share, np.array([False]), np.array(["withheld"], dtype=object), 5, 10)
    assert r.col_lo.tolist() == [0.0]


def test_only_the_lp_finds_the_narrowing():
    # UWV + GEMEENTE = 28 - 20 = 8 with GEMEENTE >= 5: UWV in [1, 3], not [1, 4].
    system = build_system(pd.DataFrame(ROWS))
    exact = audit(system, SHOWN, LABELS, 5, 10, 0.0, exact_only=True)
    assert exact.passed  # no relation with one unknown, no row without slack
    found = audit(system, SHOWN, LABELS, 5, 10, 0.0).findings
    assert [f.cell for f in found] == ["2024Q3 national ALL/UWV/ALL/ALL running"]
    assert found[0].interval == pytest.approx((1.0, 3.0))
    assert "financing adds up" in found[0].route[0]


def test_two_hidden_cells_in_two_overlapping_groups():
    # UWV (3, <5) and GEMEENTE (2, <5) of IPS; IPS ALL 25 shown, OVERIG 20
    # shown: UWV + GEMEENTE = 5. The national ALL-type UWV cell (<5, 3) equals
    # IPS UWV (the only type): the two groups share UWV. No single unknown
    # anywhere; the intervals stay [1, 4] for every cell: the LP passes.
    rows = [
        cell("running", 25, ttype="IPS"),
        cell("running", 3, ttype="IPS", financing="UWV"),
        cell("running", 2, ttype="IPS", financing="GEMEENTE"),
        cell("running", 20, ttype="IPS", financing="OVERIG"),
        cell("running", 25),
        cell("running", 3, financing="UWV"),
        cell("running", 2, financing="GEMEENTE"),
        cell("running", 20, financing="OVERIG"),
    ]
    system = build_system(pd.DataFrame(rows))
    shown = np.array([True, False, False, True, True, False, False, True])
    labels = np.where(shown, "", "small_count").astype(object)
    assert audit(system, shown, labels, 5, 10, 0.0).passed
    # IPS OVERIG 21 instead: UWV + GEMEENTE = 4 -> each in [1, 3], by LP only
    rows[3] = cell("running", 21, ttype="IPS", financing="OVERIG")
    rows[0] = cell("running", 25, ttype="IPS")
    rows[7] = cell("running", 21, financing="OVERIG")
    rows[4] = cell("running", 25)
    rows[1] = cell("running", 2, ttype="IPS", financing="UWV")
    rows[5] = cell("running", 2, financing="UWV")
    system = build_system(pd.DataFrame(rows))
    assert audit(system, shown, labels, 5, 10, 0.0, exact_only=True).passed
    found = audit(system, shown, labels, 5, 10, 0.0).findings
    assert {f.cell for f in found} == {
        "2024Q3 national IPS/UWV/ALL/ALL running",
        "2024Q3 national IPS/GEMEENTE/ALL/ALL running",
        "2024Q3 national ALL/UWV/ALL/ALL running",
        "2024Q3 national ALL/GEMEENTE/ALL/ALL running",
    }
    assert all(f.interval == pytest.approx((1.0, 3.0)) for f in found)


def test_the_gate_refuses_a_published_file_the_lp_can_narrow():
    table = pd.DataFrame(ROWS).assign(
        is_suppressed=~SHOWN,
        suppression_reason=[None, "small_count", "withheld", None],
    )
    table.loc[~SHOWN, ["numerator", "value"]] = np.nan  # a published file has no hidden values
    gate = dataclasses.replace(POLICY, audit_intervals=True)
    found = audit_published(table, gate)
    assert [f.cell for f in found] == ["2024Q3 national ALL/UWV/ALL/ALL running"]
    message = str(DisclosureAuditError(found))
    assert "2024Q3 national ALL/UWV/ALL/ALL running" in message and "the public" in message
    assert "financing adds up" in message
    assert audit_published(table, dataclasses.replace(POLICY, audit_intervals=False)) == []


def test_the_suppression_closes_it_with_a_partner_that_can_move():
    result = protect(pd.DataFrame(ROWS), POLICY, intervals=True)
    assert result.result.passed
    labels = published_labels(result.system, result.reason)
    assert audit(result.system, result.reason == "", labels, 5, 10, 0.0).passed
    # GEMEENTE 5 as the partner cannot move down (x >= 5): OVERIG 20 is hidden too
    assert result.reason.tolist()[1:] == ["small_count", "secondary", "secondary"]
