"""The bench results as Markdown (``bench/results/summary.md``)."""

from __future__ import annotations

import json
from pathlib import Path

STAGES = ("startup_and_exit", "load", "dbt", "quality", "publish", "orchestration")
STEPS = ("raw_submissions", "warehouse_dbt", "quality_gates", "published_warehouse",
         "quarterly_reports")
RUNS = (
    ("one_quarter", "one quarter, empty warehouse"),
    ("all_quarters", "all quarters, empty warehouse"),
    ("rerun_quarter", "one quarter again, all loaded"),
)


def _s(value) -> str:
    if value is None:
        return "–"
    return f"{value:.1f}" if value >= 1 else f"{value:.2f}"


def _mark(run: dict) -> str:
    """'' for success; a quality gate that blocked publication is not a crash."""
    if run.get("success"):
        return ""
    return " (gate blocked)" if "blocked publication" in run.get("stderr_tail", "") else " ✗"


def _run_seconds(run: dict | None) -> str:
    if not run:
        return "–"
    return f"{_s(run['seconds'])}{_mark(run)}"


def _ratio(run: dict | None, baseline: dict | None) -> str:
    """Wall ratio / CPU ratio; the CPU one survives a busy machine better."""
    if not run or not baseline or not baseline.get("success") or not run.get("success"):
        return "–"
    wall = f"{run['seconds'] / baseline['seconds']:.0f}×"
    if not baseline.get("cpu_seconds"):
        return wall
    return f"{wall} / {run['cpu_seconds'] / baseline['cpu_seconds']:.0f}×"


def _baseline(baseline: dict | None) -> str:
    if not baseline or not baseline.get("success"):
        return "–"
    return (f"{_s(baseline['seconds'])} (read {_s(baseline['read_seconds'])}, "
            f"sql {_s(baseline['sql_seconds'])})")


def _peak(*runs: dict | None) -> str:
    """The tree's PSS peak (shared pages once); results before round 7 have the RSS sum only."""
    return " / ".join(
        f"{run.get('tree_pss_mb') or run['tree_peak_mb']:.0f}" if run else "–" for run in runs
    )


def _section(title: str, note: str, columns: list[str]) -> list[str]:
    """A summary section: heading, what its columns mean, a per-scale, per-run table head."""
    return [
        "",
        f"## {title}",
        "",
        note,
        "",
        "| scale | run | " + " | ".join(columns) + " |",
        "|---:|---|" + "---:|" * len(columns),
    ]


def summary_markdown(results: dict) -> str:
    machine = results.get("machine", {})
    lines = [
        f"# Bench {results.get('started_at', '')}",
        "",
        f"{machine.get('cpus')} CPUs, {machine.get('memory_gb')} GB, Python "
        f"{machine.get('python')}, DuckDB {machine.get('duckdb')}; load average at start "
        f"{', '.join(f'{x:.1f}' for x in machine.get('load_average_at_start', []))}. "
        "Wall seconds; every run in a fresh process; peak = largest sum of proportional "
        "set size (PSS: a page shared by a forked child counted once) over the process "
        "tree (MB).",
        "",
        "| scale | trajectory rows (quarter / all) | one quarter (s) | all quarters (s) "
        "| one quarter again, history loaded (s) | baseline quarter (s) | baseline all (s) "
        "| ratio quarter (wall / CPU) | ratio all (wall / CPU) "
        "| peak MB (quarter / all / again) |",
        "|---:|---:|---:|---:|---:|---|---|---:|---:|---|",
    ]
    for scale in results.get("scales", []):
        bq, ba = scale.get("baseline_quarter"), scale.get("baseline_all")
        rows_q = bq.get("trajecten_rows") if bq and bq.get("success") else None
        rows_a = ba.get("trajecten_rows") if ba and ba.get("success") else None
        lines.append(
            f"| {scale['scale']:g} | {rows_q or '–'} / {rows_a or '–'} "
            f"| {_run_seconds(scale.get('one_quarter'))} "
            f"| {_run_seconds(scale.get('all_quarters'))} "
            f"| {_run_seconds(scale.get('rerun_quarter'))} "
            f"| {_baseline(bq)} | {_baseline(ba)} "
            f"| {_ratio(scale.get('one_quarter'), bq)} | {_ratio(scale.get('all_quarters'), ba)} "
            f"| {_peak(*(scale.get(key) for key, _ in RUNS))} |"
        )
    lines += _section(
        "Where the time goes (wall seconds)",
        "`startup_and_exit` = process wall time minus the Dagster run(s): interpreter, "
        "imports, definitions and dbt manifest, summary; `orchestration` = run time not "
        "inside any step.",
        ["wall", "CPU", *STAGES, "max single process MB"],
    )
    for scale in results.get("scales", []):
        for key, label in RUNS:
            run = scale.get(key)
            if not run:
                continue
            split = run.get("stage_split") or {}
            cells = " | ".join(_s(split.get(stage)) for stage in STAGES)
            lines.append(
                f"| {scale['scale']:g} | {label}{_mark(run)} "
                f"| {_s(run['seconds'])} | {_s(run['cpu_seconds'])} | {cells} "
                f"| {run['max_rss_mb']:.0f} |"
            )
    lines += _section(
        "Inside the Dagster run (from its event log, wall seconds)",
        "`before run` = process start to the run's first event (interpreter, imports, "
        "definitions, dbt manifest check); `planning` = first event to run start (one "
        "event per planned asset and asset check).",
        ["before run", "planning", *STEPS, "events"],
    )
    for scale in results.get("scales", []):
        for key, label in RUNS:
            run = scale.get(key)
            phases = [p for p in (run or {}).get("dagster") or [] if p]
            if not phases:
                continue
            steps = {step: sum(p["steps"].get(step, 0.0) for p in phases) for step in STEPS}
            lines.append(
                f"| {scale['scale']:g} | {label} | {_s(run.get('before_first_event'))} "
                f"| {_s(sum(p.get('planning', 0.0) for p in phases))} | "
                + " | ".join(_s(steps[step]) for step in STEPS)
                + f" | {sum(p['events'] for p in phases)} |"
            )
    lines += [
        "",
        "## Inside dbt (its run_results.json, seconds)",
        "",
        "| scale | run | dbt step | dbt elapsed | models (n) | tests (n) | seeds (n) "
        "| slowest node |",
        "|---:|---|---:|---:|---|---|---|---|",
    ]
    for scale in results.get("scales", []):
        for key, label in RUNS:
            run = scale.get(key) or {}
            for phases, dbt in zip(run.get("dagster") or [], run.get("dbt") or [], strict=False):
                if not dbt:
                    continue
                by_type, counts = dbt["seconds_by_type"], dbt["nodes_by_type"]
                cells = " | ".join(
                    f"{_s(by_type.get(kind, 0.0))} ({counts.get(kind, 0)})"
                    for kind in ("model", "test", "seed")
                )
                name, seconds = dbt["slowest"][0] if dbt["slowest"] else ("–", 0.0)
                lines.append(
                    f"| {scale['scale']:g} | {label} "
                    f"| {_s((phases or {}).get('steps', {}).get('warehouse_dbt'))} "
                    f"| {_s(dbt['elapsed'])} | {cells} | {name.split('.')[-1]} {_s(seconds)} |"
                )
    overheads = results.get("fixed_overheads")
    if overheads:
        lines += [
            "",
            "## Fixed costs, each in a fresh process (best of two)",
            "",
            "| what | wall (s) | CPU (s) | peak MB |",
            "|---|---:|---:|---:|",
        ]
        for name, probe in overheads.items():
            mark = "" if probe.get("ok") else " ✗"
            lines.append(f"| {name}{mark} | {probe['seconds']:.2f} | {probe['cpu_seconds']:.2f} "
                         f"| {probe['max_rss_mb']:.0f} |")
    checks = [
        (scale["scale"], scale.get("cross_check")) for scale in results.get("scales", [])
    ]
    if checks:
        lines += ["", "## Baseline vs pipeline (national, all types)", ""]
        for scale, check in checks:
            if not check or not check.get("checked"):
                reason = (check or {}).get("reason", "not run")
                lines.append(f"- scale {scale:g}: not checked ({reason})")
            elif check["agree"]:
                lines.append(f"- scale {scale:g}: running, started, ended, paid, sustainable "
                             "and ever paid work agree")
            else:
                lines.append(f"- scale {scale:g}: DIFFER: {check['differences']}")
    for scale in results.get("scales", []):
        generation = scale.get("generation")
        if generation:
            lines.append(f"- scale {scale['scale']:g}: landing zone generated in "
                         f"{generation['seconds']:.0f} s ({scale['zone']['bytes'] / 2**20:.0f} MB)")
    lines.append("")
    return "\n".join(lines)


def write_summary(results: dict, path: Path) -> str:
    text = summary_markdown(results)
    path.write_text(text)
    return text


def merge(paths: list[Path]) -> dict:
    """Several bench result files as one (a later file wins for a repeated measurement)."""
    merged: dict = {"scales": []}
    by_scale: dict[float, dict] = {}
    for path in paths:
        results = json.loads(Path(path).read_text())
        for key in ("started_at", "machine", "fixed_overheads"):
            if results.get(key):
                merged[key] = results[key]
        for scale in results.get("scales", []):
            # measurements of one scale from several files add up; later ones win
            by_scale.setdefault(scale["scale"], {}).update(scale)
    merged["scales"] = [by_scale[key] for key in sorted(by_scale)]
    return merged


if __name__ == "__main__":
    import sys

    # python bench/report.py results/A.json results/B.json: one summary.md for both
    files = [Path(arg) for arg in sys.argv[1:]]
    print(write_summary(merge(files), Path(__file__).parent / "results" / "summary.md"))
