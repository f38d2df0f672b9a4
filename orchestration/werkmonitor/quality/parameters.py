"""The values the suites refer to as ``{$PARAMETER: name}``.

Nothing a suite checks against is written in the suite itself: code lists and
the register come from ``seeds/``, columns, types and bounds of the raw tables
from the submission format (``format_rules``), thresholds from the
completeness policy. Changing one of those changes the gate with it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from werkmonitor import reference
from werkmonitor.quality.format_rules import format_parameters
from werkmonitor.quality.policy import CompletenessPolicy

# seed → parameter name; "_all" variants carry ALL first (the mart's breakdown columns)
CODE_LISTS = {
    "trajectory_types": True, "ips_schemes": True, "ips_phases": True, "financing_types": True,
    "financing_details": False, "exit_reasons": False, "contract_kinds": False,
    "indicators": False,
}


def suite_parameters(seeds_dir: Path, policy: CompletenessPolicy) -> dict[str, Any]:
    params: dict[str, Any] = {
        "regions": list(reference.regions(seeds_dir)),
        "organisations": list(reference.organisations(seeds_dir)),
    }
    for seed, with_all in CODE_LISTS.items():
        codes = list(reference.code_list(seed, seeds_dir))
        params[seed] = codes
        if with_all:
            params[f"{seed}_all"] = ["ALL", *codes]
    return {**params, **format_parameters(), **policy.parameters()}


def indicator_kinds(seeds_dir: Path) -> dict[str, str]:
    return {row["indicator"]: row["kind"] for row in reference.read_seed("indicators", seeds_dir)}
