"""``make bench-quick`` (``run_bench.py --quick``): the scale-1 quarter in a few minutes.

Three measurements, each a fresh process, CPU seconds beside wall seconds:

* one quarter (2024Q3) end to end on an empty warehouse;
* the same quarter again with nothing changed (the planner must find
  nothing to rebuild or republish);
* the plain-SQL baseline on the same files, for the ratio.

All three read the quarter's own clean zone (``s1_seed42_2024Q3_clean``: no
rejected file, no quarantined rows), because the baseline applies no row
rules: on the demo zone the pipeline quarantines rows the baseline counts
(4,627 against 4,631 running in 2024Q3) and the cross-check compared unlike
things. On the clean zone the two must count the same; when they do not the
bench says so and exits 1.

Then ``bench/disclosure.py`` when the disclosure part has put it there. Only
scale 1: the machine is shared (COMMON.md), and scale 1 is where the fixed
costs this bench watches show.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

TARGETS = {"one_quarter": 25.0, "unchanged_rerun": 10.0}  # CPU seconds (issue 12)


def run_quick(rb, workdir: Path, seed: int, quarter: str) -> dict:
    raw_dir, _ = rb.landing_zone(workdir, 1.0, seed, quarter)  # clean: like with like
    run_dir = rb.fresh_run_dir(workdir / "runs" / "quick")
    results = {
        "started_at": datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ"),
        "machine": rb.machine(),
        "quarter": quarter,
        "landing_zone": str(raw_dir),
    }
    results["one_quarter"] = rb.run_pipeline(
        ["--quarter", quarter], raw_dir, run_dir, "one_quarter"
    )
    results["unchanged_rerun"] = rb.run_pipeline(
        ["--quarter", quarter], raw_dir, run_dir, "unchanged_rerun"
    )
    results["baseline"] = rb.run_baseline(
        raw_dir, quarter, workdir / "quick_baseline.json", "baseline_quarter"
    )
    results["cross_check"] = rb.cross_check(
        results["baseline"], rb.pipeline_national(run_dir / "werkmonitor.duckdb", quarter), quarter
    )
    results["baseline"].pop("national", None)
    disclosure = rb.BENCH_DIR / "disclosure.py"
    if disclosure.exists():
        print("bench: bench/disclosure.py …", flush=True)
        started = time.perf_counter()
        # it publishes a copy of the warehouse the first run built (its own temp dir)
        done = subprocess.run([rb.PYTHON, str(disclosure), str(run_dir / "werkmonitor.duckdb")],
                              cwd=rb.REPO_ROOT, text=True, capture_output=True, timeout=1800)
        results["disclosure"] = {"returncode": done.returncode,
                                 "seconds": round(time.perf_counter() - started, 1),
                                 "output_tail": (done.stdout + done.stderr)[-3000:]}
    return results


def quick_table(results: dict, disagreement: str | None) -> str:
    """The summary; ``disagreement`` is ``run_bench.disagreement`` of the cross-check."""
    base = results["baseline"]
    lines = [
        f"Scale 1, {results['quarter']}; load average at start "
        f"{', '.join(f'{x:.1f}' for x in results['machine']['load_average_at_start'])}.",
        "",
        "| run | wall s | CPU s | CPU target | CPU ratio to baseline | ok |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for key, label in (("one_quarter", "one quarter, empty warehouse"),
                       ("unchanged_rerun", "same quarter again, nothing changed")):
        run = results[key]
        ratio = run["cpu_seconds"] / base["cpu_seconds"] if base.get("cpu_seconds") else None
        lines.append(
            f"| {label} | {run['seconds']:.1f} | {run['cpu_seconds']:.1f} | "
            f"≤ {TARGETS[key]:g} | {f'{ratio:.0f}×' if ratio else '–'} | "
            f"{'yes' if run['success'] else 'FAILED'} |"
        )
    lines.append(f"| plain-SQL baseline | {base.get('seconds', 0):.1f} | "
                 f"{base.get('cpu_seconds', 0):.1f} | | 1× | "
                 f"{'yes' if base.get('success') else 'FAILED'} |")
    stages = results["one_quarter"].get("stage_split") or {}
    if stages:
        lines += ["", "Stages of the first run (wall s): "
                  + ", ".join(f"{k} {v:.1f}" for k, v in stages.items())]
    cpu = results["one_quarter"].get("stage_cpu") or {}
    if cpu:
        lines += ["Stages of the first run (CPU s, children included): "
                  + ", ".join(f"{k} {v:.1f}" for k, v in cpu.items())]
    lines.append("Baseline and pipeline agree on the national counts: "
                 + ("True" if disagreement is None else f"False ({disagreement})"))
    if "disclosure" in results:
        lines += ["", f"bench/disclosure.py: exit {results['disclosure']['returncode']} in "
                  f"{results['disclosure']['seconds']} s"]
    return "\n".join(lines)


def main_quick(rb, args) -> int:
    results = run_quick(rb, args.workdir.resolve(), args.seed, args.quarter)
    rb.RESULTS_DIR.mkdir(exist_ok=True)
    out = rb.RESULTS_DIR / f"quick-{results['started_at']}.json"
    out.write_text(json.dumps(results, indent=2, default=str))
    why = rb.disagreement(results.get("cross_check"))
    table = quick_table(results, why)
    (rb.RESULTS_DIR / "quick.md").write_text(table + "\n")
    print(table)
    print(f"bench: results in {out}")
    ok = results["one_quarter"]["success"] and results["unchanged_rerun"]["success"]
    if why:
        print(f"bench: {why}", file=sys.stderr)
    return 0 if ok and why is None else 1


if __name__ == "__main__":
    sys.exit("run it as: .venv/bin/python bench/run_bench.py --quick")
