"""The pandas frames the suites run on, read from the warehouse read-only.

GX's SQL datasource over duckdb-engine returns no rows (GX issue #11579), so
each table is read for one quarter with DuckDB and handed to GX's pandas
datasource. Cross-table and aggregate rules (jobs pointing to a known
trajectory, national totals against the sum over organisations, coverage)
are turned into derived columns or derived frames here; the rule itself stays
in the suite file. Everything is read in one read-only connection that is
closed before anything is written, because DuckDB allows one writer or many
readers per file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from werkmonitor import reference
from werkmonitor.quality.frame_sql import sql_frames
from werkmonitor.quality.register import (
    Register,
    add_register_counts,
    coverage_frame,
    register_for,
)
from werkmonitor.quarters import Quarter

CHECKED_TABLES = (
    "raw.trajecten",
    "raw.banen",
    "raw.organisatie",
    "audit.submissions",
    "audit.quarantined_rows",
    "marts.fct_trajectory_quarters",
    "marts.fct_jobs",
    "marts.quarterly_indicators",
    "marts.region_completeness",
)


# Frames a suite may name in meta.frame: the SQL frames below plus the two
# built in Python (schema from information_schema, coverage from the register).
FRAME_NAMES = (
    "schema",
    "coverage",
    "raw_trajecten",
    "raw_banen",
    "raw_organisatie",
    "audit_submissions",
    "audit_quarantined_rows",
    "fct_trajectory_quarters",
    "fct_jobs",
    "quarterly_indicators",
    "indicator_totals",
    "region_completeness",
    "region_drop",
)


@dataclass
class QuarterData:
    quarter: str
    frames: dict[str, pd.DataFrame] = field(default_factory=dict)
    frame_errors: dict[str, str] = field(default_factory=dict)
    submissions: pd.DataFrame | None = None
    quarantined: pd.DataFrame | None = None
    rejections: pd.DataFrame | None = None
    register: Register | None = None
    delivered: list[str] = field(default_factory=list)


def _tables(con: duckdb.DuckDBPyConnection) -> set[str]:
    rows = con.execute(
        "select table_schema || '.' || table_name from information_schema.tables"
    ).fetchall()
    return {row[0] for row in rows}


def _schema_frame(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return con.execute(
        """
        select table_schema || '.' || table_name as table_name, column_name,
               upper(data_type) as data_type,
               column_name || ' ' || upper(data_type) as column_type
        from information_schema.columns
        where list_contains($tables, table_schema || '.' || table_name)
        order by table_name, ordinal_position
        """,
        {"tables": list(CHECKED_TABLES)},
    ).df()


def read_quarter(
    warehouse: Path,
    quarter: Quarter,
    seeds_dir: Path,
    count_indicators: list[str],
    region_drop_min_previous: int = 0,
) -> QuarterData:
    """Read every frame for one quarter in one read-only connection."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return read_quarter_from(
            con, quarter, seeds_dir, count_indicators, region_drop_min_previous
        )
    finally:
        con.close()


def read_quarter_from(
    con: duckdb.DuckDBPyConnection,
    quarter: Quarter,
    seeds_dir: Path,
    count_indicators: list[str],
    region_drop_min_previous: int = 0,
) -> QuarterData:
    """Read every frame for one quarter through an open (read-only) connection.

    Split from ``read_quarter`` so a run over many quarters opens the file once.
    """
    data = QuarterData(quarter=str(quarter))
    data.register = register_for(quarter, seeds_dir)
    regions_seed = pd.DataFrame(
        {
            "region_code": list(reference.regions(seeds_dir)),
            "region_name": list(reference.regions(seeds_dir).values()),
        }
    )
    con.register("regions_seed", regions_seed)
    try:
        tables = _tables(con)
        data.frames["schema"] = _schema_frame(con)
        for name, (sql, params) in sql_frames(quarter, count_indicators).items():
            if name == "region_drop":
                params = {**params, "min_prev": region_drop_min_previous}
            used = {p for p in params if f"${p}" in sql}
            try:
                data.frames[name] = con.execute(sql, {k: params[k] for k in used}).df()
            except duckdb.Error as exc:
                missing = [t for t in CHECKED_TABLES if t.split(".")[1] in sql and t not in tables]
                reason = (
                    f"tabel ontbreekt: {', '.join(missing)}"
                    if missing
                    else f"kon niet gelezen worden: {exc}"
                )
                data.frame_errors[name] = reason
        if "audit.submissions" in tables:
            data.submissions = con.execute(
                "select * from audit.submissions where quarter = $q order by load_order",
                {"q": str(quarter)},
            ).df()
            data.delivered = sorted(
                set(
                    data.submissions.loc[
                        data.submissions["status"] == "accepted", "organisation_code"
                    ].dropna()
                )
            )
        if "audit.quarantined_rows" in tables and "audit.submissions" in tables:
            data.quarantined = con.execute(
                """
                select r.*, s.organisation_code, s.file_path
                from audit.quarantined_rows r join audit.submissions s using (submission_id)
                where s.quarter = $q
                order by s.organisation_code, r.submission_id, r.sheet, r.source_row
                """,
                {"q": str(quarter)},
            ).df()
        if "audit.rejections" in tables and "audit.submissions" in tables:
            data.rejections = con.execute(
                """
                select r.*, s.organisation_code
                from audit.rejections r join audit.submissions s using (submission_id)
                where s.quarter = $q
                """,
                {"q": str(quarter)},
            ).df()
    finally:
        con.unregister("regions_seed")
    data.frames["coverage"] = coverage_frame(data.register, data.delivered)
    add_register_counts(data)
    if data.submissions is None:
        data.frame_errors["coverage"] = "tabel ontbreekt: audit.submissions"
    data.frames = {name: frame.reset_index(drop=True) for name, frame in data.frames.items()}
    return data
