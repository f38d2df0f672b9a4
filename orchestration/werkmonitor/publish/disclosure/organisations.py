"""Each organisation's own share of the public cells (its view of the table).

An organisation knows its own figures exactly, per region it works in: in a
region with two providers either one subtracts itself from the region's row
and reads the other's count. The mart has organisation rows for the whole
organisation only, so the per-region shares are counted here from
``marts.fct_trajectory_quarters`` with the mart's filters; every indicator
whose shares do not add up to the public region cells exactly is left out
(and named in the audit summary), so a change in a definition cannot make
the organisation view silently wrong.
"""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd

from werkmonitor.catalogue.relations import load_relations
from werkmonitor.publish.disclosure.system import NOT_ADDITIVE
from werkmonitor.reference import flagged_codes, read_seed


def _filters() -> dict[str, str]:
    """indicator -> filter over fct_trajectory_quarters, as the mart counts it:
    the population's condition and the indicator's (``seeds/indicators.csv``,
    ``seeds/indicator_populations.csv``: one source with the dbt models). An
    implied total (the employment bands' shared denominator) counts the rows
    of any of its members. Ratios whose numerator is not a count of the
    population (clients per FTE) are left out."""
    populations = {r["population"]: r["condition"] for r in read_seed("indicator_populations")}
    out = {}
    for r in read_seed("indicators"):
        if r["indicator"] in NOT_ADDITIVE or r["population"] not in populations:
            continue
        out[r["indicator"]] = f"({populations[r['population']]}) and ({r['condition']})"
    for total, group in load_relations().implied_totals.items():
        if all(m in out for m in group.members):
            out[total] = " or ".join(f"({out[m]})" for m in group.members)
    return out


FILTERS = _filters()
BREAKDOWNS = [  # (trajectory type kept, financing, scheme, phase): the mart's breakdowns
    ("type", "fin", None, None),
    ("type", None, None, None),
    (None, "fin", None, None),
    (None, None, None, None),
    ("ips", None, "scheme", None),
    ("ips", None, None, "phase"),
]


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> set[str]:
    return {r[0] for r in con.execute(f"describe {table}").fetchall()}


def _columns_of(condition: str) -> set[str]:
    words = condition.replace("'", " ' ").split()
    quoted = False
    out = set()
    for w in words:
        if w == "'":
            quoted = not quoted
        elif not quoted and w.isidentifier() and w not in ("and", "or", "not", "is", "null"):
            out.add(w)
    return out


def region_shares(con: duckdb.DuckDBPyConnection, table: str, quarters: list[str]) -> pd.DataFrame:
    """quarter, organisation_code, region_code, breakdown, indicator, numerator."""
    cols = _columns(con, table)
    usable = {k: v for k, v in FILTERS.items() if _columns_of(v) <= cols}
    sums = ", ".join(f'count(*) filter (where {f}) as "{k}"' for k, f in usable.items())
    qlist = ", ".join("'" + q.replace("'", "") + "'" for q in quarters) or "NULL"
    base = con.execute(
        f"select quarter, organisation_code, region_code, trajectory_type, financing, "
        f"ips_scheme, ips_phase, {sums} from {table} where quarter in ({qlist}) group by all "
        "order by all"  # reproducible: the suppression's ties follow row order
    ).df()
    parts = []
    for ttype, fin, scheme, phase in BREAKDOWNS:
        frame = base
        if ttype == "ips" or scheme or phase:
            frame = frame[frame["trajectory_type"] == "IPS"]
        frame = frame.assign(
            trajectory_type=frame["trajectory_type"] if ttype else "ALL",
            financing=frame["financing"] if fin else "ALL",
            ips_scheme=frame["ips_scheme"] if scheme else "ALL",
            ips_phase=frame["ips_phase"] if phase else "ALL",
        )
        if phase:
            frame = frame[frame["ips_phase"].isin(flagged_codes("ips_phases", "is_running"))]
        keys = [
            "quarter",
            "organisation_code",
            "region_code",
            "trajectory_type",
            "financing",
            "ips_scheme",
            "ips_phase",
        ]
        parts.append(frame.groupby(keys, dropna=False)[list(usable)].sum().reset_index())
    wide = pd.concat(parts, ignore_index=True)
    long = wide.melt(id_vars=keys, var_name="indicator", value_name="numerator")
    return long[long["numerator"] > 0].reset_index(drop=True)


def reconcile(shares: pd.DataFrame, public: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """Keep the indicators whose shares add up to the public region cells."""
    keys = [
        "quarter",
        "region_code",
        "trajectory_type",
        "financing",
        "ips_scheme",
        "ips_phase",
        "indicator",
    ]
    region = public[public["level"] == "region"][[*keys, "numerator"]]
    total = shares.groupby(keys)["numerator"].sum().rename("share_sum").reset_index()
    # only the cells the mart publishes (a breakdown the mart does not produce
    # for an indicator, e.g. an IPS-only indicator for all types, is no cell);
    # an implied total is no row: it stands or falls with its members
    both = region.merge(total, on=keys, how="left").fillna({"share_sum": 0})
    bad = both[np.abs(both["numerator"] - both["share_sum"]) > 1e-9]["indicator"].unique()
    bad = set(map(str, bad))
    for name, group in load_relations().implied_totals.items():
        if bad & set(group.members):
            bad.add(name)
    bad |= set(map(str, shares["indicator"].unique())) - set(FILTERS)
    bad = sorted(bad)
    return shares[~shares["indicator"].isin(bad)].reset_index(drop=True), bad
