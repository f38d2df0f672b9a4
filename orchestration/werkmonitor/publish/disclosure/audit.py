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

import dataclasses
import time

import numpy as np

from werkmonitor.publish.disclosure.findings import (
    AuditResult,
    Finding,
    OrgView,
    Requirement,
    make_finding,
    public_requirements,
)
from werkmonitor.publish.disclosure.lp_audit import audit_block
from werkmonitor.publish.disclosure.reader import _bound_determined, reader_system
from werkmonitor.publish.disclosure.system import System

__all__ = ["AuditResult", "Finding", "OrgView", "Requirement", "audit", "view_jobs"]


def audit(
    system: System,
    shown: np.ndarray,
    reason: np.ndarray,
    min_count: int,
    min_denominator: int,
    den_width: float = 1.0,
    known_extra: dict[int, float] | None = None,
    views: list[OrgView] | None = None,
    exact_only: bool = False,
    focus: set[int] | None = None,
    small_parts: np.ndarray | None = None,
    truth_known: bool = True,
    hints=None,
) -> AuditResult:
    """Audit one table (any number of quarters: blocks never cross one).

    Exact recovery first (plain subtraction and rows without slack, in the
    public's and every organisation's view: cheap, and it rules most cells
    out); then, unless ``exact_only``, the LP intervals of what is left.
    ``small_parts``: hidden counts of 1-4 whose label does not say so (the
    parts of a small total): protected like ``<5`` cells. ``focus``: LP
    only the blocks holding one of these variables. ``hints``: feasible
    points the suppression found (``protection.Witnesses``), each checked
    against this reader model before it counts."""
    started = time.process_time()
    # the split into LP blocks only for the LP part (most of an exact audit's cost otherwise)
    reader = reader_system(
        system, shown, reason, min_count, min_denominator, known_extra, not exact_only
    )
    col_of = np.full(system.n, -1)
    col_of[reader.unknown] = np.arange(reader.unknown.size)
    findings: list[Finding] = []
    reqs = public_requirements(system, shown, reason, min_count, den_width)
    if small_parts is not None:
        reqs += [Requirement(int(v), 1.0, min_count - 1.0) for v in np.flatnonzero(small_parts)]
    for req in reqs:
        if col_of[req.var] < 0 or req.var in reader.determined:  # subtraction, bounds, elsewhere
            value, label = reader.determined.get(req.var, (system.truth[req.var], None))
            route = [system.relation(label)] if label else ["an earlier publication"]
            findings.append(_exact(system, "the public", req, value, route, reader))
    for view in views or []:
        findings.extend(view.direct)
        if view.exact:  # a sole provider knows its region's cells: subtract again
            known = dict(known_extra or {}) | view.exact
            own = reader_system(system, shown, reason, min_count, min_denominator, known, False)
            for req in reqs:
                fresh = req.var not in reader.determined and not is_own(view, req.var, system)
                if req.var in own.determined and fresh:
                    value, label = own.determined[req.var]
                    route = [system.relation(label), f"{view.name} knows its own region"]
                    findings.append(_exact(system, view.name, req, value, route, own))
        for req in view.protect:
            if req.var in reader.determined:
                value, label = reader.determined[req.var]
                route = [system.relation(label), f"{view.name} subtracts its own figure"]
                findings.append(_exact(system, view.name, req, value, route, reader))
    if not findings:  # the dearer check last: any finding above stops the round anyway
        args = (shown, reason, min_count, min_denominator, dict(known_extra or {}))
        for view in views or []:
            findings.extend(_own_bounds(system, reader, col_of, view, args))
    lps = rejected = witnessed = 0
    jobs: dict[int, list] = {}
    if not exact_only and not findings:
        jobs = _block_jobs(system, reader, col_of, reqs, views or [])
        if focus is not None:
            wanted = {int(reader.blocks[col_of[v]]) for v in focus if col_of[v] >= 0}
            jobs = {b: items for b, items in jobs.items() if b in wanted}
        for block, items in jobs.items():
            found, n_lp, bad, n_w = audit_block(
                system, reader, col_of, block, items, hints, truth_known
            )
            findings.extend(found)
            lps += n_lp
            rejected += bad
            witnessed += n_w
    cpu = time.process_time() - started
    result = AuditResult(findings, len(reqs), lps, len(jobs), cpu, set(), reader)
    result.at_risk = {f.var for f in findings if f.var >= 0}
    result.rejected_hints = rejected
    result.witnesses = witnessed
    return result


def _own_bounds(system: System, reader, col_of, view: OrgView, args) -> list[Finding]:
    """What the organisation's own figures pin without an LP: a cell it
    alone feeds at the label's upper end (its 4 of a ``<5``) is known to it;
    subtraction with those, then rows without slack once its own figures
    raise the lower bounds. A cell of ``view.protect`` found so is the
    other's count, exact. Without this the exact gate missed what only the
    LP saw (2024Q2 on the demo: 4 cells, e.g. ORG30 in AM20's JOBCOACHING
    started)."""
    wanted = {r.var: r for r in view.protect if col_of[r.var] >= 0}
    if not wanted or not view.at_least:
        return []
    base = reader
    pinned = {
        v: own
        for v, own in view.at_least.items()
        if col_of[v] >= 0 and own >= reader.col_hi[col_of[v]] - 1e-9
    }
    if pinned:
        shown, reason, min_count, min_den, known = args
        base = reader_system(system, shown, reason, min_count, min_den, known | pinned, False)
    at = np.full(system.n, -1)
    at[base.unknown] = np.arange(base.unknown.size)
    lifted = base.col_lo.copy()
    for var, own in view.at_least.items():
        if at[var] >= 0:
            lifted[at[var]] = max(lifted[at[var]], own)
    tight = dataclasses.replace(base, col_lo=lifted, determined=dict(base.determined))
    _bound_determined(tight)
    out = []
    for var, (value, label) in tight.determined.items():
        if var in wanted and var not in reader.determined:
            route = [system.relation(label), f"{view.name} knows its own figures"]
            f = make_finding(system, view.name, wanted[var], (value, value), route)
            f.relation_vars = tight.via.get(var)
            out.append(f)
    return out


def _exact(system, view_name, req, value, route, reader) -> Finding:
    f = make_finding(system, view_name, req, (value, value), route)
    f.relation_vars = reader.via.get(req.var)
    return f


def is_own(view: OrgView, var: int, system: System) -> bool:
    """The cell holds only the organisation's own trajectories (nothing to learn)."""
    own = view.exact.get(var, view.at_least.get(var, 0.0))
    return bool(own >= system.truth[var] - 1e-6)


def view_jobs(system: System, reqs: list[Requirement], views: list[OrgView], block_of):
    """(view name, view, requirements) per view: the public's (every hidden
    1-4 keeps [1, 4]), then each organisation's own: the counts of one other
    organisation it must not narrow (``views.org_views``), in the blocks its
    own figures touch (elsewhere it reads what the public reads). The
    public's requirements are not repeated in an organisation's view: a
    rest pooled over two or more others identifies no one (docs/publishing.md,
    "Organisation views: our reading")."""
    out = [("the public", None, list(reqs))]
    for view in views:
        touched = {int(block_of[v]) for v in (*view.at_least, *view.exact)}
        mine = [r for r in view.protect if int(block_of[r.var]) in touched]
        if mine:
            out.append((view.name, view, mine))
    return out


def _block_jobs(system, reader, col_of, reqs, views):
    blocks = np.full(system.n, -1)
    blocks[reader.unknown] = reader.blocks
    jobs: dict[int, list] = {}
    for name, view, vreqs in view_jobs(system, reqs, views, blocks):
        for req in vreqs:
            c = col_of[req.var]
            if c >= 0:
                jobs.setdefault(int(reader.blocks[c]), []).append((name, req, view))
    return jobs
