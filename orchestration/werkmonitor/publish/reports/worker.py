"""A second process drawing its share of a quarter's reports.

Started by ``render.run`` as ``python -m werkmonitor.publish.reports.worker``
with a JSON request on stdin (the ``plan`` arguments and the report names to
draw); it plans the quarter again from the files and writes its outcomes as
one JSON line per finished report to stdout, so the parent can follow its
progress. A plain subprocess rather than a multiprocessing pool: it never
re-imports the caller's main module and needs no fork of a process whose chart
renderer runs threads.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def main() -> int:
    from werkmonitor.publish.reports import render
    from werkmonitor.publish.reports.plan import plan

    request = json.load(sys.stdin)
    args = [
        None if a is None else (Path(a) if i != 1 else a) for i, a in enumerate(request["plan"])
    ]
    planned = plan(*args)
    render.load(planned.jobs, planned.context)
    for name in request["names"]:
        n, written, failed = render.draw(name)
        sys.stdout.write(json.dumps([n, [str(p) for p in written], failed]) + "\n")
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
