"""The reports of a range run on both cores: a second process takes a share of the quarters.

``make run`` renders eleven quarters' reports and the dashboard one after the
other in one process (≈20 s wall on the demo) while the second core idles.
Each quarter's reports read only the published file and the warehouse (both
read-only) and write only that quarter's folders; the dashboard reads only
the published file. So from :data:`SPLIT_FROM` quarters on, a worker process
(``python -m werkmonitor.assets.reports_split``) builds the dashboard and
every third quarter's reports while this process renders the others; below
that a second interpreter (≈2 CPU s of imports) costs more than it saves.
Only when a core is free, too (1-minute load average below the core count,
this run included): on a busy machine the worker found no idle core and
only added its CPU (measured at load 10–14: reports of 11 quarters 63–70 s
wall in one process, 72–78 s with the worker, +7 CPU s).
The files written are the same either way; shared files (the chart bundle)
are only ever replaced whole (``charts.write_bundle``).

A worker that dies fails its quarters' reports ("all reports"), never the
run: as with one report that fails, the quarters are recorded
``reports_failed`` and retried by the next run.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from werkmonitor.assets.reporting import (
    QuarterReports,
    build_dashboard_if_available,
    render_quarter,
)
from werkmonitor.config import Settings

SPLIT_FROM = 3  # quarters


def split(quarters: list[str]) -> tuple[list[str], list[str]]:
    """(this process's quarters, the worker's): the worker also builds the dashboard."""
    cores = os.cpu_count() or 1
    idle_core = cores > 1 and os.getloadavg()[0] < cores
    theirs = quarters[2::3] if len(quarters) >= SPLIT_FROM and idle_core else []
    return [q for q in quarters if q not in theirs], theirs


def _request(paths: Settings, quarters: list[str]) -> str:
    return json.dumps({
        "quarters": quarters,
        "paths": {name: str(getattr(paths, name)) for name in
                  ("raw_dir", "warehouse", "publish_dir", "organisations_dir")},
    })


class Worker:
    """The worker process and the file it writes its outcomes to (never a full pipe)."""

    def __init__(self, paths: Settings, quarters: list[str]) -> None:
        self.quarters = quarters
        self.out = tempfile.TemporaryFile("w+", encoding="utf-8")  # noqa: SIM115 - closed in finish
        self.err = tempfile.TemporaryFile("w+", encoding="utf-8")  # noqa: SIM115
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "werkmonitor.assets.reports_split"],
            stdin=subprocess.PIPE, stdout=self.out, stderr=self.err, text=True,
        )
        self.proc.stdin.write(_request(paths, quarters))
        self.proc.stdin.close()

    def finish(self) -> tuple[dict[str, QuarterReports], Path | None]:
        """Each of its quarters' outcome and the dashboard, once it has exited."""
        code = self.proc.wait()
        self.out.seek(0)
        self.err.seek(0)
        text, errors = self.out.read(), self.err.read()
        self.out.close()
        self.err.close()
        try:
            answer = json.loads(text) if code == 0 else None
        except ValueError:
            answer = None
        if answer is None:
            why = f"report worker exited with {code}: {errors.strip()[-500:] or 'no output'}"
            return {q: QuarterReports(failed={"all reports": why}) for q in self.quarters}, None
        outcomes = {
            q: QuarterReports(written=[Path(p) for p in o["written"]], failed=o["failed"],
                              skipped=o["skipped"])
            for q, o in answer["quarters"].items()
        }
        return outcomes, Path(answer["dashboard"]) if answer["dashboard"] else None


def main() -> int:
    request = json.load(sys.stdin)
    paths = Settings(**{name: Path(value) for name, value in request["paths"].items()})
    quarters = {}
    for quarter in request["quarters"]:
        outcome = render_quarter(paths, quarter)
        quarters[quarter] = {"written": [str(p) for p in outcome.written],
                             "failed": outcome.failed, "skipped": outcome.skipped}
    dashboard = build_dashboard_if_available(paths.publish_dir)
    json.dump({"quarters": quarters, "dashboard": str(dashboard) if dashboard else None},
              sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
