"""Every intermediate and marts model has dbt unit tests (issue 14).

Read from the models' YAML, without running dbt (``tests/test_dbt_unit.py``
runs them): a model added under ``models/intermediate`` or ``models/marts``
without a ``unit_tests:`` entry fails here, named.
"""

from __future__ import annotations

import yaml

from werkmonitor.config import REPO_ROOT

MODELS = REPO_ROOT / "models"


def unit_tested() -> dict[str, list[str]]:
    tests: dict[str, list[str]] = {}
    for path in MODELS.rglob("*.yml"):
        for test in yaml.safe_load(path.read_text(encoding="utf-8")).get("unit_tests") or []:
            tests.setdefault(test["model"], []).append(test["name"])
    return tests


def test_every_intermediate_and_marts_model_has_unit_tests():
    models = {path.stem for layer in ("intermediate", "marts")
              for path in (MODELS / layer).rglob("*.sql")}
    assert len(models) > 30
    missing = sorted(models - set(unit_tested()))
    assert missing == []

