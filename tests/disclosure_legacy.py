"""A deliberately frozen, minimal copy of the round-1 suppression rules.

Not used by the publish: the round-1 rules leaked (issue 10) and
``publish/suppression.py`` is gone (issue 14). The route tests
(``test_disclosure_routes.py``) keep this copy to show that the old policy
leaks on each attack route before the audit finds it and the new
suppression closes it. Frozen on purpose: it carries its own copy of the
round-1 groups and links (they are not read from the live policy or the
relations catalogue, which have moved on) and must not be "fixed".

Round-1 rules: primary (1-4, denominator < 10, restricted breakdowns),
linked rows, and per additive group never exactly one hidden member next to
a visible total (the next-smallest non-zero member, or the total) and never
a hidden total next to all members visible; repeated until nothing changes.
Current figures only (the previous-quarter and like-for-like families of
round 1 used the same rules).
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from werkmonitor.publish.disclosure.labels import DIMENSIONS, KEY

REASON_SMALL_COUNT = "small_count"
REASON_SMALL_DENOMINATOR = "small_denominator"
REASON_LINKED = "linked"
REASON_SECONDARY = "secondary"
REASON_LFL_DIFFERENCE = "like_for_like_difference"
REASON_RESTRICTED = "breakdown_not_published"


@dataclass(frozen=True)
class AdditiveGroup:
    name: str
    total: str | None
    members: tuple[str, ...]


@dataclass(frozen=True)
class Round1Policy:
    """The round-1 policy values (suppression.yml of round 1), frozen."""

    min_count: int = 5
    min_denominator: int = 10
    ratio_indicators: frozenset = frozenset({"clients_per_fte", "avg_per_organisation"})
    restricted_breakdowns: dict = field(
        default_factory=lambda: {"ips_phase": ("orientation", "running", "started", "ended")}
    )
    additive_dimensions: dict = field(
        default_factory=lambda: {
            "financing": AdditiveGroup("financing", "ALL", ("UWV", "GEMEENTE", "OVERIG")),
            "ips_scheme": AdditiveGroup("ips_scheme", "ALL", ("EPA", "CMD", "GEEN")),
            "ips_phase": AdditiveGroup("ips_phase", "ALL", ("AANGEVRAAGD", "GOEDGEKEURD")),
            "trajectory_type": AdditiveGroup(
                "trajectory_type",
                "ALL",
                ("IPS", "WABZ", "JOBCOACHING", "WERKFIT", "NAAR_WERK", "OVERIG"),
            ),
        }
    )
    additive_levels: tuple = ("region", "organisation")
    additive_indicators: tuple = (
        AdditiveGroup(
            "outflow_categories",
            "ended",
            ("ended_with_paid_work", "ended_worked_before", "ended_never_worked"),
        ),
        AdditiveGroup(
            "first_job_bands",
            "paid_work",
            tuple(
                f"first_job_days_{b}" for b in ("0_30", "31_60", "61_150", "151_270", "271_plus")
            ),
        ),
        AdditiveGroup(
            "employment_bands",
            None,
            ("employment_lt_6_months", "employment_6_12_months", "employment_gt_12_months"),
        ),
    )
    linked_indicators: dict = field(
        default_factory=lambda: {
            "paid_work": ("running",),
            "sustainable_paid_work": ("running",),
            "ever_paid_work": ("running",),
            "education": ("running",),
            "trial_placement": ("running",),
            "volunteer_work": ("running",),
            "day_activity": ("running",),
            "outflow": ("running", "ended"),
            "job_started": ("running", "paid_work"),
            "job_stopped": ("paid_work",),
            "first_job_*": ("paid_work",),
            "first_job_after_9_months": ("paid_work", "first_job_days_271_plus"),
            "first_job_days_271_plus": ("first_job_after_9_months",),
            "ended_*": ("ended",),
            "avg_per_organisation": ("running",),
            "clients_per_fte": ("running",),
        }
    )

    def links_for(self, indicator: str) -> tuple[str, ...]:
        out: list[str] = []
        for pattern, sources in self.linked_indicators.items():
            if fnmatch.fnmatchcase(indicator, pattern):
                out.extend(s for s in sources if s != indicator and s not in out)
        return tuple(out)


@dataclass
class _Groups:
    group: np.ndarray  # group id per entry
    row: np.ndarray  # row index per entry
    is_total: np.ndarray  # entry is the group's total
    implied: np.ndarray  # per group: the total is the members' shared denominator
    total_row: np.ndarray  # per group: row of the total, -1 when implied


class CellIndex:
    """Which rows are linked or add up, computed once per frame and reused
    for the current, previous-quarter and like-for-like families."""

    def __init__(self, frame: pd.DataFrame, policy):
        self.n = len(frame)
        keys = frame[KEY].astype("string").fillna("")
        self.keys = keys
        self.breakdown = keys.groupby(DIMENSIONS, sort=False).ngroup().to_numpy()
        indicators = keys["indicator"].to_numpy()
        self.is_ratio = np.isin(indicators, list(policy.ratio_indicators))
        codes, uniques = pd.factorize(indicators)
        self.indicator_codes = {str(u): i for i, u in enumerate(uniques)}
        n_bd = int(self.breakdown.max()) + 1 if self.n else 0
        self.rowpos = np.full((n_bd, len(uniques)), -1, dtype=np.int64)
        self.rowpos[self.breakdown, codes] = np.arange(self.n)
        self.restricted = np.zeros(self.n, bool)
        for dim, allowed in policy.restricted_breakdowns.items():
            if dim in keys.columns:
                values = keys[dim].to_numpy()
                self.restricted |= (
                    (values != "ALL") & (values != "") & ~np.isin(indicators, list(allowed))
                )
        self.links = self._links(policy)
        self.groups = self._groups(policy)

    def _links(self, policy) -> list[tuple[np.ndarray, np.ndarray]]:
        pairs = []
        for target, t_code in self.indicator_codes.items():
            for source in policy.links_for(target):
                s_code = self.indicator_codes.get(source)
                if s_code is None:
                    continue
                t_rows, s_rows = self.rowpos[:, t_code], self.rowpos[:, s_code]
                both = (t_rows >= 0) & (s_rows >= 0)
                if both.any():
                    pairs.append((t_rows[both], s_rows[both]))
        return pairs

    def _groups(self, policy) -> _Groups:
        parts: list[tuple[np.ndarray, np.ndarray, np.ndarray, bool]] = []
        keys = self.keys
        additive = ~self.is_ratio

        def add(mask: np.ndarray, group_cols: list[str], total_mask: np.ndarray, implied: bool):
            rows = np.flatnonzero(mask & additive)
            if rows.size == 0:
                return
            ids = keys.iloc[rows].groupby(group_cols, sort=False).ngroup().to_numpy()
            parts.append((ids, rows, total_mask[rows], implied))

        for dim, spec in policy.additive_dimensions.items():
            values = keys[dim].to_numpy()
            mask = np.isin(values, [*spec.members, spec.total])
            others = [c for c in KEY if c != dim]
            add(mask, others, values == spec.total, implied=False)
        levels = keys["level"].to_numpy()
        for level in policy.additive_levels:
            mask = np.isin(levels, [level, "national"])
            cols = [c for c in KEY if c not in ("level", "region_code", "organisation_code")]
            add(mask, cols, levels == "national", implied=False)
        indicators = keys["indicator"].to_numpy()
        for spec in policy.additive_indicators:
            names = [*spec.members] + ([spec.total] if spec.total else [])
            mask = np.isin(indicators, names)
            is_total = indicators == spec.total if spec.total else np.zeros(self.n, bool)
            add(mask, DIMENSIONS, is_total, implied=spec.total is None)

        groups, rows, totals, implied_flags = [], [], [], []
        offset = 0
        for ids, part_rows, part_totals, implied in parts:
            n_groups = int(ids.max()) + 1
            groups.append(ids + offset)
            rows.append(part_rows)
            totals.append(part_totals)
            implied_flags.append(np.full(n_groups, implied))
            offset += n_groups
        if not parts:
            empty = np.zeros(0, np.int64)
            return _Groups(empty, empty, np.zeros(0, bool), np.zeros(0, bool), empty)
        group = np.concatenate(groups)
        row = np.concatenate(rows)
        is_total = np.concatenate(totals)
        implied = np.concatenate(implied_flags)
        total_row = np.full(offset, -1, dtype=np.int64)
        total_row[group[is_total]] = row[is_total]
        n_members = np.bincount(group[~is_total], minlength=offset)
        # An explicit group is only a relation when its total row exists.
        valid = (n_members > 0) & (implied | (total_row >= 0))
        keep = valid[group]
        return _Groups(group[keep], row[keep], is_total[keep], implied, total_row)


def _primary(
    index: CellIndex, numerator: np.ndarray, denominator: np.ndarray, policy
) -> tuple[np.ndarray, np.ndarray]:
    reason = np.full(index.n, "", dtype=object)
    small_num = (numerator > 0) & (numerator < policy.min_count)
    share = ~np.isnan(denominator) & ~index.is_ratio
    small_den = share & (denominator > 0) & (denominator < policy.min_denominator)
    reason[small_den] = REASON_SMALL_DENOMINATOR
    reason[small_num] = REASON_SMALL_COUNT
    reason[index.restricted] = REASON_RESTRICTED
    return small_num | small_den | index.restricted, reason


def suppress_family(
    index: CellIndex,
    numerator: np.ndarray,
    denominator: np.ndarray,
    policy,
    extra_primary: np.ndarray | None = None,
    extra_reason: str = REASON_LFL_DIFFERENCE,
) -> tuple[np.ndarray, np.ndarray]:
    """Hidden mask and reason per row for one (numerator, denominator) family."""
    numerator = np.asarray(numerator, dtype=float)
    denominator = np.asarray(denominator, dtype=float)
    hidden, reason = _primary(index, numerator, denominator, policy)
    if extra_primary is not None:
        new = extra_primary & ~hidden
        hidden = hidden | extra_primary
        reason[new] = extra_reason
    value = np.nan_to_num(numerator, nan=0.0)
    g = index.groups
    n_groups = g.total_row.size
    order = np.lexsort((g.row, value[g.row], g.group))
    s_group, s_row, s_total = g.group[order], g.row[order], g.is_total[order]
    s_member = ~s_total
    total_value = np.where(g.total_row >= 0, value[np.maximum(g.total_row, 0)], 0.0)

    for _ in range(1000):
        changed = False
        for targets, sources in index.links:
            new = hidden[sources] & ~hidden[targets]
            if new.any():
                rows = targets[new]
                hidden[rows] = True
                reason[rows] = REASON_LINKED
                changed = True
        if n_groups:
            s_hidden = hidden[s_row]
            hidden_members = np.bincount(s_group, weights=s_hidden & s_member, minlength=n_groups)
            visible_members = np.bincount(s_group, weights=~s_hidden & s_member, minlength=n_groups)
            has_total = g.total_row >= 0
            total_hidden = has_total & hidden[np.maximum(g.total_row, 0)]
            need_one = (hidden_members == 1) & np.where(
                g.implied, visible_members > 0, has_total & ~total_hidden
            )
            need_total = total_hidden & (hidden_members == 0) & (total_value > 0)
            need = need_one | need_total
            if need.any():
                candidate = (
                    s_member & ~s_hidden & need[s_group] & ((value[s_row] > 0) | g.implied[s_group])
                )
                positions = np.flatnonzero(candidate)
                found, first = np.unique(s_group[positions], return_index=True)
                partners = s_row[positions[first]]
                if partners.size:
                    hidden[partners] = True
                    reason[partners] = REASON_SECONDARY
                    changed = True
                no_partner = need_one.copy()
                no_partner[found] = False
                no_partner &= ~g.implied & has_total
                if no_partner.any():
                    rows = g.total_row[no_partner]
                    rows = rows[~hidden[rows]]
                    if rows.size:
                        hidden[rows] = True
                        reason[rows] = REASON_SECONDARY
                        changed = True
        if not changed:
            break
    return hidden, reason


def _float(frame: pd.DataFrame, column: str) -> np.ndarray:
    if column not in frame.columns:
        return np.full(len(frame), np.nan)
    return pd.to_numeric(frame[column], errors="coerce").astype(float).to_numpy()


def suppress_indicators(frame: pd.DataFrame, policy=None) -> tuple[pd.DataFrame, None]:
    """The round-1 published form of the current figures (is_suppressed, reason)."""
    policy = policy if isinstance(policy, Round1Policy) else Round1Policy()
    frame = frame.reset_index(drop=True).copy()
    index = CellIndex(frame, policy)
    hidden, reason = suppress_family(
        index, _float(frame, "numerator"), _float(frame, "denominator"), policy
    )
    frame["is_suppressed"] = hidden
    frame["suppression_reason"] = pd.array([r if r else None for r in reason], dtype="string")
    for col in ("numerator", "denominator", "value"):
        frame.loc[hidden, col] = np.nan
    return frame, None
