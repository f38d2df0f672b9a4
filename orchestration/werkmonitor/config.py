"""Where things live.

Every path can be overridden with a ``WERKMONITOR_*`` variable (see
``../shared/spec/interface.md``); defaults are relative to the repository root,
not to the current directory, so the CLI, Dagster and tests agree whichever
folder they are started from. Paths are resolved at call time so tests can
point a run elsewhere by setting the environment.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
SEEDS_DIR = REPO_ROOT / "seeds"
EXPECTATIONS_DIR = REPO_ROOT / "expectations"
DBT_PROJECT_DIR = REPO_ROOT
DBT_PROFILES_DIR = REPO_ROOT / "dbt_project"


def _path(var: str, default: str) -> Path:
    value = os.environ.get(var)
    path = Path(value) if value else REPO_ROOT / default
    return path if path.is_absolute() else (Path.cwd() / path).resolve()


@dataclass(frozen=True)
class Settings:
    raw_dir: Path
    warehouse: Path
    publish_dir: Path
    organisations_dir: Path

    @property
    def internal_dir(self) -> Path:
        """The internal tier beside the working warehouse: gate results, GX Data Docs.

        They hold row-level values, so they never go under ``publish_dir``
        (``interface.md`` v2, "Publication tiers").
        """
        return self.warehouse.parent / "internal"

    @classmethod
    def from_env(cls) -> Settings:
        return cls(
            raw_dir=_path("WERKMONITOR_RAW_DIR", "raw"),
            warehouse=_path("WERKMONITOR_WAREHOUSE", "warehouse/werkmonitor.duckdb"),
            publish_dir=_path("WERKMONITOR_PUBLISH_DIR", "warehouse/published"),
            organisations_dir=_path("WERKMONITOR_ORGANISATIONS_DIR", "warehouse/organisations"),
        )

    def export(self) -> None:
        """Write the resolved absolute paths back to the environment.

        dbt reads the warehouse path through ``env_var()`` in ``profiles.yml``;
        exporting the absolute path keeps dbt and Python on the same file even
        when dbt runs with another working directory.
        """
        os.environ["WERKMONITOR_RAW_DIR"] = str(self.raw_dir)
        os.environ["WERKMONITOR_WAREHOUSE"] = str(self.warehouse)
        os.environ["WERKMONITOR_PUBLISH_DIR"] = str(self.publish_dir)
        os.environ["WERKMONITOR_ORGANISATIONS_DIR"] = str(self.organisations_dir)


def settings() -> Settings:
    return Settings.from_env()
