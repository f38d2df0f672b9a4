"""Peak memory and CPU of the quality stage alone, on a warehouse built once (issue 12).

Runs ``run_quality_gates_many`` as ``werkmonitor run`` does (Data Docs, gate
details, feedback) but writes nothing to the warehouse, so the same copy can be
measured again and again; no load, no dbt. Prints one JSON line: the process's
resident memory after GX is imported (the baseline the stage adds to), its
peak, and the stage's wall and CPU seconds.

    .venv/bin/python bench/quality_memory.py WAREHOUSE OUTDIR 2024Q3 [QUARTER ...]
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main(warehouse: str, out: str, *quarters: str) -> None:
    import great_expectations  # noqa: F401  the stage imports it too: part of the baseline

    from werkmonitor.quality.gates import run_quality_gates_many

    before = _rss_mb()
    cpu, wall = time.process_time(), time.perf_counter()
    runs = run_quality_gates_many(Path(warehouse), list(quarters),
                                  internal_dir=Path(out) / "internal",
                                  organisations_dir=Path(out) / "organisations",
                                  write_to_warehouse=False)
    print(json.dumps({
        "quarters": list(quarters),
        "rss_before_mb": round(before, 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "cpu_s": round(time.process_time() - cpu, 1),
        "wall_s": round(time.perf_counter() - wall, 1),
        "verdicts": {run.quarter: run.summary() for run in runs},
    }))


if __name__ == "__main__":
    main(*sys.argv[1:])
