"""The LP part of the audit: one block of the reader's system, every view.

Feasible points are pooled as the lowest and highest value each cell has
reached (the truth, points the suppression hands over, LP optima): a
requirement is met as soon as the pool reaches both its ends. A point the
suppression hands over (``protection.Witnesses``) is used only after it is
checked against this reader model (every row of the block, every bound the
labels give away, the view's own figures): the audit trusts no one. Two
directed batch LPs settle most of the rest; single-cell LPs run last.
"""

from __future__ import annotations

import numpy as np

from werkmonitor.publish.disclosure.findings import failure, make_finding
from werkmonitor.publish.disclosure.intervals import EPS, BlockLP
from werkmonitor.publish.disclosure.reader import Reader
from werkmonitor.publish.disclosure.witness import BlockWitness, with_view, witnessed

BATCH_ROUNDS = 40
STALE_ROUNDS = 4  # rounds without progress (re-weighted) before the single LPs
TOL = 1e-5
PUBLIC = "the public"  # a handed-over point is LP output: feasible up to the solver's tolerance


class Pool:
    """Lowest and highest value reached per block column."""

    def __init__(self, size: int):
        self.lo = np.full(size, np.inf)
        self.hi = np.full(size, -np.inf)

    def add(self, point: np.ndarray) -> None:
        np.minimum(self.lo, point, out=self.lo)
        np.maximum(self.hi, point, out=self.hi)

    def met(self, req, j: int) -> bool:
        if req.width > 0:
            return bool(self.hi[j] - self.lo[j] >= req.width - EPS)
        return bool(self.lo[j] <= req.lo + EPS and self.hi[j] >= req.hi - EPS)

    def add_sparse(self, cols: np.ndarray, vals: np.ndarray) -> None:
        np.minimum.at(self.lo, cols, vals)
        np.maximum.at(self.hi, cols, vals)

    def copy(self) -> Pool:
        out = Pool(0)
        out.lo, out.hi = self.lo.copy(), self.hi.copy()
        return out


def audit_block(system, reader: Reader, col_of, block, items, hints, truth_known=True):
    """Check every requirement of one block, public view first.

    Returns (findings, lps, points rejected, sides settled by verified witnesses)."""
    cols = np.flatnonzero(reader.blocks == block)
    rows = np.flatnonzero(reader.row_block == block)
    local = np.full(reader.unknown.size, -1)
    local[cols] = np.arange(cols.size)
    col_lo, col_hi = reader.col_lo[cols], reader.col_hi[cols]
    a = reader.a[rows][:, cols].tocsr()
    row_lo, row_hi = reader.lo[rows], reader.hi[rows]
    truth = system.truth[reader.unknown[cols]]
    lp = None
    lps = rejected = 0
    findings = []
    order, by_view = [], {}
    for view_name, req, view in items:
        if id(view) not in by_view:
            by_view[id(view)] = []
            order.append((view_name, view))
        by_view[id(view)].append(req)
    order.sort(key=lambda it: it[1] is not None)
    public_points = [truth] if truth_known else []
    base = truth if truth_known else None
    bw = None
    public_sparse: list = []  # the public's verified witnesses (sparse), for the views
    n_witnessed = 0
    for view_name, view in order:
        reqs = by_view[id(view)]
        js = np.array([int(local[col_of[r.var]]) for r in reqs])
        if rows.size == 0:
            for req, j in zip(reqs, js, strict=True):
                iv = (col_lo[j], col_hi[j])
                if view is None and failure(*iv, req):
                    findings.append(make_finding(system, view_name, req, iv, ["its label"]))
            continue
        idx, vlo, vhi = _view_bounds(view, col_of, local, col_lo, col_hi)

        def feasible(points, idx=idx, vlo=vlo, vhi=vhi) -> np.ndarray:
            """Per point (rows of ``points``): inside every bound and row."""
            if not len(points):
                return np.zeros(0, bool)
            p = np.asarray(points)
            ok = (p >= col_lo - TOL).all(axis=1) & (p <= col_hi + TOL).all(axis=1)
            if idx.size:
                ok &= (p[:, idx] >= vlo - TOL).all(axis=1) & (p[:, idx] <= vhi + TOL).all(axis=1)
            r = (a @ p.T).T
            return ok & (r >= row_lo - TOL).all(axis=1) & (r <= row_hi + TOL).all(axis=1)

        pool = Pool(cols.size)
        points = public_points
        if view is not None:
            points = [p for p, ok in zip(points, feasible(points), strict=True) if ok]
        if not points and truth_known:
            points = [truth]
        for p in points:
            pool.add(p)
        own, stale = _hinted(hints, view_name, reader.unknown[cols], system.truth)
        ok = feasible(own)
        rejected += int((~ok & ~stale).sum())  # a stale point may fail: not a bug
        hinted = [p for p, good in zip(own, ok, strict=True) if good]
        if view is not None:  # the public's points the organisation cannot exclude either
            pub, _ = _hinted(hints, PUBLIC, reader.unknown[cols], system.truth)
            hinted += [p for p, good in zip(pub, feasible(pub), strict=True) if good]
        for p in hinted:
            pool.add(p)
            if view is None:
                public_points.append(p)
        open_reqs = [(r, j) for r, j in zip(reqs, js, strict=True) if not pool.met(r, j)]
        if not open_reqs:
            continue
        if lp is None:
            lp = BlockLP(a, row_lo, row_hi, col_lo, col_hi, [reader.names[r] for r in rows])
        lp.set_bounds(np.arange(cols.size), col_lo, col_hi)
        if idx.size:
            lp.set_bounds(idx, vlo, vhi)
        open_reqs = _batch(lp, a, open_reqs, pool, col_lo, col_hi, idx, vlo, vhi)
        lps += lp.batch_lps
        if view is None:
            public_points.extend(lp.batch_points)
        if base is None and not truth_known:  # a published file: any feasible point
            if view is None and lp.batch_points:
                base = lp.batch_points[0]
            else:
                base = lp.extreme(np.zeros(cols.size), maximise=True)
                lps += 1
        if base is not None:
            if bw is None:
                bw = BlockWitness(a, row_lo, row_hi, base)
            bounds = with_view(col_lo, col_hi, idx, vlo, vhi)
            reuse = public_sparse if view is not None else []
            open_reqs, good, bad = witnessed(bw, a, open_reqs, pool, row_lo, row_hi, bounds, reuse)
            n_witnessed += len(good)
            rejected += bad
            if view is None:
                public_sparse.extend(good)
            if not open_reqs:
                continue
        for req, j in open_reqs:
            if pool.met(req, j):
                continue
            iv = lp.interval(j)
            lps += 2
            for w in (iv.witness_lo, iv.witness_hi):
                if w.size:
                    pool.add(w)
                    if view is None:
                        public_points.append(w)
            if failure(iv.lo, iv.hi, req):
                findings.append(_lp_finding(system, view_name, req, iv, rows, cols))
    return findings, lps, rejected, n_witnessed


def _batch(lp, a, open_reqs, pool, col_lo, col_hi, idx, vlo, vhi):
    """Settle open requirements with few LPs; returns the ones still open.

    Per round one LP over a class of cells that share no row (cells of one
    relation compete for its slack, and a vertex moves only some of them),
    each pushed towards the end it must reach and capped there by its
    bound: every cell at its cap is proven by the one point (the point is
    feasible, the cap only shrinks the region). A round without progress
    shuffles the order and re-draws the weights (seeded), up to
    ``STALE_ROUNDS`` times. ``lp.batch_lps`` / ``lp.batch_points``: what it cost
    and found."""
    rng = np.random.default_rng(len(open_reqs))
    csc = a.tocsc()
    lp.batch_lps, lp.batch_points = 0, []
    stale = 0
    for round_ in range(BATCH_ROUNDS):
        if len(open_reqs) < 2 or stale >= STALE_ROUNDS:
            break
        order = rng.permutation(len(open_reqs)) if round_ else np.arange(len(open_reqs))
        used: set[int] = set()
        cost = np.zeros(col_lo.size)
        caps = {}
        for i in order:
            req, j = open_reqs[i]
            rows = set(csc.indices[csc.indptr[j] : csc.indptr[j + 1]].tolist())
            if rows & used or j in caps:
                continue
            used |= rows
            w = rng.uniform(0.5, 1.5) if stale else 1.0
            up = bool(req.width) or pool.hi[j] < req.hi - EPS
            if req.width == 0 and pool.lo[j] > req.lo + EPS and pool.hi[j] >= req.hi - EPS:
                up = False
            cost[j] += w if up else -w
            if req.width == 0:  # capped at its end
                caps[j] = (col_lo[j], req.hi) if up else (req.lo, col_hi[j])
        cols = np.array(sorted(caps), int)
        if cols.size:
            lo = np.array([max(caps[c][0], col_lo[c]) for c in cols])
            hi = np.array([min(caps[c][1], col_hi[c]) for c in cols])
            lp.set_bounds(cols, lo, np.maximum(hi, lo))
        point = lp.extreme(cost, maximise=True)
        lp.batch_lps += 1
        if cols.size:  # back to the reader's bounds (the view's own on top)
            lp.set_bounds(cols, col_lo[cols], col_hi[cols])
            if idx.size:
                lp.set_bounds(idx, vlo, vhi)
        if point is None:
            stale += 1
            continue
        pool.add(point)
        lp.batch_points.append(point)
        still = [(r, j) for r, j in open_reqs if not pool.met(r, j)]
        stale = stale + 1 if len(still) == len(open_reqs) else 0
        open_reqs = still
    return open_reqs


def _lp_finding(system, view_name, req, iv, rows, cols):
    narrowed_lo = iv.lo > req.lo + EPS
    route = iv.route_lo if narrowed_lo else iv.route_hi
    if req.width > 0:  # a width is narrowed from both ends: both routes
        route = list(dict.fromkeys([*iv.route_lo, *iv.route_hi]))
    f = make_finding(system, view_name, req, (iv.lo, iv.hi), [system.relation(r) for r in route])
    brows = iv.rows_lo if narrowed_lo else iv.rows_hi
    bcols = iv.cols_lo if narrowed_lo else iv.cols_hi
    f.rows = rows[brows] if brows is not None and brows.size else None
    f.cols = cols[bcols] if bcols is not None and bcols.size else None
    if req.width > 0:
        f.shortfall = req.width - (iv.hi - iv.lo)
    else:
        f.shortfall = (iv.lo - req.lo) if narrowed_lo else (req.hi - iv.hi)
    return f


def _hinted(hints, view_name: str, vars_: np.ndarray, truth):
    """The handed-over points of this view on these variables (one full
    block), and per point whether it is stale: it moves a cell the reader
    knows (not among ``vars_``), so it belongs to a table before some cells
    were shown again (``reveal_determined``, the target re-show). Every
    point is still checked; a stale one that fails is dropped without
    counting as rejected (2023Q3: 54 such points raised a share's numerator
    with its denominator, since shown)."""
    none = ([], np.zeros(0, bool))
    if hints is None or not vars_.size:
        return none
    b = int(hints.block_of[vars_[0]])
    if (hints.block_of[vars_] != b).any():
        return none
    where = hints.local[vars_]
    points = hints.points.get(view_name, {}).get(b, [])
    if not points:
        return none
    block = np.flatnonzero(hints.block_of == b)
    other = np.setdiff1d(np.arange(block.size), where)
    base = truth[block[other]]
    stale = np.array([not np.allclose(p[other], base, atol=TOL) for p in points], bool)
    return [p[where] for p in points], stale


def _view_bounds(view, col_of, local, col_lo, col_hi):
    """The view's extra bounds in block columns: (columns, lower, upper)."""
    idx, lo, hi = [], [], []
    if view is None:
        return np.zeros(0, int), np.zeros(0), np.zeros(0)
    for var, v in view.at_least.items():
        c = col_of[var]
        if c >= 0 and local[c] >= 0:
            j = local[c]
            idx.append(j), lo.append(max(col_lo[j], v)), hi.append(col_hi[j])
    for var, v in view.exact.items():
        c = col_of[var]
        if c >= 0 and local[c] >= 0:
            idx.append(local[c]), lo.append(v), hi.append(v)
    return np.asarray(idx, int), np.asarray(lo, float), np.asarray(hi, float)
