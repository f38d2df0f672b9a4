"""The yardstick: the core indicators in plain SQL, one DuckDB connection, no framework.

The end-to-end pipeline pays for things a benchmark should be able to name:
process start-up, Dagster, dbt's parse and per-model round trips, GX, per-row
checks in the loader, publishing. This module does the least work that gives
the same national / region / organisation counts for a quarter from the same
landing zone, so ``run_bench.py`` can report our overhead as a ratio:

1. *read*: every submission of the selected quarters into DuckDB as fast as
   we can: CSV folders with ``read_csv`` (all files of one delimiter in one
   call), xlsx with python-calamine (DuckDB's ``excel`` extension needs a
   download, which this machine cannot do; openpyxl is 10x slower), then typed and
   normalised in one SQL statement (codes upper-cased, Dutch dates and decimal
   commas, ``ja``/``j``/``1``/``true`` booleans);
2. *sql*: the current version of each organisation's submission, the active
   window, the job flags and one ``GROUP BY GROUPING SETS`` over level x
   trajectory type x financing for running, started, ended, paid work,
   sustainable paid work, ever paid work, job started / stopped and the
   outflow split.

What it leaves out on purpose (the pipeline does it, a yardstick does not
need it): per-cell validation with messages, quarantine, identifier scans,
audit tables, the IPS scheme / phase breakdowns, previous-quarter and
like-for-like comparisons, completeness, suppression and reports. The ratio
is therefore an upper bound of what the framework costs, not a like-for-like
price of the same features.
"""

from __future__ import annotations

import re
import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import duckdb
import pyarrow as pa

from werkmonitor.catalogue.format import submission_format
from werkmonitor.reference import read_seed

_QUARTER_DIR = re.compile(r"^\d{4}Q[1-4]$")
_NAME = re.compile(r"^(?P<org>[A-Za-z0-9]+)_(?P<quarter>\d{4}Q[1-4])(?P<suffix>_[^.]*)?(\.xlsx)?$")

# the submission format and the norms are written once (catalogue, seeds/norms.csv): the
# yardstick reads the same columns and the same UWV norm for sustainable work (indicators.md)
_FORMAT = submission_format()
TRAJECT_COLUMNS = _FORMAT.sheets["trajecten"].column_names
BAAN_COLUMNS = _FORMAT.sheets["banen"].column_names
SHEETS = {"trajecten": TRAJECT_COLUMNS, "banen": BAAN_COLUMNS}
_NORMS = {row["norm_code"]: int(row["value"]) for row in read_seed("norms")}
MIN_HOURS = _NORMS["SUSTAINABLE_MIN_HOURS_PER_WEEK"]
MIN_WAGE_PCT = _NORMS["SUSTAINABLE_MIN_WAGE_VALUE_PCT"]
MIN_CONTRACT_MONTHS = _NORMS["SUSTAINABLE_MIN_CONTRACT_MONTHS"]

COUNTS = (
    "orientation", "running", "started", "ended", "paid_work", "sustainable_paid_work",
    "ever_paid_work", "job_started", "job_stopped", "ended_with_paid_work",
    "ended_worked_before", "ended_never_worked",
)


@dataclass(frozen=True)
class Submission:
    quarter: str
    organisation_code: str
    path: Path  # a folder of CSVs or an .xlsx file
    name: str  # file or folder name: versions of one org/quarter are ordered by it

    @property
    def is_xlsx(self) -> bool:
        return self.path.suffix.lower() == ".xlsx"


def find_submissions(raw_dir: Path, quarters: list[str] | None = None) -> list[Submission]:
    """Every submission under ``raw_dir`` for the given quarters (all when None)."""
    found = []
    for quarter_dir in sorted(Path(raw_dir).iterdir()):
        if not (quarter_dir.is_dir() and _QUARTER_DIR.match(quarter_dir.name)):
            continue
        if quarters is not None and quarter_dir.name not in quarters:
            continue
        for entry in sorted(quarter_dir.iterdir()):
            match = _NAME.match(entry.name)
            if not match or not (entry.is_dir() or entry.suffix.lower() == ".xlsx"):
                continue
            found.append(
                Submission(quarter_dir.name, match["org"].upper(), entry, entry.name)
            )
    return found


def _delimiter(path: Path) -> str:
    with open(path, encoding="utf-8-sig") as handle:
        header = handle.readline()
    return ";" if header.count(";") > header.count(",") else ","


def _cell_text(value) -> str | None:
    """A calamine cell as the text the typing SQL expects (dates ISO, whole numbers bare)."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _xlsx_sheets(path: Path) -> dict[str, list[list[str | None]]]:
    """Every sheet as rows of cell text, read with python-calamine (Rust).

    The one maintained fast xlsx reader the project uses (issue 14: one
    reader instead of three hand-written OOXML parsers); date cells come back
    as dates and are written ISO, which the typing SQL accepts.
    """
    from python_calamine import CalamineWorkbook

    workbook = CalamineWorkbook.from_path(str(path))
    sheets: dict[str, list[list[str | None]]] = {}
    for name in workbook.sheet_names:
        rows = workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
        sheets[name.strip().lower()] = [[_cell_text(v) for v in row] for row in rows]
    return sheets


def _read_xlsx(submissions: list[Submission]) -> dict[str, list[list[str | None]]]:
    """Rows of the xlsx submissions as text, with the submission's path in front."""
    rows: dict[str, list[list[str | None]]] = {sheet: [] for sheet in SHEETS}
    for sub in submissions:
        sheets = _xlsx_sheets(sub.path)
        for sheet, columns in SHEETS.items():
            values = sheets.get(sheet) or [[]]
            header = [str(h or "").strip().lower() for h in values[0]]
            index = [header.index(c) if c in header else None for c in columns]
            path = str(sub.path)
            for row in values[1:]:
                if not any(v is not None and v.strip() for v in row):
                    continue
                width = len(row)
                rows[sheet].append(
                    [path] + [row[i] if i is not None and i < width else None for i in index]
                )
    return rows


def _date(column: str) -> str:
    """Text dates in the accepted spellings, or an Excel serial day from a date cell."""
    text = f"nullif(trim({column}), '')"
    return (
        f"coalesce(try_strptime({text}, '%Y-%m-%d'), try_strptime({text}, '%d-%m-%Y'), "
        f"try_strptime({text}, '%d/%m/%Y'), "
        f"date '1899-12-30' + try_cast(try_cast({text} as double) as integer))::date"
    )


def _code(column: str) -> str:
    return f"nullif(upper(trim({column})), '')"


def _bool(column: str) -> str:
    return f"lower(trim({column})) in ('ja', 'j', '1', 'true')"


def _number(column: str) -> str:
    return f"try_cast(replace(nullif(trim({column}), ''), ',', '.') as double)"


def read_landing_zone(con: duckdb.DuckDBPyConnection, submissions: list[Submission]) -> None:
    """Create ``files``, ``trajecten`` and ``banen`` (typed) in ``con``."""
    con.execute("create or replace table files (path varchar, quarter varchar, "
                "organisation_code varchar, name varchar)")
    con.executemany(
        "insert into files values (?, ?, ?, ?)",
        [[str(s.path), s.quarter, s.organisation_code, s.name] for s in submissions],
    )
    for sheet, columns in SHEETS.items():
        text_columns = ", ".join(f"{c} varchar" for c in columns)
        con.execute(f"create or replace temp table {sheet}_text (path varchar, {text_columns})")
        by_delimiter: dict[str, list[str]] = defaultdict(list)
        for sub in submissions:
            if not sub.is_xlsx:
                csv_path = sub.path / f"{sheet}.csv"
                by_delimiter[_delimiter(csv_path)].append(str(csv_path))
        for delimiter, paths in by_delimiter.items():
            # union_by_name: organisations put the columns in their own order
            con.execute(
                f"insert into {sheet}_text by name "
                f"select regexp_replace(filename, '/[^/]*$', '') as path, * exclude (filename) "
                f"from read_csv(?, delim = ?, header = true, all_varchar = true, "
                f"union_by_name = true, filename = true, normalize_names = true)",
                [paths, delimiter],
            )
    xlsx = [s for s in submissions if s.is_xlsx]
    if xlsx:
        rows = _read_xlsx(xlsx)
        for sheet, columns in SHEETS.items():
            if rows[sheet]:
                # one Arrow batch: executemany costs a round trip per row
                names = ["path", *columns]
                table = pa.Table.from_arrays(
                    [pa.array(list(c), pa.string()) for c in zip(*rows[sheet], strict=True)],
                    names=names,
                )
                con.register("xlsx_rows", table)
                con.execute(f"insert into {sheet}_text by name select * from xlsx_rows")
                con.unregister("xlsx_rows")
    con.execute(
        f"""
        create or replace table trajecten as
        select
            path,
            trim(traject_id) as traject_id,
            {_code('arbeidsmarktregio')} as region_code,
            {_code('trajecttype')} as trajectory_type,
            {_code('ips_regeling')} as ips_scheme,
            {_code('fase')} as ips_phase,
            {_code('financiering')} as financing,
            {_date('startdatum')} as start_date,
            {_date('einddatum')} as end_date,
            {_code('uitstroomreden')} as exit_reason,
            {_bool('opleiding')} as has_education,
            {_bool('proefplaatsing')} as has_trial_placement,
            {_bool('vrijwilligerswerk')} as has_volunteer_work,
            {_bool('dagbesteding')} as has_day_activity
        from trajecten_text
        """
    )
    con.execute(
        f"""
        create or replace table banen as
        select
            path,
            trim(traject_id) as traject_id,
            {_date('startdatum')} as start_date,
            {_date('einddatum')} as end_date,
            {_number('uren_per_week')} as hours_per_week,
            coalesce({_number('loonwaarde_pct')}, 100) as wage_value_pct,
            {_number('contractduur_maanden')} as contract_months
        from banen_text
        """
    )


def indicator_sql() -> str:
    """National, region and organisation counts for every quarter in ``files``.

    Level x trajectory type x financing is one ``GROUPING SETS`` x ``CUBE``;
    a null in a grouping column is rolled up (``ALL``).
    """
    counts = ",\n            ".join(
        {
            "orientation": "count(*) filter (where is_orientation) as orientation",
            "running": "count(*) filter (where is_running) as running",
            "started": "count(*) filter (where is_running and is_started) as started",
            "ended": "count(*) filter (where is_running and is_ended) as ended",
        }.get(name, f"count(*) filter (where is_running and {name}_flag) as {name}")
        for name in COUNTS
    )
    return f"""
    with

    current_files as (
        -- the last version of each organisation's submission (name order)
        select path, quarter, organisation_code,
            cast(left(quarter, 4) as integer) as year,
            cast(right(quarter, 1) as integer) as q
        from files
        qualify row_number() over (
            partition by organisation_code, quarter order by name desc
        ) = 1
    ),

    windows as (
        select
            f.quarter,
            f.organisation_code,
            t.*,
            make_date(f.year, 3 * f.q - 2, 1) as q_start,
            make_date(f.year, 3 * f.q - 2, 1) + interval 3 month - interval 1 day as q_end
        from trajecten t
        join current_files f using (path)
    ),

    rows as (
        select
            *,
            greatest(q_start, start_date)::date as active_from,
            least(q_end, coalesce(end_date, q_end))::date as active_to,
            coalesce(trajectory_type = 'IPS' and ips_phase = 'ORIENTATIE', false)
                as is_orientation,
            not coalesce(trajectory_type = 'IPS' and ips_phase = 'ORIENTATIE', false)
                as is_running,
            start_date between q_start and q_end as is_started,
            coalesce(end_date between q_start and q_end, false) as is_ended
        from windows
    ),

    job_flags as (
        select
            r.path,
            r.traject_id,
            bool_or(j.start_date <= r.active_to
                and coalesce(j.end_date >= r.active_from, true)) as paid,
            bool_or(j.start_date <= r.active_to
                and coalesce(j.end_date >= r.active_from, true)
                and j.hours_per_week >= {MIN_HOURS}
                and j.wage_value_pct >= {MIN_WAGE_PCT}
                and coalesce(j.contract_months >= {MIN_CONTRACT_MONTHS}, true)) as sustainable,
            bool_or(j.start_date <= r.active_to
                and coalesce(j.end_date >= r.start_date, true)) as ever,
            bool_or(j.start_date between r.active_from and r.active_to
                and j.start_date >= r.start_date) as job_started,
            bool_or(j.end_date between r.active_from and r.active_to) as job_ended_in_window,
            bool_or(j.start_date <= r.active_to
                and coalesce(j.end_date >= r.active_to, true)) as job_at_window_end,
            bool_or(r.end_date is not null and j.start_date <= r.end_date
                and coalesce(j.end_date >= r.end_date, true)) as job_at_end
        from rows r
        join banen j using (path, traject_id)
        group by all
    ),

    flagged as (
        select
            r.*,
            coalesce(jf.paid, false) as paid_work_flag,
            coalesce(jf.sustainable, false) as sustainable_paid_work_flag,
            coalesce(jf.ever, false) as ever_paid_work_flag,
            coalesce(jf.job_started, false) as job_started_flag,
            coalesce(jf.job_ended_in_window and not jf.job_at_window_end, false)
                as job_stopped_flag,
            r.is_ended and coalesce(jf.job_at_end, false) as ended_with_paid_work_flag,
            r.is_ended and not coalesce(jf.job_at_end, false) and coalesce(jf.ever, false)
                as ended_worked_before_flag,
            r.is_ended and not coalesce(jf.ever, false) as ended_never_worked_flag
        from rows r
        left join job_flags jf using (path, traject_id)
    )

    select
        quarter,
        case
            when grouping(region_code) = 0 then 'region'
            when grouping(organisation_code) = 0 then 'organisation'
            else 'national'
        end as level,
        region_code,
        organisation_code,
        coalesce(trajectory_type, 'ALL') as trajectory_type,
        coalesce(financing, 'ALL') as financing,
        {counts}
    from flagged
    group by quarter, grouping sets ((), (region_code), (organisation_code)),
        cube (trajectory_type, financing)
    """


def compute_indicators(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(f"create or replace table indicators as {indicator_sql()}")


def run_baseline(raw_dir: Path, quarters: list[str] | None = None) -> dict:
    """Read the landing zone and compute the indicators; return timings and sizes.

    In-memory DuckDB with its default thread count: the fastest a plain
    script on this machine gets, which is what the ratio is against.
    """
    started = time.perf_counter()
    submissions = find_submissions(raw_dir, quarters)
    con = duckdb.connect()
    read_started = time.perf_counter()
    read_landing_zone(con, submissions)
    read_seconds = time.perf_counter() - read_started
    sql_started = time.perf_counter()
    compute_indicators(con)
    sql_seconds = time.perf_counter() - sql_started
    national = {
        row[0]: dict(zip(COUNTS, row[1:], strict=True))
        for row in con.execute(
            f"select quarter, {', '.join(COUNTS)} from indicators where level = 'national' "
            "and trajectory_type = 'ALL' and financing = 'ALL' order by quarter"
        ).fetchall()
    }
    result = {
        "submissions": len(submissions),
        "xlsx_submissions": sum(s.is_xlsx for s in submissions),
        "trajecten_rows": con.execute("select count(*) from trajecten").fetchone()[0],
        "banen_rows": con.execute("select count(*) from banen").fetchone()[0],
        "indicator_rows": con.execute("select count(*) from indicators").fetchone()[0],
        "read_seconds": round(read_seconds, 3),
        "sql_seconds": round(sql_seconds, 3),
        "seconds_in_process": round(time.perf_counter() - started, 3),
        "national": national,
    }
    con.close()
    return result


def main(argv: list[str] | None = None) -> int:
    import argparse
    import json

    parser = argparse.ArgumentParser(description="plain-SQL baseline over a landing zone")
    parser.add_argument("raw_dir", type=Path)
    parser.add_argument("--quarters", help="comma-separated; default every quarter")
    parser.add_argument("--json", type=Path, help="write the result here (else print)")
    args = parser.parse_args(argv)
    quarters = args.quarters.split(",") if args.quarters else None
    text = json.dumps(run_baseline(args.raw_dir, quarters), indent=2, default=str)
    if args.json:
        args.json.write_text(text)
    else:
        print(text)
    return 0


if __name__ == "__main__":
    import sys

    sys.exit(main())
