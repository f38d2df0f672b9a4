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
from werkmonitor.publish.disclosure.secondary import Shares, two_providers
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
