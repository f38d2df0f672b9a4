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

from werkmonitor.publish.disclosure.audit import AuditResult
from werkmonitor.publish.disclosure.repair import repair
from werkmonitor.publish.disclosure.secondary import (
    LINKED,
    SECONDARY,
    _share_links,
    close_groups,
    link_shares,
)
from werkmonitor.publish.disclosure.system import System
from werkmonitor.publish.disclosure.targets import forced_by, target_cells

REPAIR_ROUNDS = 1  # a trial that needs more is given up: the table stays as it was
CHOSEN = (SECONDARY, LINKED)  # the reasons the suppression chose (not primary)


def reshow(
    system: System,
    reason: np.ndarray,
    cost: np.ndarray,
    keep: np.ndarray,
    check: Callable[[np.ndarray], AuditResult],
    min_count: int,
) -> tuple[np.ndarray, AuditResult | None, dict]:
    """``reason`` with hidden target cells shown where the audit allows it.

    ``keep``: rows never hidden (known from earlier publications); ``check``:
    the final audit of ``protect``. The candidates are tried as a group
    first (on the demo most trials pass: one audit for all), a group that
    fails is split in halves, a single cell that fails stays hidden. Returns
    the reasons, the audit of the last kept trial (``None``: nothing
    changed, the caller's audit stands) and counts for the metadata."""
    n = system.n_rows
    target = target_cells(system)[:n]
    order = np.flatnonzero(target & (reason == SECONDARY))
    order = order[np.argsort(cost[order], kind="stable")]  # cheapest loss first
    free = [int(v) for v in order if forced_by(system, reason, target, int(v), keep) is None]
    stats = {"tried": len(free), "shown": 0, "forced": int(order.size) - len(free), "audits": 0}
    last: AuditResult | None = None
    queue = [free] if free else []
    while queue:
        group = queue.pop(0)
        trial, result = _trial(system, reason, cost, keep, target, group, check, min_count, stats)
        if result is not None:
            reason, last = trial, result
            stats["shown"] += len(group)
        elif len(group) > 1:
            half = (len(group) + 1) // 2
            queue[:0] = [group[:half], group[half:]]
    return reason, last, stats


def _trial(system, reason, cost, keep, target, group, check, min_count, stats):
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
            return None, None  # a shown target went: no gain
        result = check(trial)
        stats["audits"] += 1
        if result.passed:
            return trial, result
        if attempt < rounds:
            repair(system, trial, cost, result.findings, result.reader, min_count, hold)
    return None, None
