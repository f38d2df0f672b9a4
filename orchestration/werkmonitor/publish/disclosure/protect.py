"""Suppress a public table until the audit passes.

``protect`` is what ``build.py`` calls: primary cells, partners, then audit
and repair rounds, then showing again what the reader can compute anyway,
then the final audit of the whole table (the gate).
"""

from __future__ import annotations

import functools
import time
from dataclasses import dataclass

import numpy as np
import pandas as pd

from werkmonitor.publish.disclosure.audit import AuditResult, OrgView, Requirement, audit, view_jobs
from werkmonitor.publish.disclosure.findings import public_requirements
from werkmonitor.publish.disclosure.protection import State, full_blocks, lp_protect
from werkmonitor.publish.disclosure.repair import repair
from werkmonitor.publish.disclosure.reshow import reshow
from werkmonitor.publish.disclosure.secondary import (
    ORGANISATION,
    SMALL_PART,
    Shares,
    close_groups,
    cost_of,
    link_shares,
    primary,
    published_labels,
    reveal_determined,
)
from werkmonitor.publish.disclosure.system import KEY, System, build_system
from werkmonitor.publish.disclosure.targets import explain
from werkmonitor.publish.disclosure.views import map_shares, org_views

__all__ = ["Protection", "known_mask", "map_shares", "org_views", "protect"]

MAX_ROUNDS = 40
STALL_ROUNDS = 3  # the same findings this often in a row: the LP fallback
LP_ROUNDS = 3  # one pass protects by construction; the others are a safety net


@dataclass
class Protection:
    system: System
    reason: np.ndarray  # internal reason per row ('' shown)
    result: AuditResult
    rounds: int
    cpu_seconds: float
    primary: np.ndarray | None = None  # the primary reasons only (the upper bound of utility)
    targets: dict | None = None  # why each target cell left hidden is (``targets.explain``)


def protect(
    frame: pd.DataFrame,
    policy,
    shares: pd.DataFrame | None = None,
    known: pd.DataFrame | None = None,
    intervals: bool = False,
) -> Protection:
    """Reasons per row of ``frame`` so that the audit passes (or the best found).

    ``known``: cells the reader already knows from earlier publications (KEY
    columns + ``value``, the published value). A known cell whose value is
    still the current one is never hidden (hiding it protects nothing) and is
    never a partner; the audit treats it as shown. A known cell whose value
    has been revised is not a figure of this table (the archive audits the
    difference between versions). ``intervals``: protect every protected
    cell's whole interval (``protection.lp_protect``), not only against
    exact recovery."""
    started = time.process_time()
    system = build_system(frame, published=getattr(policy, "is_published", None))
    n = system.n_rows
    is_known = known_mask(frame, known)
    ind = system.keys["indicator"].to_numpy()[:n]
    restricted = np.zeros(n, bool)
    for dim, allowed in policy.restricted_breakdowns.items():
        values = system.keys[dim].to_numpy()[:n]
        restricted |= (values != "ALL") & (values != "") & ~np.isin(ind, list(allowed))
    ratio = np.isin(ind, list(policy.ratio_indicators))
    mapped = map_shares(system, shares)
    reason = primary(system, policy.min_count, policy.min_denominator, restricted, ratio, mapped)
    reason[is_known] = ""
    first = reason.copy()
    ctx = _Context(system, policy, mapped, is_known, cost_of(system, policy.min_count))
    reason, result, rounds = _exact_rounds(ctx, reason)
    hints = None
    if intervals and result.passed:
        reason, result, hints = _lp_rounds(ctx, reason)
    reason, result = _reveal(ctx, reason, result, intervals, hints)
    why = None
    if result.passed:  # the target cells hidden as partners, shown again where the gate allows
        check = functools.partial(ctx.audit, intervals=intervals, hints=hints)
        sole = [v for v in ctx.views(reason == "") if v.exact]
        reason, again, info = reshow(system, reason, ctx.cost, is_known, check, policy, sole)
        result = again or result
        # the re-show's new partners may be cells the reader computes anyway
        reason, result = _reveal(ctx, reason, result, intervals, hints)
        why = explain(system, reason, is_known, info["refused"])
    cpu = time.process_time() - started
    return Protection(system, reason, result, rounds, cpu, first, why)


def _reveal(ctx, reason: np.ndarray, result: AuditResult, intervals: bool, hints):
    """Hidden partners the reader computes anyway shown again, when the gate still passes."""
    if not result.passed:
        return reason, result
    policy = ctx.policy
    trial = reason.copy()
    if not reveal_determined(ctx.system, trial, policy.min_count, policy.min_denominator):
        return reason, result
    again = ctx.audit(trial, intervals, hints)
    # showing them again opened another route: keep them hidden
    return (trial, again) if again.passed else (reason, result)


@dataclass
class _Context:
    """What every audit of one table shares (the one place ``audit`` is called)."""

    system: System
    policy: object
    mapped: Shares | None
    is_known: np.ndarray
    cost: np.ndarray

    def views(self, shown: np.ndarray) -> list[OrgView]:
        p = self.policy
        return org_views(self.system, self.mapped, shown, p.min_count, p.organisation_view_width)

    def audit(self, reason: np.ndarray, intervals: bool, hints=None, focus=None) -> AuditResult:
        p, shown = self.policy, reason == ""
        return audit(
            self.system,
            shown,
            published_labels(self.system, reason),
            p.min_count,
            p.min_denominator,
            p.small_denominator_width,
            None,
            self.views(shown),
            exact_only=not intervals,
            focus=focus,
            small_parts=_small_parts(self.system, reason, p.min_count),
            hints=hints,
        )


def _exact_rounds(ctx: _Context, reason: np.ndarray):
    """Partners until no protected cell comes out exactly (cheap: no LP)."""
    system, n, is_known = ctx.system, ctx.system.n_rows, ctx.is_known
    result, rounds, repeats, previous = None, 0, 0, None
    while rounds < MAX_ROUNDS:
        rounds += 1
        reason = close_groups(system, reason, ctx.cost, keep=is_known)
        shown = reason == ""
        result = ctx.audit(reason, intervals=False)
        if result.passed:
            break
        # a shown cell whose rest is 1-4 is hidden itself; a hidden one that
        # comes out exactly gets partners like any other finding
        direct = {
            f.var
            for f in result.findings
            if "subtracts its own" in " ".join(f.route) and 0 <= f.var < n and shown[f.var]
        }
        direct -= set(np.flatnonzero(is_known).tolist())
        for var in direct:
            reason[var] = ORGANISATION
        before = reason == ""
        rest = [f for f in result.findings if f.var not in direct]
        found = {(f.view, f.var) for f in rest}
        repeats = repeats + 1 if found and found == previous else 0
        previous = found
        repair(system, reason, ctx.cost, rest, result.reader, ctx.policy.min_count, is_known)
        added = bool((before & (reason != "")).any() or direct)
        if repeats >= STALL_ROUNDS or not added:
            # the partners add nothing, or the same cells come back round
            # after round: the route runs through cells no partner of their
            # own relations reaches (e.g. a chain through the regions an
            # organisation delivers alone). The LP protection method, for
            # these cells only, finds the cells whose hiding opens it
            repeats = 0
            if not _protect_stuck(ctx, reason, rest) and not added:
                break
    return reason, result, rounds


def _protect_stuck(ctx: _Context, reason: np.ndarray, findings) -> bool:
    """Hide what the LP protection method needs for ``findings``; True when
    it hid anything (the exact rounds then go on)."""
    system, p, n = ctx.system, ctx.policy, ctx.system.n_rows
    shown = reason == ""
    views = {v.name: v for v in ctx.views(shown)}
    per_view: dict[str, list[Requirement]] = {}
    for f in findings:
        if 0 <= f.var < n and f.required is not None:
            lo, hi, width = f.required
            per_view.setdefault(f.view, []).append(Requirement(int(f.var), lo, hi, width))
    if not per_view:
        return False
    jobs = [(name, views.get(name), reqs) for name, reqs in per_view.items()]
    jobs.sort(key=lambda job: job[1] is not None)  # the public first, as lp_protect expects
    before = reason.copy()
    labels = published_labels(system, reason)
    state = State(system, reason, labels, ctx.is_known, p.min_count, p.min_denominator)
    lp_protect(state, ctx.cost, jobs)
    return bool(((before == "") & (reason != "")).any())


def _lp_rounds(ctx: _Context, reason: np.ndarray):
    """The LP protection method, then the LP audit with its points (the gate)."""
    system, p = ctx.system, ctx.policy
    blocks = full_blocks(system)
    result = hints = None
    for _ in range(LP_ROUNDS):
        labels = published_labels(system, reason)
        state = State(system, reason, labels, ctx.is_known, p.min_count, p.min_denominator)
        shown = reason == ""
        reqs = public_requirements(system, shown, labels, p.min_count, p.small_denominator_width)
        parts = _small_parts(system, reason, p.min_count)
        reqs += [Requirement(int(v), 1.0, p.min_count - 1.0) for v in np.flatnonzero(parts)]
        jobs = view_jobs(system, reqs, ctx.views(shown), blocks[0])
        hints = lp_protect(state, ctx.cost, jobs, blocks)
        link_shares(system, reason, ctx.is_known)
        result = ctx.audit(reason, intervals=True, hints=hints)
        if result.passed:
            break
    return reason, result, hints


def _small_parts(system: System, reason: np.ndarray, min_count: int) -> np.ndarray:
    truth = system.truth[: system.n_rows]
    return (reason == SMALL_PART) & (truth > 0) & (truth < min_count)


def known_mask(frame: pd.DataFrame, known: pd.DataFrame | None) -> np.ndarray:
    """Rows of ``frame`` the reader knows already with their current value."""
    mask = np.zeros(len(frame), bool)
    if known is None or known.empty:
        return mask
    # a share row also prints its numerator and denominator: when ``known``
    # has them, they must be unchanged too (0/40 and 0/38 are both 0%)
    cols = ["value", *[c for c in ("numerator", "denominator") if c in known.columns]]
    left = frame[KEY].astype("string").fillna("").reset_index(drop=True)
    left = left.assign(_row=np.arange(len(frame)))
    for c in cols:
        left[f"_now_{c}"] = pd.to_numeric(frame[c]).to_numpy(float)
    right = known[[*KEY, *cols]].copy()
    right[KEY] = right[KEY].astype("string").fillna("")
    hit = left.merge(right.rename(columns={c: f"_then_{c}" for c in cols}), on=KEY, how="inner")
    same = np.ones(len(hit), bool)
    for c in cols:
        then = pd.to_numeric(hit[f"_then_{c}"]).to_numpy(float)
        same &= np.isclose(then, hit[f"_now_{c}"].to_numpy(float), equal_nan=True)
    mask[hit["_row"].to_numpy()[same]] = True
    return mask
