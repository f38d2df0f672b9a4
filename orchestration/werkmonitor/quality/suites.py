"""Reading the versioned suite files in ``expectations/``.

Suites are YAML in Great Expectations' own suite layout (``name``,
``expectations`` with ``type`` / ``kwargs`` / ``meta``) plus a suite-level
``meta`` saying which table the suite guards and which frame the runner builds
for it. Loading is checked here, without GX: GX's ``ExpectationSuite`` logs
and silently drops an expectation it cannot parse, and a gate that vanishes
without a word is worse than a run that stops.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from werkmonitor.config import EXPECTATIONS_DIR
from werkmonitor.quality.results import SEVERITIES

POLICY_FILE = "policy.yml"  # beside the suites, not a suite


class SuiteError(ValueError):
    """A suite or policy file that cannot be used as written."""


@dataclass(frozen=True)
class SuiteSpec:
    name: str
    path: Path
    target: str
    frame: str
    attribute_by: tuple[str, ...]
    expectations: tuple[dict[str, Any], ...]
    meta: dict[str, Any] = field(default_factory=dict)

    def gates(self) -> list[str]:
        return [exp["meta"]["gate"] for exp in self.expectations]


def read_yaml(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise SuiteError(f"{path}: geen geldige YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise SuiteError(f"{path}: verwacht een mapping op het hoogste niveau")
    return data


def load_suite(path: Path) -> SuiteSpec:
    data = read_yaml(path)
    meta = data.get("meta") or {}
    for key in ("target", "frame"):
        if not meta.get(key):
            raise SuiteError(f"{path}: meta.{key} ontbreekt")
    expectations = data.get("expectations") or []
    if not expectations:
        raise SuiteError(f"{path}: geen expectations")
    seen: set[str] = set()
    for number, exp in enumerate(expectations, start=1):
        where = f"{path}: expectation {number}"
        if not isinstance(exp, dict) or not exp.get("type") or "kwargs" not in exp:
            raise SuiteError(f"{where}: 'type' en 'kwargs' zijn verplicht")
        exp_meta = exp.get("meta") or {}
        gate = exp_meta.get("gate")
        if not gate:
            raise SuiteError(f"{where} ({exp['type']}): meta.gate ontbreekt")
        if gate in seen:
            raise SuiteError(f"{where}: gate {gate!r} komt twee keer voor")
        seen.add(gate)
        if exp_meta.get("severity") not in SEVERITIES and not exp_meta.get("severity_from_policy"):
            raise SuiteError(f"{where} ({gate}): meta.severity moet blocking of warning zijn")
        if not exp_meta.get("description_nl"):
            raise SuiteError(f"{where} ({gate}): meta.description_nl ontbreekt")
    attribute_by = meta.get("attribute_by") or []
    if isinstance(attribute_by, str):
        attribute_by = [attribute_by]
    return SuiteSpec(
        name=str(data.get("name") or path.stem),
        path=path,
        target=meta["target"],
        frame=meta["frame"],
        attribute_by=tuple(attribute_by),
        expectations=tuple(expectations),
        meta=meta,
    )


def load_suites(directory: Path = EXPECTATIONS_DIR) -> list[SuiteSpec]:
    """Every suite file in the folder, in name order (the order of the report)."""
    paths = sorted(
        p for p in directory.iterdir()
        if p.suffix in (".yml", ".yaml", ".json") and p.name != POLICY_FILE
    )
    suites = [load_suite(path) for path in paths]
    names: dict[str, Path] = {}
    gates: dict[str, Path] = {}
    for suite in suites:
        if suite.name in names:
            raise SuiteError(f"suite {suite.name!r} staat in {names[suite.name]} en {suite.path}")
        names[suite.name] = suite.path
        for gate in suite.gates():
            if gate in gates:
                raise SuiteError(f"gate {gate!r} staat in {gates[gate]} en {suite.path}")
            gates[gate] = suite.path
    return suites
