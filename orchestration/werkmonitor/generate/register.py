"""Who simulates what: the register's organisations, their shares, who delivers when."""

from __future__ import annotations

import random

from werkmonitor import reference
from werkmonitor.generate.model import _DELIVERING, RESUBMISSION, _shift
from werkmonitor.generate.simulate import _OrgPlan
from werkmonitor.quarters import Quarter, quarter_range

# --------------------------------------------------------------------------- register plans


def _plans(quarters: list[Quarter], seed: int) -> tuple[list[_OrgPlan], dict]:
    orgs = reference.organisations()
    register = reference.organisation_regions()
    rng = random.Random(f"{seed}:weights")
    plans = []
    for code in sorted(orgs):
        org = orgs[code]
        types: dict[str, list] = {}
        for entry in register:
            if entry.organisation_code == code:
                types.setdefault(entry.trajectory_type, []).append(
                    (entry.region_code, entry.valid_from, entry.valid_to)
                )
        if not types:
            continue
        n_regions = len({r for entries in types.values() for r, _, _ in entries})
        size = n_regions ** 0.9 * rng.uniform(0.55, 1.6)
        weights = {t: size * rng.uniform(0.6, 1.4) for t in sorted(types)}
        sim_to = min(quarters[-1], org.active_to) if org.active_to else quarters[-1]
        plans.append(_OrgPlan(code, _shift(org.active_from, -4), sim_to, types, weights,
                              org.active_from, org.active_to))
    # Each organisation's share of the national target per type and quarter, among
    # the organisations active then. In its warm-up quarters (before joining the
    # monitor) an organisation keeps the share it will have when it joins, so the
    # delivering organisations' totals are not diluted by future members.
    totals: dict[tuple[str, Quarter], float] = {}
    for quarter in quarter_range(min(p.active_from for p in plans), quarters[-1]):
        for p in plans:
            for type_ in p.types:
                if _offers(p, type_, quarter):
                    key = (type_, quarter)
                    totals[key] = totals.get(key, 0.0) + p.weights[type_]
    share: dict[str, dict[tuple[str, str], float]] = {}
    for p in plans:
        for quarter in quarter_range(p.sim_from, p.sim_to):
            for type_ in p.types:
                effective = max(quarter, p.active_from)
                if _offers(p, type_, effective) and (type_, effective) in totals:
                    share.setdefault(p.code, {})[(type_, str(quarter))] = (
                        p.weights[type_] / totals[(type_, effective)]
                    )
    return plans, share


def _offers(plan: _OrgPlan, type_: str, quarter: Quarter) -> bool:
    """Whether the organisation runs trajectories of this type in the quarter.

    Non-IPS types were registered only from monitor phase 2, but the
    organisations ran them before; the simulation covers the whole active
    range and the projection only shows what the register asks for.
    """
    if quarter < plan.active_from or (plan.active_to is not None and quarter > plan.active_to):
        return False
    ends = [t for _, _, t in plan.types[type_]]
    return not (all(t is not None for t in ends) and quarter > max(ends))


def _delivers(plans: list[_OrgPlan], quarters: list[Quarter], seed: int) -> dict[str, set[str]]:
    """Which organisations deliver which quarter (some are absent or late)."""
    orgs = reference.organisations()
    out = {}
    for quarter in quarters:
        eligible = sorted(
            p.code for p in plans
            if orgs[p.code].is_active(quarter)
            and any(f <= quarter and (t is None or quarter <= t)
                    for entries in p.types.values() for _, f, t in entries)
        )
        n = min(len(eligible), _DELIVERING.get(str(quarter), len(eligible) - 1))
        rng = random.Random(f"{seed}:deliver:{quarter}")
        chosen = set(rng.sample(eligible, n)) if n > 0 else set()
        org, q = RESUBMISSION
        if str(quarter) == q and org in eligible and org not in chosen and chosen:
            chosen.remove(sorted(chosen)[0])
            chosen.add(org)
        out[str(quarter)] = chosen
    return out
