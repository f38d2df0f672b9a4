"""Writing checked submissions to the warehouse: raw.* rows and the audit trail.

One transaction per submission, so a crash leaves either all of a submission
(rows, audit line, supersession) or none of it; rows go in as Arrow tables in
one ``insert … select`` each, never row by row. The landing zone is only read.
"""

from __future__ import annotations

import datetime as dt

import duckdb
import pyarrow as pa

from werkmonitor.catalogue import raw_ddl, submission_format
from werkmonitor.loader.messages import IDENTIFIER_RULES
from werkmonitor.loader.result import CheckResult

AUDIT_DDL = """
create schema if not exists audit;
create table if not exists audit.submissions (
    submission_id varchar, file_path varchar, file_format varchar,
    organisation_code varchar, quarter varchar, content_hash varchar,
    first_loaded_at timestamp, load_order bigint, status varchar,
    rows_accepted integer, rows_quarantined integer, rejection_reason varchar,
    superseded_by varchar
);
create table if not exists audit.rejections (
    submission_id varchar, sheet varchar, source_row integer, column_name varchar,
    rule_code varchar, message varchar
);
create table if not exists audit.quarantined_rows (
    submission_id varchar, sheet varchar, source_row integer, traject_id varchar,
    column_name varchar, value varchar, rule_code varchar, message varchar
);
"""

_INSERT_SUBMISSION = (
    "insert into audit.submissions values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, null)"
)


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create the ``raw`` (from the catalogue) and ``audit`` tables if missing (idempotent)."""
    con.execute(raw_ddl() + AUDIT_DDL)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)


def _insert(con, target: str, table: pa.Table, sid: str) -> None:
    con.register("_rows", table)
    cols = ", ".join(table.column_names)
    con.execute(f"insert into {target} (submission_id, {cols}) select ?, {cols} from _rows", [sid])
    con.unregister("_rows")


def _problem_table(problems, with_values: bool) -> pa.Table:
    columns = {
        "sheet": pa.array([p.sheet for p in problems], pa.string()),
        "source_row": pa.array([p.source_row for p in problems], pa.int32()),
    }
    if with_values:
        columns["traject_id"] = pa.array([p.traject_id for p in problems], pa.string())
    columns["column_name"] = pa.array([p.column for p in problems], pa.string())
    if with_values:
        columns["value"] = pa.array([p.value for p in problems], pa.string())
    columns["rule_code"] = pa.array([p.rule_code for p in problems], pa.string())
    columns["message"] = pa.array([p.message for p in problems], pa.string())
    return pa.table(columns)


def store_duplicate(
    con, sid: str, rel: str, fmt: str, org, q: str, digest: str, load_order: int, original: str
) -> None:
    """A copy of earlier content: logged, changes nothing. A copy of a rejected file keeps
    the original's reasons, so a copy holding identifiers is listed like the original."""
    reason = con.execute(
        "select rejection_reason from audit.submissions where submission_id = ?", [original]
    ).fetchone()[0]
    con.execute(
        _INSERT_SUBMISSION,
        [sid, rel, fmt, org, q, digest, _now(), load_order, "duplicate", 0, 0, reason],
    )
    con.execute(
        "insert into audit.rejections select ?, sheet, source_row, column_name, rule_code, message"
        " from audit.rejections where submission_id = ?",
        [sid, original],
    )


def store_checked(
    con, result: CheckResult, sid: str, rel: str, q: str, digest: str, load_order: int
) -> list[str]:
    """Write one checked submission in one transaction; returns the ids it supersedes."""
    org = result.organisation_code
    con.execute("begin transaction")
    try:
        rejected = result.is_rejected
        con.execute(_INSERT_SUBMISSION, [
            sid, rel, result.file_format, org, q, digest, _now(), load_order,
            "rejected" if rejected else "accepted",
            0 if rejected else result.rows_accepted,
            0 if rejected else result.rows_quarantined,
            "\n".join(p.message for p in result.rejections) if rejected else None,
        ])
        if rejected:
            _insert(con, "audit.rejections", _problem_table(result.rejections, False), sid)
            replaced = []
        else:
            for name in submission_format().sheets:
                _insert(con, f"raw.{name}", getattr(result, name), sid)
            if result.quarantined:
                _insert(
                    con, "audit.quarantined_rows", _problem_table(result.quarantined, True), sid
                )
            replaced = [
                r[0]
                for r in con.execute(
                    "update audit.submissions set status = 'superseded', superseded_by = ? "
                    "where organisation_code = ? and quarter = ? and status = 'accepted' "
                    "and submission_id <> ? returning submission_id",
                    [sid, org, q, sid],
                ).fetchall()
            ]
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    return replaced


def files_with_identifiers(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str, str]]:
    """(quarter, file_path, status) of every file rejected for identifiers, or a copy of one.

    Such a file stays in raw/ until the operator removes it (the pipeline never
    changes raw/); ``werkmonitor status`` lists these paths.
    """
    codes = ", ".join(f"'{c}'" for c in IDENTIFIER_RULES)
    return con.execute(
        "select distinct s.quarter, s.file_path, s.status from audit.submissions s"
        " semi join audit.rejections r on r.submission_id = s.submission_id"
        f" and r.rule_code in ({codes}) order by 1, 2"
    ).fetchall()
