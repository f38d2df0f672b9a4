"""When the pipeline runs by itself: a quarterly schedule and a raw-file sensor.

The sensor's cursor is a fingerprint (size, mtime) of every file under each
quarter folder, so a late submission, a corrected version or a deleted file
re-runs exactly the affected quarter — and republishes it — without anyone
opening the UI. The schedule materialises the quarter that just ended on a
fixed day after quarter end, when the organisations' deadline has passed.
"""

import hashlib
import json
from datetime import date

from dagster import (
    AssetSelection,
    DefaultScheduleStatus,
    DefaultSensorStatus,
    RunRequest,
    ScheduleEvaluationContext,
    SensorEvaluationContext,
    SkipReason,
    define_asset_job,
    schedule,
    sensor,
)

from werkmonitor.config import settings
from werkmonitor.partitions import quarterly_partitions
from werkmonitor.quarters import Quarter

quarterly_job = define_asset_job(
    "quarterly_pipeline",
    selection=AssetSelection.all(),
    description="Load, build, check and publish one quarter (or a range of quarters).",
)

# Day of the month after quarter end on which the quarter is materialised
# (submissions are due two weeks after the quarter).
SCHEDULE_CRON = "0 6 15 1,4,7,10 *"


def quarter_fingerprints() -> dict[str, str]:
    """Quarter → hash of (relative path, size, mtime) of every file in it."""
    raw_dir = settings().raw_dir
    prints: dict[str, str] = {}
    if not raw_dir.is_dir():
        return prints
    for folder in sorted(raw_dir.iterdir()):
        if not (folder.is_dir() and Quarter.is_valid(folder.name)):
            continue
        digest = hashlib.sha256()
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                stat = path.stat()
                digest.update(
                    f"{path.relative_to(folder)}|{stat.st_size}|{stat.st_mtime_ns}\n".encode()
                )
        prints[folder.name] = digest.hexdigest()[:16]
    return prints


def changed_quarters(previous: dict[str, str], current: dict[str, str]) -> list[str]:
    return sorted(q for q, fp in current.items() if previous.get(q) != fp)


@sensor(
    job=quarterly_job,
    minimum_interval_seconds=60,
    default_status=DefaultSensorStatus.RUNNING,
    description="Re-runs a quarter when files under raw/<quarter>/ appear or change.",
)
def raw_files_sensor(context: SensorEvaluationContext):
    previous = json.loads(context.cursor) if context.cursor else {}
    current = quarter_fingerprints()
    known = set(quarterly_partitions.get_partition_keys())
    changed = [q for q in changed_quarters(previous, current) if q in known]
    context.update_cursor(json.dumps(current, sort_keys=True))
    if not changed:
        return SkipReason("no new or changed submission files")
    return [RunRequest(run_key=f"{q}:{current[q]}", partition_key=q) for q in changed]


def just_ended_quarter(today: date) -> str:
    return str(Quarter.containing(today).previous())


@schedule(
    job=quarterly_job,
    cron_schedule=SCHEDULE_CRON,
    execution_timezone="Europe/Amsterdam",
    default_status=DefaultScheduleStatus.RUNNING,
    description="Materialises the quarter that just ended, on the 15th after quarter end.",
)
def quarterly_schedule(context: ScheduleEvaluationContext):
    quarter = just_ended_quarter(context.scheduled_execution_time.date())
    return RunRequest(run_key=f"scheduled:{quarter}", partition_key=quarter)
