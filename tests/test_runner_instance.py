"""The headless run's Dagster instance: cheaper event log, the same history for ``dagster dev``.

``werkmonitor run`` writes its events through ``HeadlessSqliteEventLogStorage``
(one SQLite engine per file instead of one per write); ``dagster dev`` opens
the same ``DAGSTER_HOME`` with Dagster's default storage and must see every
event and the asset's materializations per partition.
"""

from __future__ import annotations

import sqlalchemy
from dagster import (
    AssetKey,
    DagsterInstance,
    MaterializeResult,
    StaticPartitionsDefinition,
    asset,
    materialize,
)
from dagster._core.instance.ref import InstanceRef

from werkmonitor.event_log import HeadlessSqliteEventLogStorage

PARTS = StaticPartitionsDefinition(["2024Q3", "2024Q4"])


@asset(partitions_def=PARTS)
def counted(context) -> MaterializeResult:
    for number in range(5):
        context.log.info(f"[load] line {number}")
    return MaterializeResult(metadata={"rows": 5})


def test_events_written_headless_are_read_by_the_default_instance(tmp_path, monkeypatch):
    from werkmonitor.runner import headless_instance

    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path))
    engines = []
    real = sqlalchemy.create_engine
    monkeypatch.setattr(sqlalchemy, "create_engine",
                        lambda *a, **k: engines.append(a[0]) or real(*a, **k))
    instance = headless_instance()
    assert isinstance(instance.event_log_storage, HeadlessSqliteEventLogStorage)
    runs = [materialize([counted], partition_key=key, instance=instance) for key in ("2024Q3",
                                                                                      "2024Q4")]
    assert all(run.success for run in runs)
    written = {run.run_id: len(instance.all_logs(run.run_id)) for run in runs}
    event_engines = [url for url in engines if "/history/runs/" in url]
    # one engine per file: each run's shard and the index, not one per event
    assert sorted(set(event_engines)) == sorted(event_engines)
    assert len(event_engines) == 3

    default = DagsterInstance.from_ref(InstanceRef.from_dir(str(tmp_path)))  # as dagster dev
    assert type(default.event_log_storage).__name__ == "SqliteEventLogStorage"
    assert {run_id: len(default.all_logs(run_id)) for run_id in written} == written
    assert all(count > 10 for count in written.values())
    for key in ("2024Q3", "2024Q4"):
        event = default.get_latest_materialization_event(AssetKey("counted"))
        assert event is not None
        partitions = default.get_materialized_partitions(AssetKey("counted"))
        assert key in partitions
    messages = [e.user_message for e in default.all_logs(runs[0].run_id)]
    assert [m for m in messages if m.startswith("[load]")] == [f"[load] line {n}" for n in range(5)]


def test_headless_event_files_commit_in_write_ahead_mode(tmp_path, monkeypatch):
    """Each event commit of the headless run skips the rollback journal's fsync (WAL,
    synchronous=NORMAL); the default instance still reads every event afterwards."""
    import sqlite3

    from werkmonitor.runner import headless_instance

    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path))
    instance = headless_instance()
    run = materialize([counted], partition_key="2024Q3", instance=instance)
    assert run.success
    written = len(instance.all_logs(run.run_id))
    instance.event_log_storage.dispose()
    history = tmp_path / "history" / "runs"
    for name in (f"{run.run_id}.db", "index.db"):
        with sqlite3.connect(history / name) as con:
            assert con.execute("pragma journal_mode").fetchone() == ("wal",)
    default = DagsterInstance.from_ref(InstanceRef.from_dir(str(tmp_path)))  # as dagster dev
    assert len(default.all_logs(run.run_id)) == written > 10
    assert "2024Q3" in default.get_materialized_partitions(AssetKey("counted"))
