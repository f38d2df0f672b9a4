"""What each organisation knows: its shares of the public cells, and its view.

``map_shares`` puts the organisation shares (``organisations.region_shares``)
on the variables of the system; ``org_views`` turns them into one
``OrgView`` per organisation (its own figures, the others' rests it must not
read, the shown cells that give a rest away directly).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from werkmonitor.publish.disclosure.findings import Finding, OrgView, Requirement
from werkmonitor.publish.disclosure.secondary import Shares
from werkmonitor.publish.disclosure.system import KEY, System


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
    """One ``OrgView`` per organisation (docs/publishing.md, "Organisation
    views: our reading"). What organisation o must not read: a region cell
    whose rest after o's own share comes from exactly one other
    organisation and is 1..min_count-1 (o and one other provider, or a
    region o does not deliver with a single provider). A shown one is a
    direct finding; a hidden one must keep an interval of at least
    ``width`` in o's view. A rest pooled over two or more others is not
    protected; a cell that is o's own has nothing left to learn."""
    if shares is None:
        return []
    views = []
    level = system.keys["level"].to_numpy()
    share_of: dict[str, dict[int, float]] = {}
    for var, org, value in zip(shares.var, shares.org, shares.value, strict=True):
        share_of.setdefault(org, {})[int(var)] = float(value)
    given = shares.value > 0
    contributors = np.bincount(shares.var[given], minlength=system.n)
    region = (level == "region") & (np.arange(system.n) < system.n_rows)
    # cells with a single provider: every other organisation reads its count
    single = region & (contributors == 1)
    single &= (system.truth >= 1) & (system.truth < min_count) & ~_padded(shown, system.n)
    provider = dict(zip(shares.var[given].tolist(), shares.org[given].tolist(), strict=False))
    # one Requirement per single-provider cell, shared by every view but its provider's
    # (45 organisations x thousands of cells: building them per view was most of the cost)
    singles = [_rest(int(v), width) for v in np.flatnonzero(single)]
    mine: dict[str, set[int]] = {}
    for r in singles:
        if r.var in provider:
            mine.setdefault(provider[r.var], set()).add(r.var)
    for org in sorted(set(share_of) | set(shares.sole)):
        own = share_of.get(org, {})
        exact = {v: own.get(v, 0.0) for v in shares.sole.get(org, [])}
        view = OrgView(org, at_least={v: x for v, x in own.items() if v not in exact}, exact=exact)
        for var, o in own.items():
            if not region[var] or var in exact or o <= 0:
                continue
            rest = system.truth[var] - o
            if not 1 <= rest < min_count or contributors[var] != 2:
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
            else:  # the other's count must not come out narrower than ``width``
                view.protect.append(_rest(var, width))
        own_singles = mine.get(org)
        view.protect.extend(
            singles if not own_singles else [r for r in singles if r.var not in own_singles]
        )
        views.append(view)
    return views


def _rest(var: int, width: float) -> Requirement:
    return Requirement(var, -np.inf, np.inf, width, "the other organisation's count of 1-4")


def _padded(shown: np.ndarray, n: int) -> np.ndarray:
    out = np.ones(n, bool)
    out[: shown.size] = shown
    return out
