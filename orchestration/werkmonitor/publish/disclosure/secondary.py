"""Primary and secondary suppression that passes the audit with little hidden.

1. Primary: small counts (1-4), small denominators (1-9), restricted
   breakdowns, and region cells where an organisation subtracting its own
   figures would read the others' count of 1-4.
2. Linked rows: a share is hidden when a numerator its printed denominator
   consists of is hidden.
3. Cheapest partners: every equality of the catalogue with exactly one
   hidden cell gets a partner: the visible non-zero cell of that relation
   with the lowest cost (its value, weighted so that national and total
   cells are the last resort). Zeros are never partners.
4. The audit (LP) then finds what the group rules miss (a pair that must
   both be 1, narrowing through several groups); each cell it flags gets the
   cheapest partner of its relations, and the audit runs again until it
   passes.
5. Hidden non-protected cells the reader can compute anyway (plain
   subtraction) are shown again: hiding them protects nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

from werkmonitor.catalogue.relations import load_relations
from werkmonitor.publish.disclosure.reader import (
    SMALL_COUNT,
    SMALL_DENOMINATOR,
    SMALL_PART_LABEL,
    reader_system,
    withhold_hidden_denominators,
)
from werkmonitor.publish.disclosure.system import System
from werkmonitor.publish.disclosure.targets import CHOSEN, target_cells

RESTRICTED = "breakdown_not_published"
SECONDARY, LINKED = CHOSEN  # the reasons the suppression chooses (not primary)
ORGANISATION = "organisation_view"
SMALL_PART = SMALL_PART_LABEL  # the parts of a small total: the reason is its own label
PUBLISHED_REASON = {  # what the file says: the labels give away no more than the policy must
    SMALL_COUNT: SMALL_COUNT,
    SMALL_DENOMINATOR: SMALL_DENOMINATOR,
    RESTRICTED: RESTRICTED,
    SMALL_PART: SMALL_PART_LABEL,
    LINKED: "withheld",
    SECONDARY: "withheld",
    ORGANISATION: "withheld",
}


@dataclass
class Shares:
    """Organisation shares of region cells: parallel arrays over (org, var)."""

    var: np.ndarray
    org: np.ndarray
    value: np.ndarray
    sole: dict[str, list[int]] = field(default_factory=dict)  # org -> vars it alone delivers


def primary(
    system: System,
    min_count: int,
    min_denominator: int,
    restricted: np.ndarray,
    ratio: np.ndarray,
    shares: Shares | None,
) -> np.ndarray:
    """Reason per row variable ('' = shown)."""
    n = system.n_rows
    num, den = system.truth[:n], system.den_truth[:n]
    reason = np.full(n, "", dtype=object)
    if shares is not None and shares.var.size:
        # region cells only: a national figure pools every organisation, and
        # the policy protects the rest of a region's row (docs/publishing.md)
        rest = system.truth[shares.var] - shares.value
        is_region = system.keys["level"].to_numpy()[shares.var] == "region"
        small_rest = (rest >= 1) & (rest < min_count) & (shares.var < n) & is_region
        small_rest &= two_providers(system, shares)
        reason[np.unique(shares.var[small_rest])] = ORGANISATION
    small_den = ~np.isnan(den) & ~ratio & (den > 0) & (den < min_denominator)
    reason[small_den] = SMALL_DENOMINATOR
    small = (num > 0) & (num < min_count)
    reason[small] = SMALL_COUNT
    reason[parts_of_small_totals(system, small)] = SMALL_PART
    reason[restricted] = RESTRICTED
    return reason


def parts_of_small_totals(system: System, small: np.ndarray) -> np.ndarray:
    """Every member (zeros too) of a group whose total is 1-4 and has two or
    more non-zero members.

    Zeros are always shown and never partners, so a reader knows every
    hidden count is at least 1: a total of 1-4 over k hidden members is at
    least k, and 4 over four hidden regions gives each of them away as 1.
    The breakdown of such a total is therefore not published at all (zeros
    included, label ``breakdown_not_published``, which says nothing about
    the value); with a single non-zero member the member equals the total
    and both stay ``<5`` (no narrowing)."""
    n = system.n_rows
    out = np.zeros(n, bool)
    num = system.truth[:n]
    for members, total, _ in system.members:
        if total < n and small[total]:
            m = members[members < n]
            if (num[m] > 0).sum() >= 2:
                out[m] = True
    return out


def two_providers(system: System, shares: Shares) -> np.ndarray:
    """Per share entry: its cell has exactly two contributing organisations.

    Only then is the rest after subtracting one's own figure the count of
    *one other* organisation. A rest pooled over two or more others does not
    identify an organisation's clients (docs/publishing.md, "Organisation
    views"); a sole provider's cell is its own figure (its view is audited
    separately: it may not learn anything else from it)."""
    contributors = np.bincount(shares.var[shares.value > 0], minlength=system.n)
    return contributors[shares.var] == 2


def _pseudo_hidden(system: System, hidden_rows: np.ndarray) -> np.ndarray:
    """Full-length hidden mask: a pseudo total is hidden iff no member row prints it."""
    hidden = np.ones(system.n, bool)
    hidden[: system.n_rows] = hidden_rows
    den = system.den.tocsc()
    for var in range(system.n_rows, system.n):
        users = den.indices[den.indptr[var] : den.indptr[var + 1]]
        hidden[var] = bool(hidden_rows[users].all()) if users.size else True
    return hidden


def cost_of(system: System, min_count: int = 5) -> np.ndarray:
    """Information lost by hiding a cell: its value, national and total cells dearer.

    A count partner of min_count..2*min_count-2 (5-8) is the last resort: the
    reader knows a count ``x`` is at least min_count, so it can move down by
    less than 4 and two of them in a row (5 + 5 = 10) are given away. A
    target cell of issue 10 (``targets.target_cells``) costs more than any
    other cell of its level (round 7; round 6: x 1000): a region target
    goes after every other region cell, a national headline cell after every
    other national cell. Across levels the national weight still counts: a
    target above *every* cell made the national financing and outcome cells
    the partners of region targets, and each hid the national shares over
    it (demo, 11 quarters: national cells shown 4,264 -> 3,101 for 68 more
    region target cells; docs/publishing.md, "Utility targets (round 7)")."""
    keys = system.keys
    weight = np.where(keys["level"].to_numpy() == "national", 1000.0, 1.0)
    for dim in ("trajectory_type", "financing", "ips_scheme", "ips_phase"):
        weight = weight * np.where(keys[dim].to_numpy() == "ALL", 1.5, 1.0)
    shares = list(load_relations().denominators)
    is_count = ~np.isin(keys["indicator"].to_numpy(), shares)
    tight = is_count & (system.truth >= min_count) & (system.truth <= 2 * min_count - 2)
    weight = weight * np.where(tight, 20.0, 1.0)
    cost = np.maximum(system.truth, 0) * weight
    target = target_cells(system)
    level = keys["level"].to_numpy()
    for lv in np.unique(level[target]):
        same = level == lv
        offset = (cost[same & ~target].max() if (same & ~target).any() else 0.0) + 1.0
        cost = np.where(target & same, offset + cost, cost)
    return cost


def link_shares(system: System, reason: np.ndarray, keep=None) -> np.ndarray:
    """Hide every share whose printed denominator has a hidden numerator in it
    (until none has): a shown share prints its denominator, which would give
    the hidden numerator away. ``keep``: rows never hidden."""
    has_den, real_den = _share_links(system)
    keep = np.zeros(system.n_rows, bool) if keep is None else keep
    while True:
        hidden_rows = reason != ""
        new_linked = has_den & ~hidden_rows & ((real_den @ hidden_rows.astype(np.int8)) > 0)
        new_linked &= ~keep
        if not new_linked.any():
            return reason
        reason[new_linked] = LINKED


def _share_links(system: System):
    """(row has a denominator, its numerator rows): built once per system."""
    cached = getattr(system, "_share_links", None)
    if cached is None:
        n = system.n_rows
        den_rows = system.den[:n].tocsr()
        has_den = np.diff(den_rows.indptr) > 0
        cached = (has_den, (den_rows != 0).astype(np.int8).tocsr()[:, :n])
        system._share_links = cached
    return cached


def close_groups(
    system: System, reason: np.ndarray, cost: np.ndarray, max_rounds: int = 500, keep=None
):
    """Linked rows and cheapest partners until no relation has one hidden cell.
    ``keep``: rows never hidden (known from earlier publications)."""
    n = system.n_rows
    eq = (system.eq != 0).astype(np.int8).tocsr()
    keep = np.zeros(n, bool) if keep is None else keep
    candidate_ok = (system.truth[:n] > 0) & ~keep
    for _ in range(max_rounds):
        link_shares(system, reason, keep)
        hidden = _pseudo_hidden(system, reason != "")
        count = eq @ hidden.astype(np.int8)
        # a hidden count of 1-4 needs a hidden cell beside it in every relation
        # that is not bounded by a label: two "<5" cells with a known sum of
        # 2 are both 1
        free = hidden.copy()
        free[: system.n_rows] &= reason != SMALL_COUNT
        n_free = eq @ free.astype(np.int8)
        single = np.flatnonzero((count == 1) | ((count >= 1) & (n_free == 0)))
        if single.size == 0:
            return reason
        sub = eq[single].tocoo()
        var = sub.col
        ok = (var < n) & ~hidden[var]
        ok[ok] &= candidate_ok[var[ok]]
        rows, var = sub.row[ok], var[ok]
        if rows.size == 0:
            return reason  # the lone hidden cell is exact anyway: the audit reports it
        order = np.lexsort((cost[var], rows))
        rows, var = rows[order], var[order]
        first = np.unique(rows, return_index=True)[1]
        reason[var[first]] = SECONDARY
    return reason


def partners_for(
    system: System, reason: np.ndarray, cost: np.ndarray, flagged: set[int], keep=None
):
    """For each flagged cell, hide the cheapest visible non-zero cell of a
    relation it is in (or, failing that, of a relation of its hidden neighbours)."""
    n = system.n_rows
    eq = (system.eq != 0).astype(np.int8).tocsr()
    eq_t = eq.T.tocsr()
    hidden = _pseudo_hidden(system, reason != "")
    added = 0
    for var in flagged:
        frontier = [var]
        for _depth in range(3):
            rows = (
                np.unique(np.concatenate([eq_t[v].indices for v in frontier])) if frontier else []
            )
            if len(rows) == 0:
                break
            cells = np.unique(eq[rows].indices)
            cand = cells[(cells < n) & ~hidden[np.minimum(cells, system.n - 1)]]
            cand = cand[system.truth[cand] > 0]
            if keep is not None:
                cand = cand[~keep[cand]]
            if cand.size:
                best = cand[np.argmin(cost[cand])]
                reason[best] = SECONDARY
                hidden[best] = True
                added += 1
                break
            frontier = [c for c in cells if hidden[c]]
    return added


def published_labels(system: System, reason: np.ndarray) -> np.ndarray:
    """The reason a reader sees per row: ``small_count`` (``<5``: 1..4),
    ``small_denominator``, ``breakdown_not_published`` (restricted breakdowns
    and the parts of a small total: any value, 0 included) or ``withheld``
    (``x``: a count of at least ``min_count``, see ``reader.withheld_floor``)."""
    labels = np.array([PUBLISHED_REASON.get(r, r) if r else "" for r in reason], dtype=object)
    return withhold_hidden_denominators(system, reason, labels)


def reveal_determined(system: System, reason: np.ndarray, min_count: int, min_den: int) -> int:
    """Show hidden secondary/linked rows whose values the reader computes anyway."""
    shown = reason == ""
    reader = reader_system(system, shown, published_labels(system, reason), min_count, min_den)
    n = system.n_rows
    known = np.zeros(system.n, bool)
    known[:n] = shown
    for var in reader.determined:
        known[var] = True
    den = system.den[:n].tocsr()
    shown_again = 0
    for var in reader.determined:
        if var >= n or reason[var] not in (SECONDARY, LINKED):
            continue
        cols = den.indices[den.indptr[var] : den.indptr[var + 1]]
        if cols.size and not known[cols].all():
            continue
        reason[var] = ""
        shown_again += 1
    return shown_again


def org_rest_mask(system: System, shares: Shares | None, min_count: int) -> sp.csr_matrix | None:
    if shares is None:
        return None
    rest = system.truth[shares.var] - shares.value
    return (rest >= 1) & (rest < min_count)
