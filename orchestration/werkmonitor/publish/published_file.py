"""The published DuckDB file on disk: read the old one, write the new one, swap.

The file is built beside the old one under a temporary name, closed, fsynced
and moved over the old name with ``os.replace``: a reader that has the old
file open keeps reading the old inode, a new reader gets either the old or the
new file, never a half-written one, and a run killed at any moment leaves the
old file as it was (plus a temporary file the next run removes). One publish
at a time per directory (a lock file), so removing those leftovers is safe.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import time
from pathlib import Path

import duckdb
import pandas as pd

from werkmonitor.publish.disclosure.gate import PublishError

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


def sql_str(path: Path) -> str:
    return str(path).replace("'", "''")


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextlib.contextmanager
def publish_lock(publish_dir: Path):
    """One publish at a time per directory; leftovers of killed runs removed."""
    with open(publish_dir / LOCK_NAME, "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            for stale in publish_dir.glob(TMP_PREFIX + "*"):
                stale.unlink(missing_ok=True)
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def read_previous(final: Path) -> tuple[dict[str, pd.DataFrame], set[str]]:
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


def check_no_microdata(tables: dict[str, pd.DataFrame]) -> None:
    for name, frame in tables.items():
        bad = [c for c in frame.columns if FORBIDDEN_COLUMN.search(c)]
        if bad:
            raise PublishError(f"refusing to publish {name}: row-level columns {bad}")


def swap_in(publish_dir: Path, tables: dict[str, pd.DataFrame]) -> Path:
    """Write ``tables`` beside the published file and move it over that name."""
    check_no_microdata(tables)
    final = publish_dir / PUBLISHED_NAME
    tmp = publish_dir / f"{TMP_PREFIX}{os.getpid()}"
    _write(tmp, tables)
    _fsync(tmp)
    os.replace(tmp, final)
    _fsync(publish_dir)
    return final


def _write(tmp: Path, tables: dict[str, pd.DataFrame]) -> None:
    tmp.unlink(missing_ok=True)
    Path(f"{tmp}.wal").unlink(missing_ok=True)
    pause = float(os.environ.get(PAUSE_ENV) or 0)
    con = duckdb.connect()
    try:
        con.execute(f"attach '{sql_str(tmp)}' as pub (storage_version '{STORAGE_VERSION}')")
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
