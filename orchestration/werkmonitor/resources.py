"""The warehouse and its paths as a Dagster resource.

Assets take their paths from this resource instead of reading module globals
at import time, so one definition serves the UI, ``werkmonitor run`` and
tests that point a run elsewhere. Each field left empty falls back to the
``WERKMONITOR_*`` environment variable (``config.settings()``) when the asset
runs, not when the definitions are imported.
"""

from __future__ import annotations

from pathlib import Path

from dagster import ConfigurableResource

from werkmonitor.config import Settings, settings


class WarehouseResource(ConfigurableResource):
    """Landing zone, working warehouse and the published and organisation tiers."""

    raw_dir: str = ""
    warehouse: str = ""
    publish_dir: str = ""
    organisations_dir: str = ""

    def settings(self) -> Settings:
        """The paths for this run; exported so dbt and the GX gates see the same files."""
        base = settings()
        resolved = Settings(
            raw_dir=Path(self.raw_dir) if self.raw_dir else base.raw_dir,
            warehouse=Path(self.warehouse) if self.warehouse else base.warehouse,
            publish_dir=Path(self.publish_dir) if self.publish_dir else base.publish_dir,
            organisations_dir=(
                Path(self.organisations_dir) if self.organisations_dir else base.organisations_dir
            ),
        )
        resolved.export()
        return resolved
