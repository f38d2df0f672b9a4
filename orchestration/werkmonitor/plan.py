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
NEW_FILES = "new or changed files"
DEPENDS = "depends on "


@dataclass
class Plan:
    to_run: list[str]
    up_to_date: list[str] = field(default_factory=list)
    reasons: dict[str, str] = field(default_factory=dict)
    pending: dict[str, list[str]] = field(default_factory=dict)
    outcomes: dict[str, str] = field(default_factory=dict)  # recorded, for up-to-date quarters


def stale_reason(
    quarter: str, state: WarehouseState, pending: dict, reference: str
) -> str | None:
    """Why ``quarter`` must be rebuilt, or None; ``pending``: files this run will load."""
    if quarter in pending:
        return NEW_FILES
    earlier = [q for q in pending if Quarter.parse(q) < Quarter.parse(quarter)]
    if earlier:  # its comparison columns and cohorts read the changed quarter
        return DEPENDS + max(earlier, key=Quarter.parse)
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
                    reasons[quarter] = why if why.startswith(DEPENDS) else f"{DEPENDS}{first}"
    to_run = sorted(reasons, key=Quarter.parse)
    up_to_date = [q for q in requested if q not in reasons]
    outcomes = {q: state.builds[q][2] for q in up_to_date if q in state.builds}
    return Plan(to_run, up_to_date, reasons, pending, outcomes)


def span(quarters: list[str]) -> str:
    """``2022Q4..2025Q2 (11 quarters)``; gaps as a comma list of such spans."""
    runs: list[list[Quarter]] = []
    for quarter in sorted({Quarter.parse(q) for q in quarters}):
        if runs and runs[-1][-1].next() == quarter:
            runs[-1].append(quarter)
        else:
            runs.append([quarter])
    parts = [
        str(run[0]) if len(run) == 1
        else f"{run[0]}..{run[-1]}" + (f" ({len(run)} quarters)" if len(run) > 2 else "")
        for run in runs
    ]
    return ", ".join(parts)


def describe(reasons: dict[str, str], quarters: list[str]) -> str:
    """Why ``quarters`` are rebuilt, once per reason: ``2024Q4: new or changed files;
    2025Q1..2025Q2 follow from 2024Q4``."""
    groups: dict[str, list[str]] = {}
    for quarter in sorted(quarters, key=Quarter.parse):
        groups.setdefault(reasons.get(quarter, "requested"), []).append(quarter)
    parts = []
    for why, members in groups.items():
        if why == NEW_FILES:
            parts.append(f"{NEW_FILES} in {span(members)}")
        elif why.startswith(DEPENDS):
            verb = "follows" if len(members) == 1 else "follow"
            parts.append(f"{span(members)} {verb} from {why.removeprefix(DEPENDS)}")
        else:
            parts.append(f"{span(members)}: {why}")
    return "; ".join(parts)


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
