"""The one Dagster ``Definitions`` of the werkmonitor code location.

``dagster dev`` and ``werkmonitor run`` both load this, so the UI and the
command are two doors into one definition.
"""

from __future__ import annotations

from dagster import Definitions

from werkmonitor.assets.ingest import raw_submissions
from werkmonitor.assets.publish import published_warehouse, quarterly_reports
from werkmonitor.assets.quality import quality_gates
from werkmonitor.assets.warehouse import dbt_resource, warehouse_dbt
from werkmonitor.automation import quarterly_job, quarterly_schedule, raw_files_sensor

defs = Definitions(
    assets=[raw_submissions, warehouse_dbt, published_warehouse, quarterly_reports],
    asset_checks=[quality_gates],
    jobs=[quarterly_job],
    schedules=[quarterly_schedule],
    sensors=[raw_files_sensor],
    resources={"dbt": dbt_resource()},
)
