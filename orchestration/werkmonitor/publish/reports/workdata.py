"""What an organisation's own report reads from the working warehouse.

Its own indicator rows (``marts.quarterly_indicators``, level organisation,
unsuppressed: the organisation knows its own clients), its submissions,
rejections and quarantined rows (``audit.*``) and the quarter's gate results
(``audit.quality_gate_*``). Nothing of another organisation is read into an
organisation's report: every frame here is filtered on its code before use.
"""

from __future__ import annotations

from pathlib import PurePosixPath

import duckdb
import pandas as pd

from werkmonitor.publish.reports.data import HISTORY_INDICATORS, Shared, read_columns
from werkmonitor.quarters import Quarter
from werkmonitor.reference import organisation_regions


def _tables(con: duckdb.DuckDBPyConnection) -> set[str]:
    rows = con.execute("select schema_name, table_name from duckdb_tables()").fetchall()
    return {f"{s}.{t}" for s, t in rows}


def _frame(con, tables, table, sql, params) -> pd.DataFrame:
    return con.execute(sql, params).df() if table in tables else pd.DataFrame()


class WorkingData:
    """The quarter's organisation-level rows and audit trail, loaded once."""

    def __init__(self, con: duckdb.DuckDBPyConnection, quarter: str, common: Shared | None = None):
        self.quarter, self.q = quarter, Quarter.parse(quarter)
        self.digests: dict = {}  # row hashes of the frames below (``jobs``), their splits
        self.shared = common or Shared()
        t = _tables(con)
        self.indicators = _frame(
            con,
            t,
            "marts.quarterly_indicators",
            f"select {read_columns(con, 'marts', 'quarterly_indicators')} "
            "from marts.quarterly_indicators where quarter = ? and level = 'organisation'",
            [quarter],
        )
        self.history = self.shared.frame(
            "history",
            lambda: _frame(
                con,
                t,
                "marts.quarterly_indicators",
                "select quarter, level, organisation_code, trajectory_type, indicator, value "
                "from marts.quarterly_indicators where level = 'organisation' and "
                "financing = 'ALL' and ips_scheme = 'ALL' and ips_phase = 'ALL' and "
                f"indicator in {HISTORY_INDICATORS}",
                [],
            ),
        )
        self.regions = _frame(
            con,
            t,
            "marts.fct_trajectory_quarters",
            "select distinct organisation_code, region_code from marts.fct_trajectory_quarters "
            "where quarter = ?",
            [quarter],
        )
        self.submissions = _frame(
            con,
            t,
            "audit.submissions",
            "select * from audit.submissions where quarter = ? order by load_order",
            [quarter],
        )
        join = "join audit.submissions s using (submission_id) where s.quarter = ?"
        self.rejections = _frame(
            con,
            t,
            "audit.rejections",
            "select s.organisation_code, r.sheet, r.source_row, r.column_name, r.rule_code, "
            f"r.message from audit.rejections r {join} order by r.sheet, r.source_row",
            [quarter],
        )
        self.quarantined = _frame(
            con,
            t,
            "audit.quarantined_rows",
            "select s.organisation_code, r.sheet, r.source_row, r.column_name, r.rule_code, "
            f"r.message from audit.quarantined_rows r {join} order by r.sheet, r.source_row",
            [quarter],
        )
        self.gates = _frame(
            con,
            t,
            "audit.quality_gate_results",
            "select gate, target_table, severity, success from audit.quality_gate_results "
            "where quarter = ? and run_at = (select max(run_at) from audit.quality_gate_results "
            "where quarter = ?) order by gate",
            [quarter, quarter],
        )

    def organisations(self) -> list[str]:
        """Every organisation with rows or a submission (even a rejected one) this quarter."""
        codes = set()
        for frame in (self.indicators, self.submissions):
            if "organisation_code" in frame:
                codes |= set(frame["organisation_code"].dropna())
        return sorted(codes)

    def of(self, frame: pd.DataFrame, code: str) -> pd.DataFrame:
        """``frame``'s rows of organisation ``code`` (the frame split once, not per call)."""
        if frame.empty or "organisation_code" not in frame:
            return frame
        key = ("of", id(frame))
        if key not in self.digests or self.digests[key][0] is not frame:
            groups = dict(tuple(frame.groupby("organisation_code", sort=False)))
            self.digests[key] = (frame, groups)
        return self.digests[key][1].get(code, frame.iloc[:0])

    def regions_of(self, code: str) -> list[str]:
        """Regions the organisation works in: its rows, and the register for the quarter."""
        found = set(self.of(self.regions, code).get("region_code", pd.Series()).dropna())
        if "register" not in self.digests:  # the seed read once a quarter, not per organisation
            register: dict[str, set[str]] = {}
            for e in organisation_regions():
                if e.is_valid(self.q):
                    register.setdefault(e.organisation_code, set()).add(e.region_code)
            self.digests["register"] = register
        found |= self.digests["register"].get(code, set())
        return sorted(found)

    def files_of(self, code: str) -> list[dict]:
        """The organisation's submissions as rows (made once for all organisations:
        planning and the report both read them, and ``to_dict`` per organisation
        cost more than the report)."""
        if "files" not in self.digests:
            files: dict[str, list[dict]] = {}
            frame = self.submissions
            if not frame.empty and "organisation_code" in frame:
                for r in frame.to_dict("records"):
                    name = PurePosixPath(str(r.get("file_path") or "")).name
                    files.setdefault(r["organisation_code"], []).append({**r, "file_name": name})
            self.digests["files"] = files
        return [dict(r) for r in self.digests["files"].get(code, [])]
