"""The oracle's month rule (tests/oracle.py), written from the spec's words.

The dbt macro months_since_start and the oracle are two independent
readings of "the smallest m >= 1 with d <= start + m calendar months"; the
unit tests in models/ pin the macro, these pin the oracle on the same days.
"""

from __future__ import annotations

from datetime import date

import oracle
import pytest


@pytest.mark.parametrize(
    ("start", "day", "month"),
    [
        ("2024-01-31", "2024-01-31", 1),  # the start day itself
        ("2024-01-31", "2024-02-29", 1),  # + 1 month, clamped to the leap day
        ("2024-01-31", "2024-03-01", 2),  # the day after
        ("2023-01-31", "2023-02-28", 1),
        ("2024-01-15", "2024-07-15", 6),  # exactly 6 months
        ("2024-01-15", "2024-07-16", 7),
        ("2022-03-31", "2025-03-31", 36),  # EPA term
        ("2022-03-31", "2025-04-01", 37),
    ],
)
def test_month_since_start(start, day, month):
    assert oracle.month_since_start(date.fromisoformat(start), date.fromisoformat(day)) == month


def test_oracle_lists_agree_with_the_catalogue():
    """The oracle keeps its own indicator lists on purpose; they must match."""
    from werkmonitor.catalogue import indicators as catalogue

    by_code = catalogue.by_code()
    for codes, denominator in [(oracle.SHARE_OF_RUNNING, "running"),
                               (oracle.SHARE_OF_ENDED, "ended"),
                               (oracle.SHARE_OF_PAID, "paid_work")]:
        assert {by_code[c].denominator for c in codes} == {denominator}
    assert set(oracle.EMPLOYMENT) == {i.code for i in catalogue.family("employment")}
    listed = {*oracle.SHARE_OF_RUNNING, *oracle.SHARE_OF_ENDED, *oracle.SHARE_OF_PAID,
              *oracle.EMPLOYMENT}
    by_hand = {"orientation", "orientation_ended", "running", "started", "ended", "outflow",
               "job_started", "avg_per_organisation", "clients_per_fte",
               "ended_before_term_without_result"}  # written out in oracle._aggregate
    assert listed | by_hand == set(by_code)
