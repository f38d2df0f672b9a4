"""Cells the reader knows from earlier publications (the archive's interface):
never hidden, never a partner, treated as shown by the audit."""

from __future__ import annotations

import pandas as pd
from test_publish_suppression import cell

from werkmonitor.publish.disclosure.protect import protect
from werkmonitor.publish.disclosure.system import KEY
from werkmonitor.publish.policy import load_policy

POLICY = load_policy()
ROWS = [
    cell("running", 60),
    cell("running", 3, financing="UWV"),
    cell("running", 20, financing="GEMEENTE"),
    cell("running", 37, financing="OVERIG"),
]


def test_known_cell_is_never_the_partner():
    frame = pd.DataFrame(ROWS)
    assert protect(frame, POLICY).reason.tolist() == ["", "small_count", "secondary", ""]
    known = frame.iloc[[2]][[*KEY, "value"]]  # GEMEENTE 20 was published before
    result = protect(frame, POLICY, known=known)
    # the next-cheapest partner (OVERIG 37) closes the group instead
    assert result.reason.tolist() == ["", "small_count", "", "secondary"]
    assert result.result.passed


def test_revised_known_cell_is_not_the_current_figure():
    frame = pd.DataFrame(ROWS)
    known = frame.iloc[[2]][[*KEY, "value"]].assign(value=19.0)  # revised since: 19 -> 20
    assert protect(frame, POLICY, known=known).reason[2] == "secondary"
