"""One dbt invocation where the tests used to make two.

Every dbt CLI start costs ≈5 CPU s (imports, adapter, manifest) before the
first model runs. ``dbt seed`` followed by ``dbt run --select X`` builds the
same tables as one ``dbt build`` of every seed and X's upstream models with
data and unit tests left out, so the cohort fixtures pay the start once (and in this process,
``dbt_inprocess``: no CLI start-up at all once the worker has parsed).
"""

from __future__ import annotations

from pathlib import Path

from dbt_inprocess import run_dbt


def seed_and_run(warehouse: Path, target: Path, *select: str) -> float:
    """All seeds plus the models ``select`` names (dbt selection syntax), in one build."""
    return run_dbt(warehouse, target, "build", "--select", "resource_type:seed", *select,
                   "--exclude-resource-type", "test", "--exclude-resource-type", "unit_test",
                   write_json=False)  # no caller reads an artifact from target
