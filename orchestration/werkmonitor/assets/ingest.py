"""Ingest: the landing zone into the ``raw`` and ``audit`` schemas.

The asset is partitioned by quarter and takes a whole partition range in one
run (single-run backfill), because the loader is cheap per quarter and a
separate Dagster step per quarter would cost more than the load itself.
"""

from dagster import AssetExecutionContext, BackfillPolicy, MaterializeResult, MetadataValue, asset

from werkmonitor.partitions import quarterly_partitions
from werkmonitor.progress import Ticker, log_progress
from werkmonitor.resources import WarehouseResource

RAW_SUBMISSIONS = "raw_submissions"
COUNTED = (
    "accepted",
    "rejected",
    "superseded",
    "duplicate",
    "unchanged",
    "rows_loaded",
    "rows_quarantined",
)


@asset(
    name=RAW_SUBMISSIONS,
    group_name="ingest",
    partitions_def=quarterly_partitions,
    backfill_policy=BackfillPolicy.single_run(),
    kinds={"python", "duckdb"},
    description=(
        "Submissions of the quarter loaded from the landing zone into raw.* and "
        "audit.*: accepted, rejected (whole file), quarantined rows, superseded "
        "and duplicate versions."
    ),
)
def raw_submissions(
    context: AssetExecutionContext, warehouse: WarehouseResource
) -> MaterializeResult:
    from werkmonitor.loader import load_quarter
    from werkmonitor.status import quarter_status_metadata

    paths = warehouse.settings()
    totals: dict[str, int] = {}
    lines = []
    ticker = Ticker(context, "load")

    def progress(message: str, done: int, total: int) -> None:
        ticker(f"[{done}/{total}] {message}" if done else message)

    for quarter in context.partition_keys:
        summary = load_quarter(quarter, paths.raw_dir, paths.warehouse, progress=progress)
        head, *submissions = summary.format().splitlines()
        # the display showed each submission as it was stored; the event log gets them here
        log_progress(context, "load", head, detail="\n".join(submissions) or None)
        lines.append(summary.format())
        for key in COUNTED:
            totals[key] = totals.get(key, 0) + getattr(summary, key, 0)
    metadata = {key: MetadataValue.int(value) for key, value in totals.items()}
    metadata["summary"] = MetadataValue.md("\n\n".join(lines))
    metadata["status"] = MetadataValue.md(quarter_status_metadata(paths, context.partition_keys))
    return MaterializeResult(metadata=metadata)
