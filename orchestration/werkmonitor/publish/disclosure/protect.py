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
from werkmonitor.publish.disclosure.repair import repair
from werkmonitor.publish.disclosure.secondary import (
    ORGANISATION,
    SMALL_PART,
    Shares,
    close_groups,
    cost_of,
    primary,
    published_labels,
    reveal_determined,
    two_providers,
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
    primary: np.ndarray | None = None  # the primary reasons only (the upper bound of utility)


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
    pairs = zip(shares.var, shares.org, two_providers(system, shares), strict=True)
    pair = {(int(v), o) for v, o, ok in pairs if ok}
    for org in sorted(set(share_of) | set(shares.sole)):
        own = share_of.get(org, {})
        exact = {v: own.get(v, 0.0) for v in shares.sole.get(org, [])}
        view = OrgView(org, at_least={v: x for v, x in own.items() if v not in exact}, exact=exact)
        for var, o in own.items():
            if level[var] != "region" or var >= system.n_rows or var in exact:
                continue
            rest = system.truth[var] - o
            if not 1 <= rest < min_count or (var, org) not in pair:
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
    known: pd.DataFrame | None = None,
    intervals: bool = False,
) -> Protection:
    """Reasons per row of ``frame`` so that the audit passes (or the best found).

    ``known``: cells the reader already knows from earlier publications (KEY
    columns + ``value``, the published value). A known cell whose value is
    still the current one is never hidden (hiding it protects nothing) and is
    never a partner; the audit treats it as shown. A known cell whose value
    has been revised is not a figure of this table (the archive audits the
    difference between versions)."""
    started = time.process_time()
    system = build_system(frame)
    n = system.n_rows
    is_known = known_mask(frame, known)
    ind = system.keys["indicator"].to_numpy()[:n]
    restricted = np.zeros(n, bool)
    for dim, allowed in policy.restricted_breakdowns.items():
        values = system.keys[dim].to_numpy()[:n]
        restricted |= (values != "ALL") & (values != "") & ~np.isin(ind, list(allowed))
    ratio = np.isin(ind, list(policy.ratio_indicators))
    mapped = map_shares(system, shares)
    reason = primary(system, policy.min_count, policy.min_denominator, restricted, ratio, mapped)
    reason[is_known] = ""
    first = reason.copy()
    cost = cost_of(system, policy.min_count)
    extra = None
    result = None
    rounds = 0
    focus: set[int] | None = None  # LP repair rounds audit only the blocks that changed
    audited_hidden = np.zeros(n, bool)
    while rounds < MAX_ROUNDS:
        rounds += 1
        reason = close_groups(system, reason, cost, keep=is_known)
        shown = reason == ""
        if focus is not None:
            focus |= set(np.flatnonzero(~shown & ~audited_hidden).tolist())
        audited_hidden = ~shown
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
            focus=focus,
            small_parts=_small_parts(system, reason, policy.min_count),
        )
        if result.passed:
            if focus is None:
                break
            focus = None  # the repaired blocks pass: audit everything once more
            continue
        flagged = {f.var for f in result.findings if f.var >= 0}
        # a shown cell whose rest is 1-4 is hidden itself; a hidden one that
        # comes out exactly gets partners like any other finding
        direct = {
            f.var
            for f in result.findings
            if "subtracts its own" in " ".join(f.route) and 0 <= f.var < n and shown[f.var]
        }
        direct -= set(np.flatnonzero(is_known).tolist())
        for var in direct:
            reason[var] = ORGANISATION
        before = reason == ""
        rest = [f for f in result.findings if f.var not in direct]
        repair(system, reason, cost, rest, result.reader, policy.min_count, is_known)
        if not (before & (reason != "")).any() and not direct:
            break
        if intervals:
            focus = flagged | set(np.flatnonzero(before & (reason != "")).tolist())
    if result is not None and result.passed:
        passed, hidden_before = result, reason.copy()
        if reveal_determined(system, reason, policy.min_count, policy.min_denominator):
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
                small_parts=_small_parts(system, reason, policy.min_count),
            )
            if not result.passed:  # showing them again opened another route: keep them hidden
                reason, result = hidden_before, passed
    return Protection(system, reason, result, rounds, time.process_time() - started, first)


def _small_parts(system: System, reason: np.ndarray, min_count: int) -> np.ndarray:
    truth = system.truth[: system.n_rows]
    return (reason == SMALL_PART) & (truth > 0) & (truth < min_count)


def known_mask(frame: pd.DataFrame, known: pd.DataFrame | None) -> np.ndarray:
    """Rows of ``frame`` the reader knows already with their current value."""
    mask = np.zeros(len(frame), bool)
    if known is None or known.empty:
        return mask
    # a share row also prints its numerator and denominator: when ``known``
    # has them, they must be unchanged too (0/40 and 0/38 are both 0%)
    cols = ["value", *[c for c in ("numerator", "denominator") if c in known.columns]]
    left = frame[KEY].astype("string").fillna("").reset_index(drop=True)
    left = left.assign(_row=np.arange(len(frame)))
    for c in cols:
        left[f"_now_{c}"] = pd.to_numeric(frame[c]).to_numpy(float)
    right = known[[*KEY, *cols]].copy()
    right[KEY] = right[KEY].astype("string").fillna("")
    hit = left.merge(right.rename(columns={c: f"_then_{c}" for c in cols}), on=KEY, how="inner")
    same = np.ones(len(hit), bool)
    for c in cols:
        then = pd.to_numeric(hit[f"_then_{c}"]).to_numpy(float)
        same &= np.isclose(then, hit[f"_now_{c}"].to_numpy(float), equal_nan=True)
    mask[hit["_row"].to_numpy()[same]] = True
    return mask
