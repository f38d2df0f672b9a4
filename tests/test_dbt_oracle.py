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
