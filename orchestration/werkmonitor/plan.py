"""Which quarters a run must rebuild, and the record that makes the next run cheap.

``werkmonitor run`` asks :func:`plan_run` before it imports Dagster: when
nothing is pending and no fingerprint moved, it rebuilds nothing, republishes
nothing and says so. When quarter Q changed, Q is rebuilt and so is every
later quarter that was built before (their comparison columns, cohorts and
year-to-date figures read Q). The publish asset calls :func:`record_builds`
for the quarters it handled, whichever door started the run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from werkmonitor.changes import (
    STATE_DDL,
    WarehouseState,
    pending_files,
    read_state,
    reference_fingerprint,
)
from werkmonitor.quarters import Quarter

UP_TO_DATE_OUTCOMES = ("published", "blocked")


@dataclass
class Plan:
    to_run: list[str]
    up_to_date: list[str] = field(default_factory=list)
    reasons: dict[str, str] = field(default_factory=dict)
    pending: dict[str, list[str]] = field(default_factory=dict)
    outcomes: dict[str, str] = field(default_factory=dict)  # recorded, for up-to-date quarters


def stale_reason(quarter: str, state: WarehouseState, pending: dict, reference: str) -> str | None:
    """Why ``quarter`` must be rebuilt, or None; ``pending``: files this run will load."""
    changed = [q for q in pending if Quarter.parse(q) <= Quarter.parse(quarter)]
    if changed:
        return f"new or changed files in {', '.join(sorted(changed))}"
    build = state.builds.get(quarter)
    if build is None:
        return "not built yet"
    data, ref, outcome = build
    if outcome not in UP_TO_DATE_OUTCOMES:
        return f"last run: {outcome}"
    if ref != reference:
        return "reference data or models changed"
    if data != state.data_fingerprint(quarter):
        return "loaded submissions changed since the last build"
    return None


def plan_run(
    raw_dir: Path, warehouse: Path, requested: list[str], landing: list[str], force: bool = False
) -> Plan:
    """``requested``: the quarters asked for; ``landing``: every quarter folder in raw/."""
    state = read_state(warehouse)
    # a run loads only the quarters it runs: files pending elsewhere wait for their own run
    pending = pending_files(raw_dir, state, [q for q in requested if q in landing])
    reference = reference_fingerprint()
    reasons: dict[str, str] = {}
    for quarter in requested:
        why = "forced" if force else stale_reason(quarter, state, pending, reference)
        if why:
            reasons[quarter] = why
    if reasons:  # what depends on a changed quarter: every later quarter built before
        first = min(reasons, key=Quarter.parse)
        for quarter in sorted(state.builds):
            if Quarter.parse(quarter) > Quarter.parse(first) and quarter not in reasons:
                why = stale_reason(quarter, state, pending, reference)
                if why and quarter in landing:
                    reasons[quarter] = f"{why} (depends on {first})"
    to_run = sorted(reasons, key=Quarter.parse)
    up_to_date = [q for q in requested if q not in reasons]
    outcomes = {q: state.builds[q][2] for q in up_to_date if q in state.builds}
    return Plan(to_run, up_to_date, reasons, pending, outcomes)


def record_builds(warehouse: Path, outcomes: dict[str, str], run_id: str | None) -> None:
    """Remember what each quarter was built from, after its publish step."""
    import duckdb

    if not outcomes:
        return
    state = read_state(warehouse)
    reference = reference_fingerprint()
    with duckdb.connect(str(warehouse)) as con:
        con.execute(STATE_DDL)
        for quarter, outcome in outcomes.items():
            con.execute(
                "insert or replace into orchestration.quarter_builds"
                " values (?, ?, ?, ?, ?, current_timestamp)",
                [quarter, state.data_fingerprint(quarter), reference, outcome, run_id],
            )
