"""The disclosure audit: can any protected cell be narrowed below its level?

Run on exactly what is about to be published. For each protected cell the
feasible interval is computed by LP over everything the reader knows (the
published rows, their labels, the relations of the catalogue, earlier
publications; in an organisation's view also its own figures). A hidden
count of 1-4 must keep an interval that contains every value 1..4; a share
withheld for its small denominator must keep a numerator interval at least
``min_width`` wide. Cheap because the system falls apart into blocks and the
LP runs only for protected cells whose block can move them at all.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from werkmonitor.publish.disclosure.intervals import EPS, BlockLP
from werkmonitor.publish.disclosure.reader import (
    SMALL_COUNT,
    SMALL_DENOMINATOR,
    Reader,
    reader_system,
)
from werkmonitor.publish.disclosure.system import System

BATCH_ROUNDS = 12


@dataclass
class Requirement:
    """Variable ``var`` must keep an interval containing [lo, hi] and at least ``width`` wide."""

    var: int
    lo: float
    hi: float
    width: float = 0.0
    what: str = "count of 1-4"


@dataclass
class Finding:
    view: str
    cell: str
    what: str
    interval: tuple[float, float]
    required: tuple[float, float, float]
    route: list[str]
    var: int = -1
    rows: np.ndarray | None = None  # reader rows binding where it is narrowed (LP findings)
    cols: np.ndarray | None = None  # unknowns (reader columns) at a binding bound there
    shortfall: float = 0.0  # how much the interval must widen on that side
    relation_vars: np.ndarray | None = None  # exact findings: the relation that gives it away

    def message(self) -> str:
        lo, hi = self.interval
        rlo, rhi, width = self.required
        need = f"[{rlo:g}, {rhi:g}]" if width == 0 else f"a width of {width:g}"
        return (
            f"{self.cell}: {self.what} can be narrowed to [{lo:g}, {hi:g}] "
            f"(needs {need}) by {self.view}, via {'; '.join(self.route) or 'its label'}"
        )


@dataclass
class OrgView:
    """What one organisation knows beyond the public: its own figures."""

    name: str
    at_least: dict[int, float] = field(default_factory=dict)  # var >= own contribution
    exact: dict[int, float] = field(default_factory=dict)  # var = own figure (sole provider)
    protect: list[Requirement] = field(default_factory=list)  # the others' small rests
    direct: list[Finding] = field(default_factory=list)  # shown cells that give a rest away


@dataclass
class AuditResult:
    findings: list[Finding]
    protected_cells: int
    lps: int
    blocks: int
    cpu_seconds: float
    at_risk: set[int] = field(default_factory=set)
    reader: Reader | None = None

    @property
    def passed(self) -> bool:
        return not self.findings


def public_requirements(
    system: System, shown: np.ndarray, reason: np.ndarray, min_count: int, den_width: float
) -> list[Requirement]:
    hidden = np.flatnonzero(~shown)
    out = []
    for var in hidden[reason[hidden] == SMALL_COUNT]:
        out.append(Requirement(int(var), 1.0, min_count - 1.0))
    if den_width > 0:
        for var in hidden[reason[hidden] == SMALL_DENOMINATOR]:
            out.append(Requirement(int(var), 0, 0, den_width, "share with a small denominator"))
    return out


def _failure(iv_lo, iv_hi, req: Requirement) -> bool:
    if req.width > 0 and iv_hi - iv_lo < req.width - EPS:
        return True
    return bool(iv_lo > req.lo + EPS or iv_hi < req.hi - EPS)


def audit(
    system: System,
    shown: np.ndarray,
    reason: np.ndarray,
    min_count: int,
    min_denominator: int,
    den_width: float = 1.0,
    known_extra: dict[int, float] | None = None,
    views: list[OrgView] | None = None,
    stop_after: int | None = None,
    exact_only: bool = False,
    focus: set[int] | None = None,
    small_parts: np.ndarray | None = None,
    truth_known: bool = True,
) -> AuditResult:
    """Audit one table (any number of quarters: blocks never cross one).

    ``exact_only``: plain subtraction only (no LP): the cells a reader works
    out exactly, in the public's and every organisation's view.
    ``small_parts``: hidden counts of 1-4 whose label does not say so (the
    parts of a small total): protected like ``<5`` cells. ``focus``:
    LP only the blocks holding one of these variables (a repair round: the
    rest did not change; the gate always audits everything)."""
    started = time.process_time()
    reader = reader_system(system, shown, reason, min_count, min_denominator, known_extra)
    col_of = np.full(system.n, -1)
    col_of[reader.unknown] = np.arange(reader.unknown.size)
    findings: list[Finding] = []
    at_risk: set[int] = set()
    reqs = public_requirements(system, shown, reason, min_count, den_width)
    if small_parts is not None:
        reqs += [Requirement(int(v), 1.0, min_count - 1.0) for v in np.flatnonzero(small_parts)]
    for req in reqs:
        if col_of[req.var] < 0 or req.var in reader.determined:  # subtraction, bounds, elsewhere
            value, label = reader.determined.get(req.var, (system.truth[req.var], None))
            route = [system.relation(label)] if label else ["an earlier publication"]
            f = _finding(system, "the public", req, (value, value), route)
            f.relation_vars = reader.via.get(req.var)
            findings.append(f)
            at_risk.add(req.var)
    if exact_only:
        for view in views or []:
            findings.extend(view.direct)
            if view.exact:  # a sole provider knows its region's cells: subtract again
                known = dict(known_extra or {}) | view.exact
                own = reader_system(
                    system, shown, reason, min_count, min_denominator, known, blocks=False
                )
                for req in reqs:
                    fresh = req.var not in reader.determined and not _own(view, req.var, system)
                    if req.var in own.determined and fresh:
                        value, label = own.determined[req.var]
                        route = [system.relation(label), f"{view.name} knows its own region"]
                        f = _finding(system, view.name, req, (value, value), route)
                        f.relation_vars = own.via.get(req.var)
                        findings.append(f)
                        at_risk.add(req.var)
            for req in view.protect:
                if req.var in reader.determined:
                    value, label = reader.determined[req.var]
                    route = [system.relation(label), f"{view.name} subtracts its own figure"]
                    f = _finding(system, view.name, req, (value, value), route)
                    f.relation_vars = reader.via.get(req.var)
                    findings.append(f)
                    at_risk.add(req.var)
        cpu = time.process_time() - started
        return AuditResult(findings, len(reqs), 0, 0, cpu, at_risk, reader)
    jobs: dict[int, list[tuple[str, Requirement, OrgView | None]]] = {}
    for req in reqs:
        c = col_of[req.var]
        if c >= 0:
            jobs.setdefault(int(reader.blocks[c]), []).append(("the public", req, None))
    for view in views or []:
        findings.extend(view.direct)
        touched = {
            int(reader.blocks[col_of[v]]) for v in (*view.at_least, *view.exact) if col_of[v] >= 0
        }
        for req in view.protect:
            c = col_of[req.var]
            if c >= 0:
                jobs.setdefault(int(reader.blocks[c]), []).append((view.name, req, view))
                touched.discard(int(reader.blocks[c]))
        for req in reqs:  # its knowledge must not narrow the public's small cells either
            c = col_of[req.var]
            if c >= 0 and int(reader.blocks[c]) in touched and not _own(view, req.var, system):
                jobs.setdefault(int(reader.blocks[c]), []).append((view.name, req, view))
    if focus is not None:
        wanted = {int(reader.blocks[col_of[v]]) for v in focus if col_of[v] >= 0}
        jobs = {b: items for b, items in jobs.items() if b in wanted}
    lps = 0
    for block, items in jobs.items():
        n_found, n_lp = _audit_block(
            system, reader, col_of, block, items, findings, at_risk, stop_after, truth_known
        )
        lps += n_lp
        if stop_after and len(findings) >= stop_after:
            break
    return AuditResult(
        findings, len(reqs), lps, len(jobs), time.process_time() - started, at_risk, reader
    )


def _own(view: OrgView, var: int, system: System) -> bool:
    """The cell holds only the organisation's own trajectories (nothing to learn)."""
    own = view.exact.get(var, view.at_least.get(var, 0.0))
    return bool(own >= system.truth[var] - EPS)


def _finding(system, view, req, interval, route) -> Finding:
    return Finding(
        view,
        system.describe(req.var),
        req.what,
        interval,
        (req.lo, req.hi, req.width),
        route,
        req.var,
    )


def _audit_block(
    system,
    reader: Reader,
    col_of,
    block,
    items,
    findings,
    at_risk,
    stop_after=None,
    truth_known=True,
):
    """Check every requirement of one block, public view first.

    Feasible points are pooled (the truth, then LP optima): a requirement is
    met as soon as pooled points reach both its ends, so two LPs that push
    all protected cells of the block up and down at once settle most cells,
    and single-cell LPs run only for the rest.
    """
    cols = np.flatnonzero(reader.blocks == block)
    rows = np.flatnonzero(reader.row_block == block)
    local = np.full(reader.unknown.size, -1)
    local[cols] = np.arange(cols.size)
    col_lo, col_hi = reader.col_lo[cols], reader.col_hi[cols]
    truth = system.truth[reader.unknown[cols]]
    lp = None
    lps = found = 0
    by_view: dict[int, list] = {}
    order: list = []
    for view_name, req, view in items:
        key = id(view)
        if key not in by_view:
            by_view[key] = []
            order.append((view_name, view))
        by_view[key].append(req)
    order.sort(key=lambda it: it[1] is not None)
    # the true values are a feasible point; a published file read back has
    # no hidden values (truth_known False): start from LP points only
    public_pool = [truth] if truth_known else []
    for view_name, view in order:
        reqs = by_view[id(view)]
        if rows.size == 0:
            for req in reqs:
                j = int(local[col_of[req.var]])
                iv = (col_lo[j], col_hi[j])
                if view is None and _failure(*iv, req):
                    findings.append(_finding(system, view_name, req, iv, ["its label"]))
                    at_risk.add(req.var)
            continue
        if lp is None:
            lp = BlockLP(
                reader.a[rows][:, cols],
                reader.lo[rows],
                reader.hi[rows],
                col_lo,
                col_hi,
                [reader.names[r] for r in rows],
            )
        lp.set_bounds(np.arange(cols.size), col_lo, col_hi)
        pool = public_pool
        if view is not None:
            bounds = _view_bounds(view, col_of, local, col_lo, col_hi)
            lp.set_bounds(*bounds)
            idx, lo, hi = bounds
            pool = [
                p
                for p in public_pool
                if not idx.size or ((p[idx] >= lo - EPS).all() and (p[idx] <= hi + EPS).all())
            ] or ([truth] if truth_known else [])
        js = np.array([int(local[col_of[r.var]]) for r in reqs])
        open_reqs = [(r, j) for r, j in zip(reqs, js, strict=True) if not _met(pool, r, j)]
        # directed batch LPs: push every open cell towards the end it has not
        # reached yet, all at once, while that keeps settling cells
        for _ in range(BATCH_ROUNDS):
            if len(open_reqs) < 2:
                break
            cost = np.zeros(cols.size)
            for req, j in open_reqs:
                values = [p[j] for p in pool]
                up = not values or max(values) < req.hi - EPS or req.width
                cost[j] += 1.0 if up else -1.0
            point = lp.extreme(cost, maximise=True)
            lps += 1
            if point is None:
                break
            pool.append(point)
            still = [(r, j) for r, j in open_reqs if not _met(pool, r, j)]
            if len(still) == len(open_reqs):
                break
            open_reqs = still
        for req, j in open_reqs:
            if stop_after and len(findings) >= stop_after:
                break
            if _met(pool, req, j):
                continue
            iv = lp.interval(j)
            lps += 2
            for w in (iv.witness_lo, iv.witness_hi):
                if w.size:
                    pool.append(w)
            if _failure(iv.lo, iv.hi, req):
                narrowed_lo = iv.lo > req.lo + EPS
                route = iv.route_lo if narrowed_lo else iv.route_hi
                text = [system.relation(r) for r in route]
                f = _finding(system, view_name, req, (iv.lo, iv.hi), text)
                brows = iv.rows_lo if narrowed_lo else iv.rows_hi
                bcols = iv.cols_lo if narrowed_lo else iv.cols_hi
                f.rows = rows[brows] if brows is not None and brows.size else None
                f.cols = cols[bcols] if bcols is not None and bcols.size else None
                if req.width > 0:
                    f.shortfall = req.width - (iv.hi - iv.lo)
                else:
                    f.shortfall = (iv.lo - req.lo) if narrowed_lo else (req.hi - iv.hi)
                findings.append(f)
                at_risk.add(req.var)
                found += 1
        if view is None:
            public_pool = pool
    return found, lps


def _met(pool, req: Requirement, j: int) -> bool:
    if not pool:
        return False
    values = np.array([p[j] for p in pool])
    if req.width > 0:
        return values.max() - values.min() >= req.width - EPS
    return values.min() <= req.lo + EPS and values.max() >= req.hi - EPS


def _view_bounds(view: OrgView, col_of, local, col_lo, col_hi):
    """The view's extra bounds in block columns: (columns, lower, upper)."""
    idx, lo, hi = [], [], []
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
