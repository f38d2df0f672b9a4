"""dbt test results as one ``dbt_tests`` asset check per asset, per partition.

dagster-dbt can make every dbt test its own asset check, but Dagster then
plans (and logs) ~200 checks per run, which cost more than the tests. One
check per tested asset keeps every failure visible in the UI at a fraction
of the planning cost: its metadata lists each test with status and failing
rows. Results are yielded as ``AssetCheckEvaluation`` events with an explicit
partition, so a range run (one dbt build for several quarters) still shows
the check for each quarter. Source tests on ``raw.*`` report on
``raw_submissions``, the asset that writes those tables.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping
from typing import Any

from dagster import AssetCheckEvaluation, AssetCheckSeverity, AssetKey, MetadataValue
from dagster_dbt.asset_utils import get_asset_check_key_for_test

DBT_TESTS = "dbt_tests"
FAILED = ("fail", "error")


def tests_by_asset(
    run_results: Mapping[str, Any], manifest: Mapping[str, Any], translator, project
) -> dict[AssetKey, list[dict]]:
    """Asset → its tests' results (name, status, failing rows) from ``run_results.json``."""
    grouped: dict[AssetKey, list[dict]] = defaultdict(list)
    for result in run_results.get("results", []):
        unique_id = result.get("unique_id", "")
        if not unique_id.startswith("test.") or unique_id not in manifest.get("nodes", {}):
            continue
        key = get_asset_check_key_for_test(manifest, translator, unique_id, project=project)
        if key is None:
            continue
        grouped[key.asset_key].append(
            {
                "name": manifest["nodes"][unique_id]["name"],
                "status": result.get("status"),
                "failures": result.get("failures"),
                "message": result.get("message"),
            }
        )
    return grouped


def summarise(tests: list[dict]) -> tuple[bool, AssetCheckSeverity, dict, str | None]:
    failed = [t for t in tests if t["status"] in FAILED]
    warned = [t for t in tests if t["status"] == "warn"]
    lines = [
        f"- {t['status']}: `{t['name']}` ({t['failures'] or 0} rows)" for t in failed + warned
    ]
    metadata = {
        "tests": MetadataValue.int(len(tests)),
        "failed": MetadataValue.int(len(failed)),
        "warned": MetadataValue.int(len(warned)),
        "results": MetadataValue.md("\n".join(lines) or "all passed"),
    }
    severity = AssetCheckSeverity.ERROR if failed else AssetCheckSeverity.WARN
    description = f"{len(failed)} of {len(tests)} dbt tests failed" if failed else None
    return not failed, severity, metadata, description


def test_check_evaluations(
    context, run_results, manifest, translator, project, partition_keys
) -> Iterator[AssetCheckEvaluation]:
    """One evaluation per selected ``dbt_tests`` check and partition of the run."""
    selected = {key.asset_key for key in context.selected_asset_check_keys if key.name == DBT_TESTS}
    grouped = tests_by_asset(run_results, manifest, translator, project)
    span = f"{min(partition_keys)}..{max(partition_keys)}"
    for asset_key in sorted(selected & grouped.keys(), key=lambda k: k.to_user_string()):
        passed, severity, metadata, description = summarise(grouped[asset_key])
        metadata["dbt_build_range"] = MetadataValue.text(span)
        for partition in partition_keys:
            yield AssetCheckEvaluation(
                asset_key=asset_key,
                check_name=DBT_TESTS,
                passed=passed,
                metadata=metadata,
                severity=severity,
                description=description,
                blocking=False,
                partition=partition,
            )
