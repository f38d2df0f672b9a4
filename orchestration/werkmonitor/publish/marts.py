"""What the publish reads from the working warehouse (attached read-only as ``wh``).

The indicator rows with their Dutch labels, which quarters may be published
(their latest quality-gate run passed), the accepted submissions each quarter
comes from, and who works in which region. Everything is read in a fixed
order: the suppression's ties follow row order, so a publish of the same
warehouse must give the same file.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

from werkmonitor.publish.disclosure.labels import KEY
from werkmonitor.publish.disclosure.public import CHANGES, LIKE_FOR_LIKE, PREVIOUS, PUBLIC_LEVELS
from werkmonitor.publish.feeding import read_feeders
from werkmonitor.quarters import Quarter
from werkmonitor.reference import read_seed

# the mart's figures of a cell: its own, the previous quarter's, the changes,
# like-for-like (the disclosure's public tier decides which of them are shown)
INDICATOR_VALUE_COLUMNS = ["numerator", "denominator", "value", *PREVIOUS, *CHANGES, *LIKE_FOR_LIKE]
LABEL_SEEDS = {
    "financing": ("financing_types", "financing_label_nl"),
    "ips_scheme": ("ips_schemes", "ips_scheme_label_nl"),
    "ips_phase": ("ips_phases", "ips_phase_label_nl"),
    "trajectory_type": ("trajectory_types", "trajectory_type_label_nl"),
    "indicator": ("indicators", "indicator_label_nl"),
}
SUBMISSION_COLUMNS = [
    "quarter",
    "organisation_code",
    "file_name",
    "content_hash",
    "first_loaded_at",
]


def table_exists(con: duckdb.DuckDBPyConnection, catalog: str, schema: str, table: str) -> bool:
    return bool(
        con.execute(
            "select count(*) from duckdb_tables() where database_name = ? and schema_name = ? "
            "and table_name = ?",
            [catalog, schema, table],
        ).fetchone()[0]
    )


def quarter_list(quarters: list[str]) -> str:
    return ", ".join("'" + q.replace("'", "") + "'" for q in quarters) or "NULL"


def gate_status(con: duckdb.DuckDBPyConnection) -> dict[str, bool] | None:
    """Quarter → did its latest gate run pass; None when the gates never wrote the table."""
    if not table_exists(con, "wh", "audit", "quality_gate_runs"):
        return None
    rows = con.execute(
        "select quarter, passed from ("
        " select quarter, passed, row_number() over (partition by quarter order by run_at desc)"
        " as rn from wh.audit.quality_gate_runs) where rn = 1"
    ).fetchall()
    return {str(q): bool(p) for q, p in rows}


def publishable(
    con: duckdb.DuckDBPyConnection, requested: list[str] | None, gates: dict[str, bool] | None
) -> tuple[list[str], dict[str, str]]:
    """(quarters to publish, skipped quarter → why), oldest first."""
    available = {
        r[0]
        for r in con.execute(
            "select distinct quarter from wh.marts.quarterly_indicators"
        ).fetchall()
    }
    skipped: dict[str, str] = {}
    to_publish = []
    for quarter in sorted(requested or available, key=Quarter.parse):
        if quarter not in available:
            skipped[quarter] = "not in marts.quarterly_indicators"
        elif gates is not None and quarter not in gates:
            skipped[quarter] = "no quality-gate run"
        elif gates is not None and not gates[quarter]:
            skipped[quarter] = "latest quality-gate run failed"
        else:
            to_publish.append(quarter)
    return to_publish, skipped


def _add_labels(frame: pd.DataFrame) -> pd.DataFrame:
    """Dutch labels next to every code, from the seeds where the mart lacks them."""
    for code_col, (seed, label_col) in LABEL_SEEDS.items():
        if label_col in frame.columns and frame[label_col].notna().any():
            continue
        labels = {row[next(iter(row))]: row["label_nl"] for row in read_seed(seed)}
        labels.setdefault("ALL", "Totaal" if code_col != "trajectory_type" else "Alle trajecten")
        frame[label_col] = frame[code_col].map(labels)
    for code_col in ("financing", "ips_scheme", "ips_phase"):
        label_col = LABEL_SEEDS[code_col][1]
        frame[label_col] = frame[label_col].where(frame[code_col] != "ALL", "Totaal")
    return frame


def _indicator_columns(frame: pd.DataFrame) -> list[str]:
    labels = [c for c in frame.columns if c.endswith("_label_nl")]
    names = [c for c in ("region_name", "organisation_name") if c in frame.columns]
    values = [c for c in INDICATOR_VALUE_COLUMNS if c in frame.columns]
    kind = ["indicator_kind"] if "indicator_kind" in frame.columns else []
    return [*KEY, *kind, *labels, *names, *values]


def indicator_rows(con: duckdb.DuckDBPyConnection, to_publish: list[str]) -> pd.DataFrame:
    """The mart's public rows (national, region) of ``to_publish``, the
    published columns, with labels. Organisation rows (half the mart) stay in
    the working warehouse: the public tier never holds them."""
    levels = ", ".join(f"'{level}'" for level in PUBLIC_LEVELS)
    indicators = con.execute(
        # ordered: variable numbering, and with it every tie between equally
        # cheap partners, must not depend on DuckDB's thread scheduling
        "select * from wh.marts.quarterly_indicators"
        f" where quarter in ({quarter_list(to_publish)}) and level in ({levels}) "
        "order by quarter, level, region_code, organisation_code, trajectory_type, "
        "financing, ips_scheme, ips_phase, indicator"
    ).df()
    indicators = indicators[_indicator_columns(indicators)]  # (the full frame is dropped)
    return _add_labels(indicators)


def submissions(con: duckdb.DuckDBPyConnection, to_publish: list[str]) -> pd.DataFrame:
    """The accepted submission files of ``to_publish`` (file name, content hash)."""
    if not to_publish or not table_exists(con, "wh", "audit", "submissions"):
        return pd.DataFrame(columns=SUBMISSION_COLUMNS)
    frame = con.execute(
        "select quarter, organisation_code, file_path, content_hash, first_loaded_at "
        f"from wh.audit.submissions where status = 'accepted' and quarter in "
        f"({quarter_list(to_publish)})"
    ).df()
    frame["file_name"] = frame["file_path"].map(lambda p: Path(str(p)).name)
    return frame.drop(columns=["file_path"])


def feeders(con: duckdb.DuckDBPyConnection, to_publish: list[str]) -> pd.DataFrame | None:
    """Who works in which region per quarter (the region cells' feeding submissions)."""
    if not table_exists(con, "wh", "marts", "fct_trajectory_quarters"):
        return None
    return read_feeders(con, "wh.marts.fct_trajectory_quarters", to_publish)
