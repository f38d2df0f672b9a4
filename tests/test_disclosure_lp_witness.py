"""Witnesses without LP (``witness``): the greedy hypercube and its check.

Hand-made tables; every point and interval below is worked out by hand in
the docstrings. The rule under test: a side counts as protected only with a
point that the audit's own reader model accepts; a point that looks valid
but breaks a relation or a bound is rejected, and then the LP decides.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from test_publish_suppression import cell

from werkmonitor.publish.disclosure.audit import audit
from werkmonitor.publish.disclosure.findings import OrgView, Requirement
from werkmonitor.publish.disclosure.reader import reader_system
from werkmonitor.publish.disclosure.secondary import published_labels
from werkmonitor.publish.disclosure.system import build_system
from werkmonitor.publish.disclosure.witness import BlockWitness, verify

# running by financing (rows) and region (columns), national and ALL shown:
#            AM01        AM02        national
# UWV        3 (<5)      10 (x)      13
# GEMEENTE   10 (x)      8 (x)       18
# ALL        13          18          31
GRID = [
    cell("running", 31),
    cell("running", 13, financing="UWV"),
    cell("running", 18, financing="GEMEENTE"),
    cell("running", 13, level="region", region="AM01"),
    cell("running", 18, level="region", region="AM02"),
    cell("running", 3, financing="UWV", level="region", region="AM01"),
    cell("running", 10, financing="UWV", level="region", region="AM02"),
    cell("running", 10, financing="GEMEENTE", level="region", region="AM01"),
    cell("running", 8, financing="GEMEENTE", level="region", region="AM02"),
]
GRID_REASON = np.array(
    ["", "", "", "", "", "small_count", "secondary", "secondary", "secondary"], dtype=object
)

# running by financing: ALL 28 = UWV 3 + GEMEENTE 5 + OVERIG 20
FINANCING = [
    cell("running", 28),
    cell("running", 3, financing="UWV"),
    cell("running", 5, financing="GEMEENTE"),
    cell("running", 20, financing="OVERIG"),
]


def _grid_reader():
    system = build_system(pd.DataFrame(GRID))
    labels = published_labels(system, GRID_REASON)
    reader = reader_system(system, GRID_REASON == "", labels, 5, 10)
    return system, labels, reader


def test_the_greedy_builds_the_hypercube_of_a_two_way_table():
    """The four hidden cells are a 2x2 hypercube: AM01/UWV +1 forces
    AM02/UWV -1 (UWV's national row), AM01/GEMEENTE -1 (AM01's ALL row) and
    so AM02/GEMEENTE +1 (both remaining rows repaired at once). The point
    (4, 9, 9, 9) is feasible: x >= 5 holds for the three 9s, <5 for 4.
    Down by 2: (1, 12, 12, 6), 6 >= 5. So AM01/UWV keeps [1, 4], and with one
    protected cell (no batch LP) the audit proves it with no LP at all."""
    system, labels, reader = _grid_reader()
    base = system.truth[reader.unknown]
    bw = BlockWitness(reader.a, reader.lo, reader.hi, base)
    col = {int(v): j for j, v in enumerate(reader.unknown)}
    up = bw.find(col[5], 4.0, reader.col_lo.tolist(), reader.col_hi.tolist())
    assert up is not None
    point = dict(zip(reader.unknown[up[0]].tolist(), up[1].tolist(), strict=True))
    assert point == {5: 4.0, 6: 9.0, 7: 9.0, 8: 9.0}
    down = bw.find(col[5], 1.0, reader.col_lo.tolist(), reader.col_hi.tolist())
    point = dict(zip(reader.unknown[down[0]].tolist(), down[1].tolist(), strict=True))
    assert point == {5: 1.0, 6: 12.0, 7: 12.0, 8: 6.0}
    assert verify(
        reader.a, reader.lo, reader.hi, reader.col_lo, reader.col_hi, base, [up, down]
    ).all()
    result = audit(system, GRID_REASON == "", labels, 5, 10, 0.0)
    assert result.passed and result.lps == 0 and result.witnesses == 2


def test_a_witness_that_breaks_a_relation_or_a_bound_is_rejected():
    """Three hand-made points of the grid above, each valid in part:
    (4, 9, 10, 8) keeps UWV's row (4 + 9 = 13) but breaks AM01's (4 + 10 =
    14 != 13); (4, 9, 9, 9) is the hypercube point (accepted); (5, 8, 8, 10)
    keeps every row (13, 13, 18, 18) but puts the <5 cell at 5 and is
    rejected for its bound. The true point itself is checked in full first."""
    system, _, reader = _grid_reader()
    base = system.truth[reader.unknown]
    col = [int(np.flatnonzero(reader.unknown == v)[0]) for v in (5, 6, 7, 8)]
    cols = np.array(col)
    points = [
        (cols, np.array([4.0, 9.0, 10.0, 8.0])),
        (cols, np.array([4.0, 9.0, 9.0, 9.0])),
        (cols, np.array([5.0, 8.0, 8.0, 10.0])),
    ]
    ok = verify(reader.a, reader.lo, reader.hi, reader.col_lo, reader.col_hi, base, points)
    assert ok.tolist() == [False, True, False]
    wrong_base = base.copy()
    wrong_base[col[0]] += 1  # a base that breaks a row: nothing built on it counts
    ok = verify(reader.a, reader.lo, reader.hi, reader.col_lo, reader.col_hi, wrong_base, points)
    assert not ok.any()


def test_the_gate_does_not_pass_on_a_witness_the_lp_refutes():
    """running by financing: ALL 28 = UWV 3 (<5) + GEMEENTE 5 (x) + OVERIG 20
    shown. UWV + GEMEENTE = 8 with GEMEENTE >= 5: UWV's maximum is 3, not 4.
    The greedy finds no witness for UWV = 4 (GEMEENTE would be 4 < 5), the
    LP does the rest and the finding [1, 3] stands."""
    system = build_system(pd.DataFrame(FINANCING))
    labels = np.array(["", "small_count", "withheld", ""], dtype=object)
    shown = labels == ""
    found = audit(system, shown, labels, 5, 10, 0.0).findings
    assert [(f.cell, f.interval) for f in found] == [
        ("2024Q3 national ALL/UWV/ALL/ALL running", pytest.approx((1.0, 3.0)))
    ]


def test_an_inequality_rejects_the_greedy_move_and_the_lp_decides():
    """A 1 x 2 model with rows x0 + x1 = 10 and x0 - x1 <= 0 (the kind of an
    ``<=`` identity), bounds x0 in [1, 4], x1 >= 5, truth (3, 7). Moving x0
    to 4 repairs the equality with x1 = 6 and keeps 4 <= 6: accepted. A
    tighter inequality x0 - x1 <= -4 (true: 3 - 7 = -4, binding) makes x0 =
    4, x1 = 6 break it (-2 > -4): no witness, and the check rejects the
    point when it is handed over anyway."""
    a = sp.csr_matrix(np.array([[1.0, 1.0], [1.0, -1.0]]))
    base = np.array([3.0, 7.0])
    col_lo, col_hi = [1.0, 5.0], [4.0, np.inf]
    bw = BlockWitness(a, [10.0, -np.inf], [10.0, 0.0], base)
    cols, vals = bw.find(0, 4.0, col_lo, col_hi)
    assert dict(zip(cols.tolist(), vals.tolist(), strict=True)) == {0: 4.0, 1: 6.0}
    tight = BlockWitness(a, [10.0, -np.inf], [10.0, -4.0], base)
    assert tight.find(0, 4.0, col_lo, col_hi) is None
    point = (np.array([0, 1]), np.array([4.0, 6.0]))
    assert not verify(a, [10.0, -np.inf], [10.0, -4.0], col_lo, col_hi, base, [point]).any()


def test_an_organisation_is_held_to_its_own_share_not_below_it():
    """ORG01 feeds 2 of national UWV's 3 (<5, ALL 28 = UWV 3 + GEMEENTE 5 x +
    OVERIG 20... here OVERIG is hidden too, 20 x, so the public reads UWV in
    [1, 4]). Knowing its own 2, ORG01 reads UWV >= 2 whatever is published:
    its own figure. Round 5 held it to [2, 4] (``audit._beyond_own``);
    since round 7 an organisation's view repeats no public requirement
    (docs/publishing.md, "Organisation views: our reading"): the national
    rest is pooled over other organisations, and ORG01 has no region cell
    with one other provider here, so only the public's [1, 4] is asked (and
    met)."""
    system = build_system(pd.DataFrame(FINANCING))
    labels = np.array(["", "small_count", "withheld", "withheld"], dtype=object)
    view = OrgView("ORG01", at_least={1: 2.0, 3: 1.0})
    result = audit(system, labels == "", labels, 5, 10, 0.0, views=[view])
    assert result.passed
    from werkmonitor.publish.disclosure.audit import view_jobs

    jobs = view_jobs(system, [Requirement(1, 1.0, 4.0)], [view], np.zeros(system.n, int))
    assert [(name, [(r.var, r.lo, r.hi) for r in reqs]) for name, _, reqs in jobs] == [
        ("the public", [(1, 1.0, 4.0)]),
    ]
