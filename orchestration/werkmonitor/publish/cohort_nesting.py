"""Cohort curves that differ by a nested breakdown: no small group by subtraction.

A published curve is about at least ``min_at_risk`` trajectories in every
month shown, but a reader can subtract curves: a region's ``ALL`` curve minus
its ``IPS`` curve describes the region's other trajectories, national minus
the regions shown describes the rest of the country. Every breakdown of the
mart nests: trajectory type, financing and IPS scheme in their ``ALL``, a
start quarter in its year and a year in ``ALL``, a region in the national
curve. The rule, one for all of them: in every month where the reader knows a
total (shown, or the sum of its shown parts), the trajectories at risk in
the parts the reader does not know (the total minus the known parts) are none
or at least ``min_at_risk`` — the threshold of a published curve, so a
complement's share is about a group as large as a published curve's.
Otherwise the cheaper side (fewest rows withheld; a part, or the total) is
withheld from that month on, so curves stay cut off, never holed, and the
check runs again until it holds.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import scipy.sparse as sp

CURVE = [
    "as_of_quarter", "outcome", "level", "region_code", "trajectory_type", "financing",
    "ips_scheme", "start_cohort",
]  # fmt: skip
MONTHS = 36
MAX_ROUNDS = 500


def _parents(curves: pd.DataFrame) -> list[pd.DataFrame]:
    """Per nesting, the curves that nest with the key of their total."""
    out = [
        curves[curves[d] != "ALL"].assign(**{d: "ALL"})
        for d in ("trajectory_type", "financing", "ips_scheme")
    ]
    part = curves[curves["start_cohort"] != "ALL"]
    start = part["start_cohort"]  # a quarter (2024Q1) is in its year, a year in ALL
    out.append(part.assign(start_cohort=start.str.slice(0, 4).where(start.str.len() > 4, "ALL")))
    out.append(curves[curves["level"] == "region"].assign(level="national", region_code=""))
    return out


def relations(curves: pd.DataFrame) -> tuple[np.ndarray, sp.csr_matrix]:
    """(total curve per relation, relation x curve membership of its parts).

    Per nesting, relations are numbered by the first part of each total in
    curve order (the order in which ``shown_by_nesting`` settles them)."""
    ids = curves.reset_index(drop=True).assign(curve=np.arange(len(curves)))
    curve_of = {key: i for i, key in enumerate(zip(*(ids[c] for c in CURVE), strict=True))}
    totals, rows, cols = [], [], []
    for parent in _parents(ids):
        found = [curve_of.get(key, -1) for key in zip(*(parent[c] for c in CURVE), strict=True)]
        total_of = np.asarray(found, dtype=np.int64)
        hit = total_of >= 0
        if not hit.any():
            continue
        rel, total = pd.factorize(total_of[hit])
        base = len(totals)
        totals.extend(total.tolist())
        rows.append(rel + base)
        cols.append(parent["curve"].to_numpy()[hit])
    n_rel = len(totals)
    if not n_rel:
        return np.zeros(0, int), sp.csr_matrix((0, len(curves)))
    member = sp.csr_matrix(
        (np.ones(sum(map(len, rows))), (np.concatenate(rows), np.concatenate(cols))),
        shape=(n_rel, len(curves)),
    )
    return np.asarray(totals), member


def _curve_ids(keyed: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray]:
    """(the distinct curves in order of first appearance, curve id per row)."""
    code = np.zeros(len(keyed), dtype=np.int64)
    for column in CURVE:  # one integer per key: each column's codes, mixed radix
        codes, uniques = pd.factorize(keyed[column])
        code = code * (len(uniques) + 1) + codes
    curve_id, _ = pd.factorize(code)
    first = np.full(curve_id.max() + 1 if len(curve_id) else 0, len(curve_id))
    np.minimum.at(first, curve_id, np.arange(len(curve_id)))
    return keyed.iloc[first].reset_index(drop=True), curve_id


def shown_by_nesting(frame: pd.DataFrame, min_at_risk: int) -> pd.Series:
    """Per row of ``frame`` (the mart's national and region rows, unrounded):
    shown (True) or withheld, by the curve's own threshold and the rule above."""
    keyed = frame[CURVE].astype("string").fillna("").astype(object)
    curves, curve_id = _curve_ids(keyed)
    month = frame["month"].to_numpy(int) - 1
    at_risk = np.zeros((len(curves), MONTHS))
    at_risk[curve_id, month] = frame["at_risk"].to_numpy(float)
    shown = at_risk >= min_at_risk
    total, member = relations(curves)
    # where the parts add up to the total (a reader may take that for granted:
    # financing, scheme and region can be unknown, a region breaks out IPS only)
    full = np.abs(at_risk[total] - member @ at_risk) < 0.5
    for m in range(MONTHS):  # a cut holds from its month on: earlier months stay settled
        for _ in range(MAX_ROUNDS):
            # a cell with nobody at risk is taken as known (the safe side)
            known, via = _known(shown[:, m] | (at_risk[:, m] == 0), total, member, full[:, m])
            unknown_at_risk = at_risk[total, m] - member @ (at_risk[:, m] * known)
            small = (at_risk[:, m] > 0.5) & (at_risk[:, m] < min_at_risk)
            failing = np.union1d(  # a small rest, or a small curve added up
                np.flatnonzero(
                    known[total] & (unknown_at_risk > 0.5) & (unknown_at_risk < min_at_risk)
                ),
                via[known & ~shown[:, m] & small],
            )
            if not failing.size:
                break
            for r in failing:
                _cut(r, m, total, member, shown, known, via, at_risk[:, m])
        else:
            raise RuntimeError(f"cohort curves: month {m + 1} still open after {MAX_ROUNDS} rounds")
    return pd.Series(shown[curve_id, month], index=frame.index)


def _known(known, total, member, full) -> tuple[np.ndarray, np.ndarray]:
    """Shown cells plus what follows by addition (one month): a total whose
    parts are all known and add up to it, and the one unknown part of a known
    total its parts add up to. Also, per cell, the relation it was added up
    from (-1: shown or empty)."""
    known = known.copy()
    via = np.full(known.size, -1)
    ids = np.arange(known.size, dtype=float) + 1
    for _ in range(100):
        unknown = ~known
        n_unknown = member @ unknown.astype(float)
        add_total = np.flatnonzero(full & (n_unknown < 0.5) & ~known[total])
        one = np.flatnonzero(full & known[total] & (np.abs(n_unknown - 1) < 0.5))
        which = (member @ (unknown * ids))[one].astype(int) - 1
        if not add_total.size and not which.size:
            break
        via[total[add_total]] = add_total
        via[which] = one
        known[total[add_total]] = True
        known[which] = True
    return known, via


def _cut(r, m, total, member, shown, known, via, at_risk) -> None:
    """Withhold, from month ``m`` on, the shown cell of relation ``r`` (a known
    part or the total) that withholds the fewest rows (then: the fewest at
    risk); when the relation's known cells are all sums, the cheapest shown
    cell they are added up from."""
    parts = _row(member, r)
    cells = [int(c) for c in (*parts[known[parts]], total[r])]
    sides = [c for c in cells if shown[c, m]] or _leaves(cells, total, member, shown[:, m], via)
    if sides:
        cost = [(shown[c, m:].sum(), at_risk[c]) for c in sides]
        shown[sides[cost.index(min(cost))], m:] = False


def _leaves(cells, total, member, shown, via) -> list[int]:
    """The shown cells a reader adds ``cells`` up from (following ``via``)."""
    out, todo, seen = [], list(cells), set()
    while todo:
        c = todo.pop()
        if c in seen:
            continue
        seen.add(c)
        if shown[c]:
            out.append(c)
        elif via[c] >= 0:
            todo += [int(x) for x in (*_row(member, via[c]), total[via[c]]) if x != c]
    return out


def _row(member: sp.csr_matrix, r) -> np.ndarray:
    """The parts of relation ``r`` (``member[r].indices`` without a sparse slice)."""
    return member.indices[member.indptr[r] : member.indptr[r + 1]]
