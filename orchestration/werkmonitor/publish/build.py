"""Build the published DuckDB file and swap it in atomically.

The file is built beside the old one under a temporary name, closed, fsynced
and moved over the old name with ``os.replace``: a reader that has the old
file open keeps reading the old inode, a new reader gets either the old or the
new file, never a half-written one, and a run killed at any moment leaves the
old file as it was (plus a temporary file the next run removes).
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import re
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from werkmonitor.publish.disclosure.archive import earlier_shown
from werkmonitor.publish.disclosure.gate import (
    DisclosureAuditError,
    PublishError,
    archive_publication,
    cohort_table,
    disclosure_metadata,
    public_indicators,
)
from werkmonitor.publish.disclosure.labels import KEY
from werkmonitor.publish.feeding import read_feeders
from werkmonitor.publish.policy import Policy, load_policy
from werkmonitor.publish.revisions import revisions_table
from werkmonitor.quarters import Quarter
from werkmonitor.reference import read_seed

PUBLISHED_NAME = "werkmonitor.duckdb"
TMP_PREFIX = ".werkmonitor.duckdb.building-"
LOCK_NAME = ".publish.lock"
# DuckDB 1.0 storage format: readable by every DuckDB 1.x driver a BI tool ships.
STORAGE_VERSION = "v1.0.0"
# Test hook: seconds to sleep after the first table is written, so a test can
# kill a run while the file is half-written.
PAUSE_ENV = "WERKMONITOR_PUBLISH_PAUSE_SECONDS"

# Columns that identify a trajectory, a job or a submission row never leave
# the working warehouse.
FORBIDDEN_COLUMN = re.compile(
    r"(^|_)(traject_id|trajectory_id|trajectory_quarter_id|baan_nr|job_nr|job_number"
    r"|submission_id|source_row|pseudonym\w*)$"
)

INDICATOR_VALUE_COLUMNS = [
    "numerator",
    "denominator",
    "value",
    "previous_numerator",
    "previous_denominator",
    "previous_value",
    "change_absolute",
    "change_relative",
    "change_percentage_points",
    "like_for_like_numerator",
    "like_for_like_denominator",
    "like_for_like_value",
    "like_for_like_previous_numerator",
    "like_for_like_previous_denominator",
    "like_for_like_previous_value",
    "like_for_like_organisations",
]
LABEL_SEEDS = {
    "financing": ("financing_types", "financing_label_nl"),
    "ips_scheme": ("ips_schemes", "ips_scheme_label_nl"),
    "ips_phase": ("ips_phases", "ips_phase_label_nl"),
    "trajectory_type": ("trajectory_types", "trajectory_type_label_nl"),
    "indicator": ("indicators", "indicator_label_nl"),
}
COMPLETENESS_COLUMNS = [
    "quarter",
    "region_code",
    "region_name",
    "status",
    "mark",
    "organisations_expected",
    "organisations_delivered",
    "missing_organisations",
]
STATUS_LABELS = {
    "complete": "Volledig",
    "incomplete": "Onvolledig",
    "no_data": "Geen gegevens",
    "no_provider": "Geen aanbieder",
}
AMBITION_COLUMNS = [
    "year",
    "quarter",
    "region_code",
    "region_name",
    "division_code",
    "yearly_target",
    "started_year_to_date",
    "share_of_target",
]


__all__ = ["DisclosureAuditError", "PublishError", "PublishResult", "publish"]


@dataclass
class PublishResult:
    path: Path
    publication_id: str
    published_at: datetime
    quarters: list[str]
    tables: dict[str, int]
    suppressed_cells: int
    duration_seconds: float
    republished_quarters: list[str] = field(default_factory=list)
    carried_quarters: list[str] = field(default_factory=list)
    skipped_quarters: dict[str, str] = field(default_factory=dict)
    suppressed_by_reason: dict[str, int] = field(default_factory=dict)
    gate_table_present: bool = True
    metadata: dict = field(default_factory=dict)
    changed_quarters: list[str] = field(default_factory=list)


def _table_exists(con: duckdb.DuckDBPyConnection, catalog: str, schema: str, table: str) -> bool:
    return bool(
        con.execute(
            "select count(*) from duckdb_tables() where database_name = ? and schema_name = ? "
            "and table_name = ?",
            [catalog, schema, table],
        ).fetchone()[0]
    )


def _gate_status(con: duckdb.DuckDBPyConnection) -> dict[str, bool] | None:
    """Quarter → did its latest gate run pass; None when the gates never wrote the table."""
    if not _table_exists(con, "wh", "audit", "quality_gate_runs"):
        return None
    rows = con.execute(
        "select quarter, passed from ("
        " select quarter, passed, row_number() over (partition by quarter order by run_at desc)"
        " as rn from wh.audit.quality_gate_runs) where rn = 1"
    ).fetchall()
    return {str(q): bool(p) for q, p in rows}


def _add_labels(frame: pd.DataFrame) -> pd.DataFrame:
    """Dutch labels next to every code, from the seeds where the mart lacks them."""
    for code_col, (seed, label_col) in LABEL_SEEDS.items():
        if label_col in frame.columns and frame[label_col].notna().any():
            continue
        labels = {row[next(iter(row))]: row["label_nl"] for row in read_seed(seed)}
        labels.setdefault("ALL", "Totaal" if code_col != "trajectory_type" else "Alle trajecten")
        frame[label_col] = frame[code_col].map(labels)
    for code_col in ("financing", "ips_scheme", "ips_phase"):
        label_col = LABEL_SEEDS[code_col][1]
        frame[label_col] = frame[label_col].where(frame[code_col] != "ALL", "Totaal")
    return frame


def _indicator_columns(frame: pd.DataFrame) -> list[str]:
    labels = [c for c in frame.columns if c.endswith("_label_nl")]
    names = [c for c in ("region_name", "organisation_name") if c in frame.columns]
    values = [c for c in INDICATOR_VALUE_COLUMNS if c in frame.columns]
    kind = ["indicator_kind"] if "indicator_kind" in frame.columns else []
    return [*KEY, *kind, *labels, *names, *values]


def _suppress_ambition(
    ambition: pd.DataFrame, hidden_started: set[tuple[str, str]], policy: Policy
) -> pd.DataFrame:
    """Year-to-date started per region, protected against differencing.

    ytd(Q) − ytd(Q−1) is the region's started count for Q, so once a quarter's
    regional started cell is hidden, that quarter's and every later year-to-date
    figure of the year is hidden too; a year-to-date count below min_count is
    hidden as a small count.
    """
    ambition = ambition.sort_values(["region_code", "year", "quarter"]).reset_index(drop=True)
    hidden = np.zeros(len(ambition), bool)
    reason: list[str | None] = [None] * len(ambition)
    for _, idx in ambition.groupby(["region_code", "year"]).groups.items():
        tripped = False
        for i in sorted(idx, key=lambda j: ambition.at[j, "quarter"]):
            ytd = ambition.at[i, "started_year_to_date"]
            if (ambition.at[i, "quarter"], ambition.at[i, "region_code"]) in hidden_started:
                tripped = True
            if tripped:
                hidden[i], reason[i] = True, "secondary"
            if policy.is_small_count(None if pd.isna(ytd) else float(ytd)):
                hidden[i], reason[i] = True, "small_count"
    ambition["is_suppressed"] = hidden
    ambition["suppression_reason"] = pd.array(reason, dtype="string")
    ambition["display_value"] = pd.array(
        [
            (policy.small_count_label if r == "small_count" else policy.withheld_label)
            if h
            else (None if pd.isna(v) else f"{int(v):,}".replace(",", "."))
            for h, r, v in zip(hidden, reason, ambition["started_year_to_date"], strict=True)
        ],
        dtype="string",
    )
    ambition.loc[hidden, ["started_year_to_date", "share_of_target"]] = np.nan
    return ambition


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextlib.contextmanager
def _publish_lock(publish_dir: Path):
    """One publish at a time per directory, so cleaning temp files is safe."""
    with open(publish_dir / LOCK_NAME, "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _remove_stale(publish_dir: Path) -> None:
    for stale in publish_dir.glob(TMP_PREFIX + "*"):
        stale.unlink(missing_ok=True)


def _read_previous(final: Path) -> tuple[dict[str, pd.DataFrame], set[str]]:
    """Tables of the currently published file (for carrying quarters over)."""
    if not final.exists():
        return {}, set()
    try:
        con = duckdb.connect(str(final), read_only=True)
    except duckdb.Error as exc:  # never drop published quarters silently
        raise PublishError(
            f"cannot open the published file {final} to carry its quarters over: {exc}; "
            "move it away to publish from scratch"
        ) from exc
    try:
        names = [r[0] for r in con.execute("select table_name from duckdb_tables()").fetchall()]
        tables = {name: con.execute(f'select * from "{name}"').df() for name in names}
    finally:
        con.close()
    quarters = set(tables["publication"]["quarter"]) if "publication" in tables else set()
    return tables, quarters


def publish(
    warehouse: Path,
    publish_dir: Path,
    quarters: list[str] | None = None,
    policy_path: Path | None = None,
) -> PublishResult:
    """(Re)publish ``quarters`` (default: every quarter in the marts) from the
    working warehouse; quarters published before and not republished now are
    carried over from the previous file unchanged.

    A quarter is republished only when its latest quality-gate run passed
    (``audit.quality_gate_runs``; when that table does not exist every quarter
    counts as passed). A quarter that fails keeps its last published version.
    """
    started = time.monotonic()
    warehouse, publish_dir = Path(warehouse), Path(publish_dir)
    policy = load_policy(policy_path)
    if not warehouse.exists():
        raise PublishError(f"working warehouse not found: {warehouse}")
    publish_dir.mkdir(parents=True, exist_ok=True)
    final = publish_dir / PUBLISHED_NAME
    requested = [str(Quarter.parse(q)) for q in quarters] if quarters else None

    with _publish_lock(publish_dir):
        _remove_stale(publish_dir)
        previous, previous_quarters = _read_previous(final)

        con = duckdb.connect()
        try:
            con.execute(f"attach '{_sql_str(warehouse)}' as wh (read_only)")
            if not _table_exists(con, "wh", "marts", "quarterly_indicators"):
                raise PublishError(f"{warehouse}: marts.quarterly_indicators does not exist")
            available = {
                r[0]
                for r in con.execute(
                    "select distinct quarter from wh.marts.quarterly_indicators"
                ).fetchall()
            }
            gates = _gate_status(con)
            skipped: dict[str, str] = {}
            to_publish = []
            for quarter in sorted(requested or available, key=Quarter.parse):
                if quarter not in available:
                    skipped[quarter] = "not in marts.quarterly_indicators"
                elif gates is not None and quarter not in gates:
                    skipped[quarter] = "no quality-gate run"
                elif gates is not None and not gates[quarter]:
                    skipped[quarter] = "latest quality-gate run failed"
                else:
                    to_publish.append(quarter)
            carried = sorted(previous_quarters - set(to_publish), key=Quarter.parse)
            if not to_publish and not carried:
                raise PublishError(
                    "nothing to publish: "
                    + (", ".join(f"{q}: {r}" for q, r in skipped.items()) or "no quarters")
                )
            submissions = _submissions(con, to_publish)
            earlier = earlier_shown(
                publish_dir, to_publish, previous, submissions, _feeders(con, to_publish)
            )
            tables, stats = _build_tables(con, to_publish, policy, previous, carried, earlier)
        finally:
            con.close()

        published_at = datetime.now(UTC).replace(microsecond=0)
        publication = _publication(
            tables, to_publish, carried, previous, gates, published_at, submissions
        )
        tables["publication"] = publication
        tables["revisions"] = revisions_table(publish_dir, publication)
        _check_no_microdata(tables)

        tmp = publish_dir / f"{TMP_PREFIX}{os.getpid()}"
        _write(tmp, tables)
        _fsync(tmp)
        os.replace(tmp, final)
        _fsync(publish_dir)
        archive_publication(final, publish_dir, str(publication["publication_id"].iloc[0]))

    all_quarters = sorted(set(to_publish) | set(carried), key=Quarter.parse)
    return PublishResult(
        path=final,
        publication_id=str(publication["publication_id"].iloc[0]),
        published_at=published_at,
        quarters=all_quarters,
        tables={name: len(frame) for name, frame in tables.items()},
        suppressed_cells=stats["suppressed"],
        duration_seconds=time.monotonic() - started,
        republished_quarters=to_publish,
        carried_quarters=carried,
        skipped_quarters=skipped,
        suppressed_by_reason=stats["by_reason"],
        gate_table_present=gates is not None,
        metadata=stats["metadata"],
        changed_quarters=_changed(previous, tables, all_quarters),
    )


def _changed(previous: dict, tables: dict, quarters: list[str]) -> list[str]:
    """Quarters whose published indicator figures differ from the previous file."""
    old = previous.get("quarterly_indicators")
    new = tables["quarterly_indicators"]
    cols = [*KEY, "display_value"]
    out = []
    for q in quarters:
        a = new[new["quarter"] == q][cols].astype("string").fillna("")
        if old is None or "display_value" not in old.columns:
            out.append(q)
            continue
        b = old[(old["quarter"] == q) & (old["level"] != "organisation")]
        b = b.reindex(columns=cols).astype("string").fillna("")
        if (
            not a.sort_values(cols)
            .reset_index(drop=True)
            .equals(b.sort_values(cols).reset_index(drop=True))
        ):
            out.append(q)
    return out


def _sql_str(path: Path) -> str:
    return str(path).replace("'", "''")


def _quarter_list(quarters: list[str]) -> str:
    return ", ".join("'" + q.replace("'", "") + "'" for q in quarters) or "NULL"


def _build_tables(
    con: duckdb.DuckDBPyConnection,
    to_publish: list[str],
    policy: Policy,
    previous: dict[str, pd.DataFrame],
    carried: list[str],
    earlier: pd.DataFrame | None = None,
) -> tuple[dict[str, pd.DataFrame], dict]:
    qlist = _quarter_list(to_publish)

    def carried_rows(name: str, columns: list[str]) -> pd.DataFrame | None:
        old = previous.get(name)
        if old is None or "quarter" not in old.columns or not carried:
            return None
        return old[old["quarter"].isin(carried)].reindex(columns=columns)

    indicators = con.execute(
        # ordered: variable numbering, and with it every tie between equally
        # cheap partners, must not depend on DuckDB's thread scheduling
        f"select * from wh.marts.quarterly_indicators where quarter in ({qlist}) "
        "order by quarter, level, region_code, organisation_code, trajectory_type, "
        "financing, ips_scheme, ips_phase, indicator"
    ).df()
    indicators = indicators[_indicator_columns(indicators)]
    indicators = _add_labels(indicators)
    old = carried_rows(
        "quarterly_indicators",
        list(indicators.columns) + ["is_suppressed", "suppression_reason", "display_value"],
    )
    suppressed, stats = public_indicators(con, indicators, old, policy, previous, known=earlier)
    tables = {"quarterly_indicators": suppressed}
    cohorts = cohort_table(con, policy)
    if cohorts is not None:
        tables["cohort_outcomes"] = cohorts

    if _table_exists(con, "wh", "marts", "region_completeness"):
        comp = con.execute(
            f"select * from wh.marts.region_completeness where quarter in ({qlist})"
        ).df()
        comp = comp[[c for c in COMPLETENESS_COLUMNS if c in comp.columns]]
        comp["status_label_nl"] = comp["status"].map(STATUS_LABELS)
        old = carried_rows("region_completeness", list(comp.columns))
        tables["region_completeness"] = comp if old is None else pd.concat([comp, old])

    if _table_exists(con, "wh", "marts", "regional_ambition"):
        amb = con.execute(
            f"select * from wh.marts.regional_ambition where quarter in ({qlist})"
        ).df()
        amb = amb[[c for c in AMBITION_COLUMNS if c in amb.columns]]
        started = suppressed[
            (suppressed["level"] == "region")
            & (suppressed["indicator"] == "started")
            & (suppressed["trajectory_type"] == "ALL")
            & (suppressed["financing"] == "ALL")
            & (suppressed["ips_scheme"] == "ALL")
            & (suppressed["ips_phase"] == "ALL")
        ]
        hidden_started = {
            (q, r)
            for q, r, h in zip(
                started["quarter"], started["region_code"], started["is_suppressed"], strict=True
            )
            if h
        }
        amb = _suppress_ambition(amb, hidden_started, policy)
        stats.by_reason["ambition"] = int(amb["is_suppressed"].sum())
        old = carried_rows("regional_ambition", list(amb.columns))
        tables["regional_ambition"] = amb if old is None else pd.concat([amb, old])

    dims = [
        r[0]
        for r in con.execute(
            "select table_name from duckdb_tables() where database_name = 'wh' "
            "and schema_name = 'marts' and table_name like 'dim\\_%' escape '\\' "
            "order by table_name"
        ).fetchall()
    ]
    for dim in dims:
        frame = con.execute(f'select * from wh.marts."{dim}"').df()
        if any(FORBIDDEN_COLUMN.search(c) for c in frame.columns):
            continue  # a dimension with row identifiers is not a label table
        tables[dim] = frame
    tables = {name: frame.reset_index(drop=True) for name, frame in tables.items()}
    return tables, {
        "suppressed": stats.suppressed + stats.by_reason.get("ambition", 0),
        "by_reason": stats.by_reason,
        "metadata": disclosure_metadata(stats),
    }


def _publication(
    tables: dict[str, pd.DataFrame],
    to_publish: list[str],
    carried: list[str],
    previous: dict[str, pd.DataFrame],
    gates: dict[str, bool] | None,
    published_at: datetime,
    submissions: pd.DataFrame,
) -> pd.DataFrame:
    """Which quarters the file holds, when, and from which submission files.

    One row per quarter × submission file (organisation, file name, content
    hash); carried-over quarters keep the rows (and ids) of the run that
    published them. ``data_version`` hashes a quarter's (organisation, content
    hash) pairs, so two runs on the same submissions stamp the same version.
    """
    columns = ["quarter", "organisation_code", "file_name", "content_hash", "first_loaded_at"]
    subs = submissions.reindex(columns=columns)
    fresh = []
    for quarter in to_publish:
        rows = subs[subs["quarter"] == quarter].sort_values("organisation_code")
        if rows.empty:
            rows = pd.DataFrame([{c: None for c in columns} | {"quarter": quarter}])
        pairs = "\n".join(
            f"{o}:{h}" for o, h in zip(rows["organisation_code"], rows["content_hash"], strict=True)
        )
        rows = rows.assign(
            data_version=hashlib.sha256(f"{quarter}\n{pairs}".encode()).hexdigest()[:12],
            gate_status="not_checked" if gates is None else "passed",
        )
        fresh.append(rows)
    old = previous.get("publication")
    kept = old[old["quarter"].isin(carried)] if old is not None and carried else None
    versions = sorted(
        {
            (q, v)
            for part in fresh
            for q, v in zip(part["quarter"], part["data_version"], strict=True)
        }
        | (
            {(q, v) for q, v in zip(kept["quarter"], kept["data_version"], strict=True)}
            if kept is not None
            else set()
        )
    )
    digest = hashlib.sha256(repr(versions).encode()).hexdigest()[:8]
    publication_id = f"{published_at:%Y%m%dT%H%M%SZ}-{digest}"
    stamp = pd.Timestamp(published_at.replace(tzinfo=None))
    frame = pd.concat(fresh, ignore_index=True) if fresh else pd.DataFrame(columns=columns)
    frame["quarter_publication_id"] = publication_id
    frame["quarter_published_at"] = stamp
    if kept is not None:
        frame = pd.concat([frame, kept], ignore_index=True)
    frame["publication_id"] = publication_id
    frame["published_at"] = stamp
    order = [
        "publication_id",
        "published_at",
        "quarter",
        "quarter_publication_id",
        "quarter_published_at",
        "data_version",
        "gate_status",
        *columns[1:],
    ]
    frame = frame[order].sort_values(["quarter", "organisation_code"], key=_sort_key)
    return frame.reset_index(drop=True)


def _sort_key(series: pd.Series) -> pd.Series:
    if series.name == "quarter":
        return series.map(lambda q: str(Quarter.parse(q)))
    return series.fillna("")


def _submissions(con: duckdb.DuckDBPyConnection, to_publish: list[str]) -> pd.DataFrame:
    if not to_publish or not _table_exists(con, "wh", "audit", "submissions"):
        return pd.DataFrame(
            columns=["quarter", "organisation_code", "file_name", "content_hash", "first_loaded_at"]
        )
    frame = con.execute(
        "select quarter, organisation_code, file_path, content_hash, first_loaded_at "
        f"from wh.audit.submissions where status = 'accepted' and quarter in "
        f"({_quarter_list(to_publish)})"
    ).df()
    frame["file_name"] = frame["file_path"].map(lambda p: Path(str(p)).name)
    return frame.drop(columns=["file_path"])


def _feeders(con: duckdb.DuckDBPyConnection, to_publish: list[str]) -> pd.DataFrame | None:
    """Who works in which region per quarter (the region cells' feeding submissions)."""
    if not _table_exists(con, "wh", "marts", "fct_trajectory_quarters"):
        return None
    return read_feeders(con, "wh.marts.fct_trajectory_quarters", to_publish)


def _check_no_microdata(tables: dict[str, pd.DataFrame]) -> None:
    for name, frame in tables.items():
        bad = [c for c in frame.columns if FORBIDDEN_COLUMN.search(c)]
        if bad:
            raise PublishError(f"refusing to publish {name}: row-level columns {bad}")


def _write(tmp: Path, tables: dict[str, pd.DataFrame]) -> None:
    tmp.unlink(missing_ok=True)
    Path(f"{tmp}.wal").unlink(missing_ok=True)
    pause = float(os.environ.get(PAUSE_ENV) or 0)
    con = duckdb.connect()
    try:
        con.execute(f"attach '{_sql_str(tmp)}' as pub (storage_version '{STORAGE_VERSION}')")
        for i, (name, frame) in enumerate(tables.items()):
            con.register("frame", frame)
            con.execute(f'create table pub."{name}" as select * from frame')
            con.unregister("frame")
            if i == 0 and pause:
                time.sleep(pause)
        con.execute("checkpoint pub")
        con.execute("detach pub")
    finally:
        con.close()
    wal = Path(f"{tmp}.wal")
    if wal.exists():
        raise PublishError(f"{tmp}: write-ahead log left after checkpoint")
