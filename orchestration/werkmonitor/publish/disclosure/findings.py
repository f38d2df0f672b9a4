"""What the audit checks and what it reports: requirements, findings, views.

A requirement is a protection level of one cell (an interval it must keep,
or a width); a finding says which view narrows which cell, by how much and
through which relations (what the repair and the error message need).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from werkmonitor.publish.disclosure.intervals import EPS
from werkmonitor.publish.disclosure.reader import SMALL_COUNT, SMALL_DENOMINATOR, Reader
from werkmonitor.publish.disclosure.system import System


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
    rejected_hints: int = 0  # handed-over points that failed the check (a bug if > 0)
    witnesses: int = 0  # points of the greedy (``witness``) that passed the check

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


def failure(iv_lo, iv_hi, req: Requirement) -> bool:
    """The interval misses the requirement: narrower than its width, or not
    containing [lo, hi]. A width requirement has no ends of its own (lo, hi
    infinite): its interval cannot fail to reach them."""
    if req.width > 0 and iv_hi - iv_lo < req.width - EPS:
        return True
    lo = req.lo if np.isfinite(req.lo) else np.inf
    hi = req.hi if np.isfinite(req.hi) else -np.inf
    return bool(iv_lo > lo + EPS or iv_hi < hi - EPS)


def make_finding(system: System, view: str, req: Requirement, interval, route) -> Finding:
    return Finding(
        view,
        system.describe(req.var),
        req.what,
        interval,
        (req.lo, req.hi, req.width),
        route,
        req.var,
    )
