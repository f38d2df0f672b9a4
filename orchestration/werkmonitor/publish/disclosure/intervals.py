"""Feasible intervals of hidden cells by linear programming (HiGHS).

The τ-ARGUS audit: for a hidden cell, minimise and maximise its value over
everything the reader knows. One HiGHS model per block; only the objective
changes between cells, so HiGHS re-solves from the previous basis. Cells the
reader cannot narrow at all are ruled out before any LP (see ``audit``).
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass

import highspy
import numpy as np
import scipy.sparse as sp

INF = highspy.kHighsInf
EPS = 1e-6


_banner_shown = False


def new_highs() -> highspy.Highs:
    """A silent HiGHS model. The first ``Highs()`` of a process prints
    HiGHS' banner on the C-level stdout before any option can be set; in a
    publish that line lands between the run's own progress lines."""
    global _banner_shown
    if _banner_shown:
        h = highspy.Highs()
    else:
        sys.stdout.flush()
        saved, null = os.dup(1), os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(null, 1)
            h = highspy.Highs()
        finally:
            os.dup2(saved, 1)
            os.close(saved)
            os.close(null)
        _banner_shown = True
    h.setOptionValue("output_flag", False)
    return h


@dataclass
class Interval:
    lo: float
    hi: float
    route_lo: list[tuple[str, int]]  # relations binding at the minimum
    route_hi: list[tuple[str, int]]
    witness_lo: np.ndarray  # a feasible point reaching lo (block columns)
    witness_hi: np.ndarray
    rows_lo: np.ndarray = None  # block rows binding at the minimum (nonzero dual)
    rows_hi: np.ndarray = None
    cols_lo: np.ndarray = None  # block columns at a binding bound
    cols_hi: np.ndarray = None


class BlockLP:
    """One block of the reader's system as a HiGHS model."""

    def __init__(self, a: sp.csr_matrix, lo, hi, col_lo, col_hi, names):
        self.names = names
        self.h = new_highs()
        # presolve removes most of a block (rows with one hidden cell, fixed
        # columns): measured 15 ms per LP on a 4,000-column block against
        # 115 ms warm-started without it; primal simplex suits a changed objective
        self.h.setOptionValue("presolve", "on")
        self.h.setOptionValue("simplex_strategy", 4)
        csc = a.tocsc()
        lp = highspy.HighsLp()
        lp.num_col_, lp.num_row_ = csc.shape[1], csc.shape[0]
        lp.col_cost_ = np.zeros(csc.shape[1])
        lp.col_lower_ = np.asarray(col_lo, float)
        lp.col_upper_ = np.where(np.isinf(col_hi), INF, col_hi)
        lp.row_lower_ = np.where(np.isinf(lo), -INF, lo)
        lp.row_upper_ = np.where(np.isinf(hi), INF, hi)
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_ = csc.indptr
        lp.a_matrix_.index_ = csc.indices
        lp.a_matrix_.value_ = csc.data
        self.h.passModel(lp)
        self.n = csc.shape[1]

    def set_bounds(self, cols: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> None:
        if cols.size:
            hi = np.where(np.isinf(hi), INF, hi)
            self.h.changeColsBounds(cols.size, cols.astype(np.int32), lo, hi)

    def _solve(self, col: int, sense):
        self.h.changeObjectiveSense(sense)
        self.h.changeColCost(col, 1.0)
        self.h.run()
        status = self.h.getModelStatus()
        self.h.changeColCost(col, 0.0)
        if status == highspy.HighsModelStatus.kUnbounded:
            inf = INF if sense == highspy.ObjSense.kMaximize else -INF
            return inf, np.zeros(0), [], np.zeros(0, int), np.zeros(0, int)
        if status == highspy.HighsModelStatus.kInfeasible:
            raise RuntimeError("the published table contradicts itself (infeasible block)")
        if status != highspy.HighsModelStatus.kOptimal:
            self.h.clearSolver()
            self.h.run()
        sol = self.h.getSolution()
        x = np.asarray(sol.col_value)
        duals = np.asarray(sol.row_dual)
        binding = np.flatnonzero(np.abs(duals) > EPS)
        at_bound = np.flatnonzero(np.abs(np.asarray(sol.col_dual)) > EPS)
        route = [self.names[i] for i in binding[:6]]
        return float(x[col]), x, route, binding, at_bound

    def extreme(self, cost: np.ndarray, maximise: bool) -> np.ndarray | None:
        """A feasible point optimising ``cost``; None when unbounded."""
        sense = highspy.ObjSense.kMaximize if maximise else highspy.ObjSense.kMinimize
        idx = np.arange(self.n, dtype=np.int32)
        self.h.changeObjectiveSense(sense)
        self.h.changeColsCost(self.n, idx, np.asarray(cost, float))
        self.h.run()
        status = self.h.getModelStatus()
        self.h.changeColsCost(self.n, idx, np.zeros(self.n))
        if status != highspy.HighsModelStatus.kOptimal:
            return None
        return np.asarray(self.h.getSolution().col_value)

    def interval(self, col: int) -> Interval:
        lo, w_lo, r_lo, b_lo, c_lo = self._solve(col, highspy.ObjSense.kMinimize)
        hi, w_hi, r_hi, b_hi, c_hi = self._solve(col, highspy.ObjSense.kMaximize)
        return Interval(lo, hi, r_lo, r_hi, w_lo, w_hi, b_lo, b_hi, c_lo, c_hi)

    def bound(self, col: int, maximise: bool) -> tuple[float, list[tuple[str, int]]]:
        sense = highspy.ObjSense.kMaximize if maximise else highspy.ObjSense.kMinimize
        value, _, route, _, _ = self._solve(col, sense)
        return value, route
