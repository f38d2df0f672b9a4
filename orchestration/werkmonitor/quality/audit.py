"""The verdict of each run, kept in the warehouse next to the submission log.

Opened only after every read-only connection is closed: DuckDB allows one
writer or many readers per file. Runs are appended, never replaced, so the
history of a quarter's verdicts stays auditable.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import duckdb

from werkmonitor.quality.results import GateRun

DDL = """
create schema if not exists audit;
create table if not exists audit.quality_gate_runs (
    quarter varchar,
    run_at timestamp,
    passed boolean,
    blocking_failures integer,
    warnings integer,
    summary varchar
);
create table if not exists audit.quality_gate_results (
    quarter varchar,
    run_at timestamp,
    gate varchar,
    target_table varchar,
    severity varchar,
    success boolean,
    unexpected_count bigint,
    message varchar
);
"""


def write_audits(warehouse: Path, runs: list[tuple[GateRun, datetime]]) -> None:
    """Append the verdicts of several quarters in one write connection and transaction."""
    con = duckdb.connect(str(warehouse))
    try:
        con.execute(DDL)
        con.execute("begin")
        for run, run_at in runs:
            con.execute(
                "insert into audit.quality_gate_runs values (?, ?, ?, ?, ?, ?)",
                [run.quarter, run_at, run.passed, run.blocking_failures,
                 run.warnings, run.format()],
            )
            if run.results:
                con.executemany(
                    "insert into audit.quality_gate_results values (?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        [run.quarter, run_at, r.name, r.target, r.severity, r.success,
                         r.unexpected_count, r.message]
                        for r in run.results
                    ],
                )
        con.execute("commit")
    finally:
        con.close()
