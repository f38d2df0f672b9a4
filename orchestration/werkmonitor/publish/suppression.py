"""Small-cell suppression of the indicator mart.

Rules (the policy file sets the numbers; docs/publishing.md explains them):

0. restricted breakdowns: cells of a breakdown the policy publishes for some
   indicators only are withheld in the others;
1. primary, small count: a numerator from 1 to ``min_count - 1`` is hidden
   (for counts, shares and ratios: it is always a number of people);
2. primary, small denominator: a share whose denominator is below
   ``min_denominator`` is hidden (a share of 1 in 7 reveals the count);
3. linked: a row is hidden when a row of the same breakdown its numerator or
   denominator equals or derives from is hidden (``job_started`` divides by
   running − paid work, so a hidden ``paid_work`` would come back through it);
4. secondary, additive groups: where members add up to a total (financing
   UWV + GEMEENTE + OVERIG = ALL, regions → national, organisations →
   national, trajectory types → ALL, outflow categories → ended, first-job
   bands → paid work), a group never has exactly one hidden member next to a
   visible total (the next-smallest non-zero visible member is hidden too, or
   the total when there is none), and never a hidden total next to all members
   visible (the smallest non-zero member is hidden);

repeated until nothing changes, because hiding a partner can break another
group. A hidden row loses numerator, denominator and value.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from werkmonitor.formatting import fmt_count, fmt_number, fmt_pct
from werkmonitor.publish.policy import Policy

DIMENSIONS = [
    "quarter",
    "level",
    "region_code",
    "organisation_code",
    "trajectory_type",
    "financing",
    "ips_scheme",
    "ips_phase",
]
KEY = [*DIMENSIONS, "indicator"]

REASON_SMALL_COUNT = "small_count"
REASON_SMALL_DENOMINATOR = "small_denominator"
REASON_LINKED = "linked"
REASON_SECONDARY = "secondary"
REASON_LFL_DIFFERENCE = "like_for_like_difference"
REASON_RESTRICTED = "breakdown_not_published"


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

    def __init__(self, frame: pd.DataFrame, policy: Policy):
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

    def _links(self, policy: Policy) -> list[tuple[np.ndarray, np.ndarray]]:
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

    def _groups(self, policy: Policy) -> _Groups:
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
    index: CellIndex, numerator: np.ndarray, denominator: np.ndarray, policy: Policy
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
    policy: Policy,
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


def display_values(
    frame: pd.DataFrame, hidden: np.ndarray, reason: np.ndarray, policy: Policy
) -> list[str | None]:
    """The text a reader sees for each row: the formatted value or its mask."""
    ratio = frame["indicator"].isin(policy.ratio_indicators).to_numpy()
    denominator = _float(frame, "denominator")
    value = _float(frame, "value")
    out: list[str | None] = []
    for i in range(len(frame)):
        is_count = np.isnan(denominator[i]) and not ratio[i]
        if hidden[i]:
            small = reason[i] == REASON_SMALL_COUNT and is_count
            out.append(policy.small_count_label if small else policy.withheld_label)
        elif np.isnan(value[i]):
            out.append(None)
        elif is_count:
            out.append(fmt_count(value[i]))
        elif ratio[i]:
            out.append(fmt_number(value[i], 1))
        else:
            out.append(fmt_pct(value[i]))
    return out


@dataclass
class SuppressionStats:
    rows: int
    suppressed: int
    by_reason: dict[str, int]


def suppress_indicators(
    frame: pd.DataFrame, policy: Policy
) -> tuple[pd.DataFrame, SuppressionStats]:
    """The published form of ``marts.quarterly_indicators``.

    The current figures, the previous-quarter figures and the like-for-like
    figures are each protected with the same rules (the previous-quarter
    columns repeat last quarter's cells, so they must hide what last quarter
    hides); a change column is hidden when either side is.
    """
    frame = frame.reset_index(drop=True).copy()
    # The published cells are the pre-suppression cells; the frame carries the
    # policy's decision, so the source values are read before anything is nulled.
    # Shares compare against the denominator before it is hidden.
    index = CellIndex(frame, policy)
    num, den = _float(frame, "numerator"), _float(frame, "denominator")
    hidden, reason = suppress_family(index, num, den, policy)

    prev_hidden = np.zeros(len(frame), bool)
    if "previous_numerator" in frame.columns:
        prev_hidden, _ = suppress_family(
            index,
            _float(frame, "previous_numerator"),
            _float(frame, "previous_denominator"),
            policy,
        )

    lfl_sets = [
        (
            "like_for_like_numerator",
            "like_for_like_denominator",
            "like_for_like_value",
            num,
            den,
            hidden,
        ),
        (
            "like_for_like_previous_numerator",
            "like_for_like_previous_denominator",
            "like_for_like_previous_value",
            _float(frame, "previous_numerator"),
            _float(frame, "previous_denominator"),
            prev_hidden,
        ),
    ]
    for num_col, den_col, value_col, plain_num, plain_den, plain_hidden in lfl_sets:
        if num_col not in frame.columns:
            continue
        lfl_num, lfl_den = _float(frame, num_col), _float(frame, den_col)
        extra = plain_hidden.copy()
        if policy.protect_like_for_like_difference:
            for plain, lfl in ((plain_num, lfl_num), (plain_den, lfl_den)):
                diff = plain - lfl
                extra |= (diff > 0) & (diff < policy.min_count)
        lfl_hidden, _ = suppress_family(index, lfl_num, lfl_den, policy, extra_primary=extra)
        for col in (num_col, den_col, value_col):
            if col in frame.columns:
                frame.loc[lfl_hidden, col] = np.nan

    frame["is_suppressed"] = hidden
    frame["suppression_reason"] = pd.array([r if r else None for r in reason], dtype="string")
    frame["display_value"] = pd.array(display_values(frame, hidden, reason, policy), dtype="string")
    for col in ("numerator", "denominator", "value"):
        frame.loc[hidden, col] = np.nan
    for col in ("previous_numerator", "previous_denominator", "previous_value"):
        if col in frame.columns:
            frame.loc[prev_hidden, col] = np.nan
    either = hidden | prev_hidden
    for col in ("change_absolute", "change_relative", "change_percentage_points"):
        if col in frame.columns:
            frame.loc[either, col] = np.nan
    by_reason = pd.Series(reason[hidden]).value_counts().to_dict()
    return frame, SuppressionStats(
        len(frame), int(hidden.sum()), {str(k): int(v) for k, v in by_reason.items()}
    )
