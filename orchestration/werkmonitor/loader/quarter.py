"""``load_quarter``: the new submissions of one quarter folder into the warehouse.

A file whose (path, content hash) is already in ``audit.submissions`` is
skipped after hashing, so a re-run on an unchanged landing zone reads nothing
and ``LoadSummary.has_new_content`` tells the caller there is nothing to rebuild.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from werkmonitor import reference
from werkmonitor.loader.checks import check_submissions
from werkmonitor.loader.files import content_hash, is_hidden, organisation_from_name
from werkmonitor.loader.store import ensure_schema, store_checked, store_duplicate
from werkmonitor.quarters import Quarter

log = logging.getLogger("werkmonitor.loader")


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

    @property
    def has_new_content(self) -> bool:
        """A new or changed file was seen (its audit row is new), whatever its status."""
        return self.new_submissions > 0

    @property
    def has_new_rows(self) -> bool:
        """``raw.*`` changed: a submission was accepted (and possibly superseded another)."""
        return self.accepted > 0

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
    return sorted((p for p in quarter_dir.iterdir() if not is_hidden(p)), key=lambda p: p.name)


# input bytes checked in one set-based pass: large enough that a quarter at
# scale 1 is one pass, small enough to bound the memory at scale 100
CHUNK_BYTES = 16 << 20


def _size(path: Path) -> int:
    if path.is_dir():
        return sum(p.stat().st_size for p in path.iterdir() if p.is_file())
    return path.stat().st_size if path.is_file() else 0


def _chunks(new: list, known: set) -> list[list]:
    """Consecutive runs of (path, rel, digest, is_new_content), in name order, by input size."""
    chunks: list[list] = [[]]
    size = 0
    for path, rel, digest in new:
        is_new = digest not in known
        known.add(digest)
        if is_new:
            size += _size(path)
        chunks[-1].append((path, rel, digest, is_new))
        if size >= CHUNK_BYTES:
            chunks.append([])
            size = 0
    return [chunk for chunk in chunks if chunk]


def _submission_id(org: str | None, quarter: str, digest: str, load_order: int, ids: set) -> str:
    base = f"{org or 'UNKNOWN'}_{quarter}_{digest[:12]}"
    sid = base if base not in ids else f"{base}_{load_order}"
    ids.add(sid)
    return sid


def load_quarter(
    quarter: str,
    raw_dir: Path,
    warehouse: Path,
    *,
    organisations: Mapping[str, reference.Organisation] | None = None,
    regions: Mapping[str, str] | None = None,
    today: dt.date | None = None,
    progress: Callable[[str, int, int], None] | None = None,
) -> LoadSummary:
    """Load the new submissions in ``raw_dir/<quarter>/``; see ``docs/loader.md``.

    ``progress(message, done, total)``, when given, hears of each set-based check
    pass before it starts and of each new submission as soon as it is stored, so a
    caller can show the load as it happens (``done`` of ``total`` new files).
    """
    q = str(Quarter.parse(quarter))
    raw_dir, warehouse = Path(raw_dir), Path(warehouse)
    summary = LoadSummary(q)
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(warehouse))
    try:
        ensure_schema(con)
        seen = set(con.execute("select file_path, content_hash from audit.submissions").fetchall())
        known = {
            r[0]
            for r in con.execute(
                "select content_hash from audit.submissions where quarter = ?", [q]
            ).fetchall()
        }
        ids = {r[0] for r in con.execute("select submission_id from audit.submissions").fetchall()}
        order = con.execute(
            "select coalesce(max(load_order), 0) from audit.submissions"
        ).fetchone()[0]
        new = []
        for path in _candidates(raw_dir / q):
            rel, digest = f"{q}/{path.name}", content_hash(path)
            if (rel, digest) in seen:
                summary.unchanged += 1
            else:
                seen.add((rel, digest))
                new.append((path, rel, digest))
        context = {"organisations": organisations, "regions": regions, "today": today}
        report = progress or (lambda message, done, total: None)
        for chunk in _chunks(new, known):
            # one set-based check for the new contents of the chunk (copies are only logged)
            to_check = {digest: path for path, _, digest, is_new in chunk if is_new}
            if to_check:
                size = sum(_size(p) for p in to_check.values()) / 2**20
                report(f"{q}: checking {len(to_check)} submissions ({size:.1f} MB) in one pass",
                       len(summary.lines), len(new))
            results = check_submissions(
                list(to_check.values()), raw_dir, known_hashes=list(to_check), **context
            )
            checked = dict(zip(to_check, results, strict=True))
            for path, rel, digest, _ in chunk:
                order += 1
                _load_one(con, summary, path, rel, q, digest, order, ids, checked.get(digest))
                report(summary.lines[-1], len(summary.lines), len(new))
    finally:
        con.close()
    log.info(summary.format().splitlines()[0])
    return summary


def _load_one(con, summary, path, rel, q, digest, load_order, ids, result) -> None:
    earlier = con.execute(
        "select submission_id, status from audit.submissions where quarter = ? and content_hash = ?"
        " order by load_order limit 1",
        [q, digest],
    ).fetchone()
    if earlier or result is None:
        org = organisation_from_name(path)
        sid = _submission_id(org, q, digest, load_order, ids)
        store_duplicate(
            con,
            sid,
            rel,
            "csv" if path.is_dir() else "xlsx",
            org,
            q,
            digest,
            load_order,
            earlier[0],
        )
        summary.duplicate += 1
        line = f"{rel}: duplicate of {earlier[0]}" + (
            " (rejected)" if earlier[1] == "rejected" else ""
        )
    else:
        sid = _submission_id(result.organisation_code, q, digest, load_order, ids)
        replaced = store_checked(con, result, sid, rel, q, digest, load_order)
        if result.is_rejected:
            summary.rejected += 1
            line = f"{rel}: rejected ({len(result.rejections)} reasons)"
        else:
            accepted, quarantined = result.rows_accepted, result.rows_quarantined
            summary.accepted += 1
            summary.superseded += len(replaced)
            summary.rows_loaded += accepted + quarantined
            summary.rows_quarantined += quarantined
            line = f"{rel}: accepted ({accepted} rows, {quarantined} quarantined)"
            if replaced:
                line += f"; supersedes {', '.join(replaced)}"
    summary.lines.append(line)
    log.info("%s", line)
