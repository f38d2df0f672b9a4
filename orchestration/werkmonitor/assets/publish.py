"""Publish: the file BI tools open, the reports people read, the dashboard.

Publication is decided per quarter: ``publish()`` republishes each quarter of
the run whose latest gate run passed and carries the others over, so one
blocked quarter does not hold back the rest of a range. Reports are rendered
from the published (suppressed) file so a report never shows what the file
hides; a report that fails is a failed report, named in the metadata and in
``werkmonitor run``'s output, never a failed run.
"""

from dagster import (
    AssetExecutionContext,
    AssetKey,
    BackfillPolicy,
    MaterializeResult,
    MetadataValue,
    asset,
)

from werkmonitor.partitions import quarterly_partitions
from werkmonitor.progress import Ticker, log_progress, show_progress
from werkmonitor.resources import WarehouseResource

PUBLISHED_WAREHOUSE = "published_warehouse"
QUARTERLY_REPORTS = "quarterly_reports"


def publish_asset(name: str, deps: list[str], kind: str, description: str):
    """Both publish assets: one step for a whole partition range (single-run backfill)."""
    return asset(
        name=name,
        group_name="publish",
        partitions_def=quarterly_partitions,
        backfill_policy=BackfillPolicy.single_run(),
        deps=[AssetKey(dep) for dep in deps],
        kinds={kind},
        description=description,
    )


@publish_asset(
    PUBLISHED_WAREHOUSE,
    ["quarterly_indicators", "region_completeness", "regional_ambition"],
    "duckdb",
    "WERKMONITOR_PUBLISH_DIR/werkmonitor.duckdb: aggregates only, suppressed.",
)
def published_warehouse(
    context: AssetExecutionContext, warehouse: WarehouseResource
) -> MaterializeResult:
    from werkmonitor.plan import record_builds, span
    from werkmonitor.publish import publish

    paths = warehouse.settings()
    keys = list(context.partition_keys)
    log_progress(context, "publish", f"{span(keys)}: disclosure audit, one published file …")
    result = publish(paths.warehouse, paths.publish_dir, quarters=keys)
    blocked = {q: why for q, why in result.skipped_quarters.items() if q in keys}
    published = [q for q in keys if q not in blocked]
    _report_quarters(context, result, keys, blocked)
    record_builds(
        paths.warehouse,
        {q: "blocked" if q in blocked else "published" for q in keys},
        context.run_id,
    )
    skipped = "\n".join(f"- {q}: {why}" for q, why in sorted(result.skipped_quarters.items()))
    metadata = {
        "path": str(result.path),
        "publication_id": result.publication_id,
        "quarters": ", ".join(result.quarters),
        "published_quarters": ", ".join(published) or "none",
        "blocked_quarters": ", ".join(sorted(blocked)) or "none",
        "blocked": MetadataValue.json(blocked),
        "republished_quarters": ", ".join(result.republished_quarters),
        "skipped_quarters": MetadataValue.md(skipped or "none"),
        "suppressed_cells": result.suppressed_cells,
        "seconds": round(result.duration_seconds, 2),
    }
    for name, value in (getattr(result, "metadata", None) or {}).items():
        metadata[f"disclosure/{name}"] = _metadata(value)
    changed = getattr(result, "changed_quarters", None)
    if changed is not None:
        metadata["changed_quarters"] = ", ".join(changed) or "none"
    return MaterializeResult(metadata=metadata)


def _report_quarters(context, result, keys: list[str], blocked: dict[str, str]) -> None:
    """One line per quarter on the display; the same lines in one event-log entry."""
    changed = getattr(result, "changed_quarters", None)
    lines = []
    for quarter in keys:
        if quarter in blocked:
            lines.append(f"{quarter}: NOT published: {blocked[quarter]}")
        elif changed is None:
            lines.append(f"{quarter}: published")
        else:
            state = "figures changed" if quarter in changed else "figures unchanged"
            lines.append(f"{quarter}: published ({state})")
    for line in lines:
        show_progress("publish", line)
    head = (f"{len(keys) - len(blocked)} of {len(keys)} quarters published, "
            f"{result.suppressed_cells} cells suppressed, {result.duration_seconds:.1f} s")
    log_progress(context, "publish", head, detail="\n".join(lines))


def _metadata(value):
    if isinstance(value, dict | list):
        return MetadataValue.json(value)
    if isinstance(value, int | float | str | bool):
        return value
    return str(value)


def published_quarters(publish_dir) -> set[str]:
    """Quarters the published file holds: only those get reports."""
    import duckdb

    path = publish_dir / "werkmonitor.duckdb"
    if not path.exists():
        return set()
    with duckdb.connect(str(path), read_only=True) as con:
        rows = con.execute("select distinct quarter from quarterly_indicators").fetchall()
    return {quarter for (quarter,) in rows}


@publish_asset(
    QUARTERLY_REPORTS,
    [PUBLISHED_WAREHOUSE],
    "html",
    "National, regional and organisation reports (HTML, Dutch) and the dashboard.",
)
def quarterly_reports(
    context: AssetExecutionContext, warehouse: WarehouseResource
) -> MaterializeResult:
    from werkmonitor.assets.reporting import build_dashboard_if_available, render_quarter
    from werkmonitor.plan import record_builds

    paths = warehouse.settings()
    available = published_quarters(paths.publish_dir)
    written, failed, skipped, absent = 0, {}, 0, []
    ticker = Ticker(context, "reports")
    for quarter in context.partition_keys:
        if quarter not in available:
            absent.append(quarter)
            log_progress(context, "reports", f"{quarter} is not in the published file: no reports")
            continue

        def progress(name: str, done: int, total: int, quarter: str = quarter) -> None:
            ticker(f"{quarter}: [{done}/{total}] {name}")

        outcome = render_quarter(paths, quarter, progress)
        written += len(outcome.written)
        skipped += len(outcome.skipped)
        failed.update({f"{quarter} {name}": why for name, why in outcome.failed.items()})
        log_progress(
            context,
            "reports",
            f"{quarter}: {len(outcome.written)} written, {len(outcome.failed)} failed, "
            f"{len(outcome.skipped)} unchanged",
        )
        for name, why in sorted(outcome.failed.items()):
            context.log.warning(f"[reports] {quarter} report {name} failed: {why}")
    failed_quarters = {name.split(" ", 1)[0] for name in failed}
    if failed_quarters:  # the next run retries them even when nothing else changed
        record_builds(
            paths.warehouse, dict.fromkeys(sorted(failed_quarters), "reports_failed"),
            context.run_id,
        )
    dashboard = build_dashboard_if_available(paths.publish_dir)
    if dashboard:
        log_progress(context, "reports", f"dashboard: {dashboard}")
    lines = "\n".join(f"- {name}: {why}" for name, why in sorted(failed.items()))
    return MaterializeResult(
        metadata={
            "files": written,
            "unchanged": skipped,
            "failed_reports": MetadataValue.int(len(failed)),
            "failures": MetadataValue.md(lines or "none"),
            "failed_report_names": MetadataValue.json(sorted(failed)),
            "not_published_quarters": ", ".join(absent) or "none",
            "dashboard": str(dashboard or "not built"),
        }
    )
