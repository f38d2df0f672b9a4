"""Where the suite's time goes, in CPU seconds: a pytest plugin for measuring, not asserting.

On a machine shared with other work, wall time says little; CPU time of the
test process plus its finished children (dbt, the CLI, Chromium once reaped)
does not depend on the load. With ``WERKMONITOR_TEST_CPU=<dir>`` set,
``tests/conftest.py`` loads the hooks below and every test process (each
xdist worker) appends one JSON line per test phase and per fixture set-up to
``<dir>/<worker>.jsonl``; ``python tests/cpu_profile.py <dir>`` sums them per
file and per fixture (the table in docs/performance.md).
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from collections import defaultdict
from pathlib import Path

import pytest

_OUT = os.environ.get("WERKMONITOR_TEST_CPU")


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _write(record: dict) -> None:
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    path = Path(_OUT) / f"{worker}.jsonl"
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(json.dumps(record) + "\n")


@pytest.hookimpl(hookwrapper=True)
def pytest_fixture_setup(fixturedef, request):
    cpu, wall = _cpu(), time.perf_counter()
    yield
    _write({"kind": "fixture", "name": fixturedef.argname, "scope": fixturedef.scope,
            "file": request.node.nodeid.split("::")[0], "cpu": _cpu() - cpu,
            "wall": time.perf_counter() - wall})


def _phase(name):
    @pytest.hookimpl(hookwrapper=True)
    def hook(item, *args):
        cpu, wall = _cpu(), time.perf_counter()
        yield
        _write({"kind": "phase", "phase": name, "test": item.nodeid,
                "file": item.nodeid.split("::")[0], "cpu": _cpu() - cpu,
                "wall": time.perf_counter() - wall})
    return hook


pytest_runtest_setup = _phase("setup")
pytest_runtest_call = _phase("call")
pytest_runtest_teardown = _phase("teardown")


def _summary(directory: Path) -> None:
    files: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0])
    fixtures: dict[tuple, list[float]] = defaultdict(lambda: [0.0, 0])
    tests: dict[str, float] = defaultdict(float)
    for path in sorted(directory.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            r = json.loads(line)
            if r["kind"] == "phase":
                files[r["file"]][0] += r["cpu"]
                files[r["file"]][1] += r["wall"]
                files[r["file"]][2] += r["phase"] == "call"
                tests[r["test"]] += r["cpu"]
            else:
                f = fixtures[(r["name"], r["scope"])]
                f[0] += r["cpu"]
                f[1] += 1
    total = sum(v[0] for v in files.values())
    print(f"{'file':<44} {'tests':>5} {'CPU s':>8} {'wall s':>8}")
    for name, (cpu, wall, n) in sorted(files.items(), key=lambda kv: -kv[1][0]):
        print(f"{name:<44} {n:>5} {cpu:>8.1f} {wall:>8.1f}")
    print(f"{'total':<44} {sum(v[2] for v in files.values()):>5} {total:>8.1f}")
    print(f"\n{'fixture (scope)':<52} {'set-ups':>7} {'CPU s':>8}")
    for (name, scope), (cpu, n) in sorted(fixtures.items(), key=lambda kv: -kv[1][0])[:30]:
        print(f"{name + ' (' + scope + ')':<52} {n:>7} {cpu:>8.1f}")
    print(f"\n{'test (all phases)':<90} {'CPU s':>7}")
    for name, cpu in sorted(tests.items(), key=lambda kv: -kv[1])[:25]:
        print(f"{name[:90]:<90} {cpu:>7.1f}")


if __name__ == "__main__":
    _summary(Path(sys.argv[1]))
