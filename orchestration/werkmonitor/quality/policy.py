"""The completeness policy of the gates (``expectations/policy.yml``).

Named for what it is: the publication's disclosure policy lives in
``werkmonitor.publish.policy``; this one says how complete a quarter must be
(national coverage, region drop) before the gates let it through.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from werkmonitor.config import EXPECTATIONS_DIR
from werkmonitor.quality.results import SEVERITIES
from werkmonitor.quality.suites import POLICY_FILE, SuiteError, read_yaml


@dataclass(frozen=True)
class CompletenessPolicy:
    min_national_coverage: float
    max_region_drop_share: float
    region_drop_severity: str
    region_drop_min_previous: int

    def parameters(self) -> dict[str, Any]:
        return {
            "min_national_coverage": self.min_national_coverage,
            "max_region_drop_share": self.max_region_drop_share,
        }


def load_completeness_policy(path: Path | None = None) -> CompletenessPolicy:
    path = path or EXPECTATIONS_DIR / POLICY_FILE
    data = read_yaml(path)
    try:
        policy = CompletenessPolicy(
            min_national_coverage=float(data["min_national_coverage"]),
            max_region_drop_share=float(data["max_region_drop_share"]),
            region_drop_severity=str(data.get("region_drop_severity", "warning")),
            region_drop_min_previous=int(data.get("region_drop_min_previous", 0)),
        )
    except KeyError as exc:
        raise SuiteError(f"{path}: {exc.args[0]} ontbreekt") from exc
    except (TypeError, ValueError) as exc:
        raise SuiteError(f"{path}: ongeldige waarde: {exc}") from exc
    if not 0 <= policy.min_national_coverage <= 1:
        raise SuiteError(f"{path}: min_national_coverage moet tussen 0 en 1 liggen")
    if not 0 <= policy.max_region_drop_share <= 1:
        raise SuiteError(f"{path}: max_region_drop_share moet tussen 0 en 1 liggen")
    if policy.region_drop_severity not in SEVERITIES:
        raise SuiteError(f"{path}: region_drop_severity moet blocking of warning zijn")
    return policy
