"""The bench helpers at tiny scale: the baseline must count what the spec counts.

A ratio "pipeline / baseline" is only meaningful when the baseline computes the
same figures, so the baseline SQL is checked against a landing zone whose
counts are worked out by hand below (indicators.md), with the awkward inputs
the loader also sees: a ``;`` CSV with Dutch dates, decimal commas and a BOM,
an xlsx with date cells, lower-case codes and a superseded first version.
"""

from __future__ import annotations

import csv
import importlib.util
import sys
from datetime import date
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench"


def _load(name: str):
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


baseline = _load("baseline")
measure = _load("measure")
report = _load("report")

TRAJ = list(baseline.TRAJECT_COLUMNS)
BAAN = list(baseline.BAAN_COLUMNS)


def _csv_submission(folder: Path, delimiter: str, bom: bool, trajecten, banen, org, quarter):
    folder.mkdir(parents=True)
    encoding = "utf-8-sig" if bom else "utf-8"
    for name, header, rows in (
        ("trajecten", TRAJ, trajecten),
        ("banen", BAAN, banen),
        ("organisatie", ["organisatie_code", "kwartaal", "fte_trajectbegeleiding"],
         [[org, quarter, "1,5"]]),
    ):
        with open(folder / f"{name}.csv", "w", encoding=encoding, newline="") as handle:
            writer = csv.writer(handle, delimiter=delimiter)
            writer.writerow(header)
            writer.writerows(rows)


def _xlsx_submission(path: Path, trajecten, banen, org, quarter):
    from werkmonitor.demo.xlsx import write_xlsx

    write_xlsx(path, [
        ("trajecten", [TRAJ, *trajecten]),
        ("banen", [BAAN, *banen]),
        ("organisatie", [["organisatie_code", "kwartaal", "fte_trajectbegeleiding"],
                         [org, quarter, 2.0]]),
    ], dialect="shared")


def _row(tid, region, type_, scheme, phase, financing, start, end="", exit_="", flags="nee"):
    return [tid, region, type_, scheme, phase, financing, "", start, end, exit_,
            flags, flags, flags, flags]


@pytest.fixture(scope="module")
def hand_zone(tmp_path_factory) -> Path:
    """2024Q3 (1 Jul – 30 Sep 2024); the expected counts are in the tests."""
    raw = tmp_path_factory.mktemp("raw")
    quarter = raw / "2024Q3"
    quarter.mkdir()
    # ORG01: ';' CSV, Dutch dates, BOM, decimal comma
    _csv_submission(
        quarter / "ORG01_2024Q3", ";", True,
        [
            # running, job since March: paid, sustainable (20 h, 100 %, indefinite), ever
            _row("T1", "AM01", "IPS", "EPA", "GOEDGEKEURD", "UWV", "10-01-2024"),
            # orientation: counted on its own, not running
            _row("T2", "AM01", "IPS", "CMD", "ORIENTATIE", "GEMEENTE", "01-08-2024"),
            # started and ended in Q; an 8-hour job inside the window that stopped
            _row("T3", "AM02", "WABZ", "", "", "GEMEENTE", "15-07-2024", "01-09-2024",
                 "DOEL_NIET_BEREIKT"),
        ],
        [
            ["T1", "1", "01-03-2024", "", "20", "", "", "LOONDIENST"],
            ["T3", "1", "20-07-2024", "10-08-2024", "8,0", "", "", "UITZEND"],
        ],
        "ORG01", "2024Q3",
    )
    # ORG02: a first version (superseded: must not count) and the correction
    _xlsx_submission(
        quarter / "ORG02_2024Q3.xlsx",
        [_row("A", "AM01", "OVERIG", "", "", "UWV", date(2024, 1, 1)),
         _row("B", "AM01", "OVERIG", "", "", "UWV", date(2024, 1, 1))],
        [], "ORG02", "2024Q3",
    )
    _xlsx_submission(
        quarter / "ORG02_2024Q3_v2.xlsx",
        [
            # running since 2023; its job ended before Q: ever paid work, not paid in Q
            _row("X1", "AM01", "JOBCOACHING", None, None, "OVERIG", date(2023, 5, 1)),
            # lower-case codes, text dates: started and ended with the job it kept
            _row("X2", "am01", "ips ", "epa", "aangevraagd", "uwv", "15-07-2024",
                 "2024-09-20", "BAAN", "j"),
        ],
        [
            ["X1", 1, date(2022, 1, 1), date(2024, 6, 30), 30, None, None, "LOONDIENST"],
            # wage value 30 % < 35: paid, not sustainable
            ["X2", 1, date(2024, 9, 1), None, 12.5, 30, None, "LOONDIENST"],
        ],
        "ORG02", "2024Q3",
    )
    # ORG03: ',' CSV, ISO dates, starts on the last day of Q, no jobs
    _csv_submission(
        quarter / "ORG03_2024Q3", ",", False,
        [_row("W1", "AM03", "OVERIG", "", "", "OVERIG", "2024-09-30", flags="ja")],
        [], "ORG03", "2024Q3",
    )
    return raw


@pytest.fixture(scope="module")
def hand_result(hand_zone):
    import duckdb

    con = duckdb.connect()
    baseline.read_landing_zone(con, baseline.find_submissions(hand_zone))
    baseline.compute_indicators(con)
    yield con
    con.close()


def _counts(con, level="national", type_="ALL", financing="ALL", region=None, org=None):
    columns = ", ".join(baseline.COUNTS)
    row = con.execute(
        f"select {columns} from indicators where quarter = '2024Q3' and level = ? "
        "and trajectory_type = ? and financing = ? "
        "and region_code is not distinct from ? and organisation_code is not distinct from ?",
        [level, type_, financing, region, org],
    ).fetchone()
    return dict(zip(baseline.COUNTS, row, strict=True)) if row else None


def test_find_submissions_sees_every_version(hand_zone):
    found = baseline.find_submissions(hand_zone)
    assert [(s.organisation_code, s.name, s.is_xlsx) for s in found] == [
        ("ORG01", "ORG01_2024Q3", False),
        ("ORG02", "ORG02_2024Q3.xlsx", True),
        ("ORG02", "ORG02_2024Q3_v2.xlsx", True),
        ("ORG03", "ORG03_2024Q3", False),
    ]


def test_national_counts_match_hand_count(hand_result):
    assert _counts(hand_result) == {
        "orientation": 1,  # T2
        "running": 5,  # T1 T3 X1 X2 W1 (not the superseded A, B)
        "started": 3,  # T3 X2 W1
        "ended": 2,  # T3 X2
        "paid_work": 3,  # T1 T3 X2
        "sustainable_paid_work": 1,  # T1 (T3 8 h, X2 wage value 30 %)
        "ever_paid_work": 4,  # T1 T3 X1 X2
        "job_started": 2,  # T3 on 20 Jul, X2 on 1 Sep
        "job_stopped": 1,  # T3: its job ended 10 Aug, none on 1 Sep
        "ended_with_paid_work": 1,  # X2 kept its job
        "ended_worked_before": 1,  # T3
        "ended_never_worked": 0,
    }


def test_breakdowns_by_level_type_and_financing(hand_result):
    assert _counts(hand_result, "region", region="AM01")["running"] == 3  # T1 X1 X2
    assert _counts(hand_result, "region", region="AM01")["orientation"] == 1
    assert _counts(hand_result, "organisation", org="ORG02")["running"] == 2
    ips_uwv = _counts(hand_result, type_="IPS", financing="UWV")
    assert (ips_uwv["running"], ips_uwv["started"], ips_uwv["paid_work"]) == (2, 1, 2)
    assert _counts(hand_result, financing="GEMEENTE")["running"] == 1  # T3 (T2 orientates)
    assert _counts(hand_result, type_="WABZ")["job_stopped"] == 1
    assert _counts(hand_result, "region", region="AM02", type_="IPS") is None


def test_generated_quarter_running_equals_python_count(tmp_path):
    """On a generated quarter the baseline's national running count is a plain row count."""
    from python_calamine import CalamineWorkbook

    from werkmonitor.generate import generate_landing_zone

    generate_landing_zone(tmp_path, scale=0.05, seed=7, first="2024Q3", last="2024Q3")
    current: dict[str, Path] = {}
    for entry in sorted((tmp_path / "2024Q3").iterdir()):
        current[entry.name.split("_")[0]] = entry  # later names replace earlier versions
    running = orientation = 0
    for path in current.values():
        if path.suffix == ".xlsx":
            rows = iter(CalamineWorkbook.from_path(str(path)).get_sheet_by_name("trajecten")
                        .to_python())
            header = [str(h).strip().lower() for h in next(rows)]
            records = [dict(zip(header, row, strict=False)) for row in rows]
        else:
            text = (path / "trajecten.csv").read_text(encoding="utf-8-sig")
            delimiter = ";" if text.splitlines()[0].count(";") else ","
            records = list(csv.DictReader(text.splitlines(), delimiter=delimiter))
        for record in records:
            is_orientation = (
                str(record["trajecttype"] or "").strip().upper() == "IPS"
                and str(record["fase"] or "").strip().upper() == "ORIENTATIE"
            )
            orientation += is_orientation
            running += not is_orientation
    assert running > 0
    result = baseline.run_baseline(tmp_path, ["2024Q3"])
    assert result["national"]["2024Q3"]["running"] == running
    assert result["national"]["2024Q3"]["orientation"] == orientation


def test_measure_reports_peak_memory_of_the_process_tree():
    """A child holding 120 MB under a parent holding 60 MB: tree peak ≈ 180 MB, max ≈ 120 MB."""
    child = "b = b'x' * (120 * 2**20); import time; time.sleep(0.6)"
    parent = (
        "import subprocess, sys; a = b'y' * (60 * 2**20); "
        f"subprocess.run([sys.executable, '-c', {child!r}])"
    )
    measured = measure.run_measured([sys.executable, "-c", parent])
    assert measured.returncode == 0
    assert 120 <= measured.max_rss_mb < 170
    assert measured.tree_peak_mb >= 175
    assert measured.seconds >= 0.6


def test_measure_counts_pages_a_forked_child_shares_once():
    """A parent touching 150 MB forks a child that only sleeps: both processes map the same
    150 MB copy-on-write, so the RSS sum is ≈ 300 MB while the machine holds ≈ 150 MB (PSS)."""
    script = (
        "import os, time; a = bytearray(150 * 2**20); a[::4096] = b'z' * len(a[::4096]); "
        "pid = os.fork(); time.sleep(0.8)\n"
        "if pid: os.waitpid(pid, 0)"
    )
    measured = measure.run_measured([sys.executable, "-c", script])
    assert measured.returncode == 0
    assert measured.tree_peak_mb >= 290
    assert 150 <= measured.tree_pss_mb < 220


def test_summary_reports_ratio_and_stage_split():
    run = {"seconds": 30.0, "cpu_seconds": 25.0, "success": True, "max_rss_mb": 400,
           "tree_peak_mb": 600,
           "stage_split": {"startup_and_exit": 8.0, "load": 2.0, "dbt": 15.0,
                           "quality": 3.0, "publish": 1.5, "orchestration": 0.5}}
    base = {"seconds": 1.5, "cpu_seconds": 2.5, "read_seconds": 1.0, "sql_seconds": 0.25,
            "success": True,
            "trajecten_rows": 5585}
    text = report.summary_markdown(
        {"scales": [{"scale": 1.0, "one_quarter": run, "baseline_quarter": base}]}
    )
    assert "| 1 | 5585 / – | 30.0 | – | – | 1.5 (read 1.0, sql 0.25) | – | 20× / 10× | – |" in text
    assert (
        "| 1 | one quarter, empty warehouse | 30.0 | 25.0 | 8.0 | 2.0 | 15.0 | 3.0 | 1.5 "
        "| 0.50 | 400 |"
    ) in text
