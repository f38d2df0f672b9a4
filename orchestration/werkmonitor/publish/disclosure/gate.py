"""The disclosure gate of ``publish``: the public indicator table, audited.

Fresh quarters are suppressed with ``protect`` (which audits its own result
in the public's and every organisation's view, with the values earlier
publications showed as known); quarters carried over from the previous file
are audited again as they stand. Any finding stops the publish with
``DisclosureAuditError`` naming the cell and the route.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb
import numpy as np
import pandas as pd

from werkmonitor.publish.disclosure.archive import archive_publication
from werkmonitor.publish.disclosure.audit import Finding, audit
from werkmonitor.publish.disclosure.organisations import reconcile, region_shares
from werkmonitor.publish.disclosure.public import PUBLIC_LEVELS, link_quarters, suppress_quarter
from werkmonitor.publish.disclosure.system import KEY, build_system
from werkmonitor.publish.disclosure.targets import ROUND_1_SHARES, headline_targets
from werkmonitor.publish.disclosure.utility import family_of, shares_shown


class PublishError(RuntimeError):
    pass


class DisclosureAuditError(PublishError):
    """A protected cell could be worked out from what was about to be published."""

    def __init__(self, findings: list[Finding]):
        self.findings = findings
        lines = [f.message() for f in findings[:5]]
        more = f" (and {len(findings) - 5} more)" if len(findings) > 5 else ""
        super().__init__("disclosure audit failed, nothing published: " + "; ".join(lines) + more)


@dataclass
class Stats:
    suppressed: int = 0
    by_reason: dict[str, int] = field(default_factory=dict)
    audit: dict = field(default_factory=dict)
    shares_after: dict = field(default_factory=dict)
    shares_before: dict = field(default_factory=dict)  # primary suppression only
    targets: dict = field(default_factory=dict)


def _table_exists(con, schema: str, table: str) -> bool:
    return bool(
        con.execute(
            "select count(*) from duckdb_tables() where database_name = 'wh' "
            "and schema_name = ? and table_name = ?",
            [schema, table],
        ).fetchone()[0]
    )


def _shares(con, public: pd.DataFrame, quarters: list[str]):
    if not quarters or not _table_exists(con, "marts", "fct_trajectory_quarters"):
        return None, []
    try:
        shares = region_shares(con, "wh.marts.fct_trajectory_quarters", quarters)
    except duckdb.Error:
        return None, ["(no organisation shares: fct_trajectory_quarters lacks columns)"]
    return reconcile(shares, public)


def public_indicators(
    con,
    indicators: pd.DataFrame,
    carried: pd.DataFrame | None,
    policy,
    previous,
    known: pd.DataFrame | None = None,
):
    """The public quarterly_indicators table and its statistics.

    ``known``: cells the reader knows from earlier publications (KEY columns
    + ``value``), any quarters; never hidden, treated as shown by the audit."""
    public = indicators[indicators["level"].isin(PUBLIC_LEVELS)].reset_index(drop=True)
    quarters = sorted(public["quarter"].unique())
    shares, left_out = _shares(con, public, quarters)
    stats = Stats()
    parts, before, findings, cpu, lps, why = [], [], [], 0.0, 0, {}
    for quarter in quarters:
        rows = public[public["quarter"] == quarter]
        q_shares = None if shares is None else shares[shares["quarter"] == quarter]
        q_known = None if known is None else known[known["quarter"] == quarter]
        frame, result = suppress_quarter(rows, policy, q_shares, q_known)
        parts.append(frame)
        before.append(
            frame[["quarter", "level", "indicator"]].assign(is_suppressed=result.primary != "")
        )
        lps += result.result.lps
        why |= result.targets or {}
        findings.extend(result.result.findings)
        cpu += result.cpu_seconds
        for reason, n in pd.Series(result.reason[result.reason != ""]).value_counts().items():
            stats.by_reason[str(reason)] = stats.by_reason.get(str(reason), 0) + int(n)
    resuppressed: list[str] = []
    if carried is not None and not carried.empty:
        carried = carried[carried["level"].isin(PUBLIC_LEVELS)]
        for quarter, rows in carried.groupby("quarter", sort=True):
            found = audit_published(rows, policy)
            again = _resuppress(con, str(quarter), rows, policy, known) if found else None
            if again is None:
                findings.extend(found)
                parts.append(rows)
                continue
            frame, result = again
            findings.extend(result.result.findings)
            cpu += result.cpu_seconds
            lps += result.result.lps
            parts.append(frame)
            resuppressed.append(str(quarter))
    if findings:
        raise DisclosureAuditError(findings)
    table = pd.concat(parts, ignore_index=True) if parts else public.iloc[0:0]
    table = link_quarters(table)
    for col in ("organisation_code", "organisation_name", "region_code", "region_name"):
        if col in table.columns:  # no organisation rows: keep the text type
            table[col] = table[col].astype("string")
    fresh = table[table["quarter"].isin(quarters)]
    stats.suppressed = int(fresh["is_suppressed"].sum())
    stats.shares_after = shares_shown(fresh)
    stats.audit = {
        "quarters_audited": sorted(set(table["quarter"]), key=str),
        "cells_recoverable": 0,
        "cpu_seconds": round(cpu, 3),
        "cpu_seconds_per_quarter": round(cpu / max(len(quarters), 1), 3),
        "organisation_indicators_left_out": left_out,
        "method": "exact (subtraction in every relation and organisation view)"
        + (" + LP intervals (blocking)" if policy.audit_intervals else ""),
        "lps": lps,
        "carried_quarters_resuppressed": resuppressed,
    }
    if before:
        stats.shares_before = shares_shown(pd.concat(before, ignore_index=True))
    stats.targets = headline_targets(fresh, indicators, why)
    return table, stats


def _resuppress(con, quarter: str, rows: pd.DataFrame, policy, known):
    """A carried quarter the audit refuses as it stands, suppressed again
    from the working warehouse's marts (issue 10: a run publishes what is
    sound rather than refusing it). What the carried file showed is known to
    every reader: it stays shown (``protect``'s known cells). None when the
    marts no longer hold the quarter (then the findings stop the publish)."""
    from werkmonitor.publish.breakdowns import drop_unpublished
    from werkmonitor.publish.marts import indicator_rows

    fresh = drop_unpublished(indicator_rows(con, [quarter]), policy)
    fresh = fresh[fresh["level"].isin(PUBLIC_LEVELS)].reset_index(drop=True)
    if fresh.empty:
        return None
    shown = rows[~rows["is_suppressed"].astype(bool)]
    seen = shown[[*KEY, "value", "numerator", "denominator"]]
    if known is not None and not known.empty:
        earlier = known[known["quarter"] == quarter].reindex(columns=seen.columns)
        seen = pd.concat([earlier, seen], ignore_index=True)
    shares, _ = _shares(con, fresh, [quarter])
    frame, result = suppress_quarter(fresh, policy, shares, seen)
    return frame.reindex(columns=rows.columns), result


def audit_published(table: pd.DataFrame, policy) -> list[Finding]:
    """Audit rows as they stand in a published file (no hidden values needed)."""
    out = []
    for _, rows in table.groupby("quarter"):
        rows = rows.reset_index(drop=True)
        frame = rows[KEY].assign(
            numerator=pd.to_numeric(rows["numerator"], errors="coerce").fillna(0.0),
            denominator=pd.to_numeric(rows["denominator"], errors="coerce"),
        )
        system = build_system(frame, published=getattr(policy, "is_published", None))
        shown = ~rows["is_suppressed"].to_numpy(bool)
        reason = rows["suppression_reason"].astype("string").fillna("").to_numpy(object)
        result = audit(
            system,
            shown,
            reason,
            policy.min_count,
            policy.min_denominator,
            policy.small_denominator_width,
            exact_only=not policy.audit_intervals,
            truth_known=False,
        )
        out.extend(result.findings)
    return out


def disclosure_metadata(stats: Stats) -> dict:
    return {
        "audit": stats.audit,
        "share_published_after": stats.shares_after,
        "share_published_before": stats.shares_before,
        "share_published_round_1": ROUND_1_SHARES,
        "headline_targets": stats.targets,
        "hidden_by_reason": stats.by_reason,
    }


def cohort_table(con, policy) -> pd.DataFrame | None:
    """The public tier of the cohort mart, when the mart and its builder exist."""
    if not _table_exists(con, "marts", "cohort_outcomes"):
        return None
    try:
        from werkmonitor.publish.cohorts import public_cohort_outcomes
    except ImportError:
        return None
    con.execute("use wh")
    try:
        return public_cohort_outcomes(
            con, policy.cohort_min_at_risk, policy.cohort_at_risk_multiple
        )
    finally:
        con.execute("use memory")


__all__ = ["DisclosureAuditError", "PublishError", "archive_publication", "family_of", "np"]
