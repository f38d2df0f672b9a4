"""``werkmonitor status``: per quarter, where it stands from landing zone to publication.

Read-only and quick: the landing zone, ``audit.submissions`` (loaded, pending
by content hash, rows quarantined), the last Dagster run for the quarter (the
instance's SQLite run storage, read without importing Dagster), the latest
gate run (``audit.quality_gate_runs``) and the published file's
``publication`` table (data version). Rejected files that hold identifiers
stay listed with their path until someone removes them from ``raw/`` — the
pipeline itself never changes ``raw/``. The same facts go into the ingest
asset's metadata (:func:`quarter_status_metadata`).
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import duckdb

from werkmonitor.changes import landing_files, pending_files, read_state
from werkmonitor.config import REPO_ROOT, Settings, settings
from werkmonitor.quarters import Quarter

RANGE_START, RANGE_END = "dagster/asset_partition_range_start", "dagster/asset_partition_range_end"


def _query(path: Path, sql: str, params=()) -> list[tuple]:
    if not path.exists():
        return []
    try:
        with duckdb.connect(str(path), read_only=True) as con:
            return con.execute(sql, params).fetchall()
    except duckdb.Error:  # table absent, or a run holds the file
        return []


def last_runs(dagster_home: Path) -> dict[str, tuple[str, str]]:
    """Quarter → (status, run id) of the latest run that covered it."""
    db = dagster_home / "history" / "runs.db"
    if not db.exists():
        return {}
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as con:
        rows = con.execute(
            "select r.run_id, r.status, t.key, t.value from runs r join run_tags t"
            " on t.run_id = r.run_id where t.key in (?, ?, 'dagster/partition')"
            " order by r.create_timestamp",
            (RANGE_START, RANGE_END),
        ).fetchall()
    tags: dict[str, dict] = {}
    for run_id, run_status, key, value in rows:
        tags.setdefault(run_id, {"status": run_status})[key] = value
    latest: dict[str, tuple[str, str]] = {}
    for run_id, found in tags.items():  # insertion order = creation order
        first = found.get(RANGE_START) or found.get("dagster/partition")
        last = found.get(RANGE_END) or first
        if first and Quarter.is_valid(first) and Quarter.is_valid(last):
            for quarter in _between(first, last):
                latest[quarter] = (found["status"], run_id)
    return latest


def _between(first: str, last: str) -> list[str]:
    from werkmonitor.quarters import quarter_range

    return [str(q) for q in quarter_range(first, last)]


def quarter_facts(paths: Settings, quarters: list[str] | None = None) -> dict[str, dict]:
    from werkmonitor.partitions import landing_zone_quarters

    loaded = _query(
        paths.warehouse,
        "select quarter, status, count(*), coalesce(sum(rows_quarantined) filter"
        " (where status = 'accepted'), 0) from audit.submissions group by all",
    )
    known = {q for q, *_ in loaded}
    quarters = quarters or sorted(set(landing_zone_quarters()) | known, key=Quarter.parse)
    state = read_state(paths.warehouse)
    pending = pending_files(paths.raw_dir, state, quarters)
    gates = dict(
        _query(paths.warehouse, "select quarter, arg_max(passed, run_at) from"
               " audit.quality_gate_runs group by quarter")
    )
    published = dict(
        _query(paths.publish_dir / "werkmonitor.duckdb", "select quarter,"
               " any_value(data_version) from publication group by quarter")
    )
    home = Path(os.environ.get("DAGSTER_HOME") or REPO_ROOT / ".dagster_home")
    runs = last_runs(home)
    facts = {}
    for quarter in quarters:
        counts = {status: n for q, status, n, _ in loaded if q == quarter}
        quarantined = sum(int(r) for q, status, _, r in loaded if q == quarter)
        facts[quarter] = {
            "files": len(landing_files(paths.raw_dir, quarter)),
            "loaded": counts,
            "rows_quarantined": quarantined,
            "pending": pending.get(quarter, []),
            "last_run": runs.get(quarter),
            "gate_passed": gates.get(quarter),
            "data_version": published.get(quarter),
        }
    return facts


def identifier_rejections(paths: Settings) -> list[str]:
    """Rejected files that held identifiers (or copies of one) still in the landing zone."""
    from werkmonitor.loader import files_with_identifiers

    if not paths.warehouse.exists():
        return []
    try:
        with duckdb.connect(str(paths.warehouse), read_only=True) as con:
            found = files_with_identifiers(con)
    except duckdb.Error:  # no audit tables yet, or a run holds the file
        return []
    return [path for _, path, _ in found if (paths.raw_dir / path).exists()]


def format_quarter(quarter: str, fact: dict) -> str:
    loaded = ", ".join(f"{n} {s}" for s, n in sorted(fact["loaded"].items())) or "nothing"
    run = fact["last_run"]
    gate = {None: "no gate run", True: "gates passed", False: "BLOCKED by a gate"}
    published = (
        f"published (data version {fact['data_version']})" if fact["data_version"]
        else "not published"
    )
    pending = f"{len(fact['pending'])} pending" if fact["pending"] else "nothing pending"
    return (
        f"{quarter}: {fact['files']} files in raw/; loaded: {loaded}; "
        f"{fact['rows_quarantined']} rows quarantined; {pending}; "
        f"last run: {f'{run[0]} ({run[1][:8]})' if run else 'none'}; "
        f"{gate[fact['gate_passed']]}; {published}"
        + "".join(f"\n    pending: {path}" for path in fact["pending"][:5])
        + (f"\n    … and {len(fact['pending']) - 5} more" if len(fact["pending"]) > 5 else "")
    )


def quarter_status_metadata(paths: Settings, quarters: list[str]) -> str:
    facts = quarter_facts(paths, list(quarters))
    lines = [f"- {format_quarter(q, f)}" for q, f in facts.items()]
    lines += [f"- identifiers, remove from raw/: `{p}`" for p in identifier_rejections(paths)]
    return "\n".join(lines) or "no quarters"


def status_cli() -> int:
    paths = settings()
    try:
        facts = quarter_facts(paths)
    except duckdb.Error:
        print(f"a run is writing {paths.warehouse} right now; try again when it is done")
        return 0
    if not facts:
        print(f"no quarters in {paths.raw_dir} and nothing loaded in {paths.warehouse}")
    for quarter, fact in facts.items():
        print(format_quarter(quarter, fact))
    for path in identifier_rejections(paths):
        print(
            f"REJECTED, holds identifiers: {paths.raw_dir / path} — remove it from the "
            "landing zone (the pipeline never changes raw/) and ask for a pseudonymised file"
        )
    return 0
