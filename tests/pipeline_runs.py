"""``werkmonitor run`` in the test process: the same command line, without a fresh interpreter.

A ``werkmonitor run`` subprocess spends ≈11 CPU s before its first Dagster
run starts (the interpreter, Dagster, dagster-dbt and GX imports, the
definitions; ``cpu_before_runs`` in its ``--timings``), and the suite starts
about ten of them. ``run_here`` calls the console entry point
(``werkmonitor.cli.main(["run", …])``) in this process instead: the imports
are paid once per xdist worker, and the run itself (plan, Dagster job, dbt
child, gates, publish, reports) is the same code. What a subprocess keeps
apart is kept apart here too: the environment and the working directory
are restored after the call, stdout and stderr are captured, and the result
looks like ``subprocess.run``'s, so a test reads ``returncode``, ``stdout``
and ``stderr`` as before.

The front door itself (a fresh ``werkmonitor`` process, its console script,
its output) stays covered by the runs that still start one: the shared Q3
run of the e2e tests (``e2e_fixtures.build_q3``) and every ``status`` and
"nothing rebuilt" call.
"""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
from collections.abc import Iterator, Mapping


@contextlib.contextmanager
def _process_state(env: Mapping[str, str]) -> Iterator[None]:
    """``env`` as the whole environment, and the cwd, for one call; both restored after."""
    saved, cwd = dict(os.environ), os.getcwd()
    os.environ.clear()
    os.environ.update(env)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)
        os.chdir(cwd)


def run_here(env: Mapping[str, str], *args: str) -> subprocess.CompletedProcess:
    """``werkmonitor run *args`` with environment ``env``, in this process."""
    from werkmonitor.cli import main

    out, err = io.StringIO(), io.StringIO()
    with _process_state(env), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(["run", *args])
        except SystemExit as stop:  # argparse and explicit exits, as the console script
            code = stop.code if isinstance(stop.code, int) else 1
    return subprocess.CompletedProcess(["werkmonitor", "run", *args], code or 0,
                                       out.getvalue(), err.getvalue())
