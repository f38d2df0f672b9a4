"""The archive of publications: what readers already saw, and the history.

Every publication is kept as ``<publish_dir>/archive/<publication_id>.duckdb``
(issue 10: the audit needs it, readers get a revision history). A reader who
kept an earlier file knows every cell it showed; a shown cell is known *as the
current figure* only where the submissions that feed it are the ones that
publication came from (its ``publication`` table lists them per quarter, with
content hashes): a national cell is fed by every submission of its quarter, a
region cell by those of the organisations working in the region. Where one of
them changed, the earlier figure is an earlier version, not the current one
(docs/publishing.md, "Earlier publications").

``archive/index.json`` lists each publication (id, time, the file holding its
figures, a digest of those figures, its quarters with their data versions and
the publication that computed them). It is derived from the archived files and
rebuilt from them when missing, so the files stay the one source of truth; it
lets a publish skip every file that computed none of the quarters it
publishes, and stores a publication whose figures equal an archived file's as
an index entry pointing to that file instead of another copy.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterable
from pathlib import Path

import duckdb
import pandas as pd

from werkmonitor.publish.disclosure.system import KEY
from werkmonitor.publish.feeding import current_only

ARCHIVE_DIR = "archive"
INDEX_NAME = "index.json"
PUBLIC_LEVELS = ("national", "region")
# tables naming the run (ids, times) are not part of what a reader compares
RUN_TABLES = ("publication", "revisions")
VALUES = ["value", "numerator", "denominator"]  # what a shown row prints


def _quote(text) -> str:
    return "'" + str(text).replace("'", "''") + "'"


def _digest(con: duckdb.DuckDBPyConnection, db: str) -> str:
    """Order-independent digest of every figure table of an attached file."""
    names = [
        r[0]
        for r in con.execute(
            "select table_name from duckdb_tables() where database_name = ? order by 1", [db]
        ).fetchall()
        if r[0] not in RUN_TABLES
    ]
    row = "md5(t::varchar)"
    parts = [
        con.execute(
            f"select coalesce(md5(string_agg({row}, ',' order by {row})), '')"
            f' from {db}."{name}" as t'
        ).fetchone()[0]
        for name in names
    ]
    text = ",".join(f"{n}:{p}" for n, p in zip(names, parts, strict=True))
    return con.execute("select md5(?)", [text]).fetchone()[0]


def _entry(con: duckdb.DuckDBPyConnection, db: str, file_name: str) -> dict:
    """An index entry; its ``digest`` is left to ``_digest_of`` (None until needed)."""
    rows = con.execute(
        f"select distinct publication_id, published_at::varchar, quarter, data_version,"
        f" quarter_publication_id from {db}.publication order by quarter"
    ).fetchall()
    return {
        "publication_id": rows[0][0],
        "published_at": rows[0][1],
        "file": file_name,
        "digest": None,
        "quarters": [
            {"quarter": q, "data_version": v, "quarter_publication_id": qp}
            for _, _, q, v, qp in rows
        ],
    }


def _attached(path: Path, read):
    con = duckdb.connect()
    try:
        con.execute(f"attach {_quote(path)} as arch (read_only)")
        return read(con)
    finally:
        con.close()


def _read_entry(path: Path) -> dict:
    return _attached(path, lambda con: _entry(con, "arch", path.name))


def _versions(entry: dict) -> list[tuple[str, str]]:
    return sorted((q["quarter"], q["data_version"]) for q in entry["quarters"])


def _digest_of(entry: dict, path: Path, entries: list[dict]) -> str:
    """``entry``'s digest, computed from ``path`` the first time it is needed
    (and kept for every entry of the same file): only a publication on the
    same data versions as an archived one can have the same figures, so a
    publish on new data skips it (one pass over every row of the file)."""
    if entry.get("digest") is None:
        digest = _attached(path, lambda con: _digest(con, "arch"))
        for e in entries:
            if e["file"] == entry["file"]:
                e["digest"] = digest
        entry["digest"] = digest
    return entry["digest"]


def read_index(publish_dir: Path) -> list[dict]:
    """The index, oldest first; rebuilt from the files when missing or stale."""
    folder = Path(publish_dir) / ARCHIVE_DIR
    path = folder / INDEX_NAME
    if not folder.exists():
        return []
    entries = json.loads(path.read_text()) if path.exists() else []
    files = {p.name for p in folder.glob("*.duckdb")} if folder.exists() else set()
    listed = {e["file"] for e in entries}
    if listed - files or files - listed:  # a file added or removed by hand: trust the files
        kept = [e for e in entries if e["file"] in files]
        seen = {e["file"] for e in kept}
        kept += [_read_entry(folder / f) for f in sorted(files - seen)]
        entries = sorted(kept, key=lambda e: (e["published_at"], e["publication_id"]))
        _write_index(folder, entries)
    return entries


def _write_index(folder: Path, entries: list[dict]) -> None:
    tmp = folder / f".{INDEX_NAME}.{os.getpid()}"
    tmp.write_text(json.dumps(entries, indent=1, sort_keys=True))
    os.replace(tmp, folder / INDEX_NAME)


def archive_publication(final: Path, publish_dir: Path, publication_id: str) -> Path:
    """Archive the file just published; returns the archived file holding its figures.

    A publication whose figures equal an archived file's (a re-run on the same
    data versions with the same policy) is only added to the index, pointing
    to that file: the archive grows with distinct figures, not with runs.
    Figures are compared (digests) only with publications on the same data
    versions.
    """
    folder = Path(publish_dir) / ARCHIVE_DIR
    folder.mkdir(exist_ok=True)
    entries = read_index(publish_dir)
    entry = _read_entry(Path(final))
    same = None
    for e in (e for e in entries if _versions(e) == _versions(entry)):
        if _digest_of(e, folder / e["file"], entries) == _digest_of(entry, final, []):
            same = e
            break
    if same is not None and same["publication_id"] == publication_id:
        return folder / same["file"]  # archived already
    if same is not None:
        entry["file"] = same["file"]
    else:
        # (two runs within one second on the same data versions share an id)
        taken = {e["file"] for e in entries}
        name = f"{publication_id}.duckdb"
        entry["file"] = (
            name
            if name not in taken
            else f"{publication_id}-{_digest_of(entry, final, [])[:8]}.duckdb"
        )
        tmp = folder / f".{entry['file']}.{os.getpid()}"
        shutil.copy2(final, tmp)
        os.replace(tmp, folder / entry["file"])
    _write_index(folder, [*entries, entry])
    return folder / entry["file"]


def earlier_shown(
    publish_dir: Path,
    quarters: Iterable[str],
    live: dict[str, pd.DataFrame] | None = None,
    submissions: pd.DataFrame | None = None,
    feeders: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Cells of ``quarters`` shown in an earlier publication whose feeding
    submissions are unchanged since: KEY + value, numerator, denominator.

    As published (a share prints all three): ``protect`` compares them with
    the current ones (``known_mask``). ``submissions``: (quarter,
    organisation_code, content_hash) the figures being published come from;
    ``feeders``: (quarter, region_code, organisation_code), who works in which
    region. A national cell is kept only when its quarter's submissions are
    all the same as in that publication, a region cell when those of the
    region's organisations are. Without ``submissions`` every shown cell is
    kept (nothing says what changed: the reader is taken to know the most);
    without ``feeders`` a region cell is. Only files that computed one of the
    quarters are opened (a carried-over quarter repeats the figures of the
    file that computed it), two queries each. ``live``: the tables of the
    file being replaced (build.py has read them already), used when the
    archive lacks it (published before the archive existed).
    """
    wanted = set(quarters)
    entries = read_index(publish_dir)
    rows, published = _live_shown(live, wanted, {e["publication_id"] for e in entries})
    parts = [current_only(rows, published, submissions, feeders)]
    keys = ", ".join(f"coalesce(cast({c} as varchar), '') as {c}" for c in KEY)
    con = duckdb.connect()
    try:
        for path, qs in sources(publish_dir, wanted, entries).items():
            con.execute(f"attach {_quote(path)} as arch (read_only)")
            among = ", ".join(_quote(q) for q in sorted(qs))
            rows = con.execute(
                f"select distinct {keys}, cast(value as double) as value,"
                " cast(numerator as double) as numerator,"
                " cast(denominator as double) as denominator"
                " from arch.quarterly_indicators where not is_suppressed"
                f" and value is not null and level in {PUBLIC_LEVELS}"
                f" and quarter in ({among})"
            ).df()
            published = con.execute(
                "select distinct quarter, organisation_code, content_hash"
                f" from arch.publication where quarter in ({among})"
            ).df()
            parts.append(current_only(rows, published, submissions, feeders))
            con.execute("detach arch")
    finally:
        con.close()
    parts = [p for p in parts if not p.empty] or parts[:1]
    return pd.concat(parts, ignore_index=True).drop_duplicates(ignore_index=True)


def sources(
    publish_dir: Path, quarters: Iterable[str], entries: list[dict] | None = None
) -> dict[Path, set[str]]:
    """Archived file -> the wanted quarters it computed (not carried over)."""
    wanted = set(quarters)
    folder = Path(publish_dir) / ARCHIVE_DIR
    out: dict[Path, set[str]] = {}
    for e in read_index(publish_dir) if entries is None else entries:
        own = {
            q["quarter"]
            for q in e["quarters"]
            if q["quarter_publication_id"] == e["publication_id"]
        }
        if own & wanted:
            out.setdefault(folder / e["file"], set()).update(own & wanted)
    return out


def _live_shown(
    live: dict | None, wanted: set[str], archived: set[str]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The live file's shown cells of ``wanted`` and its ``publication`` rows,
    when the archive lacks that file (empty otherwise)."""
    empty = pd.DataFrame({c: pd.Series(dtype=object) for c in [*KEY, *VALUES]})
    none = pd.DataFrame(columns=["quarter", "organisation_code", "content_hash"])
    if not live or "publication" not in live or "quarterly_indicators" not in live:
        return empty, none
    if set(live["publication"]["publication_id"]) <= archived:
        return empty, none
    rows = live["quarterly_indicators"]
    rows = rows[
        ~rows["is_suppressed"].astype(bool)
        & rows["value"].notna()
        & rows["level"].isin(PUBLIC_LEVELS)
        & rows["quarter"].isin(wanted)
    ]
    out = rows[KEY].astype("string").fillna("").astype(object)
    for c in VALUES:
        out[c] = pd.to_numeric(rows[c], errors="coerce").astype(float).to_numpy()
    return out.reset_index(drop=True), live["publication"].reindex(columns=none.columns)
