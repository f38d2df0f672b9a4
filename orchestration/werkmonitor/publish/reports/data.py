"""What the national and regional reports read: the public file, nothing else.

Only the national and region levels are read (the public tier, contract 5),
so even a public file that still carries organisation rows cannot leak them
into a report.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd

from werkmonitor.charts.published import PublishedBreakdowns
from werkmonitor.publish.reports.document import ReportError
from werkmonitor.quarters import Quarter

PUBLIC_LEVELS = "('national', 'region')"
HISTORY_INDICATORS = ("paid_work", "sustainable_paid_work", "ever_paid_work")


class Shared:
    """What every quarter of one file version reads alike (its history of all quarters),
    loaded and hashed once: a run renders up to 11 quarters from the same files."""

    def __init__(self):
        self.frames: dict[str, pd.DataFrame] = {}
        self.digests: dict = {}

    def frame(self, name: str, load) -> pd.DataFrame:
        if name not in self.frames:
            self.frames[name] = load()
        return self.frames[name]


_SHARED: dict[tuple, Shared] = {}


def file_version(path: Path) -> tuple:
    """Changes whenever the file (or its write-ahead log) is written or replaced."""
    out: tuple = (str(Path(path).resolve()),)
    for p in (Path(path), Path(f"{path}.wal")):
        try:
            st = p.stat()
            out += (st.st_ino, st.st_mtime_ns, st.st_size)
        except FileNotFoundError:
            out += (None,)
    return out


def shared(path: Path) -> Shared:
    """The :class:`Shared` of ``path`` as it is now (a few file versions are kept)."""
    key = file_version(path)
    if key not in _SHARED:
        while len(_SHARED) >= 4:
            del _SHARED[next(iter(_SHARED))]
        _SHARED[key] = Shared()
    return _SHARED[key]


def read_columns(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> str:
    """The columns of an indicator table a report reads (``cells``), as a select list.

    Only these: the other columns (display texts, like-for-like, labels) are
    neither read nor worth converting, and a report's digest then hashes what
    it shows.
    """
    from werkmonitor.publish.reports.cells import CELL_COLUMNS, KEY_COLUMNS

    wanted = ("level", "region_code", "organisation_code", *KEY_COLUMNS, *CELL_COLUMNS)
    present = {
        r[0]
        for r in con.execute(
            "select column_name from duckdb_columns() where schema_name = ? and table_name = ?",
            [schema, table],
        ).fetchall()
    }
    return ", ".join(f'"{c}"' for c in wanted if c in present) or "*"


def _tables(con: duckdb.DuckDBPyConnection) -> set[str]:
    return {r[0] for r in con.execute("select table_name from duckdb_tables()").fetchall()}


class PublicData:
    """One quarter of the public file, loaded once for all its reports."""

    def __init__(self, con: duckdb.DuckDBPyConnection, quarter: str, common: Shared | None = None):
        self.quarter = quarter
        self.digests: dict[str, str] = {}  # of rows several reports read (``jobs``)
        self.shared = common or Shared()
        self.q = Quarter.parse(quarter)
        self.prev_q = self.q.previous()
        publication = con.execute("select * from publication").df()
        if quarter not in set(publication["quarter"]):
            held = ", ".join(sorted(set(publication["quarter"]))) or "none"
            raise ReportError(f"quarter {quarter} is not in the published file (it holds: {held})")
        self.pub_rows = publication[publication["quarter"] == quarter]
        self.indicators = con.execute(
            f"select {read_columns(con, 'main', 'quarterly_indicators')} from quarterly_indicators "
            f"where quarter = ? and level in {PUBLIC_LEVELS}",
            [quarter],
        ).df()
        self.history = self.shared.frame(
            "history",
            lambda: con.execute(
                "select quarter, level, region_code, trajectory_type, indicator, value, "
                "is_suppressed from quarterly_indicators where financing = 'ALL' and "
                "ips_scheme = 'ALL' and ips_phase = 'ALL' and indicator in "
                f"{HISTORY_INDICATORS} and level in {PUBLIC_LEVELS}"
            ).df(),
        )
        tables = _tables(con)
        # Breakdowns the file does not publish at a level (absent table: all published).
        self.breakdowns = PublishedBreakdowns.read(con)
        self.completeness = (
            con.execute("select * from region_completeness where quarter = ?", [quarter]).df()
            if "region_completeness" in tables
            else pd.DataFrame(columns=["region_code"])
        )
        self.cohorts = (
            con.execute(
                "select * from cohort_outcomes where as_of_quarter = ? and level = 'national'",
                [quarter],
            ).df()
            if "cohort_outcomes" in tables
            else None
        )

    @property
    def n_organisations(self) -> int:
        return self.pub_rows["organisation_code"].dropna().nunique()

    def stamp(self) -> dict:
        row = self.pub_rows.iloc[0]
        files = [
            f"{o} {f} ({str(h)[:12]})"
            for o, f, h in zip(
                self.pub_rows["organisation_code"],
                self.pub_rows["file_name"],
                self.pub_rows["content_hash"],
                strict=True,
            )
            if isinstance(o, str)
        ]
        return {
            "publication_id": row["publication_id"],
            "published_at": pd.Timestamp(row["published_at"]).strftime("%d-%m-%Y %H:%M UTC"),
            "quarter_publication_id": row["quarter_publication_id"],
            "data_version": row["data_version"],
            "gate_status": row["gate_status"],
            "files": files,
            "rendered_at": datetime.now(UTC).strftime("%d-%m-%Y %H:%M UTC"),
        }

    def stamp_key(self) -> str:
        """What of the stamp changes a report's figures: the quarter's data version."""
        row = self.pub_rows.iloc[0]
        return f"{row['quarter_publication_id']}|{row['data_version']}|{row['gate_status']}"


_HISTORY: list[tuple[pd.DataFrame, dict]] = []  # the last few frames' cells by scope


def _history_index(history: pd.DataFrame) -> dict[tuple, dict[tuple, float | None]]:
    """``{(level, code, type): {(quarter, indicator): value or None}}``, made once per frame.

    Every report of a quarter draws a series from the same frame; filtering it
    anew for each took more time than the report. Hidden (suppressed) → None.
    """
    for seen, index in _HISTORY:
        if seen is history:
            return index
    index: dict[tuple, dict] = {}
    n = len(history)

    def column(name):
        return history[name].tolist() if name in history else [None] * n

    for lv, reg, org, ttype, q, ind, value, hidden in zip(
        column("level"),
        column("region_code"),
        column("organisation_code"),
        column("trajectory_type"),
        column("quarter"),
        column("indicator"),
        column("value"),
        column("is_suppressed"),
        strict=True,
    ):
        code = reg if lv == "region" else org if lv == "organisation" else None
        is_hidden = hidden is not None and not pd.isna(hidden) and bool(hidden)
        shown = not is_hidden and value is not None and pd.notna(value)
        index.setdefault((lv, code, ttype), {}).setdefault(
            (q, ind), float(value) if shown else None
        )
    _HISTORY.insert(0, (history, index))
    del _HISTORY[4:]
    return index


def history_series(
    history: pd.DataFrame, upto: Quarter, level: str, code: str | None, ttype: str, labels: dict
) -> tuple[list[str], dict[str, list]]:
    """The last six quarters (≤ ``upto``) of the paid-work shares; hidden → None."""
    code = code if level in ("region", "organisation") else None
    cells = _history_index(history).get((level, code, ttype), {})
    quarters = sorted({q for q, _ in cells if Quarter.parse(q) <= upto}, key=Quarter.parse)
    quarters = quarters[-6:]
    series = {labels[ind]: [cells.get((q, ind)) for q in quarters] for ind in HISTORY_INDICATORS}
    periods = [f"K{Quarter.parse(q).q} {Quarter.parse(q).year}" for q in quarters]
    return periods, series
