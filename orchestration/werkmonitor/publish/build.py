"""``publish``: the published DuckDB file from the working warehouse, in one run.

Which quarters (their latest quality-gate run passed; the rest of the
previous file is carried over), the public tables through the disclosure
gate (``public_tables``), the ``publication`` and ``revisions`` tables, the
atomic swap (``published_file``) and the archive of the new file — all under
the publish lock of the directory.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd

from werkmonitor.publish import marts
from werkmonitor.publish.disclosure.archive import earlier_shown
from werkmonitor.publish.disclosure.gate import (
    DisclosureAuditError,
    PublishError,
    archive_publication,
)
from werkmonitor.publish.policy import load_policy
from werkmonitor.publish.public_tables import build_tables
from werkmonitor.publish.publication import changed_quarters, publication_table
from werkmonitor.publish.published_file import (
    PAUSE_ENV,
    PUBLISHED_NAME,
    TMP_PREFIX,
    publish_lock,
    read_previous,
    sql_str,
    swap_in,
)
from werkmonitor.publish.revisions import revisions_table
from werkmonitor.quarters import Quarter

__all__ = [
    "PAUSE_ENV",
    "PUBLISHED_NAME",
    "TMP_PREFIX",
    "DisclosureAuditError",
    "PublishError",
    "PublishResult",
    "publish",
]


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
    requested = [str(Quarter.parse(q)) for q in quarters] if quarters else None

    with publish_lock(publish_dir):
        previous, previous_quarters = read_previous(publish_dir / PUBLISHED_NAME)
        con = duckdb.connect()
        try:
            con.execute(f"attach '{sql_str(warehouse)}' as wh (read_only)")
            if not marts.table_exists(con, "wh", "marts", "quarterly_indicators"):
                raise PublishError(f"{warehouse}: marts.quarterly_indicators does not exist")
            gates = marts.gate_status(con)
            to_publish, skipped = marts.publishable(con, requested, gates)
            carried = sorted(previous_quarters - set(to_publish), key=Quarter.parse)
            if not to_publish and not carried:
                raise PublishError(
                    "nothing to publish: "
                    + (", ".join(f"{q}: {r}" for q, r in skipped.items()) or "no quarters")
                )
            submissions = marts.submissions(con, to_publish)
            feeders = marts.feeders(con, to_publish)
            earlier = earlier_shown(publish_dir, to_publish, previous, submissions, feeders)
            tables, stats = build_tables(con, to_publish, policy, previous, carried, earlier)
        finally:
            con.close()

        published_at = _after(previous, datetime.now(UTC).replace(microsecond=0))
        publication = publication_table(
            to_publish, carried, previous, gates, published_at, submissions
        )
        publication_id = str(publication["publication_id"].iloc[0])
        tables["publication"] = publication
        tables["revisions"] = revisions_table(publish_dir, publication)
        final = swap_in(publish_dir, tables)
        archive_publication(final, publish_dir, publication_id)

    all_quarters = sorted(set(to_publish) | set(carried), key=Quarter.parse)
    return PublishResult(
        path=final,
        publication_id=publication_id,
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
        changed_quarters=changed_quarters(previous, tables, all_quarters),
    )


def _after(previous: dict[str, pd.DataFrame], now: datetime) -> datetime:
    """``now``, or one second after the file being replaced: a publication id
    is its time to the second, and two publications in one second (identical
    data republished at once) would otherwise share an id and an archive entry."""
    old = previous.get("publication")
    if old is None or old.empty or "published_at" not in old.columns:
        return now
    last = pd.Timestamp(old["published_at"].max())
    if pd.isna(last):
        return now
    last = last.tz_localize(UTC) if last.tzinfo is None else last.tz_convert(UTC)
    return max(now, (last + pd.Timedelta(seconds=1)).to_pydatetime())
