"""One partition per quarter, keyed as people write quarters (``2024Q3``).

Dagster's time-window partitions cannot format ``Q3``, so the keys are a
static list from the first monitored quarter up to the quarter that contains
today; the list grows by itself when a new quarter begins, and a landing-zone
quarter beyond today (a test, a typo) is added too so it can still be run.
"""

from __future__ import annotations

from datetime import date

from dagster import StaticPartitionsDefinition

from werkmonitor.config import settings
from werkmonitor.quarters import FIRST_QUARTER, Quarter, quarter_range


def landing_zone_quarters() -> list[str]:
    """Quarter folders present under the raw dir, in order."""
    raw_dir = settings().raw_dir
    if not raw_dir.is_dir():
        return []
    return sorted(
        path.name for path in raw_dir.iterdir() if path.is_dir() and Quarter.is_valid(path.name)
    )


def partition_keys(today: date | None = None) -> list[str]:
    last = Quarter.containing(today or date.today())
    for name in landing_zone_quarters():
        last = max(last, Quarter.parse(name))
    return [str(quarter) for quarter in quarter_range(FIRST_QUARTER, last)]


quarterly_partitions = StaticPartitionsDefinition(partition_keys())
