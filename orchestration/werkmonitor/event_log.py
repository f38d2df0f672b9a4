"""The run history of ``werkmonitor run``: Dagster's SQLite event log, one engine per file.

Dagster's ``SqliteEventLogStorage`` builds a new SQLAlchemy engine and a new
SQLite connection for every write (``NullPool``), two or three per event: an
asset event is also mirrored into ``index.db``. A range run of the demo writes
about 1 600 events (one materialization and one planned event per asset and
quarter), so that set-up dominated the cost of the event log: measured
3.0 → 0.7 CPU s and 32 → 4 s wall for 300 materializations on the loaded
2-core machine (``docs/performance.md``). This subclass keeps one engine per
file for the life of the process; the files, tables and rows are Dagster's
own, so ``dagster dev`` (which keeps the default storage) reads the history
as before. Only the headless run uses it (``runner.headless_instance``).

Each file is also switched to SQLite's write-ahead log with
``synchronous=NORMAL``: in the default rollback journal every commit (one or
two per event) waits for an ``fsync``, 5.4 s of wall time for 300 commits on
the build machine against 0.01 s in WAL mode, for the same rows. WAL keeps
the file consistent after a crash or a power cut (a power cut may lose the
last commits of the history, never the warehouse's data); the mode is stored
in the file and ``dagster dev`` reads WAL files as any other.
"""

from __future__ import annotations

from contextlib import contextmanager

from dagster._core.storage.event_log.sqlite.sqlite_event_log import SqliteEventLogStorage
from dagster._core.storage.sqlite import SQLITE_BUSY_TIMEOUT_SECONDS


class HeadlessSqliteEventLogStorage(SqliteEventLogStorage):
    @classmethod
    def from_config_value(cls, inst_data, config_value):
        return cls(inst_data=inst_data, **config_value)

    @contextmanager
    def _connect(self, shard: str):
        from sqlalchemy import create_engine, event

        with self._db_lock:
            engines = self.__dict__.setdefault("_werkmonitor_engines", {})
            engine = engines.get(shard)
            if engine is None:
                engine = create_engine(
                    self.conn_string_for_shard(shard),
                    connect_args={"timeout": SQLITE_BUSY_TIMEOUT_SECONDS},
                )
                event.listen(engine, "connect", _write_ahead)
                if shard not in self._initialized_dbs:
                    self._initdb(engine)
                    self._initialized_dbs.add(shard)
                engines[shard] = engine
            with engine.connect() as conn, conn.begin():
                yield conn

    def dispose(self) -> None:
        for engine in self.__dict__.pop("_werkmonitor_engines", {}).values():
            engine.dispose()
        super().dispose()


def _write_ahead(dbapi_connection, _record) -> None:
    """WAL and ``synchronous=NORMAL`` on a new connection: commits without an ``fsync``."""
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
    finally:
        cursor.close()
