"""When the pipeline runs by itself: a quarterly schedule and a raw-file sensor.

The sensor knows what the warehouse has loaded, however it was loaded (CLI,
UI, schedule): it compares the content hash of every file under
``raw/<quarter>/`` with ``audit.submissions`` (``changes.pending_files``), so
starting ``dagster dev`` after ``make run`` requests nothing, and a file that
was touched or copied back requests nothing. A new or changed file in Q
requests Q and the quarter after it (whose comparison columns read Q). A
burst of files becomes one run: the sensor waits until the landing zone has
been quiet for :data:`SETTLE_SECONDS`, then requests one partition-range run
from the first to the last affected quarter. The schedule materialises the
quarter that just ended on a fixed day after quarter end.
"""

import hashlib
import time
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
from werkmonitor.partitions import landing_zone_quarters, quarterly_partitions
from werkmonitor.quarters import Quarter

quarterly_job = define_asset_job(
    "quarterly_pipeline",
    selection=AssetSelection.all(),
    description="Load, build, check and publish one quarter (or a range of quarters).",
)

# Day of the month after quarter end on which the quarter is materialised
# (submissions are due two weeks after the quarter).
SCHEDULE_CRON = "0 6 15 1,4,7,10 *"
SETTLE_SECONDS = 30
RANGE_START, RANGE_END = "dagster/asset_partition_range_start", "dagster/asset_partition_range_end"


def affected_quarters(pending: dict[str, list[str]], known: set[str]) -> list[str]:
    """Q and Q+1 for every quarter with a new or changed file, within the partitions."""
    affected = set()
    for quarter in pending:
        affected.add(quarter)
        affected.add(str(Quarter.parse(quarter).next()))
    return sorted((q for q in affected if q in known), key=Quarter.parse)


def sensor_request(now: float | None = None) -> RunRequest | SkipReason:
    """The one run the landing zone asks for now, or why none."""
    import duckdb

    from werkmonitor.changes import pending_files, read_state

    paths = settings()
    try:
        state = read_state(paths.warehouse)
    except duckdb.Error:
        return SkipReason("the warehouse is busy (a run holds it); trying again later")
    pending = pending_files(paths.raw_dir, state, landing_zone_quarters())
    if not pending:
        return SkipReason("no new or changed submission files (content hashes as loaded)")
    newest = max(
        _newest_mtime(paths.raw_dir / path) for files in pending.values() for path in files
    )
    if (now or time.time()) - newest < SETTLE_SECONDS:
        return SkipReason("files are still arriving; waiting for the landing zone to settle")
    quarters = affected_quarters(pending, set(quarterly_partitions.get_partition_keys()))
    if not quarters:
        return SkipReason(f"changed files in {', '.join(pending)} are outside the partitions")
    digest = hashlib.sha256(repr(sorted(pending.items())).encode()).hexdigest()[:16]
    first, last = quarters[0], quarters[-1]
    return RunRequest(
        run_key=f"raw:{first}..{last}:{digest}",
        tags={RANGE_START: first, RANGE_END: last, "werkmonitor/trigger": "raw_files_sensor"},
    )


def _newest_mtime(path) -> float:
    """A submission folder is as new as the newest file in it."""
    times = [path.stat().st_mtime] + [p.stat().st_mtime for p in path.rglob("*")]
    return max(times)


@sensor(
    job=quarterly_job,
    minimum_interval_seconds=60,
    default_status=DefaultSensorStatus.RUNNING,
    description="Runs the quarters whose files under raw/<quarter>/ are new or changed.",
)
def raw_files_sensor(context: SensorEvaluationContext):
    return sensor_request()


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
