"""``werkmonitor run``: the asset graph executed in-process, without the UI.

The run goes through the same Dagster job as the UI and writes to the same
``DAGSTER_HOME`` instance, so its history shows in ``dagster dev``. A range of
quarters is one run (partition-range tags): one dbt invocation and one
publish for all of them. Runs are serialised with a file lock beside the
warehouse because DuckDB allows one writer per file.
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

STAGES = {
    "raw_submissions": "load",
    "warehouse_dbt": "dbt",
    "quality_gates": "quality",
    "published_warehouse": "publish",
    "quarterly_reports": "publish",
}

DAGSTER_YAML = """\
# Written by werkmonitor: runs are serialised (DuckDB allows one writer per file).
run_queue:
  max_concurrent_runs: 1
telemetry:
  enabled: false
"""


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
    that buries the summary people need. ``WERKMONITOR_LOG_LEVEL=INFO`` (or
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


def _stage_timings(result) -> dict[str, float]:
    """Seconds per stage, from the run's own step start/end events."""
    from dagster import DagsterInstance

    starts: dict[str, float] = {}
    timings: dict[str, float] = {}
    for entry in DagsterInstance.get().all_logs(result.run_id):
        event = entry.dagster_event
        if event is None or not event.step_key:
            continue
        if event.event_type_value == "STEP_START":
            starts[event.step_key] = entry.timestamp
        elif (
            event.event_type_value in ("STEP_SUCCESS", "STEP_FAILURE") and event.step_key in starts
        ):
            stage = STAGES.get(event.step_key, event.step_key)
            elapsed = entry.timestamp - starts[event.step_key]
            timings[stage] = timings.get(stage, 0.0) + elapsed
    return timings


def _failure_reasons(result) -> list[str]:
    reasons = []
    for event in result.all_events:
        if event.event_type_value == "STEP_FAILURE":
            error = event.event_specific_data.error
            message = error.message.strip() if error else ""
            reasons.append(f"step {event.step_key} failed: {message}")
        if event.event_type_value == "ASSET_CHECK_EVALUATION":
            evaluation = event.event_specific_data
            if not evaluation.passed and evaluation.check_name == "publication_gate":
                why = evaluation.description or ""
                failures = evaluation.metadata.get("failures")
                detail = failures.value if failures is not None else why
                reasons.append(f"check {evaluation.check_name} blocked publication:\n{detail}")
    return reasons


def execute(first: str, last: str):
    """Run the quarterly job for an inclusive partition range, in-process.

    The console shows errors only (``WERKMONITOR_LOG_LEVEL``
    changes that); the full event log is in the Dagster instance, where
    ``dagster dev`` shows it.
    """
    from dagster import DagsterInstance
    from dagster._core.storage.tags import (
        ASSET_PARTITION_RANGE_END_TAG,
        ASSET_PARTITION_RANGE_START_TAG,
    )

    from werkmonitor.definitions import defs

    job = defs.resolve_job_def("quarterly_pipeline")
    tags = {ASSET_PARTITION_RANGE_START_TAG: first, ASSET_PARTITION_RANGE_END_TAG: last}
    level = os.environ.get("WERKMONITOR_LOG_LEVEL", "ERROR").upper()
    return job.execute_in_process(
        run_config={"loggers": {"console": {"config": {"log_level": level}}}},
        instance=DagsterInstance.get(),
        tags=tags,
        raise_on_error=False,
    )


def run_cli(quarters: list[str] | None, run_all: bool, timings_path: Path | None = None) -> int:
    paths = settings()
    paths.export()
    ensure_dagster_home()
    selected = resolve_quarters(quarters, run_all)
    if not selected:
        print(f"no quarters to run: {paths.raw_dir} holds no quarter folders", file=sys.stderr)
        return 1
    started = time.perf_counter()
    report: dict[str, object] = {"quarters": selected, "runs": []}
    failed: list[str] = []
    with warehouse_lock(paths.warehouse):
        for first, last in contiguous_ranges(selected):
            label = first if first == last else f"{first}..{last}"
            print(f"werkmonitor: materialising {label} …", flush=True)
            run_started = time.perf_counter()
            with run_log(paths.warehouse, first, last) as log_path:
                result = execute(first, last)
            if log_path:
                print(f"  run log: {log_path}")
            timings = _stage_timings(result)
            reasons = _failure_reasons(result)
            report["runs"].append(
                {
                    "range": [first, last],
                    "success": result.success and not reasons,
                    "seconds": round(time.perf_counter() - run_started, 3),
                    "stages": {k: round(v, 3) for k, v in timings.items()},
                    "run_id": result.run_id,
                }
            )
            if reasons or not result.success:
                failed.append(label)
                print(f"werkmonitor: {label} FAILED", file=sys.stderr)
                for reason in reasons or ["the run failed; see the Dagster run log"]:
                    print(f"  - {reason}", file=sys.stderr)
    report["seconds"] = round(time.perf_counter() - started, 3)
    if timings_path:
        timings_path.write_text(json.dumps(report, indent=2))
    from werkmonitor.summary import print_summary

    print_summary(paths, selected)
    print(f"werkmonitor: done in {report['seconds']:.1f} s")
    return 1 if failed else 0
