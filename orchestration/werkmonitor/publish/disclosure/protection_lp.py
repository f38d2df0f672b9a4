"""The protection LP of one block: y+ and y- per cell, as a HiGHS model.

``State`` holds what is hidden and the bounds the reader sees once a cell
is hidden; ``BlockModel`` is built once per block (or per neighbourhood of
a cell in a big block) and only its bounds and costs change between cells
and views. See ``protection`` for the method.
"""

from __future__ import annotations

import highspy
import numpy as np
import scipy.sparse as sp

from werkmonitor.catalogue.relations import load_relations
from werkmonitor.publish.disclosure.findings import OrgView
from werkmonitor.publish.disclosure.intervals import new_highs
from werkmonitor.publish.disclosure.reader import (
    SMALL_COUNT,
    SMALL_DENOMINATOR,
    SMALL_PART_LABEL,
    withheld_floor,
)
from werkmonitor.publish.disclosure.secondary import SECONDARY
from werkmonitor.publish.disclosure.system import System

INF = highspy.kHighsInf


class State:
    """What is hidden and which bounds the reader sees (x-space, per variable)."""

    def __init__(self, system: System, reason, labels, keep, min_count: int, min_den: int):
        self.system, self.reason, self.min_count, self.min_den = system, reason, min_count, min_den
        n, nr = system.n, system.n_rows
        self.truth = system.truth
        full = np.full(n, "", dtype=object)
        full[:nr] = labels
        self.hidden = np.ones(n, bool)  # pseudo variables: free, no cell of their own
        self.hidden[:nr] = reason != ""
        shares = list(load_relations().denominators)
        self.is_count = ~np.isin(system.keys["indicator"].to_numpy(), shares)
        self.is_count[nr:] = False
        self.lo = np.zeros(n)
        self.hi = np.full(n, np.inf)
        small = full == SMALL_COUNT
        self.lo[small], self.hi[small] = 1.0, min_count - 1.0
        self.hi[full == SMALL_PART_LABEL] = min_count - 1.0  # <5 too: 0..4
        self.lo = np.maximum(self.lo, withheld_floor(system, full, min_count))
        self.small_den = full == SMALL_DENOMINATOR
        self.candidate = np.zeros(n, bool)
        self.candidate[:nr] = (reason == "") & (system.truth[:nr] > 0) & ~keep
        self.keep = np.zeros(n, bool)
        self.keep[:nr] = keep
        # a candidate, once hidden, reads ``x``: a count of at least min_count
        self.cand_lo = np.where(self.is_count, float(min_count), 0.0)
        self.cost = np.zeros(n)

    def hide(self, var: int) -> None:
        self.hidden[var], self.candidate[var] = True, False
        self.reason[var] = SECONDARY
        self.lo[var], self.hi[var] = self.cand_lo[var], np.inf


class BlockModel:
    """y+ and y- per variable of one block; rows: equalities, denominators, inequalities."""

    def __init__(self, state: State, vars_: np.ndarray):
        system = state.system
        self.state, self.vars = state, vars_
        m = vars_.size
        self.m = m
        eq = system.eq[:, vars_]
        eq = eq[np.flatnonzero(np.diff(eq.tocsr().indptr) > 0)] if eq.shape[0] else eq
        shares = vars_[(vars_ < system.n_rows) & (np.diff(system.den.indptr)[vars_] > 0)]
        den = system.den[shares][:, vars_]
        self.shares = shares
        ineq_all = system.ineq.tocsc()[:, vars_].tocsr()
        keep_rows = np.flatnonzero(np.diff(ineq_all.indptr) > 0)
        ineq = ineq_all[keep_rows]
        ineq_rhs = -(system.ineq[keep_rows] @ state.truth)
        mat = sp.vstack([eq, den, ineq]).tocsr()
        self.inc = sp.csc_matrix(eq)
        self.n_eq, self.n_den = eq.shape[0], den.shape[0]
        self.row_lo = np.concatenate(
            [np.zeros(self.n_eq), np.full(self.n_den, -np.inf), np.full(ineq.shape[0], -np.inf)]
        )
        self.row_hi = np.concatenate([np.zeros(self.n_eq), np.full(self.n_den, np.inf), ineq_rhs])
        self.den_truth = system.den_truth[shares]
        self.pseudo_den = np.asarray((den[:, vars_ >= system.n_rows] != 0).sum(axis=1)).ravel() > 0
        full = sp.hstack([mat, -mat]).tocsc()
        self.h = new_highs()
        lp = highspy.HighsLp()
        lp.num_col_, lp.num_row_ = 2 * m, mat.shape[0]
        lp.col_cost_ = np.zeros(2 * m)
        lp.col_lower_ = np.zeros(2 * m)
        lp.col_upper_ = np.zeros(2 * m)
        lp.row_lower_ = inf(self.row_lo)
        lp.row_upper_ = inf(self.row_hi)
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_ = full.indptr
        lp.a_matrix_.index_ = full.indices
        lp.a_matrix_.value_ = full.data
        self.h.passModel(lp)
        self.idx = np.arange(2 * m, dtype=np.int32)
        self.a = state.truth[vars_]
        self.den_rows = np.arange(self.n_eq, self.n_eq + self.n_den, dtype=np.int32)

    def bounds(self, view: OrgView | None, open_candidates: bool):
        return bounds(self.state, self.vars, view, open_candidates)

    def rows_of(self, j: int) -> np.ndarray:
        """The equalities of block column ``j``."""
        return self.inc.indices[self.inc.indptr[j] : self.inc.indptr[j + 1]]

    def load(self, lo: np.ndarray, hi: np.ndarray) -> None:
        st = self.state
        self.lo, self.hi = lo, hi
        up = np.maximum(hi - self.a, 0.0)
        down = np.maximum(self.a - lo, 0.0)
        self.h.changeColsBounds(2 * self.m, self.idx, np.zeros(2 * self.m), inf(np.r_[up, down]))
        # a printed denominator stays printed: shown share rows that are known
        # (never linked) or whose denominator is an implied total
        sh = self.shares
        printed = ~st.hidden[sh] & (st.keep[sh] | self.pseudo_den)
        small = st.small_den[sh]
        rlo = np.where(printed, 0.0, np.where(small, 1.0 - self.den_truth, -np.inf))
        rhi = np.where(printed, 0.0, np.where(small, st.min_den - 1.0 - self.den_truth, np.inf))
        if self.n_den:
            self.h.changeRowsBounds(self.n_den, self.den_rows, inf(rlo), inf(rhi))

    def solve(self, cost: np.ndarray) -> np.ndarray | None:
        """Minimise ``cost`` (over y+ then y-); the perturbation y, or None."""
        self.h.changeColsCost(2 * self.m, self.idx, cost)
        self.h.run()
        if self.h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            return None
        x = np.asarray(self.h.getSolution().col_value)
        return x[: self.m] - x[self.m :]

    def pin(self, j: int, delta: float) -> None:
        """y_j = delta (restored by ``unpin``)."""
        up, down = (delta, 0.0) if delta > 0 else (0.0, -delta)
        self.h.changeColsBounds(2, np.array([j, j + self.m], np.int32), [up, down], [up, down])

    def unpin(self, j: int) -> None:
        up = max(self.hi[j] - self.a[j], 0.0)
        down = max(self.a[j] - self.lo[j], 0.0)
        self.h.changeColsBounds(2, np.array([j, j + self.m], np.int32), [0, 0], inf([up, down]))


def bounds(state: State, vars_: np.ndarray, view: OrgView | None, open_candidates: bool):
    """x-space bounds of ``vars_`` (sorted) as the reader in ``view`` sees them;
    ``open_candidates``: shown cells that may be hidden get their hidden bounds."""
    st = state
    a = st.truth[vars_]
    lo, hi = st.lo[vars_].copy(), st.hi[vars_].copy()
    shown = ~st.hidden[vars_]
    lo[shown], hi[shown] = a[shown], a[shown]
    if open_candidates:
        c = st.candidate[vars_]
        lo[c], hi[c] = st.cand_lo[vars_][c], np.inf
    if view is not None:
        at_vars, at_vals, ex_vars = _view_arrays(view)
        pos = np.searchsorted(vars_, at_vars)
        ok = (pos < vars_.size) & (vars_[np.minimum(pos, vars_.size - 1)] == at_vars)
        lo[pos[ok]] = np.maximum(lo[pos[ok]], at_vals[ok])
        pos = np.searchsorted(vars_, ex_vars)
        ok = (pos < vars_.size) & (vars_[np.minimum(pos, vars_.size - 1)] == ex_vars)
        lo[pos[ok]], hi[pos[ok]] = a[pos[ok]], a[pos[ok]]
    return lo, hi


def _view_arrays(view: OrgView):
    cached = getattr(view, "_arrays", None)
    if cached is None:
        at = np.array(sorted(view.at_least), int)
        values = np.array([view.at_least[v] for v in at], float)
        cached = (at, values, np.array(sorted(view.exact), int))
        view._arrays = cached
    return cached


def inf(values) -> np.ndarray:
    values = np.asarray(values, float)
    return np.where(np.isposinf(values), INF, np.where(np.isneginf(values), -INF, values))
