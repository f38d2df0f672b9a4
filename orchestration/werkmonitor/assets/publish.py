"""Publish: the file BI tools open, and the reports people read.

The published file holds every quarter that passed its gates, so publishing
one partition rebuilds that one small aggregate file and swaps it in
atomically; reports are rendered from the published (suppressed) file so a
report never shows what the file hides.
"""

from dagster import AssetExecutionContext, AssetKey, BackfillPolicy, MaterializeResult, asset

from werkmonitor.config import settings
from werkmonitor.partitions import quarterly_partitions

PUBLISHED_WAREHOUSE = "published_warehouse"


@asset(
    name=PUBLISHED_WAREHOUSE,
    group_name="publish",
    partitions_def=quarterly_partitions,
    backfill_policy=BackfillPolicy.single_run(),
    deps=[
        AssetKey("quarterly_indicators"),
        AssetKey("region_completeness"),
        AssetKey("regional_ambition"),
    ],
    kinds={"duckdb"},
    description="WERKMONITOR_PUBLISH_DIR/werkmonitor.duckdb: aggregates only, suppressed.",
)
def published_warehouse(context: AssetExecutionContext) -> MaterializeResult:
    from werkmonitor.publish import publish

    paths = settings()
    result = publish(paths.warehouse, paths.publish_dir)
    context.log.info(f"published {result.path} with quarters {', '.join(result.quarters)}")
    return MaterializeResult(
        metadata={
            "path": str(result.path),
            "quarters": ", ".join(result.quarters),
            "suppressed_cells": result.suppressed_cells,
        }
    )


@asset(
    name="quarterly_reports",
    group_name="publish",
    partitions_def=quarterly_partitions,
    backfill_policy=BackfillPolicy.single_run(),
    deps=[AssetKey(PUBLISHED_WAREHOUSE)],
    kinds={"html"},
    description="National, regional and organisation reports (HTML, Dutch) per quarter.",
)
def quarterly_reports(context: AssetExecutionContext) -> MaterializeResult:
    from werkmonitor.publish import render_reports

    paths = settings()
    written = []
    for quarter in context.partition_keys:
        written.extend(render_reports(paths.publish_dir, quarter, paths.warehouse))
    return MaterializeResult(metadata={"files": len(written)})
