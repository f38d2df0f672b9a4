"""The small-cell suppression policy (``suppression.yml``).

The policy is data, not code, so a privacy officer can tighten a threshold
without a code change; the package ships the default and a deployment points
``WERKMONITOR_SUPPRESSION_POLICY`` (or ``policy_path``) at its own file.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DEFAULT_POLICY_PATH = Path(__file__).with_name("suppression.yml")
POLICY_ENV = "WERKMONITOR_SUPPRESSION_POLICY"


class PolicyError(ValueError):
    pass


@dataclass(frozen=True)
class Policy:
    min_count: int = 5
    min_denominator: int = 10
    small_count_label: str = "<5"
    withheld_label: str = "x"
    ratio_indicators: frozenset[str] = frozenset()
    restricted_breakdowns: dict[str, tuple[str, ...]] = field(default_factory=dict)
    small_denominator_width: float = 0.0
    organisation_view_width: float = 1.0
    audit_intervals: bool = False
    cohort_min_at_risk: int = 20
    cohort_at_risk_multiple: int = 5
    tiers: dict[str, Any] = field(default_factory=dict)
    source: str = ""

    def is_small_count(self, n: float | None) -> bool:
        return n is not None and 0 < n < self.min_count


def load_policy(policy_path: Path | None = None) -> Policy:
    """Default policy overlaid with ``policy_path`` or ``$WERKMONITOR_SUPPRESSION_POLICY``."""
    import yaml

    with open(DEFAULT_POLICY_PATH, encoding="utf-8") as handle:
        data: dict[str, Any] = yaml.safe_load(handle)
    source = str(DEFAULT_POLICY_PATH)
    override = policy_path or (Path(os.environ[POLICY_ENV]) if os.environ.get(POLICY_ENV) else None)
    if override is not None:
        override = Path(override)
        if not override.is_file():
            raise PolicyError(f"suppression policy not found: {override}")
        with open(override, encoding="utf-8") as handle:
            extra = yaml.safe_load(handle) or {}
        if not isinstance(extra, dict):
            raise PolicyError(f"{override}: expected a mapping at the top level")
        unknown = set(extra) - set(data)
        if unknown:
            raise PolicyError(f"{override}: unknown keys {sorted(unknown)}")
        data.update(extra)
        source = str(override)
    where = source
    try:
        min_count = int(data["min_count"])
        min_denominator = int(data["min_denominator"])
    except (TypeError, ValueError) as exc:
        raise PolicyError(f"{where}: min_count and min_denominator must be integers") from exc
    if min_count < 1 or min_denominator < 0:
        raise PolicyError(f"{where}: min_count must be >= 1 and min_denominator >= 0")
    restricted = {
        str(dim): tuple(map(str, indicators or ()))
        for dim, indicators in (data.get("restricted_breakdowns") or {}).items()
    }
    protection = data.get("protection") or {}
    cohorts = data.get("cohorts") or {}
    return Policy(
        min_count=min_count,
        min_denominator=min_denominator,
        small_count_label=str(data.get("small_count_label", "<5")),
        withheld_label=str(data.get("withheld_label", "x")),
        ratio_indicators=frozenset(map(str, data.get("ratio_indicators") or ())),
        restricted_breakdowns=restricted,
        small_denominator_width=float(protection.get("small_denominator_min_width", 0)),
        organisation_view_width=float(protection.get("organisation_view_min_width", 1)),
        audit_intervals=bool((data.get("audit") or {}).get("intervals_blocking", False)),
        cohort_min_at_risk=int(cohorts.get("min_at_risk", 20)),
        cohort_at_risk_multiple=int(cohorts.get("at_risk_multiple", 5)),
        tiers=dict(data.get("tiers") or {}),
        source=source,
    )
