"""Run one command in a fresh process and measure wall time, CPU time and peak memory.

Peak memory is taken two ways, because a pipeline run is a process tree
(Dagster in the parent, ``dbt`` as a child process):

* ``max_rss_mb``: ``ru_maxrss`` of the command as its own parent sees it
  (``wait4``): the kernel folds the peak of every descendant the command
  waited for into it, so it is the largest *single* process in the tree. Two
  traps are avoided: ``getrusage(RUSAGE_CHILDREN)`` in this process is a
  maximum over every child the bench ever waited for, and a child forked
  (or vforked) from this process starts with *our* high-water mark, which
  survives its ``exec``. So the command runs under a tiny wrapper, GNU
  ``/usr/bin/time`` (about 2 MB) when present, else a minimal Python wrapper
  (its own ~10 MB is then the floor of the figure).
* ``tree_peak_mb``: the largest *sum* of resident memory over the child and its
  descendants, sampled from ``/proc`` every 50 ms. This is what the machine
  must hold at once while Dagster waits for dbt; it can miss a spike shorter
  than the sampling interval.
* ``tree_pss_mb``: the same sampling, summing each process's *proportional*
  set size (``Pss`` of ``/proc/<pid>/smaps_rollup``): a page shared by n
  processes counts 1/n in each. A forked child (the report renderer) shares
  the parent's pages copy-on-write, so the RSS sum counts them twice while
  the machine holds them once; the PSS sum is what the tree really occupies,
  and is the figure the memory target is read against.

CPU seconds (user + system, child and descendants) are reported next to wall
seconds: this 2-core machine is shared, and CPU time is far less sensitive to
other load than wall time.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path

_PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024
GNU_TIME = "/usr/bin/time"

# fallback wrapper: run argv[1:], write "maxrss_kb cpu_seconds" to the file in argv[1]
_WRAPPER = """
import os, sys
pid = os.posix_spawn(sys.argv[2], sys.argv[2:], os.environ)
_, status, usage = os.wait4(pid, 0)
with open(sys.argv[1], "w") as handle:
    handle.write(f"{usage.ru_maxrss} {usage.ru_utime + usage.ru_stime}")
sys.exit(os.waitstatus_to_exitcode(status))
"""


def _wrapped(command: list[str], report: str) -> list[str]:
    if os.access(GNU_TIME, os.X_OK):
        return [GNU_TIME, "--quiet", "-f", "%M %U %S", "-o", report, *command]
    return [sys.executable, "-c", _WRAPPER, report, shutil.which(command[0]) or command[0],
            *command[1:]]


def _read_report(path: str) -> tuple[float, float]:
    """(max RSS in kB, CPU seconds) from the wrapper's report file."""
    with open(path) as handle:
        fields = handle.read().split()
    numbers = [float(f) for f in fields[-3:] if f.replace(".", "", 1).isdigit()]
    if not numbers:
        return 0.0, 0.0
    return numbers[0], sum(numbers[1:])


@dataclass
class Measurement:
    command: list[str]
    returncode: int
    seconds: float
    cpu_seconds: float
    max_rss_mb: float
    tree_peak_mb: float
    tree_pss_mb: float
    load_before: float
    stdout_tail: str
    stderr_tail: str

    def as_dict(self) -> dict:
        return asdict(self)


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        tree.setdefault(int(fields[1]), []).append(int(entry.name))
    return tree


def _rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm") as handle:
            return int(handle.read().split()[1]) * _PAGE_KB
    except (OSError, IndexError, ValueError):
        return 0


def _pss_kb(pid: int) -> int:
    """Proportional set size in kB (0 when the process is gone or the kernel has no rollup)."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except (OSError, IndexError, ValueError):
        pass
    return 0


def _tree(root: int) -> list[int]:
    tree = _children()
    pids, stack = [], [root]
    while stack:
        pid = stack.pop()
        pids.append(pid)
        stack.extend(tree.get(pid, []))
    return pids


def tree_rss_kb(root: int) -> int:
    """Resident memory of ``root`` and all its descendants, now."""
    return sum(_rss_kb(pid) for pid in _tree(root))


def tree_memory_kb(root: int) -> tuple[int, int]:
    """(RSS sum, PSS sum) in kB of ``root`` and all its descendants, now."""
    pids = _tree(root)
    return sum(_rss_kb(pid) for pid in pids), sum(_pss_kb(pid) for pid in pids)


def _tail(text: str, lines: int = 30) -> str:
    return "\n".join(text.splitlines()[-lines:])


def run_measured(
    command: list[str],
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    interval: float = 0.05,
) -> Measurement:
    """Run ``command`` to completion; never raises on a non-zero exit."""
    load_before = os.getloadavg()[0]
    started = time.perf_counter()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, \
            tempfile.NamedTemporaryFile("r", suffix=".rusage") as rusage_file:
        process = subprocess.Popen(
            _wrapped(command, rusage_file.name), env=env, cwd=cwd, stdout=out, stderr=err
        )
        peak = [0, 0]  # RSS sum, PSS sum
        done = threading.Event()

        def sample() -> None:
            while not done.is_set():
                rss, pss = tree_memory_kb(process.pid)
                peak[0], peak[1] = max(peak[0], rss), max(peak[1], pss)
                done.wait(interval)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        process.wait()
        seconds = time.perf_counter() - started
        done.set()
        sampler.join()
        max_rss_kb, cpu_seconds = _read_report(rusage_file.name)
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode(errors="replace")
        stderr = err.read().decode(errors="replace")
    return Measurement(
        command=[str(c) for c in command],
        returncode=process.returncode,
        seconds=round(seconds, 3),
        cpu_seconds=round(cpu_seconds, 3),
        max_rss_mb=round(max_rss_kb / 1024, 1),
        tree_peak_mb=round(peak[0] / 1024, 1),
        tree_pss_mb=round(peak[1] / 1024, 1),
        load_before=round(load_before, 2),
        stdout_tail=_tail(stdout),
        stderr_tail=_tail(stderr),
    )
