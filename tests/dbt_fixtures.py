"""Hand-made warehouses for the dbt tests.

The loader is not needed to test the models: these helpers create the
``raw.*`` and ``audit.*`` tables with the loader's own DDL (``raw.*``
from the submission format, ``werkmonitor.catalogue.raw_ddl``) and insert
rows written by hand, then run dbt against that file. Rows are dicts;
missing keys become null, so a test only spells out what matters to it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest

from werkmonitor.config import DBT_PROJECT_DIR
from werkmonitor.loader.store import ensure_schema
from werkmonitor.quarters import Quarter

TRAJECTORY_DEFAULTS = {
    "arbeidsmarktregio": "AM18",
    "trajecttype": "IPS",
    "financiering": "UWV",
    "opleiding": False,
    "proefplaatsing": False,
    "vrijwilligerswerk": False,
    "dagbesteding": False,
    "is_quarantined": False,
}
JOB_DEFAULTS = {
    "baan_nr": 1,
    "uren_per_week": 20.0,
    "contractsoort": "LOONDIENST",
    "is_quarantined": False,
}


def d(text: str) -> date:
    return date.fromisoformat(text)


@dataclass
class Submission:
    """One submission: its audit row, organisatie row, trajectories and jobs."""

    organisation_code: str
    quarter: str
    trajectories: list[dict] = field(default_factory=list)
    jobs: list[dict] = field(default_factory=list)
    fte: float | None = 2.0
    status: str = "accepted"
    version: str = "a"

    @property
    def submission_id(self) -> str:
        return f"{self.organisation_code}_{self.quarter}_{self.version:0>12}"


def create_raw_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Empty ``raw.*`` and ``audit.*`` tables as the loader creates them."""
    con.execute("drop schema if exists raw cascade")
    con.execute("drop schema if exists audit cascade")
    ensure_schema(con)


def table_columns(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    schema, name = table.split(".")
    return [row[0] for row in con.execute(
        "select column_name from information_schema.columns"
        " where table_schema = ? and table_name = ? order by ordinal_position",
        [schema, name],
    ).fetchall()]


def insert_rows(con: duckdb.DuckDBPyConnection, table: str, rows: list[dict]) -> None:
    """Insert dicts into a loader table; unknown keys are an error (typos)."""
    names = table_columns(con, table)
    for row in rows:
        unknown = set(row) - set(names)
        if unknown:
            raise KeyError(f"{table}: unknown columns {sorted(unknown)}")
    if not rows:
        return
    placeholders = ", ".join("?" for _ in names)
    con.executemany(
        f"insert into {table} ({', '.join(names)}) values ({placeholders})",
        [[row.get(name) for name in names] for row in rows],
    )


def write_submissions(warehouse: Path, submissions: list[Submission]) -> None:
    """(Re)create the loader's tables in ``warehouse`` holding ``submissions``."""
    con = duckdb.connect(str(warehouse))
    try:
        create_raw_tables(con)
        audit, organisatie, trajecten, banen = [], [], [], []
        for order, sub in enumerate(submissions, start=1):
            audit.append(
                {
                    "submission_id": sub.submission_id,
                    "file_path": f"{sub.quarter}/{sub.organisation_code}_{sub.quarter}.xlsx",
                    "file_format": "xlsx",
                    "organisation_code": sub.organisation_code,
                    "quarter": sub.quarter,
                    "content_hash": f"{order:064x}",
                    "first_loaded_at": datetime(2025, 1, 1, 12, 0, order % 60),
                    "load_order": order,
                    "status": sub.status,
                    "rows_accepted": len(sub.trajectories) + len(sub.jobs),
                    "rows_quarantined": 0,
                }
            )
            if sub.status in ("rejected", "duplicate"):
                continue
            organisatie.append(
                {
                    "submission_id": sub.submission_id,
                    "source_row": 2,
                    "organisatie_code": sub.organisation_code,
                    "kwartaal": sub.quarter,
                    "fte_trajectbegeleiding": sub.fte,
                }
            )
            for row_number, row in enumerate(sub.trajectories, start=2):
                trajecten.append(
                    {**TRAJECTORY_DEFAULTS, "source_row": row_number, **row,
                     "submission_id": sub.submission_id}
                )
            for row_number, row in enumerate(sub.jobs, start=2):
                banen.append(
                    {**JOB_DEFAULTS, "source_row": row_number, **row,
                     "submission_id": sub.submission_id}
                )
        insert_rows(con, "audit.submissions", audit)
        insert_rows(con, "raw.organisatie", organisatie)
        insert_rows(con, "raw.trajecten", trajecten)
        insert_rows(con, "raw.banen", banen)
    finally:
        con.close()


def run_dbt(
    warehouse: Path,
    target_path: Path,
    *args: str,
    quarter_from: str | None = None,
    quarter_to: str | None = None,
    project_dir: Path = DBT_PROJECT_DIR,
) -> float:
    """Run the dbt CLI against ``warehouse``; returns seconds taken, raises on failure.

    ``project_dir``: another copy of the project (its profiles in
    ``dbt_project/`` there), e.g. one with a changed catalogue.

    The same command line in this process (``dbt_inprocess``: dbtRunner, the
    project parsed once per worker, dbt-duckdb's open database closed after
    each call): a subprocess paid ≈10 CPU s of start-up and full parse per call.
    """
    from dbt_inprocess import run_dbt as run_in_process

    return run_in_process(warehouse, target_path, *args, quarter_from=quarter_from,
                          quarter_to=quarter_to, project_dir=project_dir)


def query(warehouse: Path, sql: str, params: list | None = None) -> list[tuple]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def quarter_dates(quarter: str) -> tuple[date, date]:
    parsed = Quarter.parse(quarter)
    return parsed.start, parsed.end


@pytest.fixture(scope="session")
def dbt_warehouse(tmp_path_factory):
    """The hand-made data set of dbt_dataset.py, built once per run by ``dbt build``.

    Shared by the dbt test modules (each binds it to a module name, so pytest
    sees one fixture per module) and by both xdist workers: ``shared_build``
    builds it once per run behind a file lock. Tests must not write to it.
    """
    from dbt_dataset import base_submissions
    from shared_build import shared_dir

    def build(base: Path) -> None:
        write_submissions(base / "werkmonitor.duckdb", base_submissions())
        # as the pipeline builds: unit tests run on their own (tests/test_dbt_unit.py)
        seconds = run_dbt(base / "werkmonitor.duckdb", base / "target", "build",
                          "--exclude-resource-type", "unit_test")
        print(f"dbt build of the small data set: {seconds:.1f} s")

    return shared_dir(tmp_path_factory, "dbt-indicators", "base_submissions", build) / (
        "werkmonitor.duckdb")
