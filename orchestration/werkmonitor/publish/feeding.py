"""Which submissions feed a published cell, and which of them changed.

An earlier publication's shown cell tells a reader the current figure only
where the submissions behind it are the ones that publication came from
(issue 10, docs/publishing.md "Earlier publications"). A national cell is fed
by every submission of its quarter; a region cell by those of the
organisations working in that region that quarter (``feeders``, read from the
trajectory mart). Where one of them changed, the earlier figure is an earlier
version: together with the new one it tells a correction's net change, not
the current value of a cell the new file hides.
"""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd

FEEDER_COLUMNS = ["quarter", "region_code", "organisation_code"]


def read_feeders(
    con: duckdb.DuckDBPyConnection, table: str, quarters: list[str]
) -> pd.DataFrame | None:
    """(quarter, region_code, organisation_code): the organisations with a
    trajectory in the region that quarter; None when ``table`` lacks them."""
    columns = {r[0] for r in con.execute(f"describe {table}").fetchall()}
    if not quarters or not set(FEEDER_COLUMNS) <= columns:
        return None
    qlist = ", ".join("'" + q.replace("'", "") + "'" for q in quarters)
    return con.execute(
        f"select distinct quarter, region_code, organisation_code from {table}"
        f" where quarter in ({qlist}) and region_code is not null order by all"
    ).df()


def changed_organisations(published: pd.DataFrame, submissions: pd.DataFrame) -> pd.DataFrame:
    """(quarter, organisation_code) whose submission differs between a
    publication's ``publication`` rows and ``submissions``: a new content
    hash, a file added or a file withdrawn. Only the quarters ``published``
    holds are compared."""
    cols = ["quarter", "organisation_code", "content_hash"]

    def pairs(frame: pd.DataFrame) -> pd.DataFrame:
        frame = frame.reindex(columns=cols).dropna(subset=["organisation_code"])
        return frame.astype("string").drop_duplicates()

    then, now = pairs(published), pairs(submissions)
    now = now[now["quarter"].isin(set(published["quarter"]))]
    both = then.merge(now, on=cols, how="outer", indicator=True)
    return both.loc[both["_merge"] != "both", cols[:2]].drop_duplicates(ignore_index=True)


def current_only(
    rows: pd.DataFrame,
    published: pd.DataFrame,
    submissions: pd.DataFrame | None,
    feeders: pd.DataFrame | None,
) -> pd.DataFrame:
    """``rows`` (one publication's shown cells) without those whose feeding
    submissions changed since that publication (see ``earlier_shown``)."""
    if submissions is None or rows.empty:
        return rows
    changed = changed_organisations(published, submissions)
    quarter = rows["quarter"].to_numpy(object)
    stale = rows["level"].eq("national").to_numpy() & np.isin(quarter, list(changed["quarter"]))
    if feeders is not None and not changed.empty:
        fed = feeders[["quarter", "region_code", "organisation_code"]].astype("string")
        hit = fed.merge(changed, on=["quarter", "organisation_code"])
        stale_regions = set(zip(hit["quarter"], hit["region_code"], strict=True))
        where = zip(quarter, rows["region_code"].to_numpy(object), strict=True)
        in_stale = np.fromiter((k in stale_regions for k in where), bool, len(rows))
        stale |= rows["level"].eq("region").to_numpy() & in_stale
    return rows[~stale].reset_index(drop=True)
