"""Suppress a public table until the audit passes.

``protect`` is what ``build.py`` calls: primary cells, partners, then audit
and repair rounds, then showing again what the reader can compute anyway,
then the final audit of the whole table (the gate).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import pandas as pd

from werkmonitor.publish.disclosure.audit import AuditResult, Finding, OrgView, Requirement, audit
from werkmonitor.publish.disclosure.secondary import (
    ORGANISATION,
    SECONDARY,
    Shares,
    close_groups,
    cost_of,
    partners_for,
    primary,
    published_labels,
    reveal_determined,
)
from werkmonitor.publish.disclosure.system import KEY, System, build_system

MAX_ROUNDS = 40
REPAIR_BATCH = 300  # findings fixed per round before the audit runs again


@dataclass
class Protection:
    system: System
    reason: np.ndarray  # internal reason per row ('' shown)
    result: AuditResult
    rounds: int
    cpu_seconds: float


def map_shares(system: System, shares: pd.DataFrame | None) -> Shares | None:
    """Organisation shares of region cells as (var, org, value), plus the
    national cells (an organisation's share of a national cell is the sum of
    its region shares) and the regions an organisation delivers alone."""
    if shares is None or shares.empty:
        return None
    keys = system.keys.reset_index(drop=True).assign(var=np.arange(system.n))
    region = shares.rename(columns={"organisation_code": "org"}).assign(
        level="region", organisation_code=""
    )
    national = (
        shares.groupby(
            [
                "quarter",
                "organisation_code",
                "trajectory_type",
                "financing",
                "ips_scheme",
                "ips_phase",
                "indicator",
            ],
            dropna=False,
        )["numerator"]
        .sum()
        .reset_index()
        .assign(level="national", region_code="")
    )
    national = national.rename(columns={"organisation_code": "org"}).assign(organisation_code="")
    both = pd.concat([region, national], ignore_index=True)
    both[KEY] = both[KEY].astype("string").fillna("").astype(object)
    hit = both.merge(keys, on=KEY, how="inner")
    sole: dict[str, list[int]] = {}
    orgs_per_region = shares.groupby(["quarter", "region_code"])["organisation_code"].nunique()
    # only indicators whose shares were counted (and reconciled) are known exactly
    counted = keys["indicator"].isin(set(shares["indicator"]))
    region_vars = keys[(keys["level"] == "region") & counted].groupby(["quarter", "region_code"])[
        "var"
    ]
    alone = orgs_per_region[orgs_per_region == 1].index
    owner = shares.drop_duplicates(["quarter", "region_code"]).set_index(
        ["quarter", "region_code"]
    )["organisation_code"]
    groups = region_vars.groups
    for q, r in alone:
        if (q, r) in groups:
            sole.setdefault(str(owner[(q, r)]), []).extend(int(v) for v in groups[(q, r)])
    return Shares(
        hit["var"].to_numpy(), hit["org"].to_numpy(object), hit["numerator"].to_numpy(float), sole
    )


def org_views(
    system: System, shares: Shares | None, shown: np.ndarray, min_count: int, width: float = 1.0
):
    if shares is None:
        return []
    views = []
    level = system.keys["level"].to_numpy()
    share_of: dict[str, dict[int, float]] = {}
    for var, org, value in zip(shares.var, shares.org, shares.value, strict=True):
        share_of.setdefault(org, {})[int(var)] = float(value)
    for org in sorted(set(share_of) | set(shares.sole)):
        own = share_of.get(org, {})
        exact = {v: own.get(v, 0.0) for v in shares.sole.get(org, [])}
        view = OrgView(org, at_least={v: x for v, x in own.items() if v not in exact}, exact=exact)
        for var, o in own.items():
            if level[var] != "region" or var >= system.n_rows or var in exact:
                continue
            rest = system.truth[var] - o
            if not 1 <= rest < min_count:
                continue
            if shown[var]:
                view.direct.append(
                    Finding(
                        org,
                        system.describe(var),
                        "the other organisations' count",
                        (rest, rest),
                        (1, min_count - 1, 0),
                        [f"{org} subtracts its own {o:g} from the region's figure"],
                        var,
                    )
                )
            else:  # the others' count must not come out exactly
                view.protect.append(
                    Requirement(var, -np.inf, np.inf, width, "the others' count of 1-4")
                )
        views.append(view)
    return views


def protect(
    frame: pd.DataFrame,
    policy,
    shares: pd.DataFrame | None = None,
    known_extra: dict[tuple, float] | None = None,
    intervals: bool = False,
) -> Protection:
    """Reasons per row of ``frame`` so that the audit passes (or the best found)."""
    started = time.process_time()
    system = build_system(frame)
    n = system.n_rows
    ind = system.keys["indicator"].to_numpy()[:n]
    restricted = np.zeros(n, bool)
    for dim, allowed in policy.restricted_breakdowns.items():
        values = system.keys[dim].to_numpy()[:n]
        restricted |= (values != "ALL") & (values != "") & ~np.isin(ind, list(allowed))
    ratio = np.isin(ind, list(policy.ratio_indicators))
    mapped = map_shares(system, shares)
    reason = primary(system, policy.min_count, policy.min_denominator, restricted, ratio, mapped)
    cost = cost_of(system)
    extra = _extra_vars(system, known_extra)
    if extra:  # a cell the reader knows from an earlier file is no partner
        cost[list(extra)] = np.inf
    result = None
    rounds = 0
    while rounds < MAX_ROUNDS:
        rounds += 1
        reason = close_groups(system, reason, cost)
        shown = reason == ""
        views = org_views(system, mapped, shown, policy.min_count, policy.organisation_view_width)
        result = audit(
            system,
            shown,
            published_labels(system, reason),
            policy.min_count,
            policy.min_denominator,
            policy.small_denominator_width,
            extra,
            views,
            stop_after=REPAIR_BATCH,
            exact_only=not intervals,
        )
        if result.passed:
            break
        flagged = {f.var for f in result.findings if f.var >= 0}
        direct = {f.var for f in result.findings if "subtracts its own" in " ".join(f.route)}
        for var in direct:
            reason[var] = ORGANISATION
        if not partners_for(system, reason, cost, flagged - direct) and not direct:
            break
    if result is not None and result.passed:  # noqa: SIM102
        again = reveal_determined(system, reason, policy.min_count, policy.min_denominator)
        if again + _show_known(system, reason, extra):
            shown = reason == ""
            views = org_views(
                system, mapped, shown, policy.min_count, policy.organisation_view_width
            )
            result = audit(
                system,
                shown,
                published_labels(system, reason),
                policy.min_count,
                policy.min_denominator,
                policy.small_denominator_width,
                extra,
                views,
                exact_only=not intervals,
            )
    return Protection(system, reason, result, rounds, time.process_time() - started)


def _show_known(system: System, reason: np.ndarray, extra: dict[int, float] | None) -> int:
    """Partners the reader knows from an earlier file protect nothing: show them
    (a share only when its denominator's numerators are shown or known too)."""
    if not extra:
        return 0
    n = system.n_rows
    known = np.zeros(system.n, bool)
    known[:n] = reason == ""
    known[list(extra)] = True
    den = system.den.tocsr()
    shown = 0
    for var in extra:
        cols = den.indices[den.indptr[var] : den.indptr[var + 1]]
        if var < n and reason[var] == SECONDARY and known[cols].all():
            reason[var] = ""
            shown += 1
    return shown


def _extra_vars(system: System, known: dict[tuple, float] | None) -> dict[int, float] | None:
    if not known:
        return None
    index = {tuple(k): i for i, k in enumerate(system.keys[KEY].itertuples(index=False))}
    return {index[k]: v for k, v in known.items() if k in index}
