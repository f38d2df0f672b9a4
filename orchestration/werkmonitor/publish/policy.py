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

# BREAKDOWNS: what ``published_breakdowns.breakdown`` can say (docs/publishing.md,
# "Region breakdowns"), written once beside the readers of the same contract.
from werkmonitor.charts.published import BREAKDOWNS

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
    # type (or "default") -> breakdowns published at region level; None: all
    region_breakdowns: dict[str, frozenset[str]] | None = None
    # indicator families published at region level; None: every family
    region_families: frozenset[str] | None = None

    def is_small_count(self, n: float | None) -> bool:
        return n is not None and 0 < n < self.min_count

    def is_published(
        self, level: str, trajectory_type: str, breakdown: str, indicator: str | None = None
    ) -> bool:
        """Whether the public tier publishes this (level, type, breakdown), and
        with ``indicator`` that indicator there (``region_indicators``).
        National (and any level but region) publishes every breakdown and family."""
        if level != "region":
            return True
        if indicator is not None and not self.publishes_indicator(level, indicator):
            return False
        if self.region_breakdowns is None:
            return True
        listed = self.region_breakdowns.get(trajectory_type)
        if listed is None:
            listed = self.region_breakdowns.get("default", frozenset(BREAKDOWNS))
        return breakdown in listed

    def publishes_indicator(self, level: str, indicator: str) -> bool:
        """Whether ``indicator``'s family is published at ``level`` (an indicator
        outside the catalogue counts as published: the catalogue check is dbt's)."""
        if level != "region" or self.region_families is None:
            return True
        from werkmonitor.catalogue.indicators import by_code

        found = by_code().get(indicator)
        return found is None or found.family in self.region_families


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
    region_breakdowns = _region_breakdowns(data.get("region_breakdowns", "all"), where)
    region_families = _region_families(data.get("region_indicators", "all"), where)
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
        region_breakdowns=region_breakdowns,
        region_families=region_families,
    )


def _region_breakdowns(raw: Any, where: str) -> dict[str, frozenset[str]] | None:
    """``region_breakdowns``: ``all`` or {type | default: [breakdown, ...]}.

    A type's breakdown without its own rows would publish the total anyway
    (its parts add up to it) while the file says it is not published, so the
    own rows must be listed with any other breakdown of the type. A breakdown
    ALL publishes at region level is published by every type or by none:
    ALL x UWV minus IPS x UWV would be the other types' UWV count, a cell
    no audit sees (with every type or none it is no single cell: the unknown
    parts form a table whose margins are published, which tells a reader
    nothing the margins do not)."""
    if raw == "all":
        return None
    if not isinstance(raw, dict):
        raise PolicyError(f"{where}: region_breakdowns must be 'all' or a mapping per type")
    from werkmonitor.reference import read_seed

    types = {r["trajectory_type"] for r in read_seed("trajectory_types")} | {"ALL", "default"}
    out: dict[str, frozenset[str]] = {}
    for ttype, listed in raw.items():
        if str(ttype) not in types:
            raise PolicyError(
                f"{where}: region_breakdowns: unknown trajectory type {ttype!r} "
                f"(one of {sorted(types)})"
            )
        if not isinstance(listed, list):
            raise PolicyError(f"{where}: region_breakdowns.{ttype}: expected a list")
        unknown = sorted(set(map(str, listed)) - set(BREAKDOWNS))
        if unknown:
            raise PolicyError(
                f"{where}: region_breakdowns.{ttype}: unknown breakdowns {unknown} "
                f"(one of {list(BREAKDOWNS)})"
            )
        if listed and "trajectory_type" not in listed:
            raise PolicyError(
                f"{where}: region_breakdowns.{ttype}: {sorted(listed)} without the type's "
                "own rows (trajectory_type): its parts would add up to them"
            )
        out[str(ttype)] = frozenset(map(str, listed))
    default = out.get("default", frozenset(BREAKDOWNS))
    codes = sorted(types - {"ALL", "default"})
    for bd in BREAKDOWNS:
        if bd not in out.get("ALL", default):
            continue
        some = [t for t in codes if bd in out.get(t, default)]
        if some and len(some) < len(codes):
            raise PolicyError(
                f"{where}: region_breakdowns: ALL publishes {bd} at region level but only "
                f"{some} of the types do: ALL minus those is a pooled cell of the other "
                'types every reader computes (docs/publishing.md, "Region breakdowns")'
            )
    return out


def _region_families(raw: Any, where: str) -> frozenset[str] | None:
    """``region_indicators``: ``all`` or ``{families: [family, ...]}``.

    The set must be closed under what a published row prints: a share row
    prints its denominator (``seeds/indicators.csv`` column ``denominator``),
    so a published family needs the families of its denominators (outcomes
    need counts' ``running``, first_job outcomes' ``paid_work``), and a total
    that is one other indicator's figure (``catalogue/relations.yml``:
    ``avg_per_organisation``'s numerator is ``running``) needs that one's
    family; else the file would publish a family it says it does not
    publish at region level. (A published total whose unpublished parts add
    up to it, ``ended`` and the outflow categories, tells nothing about the
    parts.)"""
    if raw == "all":
        return None
    families = raw.get("families") if isinstance(raw, dict) else None
    if not isinstance(families, list):
        raise PolicyError(f"{where}: region_indicators must be 'all' or {{families: [...]}}")
    from werkmonitor.catalogue.indicators import FAMILIES, by_code

    chosen = frozenset(map(str, families))
    unknown = sorted(chosen - set(FAMILIES))
    if unknown:
        raise PolicyError(
            f"{where}: region_indicators: unknown families {unknown} (one of {list(FAMILIES)})"
        )
    catalogue = by_code()
    needs: dict[str, set[str]] = {}
    for ind in catalogue.values():
        needs.setdefault(ind.family, set()).update(
            catalogue[t].family for t in ind.denominator_terms if t in catalogue
        )
    from werkmonitor.catalogue.relations import load_relations

    for group in load_relations().indicator_groups:  # a total that is one member's figure
        if len(group.members) == 1 and {group.total, *group.members} <= set(catalogue):
            total, member = catalogue[group.total], catalogue[group.members[0]]
            needs.setdefault(total.family, set()).add(member.family)
    for fam in sorted(chosen):
        missing = sorted(needs.get(fam, set()) - chosen)
        if missing:
            raise PolicyError(
                f"{where}: region_indicators: {fam} without {missing}: its rows print "
                "figures of those families (a share's denominator, a total equal to one member)"
            )
    return chosen
