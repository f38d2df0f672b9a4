"""Quality: the GX gates as asset checks on the assets they guard.

All gates of a quarter come from one GX run (``run_quality_gates``), so the
checks are one multi-asset check: importing GX and building its context once
per run instead of once per table. The checks are partitioned like the assets
they guard; a run over a range of quarters reports one result per check for
the whole range (its metadata lists the quarters and every failure).

Only ``publication_gate`` is a Dagster *blocking* check: the other checks sit
on assets upstream of other checked assets inside the same dbt step, and a
blocking check there would force Dagster to split the dbt build around the GX
run (a dependency cycle it resolves by subsetting). The publication gate sits
on the last dbt mart, fails when any blocking-severity gate failed on any
table, and so keeps the publish assets of that run from materialising.
"""

from collections import defaultdict

from dagster import (
    AssetCheckExecutionContext,
    AssetCheckResult,
    AssetCheckSeverity,
    AssetCheckSpec,
    AssetKey,
    MetadataValue,
    multi_asset_check,
)

from werkmonitor.assets.ingest import RAW_SUBMISSIONS
from werkmonitor.config import settings
from werkmonitor.partitions import quarterly_partitions

# gate group → (check name, guarded asset); one check per group shows where it failed
GUARDED = {
    "raw": ("raw_submissions_quality", AssetKey(RAW_SUBMISSIONS)),
    "facts": ("facts_quality", AssetKey("fct_trajectory_quarters")),
    "marts": ("indicators_quality", AssetKey("quarterly_indicators")),
    "completeness": ("region_completeness_gate", AssetKey("region_completeness")),
}


PUBLICATION_GATE = "publication_gate"
GATE_ASSET = AssetKey("quarterly_indicators")


def gate_group(target: str) -> str:
    """Which check a gate result belongs to, from the table it ran on."""
    table = target.split(".")[-1]
    if target.startswith(("raw.", "audit.")):
        return "raw"
    if table.startswith(("fct_", "dim_")):
        return "facts"
    if table in ("region_completeness", "completeness") or "completeness" in table:
        return "completeness"
    return "marts"


@multi_asset_check(
    name="quality_gates",
    can_subset=True,
    specs=[
        *(
            AssetCheckSpec(
                name,
                asset=key,
                partitions_def=quarterly_partitions,
                description=f"GX gates on the {group} tables (blocking and warning)",
            )
            for group, (name, key) in GUARDED.items()
        ),
        AssetCheckSpec(
            PUBLICATION_GATE,
            asset=GATE_ASSET,
            blocking=True,
            partitions_def=quarterly_partitions,
            description="Fails when any blocking gate failed: nothing is published on it.",
        ),
    ],
)
def quality_gates(context: AssetCheckExecutionContext):
    from werkmonitor.quality import run_quality_gates_many

    paths = settings()
    partitioned = context.has_partition_key_range or context.has_partition_key
    quarters = list(context.partition_keys) if partitioned else []
    grouped: dict[str, list] = defaultdict(list)
    reports = (
        run_quality_gates_many(paths.warehouse, quarters, paths.publish_dir) if quarters else []
    )
    for quarter, report in zip(quarters, reports, strict=True):
        context.log.info(report.format())
        for result in report.results:
            grouped[gate_group(result.target)].append((quarter, result))
    selected = {check.name for check in context.selected_asset_check_keys}
    for group, (name, key) in GUARDED.items():
        if name not in selected:
            continue
        results = grouped.get(group, [])
        blocking = [r for _, r in results if not r.success and r.severity == "blocking"]
        warnings = [r for _, r in results if not r.success and r.severity != "blocking"]
        lines = [f"- {q} {r.severity}: {r.message}" for q, r in results if not r.success]
        yield AssetCheckResult(
            check_name=name,
            asset_key=key,
            passed=not blocking,
            severity=AssetCheckSeverity.ERROR if blocking else AssetCheckSeverity.WARN,
            metadata={
                "quarters": ", ".join(quarters),
                "gates": MetadataValue.int(len(results)),
                "blocking_failures": MetadataValue.int(len(blocking)),
                "warnings": MetadataValue.int(len(warnings)),
                "failures": MetadataValue.md("\n".join(lines) or "none"),
            },
            description=(blocking[0].message if blocking else None),
        )
    if PUBLICATION_GATE in selected:
        blocking = [
            (q, r)
            for results in grouped.values()
            for q, r in results
            if not r.success and r.severity == "blocking"
        ]
        lines = [f"- {q} {r.target}: {r.message}" for q, r in blocking]
        # per quarter (contract 8): the gate stops the run's publish steps only when
        # every quarter is blocked; publish() itself skips each blocked quarter
        blocked = sorted({q for q, _ in blocking})
        yield AssetCheckResult(
            check_name=PUBLICATION_GATE,
            asset_key=GATE_ASSET,
            passed=not blocking or len(blocked) < len(quarters),
            severity=AssetCheckSeverity.ERROR if blocking else AssetCheckSeverity.WARN,
            metadata={
                "quarters": ", ".join(quarters),
                "blocked_quarters": ", ".join(blocked) or "none",
                "blocking_failures": MetadataValue.int(len(blocking)),
                "failures": MetadataValue.md("\n".join(lines) or "none"),
            },
            description=(
                f"{len(blocking)} blocking gate(s) failed; publication stopped"
                if blocking
                else None
            ),
        )
