"""Atomic replacement of the published file: readers and killed runs.

A BI tool holding the published file open must never block a publish nor see
a half-written file; a publish killed at any moment must leave the previous
file intact. Both are checked with real second processes.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import duckdb
import pytest
from publish_fixtures import build_warehouse

from werkmonitor.publish import publish
from werkmonitor.publish.build import PAUSE_ENV, TMP_PREFIX

TESTS_DIR = Path(__file__).resolve().parent
TOTALS_SQL = (
    "select (select max(publication_id) from publication), count(*), "
    "sum(coalesce(numerator, 0)) from quarterly_indicators"
)

READER = textwrap.dedent(
    """
    import json, sys, time
    from pathlib import Path
    import duckdb
    path, out, stop = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
    sql, mode = sys.argv[4], sys.argv[5]
    # "held": one connection kept open the whole time (a BI tool's session);
    # "fresh": a new connection per query. DuckDB shares one database instance
    # per file within a process, so the two modes need separate processes.
    held = duckdb.connect(path, read_only=True) if mode == "held" else None
    with out.open("w") as log:
        while not stop.exists():
            record = {"t": time.time()}
            try:
                if held is not None:
                    record["totals"] = list(held.execute(sql).fetchone())
                else:
                    fresh = duckdb.connect(path, read_only=True)
                    record["totals"] = list(fresh.execute(sql).fetchone())
                    fresh.close()
            except Exception as exc:  # any error is a test failure
                record["error"] = repr(exc)
            log.write(json.dumps(record) + "\\n")
            log.flush()
            time.sleep(0.05)
    if held is not None:
        held.close()
    """
)


def _doubled(warehouse: Path, path: Path) -> Path:
    """The same warehouse with every count doubled: other figures for the
    second publish, every total of the first times two (what the reader
    checks). Unrelated data (seed 8 over seed 7) publishes as well since
    round 4: test_disclosure_archive.py,
    test_unrelated_data_over_an_archive_can_be_published."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        frame = con.execute("select * from marts.quarterly_indicators").df()
    finally:
        con.close()
    for prefix in ("", "previous_", "like_for_like_", "like_for_like_previous_"):
        for part in ("numerator", "denominator"):
            if prefix + part in frame:
                frame[prefix + part] = frame[prefix + part] * 2
        if prefix + "value" in frame:
            is_count = frame[prefix + "denominator"].isna()
            frame.loc[is_count, prefix + "value"] = frame.loc[is_count, prefix + "numerator"]
    frame["change_absolute"] = frame["change_absolute"] * 2
    return build_warehouse(path, indicators=frame, seed=7)


def _totals(path: Path) -> list:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return list(con.execute(TOTALS_SQL).fetchone())
    finally:
        con.close()


@pytest.mark.slow
def test_reader_with_open_file_sees_consistent_data_while_publishing(tmp_path, monkeypatch):
    wh_a = build_warehouse(tmp_path / "a.duckdb", seed=7)
    wh_b = _doubled(wh_a, tmp_path / "b.duckdb")
    out = tmp_path / "pub"
    publish(wh_a, out)
    path = out / "werkmonitor.duckdb"
    version_a = _totals(path)

    stop = tmp_path / "stop"
    script = tmp_path / "reader.py"
    script.write_text(READER, encoding="utf-8")
    logs = {mode: tmp_path / f"{mode}.jsonl" for mode in ("held", "fresh")}
    readers = [
        subprocess.Popen(
            [sys.executable, str(script), str(path), str(log), str(stop), TOTALS_SQL, mode]
        )
        for mode, log in logs.items()
    ]
    try:
        deadline = time.time() + 30
        while time.time() < deadline and not all(
            log.exists() and log.read_text().strip() for log in logs.values()
        ):
            time.sleep(0.05)
        # Slow each publish down so the readers query during the writes.
        monkeypatch.setenv(PAUSE_ENV, "0.5")
        publish(wh_b, out)
        version_b = _totals(path)
        publish(wh_a, out)
        version_a2 = _totals(path)
        time.sleep(0.3)
    finally:
        stop.touch()
        for reader in readers:
            reader.wait(timeout=30)
    assert [r.returncode for r in readers] == [0, 0]
    held, fresh = (
        [json.loads(line) for line in logs[m].read_text().splitlines()] for m in ("held", "fresh")
    )
    assert len(held) > 20 and len(fresh) > 10
    assert not [r for r in held + fresh if "error" in r]
    assert version_a[1:] != version_b[1:]  # the two warehouses differ
    # The held connection reads the inode it opened: always the first version.
    assert {tuple(r["totals"]) for r in held} == {tuple(version_a)}
    # New connections see one complete version or another, never a mixture,
    # and end on the last one.
    seen = {tuple(r["totals"]) for r in fresh}
    assert seen <= {tuple(version_a), tuple(version_b), tuple(version_a2)}
    assert tuple(version_b) in seen
    assert tuple(fresh[-1]["totals"]) == tuple(version_a2)


KILLED_PUBLISH = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from werkmonitor.publish import publish
    publish(Path(sys.argv[1]), Path(sys.argv[2]))
    """
)


@pytest.mark.slow
def test_killed_publish_leaves_previous_file_intact(tmp_path):
    warehouse = build_warehouse(tmp_path / "wh.duckdb", seed=7)
    other = _doubled(warehouse, tmp_path / "other.duckdb")
    out = tmp_path / "pub"
    first = publish(warehouse, out)
    before_bytes = hashlib.sha256(first.path.read_bytes()).hexdigest()
    before = _totals(first.path)

    script = tmp_path / "killed.py"
    script.write_text(KILLED_PUBLISH, encoding="utf-8")
    env = {**os.environ, PAUSE_ENV: "60", "PYTHONPATH": str(TESTS_DIR)}
    proc = subprocess.Popen([sys.executable, str(script), str(other), str(out)], env=env)
    try:
        deadline = time.time() + 60
        # Wait until the new file is being written (first table in, then the pause).
        while time.time() < deadline:
            building = list(out.glob(TMP_PREFIX + "*"))
            if building and building[0].stat().st_size > 0:
                break
            assert proc.poll() is None, "publish ended before it could be killed"
            time.sleep(0.05)
        else:
            pytest.fail("the publish never started writing")
        time.sleep(0.5)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == -signal.SIGKILL
    assert list(out.glob(TMP_PREFIX + "*"))  # the half-written file is left behind
    assert hashlib.sha256(first.path.read_bytes()).hexdigest() == before_bytes
    assert _totals(first.path) == before

    # The next run cleans up and publishes normally.
    again = publish(other, out)
    assert not list(out.glob(TMP_PREFIX + "*"))
    assert _totals(again.path)[1:] != before[1:]
