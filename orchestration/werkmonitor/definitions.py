"""The one Dagster ``Definitions`` of the werkmonitor code location.

``dagster dev`` and ``werkmonitor run`` both load this, so the UI and the
command are two doors into one definition. Importing it has no side effects:
no ``PATH`` change and no ``dbt parse`` (the manifest is prepared by
``werkmonitor run`` and, under ``dagster dev``, by ``DbtProject.prepare_if_dev``);
paths come from the ``warehouse`` resource when an asset runs.
"""

from __future__ import annotations

from dagster import Definitions, colored_console_logger

from werkmonitor.assets.ingest import raw_submissions
from werkmonitor.assets.publish import published_warehouse, quarterly_reports
from werkmonitor.assets.quality import quality_gates
from werkmonitor.assets.warehouse import dbt_resource, warehouse_dbt
from werkmonitor.automation import quarterly_job, quarterly_schedule, raw_files_sensor
from werkmonitor.progress import progress_logger
from werkmonitor.resources import WarehouseResource

defs = Definitions(
    assets=[raw_submissions, warehouse_dbt, published_warehouse, quarterly_reports],
    asset_checks=[quality_gates],
    jobs=[quarterly_job],
    schedules=[quarterly_schedule],
    sensors=[raw_files_sensor],
    resources={"dbt": dbt_resource(), "warehouse": WarehouseResource()},
    loggers={"console": colored_console_logger, "progress": progress_logger},
)
