"""``make bench``: how fast a quarter is, how cost grows with volume, where the time goes.

For each scale (1 = the size of the published reports, about 5 000
trajectories a quarter) the bench generates a landing zone once (cached by
scale and seed in the work dir) and then measures, each in a fresh process
against its own empty warehouse and Dagster instance:

* ``one_quarter``: ``werkmonitor run --quarter Q`` on an empty warehouse;
* ``all_quarters``: ``werkmonitor run --all`` on an empty warehouse;
* ``rerun_quarter``: ``werkmonitor run --quarter Q`` again on the warehouse of
  ``all_quarters`` (every quarter loaded): the cost of re-materialising one
  quarter should not grow with history;
* ``baseline_quarter`` / ``baseline_all``: the same files and the core
  indicators in plain SQL in one DuckDB connection (``baseline.py``).

``--quick`` measures the scale-1 quarter, the same quarter again with nothing
changed and the baseline only (``quick.py``).

Fixed overheads (interpreter, imports of Dagster, the definitions, GX, dbt
start-up) are measured once. Results go to ``bench/results/<timestamp>.json``
and ``bench/results/summary.md``; the summary is printed.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sqlite3
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent
sys.path.insert(0, str(BENCH_DIR))

from measure import run_measured  # noqa: E402
from report import write_summary  # noqa: E402

BIN = REPO_ROOT / ".venv" / "bin"
PYTHON = str(BIN / "python")
WERKMONITOR = str(BIN / "werkmonitor")
RESULTS_DIR = BENCH_DIR / "results"
DEFAULT_WORKDIR = Path(os.environ.get("WERKMONITOR_BENCH_DIR", "/tmp/werkmonitor-bench"))

# national counts the baseline and the pipeline must agree on
CHECKED_INDICATORS = (
    "running", "started", "ended", "paid_work", "sustainable_paid_work", "ever_paid_work",
)


def _scale_name(scale: float) -> str:
    return f"{scale:g}".replace(".", "_")


def landing_zone(
    workdir: Path, scale: float, seed: int, quarter: str | None = None
) -> tuple[Path, dict | None]:
    """The cached landing zone for (scale, seed); generated when missing.

    A zone counts as cached only with its ``.done`` marker, written after the
    generator finished, so an interrupted generation is redone. With
    ``quarter`` only that quarter is generated (``s100_seed42_2024Q3_clean``): a
    one-quarter run on an empty warehouse loads nothing else, and at scale 100
    the whole zone took 18.5 min to generate against well under a minute for
    one quarter.
    """
    base = workdir / "landing"
    # one quarter alone: without the demo's defects (a rejected file, quarantined rows),
    # which land in it then and which the baseline does not model (the cross-check)
    target = base / (f"s{_scale_name(scale)}_seed{seed}" + (f"_{quarter}_clean" if quarter else ""))
    marker = base / f"{target.name}.done"
    if target.is_dir() and marker.exists():
        return target, None
    scratch = base / f"{target.name}.tmp"
    shutil.rmtree(scratch, ignore_errors=True)
    shutil.rmtree(target, ignore_errors=True)
    base.mkdir(parents=True, exist_ok=True)
    print(f"bench: generating scale {scale:g} (seed {seed}) into {target} …", flush=True)
    only = ["--from", quarter, "--to", quarter, "--clean"] if quarter else []
    measured = run_measured(
        [WERKMONITOR, "generate", "--out", str(scratch), "--scale", f"{scale:g}",
         "--seed", str(seed), *only],
        cwd=REPO_ROOT,
    )
    if measured.returncode != 0:
        raise SystemExit(f"generate failed:\n{measured.stderr_tail}")
    scratch.rename(target)
    marker.write_text(json.dumps(measured.as_dict()))
    return target, measured.as_dict()


def zone_size(raw_dir: Path) -> dict:
    files = [p for p in raw_dir.rglob("*") if p.is_file()]
    return {
        "bytes": sum(p.stat().st_size for p in files),
        "xlsx_files": sum(p.suffix == ".xlsx" for p in files),
        "csv_submissions": len({p.parent for p in files if p.suffix == ".csv"}),
        "quarters": sorted(p.name for p in raw_dir.iterdir() if p.is_dir()),
    }


def pipeline_env(raw_dir: Path, run_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        WERKMONITOR_RAW_DIR=str(raw_dir),
        WERKMONITOR_WAREHOUSE=str(run_dir / "werkmonitor.duckdb"),
        WERKMONITOR_PUBLISH_DIR=str(run_dir / "published"),
        DAGSTER_HOME=str(run_dir / "dagster_home"),
        DAGSTER_DISABLE_TELEMETRY="1",
        DBT_SEND_ANONYMOUS_USAGE_STATS="false",
    )
    return env


def fresh_run_dir(path: Path) -> Path:
    shutil.rmtree(path, ignore_errors=True)
    (path / "dagster_home").mkdir(parents=True)
    return path


def _epoch(text: str) -> float:
    return datetime.fromisoformat(text).replace(tzinfo=UTC).timestamp()


def dagster_phases(run_dir: Path, run_id: str) -> dict:
    """Step and planning times from the run's own event log (SQLite in DAGSTER_HOME).

    Finer than ``--timings``: it separates the two publish steps and shows the
    time between the first event of the run (planning: one event per planned
    asset and asset check) and the run's start.
    """
    db = run_dir / "dagster_home" / "history" / "runs" / f"{run_id}.db"
    if not db.exists():
        return {}
    with sqlite3.connect(db) as con:
        rows = con.execute(
            "select dagster_event_type, step_key, timestamp from event_logs order by id"
        ).fetchall()
        counts = dict(con.execute(
            "select dagster_event_type, count(*) from event_logs group by 1"
        ).fetchall())
    if not rows:
        return {}
    first, last = _epoch(rows[0][2]), _epoch(rows[-1][2])
    phases: dict = {"first_event_at": first, "events": len(rows)}
    starts: dict[str, float] = {}
    steps: dict[str, float] = {}
    for kind, step, stamp in rows:
        if kind == "PIPELINE_START":
            phases["planning"] = round(_epoch(stamp) - first, 3)
        elif kind == "STEP_START":
            starts[step] = _epoch(stamp)
        elif kind in ("STEP_SUCCESS", "STEP_FAILURE") and step in starts:
            steps[step] = round(_epoch(stamp) - starts[step], 3)
    phases["steps"] = steps
    phases["event_log_seconds"] = round(last - first, 3)
    phases["planned_asset_checks"] = counts.get("ASSET_CHECK_EVALUATION_PLANNED", 0)
    phases["planned_assets"] = counts.get("ASSET_MATERIALIZATION_PLANNED", 0)
    return phases


def dbt_results(run_id: str) -> dict:
    """dbt's own account of a run's ``dbt build``: elapsed, time and count per node type.

    dagster-dbt gives every invocation a target dir named after the run id.
    ``step - elapsed`` is dbt's start-up (parse, adapter) plus event streaming.
    """
    found = sorted((REPO_ROOT / "target").glob(f"warehouse_dbt-{run_id[:7]}-*/run_results.json"))
    if not found:
        return {}
    results = json.loads(found[-1].read_text())
    seconds: dict[str, float] = {}
    counts: dict[str, int] = {}
    for node in results["results"]:
        kind = node["unique_id"].split(".")[0]
        seconds[kind] = round(seconds.get(kind, 0.0) + node["execution_time"], 3)
        counts[kind] = counts.get(kind, 0) + 1
    slowest = sorted(results["results"], key=lambda node: -node["execution_time"])[:5]
    return {
        "elapsed": round(results["elapsed_time"], 3),
        "seconds_by_type": seconds,
        "nodes_by_type": counts,
        "slowest": [[n["unique_id"], round(n["execution_time"], 3)] for n in slowest],
    }


def run_pipeline(args: list[str], raw_dir: Path, run_dir: Path, label: str) -> dict:
    """One ``werkmonitor run`` in a fresh process; its ``--timings`` JSON merged in."""
    timings_path = run_dir / f"timings-{label}.json"
    timings_path.unlink(missing_ok=True)
    print(f"bench:   {label}: werkmonitor run {' '.join(args)} …", flush=True)
    launched_at = time.time()
    measured = run_measured(
        [WERKMONITOR, "run", *args, "--timings", str(timings_path)],
        env=pipeline_env(raw_dir, run_dir),
        cwd=REPO_ROOT,
    )
    result = measured.as_dict()
    result["timings"] = json.loads(timings_path.read_text()) if timings_path.exists() else None
    result["success"] = measured.returncode == 0 and bool(
        result["timings"] and all(r.get("success") for r in result["timings"]["runs"])
    )
    if result["timings"]:
        runs = result["timings"]["runs"]
        stages: dict[str, float] = {}
        for run in runs:
            for stage, seconds in run.get("stages", {}).items():
                stages[stage] = round(stages.get(stage, 0.0) + seconds, 3)
        in_runs = sum(run["seconds"] for run in runs)
        stages["orchestration"] = round(in_runs - sum(stages.values()), 3)
        # start-up: interpreter, imports, definitions, manifest, summary printing
        stages["startup_and_exit"] = round(measured.seconds - in_runs, 3)
        result["stage_split"] = stages
        # CPU per stage (the run's own count, children it waited for included); the rest
        # of the process's CPU: interpreter, imports, plan, instance, summary
        cpu: dict[str, float] = {}
        for run in runs:
            for stage, seconds in run.get("stage_cpu", {}).items():
                cpu[stage] = round(cpu.get(stage, 0.0) + seconds, 3)
        if cpu:
            cpu["outside_stages"] = round(measured.cpu_seconds - sum(cpu.values()), 3)
            result["stage_cpu"] = cpu
        result["dagster"] = [dagster_phases(run_dir, run["run_id"]) for run in runs]
        result["dbt"] = [dbt_results(run["run_id"]) for run in runs]
        first_events = [p["first_event_at"] for p in result["dagster"] if p]
        if first_events:
            # interpreter, imports, definitions, manifest check: before Dagster logs anything
            result["before_first_event"] = round(min(first_events) - launched_at, 3)
    warehouse = run_dir / "werkmonitor.duckdb"
    if warehouse.exists():
        result["warehouse_mb"] = round(warehouse.stat().st_size / 2**20, 1)
    status = "ok" if result["success"] else f"FAILED (exit {measured.returncode})"
    print(f"bench:   {label}: {measured.seconds:.1f} s wall, {measured.cpu_seconds:.1f} s CPU, "
          f"peak {measured.max_rss_mb:.0f} MB, {status}", flush=True)
    if not result["success"]:
        print(measured.stderr_tail[-3000:], file=sys.stderr)
    return result


def run_baseline(raw_dir: Path, quarter: str | None, out: Path, label: str) -> dict:
    print(f"bench:   {label}: plain SQL baseline …", flush=True)
    command = [PYTHON, str(BENCH_DIR / "baseline.py"), str(raw_dir), "--json", str(out)]
    if quarter:
        command += ["--quarters", quarter]
    measured = run_measured(command, cwd=REPO_ROOT)
    result = measured.as_dict()
    result["success"] = measured.returncode == 0 and out.exists()
    if result["success"]:
        result.update(json.loads(out.read_text()))
        result["startup_and_exit"] = round(measured.seconds - result["seconds_in_process"], 3)
        print(f"bench:   {label}: {measured.seconds:.1f} s wall (read {result['read_seconds']:.1f}"
              f" s, sql {result['sql_seconds']:.2f} s), peak {measured.max_rss_mb:.0f} MB",
              flush=True)
    else:
        print(measured.stderr_tail, file=sys.stderr)
    return result


def pipeline_national(warehouse: Path, quarter: str) -> dict[str, float] | None:
    """National all-types values of the pipeline's indicator mart, for the cross-check."""
    import duckdb

    if not warehouse.exists():
        return None
    try:
        with duckdb.connect(str(warehouse), read_only=True) as con:
            rows = con.execute(
                "select indicator, numerator from marts.quarterly_indicators "
                "where quarter = ? and level = 'national' and trajectory_type = 'ALL' "
                "and financing = 'ALL' and ips_scheme = 'ALL' and ips_phase = 'ALL'",
                [quarter],
            ).fetchall()
    except duckdb.Error as error:
        return {"error": str(error)}
    return {name: value for name, value in rows if name in CHECKED_INDICATORS}


def cross_check(baseline: dict, pipeline: dict | None, quarter: str) -> dict:
    """Do baseline and pipeline count the same? A ratio against a wrong baseline is noise."""
    ours = (baseline.get("national") or {}).get(quarter)
    if not ours or not pipeline or "error" in pipeline:
        return {"checked": False, "reason": (pipeline or {}).get("error", "no data")}
    differences = {
        name: {"baseline": ours[name], "pipeline": pipeline.get(name)}
        for name in CHECKED_INDICATORS
        if pipeline.get(name) is None or float(pipeline[name]) != float(ours[name])
    }
    return {"checked": True, "agree": not differences, "differences": differences}


def disagreement(check: dict | None) -> str | None:
    """Why the cross-check did not pass, in one line; None when the figures agree.

    A ratio is printed only beside a baseline that counts the same, so a check
    that could not run is a failure too, not a silent pass.
    """
    if not check or not check.get("checked"):
        return f"cross-check not done: {(check or {}).get('reason', 'no data')}"
    if check.get("agree"):
        return None
    return "baseline and pipeline DISAGREE on the national counts: " + ", ".join(
        f"{name} baseline {d['baseline']} vs pipeline {d['pipeline']}"
        for name, d in sorted(check["differences"].items())
    )


def fixed_overheads(workdir: Path, raw_dir: Path) -> dict:
    """What every ``werkmonitor run`` pays before touching a row, each in a fresh process."""
    print("bench: fixed overheads …", flush=True)
    probes = {
        "python_startup": [PYTHON, "-c", "pass"],
        "import_duckdb": [PYTHON, "-c", "import duckdb"],
        "import_werkmonitor_cli": [PYTHON, "-c", "import werkmonitor.cli"],
        "import_dagster": [PYTHON, "-c", "import dagster"],
        "import_dagster_dbt": [PYTHON, "-c", "import dagster_dbt"],
        "import_definitions": [PYTHON, "-c", "import werkmonitor.definitions"],
        "import_great_expectations": [PYTHON, "-c", "import great_expectations"],
        "import_pandas": [PYTHON, "-c", "import pandas"],
        "dbt_version": [str(BIN / "dbt"), "--version"],
    }
    run_dir = fresh_run_dir(workdir / "overheads")
    env = pipeline_env(raw_dir, run_dir)
    results = {}
    for name, command in probes.items():
        best = None
        for _ in range(2):  # best of two: the machine is shared
            measured = run_measured(command, env=env, cwd=REPO_ROOT)
            if best is None or measured.seconds < best.seconds:
                best = measured
        results[name] = {
            "seconds": best.seconds, "cpu_seconds": best.cpu_seconds,
            "max_rss_mb": best.max_rss_mb, "ok": best.returncode == 0,
        }
        print(f"bench:   {name}: {best.seconds:.2f} s", flush=True)
    # a dbt invocation that builds nothing: parse (partial parse from a copy of the
    # project's target/) + adapter + connection, i.e. the price of one more `dbt` call
    target = run_dir / "target"
    target.mkdir()
    for name in ("partial_parse.msgpack", "manifest.json"):
        if (REPO_ROOT / "target" / name).exists():
            shutil.copy2(REPO_ROOT / "target" / name, target / name)
    noop = [str(BIN / "dbt"), "ls", "--select", "dim_regions", "--quiet",
            "--profiles-dir", str(REPO_ROOT / "dbt_project"), "--target-path", str(target)]
    best = None
    for _ in range(2):
        measured = run_measured(noop, env=env, cwd=REPO_ROOT)
        if best is None or measured.seconds < best.seconds:
            best = measured
    results["dbt_noop_invocation"] = {
        "seconds": best.seconds, "cpu_seconds": best.cpu_seconds,
        "max_rss_mb": best.max_rss_mb, "ok": best.returncode == 0,
    }
    print(f"bench:   dbt_noop_invocation: {best.seconds:.2f} s", flush=True)
    return results


def bench_scale(workdir: Path, scale: float, seed: int, quarter: str, runs: set[str]) -> dict:
    print(f"bench: scale {scale:g}", flush=True)
    # only the one-quarter run: the quarter's own zone is enough and far cheaper to generate
    only = quarter if runs <= {"one"} else None
    raw_dir, generation = landing_zone(workdir, scale, seed, only)
    result: dict = {"scale": scale, "seed": seed, "quarter": quarter, "landing_zone": str(raw_dir),
                    "generation": generation, "zone": zone_size(raw_dir)}
    scale_dir = workdir / "runs" / f"s{_scale_name(scale)}_seed{seed}"
    scale_dir.mkdir(parents=True, exist_ok=True)

    if "one" in runs:
        one_dir = fresh_run_dir(scale_dir / "one_quarter")
        result["one_quarter"] = run_pipeline(["--quarter", quarter], raw_dir, one_dir,
                                             "one_quarter")
        result["baseline_quarter"] = run_baseline(
            raw_dir, quarter, scale_dir / "baseline_quarter.json", "baseline_quarter"
        )
        result["cross_check"] = cross_check(
            result["baseline_quarter"],
            pipeline_national(one_dir / "werkmonitor.duckdb", quarter), quarter,
        )
    if "baseline" in runs:  # the baselines alone, e.g. after a change to baseline.py
        for key, quarter_or_all in (("baseline_quarter", quarter), ("baseline_all", None)):
            result[key] = run_baseline(raw_dir, quarter_or_all, scale_dir / f"{key}.json", key)
    if "all" in runs:
        all_dir = fresh_run_dir(scale_dir / "all_quarters")
        result["all_quarters"] = run_pipeline(["--all"], raw_dir, all_dir, "all_quarters")
        if "rerun" in runs:
            result["rerun_quarter"] = run_pipeline(
                ["--quarter", quarter], raw_dir, all_dir, "rerun_quarter"
            )
        result["baseline_all"] = run_baseline(
            raw_dir, None, scale_dir / "baseline_all.json", "baseline_all"
        )
    for key in ("baseline_quarter", "baseline_all"):
        if key in result:
            result[key].pop("national", None)
    return result


RUN_DIRS = {"one_quarter": "one_quarter", "all_quarters": "all_quarters",
            "rerun_quarter": "all_quarters"}


def enrich(results: dict, workdir: Path) -> dict:
    """Fill the Dagster and dbt detail of runs measured before it was collected."""
    for scale in results["scales"]:
        scale_dir = workdir / "runs" / f"s{_scale_name(scale['scale'])}_seed{scale['seed']}"
        for key, folder in RUN_DIRS.items():
            run = scale.get(key)
            if not run or not run.get("timings"):
                continue
            runs = run["timings"]["runs"]
            if not any(run.get("dagster") or []):
                run["dagster"] = [dagster_phases(scale_dir / folder, r["run_id"]) for r in runs]
            if not any(run.get("dbt") or []):
                run["dbt"] = [dbt_results(r["run_id"]) for r in runs]
    return results


def machine() -> dict:
    import duckdb

    with open("/proc/meminfo") as handle:
        mem_kb = int(handle.readline().split()[1])
    return {
        "cpus": os.cpu_count(),
        "memory_gb": round(mem_kb / 2**20, 1),
        "python": platform.python_version(),
        "duckdb": duckdb.__version__,
        "platform": platform.platform(),
        "load_average_at_start": os.getloadavg(),
    }


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", default="1,10,100",
                        help="comma-separated scales (default 1,10,100)")
    parser.add_argument("--quick", action="store_true",
                        help="scale 1 only: one quarter, the same quarter unchanged, baseline "
                             "(bench/quick.py)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--quarter", default="2024Q3", help="the one quarter (default 2024Q3)")
    parser.add_argument("--workdir", type=Path, default=DEFAULT_WORKDIR,
                        help=f"landing zones and warehouses (default {DEFAULT_WORKDIR})")
    parser.add_argument("--skip-overheads", action="store_true")
    parser.add_argument("--skip-all", action="store_true",
                        help="only the one-quarter run and its baseline (= --runs one)")
    parser.add_argument("--runs", default="one,all,rerun",
                        help="which measurements: one (one quarter), all (all quarters), "
                             "rerun (one quarter again after all), baseline (baselines only); "
                             "default one,all,rerun")
    parser.add_argument("--summarise", type=Path, nargs="+", metavar="RESULTS_JSON",
                        help="measure nothing: complete and merge these result files into "
                             "summary.md")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.summarise:
        from report import merge

        for path in args.summarise:
            path.write_text(json.dumps(enrich(json.loads(path.read_text()),
                                              args.workdir.resolve()), indent=2, default=str))
        print(write_summary(merge(args.summarise), RESULTS_DIR / "summary.md"))
        return 0
    if args.quick:
        import quick

        return quick.main_quick(sys.modules[__name__], args)
    scales = [1.0] if args.quick else [float(s) for s in args.scales.split(",") if s.strip()]
    started = time.perf_counter()
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    results: dict = {"started_at": stamp, "machine": machine(), "scales": []}
    workdir = args.workdir.resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    if not args.skip_overheads:
        raw_dir, _ = landing_zone(workdir, scales[0], args.seed)
        results["fixed_overheads"] = fixed_overheads(workdir, raw_dir)
    RESULTS_DIR.mkdir(exist_ok=True)
    out = RESULTS_DIR / f"{stamp}.json"
    for scale in scales:
        runs = {"one"} if args.skip_all else set(args.runs.split(","))
        results["scales"].append(bench_scale(workdir, scale, args.seed, args.quarter, runs))
        results["seconds"] = round(time.perf_counter() - started, 1)
        out.write_text(json.dumps(results, indent=2, default=str))  # partial results survive
    summary = write_summary(results, RESULTS_DIR / "summary.md")
    print(summary)
    print(f"bench: results in {out} and {RESULTS_DIR / 'summary.md'} "
          f"({results['seconds']:.0f} s in all)")
    failed = [
        f"scale {s['scale']:g} {key}"
        for s in results["scales"]
        for key in ("one_quarter", "all_quarters", "rerun_quarter")
        if key in s and not s[key]["success"]
    ]
    for scale in results["scales"]:
        if "cross_check" in scale and (why := disagreement(scale["cross_check"])):
            failed.append(f"scale {scale['scale']:g} cross-check")
            print(f"bench: scale {scale['scale']:g}: {why}", file=sys.stderr)
    if failed:
        print("bench: failed: " + ", ".join(failed), file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
