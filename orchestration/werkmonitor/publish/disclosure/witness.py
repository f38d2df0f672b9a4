"""Witnesses without LP: a feasible point per protected side, built and checked.

Proving that a hidden cell keeps its interval needs, per side, one feasible
point of the reader's system where the cell reaches that end. In an
additive table such a point is the true point plus a perturbation ``y``
with ``A y = 0`` around the cell: the hypercube of the statistical offices
(the cell +d, a sibling in each relation -d, the corners +d again, ...).
``BlockWitness.find`` builds one greedily over the reader's own rows: move
the cell, then repeatedly repair a row that left its range by moving
another hidden cell of that row, the one whose move breaks the fewest other
rows (at a hypercube's corner it repairs two at once), within every cell's
bounds. No LP, a few dozen steps in Python.

The greedy is not trusted: ``verify`` checks every point against the
reader model given (every row a moved cell is in, by a sparse product
with the block's matrix, and every moved cell's bounds, the view's own
figures included). A side without a verified witness goes to the LP.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

TOL = 1e-5
MAX_STEPS = 160  # a 5-dimensional hypercube has 32 cells; chains cost a few more


class BlockWitness:
    """The reader's rows of one block, as Python lists for the greedy."""

    def __init__(self, a: sp.csr_matrix, row_lo, row_hi, base: np.ndarray):
        a = sp.csr_matrix(a)
        csc = a.tocsc()
        self.row_cols = _entries(a)
        self.col_rows = _entries(csc)
        self.row_lo = np.asarray(row_lo, float).tolist()
        self.row_hi = np.asarray(row_hi, float).tolist()
        self.base = np.asarray(base, float)
        self.base_list = self.base.tolist()
        self.act = (a @ self.base).tolist()

    def find(self, j: int, target: float, col_lo: list, col_hi: list):
        """(columns, new values) of a point with x_j = target, or None."""
        base, act0, rlo, rhi = self.base_list, self.act, self.row_lo, self.row_hi
        target = float(target)
        if not col_lo[j] - TOL <= target <= col_hi[j] + TOL:
            return None
        moved = {j: target - base[j]}
        act: dict[int, float] = {}

        def out(r: int, v: float) -> bool:
            return v < rlo[r] - TOL or v > rhi[r] + TOL

        bad: list[int] = []
        for r, k in self.col_rows[j]:
            act[r] = act.get(r, 0.0) + k * moved[j]
            if out(r, act0[r] + act[r]):
                bad.append(r)
        steps = 0
        while bad:
            r = bad.pop()
            value = act0[r] + act.get(r, 0.0)
            if not out(r, value):
                continue
            steps += 1
            if steps > MAX_STEPS:
                return None
            need = (rhi[r] - value) if value > rhi[r] else (rlo[r] - value)
            best, best_score = -1, None
            for c, k in self.row_cols[r]:
                if c in moved:
                    continue
                m = need / k
                x = base[c] + m
                if x < col_lo[c] - TOL or x > col_hi[c] + TOL:
                    continue
                score = 0
                for r2, k2 in self.col_rows[c]:
                    if r2 == r:
                        continue
                    v = act0[r2] + act.get(r2, 0.0)
                    score += out(r2, v + k2 * m) - out(r2, v)
                # fewest rows broken; then the cell with the most room left
                room = min(x - col_lo[c], col_hi[c] - x)
                key = (score, -room)
                if best_score is None or key < best_score:
                    best, best_score = c, key
            if best < 0:
                return None
            m = need / dict(self.row_cols[r])[best]
            moved[best] = m
            for r2, k2 in self.col_rows[best]:
                act[r2] = act.get(r2, 0.0) + k2 * m
                if out(r2, act0[r2] + act[r2]):
                    bad.append(r2)
        cols = np.fromiter(moved, int, len(moved))
        return cols, self.base[cols] + np.fromiter(moved.values(), float, len(moved))


def _entries(m) -> list[list[tuple[int, float]]]:
    """(index, coefficient) per row of a CSR matrix (per column of a CSC one)."""
    idx, data, ptr = m.indices.tolist(), m.data.tolist(), m.indptr.tolist()
    return [list(zip(idx[s:e], data[s:e], strict=True)) for s, e in zip(ptr, ptr[1:], strict=False)]


def verify(a: sp.csr_matrix, row_lo, row_hi, col_lo, col_hi, base, points) -> np.ndarray:
    """Per point ``(cols, values)``: inside every row and bound of the model.

    ``base`` must be feasible (checked here too, in full); a point differs
    from it only in its columns, so only the rows those columns are in can
    change: one sparse product for all points at once."""
    k = len(points)
    ok = np.ones(k, bool)
    base = np.asarray(base, float)
    act = a @ base
    if not _inside(act, row_lo, row_hi).all() or not _inside(base, col_lo, col_hi).all():
        return np.zeros(k, bool)
    if not k:
        return ok
    cols = np.concatenate([p[0] for p in points])
    vals = np.concatenate([p[1] for p in points])
    wid = np.repeat(np.arange(k), [p[0].size for p in points])
    bad_col = ~_inside(vals, np.asarray(col_lo)[cols], np.asarray(col_hi)[cols])
    ok[np.unique(wid[bad_col])] = False
    delta = sp.csc_matrix((vals - base[cols], (cols, wid)), shape=(a.shape[1], k))
    change = (a @ delta).tocoo()
    now = act[change.row] + change.data
    bad_row = ~_inside(now, np.asarray(row_lo)[change.row], np.asarray(row_hi)[change.row])
    ok[np.unique(change.col[bad_row])] = False
    return ok


def _inside(v, lo, hi) -> np.ndarray:
    return (v >= np.asarray(lo) - TOL) & (v <= np.asarray(hi) + TOL)


def sides(pool_lo, pool_hi, base, j: int, req, tol: float = TOL, lo=None, hi=None) -> list[float]:
    """The values cell ``j`` must still reach (a width: up, failing that down).

    A width is reached from the pool's far end, inside the bounds the label
    gives (``lo``/``hi``): a ``<5`` of 4 that must keep a width of 1 goes
    down to 3, never up to 5 (a point the audit rejects)."""
    if req.width > 0:
        if pool_hi[j] - pool_lo[j] >= req.width - tol:
            return []
        top = np.inf if hi is None else hi[j]
        bottom = -np.inf if lo is None else lo[j]
        if pool_lo[j] + req.width <= top + tol:
            return [pool_lo[j] + req.width]
        if pool_hi[j] - req.width >= bottom - tol:
            return [pool_hi[j] - req.width]
        return [top, bottom] if top - bottom >= req.width - tol else []
    out = []
    if pool_lo[j] > req.lo + tol:
        out.append(req.lo)
    if pool_hi[j] < req.hi - tol:
        out.append(req.hi)
    return out


def settle(bw: BlockWitness, reqs_js, pool_lo, pool_hi, col_lo, col_hi):
    """Greedy witnesses for ``(req, column)`` pairs, pooled as they come.

    Returns the points found (to verify) and updates ``pool_lo``/``pool_hi``
    provisionally (the caller recomputes them from the verified points)."""
    lo_l, hi_l = np.asarray(col_lo, float).tolist(), np.asarray(col_hi, float).tolist()
    points = []
    for req, j in reqs_js:
        for target in sides(pool_lo, pool_hi, bw.base, j, req, TOL, col_lo, col_hi):
            found = bw.find(j, target, lo_l, hi_l)
            if found is None:
                continue
            points.append(found)
            cols, vals = found
            np.minimum.at(pool_lo, cols, vals)
            np.maximum.at(pool_hi, cols, vals)
            if req.width > 0 and pool_hi[j] - pool_lo[j] >= req.width - TOL:
                break
    return points


def pool_of(points, ok, size: int, base) -> tuple[np.ndarray, np.ndarray]:
    """Lowest and highest value per column over ``base`` and the verified points."""
    lo, hi = np.array(base, float), np.array(base, float)
    good = [p for p, fine in zip(points, ok, strict=True) if fine]
    if good:
        cols = np.concatenate([p[0] for p in good])
        vals = np.concatenate([p[1] for p in good])
        np.minimum.at(lo, cols, vals)
        np.maximum.at(hi, cols, vals)
    return lo, hi


def block_rows(state, vars_: np.ndarray):
    """The reader's rows over one block of the whole table (x-space): the
    equalities, the printed denominator of every shown share, the small
    denominators (1..min_den-1), the inequalities (cells outside the block
    at their true value). For ``BlockWitness`` in the protection step."""
    system = state.system
    eq = system.eq[:, vars_]
    eq = eq[np.flatnonzero(np.diff(eq.tocsr().indptr) > 0)]
    shares = vars_[(vars_ < system.n_rows) & (np.diff(system.den.indptr)[vars_] > 0)]
    shown = shares[~state.hidden[shares]]
    small = shares[state.hidden[shares] & state.small_den[shares]]
    ineq_all = system.ineq.tocsc()[:, vars_].tocsr()
    keep = np.flatnonzero(np.diff(ineq_all.indptr) > 0)
    inside = np.zeros(system.n, bool)
    inside[vars_] = True
    rhs = -(system.ineq[keep][:, ~inside] @ state.truth[~inside])
    mat = sp.vstack([eq, system.den[shown][:, vars_], system.den[small][:, vars_], ineq_all[keep]])
    lo = np.concatenate(
        [
            np.zeros(eq.shape[0]),
            system.den_truth[shown],
            np.ones(small.size),
            np.full(keep.size, -np.inf),
        ]
    )
    hi = np.concatenate(
        [
            np.zeros(eq.shape[0]),
            system.den_truth[shown],
            np.full(small.size, state.min_den - 1.0),
            rhs,
        ]
    )
    return mat.tocsr(), lo, hi


def with_view(col_lo, col_hi, idx, vlo, vhi):
    lo, hi = col_lo.copy(), col_hi.copy()
    if idx.size:
        lo[idx], hi[idx] = vlo, vhi
    return lo, hi


def witnessed(bw, a, open_reqs, pool, row_lo, row_hi, bounds, reuse):
    """Settle open requirements with greedy witnesses (``witness``), each
    verified against this model; the public's verified ones are tried for a
    view first (under the view's own bounds). Returns (still open, the
    verified points, points that failed the check: a bug if > 0)."""
    lo, hi = bounds
    if not _base_ok(a, row_lo, row_hi, lo, hi, bw.base):
        return open_reqs, [], 0
    good = []
    if reuse:
        ok = verify(a, row_lo, row_hi, lo, hi, bw.base, reuse)
        good = [p for p, fine in zip(reuse, ok, strict=True) if fine]
        for cols, vals in good:
            pool.add_sparse(cols, vals)
        open_reqs = [(r, j) for r, j in open_reqs if not pool.met(r, j)]
    points = settle(bw, open_reqs, pool.lo.copy(), pool.hi.copy(), lo, hi)
    ok = verify(a, row_lo, row_hi, lo, hi, bw.base, points)
    mine = [p for p, fine in zip(points, ok, strict=True) if fine]
    for cols, vals in mine:
        pool.add_sparse(cols, vals)
    still = [(r, j) for r, j in open_reqs if not pool.met(r, j)]
    return still, mine, int((~ok).sum())


def _base_ok(a, row_lo, row_hi, lo, hi, base) -> bool:
    act = a @ base
    return bool(
        ((act >= row_lo - TOL) & (act <= row_hi + TOL)).all()
        and ((base >= lo - TOL) & (base <= hi + TOL)).all()
    )
