"""``werkmonitor run``: the asset graph executed in-process, without the UI.

First the plan (``plan.py``, no Dagster import): a run that finds nothing
new or changed rebuilds nothing and says so. Otherwise the quarters to
rebuild go through the same Dagster job as the UI, against the same
``DAGSTER_HOME`` instance, so the history shows in ``dagster dev``. A range of
consecutive quarters is one run (partition-range tags): one dbt invocation
and one publish for all of them. Runs are serialised with a file lock beside
the warehouse because DuckDB allows one writer per file.
"""

from __future__ import annotations

import fcntl
import json
import os
import sys
import time
from contextlib import contextmanager
from pathlib import Path

from werkmonitor.config import REPO_ROOT, settings
from werkmonitor.progress import STEP_STAGES, counting_cpu, process_cpu_seconds

DAGSTER_YAML = """\
# Written by werkmonitor: runs are serialised (DuckDB allows one writer per file).
run_queue:
  max_concurrent_runs: 1
telemetry:
  enabled: false
"""
# the headless run captures no step stdout: no tail/watcher processes per step
NO_COMPUTE_LOGS = {
    "compute_logs": {
        "module": "dagster._core.storage.noop_compute_log_manager",
        "class": "NoOpComputeLogManager",
    }
}


def ensure_dagster_home() -> Path:
    home = Path(os.environ.get("DAGSTER_HOME") or REPO_ROOT / ".dagster_home")
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    if not config.exists():
        config.write_text(DAGSTER_YAML)
    os.environ["DAGSTER_HOME"] = str(home)
    return home


@contextmanager
def warehouse_lock(warehouse: Path, wait: bool = True):
    """Hold an exclusive lock for the duration of a run."""
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    with open(warehouse.parent / ".werkmonitor-run.lock", "w") as handle:
        flags = fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB
        fcntl.flock(handle, flags)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextmanager
def run_log(warehouse: Path, first: str, last: str):
    """Send dbt's console stream to a log file beside the warehouse.

    dagster-dbt re-emits every dbt log line on stdout; at 250 lines per build
    that buries the progress people need. ``WERKMONITOR_LOG_LEVEL=INFO`` (or
    DEBUG) keeps everything on the console instead.
    """
    from contextlib import redirect_stdout

    if os.environ.get("WERKMONITOR_LOG_LEVEL", "WARNING").upper() in ("INFO", "DEBUG"):
        yield None
        return
    logs = warehouse.parent / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    path = logs / f"run-{first}-{last}-{time.strftime('%Y%m%dT%H%M%S')}.log"
    with open(path, "w", encoding="utf-8") as handle, redirect_stdout(handle):
        yield path


def resolve_quarters(quarters: list[str] | None, run_all: bool) -> list[str]:
    from werkmonitor.partitions import landing_zone_quarters

    if run_all:
        return landing_zone_quarters()
    return sorted(set(quarters or []))


def contiguous_ranges(quarters: list[str]) -> list[tuple[str, str]]:
    """Group quarters into runs of consecutive quarters (one Dagster run each)."""
    from werkmonitor.quarters import Quarter

    ranges: list[tuple[str, str]] = []
    for text in sorted(quarters):
        if ranges and str(Quarter.parse(ranges[-1][1]).next()) == text:
            ranges[-1] = (ranges[-1][0], text)
        else:
            ranges.append((text, text))
    return ranges


def _stage_timings(instance, run_id: str) -> dict[str, float]:
    """Seconds per stage, from the run's own step start/end events."""
    starts: dict[str, float] = {}
    timings: dict[str, float] = {}
    for entry in instance.all_logs(run_id):
        event = entry.dagster_event
        if event is None or not event.step_key:
            continue
        if event.event_type_value == "STEP_START":
            starts[event.step_key] = entry.timestamp
        elif (
            event.event_type_value in ("STEP_SUCCESS", "STEP_FAILURE") and event.step_key in starts
        ):
            stage = STEP_STAGES.get(event.step_key, event.step_key)
            elapsed = entry.timestamp - starts[event.step_key]
            timings[stage] = timings.get(stage, 0.0) + elapsed
    return timings


def headless_overrides(home: Path) -> dict:
    """No compute logs, and the event log with one SQLite engine per file (``event_log.py``);
    same files as ``dagster dev``'s default storage."""
    return {
        **NO_COMPUTE_LOGS,
        "event_log_storage": {
            "module": "werkmonitor.event_log",
            "class": "HeadlessSqliteEventLogStorage",
            "config": {"base_dir": str(home / "history" / "runs")},
        },
    }


def headless_instance():
    from dagster import DagsterInstance
    from dagster._core.instance.ref import InstanceRef

    home = ensure_dagster_home()
    ref = InstanceRef.from_dir(str(home), overrides=headless_overrides(home))
    return DagsterInstance.from_ref(ref)


def execute(first: str, last: str, instance):
    """Run the quarterly job for an inclusive partition range, in-process.

    The console shows errors only (``WERKMONITOR_LOG_LEVEL`` changes that);
    the ``progress`` logger feeds the display; the full event log is in the
    Dagster instance, where ``dagster dev`` shows it.
    """
    from dagster._core.storage.tags import (
        ASSET_PARTITION_RANGE_END_TAG,
        ASSET_PARTITION_RANGE_START_TAG,
    )

    from werkmonitor.definitions import defs

    job = defs.resolve_job_def("quarterly_pipeline")
    tags = {ASSET_PARTITION_RANGE_START_TAG: first, ASSET_PARTITION_RANGE_END_TAG: last}
    level = os.environ.get("WERKMONITOR_LOG_LEVEL", "ERROR").upper()
    loggers = {"console": {"config": {"log_level": level}}, "progress": {}}
    return job.execute_in_process(
        run_config={"loggers": loggers}, instance=instance, tags=tags, raise_on_error=False
    )


def run_cli(
    quarters: list[str] | None,
    run_all: bool,
    timings_path: Path | None = None,
    quiet: bool = False,
    force: bool = False,
) -> int:
    from werkmonitor.console import print_nothing_rebuilt, print_publication_outcomes
    from werkmonitor.partitions import landing_zone_quarters
    from werkmonitor.plan import plan_run

    paths = settings()
    paths.export()
    selected = resolve_quarters(quarters, run_all)
    if not selected:
        print(f"no quarters to run: {paths.raw_dir} holds no quarter folders", file=sys.stderr)
        return 1
    started = time.perf_counter()
    timings: dict[str, object] = {"quarters": selected, "runs": []}
    with warehouse_lock(paths.warehouse):
        plan = plan_run(paths.raw_dir, paths.warehouse, selected, landing_zone_quarters(), force)
        timings["plan"] = {"to_run": plan.to_run, "reasons": plan.reasons}
        if not plan.to_run:
            code = print_nothing_rebuilt(paths, plan, selected)
        else:
            outcomes = _run_ranges(paths, plan, timings, quiet)
            code = print_publication_outcomes(paths, outcomes, selected)
    timings["seconds"] = round(time.perf_counter() - started, 3)
    timings["cpu_seconds"] = round(process_cpu_seconds(), 3)  # from process start, children too
    timings["exit_code"] = code
    if timings_path:
        timings_path.write_text(json.dumps(timings, indent=2))
    print(f"werkmonitor: done in {timings['seconds']:.1f} s (exit code {code})")
    return code


def _run_ranges(paths, plan, timings: dict, quiet: bool) -> list:
    from werkmonitor.dbt import ensure_manifest
    from werkmonitor.outcome import range_outcome
    from werkmonitor.plan import describe
    from werkmonitor.progress import make_display, showing
    from werkmonitor.quarters import quarter_range

    ensure_manifest()
    instance = headless_instance()
    import werkmonitor.definitions  # noqa: F401 - counted below, not in the first run
    # interpreter, imports, plan, manifest check, Dagster instance: before any run starts
    timings["cpu_before_runs"] = round(process_cpu_seconds(), 3)
    outcomes = []
    for first, last in contiguous_ranges(plan.to_run):
        label = first if first == last else f"{first}..{last}"
        quarters = [str(q) for q in quarter_range(first, last)]
        print(f"werkmonitor: materialising {label} ({describe(plan.reasons, quarters)}) …",
              flush=True)
        run_started, cpu_started = time.perf_counter(), process_cpu_seconds()
        with (
            showing(make_display(quiet)),
            run_log(paths.warehouse, first, last) as log_path,
            counting_cpu() as stage_cpu,
        ):
            result = execute(first, last, instance)
        if log_path and not quiet:
            print(f"  run log: {log_path}")
        outcome = range_outcome(result, quarters)
        outcomes.append(outcome)
        timings["runs"].append(
            {
                "range": [first, last],
                "success": result.success and not outcome.blocked,
                "published": outcome.published,
                "blocked": outcome.blocked,
                "failed_reports": outcome.failed_reports,
                "seconds": round(time.perf_counter() - run_started, 3),
                "cpu_seconds": round(process_cpu_seconds() - cpu_started, 3),
                "stage_cpu": {k: round(v, 3) for k, v in stage_cpu.items()},
                "stages": {
                    k: round(v, 3) for k, v in _stage_timings(instance, result.run_id).items()
                },
                "run_id": result.run_id,
            }
        )
    return outcomes
