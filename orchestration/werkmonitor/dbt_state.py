"""What a dbt invocation inside this process borrows from it, and gives back.

dbt reads its settings (and the project its quarter range) from
``os.environ``, and dbt-duckdb keeps the database open in a class attribute
after an invocation. Both the pipeline (``assets/dbt_process.py``) and the
in-process test helper (``tests/dbt_inprocess.py``) run dbt in a process that
lives on, so they share these two helpers; the module imports nothing heavy
(no Dagster), as the test helper must stay light.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator, Mapping

# the quarter range the models read when they execute (``quarter_bound``,
# dbt_project/macros/quarters.sql)
QUARTER_ENV = ("WERKMONITOR_QUARTER_FROM", "WERKMONITOR_QUARTER_TO")


@contextlib.contextmanager
def temporary_environ(values: Mapping[str, str | None]) -> Iterator[None]:
    """``os.environ`` with these values (``None``: unset) for the block, restored after."""
    saved = {key: os.environ.get(key) for key in values}
    for key, value in values.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def close_duckdb() -> None:
    """Close the database dbt-duckdb keeps open after an invocation (so another
    connection, or the next invocation, can open the file for writing)."""
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager as manager

    with manager._LOCK:
        if manager._ENV is not None:
            with contextlib.suppress(Exception):
                manager._ENV.close()
            manager._ENV = None
