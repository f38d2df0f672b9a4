"""Writing checked submissions to the warehouse: raw.* rows and the audit trail.

One transaction per submission, so a crash leaves either all of a submission
(rows, audit line, supersession) or none of it; data rows go in as pyarrow
tables, never row by row. The landing zone is only read.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa

from werkmonitor import reference
from werkmonitor.catalogue import raw_ddl
from werkmonitor.loader.checks import NAME_RE, CheckResult, check_submission
from werkmonitor.loader.read import content_hash
from werkmonitor.quarters import Quarter

log = logging.getLogger("werkmonitor.loader")

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


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(raw_ddl() + AUDIT_DDL)


@dataclass
class LoadSummary:
    quarter: str
    accepted: int = 0
    rejected: int = 0
    duplicate: int = 0
    superseded: int = 0
    unchanged: int = 0
    rows_loaded: int = 0
    rows_quarantined: int = 0
    lines: list[str] = field(default_factory=list)

    @property
    def new_submissions(self) -> int:
        return self.accepted + self.rejected + self.duplicate

    def format(self) -> str:
        head = (
            f"{self.quarter}: {self.accepted} accepted, {self.rejected} rejected, "
            f"{self.duplicate} duplicate, {self.superseded} superseded, "
            f"{self.unchanged} unchanged; {self.rows_loaded} rows loaded, "
            f"{self.rows_quarantined} quarantined"
        )
        return "\n".join([head, *(f"  {line}" for line in self.lines)])


def _candidates(quarter_dir: Path) -> list[Path]:
    """Everything in the quarter folder a person put there (not hidden or Excel lock files)."""
    if not quarter_dir.is_dir():
        return []
    return sorted(
        (p for p in quarter_dir.iterdir() if not p.name.startswith((".", "~$"))),
        key=lambda p: p.name,
    )


def load_quarter(
    quarter: str,
    raw_dir: Path,
    warehouse: Path,
    *,
    organisations: Mapping[str, reference.Organisation] | None = None,
    regions: Mapping[str, str] | None = None,
    today: dt.date | None = None,
) -> LoadSummary:
    q = str(Quarter.parse(quarter))
    raw_dir = Path(raw_dir)
    summary = LoadSummary(q)
    warehouse = Path(warehouse)
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(warehouse))
    try:
        ensure_schema(con)
        seen = set(con.execute("select file_path, content_hash from audit.submissions").fetchall())
        ids = {r[0] for r in con.execute("select submission_id from audit.submissions").fetchall()}
        last_order = con.execute(
            "select coalesce(max(load_order), 0) from audit.submissions"
        ).fetchone()[0]
        for path in _candidates(raw_dir / q):
            rel = f"{q}/{path.name}"
            digest = content_hash(path)
            if (rel, digest) in seen:
                summary.unchanged += 1
                continue
            last_order += 1
            load_order = last_order
            earlier = con.execute(
                "select submission_id from audit.submissions"
                " where quarter = ? and content_hash = ?"
                " and status in ('accepted', 'superseded', 'duplicate')"
                " order by load_order limit 1",
                [q, digest],
            ).fetchone()
            if earlier:
                _store_duplicate(con, summary, path, rel, q, digest, load_order, ids, earlier[0])
            else:
                result = check_submission(
                    path,
                    raw_dir,
                    organisations=organisations,
                    regions=regions,
                    today=today,
                    known_hash=digest,
                )
                _store_checked(con, summary, result, rel, q, digest, load_order, ids)
            seen.add((rel, digest))
    finally:
        con.close()
    log.info(summary.format().splitlines()[0])
    return summary


def _submission_id(org: str | None, quarter: str, digest: str, load_order: int, ids: set) -> str:
    base = f"{org or 'UNKNOWN'}_{quarter}_{digest[:12]}"
    sid = base if base not in ids else f"{base}_{load_order}"
    ids.add(sid)
    return sid


def _org_from_name(path: Path) -> str | None:
    stem = path.name if path.is_dir() else path.stem
    match = NAME_RE.match(stem)
    return match["org"].upper() if match else None


_INSERT_SUBMISSION = """
insert into audit.submissions values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, null)
"""


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)


def _store_duplicate(con, summary, path, rel, q, digest, load_order, ids, original) -> None:
    org = _org_from_name(path)
    fmt = "csv" if path.is_dir() else "xlsx"
    sid = _submission_id(org, q, digest, load_order, ids)
    con.execute(
        _INSERT_SUBMISSION,
        [sid, rel, fmt, org, q, digest, _now(), load_order, "duplicate", 0, 0, None],
    )
    summary.duplicate += 1
    summary.lines.append(f"{rel}: duplicate of {original}")
    log.info("%s: duplicate of %s", rel, original)


def _store_checked(
    con, summary: LoadSummary, result: CheckResult, rel, q, digest, load_order, ids
) -> None:
    sid = _submission_id(
        result.organisation_code if result.organisation_code else None, q, digest, load_order, ids
    )
    org = result.organisation_code
    con.execute("begin transaction")
    try:
        if result.is_rejected:
            reason = "\n".join(p.message for p in result.rejections)
            con.execute(
                _INSERT_SUBMISSION,
                [
                    sid,
                    rel,
                    result.file_format,
                    org,
                    q,
                    digest,
                    _now(),
                    load_order,
                    "rejected",
                    0,
                    0,
                    reason,
                ],
            )
            rejections = pa.table(
                {
                    "submission_id": pa.array([sid] * len(result.rejections), pa.string()),
                    "sheet": pa.array([p.sheet for p in result.rejections], pa.string()),
                    "source_row": pa.array([p.source_row for p in result.rejections], pa.int32()),
                    "column_name": pa.array([p.column for p in result.rejections], pa.string()),
                    "rule_code": pa.array([p.rule_code for p in result.rejections], pa.string()),
                    "message": pa.array([p.message for p in result.rejections], pa.string()),
                }
            )
            con.register("_rejections", rejections)
            con.execute("insert into audit.rejections select * from _rejections")
            con.unregister("_rejections")
            status_line = f"{rel}: rejected ({len(result.rejections)} reasons)"
            summary.rejected += 1
        else:
            accepted, quarantined = result.rows_accepted, result.rows_quarantined
            con.execute(
                _INSERT_SUBMISSION,
                [
                    sid,
                    rel,
                    result.file_format,
                    org,
                    q,
                    digest,
                    _now(),
                    load_order,
                    "accepted",
                    accepted,
                    quarantined,
                    None,
                ],
            )
            for name, table in (
                ("trajecten", result.trajecten),
                ("banen", result.banen),
                ("organisatie", result.organisatie),
            ):
                con.register("_rows", table)
                cols = ", ".join(table.column_names)
                con.execute(
                    f"insert into raw.{name} (submission_id, {cols}) select ?, {cols} from _rows",
                    [sid],
                )
                con.unregister("_rows")
            problems = result.quarantined
            qrows = pa.table(
                {
                    "submission_id": pa.array([sid] * len(problems), pa.string()),
                    "sheet": pa.array([p.sheet for p in problems], pa.string()),
                    "source_row": pa.array([p.source_row for p in problems], pa.int32()),
                    "traject_id": pa.array([p.traject_id for p in problems], pa.string()),
                    "column_name": pa.array([p.column for p in problems], pa.string()),
                    "value": pa.array([p.value for p in problems], pa.string()),
                    "rule_code": pa.array([p.rule_code for p in problems], pa.string()),
                    "message": pa.array([p.message for p in problems], pa.string()),
                }
            )
            if problems:
                con.register("_quarantine", qrows)
                con.execute("insert into audit.quarantined_rows select * from _quarantine")
                con.unregister("_quarantine")
            replaced = con.execute(
                "update audit.submissions set status = 'superseded', superseded_by = ? "
                "where organisation_code = ? and quarter = ? and status = 'accepted' "
                "and submission_id <> ? returning submission_id",
                [sid, org, q, sid],
            ).fetchall()
            summary.accepted += 1
            summary.superseded += len(replaced)
            summary.rows_loaded += accepted + quarantined
            summary.rows_quarantined += quarantined
            status_line = f"{rel}: accepted ({accepted} rows, {quarantined} quarantined)"
            if replaced:
                status_line += f"; supersedes {', '.join(r[0] for r in replaced)}"
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    summary.lines.append(status_line)
    log.info("%s", status_line)
