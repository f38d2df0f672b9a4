"""Warehouse: the dbt project, one Dagster asset per seed and model, grouped by layer.

One ``dbt build`` per run covers the whole partition range (single-run
backfill): every dbt invocation costs seconds of start-up, and the
incremental models take the range from ``WERKMONITOR_QUARTER_FROM`` / ``_TO``.
Seeds are part of the same build so a run never needs a second invocation,
but only those whose file or table changed since the last successful build
(``seed_loads.py``); dbt unit tests are not (they run in the test suite).

dbt tests are visible as asset checks without a planning cost per test: each
model (and the ingest asset, for the source tests on ``raw.*``) has one
``dbt_tests`` check that reports the results of all its tests from
``run_results.json``, once per partition of the run (``dbt_checks.py``).
"""

from collections.abc import Mapping, Sequence
from functools import cached_property
from importlib.metadata import version as installed_version
from threading import Lock
from typing import Any

from dagster import (
    AssetCheckSpec,
    AssetExecutionContext,
    AssetKey,
    AssetObservation,
    AssetSpec,
    BackfillPolicy,
)
from dagster_dbt import (
    DagsterDbtTranslator,
    DagsterDbtTranslatorSettings,
    DbtCliInvocation,
    DbtCliResource,
    dbt_assets,
)
from dagster_dbt.core import resource as dagster_dbt_resource

from werkmonitor.assets import prefetch
from werkmonitor.assets.dbt_checks import DBT_TESTS, test_check_evaluations
from werkmonitor.assets.dbt_process import InProcessDbtInvocation
from werkmonitor.assets.ingest import RAW_SUBMISSIONS
from werkmonitor.config import DBT_PROFILES_DIR
from werkmonitor.dbt import DBT_EXECUTABLE, dbt_project, quarter_range_env, run_target_dir
from werkmonitor.partitions import quarterly_partitions
from werkmonitor.progress import log_progress, show_progress
from werkmonitor.resources import WarehouseResource
from werkmonitor.seed_loads import record_seed_loads, unchanged_seeds

project = dbt_project()
project.prepare_if_dev()  # only under `dagster dev`: ensure_manifest(); a no-op elsewhere

LAYERS = ("staging", "intermediate", "marts")
BUILD_ARGS = ["build", "--exclude-resource-type", "unit_test"]


class WerkmonitorTranslator(DagsterDbtTranslator):
    """Sources are what the ingest asset writes; seeds are reference data; models by layer."""

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> AssetKey:
        if dbt_resource_props["resource_type"] == "source":
            return AssetKey(RAW_SUBMISSIONS)
        return AssetKey(dbt_resource_props["name"])

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        if dbt_resource_props["resource_type"] == "seed":
            return "reference"
        fqn = dbt_resource_props.get("fqn", [])
        layer = fqn[1] if len(fqn) > 2 else None
        return layer if layer in LAYERS else "marts"

    def get_asset_check_spec(
        self, asset_spec: AssetSpec, manifest: Mapping[str, Any], unique_id: str, project
    ) -> AssetCheckSpec | None:
        """One summarising check per tested asset instead of one check per dbt test."""
        return AssetCheckSpec(
            DBT_TESTS,
            asset=asset_spec.key,
            partitions_def=quarterly_partitions,
            description="All dbt tests on this asset (generic, singular, contracts aside).",
        )


translator = WerkmonitorTranslator(
    settings=DagsterDbtTranslatorSettings(
        enable_asset_checks=False,  # per-test checks: 200 planned checks a run
        enable_duplicate_source_asset_keys=True,
        enable_source_tests_as_checks=True,  # reported on raw_submissions, not as warnings
    )
)


@dbt_assets(
    manifest=project.manifest_path,
    project=project,
    partitions_def=quarterly_partitions,
    backfill_policy=BackfillPolicy.single_run(),
    dagster_dbt_translator=translator,
)
def warehouse_dbt(
    context: AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehouseResource
):
    paths = warehouse.settings()
    keys = context.partition_keys
    first, last = min(keys), max(keys)
    built = tests = 0
    # the project's partial parse, re-keyed to this warehouse: no full parse per new path
    target = run_target_dir(context, paths.warehouse)
    unchanged = unchanged_seeds(paths.warehouse)  # reference data as last loaded: not reloaded
    args = [*BUILD_ARGS, "--exclude", " ".join(unchanged)] if unchanged else BUILD_ARGS
    seeds = []
    # the later steps' imports meanwhile, on the core the dbt child leaves idle
    with quarter_range_env(first, last), prefetch.meanwhile():
        invocation = dbt.cli(args, context=context, target_path=target)
        for event in invocation.stream():
            unique_id = str(_metadata_value(event, "unique_id") or "")
            if isinstance(event, AssetObservation) and unique_id.startswith("test."):
                tests += 1  # summarised per asset below, from run_results.json
                continue
            if unique_id.startswith(("model.", "seed.")):
                built += 1
                if unique_id.startswith("seed."):
                    seeds.append(unique_id.split(".")[-1])
                seconds = _metadata_value(event, "Execution Duration")
                took = f" ({float(seconds):.1f} s)" if seconds is not None else ""
                show_progress("dbt", f"{unique_id.split('.')[-1]}{took} [{built}]")
            yield event
    record_seed_loads(paths.warehouse, seeds)  # reached only when the build succeeded
    kept = f"; {len(unchanged)} seeds unchanged, not reloaded" if unchanged else ""
    log_progress(context, "dbt", f"{built} models and seeds built, {tests} tests run{kept}")
    run_results = invocation.get_artifact("run_results.json")
    yield from test_check_evaluations(
        context, run_results, invocation.manifest, translator, project, keys
    )


def _metadata_value(event, key: str):
    metadata = getattr(event, "metadata", None) or {}
    value = metadata.get(key)
    return getattr(value, "value", value)


class WerkmonitorDbtResource(DbtCliResource):
    """``DbtCliResource`` without three costs per invocation we never use.

    * It starts ``dbt`` as a child process; ours runs it in this process
      (``dbt_process.py``: dbtRunner, the same command line, environment and
      events), which has dbt imported already.
    * dagster-dbt asks the executable for its version (``dbt --version``: a
      second dbt process, ≈3 CPU s); ours is the ``dbt`` beside the interpreter
      (``DBT_EXECUTABLE``), so its version is the installed dbt-core's.
    * It opens a dbt-core adapter in this process (profile, project, DuckDB
      connection: ≈2–4 CPU s) only for ``fetch_column_metadata`` /
      ``fetch_row_counts``, which these assets do not call.
    All three override private dagster-dbt members (pinned in ``pyproject.toml``);
    ``tests/test_definitions.py`` fails when an upgrade renames them.
    """

    @cached_property
    def _cli_version(self):
        from packaging import version

        return version.parse(installed_version("dbt-core"))

    def _initialize_dbt_core_adapter(self, args: Sequence[str]):
        return None

    def cli(self, args: Sequence[str], **kwargs) -> DbtCliInvocation:
        """dagster-dbt's ``cli`` (selection, environment, target dir), run in this process."""
        with _LOCK:
            saved = dagster_dbt_resource.DbtCliInvocation
            dagster_dbt_resource.DbtCliInvocation = InProcessDbtInvocation
            try:
                return super().cli(args, **kwargs)
            finally:
                dagster_dbt_resource.DbtCliInvocation = saved


_LOCK = Lock()  # one swap of dagster-dbt's invocation class at a time


def dbt_resource() -> DbtCliResource:
    return WerkmonitorDbtResource(
        project_dir=project,
        profiles_dir=str(DBT_PROFILES_DIR),
        dbt_executable=DBT_EXECUTABLE,
        global_config_flags=["--no-use-colors", "--no-send-anonymous-usage-stats"],
    )
