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
import pyarrow as pa

from werkmonitor import reference
from werkmonitor.quality.frame_sql import RUN_QUARTER, sql_frames
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
    "schema", "coverage", "raw_trajecten", "raw_banen", "raw_organisatie",
    "audit_submissions", "audit_quarantined_rows", "fct_trajectory_quarters", "fct_jobs",
    "quarterly_indicators", "indicator_totals", "region_completeness", "region_drop",
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
        return read_quarters_from(con, [quarter], seeds_dir, count_indicators,
                                  region_drop_min_previous)[0]
    finally:
        con.close()


def _run_quarters(quarters: list[Quarter]) -> pd.DataFrame:
    return pd.DataFrame({
        "quarter": [str(q) for q in quarters],
        "quarter_start": [q.start.isoformat() for q in quarters],
        "quarter_end": [q.end.isoformat() for q in quarters],
        "previous_quarter": [str(q.previous()) for q in quarters],
        "run_order": list(range(len(quarters))),
    })


def _per_quarter(frame: pd.DataFrame, quarters: list[str]) -> dict[str, pd.DataFrame]:
    """Split a run's frame on ``RUN_QUARTER``, keeping the order of the rows within a quarter.

    Each part gets a fresh ``RangeIndex`` (the row numbers GX reports). A run of
    one quarter keeps the frame itself, without the column: at scale 100 a split
    copy of the trajectory mart is ~450 MB for nothing.
    """
    if len(quarters) == 1:
        del frame[RUN_QUARTER]
        frame.index = pd.RangeIndex(len(frame))
        return {quarters[0]: frame}
    groups = frame.groupby(RUN_QUARTER, sort=False, observed=True).indices
    rest = frame.drop(columns=RUN_QUARTER)
    parts = {q: rest.take(groups[q]) if q in groups else rest.iloc[0:0] for q in quarters}
    return {q: part.reset_index(drop=True) for q, part in parts.items()}


# Frames read through Arrow with their text columns as pandas categoricals: the
# indicator mart has ~31 000 rows a quarter of a dozen short codes, and turning
# those into Python strings is most of reading it. Only frames of text, floating
# point and integer columns qualify (integers as pandas' nullable integers, as
# DuckDB gives them when they hold NULLs); any other column type reads as usual.
CATEGORICAL_FRAMES = ("quarterly_indicators",)
INTEGERS = {pa.int8(): pd.Int8Dtype(), pa.int16(): pd.Int16Dtype(), pa.int32(): pd.Int32Dtype(),
            pa.int64(): pd.Int64Dtype()}


def _read(con, sql: str, params: dict, categorical: bool = False) -> pd.DataFrame:
    used = {p for p in params if f"${p}" in sql}
    result = con.execute(sql, {k: params[k] for k in used})
    if not categorical:
        return result.df()
    table = result.to_arrow_table()
    if all(pa.types.is_string(f.type) or pa.types.is_floating(f.type) or f.type in INTEGERS
           for f in table.schema):
        return table.to_pandas(strings_to_categorical=True, types_mapper=INTEGERS.get)
    return con.execute(sql, {k: params[k] for k in used}).df()


def read_quarters_from(
    con: duckdb.DuckDBPyConnection,
    quarters: list[Quarter],
    seeds_dir: Path,
    count_indicators: list[str],
    region_drop_min_previous: int = 0,
    indicator_kinds: dict[str, str] | None = None,
) -> list[QuarterData]:
    """Read every frame for all quarters of a run through one open (read-only) connection.

    One query per frame for the whole run (``frame_sql``), split per quarter
    here; the schema frame does not depend on the quarter and is read once.
    """
    with RunFrames(con, quarters, seeds_dir, count_indicators, region_drop_min_previous,
                   indicator_kinds) as source:
        for name in source.sql:
            source.load(name)
        return source.datas


# Frames the gate run still reads after their suite ran (``gates._completeness_note``).
KEPT_AFTER_SUITE = ("region_completeness",)


class RunFrames:
    """A run's frames, each read when the first suite on it runs and released after it.

    Holding every frame of a run at once is what made the quality stage the
    memory peak of a scale-100 run (~1.4 GB above the process, most of it the
    two trajectory frames); one frame at a time holds only the largest. The
    audit rows the feedback needs, the schema and the coverage are read at
    once (small). The connection stays open, read-only, until ``close``.
    """

    def __init__(self, con: duckdb.DuckDBPyConnection, quarters: list[Quarter], seeds_dir: Path,
                 count_indicators: list[str], region_drop_min_previous: int = 0,
                 indicator_kinds: dict[str, str] | None = None) -> None:
        self.con, self.kinds = con, indicator_kinds
        self.names = [str(q) for q in quarters]
        self.by_name = {name: QuarterData(quarter=name, register=register_for(q, seeds_dir))
                        for name, q in zip(self.names, quarters, strict=True)}
        self.datas = [self.by_name[name] for name in self.names]
        self.sql = sql_frames(count_indicators)
        self.base = {"quarters": self.names, "min_prev": region_drop_min_previous}
        regions = reference.regions(seeds_dir)
        con.register("regions_seed", pd.DataFrame(
            {"region_code": list(regions), "region_name": list(regions.values())}))
        con.register("run_quarters", _run_quarters(quarters))
        try:
            self.tables = _tables(con)
            schema = _schema_frame(con)
            _read_feedback_tables(con, self.tables, self.names, self.by_name)
        except BaseException:
            self.close()
            raise
        for data in self.datas:
            data.frames["schema"] = schema
            data.frames["coverage"] = coverage_frame(data.register, data.delivered)
            if data.submissions is None:
                data.frame_errors["coverage"] = "tabel ontbreekt: audit.submissions"

    def __enter__(self) -> RunFrames:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self.con.unregister("regions_seed")
        self.con.unregister("run_quarters")

    def load(self, name: str) -> None:
        """Read frame ``name`` for every quarter of the run, unless read or not a SQL frame."""
        if name not in self.sql or any(
                name in d.frames or name in d.frame_errors for d in self.datas):
            return
        sql, params = self.sql[name]
        try:
            frame = _read(self.con, sql, {**self.base, **params}, name in CATEGORICAL_FRAMES)
        except duckdb.Error as exc:
            missing = [t for t in CHECKED_TABLES
                       if t.split(".")[1] in sql and t not in self.tables]
            reason = (f"tabel ontbreekt: {', '.join(missing)}" if missing
                      else f"kon niet gelezen worden: {exc}")
            for data in self.datas:
                data.frame_errors[name] = reason
            return
        for q, part in _per_quarter(frame, self.names).items():
            data = self.by_name[q]
            data.frames[name] = part
            if name == "region_completeness":
                add_register_counts(data)
            elif name == "quarterly_indicators" and self.kinds is not None and (
                    "indicator" in part.columns):
                part["indicator_kind"] = part["indicator"].map(self.kinds)

    def release(self, name: str) -> None:
        """Drop frame ``name`` once its suite ran, unless the run reads it later."""
        if name in self.sql and name not in KEPT_AFTER_SUITE:
            for data in self.datas:
                data.frames.pop(name, None)


FEEDBACK_SQL = {
    "submissions": ({"audit.submissions"}, f"""
        select *, quarter as {RUN_QUARTER} from audit.submissions
        where list_contains($quarters, quarter) order by quarter, load_order
        """),
    "quarantined": ({"audit.submissions", "audit.quarantined_rows"}, f"""
        select r.*, s.organisation_code, s.file_path, s.quarter as {RUN_QUARTER}
        from audit.quarantined_rows r join audit.submissions s using (submission_id)
        where list_contains($quarters, s.quarter)
        order by s.quarter, s.organisation_code, r.submission_id, r.sheet, r.source_row
        """),
    "rejections": ({"audit.submissions", "audit.rejections"}, f"""
        select r.*, s.organisation_code, s.quarter as {RUN_QUARTER}
        from audit.rejections r join audit.submissions s using (submission_id)
        where list_contains($quarters, s.quarter)
        order by s.quarter, r.rowid
        """),
}


def _read_feedback_tables(con, tables: set[str], names: list[str],
                          datas: dict[str, QuarterData]) -> None:
    """The audit rows the feedback files show, for every quarter of the run at once."""
    for attribute, (needs, sql) in FEEDBACK_SQL.items():
        if not needs <= tables:
            continue
        frame = _read(con, sql, {"quarters": names})
        for q, part in _per_quarter(frame, names).items():
            setattr(datas[q], attribute, part.reset_index(drop=True))
    for data in datas.values():
        if data.submissions is not None:
            data.delivered = sorted(set(data.submissions.loc[
                data.submissions["status"] == "accepted", "organisation_code"].dropna()))
