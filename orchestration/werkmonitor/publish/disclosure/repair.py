"""Repair after an LP audit: partners chosen from the relations that bind.

An LP finding says which relations hold a protected cell in (the rows with
a nonzero dual at the optimum that narrows it) and by how much the interval
must widen. A shown cell of one of those relations that is hidden as a
partner opens that relation, and it only helps when it can move far enough:
its value minus the floor its ``x`` gives away (a count ``x`` is at least
``min_count``, see ``reader.withheld_floor``) must cover the shortfall. The
cheapest such cell is taken; failing one, the relations of the hidden cells
held at a bound; failing that, the cheapest partner of the cell's own
relations (``secondary.partners_for``).
"""

from __future__ import annotations

import numpy as np

from werkmonitor.catalogue.relations import load_relations
from werkmonitor.publish.disclosure.audit import Finding
from werkmonitor.publish.disclosure.reader import Reader
from werkmonitor.publish.disclosure.secondary import SECONDARY, partners_for
from werkmonitor.publish.disclosure.system import System


def repair(
    system: System,
    reason: np.ndarray,
    cost: np.ndarray,
    findings: list[Finding],
    reader: Reader | None,
    min_count: int,
    keep: np.ndarray | None = None,
) -> set[int]:
    """Hide partners for ``findings``; returns the variables hidden."""
    n = system.n_rows
    keep = np.zeros(n, bool) if keep is None else keep
    shares = list(load_relations().denominators)
    is_count = ~np.isin(system.keys["indicator"].to_numpy()[:n], shares)
    floor = np.where(is_count, float(min_count), 0.0)
    eq_t = system.eq.T.tocsr()
    added: set[int] = set()
    touched: set[tuple[int, int]] = set()
    fallback: set[int] = set()
    for f in findings:
        if f.var < 0:
            continue
        if reader is None or f.rows is None:
            fallback.add(f.var)
            continue
        srcs = {tuple(map(int, reader.source[r])) for r in f.rows}
        if srcs & touched:
            continue  # a relation that binds it was opened this round: audit again first
        best = _cheapest(
            system, reason, cost, keep, floor, f.shortfall, _vars(reader, system, f.rows)
        )
        if best < 0 and f.cols is not None:
            held = reader.unknown[f.cols]
            held = held[held < system.n]
            rows = np.unique(np.concatenate([eq_t[v].indices for v in held])) if held.size else []
            cand = np.unique(system.eq[rows].indices) if len(rows) else np.zeros(0, int)
            best = _cheapest(system, reason, cost, keep, floor, f.shortfall, cand)
        if best < 0:
            fallback.add(f.var)
            continue
        reason[best] = SECONDARY
        added.add(best)
        touched |= srcs
    if fallback:
        before = reason == ""
        partners_for(system, reason, cost, fallback, keep)
        added |= set(np.flatnonzero(before & (reason != "")).tolist())
    return added


def _vars(reader: Reader, system: System, rows: np.ndarray) -> np.ndarray:
    parts = [reader.system_vars(system, int(r)) for r in rows]
    return np.unique(np.concatenate(parts)) if parts else np.zeros(0, int)


def _cheapest(system, reason, cost, keep, floor, shortfall, cand) -> int:
    n = system.n_rows
    cand = cand[cand < n]
    if cand.size == 0:
        return -1
    truth = system.truth[cand]
    ok = (reason[cand] == "") & ~keep[cand] & (truth > 0)
    ok &= truth - floor[cand] >= max(shortfall, 1.0) - 1e-9
    cand = cand[ok]
    return int(cand[np.argmin(cost[cand])]) if cand.size else -1
