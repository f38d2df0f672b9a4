"""Publish: the file BI tools open, and the reports people read.

The published file holds every quarter that passed its gates, so publishing
one partition rebuilds that one small aggregate file and swaps it in
atomically; reports are rendered from the published (suppressed) file so a
report never shows what the file hides.
"""

from dagster import (
    AssetExecutionContext,
    AssetKey,
    BackfillPolicy,
    MaterializeResult,
    MetadataValue,
    asset,
)

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
    skipped = "\n".join(f"- {q}: {why}" for q, why in sorted(result.skipped_quarters.items()))
    return MaterializeResult(
        metadata={
            "path": str(result.path),
            "publication_id": result.publication_id,
            "quarters": ", ".join(result.quarters),
            "republished_quarters": ", ".join(result.republished_quarters),
            "skipped_quarters": MetadataValue.md(skipped or "none"),
            "suppressed_cells": result.suppressed_cells,
            "seconds": round(result.duration_seconds, 2),
        }
    )


def published_quarters(publish_dir) -> set[str]:
    """Quarters the published file holds: only those get reports."""
    import duckdb

    path = publish_dir / "werkmonitor.duckdb"
    if not path.exists():
        return set()
    with duckdb.connect(str(path), read_only=True) as con:
        rows = con.execute("select distinct quarter from quarterly_indicators").fetchall()
    return {quarter for (quarter,) in rows}


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
    available = published_quarters(paths.publish_dir)
    written, skipped = [], []
    for quarter in context.partition_keys:
        if quarter not in available:
            skipped.append(quarter)
            context.log.warning(f"{quarter} is not in the published file: no reports")
            continue
        written.extend(render_reports(paths.publish_dir, quarter, paths.warehouse))
    return MaterializeResult(
        metadata={"files": len(written), "skipped_quarters": ", ".join(skipped) or "none"}
    )
