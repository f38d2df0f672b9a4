"""Warehouse: the dbt project, one Dagster asset per seed and model.

One ``dbt build`` per run covers the whole partition range (single-run
backfill): every dbt invocation costs seconds of start-up, and the
incremental models take the range as ``quarter_from`` / ``quarter_to`` vars.
Seeds are part of the same build so a run never needs a second invocation.
"""

import os
from collections.abc import Mapping
from typing import Any

from dagster import AssetExecutionContext, AssetKey, BackfillPolicy
from dagster_dbt import (
    DagsterDbtTranslator,
    DagsterDbtTranslatorSettings,
    DbtCliResource,
    DbtProject,
    dbt_assets,
)

from werkmonitor.assets.ingest import RAW_SUBMISSIONS
from werkmonitor.config import DBT_PROFILES_DIR, DBT_PROJECT_DIR
from werkmonitor.dbt import DBT_EXECUTABLE, MANIFEST_PATH, ensure_manifest, quarter_range_env
from werkmonitor.partitions import quarterly_partitions

# dagster-dbt's own manifest preparation under `dagster dev` looks for `dbt` on
# PATH; a venv that was not activated (`.venv/bin/dagster dev`) has it only
# beside the interpreter, so put that folder on PATH first.
_bin = os.path.dirname(DBT_EXECUTABLE)
if _bin not in os.environ.get("PATH", "").split(os.pathsep):
    os.environ["PATH"] = _bin + os.pathsep + os.environ.get("PATH", "")

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROFILES_DIR)
dbt_project.prepare_if_dev()
ensure_manifest()


class WerkmonitorTranslator(DagsterDbtTranslator):
    """Sources are what the ingest asset writes; everything dbt builds is 'warehouse'."""

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> AssetKey:
        if dbt_resource_props["resource_type"] == "source":
            return AssetKey(RAW_SUBMISSIONS)
        return AssetKey(dbt_resource_props["name"])

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        return "warehouse"


translator = WerkmonitorTranslator(
    settings=DagsterDbtTranslatorSettings(enable_duplicate_source_asset_keys=True)
)


@dbt_assets(
    manifest=MANIFEST_PATH,
    project=dbt_project,
    partitions_def=quarterly_partitions,
    backfill_policy=BackfillPolicy.single_run(),
    dagster_dbt_translator=translator,
)
def warehouse_dbt(context: AssetExecutionContext, dbt: DbtCliResource):
    keys = context.partition_keys
    with quarter_range_env(min(keys), max(keys)):
        yield from dbt.cli(["build"], context=context).stream()


def dbt_resource() -> DbtCliResource:
    return DbtCliResource(
        project_dir=dbt_project,
        profiles_dir=str(DBT_PROFILES_DIR),
        dbt_executable=DBT_EXECUTABLE,
        global_config_flags=["--no-use-colors", "--no-send-anonymous-usage-stats"],
    )
