"""Secondary suppression by the LP protection method (Kelly-Golden-Assad,
Fischetti-Salazar; what tau-ARGUS' "Modular" does per subtable).

For a protected cell p that a reader could narrow, and each side that is
short, one LP finds a perturbation ``y`` of the whole table that keeps every
relation (``A y = 0``, the inequalities, the printed denominators that stay
printed), moves p to the end it must reach (``y_p = target - a_p``), moves
only cells that are hidden or may be hidden, keeps every moved cell inside
the bounds the reader will see once it is hidden (``<5``: 1..4, a count
``x``: at least ``min_count``, a share: at least 0; zeros and cells known
from earlier publications never move) and minimises the information lost,
``sum w_j |y_j|`` (``w`` = ``secondary.cost_of`` for a shown cell, almost 0
for a hidden one). Every shown cell with ``y_j != 0`` is hidden. Then
``a + y`` is a point the reader cannot exclude: p is protected on that side,
and hiding more later only widens what the reader must allow, so after one
pass every protected cell is protected. The points are handed to the audit,
which checks each one against its own reader model (the gate).

Blocks: connected components of the equalities and denominators over all
cells (shown ones too); one HiGHS model per block, reused for every cell
and view (only bounds and costs change). A batch LP over the hidden cells
only (shown ones fixed) first settles every side the table already
protects; the protection LP runs for the rest.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from werkmonitor.publish.disclosure.findings import OrgView, Requirement
from werkmonitor.publish.disclosure.protection_lp import BlockModel, State, bounds, inf
from werkmonitor.publish.disclosure.system import System
from werkmonitor.publish.disclosure.witness import BlockWitness, block_rows, settle, sides

EPS = 1e-6
HIDDEN_COST = 1e-2  # moving an already hidden cell costs (almost) nothing
BATCH_ROUNDS = 40
MAX_BLOCK = 4000  # larger blocks: one LP per cell over its neighbourhood
HOPS = 2
STALE_ROUNDS = 4  # batch rounds without progress (randomly re-weighted) before the single LPs
PUBLIC = "the public"


@dataclass
class Witnesses:
    """Feasible points per view and block (x over the block's variables)."""

    block_of: np.ndarray  # full-system block per variable
    local: np.ndarray  # position of a variable within its block
    points: dict[str, dict[int, list[np.ndarray]]] = field(default_factory=dict)
    failed: list[tuple[str, int]] = field(default_factory=list)  # (view, var) without a witness
    lps: int = 0
    witnessed: int = 0  # sides settled by a greedy witness (``witness``), no LP


def full_blocks(system: System) -> tuple[np.ndarray, np.ndarray]:
    """Block per variable (equalities, denominators and inequalities, shown
    cells included). The inequalities join families (sustainable <= paid <=
    ever): with them left out a block's model held the other family's cells
    at their true values, and a ``<5`` whose side needs that family to move
    (paid work up to 4 needs ever-paid work up too) had no protection LP that
    could succeed (110 failed sides on 2022Q4)."""
    inc = sp.vstack([system.eq, system.den, system.ineq]).tocsr()
    inc = (inc != 0).astype(np.int8)
    graph = (inc.T @ inc).tocsr() + sp.identity(system.n, format="csr", dtype=np.int8)
    _, labels = connected_components(graph, directed=False)
    local = np.zeros(system.n, int)
    order = np.argsort(labels, kind="stable")
    starts = np.searchsorted(labels[order], labels[order])
    local[order] = np.arange(system.n) - starts
    return labels, local


def _met(rlo, rhi, j: int, req: Requirement) -> bool:
    if req.width > 0:
        return bool(rhi[j] - rlo[j] >= req.width - EPS)
    return bool(rlo[j] <= req.lo + EPS and rhi[j] >= req.hi - EPS)


def lp_protect(
    state: State,
    cost: np.ndarray,
    jobs: list[tuple[str, OrgView | None, list[Requirement]]],
    blocks: tuple[np.ndarray, np.ndarray] | None = None,
) -> Witnesses:
    """Protect every requirement of every view (public first); returns the points."""
    block_of, local = blocks if blocks is not None else full_blocks(state.system)
    out = Witnesses(block_of, local)
    models: dict[int, BlockModel] = {}
    greedy: dict[int, BlockWitness] = {}  # no LP for a side a greedy witness settles
    public_greedy: dict[int, list] = {}
    hood = _Neighbourhood(state.system)
    for name, view, reqs in jobs:
        per_block: dict[int, list[Requirement]] = {}
        for req in reqs:
            per_block.setdefault(int(block_of[req.var]), []).append(req)
        pts = out.points.setdefault(name, {})
        for b, breqs in per_block.items():
            vars_ = np.flatnonzero(block_of == b)
            lo, hi = bounds(state, vars_, view, open_candidates=False)
            a = state.truth[vars_]
            rlo, rhi = a.copy(), a.copy()
            for p in out.points.get(PUBLIC, {}).get(b, []) if view is not None else []:
                if (p >= lo - EPS).all() and (p <= hi + EPS).all():  # the organisation
                    np.minimum(rlo, p, out=rlo), np.maximum(rhi, p, out=rhi)  # can't exclude it
            bpts = pts.setdefault(b, [])
            js = [int(local[r.var]) for r in breqs]
            if vars_.size <= MAX_BLOCK:  # measured: 6.7 CPU s per batch LP on 5,707 hidden cells
                _reader_batch(state, view, vars_, breqs, js, rlo, rhi, bpts, out)
            if b not in greedy:
                greedy[b] = BlockWitness(*block_rows(state, vars_), a)
            if view is not None:  # the public's witnesses the organisation can't exclude
                for cols, vals in public_greedy.get(b, []):
                    if (vals >= lo[cols] - EPS).all() and (vals <= hi[cols] + EPS).all():
                        np.minimum.at(rlo, cols, vals), np.maximum.at(rhi, cols, vals)
            found = settle(greedy[b], list(zip(breqs, js, strict=True)), rlo, rhi, lo, hi)
            out.witnessed += len(found)
            if view is None:
                public_greedy.setdefault(b, []).extend(found)
            model = None
            if vars_.size <= MAX_BLOCK:
                if b not in models:
                    models[b] = BlockModel(state, vars_)
                model = models[b]
                model.load(*bounds(state, vars_, view, open_candidates=True))
            for req, j in zip(breqs, js, strict=True):
                for target in sides(rlo, rhi, a, j, req, EPS, lo, hi):
                    point = _protect_one(state, cost, model, hood, vars_, view, j, target, out)
                    if point is None:
                        continue
                    bpts.append(point)
                    np.minimum(rlo, point, out=rlo), np.maximum(rhi, point, out=rhi)
                    if req.width > 0 and _met(rlo, rhi, j, req):
                        break
                if not _met(rlo, rhi, j, req):
                    out.failed.append((name, req.var))
    return out


def _reader_batch(state, view, vars_, reqs, js, rlo, rhi, bpts, out) -> None:
    """The batch over the cells the reader does not see (``_batch``).

    Shown cells do not move (y = 0), so their columns drop out of every
    relation: the model holds the hidden cells, the share rows whose
    printed denominator binds them, and the requirements' own cells. On
    the demo data this turns a 6,327-cell block of 27,449 rows into a few
    hundred columns; the points are scattered back into the block."""
    system = state.system
    has_den = (vars_ < system.n_rows) & (np.diff(system.den.indptr)[vars_] > 0)
    keep = state.hidden[vars_] | has_den
    keep[js] = True
    pos = np.flatnonzero(keep)
    sub = vars_[pos]
    model = BlockModel(state, sub)
    model.load(*bounds(state, sub, view, open_candidates=False))
    at = np.full(vars_.size, -1)
    at[pos] = np.arange(pos.size)
    slo, shi, spts = rlo[pos].copy(), rhi[pos].copy(), []
    _batch(model, reqs, [int(at[j]) for j in js], slo, shi, spts, out)
    for p in spts:
        point = state.truth[vars_].copy()
        point[pos] = p
        bpts.append(point)
        np.minimum(rlo, point, out=rlo), np.maximum(rhi, point, out=rhi)


class _Neighbourhood:
    """Cells within a few relations of a cell (a big block's LP is local)."""

    def __init__(self, system: System):
        self.eq = (sp.vstack([system.eq, system.ineq]) != 0).astype(np.int8).tocsr()
        self.eq_t = self.eq.T.tocsr()

    def of(self, var: int, hops: int) -> np.ndarray:
        cells = np.array([var])
        for _ in range(hops):
            rows = np.unique(np.concatenate([self.eq_t[int(v)].indices for v in cells]))
            cells = np.union1d(cells, self.eq[rows].indices) if rows.size else cells
        return cells


def _protect_one(state, cost, model, hood, vars_, view, j, target, out) -> np.ndarray | None:
    """One protection LP: p (block column ``j``) moved to ``target``; hides the
    shown cells that move; returns the point over the block (None: infeasible)."""
    var = int(vars_[j])
    tries = [model] if model is not None else [HOPS, HOPS + 1, None]
    for attempt in tries:
        if isinstance(attempt, BlockModel):
            m, at = attempt, j
        else:
            sub = vars_ if attempt is None else hood.of(var, attempt)
            m = BlockModel(state, sub)
            m.load(*bounds(state, sub, view, open_candidates=True))
            at = int(np.searchsorted(sub, var))
        c = np.where(state.candidate[m.vars], cost[m.vars], HIDDEN_COST)
        m.pin(at, target - m.a[at])
        y = m.solve(np.r_[c, c])
        out.lps += 1
        m.unpin(at)
        if y is None:
            continue
        moved = m.vars[np.abs(y) > 1e-7]
        for v in moved[state.candidate[moved]]:
            state.hide(int(v))
        point = state.truth[vars_].copy()
        point[np.searchsorted(vars_, m.vars)] += y
        return point
    return None


def _batch(model: BlockModel, reqs, js, rlo, rhi, bpts, out: Witnesses) -> None:
    """Push open sides towards their ends at once, over the hidden cells only.

    One LP per round over cells that share no relation (cells in one
    relation compete for the same slack: the optimum, a vertex, would move
    only one of them), each capped at the end it must reach (its y bound),
    so every cell at its cap is proven by the one point. A round without
    progress is not the end: the order is shuffled and the weights drawn
    anew (seeded: reproducible) up to ``STALE_ROUNDS`` times, because a
    vertex that favours some cells of a class often has a neighbour that
    favours the others."""
    rng = np.random.default_rng(len(reqs))
    stale = 0
    for round_ in range(BATCH_ROUNDS):
        open_ = [(r, j) for r, j in zip(reqs, js, strict=True) if not _met(rlo, rhi, j, r)]
        if not open_ or stale >= STALE_ROUNDS:
            return
        order = rng.permutation(len(open_)) if round_ else np.arange(len(open_))
        used: set[int] = set()
        picked = []
        for i in order:
            req, j = open_[i]
            rows = set(model.rows_of(j))
            if rows & used:
                continue
            used |= rows
            picked.append((req, j))
        weight = rng.uniform(0.5, 1.5, len(picked)) if stale else np.ones(len(picked))
        cost = np.zeros(2 * model.m)
        lo, hi = model.lo, model.hi
        for (req, j), w in zip(picked, weight, strict=True):
            top = req.hi if req.width == 0 else model.a[j] + req.width
            bottom = req.lo if req.width == 0 else model.a[j] - req.width
            want_up = rhi[j] < top - EPS
            want_down = rlo[j] > bottom + EPS
            up = want_up and (not want_down or round_ % 2 == 0)
            cost[j], cost[j + model.m] = (-w, w) if up else (w, -w)
            # capped at the end to reach, so the sum stays bounded
            cap_up = max(min(hi[j], top) - model.a[j], 0.0)
            cap_down = max(model.a[j] - max(lo[j], bottom), 0.0)
            model.h.changeColsBounds(
                2, np.array([j, j + model.m], np.int32), [0, 0], inf([cap_up, cap_down])
            )
        y = model.solve(cost)
        out.lps += 1
        for _, j in picked:
            model.unpin(j)
        if y is None:
            return
        point = model.a + y
        bpts.append(point)
        np.minimum(rlo, point, out=rlo), np.maximum(rhi, point, out=rhi)
        after = sum(1 for r, j in open_ if not _met(rlo, rhi, j, r))
        stale = stale + 1 if after == len(open_) else 0
