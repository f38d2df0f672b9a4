"""The utility targets of issue 10, measured on what is published.

National: the headline figures of every trajectory type shown as a figure
or ``<5`` (never ``x``) in every quarter. Regions with at least 10 running
IPS trajectories: IPS running, started, paid and sustainable work and the
IPS financing split. ``target_cells`` marks the same cells in a disclosure
system, so that ``secondary.cost_of`` chooses them as partners last and
``reshow`` tries to show them again. Every target left ``x`` is classified
(``explain``, from the internal reasons: the file says ``withheld`` for
partners and the organisation view alike): *primary* (a primary rule hides
it, ``organisation_view`` included: the policy's protection of another
organisation's count), *structural* (a relation needs one more hidden cell
and every cell that could be it is a target or primary cell; the relation
is named) or *chosen* (a non-target alternative exists in that relation;
the re-show found none that passes the audit).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

HEADLINE = (
    "running",
    "started",
    "ended",
    "paid_work",
    "sustainable_paid_work",
    "ever_paid_work",
    "ended_with_paid_work",
    "ended_worked_before",
    "ended_never_worked",
)
REGION_IPS = ("running", "started", "paid_work", "sustainable_paid_work")
MIN_RUNNING_IPS = 10
# Round 1 (the rules of publish/suppression.py, removed), measured with those
# rules on the round-3 baseline warehouse (/work/r3base, 11 quarters): for reference.
ROUND_1_SHARES = {"national": {"all": 0.7067}, "region": {"all": 0.293}}  # bench, round 2 code


def target_cells(system) -> np.ndarray:
    """The cells issue 10 §4 wants shown (``targets.py``): the national
    headline figures of every type, and IPS running, started, paid,
    sustainable and the financing split of running in every region with at
    least 10 running IPS trajectories. Partners come from elsewhere first."""
    keys = system.keys
    level, ttype = keys["level"].to_numpy(), keys["trajectory_type"].to_numpy()
    ind, fin = keys["indicator"].to_numpy(), keys["financing"].to_numpy()
    rest_all = (keys["ips_scheme"].to_numpy() == "ALL") & (keys["ips_phase"].to_numpy() == "ALL")
    national = (level == "national") & (fin == "ALL") & rest_all & np.isin(ind, HEADLINE)
    ips = (level == "region") & (ttype == "IPS") & rest_all
    running = ips & (fin == "ALL") & (ind == "running") & (system.truth >= MIN_RUNNING_IPS)
    region = keys["region_code"].to_numpy()
    quarter = keys["quarter"].to_numpy()
    big = set(zip(quarter[running], region[running], strict=True))
    in_big = np.fromiter(
        ((q, r) in big for q, r in zip(quarter, region, strict=True)), bool, len(region)
    )
    wanted = ((fin == "ALL") & np.isin(ind, REGION_IPS)) | ((fin != "ALL") & (ind == "running"))
    return national | (ips & in_big & wanted)


CHOSEN = ("secondary", "linked")  # secondary.SECONDARY / LINKED (imported there from here)


def forced_by(system, reason: np.ndarray, target: np.ndarray, var: int, keep=None) -> str | None:
    """The relation that needs ``var`` (or another target) hidden, or None.

    A relation needs one more hidden cell when, ``var`` aside, its primary
    cells are its only hidden ones and there is one of them or all are
    ``<5`` (a hidden 1-4 needs an unbounded cell beside it). It is forced on
    the targets when every other cell that could be hidden there (non-zero,
    not known, not primary) is a target cell too."""
    n = system.n_rows
    prim = (reason != "") & ~np.isin(reason, CHOSEN)
    small = reason == "small_count"
    able = (system.truth[:n] > 0) & ~prim & ~target
    if keep is not None:
        able &= ~keep
    eq_t = system.eq.T.tocsr()
    for row in eq_t.indices[eq_t.indptr[var] : eq_t.indptr[var + 1]]:
        cells = system.eq.indices[system.eq.indptr[row] : system.eq.indptr[row + 1]]
        cells = cells[cells != var]
        if (cells >= n).any():
            continue  # a pseudo total (hidden iff its users are): not judged here
        hidden = cells[prim[cells]]
        if hidden.size == 0 or (hidden.size > 1 and not small[hidden].all()):
            continue
        if not able[cells].any():
            return system.relation(system.eq_names[row])
    return None


def explain(system, reason: np.ndarray, keep=None, refused=None) -> dict[str, dict]:
    """{cell name: {"why": primary | structural | chosen, ...}} for every
    hidden target row; a linked share is judged by the cells its printed
    denominator holds. ``refused``: {var: why} from ``reshow`` (a chosen
    cell says why it was not shown again)."""
    n = system.n_rows
    target = target_cells(system)[:n]
    den = system.den[:n].tocsr()
    out: dict[str, dict] = {}
    for var in np.flatnonzero(target & (reason != "")):
        name = _name(system.keys.iloc[var])
        if reason[var] not in CHOSEN:
            out[name] = {"why": "primary", "reason": str(reason[var])}
            continue
        rel = forced_by(system, reason, target, int(var), keep)
        if rel is None and reason[var] == "linked":
            cols = den.indices[den.indptr[var] : den.indptr[var + 1]]
            cols = cols[(cols < n) & (reason[np.minimum(cols, n - 1)] != "")]
            prim = [c for c in cols if reason[c] not in CHOSEN]
            if prim:
                out[name] = {"why": "primary", "reason": f"denominator {reason[prim[0]]}"}
                continue
            rels = [forced_by(system, reason, target, int(c), keep) for c in cols]
            rel = next((f"denominator: {r}" for r in rels if r), None)
        if rel:
            out[name] = {"why": "structural", "relation": rel}
            continue
        note = "linked: its printed denominator is hidden" if reason[var] == "linked" else None
        out[name] = {"why": "chosen", "refused": (refused or {}).get(int(var), note or "not tried")}
    return out


def _name(row) -> str:
    code = row["region_code"]
    where = code if isinstance(code, str) and code else "national"  # '' in a system's keys
    return (
        f"{row['quarter']} {where} {row['trajectory_type']}/{row['financing']} {row['indicator']}"
    )


def _summary(cells: pd.DataFrame, why: dict[str, dict]) -> dict:
    x = cells[cells["display_value"] == "x"]
    out = {"cells": len(cells), "shown_or_lt5": int((cells["display_value"] != "x").sum())}
    out |= {"x_primary": [], "x_structural": {}, "x_chosen": {}}
    for _, row in x.iterrows():
        name = _name(row)
        # without the internal reasons (a carried quarter): the label is all there is
        label = row["suppression_reason"]
        what = why.get(name, {"why": "chosen" if label == "withheld" else "primary"})
        what = {"refused": "no internal reasons (carried quarter)"} | what
        if what["why"] == "primary":
            out["x_primary"].append(name)
        elif what["why"] == "structural":
            out["x_structural"][name] = what["relation"]
        else:
            out["x_chosen"][name] = what["refused"]
    return out


def _verdict(per_quarter: dict) -> dict:
    """Met or not over all quarters, with the forced counted, never hidden."""
    total = {k: sum(q[k] for q in per_quarter.values()) for k in ("cells", "shown_or_lt5")}
    for k in ("x_primary", "x_structural", "x_chosen"):
        total[k] = sum(len(q[k]) for q in per_quarter.values())
    total["met"] = total["shown_or_lt5"] == total["cells"]
    total["met_except_forced"] = total["x_chosen"] == 0  # every x is forced
    return total


def headline_targets(
    table: pd.DataFrame, indicators: pd.DataFrame, why: dict[str, dict] | None = None
) -> dict:
    """Per quarter and in all, the target cells shown or ``<5`` and why each
    ``x`` is one. ``why``: ``explain`` of the suppressed quarters (carried
    quarters are classified by their label alone)."""
    if table.empty:
        return {}
    why = why or {}
    rest_all = (table["ips_scheme"] == "ALL") & (table["ips_phase"] == "ALL")
    national = table[
        (table["level"] == "national")
        & (table["financing"] == "ALL")
        & rest_all
        & table["indicator"].isin(HEADLINE)
    ]
    running = indicators[
        (indicators["level"] == "region")
        & (indicators["trajectory_type"] == "IPS")
        & (indicators["financing"] == "ALL")
        & (indicators["ips_scheme"] == "ALL")
        & (indicators["ips_phase"] == "ALL")
        & (indicators["indicator"] == "running")
        & (indicators["numerator"] >= MIN_RUNNING_IPS)
    ][["quarter", "region_code"]]
    ips = table[
        (table["level"] == "region")
        & (table["trajectory_type"] == "IPS")
        & rest_all
        & (
            ((table["financing"] == "ALL") & table["indicator"].isin(REGION_IPS))
            | ((table["financing"] != "ALL") & (table["indicator"] == "running"))
        )
    ].merge(running, on=["quarter", "region_code"])
    out: dict = {"national_headline": {}, "region_ips": {}}
    for quarter, cells in national.groupby("quarter"):
        out["national_headline"][str(quarter)] = _summary(cells, why)
    for quarter, cells in ips.groupby("quarter"):
        out["region_ips"][str(quarter)] = {"regions": int(cells["region_code"].nunique())} | (
            _summary(cells, why)
        )
    out["verdict"] = {k: _verdict(out[k]) for k in ("national_headline", "region_ips")}
    return out
