"""Quality: the GX gates as asset checks on the assets they guard, one result per quarter.

All gates of a run come from one GX pass (``run_quality_gates_many``: one
context, one read of the warehouse, one Data Docs build), so the checks are
one multi-asset check. Each check yields **one evaluation per quarter** with
``partition=<quarter>``, also in a range run, so the UI shows a quarter's
checks on that quarter.

``publication_gate`` (on ``quarterly_indicators``) says per quarter whether the
quarter may be published: it fails for a quarter with a blocking gate
failure. Its spec is Dagster-*blocking* only so that the publish steps run
after it (a non-blocking check is no dependency); the per-quarter verdicts
are non-blocking evaluations, so one blocked quarter does not hold back the
others of a range, and the check's output (what the publish steps wait for)
is yielded only when at least one quarter may be published. The publish step
decides per quarter from the verdicts (``audit.quality_gate_runs``, written
by the same pass; ``publish()`` publishes only quarters whose latest gate run
passed).
"""

from collections import defaultdict

from dagster import (
    AssetCheckEvaluation,
    AssetCheckExecutionContext,
    AssetCheckKey,
    AssetCheckSeverity,
    AssetCheckSpec,
    AssetKey,
    MetadataValue,
    Output,
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
    if "completeness" in table:
        return "completeness"
    return "marts"


def check_evaluations(quarter: str, results: list, selected: set[str]):
    """The evaluations of one quarter: one per selected group check, then the publication gate."""
    grouped: dict[str, list] = defaultdict(list)
    for result in results:
        grouped[gate_group(result.target)].append(result)
    for group, (name, key) in GUARDED.items():
        if name not in selected:
            continue
        mine = grouped.get(group, [])
        blocking = [r for r in mine if r.is_blocking_failure]
        warnings = [r for r in mine if r.is_warning]
        lines = [f"- {r.severity} {r.name}: {r.message}" for r in mine if not r.success]
        yield AssetCheckEvaluation(
            asset_key=key, check_name=name, passed=not blocking, partition=quarter,
            severity=AssetCheckSeverity.ERROR if blocking else AssetCheckSeverity.WARN,
            metadata={
                "quarter": quarter,
                "gates": MetadataValue.int(len(mine)),
                "blocking_failures": MetadataValue.int(len(blocking)),
                "warnings": MetadataValue.int(len(warnings)),
                "failures": MetadataValue.md("\n".join(lines) or "none"),
            },
            description=blocking[0].message if blocking else None,
        )
    if PUBLICATION_GATE in selected:
        blocking = [r for r in results if r.is_blocking_failure]
        yield AssetCheckEvaluation(
            asset_key=GATE_ASSET, check_name=PUBLICATION_GATE, passed=not blocking,
            partition=quarter, severity=AssetCheckSeverity.ERROR,
            metadata={
                "quarter": quarter,
                "blocking_failures": MetadataValue.int(len(blocking)),
                "failures": MetadataValue.md(
                    "\n".join(f"- {r.target}: {r.message}" for r in blocking) or "none"),
            },
            description=(f"{quarter}: {len(blocking)} blocking gate(s) failed; "
                         "this quarter is not published") if blocking else None,
        )


@multi_asset_check(
    name="quality_gates",
    can_subset=True,
    specs=[
        *(
            AssetCheckSpec(
                name,
                asset=key,
                partitions_def=quarterly_partitions,
                description=f"GX gates on the {group} tables (blocking and warning), per quarter",
            )
            for group, (name, key) in GUARDED.items()
        ),
        AssetCheckSpec(
            PUBLICATION_GATE,
            asset=GATE_ASSET,
            # blocking orders the publish steps after this check (a non-blocking check
            # is no dependency: publish would run first, on gate results not written
            # yet); per-quarter verdicts are non-blocking evaluations, and the check
            # output is yielded only when some quarter may be published
            blocking=True,
            partitions_def=quarterly_partitions,
            description="Fails for a quarter with a blocking gate failure: that quarter is "
                        "not published (the others of the run are).",
        ),
    ],
)
def quality_gates(context: AssetCheckExecutionContext):
    from werkmonitor.quality import run_quality_gates_many

    paths = settings()
    partitioned = context.has_partition_key_range or context.has_partition_key
    quarters = list(context.partition_keys) if partitioned else []
    runs = run_quality_gates_many(
        paths.warehouse, quarters, internal_dir=paths.internal_dir,
        organisations_dir=paths.organisations_dir,
    ) if quarters else []
    selected = {check.name for check in context.selected_asset_check_keys}
    for run in runs:
        context.log.info(run.format())
        yield from check_evaluations(run.quarter, run.results, selected)
    if PUBLICATION_GATE in selected and any(run.passed for run in runs):
        key = AssetCheckKey(asset_key=GATE_ASSET, name=PUBLICATION_GATE)
        assets_def = context.op_execution_context.assets_def
        yield Output(None, output_name=assets_def.get_output_name_for_asset_check_key(key))
