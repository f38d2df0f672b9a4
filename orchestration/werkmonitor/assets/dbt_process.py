"""dbt in the run's own process: ``dbtRunner`` behind dagster-dbt's invocation.

A ``dbt`` child process costs ≈2 CPU s before it does anything (a second
interpreter importing dbt-core, the adapter and DuckDB), while this process
has most of dbt imported already, for dagster-dbt. So the build runs
``dbtRunner`` in a thread here instead, and its events reach dagster-dbt as
the child's JSON log lines did (the same dicts: ``msg_to_dict`` is what
dbt's JSON logger prints): dagster-dbt turns them into materializations and
observations unchanged, live, with the same selection, environment and
target dir it built for the child. dbt's console and file logs are off (the
run log beside the warehouse gets dagster-dbt's re-emitted lines, as before;
the debug file was 2.2 MB a build).

What a long-lived process must not keep of an invocation: dbt-duckdb holds
the database open in a class attribute after the build (closed here, so the
quality step can open the file); dbt's flags and event manager are reset by
each invocation; the environment variables dagster-dbt meant for the child
are set for the invocation only. ``dagster dev`` runs each run (and, with
its multiprocess executor, each step) in a process of its own, so nothing
accumulates in its code server. A thread cannot be killed: an interrupt
raises ``KeyboardInterrupt`` in it, which dbt handles as it handles Ctrl-C.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import queue
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

from dagster._core.errors import DagsterExecutionInterruptedError
from dagster_dbt.core.dbt_cli_invocation import PARTIAL_PARSE_FILE_NAME, DbtCliInvocation

from werkmonitor.dbt_state import close_duckdb, temporary_environ

# what the child's stdout logger printed at dbt's default level: info and above,
# without the relation-cache events
FORWARDED_LEVELS = ("info", "warn", "error")
CACHE_EVENTS = ("CacheAction", "CacheDumpGraph")
# no console stream (the events come through the callback), no debug file, and no
# manifest.json / graph.gpickle / semantic manifest per build (nothing reads them:
# dagster-dbt has the project's manifest); run_results.json is written from memory
QUIET_ARGS = ["--log-level", "none", "--log-level-file", "none", "--no-write-json"]
RUN_RESULTS = "run_results.json"
_DONE = object()
_ENVIRONMENT_LOCK = threading.Lock()


@contextlib.contextmanager
def _environment(env: dict[str, str]) -> Iterator[None]:
    """The child's environment for the duration of the invocation (dbt reads its
    ``DBT_*`` settings from ``os.environ``), restored afterwards; one invocation
    at a time changes it."""
    with _ENVIRONMENT_LOCK, temporary_environ(env):
        yield


def _error_event(text: str) -> dict:
    """An error line as dbt prints one, for an exception that ended the invocation."""
    return {"info": {"level": "error", "msg": text, "name": "MainEncounteredError",
                     "invocation_id": ""}, "data": {}}


class InProcessDbt:
    """What ``DbtCliInvocation`` uses of its ``subprocess.Popen``, for dbt in a thread:
    ``args``, ``wait()``, ``returncode``, ``send_signal()``; the log lines come from
    :meth:`events` (dicts, already parsed) instead of ``stdout``."""

    def __init__(self, args: list[str], env: dict[str, str]):
        self.args = list(args)
        self.returncode: int | None = None
        self._drained = False
        self._events: queue.SimpleQueue = queue.SimpleQueue()
        self._thread = threading.Thread(
            target=self._run, args=(env,), name="werkmonitor-dbt", daemon=True
        )
        self._thread.start()

    def _forward(self, msg) -> None:
        if msg.info.level in FORWARDED_LEVELS and msg.info.name not in CACHE_EVENTS:
            self._events.put(msg)

    def _run(self, env: dict[str, str]) -> None:
        from dbt.cli.main import dbtRunner

        code = 2
        try:
            with _environment(env):
                result = dbtRunner(callbacks=[self._forward]).invoke([*self.args[1:], *QUIET_ARGS])
            code = 0 if result.success else 2 if result.exception else 1
            target = env.get("DBT_TARGET_PATH")
            if target and hasattr(result.result, "write"):  # as dbt writes it, failed or not
                result.result.write(os.path.join(target, RUN_RESULTS))
            if result.exception is not None:
                self._events.put(_error_event(f"Encountered an error:\n{result.exception}"))
        except BaseException as error:  # noqa: BLE001 - reported as the child's exit code 2
            self._events.put(_error_event(f"Encountered an error:\n{error!r}"))
        finally:
            close_duckdb()
            self.returncode = code
            self._events.put(_DONE)

    def events(self) -> Iterator[dict]:
        """dbt's events as the JSON log lines' dicts, until the invocation ends; nothing
        once they were read (as a closed ``stdout``: dagster-dbt reads it again at the end)."""
        from dbt_common.events.functions import msg_to_dict

        while not self._drained:
            item = self._events.get()
            if item is _DONE:
                self._drained = True
            else:
                yield item if isinstance(item, dict) else msg_to_dict(item)

    def wait(self, timeout: float | None = None) -> int | None:
        self._thread.join(timeout)
        return self.returncode

    def send_signal(self, signum: int) -> None:
        """Ctrl-C for the dbt thread: ``KeyboardInterrupt`` at its next bytecode."""
        if self._thread.is_alive():
            ctypes.pythonapi.PyThreadState_SetAsyncExc(
                ctypes.c_ulong(self._thread.ident), ctypes.py_object(KeyboardInterrupt)
            )


class InProcessDbtInvocation(DbtCliInvocation):
    """dagster-dbt's invocation with :class:`InProcessDbt` as its process."""

    @classmethod
    def run(cls, args, env, manifest, dagster_dbt_translator, project_dir: Path,
            target_path: Path, raise_on_error, context, adapter, cli_version,
            dbt_project=None) -> InProcessDbtInvocation:
        # as dagster-dbt does: the project's partial parse into a target dir without one
        own = Path(os.getenv("DBT_TARGET_PATH", "target"))
        source = (own if own.is_absolute() else project_dir / own) / PARTIAL_PARSE_FILE_NAME
        destination = target_path / PARTIAL_PARSE_FILE_NAME
        if source.exists() and not destination.exists():
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(source, destination)
        return cls(
            process=InProcessDbt(args, env), manifest=manifest,
            dagster_dbt_translator=dagster_dbt_translator, project_dir=project_dir,
            target_path=target_path, raise_on_error=raise_on_error, context=context,
            adapter=adapter, cli_version=cli_version, project=dbt_project,
        )

    def _stream_stdout(self) -> Iterator[dict]:
        try:
            for raw_event in self.process.events():
                if raw_event["info"]["level"] == "error":
                    self._error_messages.append(raw_event["info"]["msg"])
                yield raw_event
        except DagsterExecutionInterruptedError:
            self.process.send_signal(2)
            self.process.wait(timeout=self.termination_timeout_seconds)
            raise
