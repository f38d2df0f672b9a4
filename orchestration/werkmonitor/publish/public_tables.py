"""The tables of the public file, from the working warehouse's marts.

``quarterly_indicators`` through the disclosure gate (national and region
rows, audited, with the cells earlier publications showed as known),
``cohort_outcomes`` (the cohort mart's public tier), ``region_completeness``,
``regional_ambition`` (protected with the indicator table's started cells)
and the label dimensions. Quarters carried over keep the previous file's
rows (the gate audits its indicator rows again).
"""

from __future__ import annotations

import duckdb
import pandas as pd

from werkmonitor.publish.ambition import hidden_started, suppress_ambition
from werkmonitor.publish.breakdowns import (
    drop_unpublished,
    published_breakdowns,
    published_indicators,
)
from werkmonitor.publish.disclosure.gate import cohort_table, disclosure_metadata, public_indicators
from werkmonitor.publish.disclosure.utility import compare_shown, published_families
from werkmonitor.publish.marts import indicator_rows, quarter_list, table_exists
from werkmonitor.publish.policy import Policy
from werkmonitor.publish.published_file import FORBIDDEN_COLUMN

COMPLETENESS_COLUMNS = [
    "quarter",
    "region_code",
    "region_name",
    "status",
    "mark",
    "organisations_expected",
    "organisations_delivered",
    "missing_organisations",
]
STATUS_LABELS = {
    "complete": "Volledig",
    "incomplete": "Onvolledig",
    "no_data": "Geen gegevens",
    "no_provider": "Geen aanbieder",
}


def build_tables(
    con: duckdb.DuckDBPyConnection,
    to_publish: list[str],
    policy: Policy,
    previous: dict[str, pd.DataFrame],
    carried: list[str],
    earlier: pd.DataFrame | None = None,
) -> tuple[dict[str, pd.DataFrame], dict]:
    """(table name → frame, statistics: suppressed, by_reason, metadata)."""
    qlist = quarter_list(to_publish)

    def carried_rows(name: str, columns: list[str]) -> pd.DataFrame | None:
        old = previous.get(name)
        if old is None or "quarter" not in old.columns or not carried:
            return None
        return old[old["quarter"].isin(carried)].reindex(columns=columns)

    def with_carried(name: str, fresh: pd.DataFrame) -> pd.DataFrame:
        old = carried_rows(name, list(fresh.columns))
        return fresh if old is None else pd.concat([fresh, old])

    indicators = indicator_rows(con, to_publish)
    old = carried_rows(
        "quarterly_indicators",
        list(indicators.columns) + ["is_suppressed", "suppression_reason", "display_value"],
    )
    breakdowns = published_breakdowns(policy, [indicators, old])
    indicators, old = drop_unpublished(indicators, policy), drop_unpublished(old, policy)
    suppressed, stats = public_indicators(con, indicators, old, policy, previous, known=earlier)
    tables = {
        "quarterly_indicators": suppressed,
        "published_breakdowns": breakdowns,
        "published_indicators": published_indicators(policy),
    }
    cohorts = cohort_table(con, policy)
    if cohorts is not None:
        tables["cohort_outcomes"] = cohorts

    if table_exists(con, "wh", "marts", "region_completeness"):
        comp = con.execute(
            f"select * from wh.marts.region_completeness where quarter in ({qlist})"
        ).df()
        comp = comp[[c for c in COMPLETENESS_COLUMNS if c in comp.columns]]
        comp["status_label_nl"] = comp["status"].map(STATUS_LABELS)
        tables["region_completeness"] = with_carried("region_completeness", comp)

    if table_exists(con, "wh", "marts", "regional_ambition"):
        amb = con.execute(
            f"select * from wh.marts.regional_ambition where quarter in ({qlist})"
        ).df()
        amb = suppress_ambition(amb, hidden_started(suppressed), policy)
        stats.by_reason["ambition"] = int(amb["is_suppressed"].sum())
        tables["regional_ambition"] = with_carried("regional_ambition", amb)

    tables.update(_dimensions(con))
    tables = {name: frame.reset_index(drop=True) for name, frame in tables.items()}
    metadata = disclosure_metadata(stats)
    metadata["published_families"] = published_families(tables["published_indicators"])
    before = previous.get("quarterly_indicators")
    if before is not None and "is_suppressed" in before.columns:
        # utility against the file this one replaces (issue 10 §2: before/after)
        fresh = suppressed[~suppressed["quarter"].isin(carried)]
        metadata["share_published_previous_file"] = compare_shown(before, fresh)
    return tables, {
        "suppressed": stats.suppressed + stats.by_reason.get("ambition", 0),
        "by_reason": stats.by_reason,
        "metadata": metadata,
    }


def _dimensions(con: duckdb.DuckDBPyConnection) -> dict[str, pd.DataFrame]:
    """Every ``marts.dim_*`` label table (a dimension with row identifiers is not one)."""
    dims = [
        r[0]
        for r in con.execute(
            "select table_name from duckdb_tables() where database_name = 'wh' "
            "and schema_name = 'marts' and table_name like 'dim\\_%' escape '\\' "
            "order by table_name"
        ).fetchall()
    ]
    out = {}
    for dim in dims:
        frame = con.execute(f'select * from wh.marts."{dim}"').df()
        if not any(FORBIDDEN_COLUMN.search(c) for c in frame.columns):
            out[dim] = frame
    return out
