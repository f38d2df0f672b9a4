"""Show again the target cells the suppression hid as partners (issue 10 §4).

The partners are chosen relation by relation, so a target cell
(``targets.target_cells``) can end up hidden although a non-target cell
would have closed the same routes once the rest of the table was settled.
After the suppression has passed its audit, each hidden target cell that no
primary rule hides is tried (cheapest first): shown, the shares it prints
as a denominator shown with it, the relations it leaves with one hidden
cell closed by non-target partners (``secondary.close_groups`` with every
shown target kept), a short repair round if the audit finds a route. The
trial is kept only when the audit that ``protect`` runs as its final gate
(same function, same arguments: exact, and the LP intervals when they are
on) passes; else the table stays as it was. A target that is structurally
forced (``targets.forced_by``) is not tried: every partner its relation
could take is a target or primary cell.

The demo quarters are one block of ~90% of the cells (the national sums
join every region), so an audit of the quarter costs what an audit of the
block would; the cost is kept down by trying only what can succeed.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from werkmonitor.publish.disclosure.audit import AuditResult, OrgView, is_own
from werkmonitor.publish.disclosure.reader import SMALL_COUNT, SMALL_DENOMINATOR, reader_system
from werkmonitor.publish.disclosure.repair import repair
from werkmonitor.publish.disclosure.secondary import (
    LINKED,
    ORGANISATION,
    SECONDARY,
    SMALL_PART,
    _share_links,
    close_groups,
    link_shares,
    published_labels,
)
from werkmonitor.publish.disclosure.system import System
from werkmonitor.publish.disclosure.targets import forced_by, target_cells

REPAIR_ROUNDS = 1  # a trial that needs more is given up: the table stays as it was
MAX_LOSS = 1  # cells newly hidden per target shown: a trial that loses more is not audited


def reshow(
    system: System,
    reason: np.ndarray,
    cost: np.ndarray,
    keep: np.ndarray,
    check: Callable[[np.ndarray], AuditResult],
    policy,
    sole: list[OrgView] | None = None,
) -> tuple[np.ndarray, AuditResult | None, dict]:
    """``reason`` with hidden target cells shown where the audit allows it.

    ``keep``: rows never hidden (known from earlier publications); ``check``:
    the final audit of ``protect``, the only one that accepts a trial;
    ``sole``: the views of the sole providers. Before ``check`` a trial
    meets a quick refusal (``_Audits.refused``): the exact recovery of the
    public, and of the sole providers whose view refused the latest trials
    (on the demo nearly every refusal is one: it knows its region's cells),
    without the LP-block split the audit builds (a tenth of its cost). The
    candidates are tried as a group
    first (one audit for all when it passes; and two targets of one
    relation may only come back together: screening each alone first lost
    the AM02 pair of ``tests/test_disclosure_reshow.py`` and saved no CPU),
    a group that fails is split in halves, a single cell that fails stays
    hidden. Returns the reasons, the audit of the last kept trial (``None``:
    nothing changed, the caller's audit stands) and counts for measuring,
    with ``refused``: per cell tried alone, why it stays hidden."""
    n = system.n_rows
    target = target_cells(system)[:n]
    order = np.flatnonzero(target & (reason == SECONDARY))
    order = order[np.argsort(cost[order], kind="stable")]  # cheapest loss first
    free = [int(v) for v in order if forced_by(system, reason, target, int(v), keep) is None]
    stats = {"tried": len(free), "shown": 0, "forced": int(order.size) - len(free), "audits": 0}
    refused: dict[int, str] = {}  # var -> why its re-show was refused
    stats["refused"] = refused
    last: AuditResult | None = None
    queue = [free] if free else []
    audits = _Audits(system, policy, check, sole, stats)
    while queue:
        group = queue.pop(0)
        trial, result, why = _trial(system, reason, cost, keep, target, group, audits, policy)
        if result is not None:
            reason, last = trial, result
            stats["shown"] += len(group)
        elif len(group) == 1:
            refused[int(group[0])] = why
        else:
            half = (len(group) + 1) // 2
            queue[:0] = [group[:half], group[half:]]
    return reason, last, stats


class _Audits:
    """``check``, unless a quick look finds what it would find first."""

    def __init__(self, system, policy, check, sole, stats, remember: int = 3):
        self.system, self.policy, self.check, self.stats = system, policy, check, stats
        self.sole = {v.name: v for v in sole or []}
        self.suspects: list[str] = []  # the sole providers that refused last, most recent first
        self.remember = remember

    def __call__(self, trial: np.ndarray) -> AuditResult | str:
        """The audit, or who refused it early."""
        who = self.refused(trial)
        if who:
            self.stats["refused_early"] = self.stats.get("refused_early", 0) + 1
            return f"refused by the audit: {who} works a protected cell out exactly"
        self.stats["audits"] += 1
        result = self.check(trial)
        for name in dict.fromkeys(f.view for f in result.findings):
            if name in self.sole:
                self._suspect(name)
        return result

    def refused(self, trial: np.ndarray) -> str:
        """A protected cell the public, or a suspect sole provider, works out
        exactly: findings ``audit`` reports first (its exact part), never more."""
        system, p, n = self.system, self.policy, self.system.n_rows
        labels = published_labels(system, trial)
        shown = trial == ""
        truth = system.truth[:n]
        protected = (labels == SMALL_COUNT) | (trial == ORGANISATION)
        protected |= (trial == SMALL_PART) & (truth > 0) & (truth < p.min_count)
        if p.small_denominator_width > 0:
            protected |= labels == SMALL_DENOMINATOR
        args = (system, shown, labels, p.min_count, p.min_denominator)
        public = reader_system(*args, blocks=False).determined
        if any(0 <= v < n and protected[v] for v in public):
            return "the public"
        for name in list(self.suspects):
            view = self.sole[name]
            own = reader_system(*args, view.exact, False).determined
            fresh = (v for v in own if v not in public and 0 <= v < n and protected[v])
            if any(not is_own(view, v, system) for v in fresh):
                self._suspect(name)
                return name
        return ""

    def _suspect(self, name: str) -> None:
        if name in self.suspects:
            self.suspects.remove(name)
        self.suspects.insert(0, name)
        del self.suspects[self.remember :]


def _trial(system, reason, cost, keep, target, group, audits, policy):
    """``group`` shown with non-target partners; (trial, its passing audit) or (None, None)."""
    real_den = _share_links(system)[1]
    users = real_den.T.tocsr()  # numerator row -> the shares printing it in a denominator
    trial = reason.copy()
    trial[group] = ""
    for var in group:
        printed = users.indices[users.indptr[var] : users.indptr[var + 1]]
        trial[printed[trial[printed] == LINKED]] = ""  # link_shares hides again what must be
    hold = keep | (target & (trial == ""))
    rounds = REPAIR_ROUNDS if len(group) == 1 else 0  # a group that fails is split at once
    for attempt in range(rounds + 1):
        trial = close_groups(system, trial, cost, keep=hold)
        link_shares(system, trial, keep)
        if (target & (trial != "") & ((reason == "") | hold)).any():
            return None, None, "only another target closes its routes"
        lost = int(((trial != "") & (reason == "")).sum())
        if lost > MAX_LOSS * len(group):
            return None, None, f"the alternatives hide {lost} cells"
        result = audits(trial)
        if isinstance(result, str):
            return None, None, result  # refused before the audit
        if result.passed:
            return trial, result, ""
        if attempt < rounds:
            repair(system, trial, cost, result.findings, result.reader, policy.min_count, hold)
    return None, None, _route(result)


def _route(result: AuditResult) -> str:
    f = result.findings[0] if result.findings else None
    return f"refused by the audit: {f.view}, {' | '.join(f.route)}" if f else "refused by the audit"
