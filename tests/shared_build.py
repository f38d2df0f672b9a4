"""Expensive test inputs built once per test run, shared by every file and xdist worker.

A fixture warehouse that costs a ``dbt build`` (≈5–10 CPU s) or a whole
pipeline run should not be paid again by each test file that reads it, nor
once more by the second xdist worker. ``shared_dir`` builds a directory once
per ``pytest`` run under the run's common temp root (the parent of the
workers' basetemps, so a new run starts empty and never reads a stale
build), keyed by a name and the build's parameters, behind a file lock: the
first process to ask builds, any other waits and then reads the same result.

The result is read-only by contract; a test that writes gets its own copy
(``copy_tree`` / ``copy_file``), so tests stay independent of each other and
of the order they run in.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path


def shared_root(tmp_path_factory) -> Path:
    """The temp dir common to all workers of this run (the basetemp itself without xdist)."""
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent
    root = base / "shared-builds"
    root.mkdir(parents=True, exist_ok=True)
    return root


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    """An exclusive lock between processes (``flock``: released if the holder dies)."""
    with open(path, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def shared_dir(tmp_path_factory, name: str, params: object, build: Callable[[Path], None]) -> Path:
    """``build(folder)`` once per run for (name, params); returns the finished folder.

    ``build`` writes into an empty folder at its final path (what it writes
    may hold absolute paths), marked complete only when it returns: a failed
    build is removed, and the next test that asks tries again (and fails with
    the same error, in its own test).
    """
    digest = hashlib.sha256(repr(params).encode()).hexdigest()[:16]
    root = shared_root(tmp_path_factory)
    folder = root / f"{name}-{digest}"
    complete = root / f"{name}-{digest}.complete"
    with _locked(root / f"{name}-{digest}.lock"):
        if complete.exists():
            return folder
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir()
        try:
            build(folder)
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        complete.touch()
    return folder


def copy_tree(source: Path, target: Path) -> Path:
    """A private, writable copy of a shared build (DuckDB files are plain files)."""
    shutil.copytree(source, target, symlinks=True)
    return target


def copy_file(source: Path, target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(source, target)
    return target
