"""The dbt project as Dagster sees it.

Importing the definitions must not run dbt, so the manifest is prepared at
the two entry points instead: ``werkmonitor run`` calls :func:`ensure_manifest`
before it imports the definitions, and ``dagster dev`` calls it through
:class:`ManifestPreparer` (``DbtProject.prepare_if_dev``, a no-op outside
``dagster dev``). It parses the project only when the manifest is missing or
older than any dbt file: one ``dbt parse`` (≈5 s) after an edit, nothing
otherwise. The parse runs the ``dbt`` beside the interpreter, so neither door
needs an activated venv or a changed ``PATH``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

from dagster_dbt import DbtProject
from dagster_dbt.dbt_project import DbtProjectPreparer
from dagster_shared.record import replace as replace_record

from werkmonitor.config import DBT_PROFILES_DIR, DBT_PROJECT_DIR, settings

TARGET_DIR = DBT_PROJECT_DIR / "target"
MANIFEST_PATH = TARGET_DIR / "manifest.json"
DBT_EXECUTABLE = str(Path(sys.executable).with_name("dbt"))

_DBT_SOURCES = ("models", "seeds", "dbt_project/macros", "dbt_project/tests")
_DBT_FILES = ("dbt_project.yml", "dbt_project/profiles.yml")


def _newest_source_mtime() -> float:
    newest = 0.0
    for name in _DBT_FILES:
        path = DBT_PROJECT_DIR / name
        if path.exists():
            newest = max(newest, path.stat().st_mtime)
    for folder in _DBT_SOURCES:
        for path in (DBT_PROJECT_DIR / folder).rglob("*"):
            if path.is_file():
                newest = max(newest, path.stat().st_mtime)
    return newest


def manifest_is_stale() -> bool:
    return not MANIFEST_PATH.exists() or MANIFEST_PATH.stat().st_mtime < _newest_source_mtime()


def ensure_manifest() -> Path:
    """Parse the dbt project when the manifest is missing or out of date.

    The parse writes to a private target dir first and is then moved into
    place, so a parallel reader (another test worker, ``dagster dev``) never
    reads a half-written manifest.
    """
    if not manifest_is_stale():
        return MANIFEST_PATH
    settings().export()
    scratch = TARGET_DIR / f"parse-{os.getpid()}"
    completed = subprocess.run(
        [
            DBT_EXECUTABLE,
            "parse",
            "--quiet",
            "--project-dir",
            str(DBT_PROJECT_DIR),
            "--profiles-dir",
            str(DBT_PROFILES_DIR),
            "--target-path",
            str(scratch),
        ],
        capture_output=True,
        text=True,
        cwd=DBT_PROJECT_DIR,
        env={**os.environ, "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"},
    )
    if completed.returncode != 0:
        raise RuntimeError(
            "dbt parse failed:\n" + (completed.stdout + completed.stderr).strip()[-4000:]
        )
    os.replace(scratch / "manifest.json", MANIFEST_PATH)
    # dagster-dbt copies target/partial_parse.msgpack into each run's target dir,
    # so a build only re-parses what changed since this parse
    if (scratch / "partial_parse.msgpack").exists():
        os.replace(scratch / "partial_parse.msgpack", TARGET_DIR / "partial_parse.msgpack")
    shutil.rmtree(scratch, ignore_errors=True)
    return MANIFEST_PATH


class ManifestPreparer(DbtProjectPreparer):
    """``dagster dev``'s manifest preparation, done by :func:`ensure_manifest`."""

    def prepare_if_dev(self, project: DbtProject) -> None:
        if self.using_dagster_dev():
            self.prepare(project)

    def prepare(self, project: DbtProject) -> None:
        ensure_manifest()


def dbt_project() -> DbtProject:
    """The project, with a preparer that works without ``dbt`` on ``PATH``."""
    project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROFILES_DIR)
    return replace_record(project, preparer=ManifestPreparer())


QUARTER_ENV = ("WERKMONITOR_QUARTER_FROM", "WERKMONITOR_QUARTER_TO")


@contextmanager
def quarter_range_env(first: str, last: str):
    """Pass the quarter range to dbt through the environment.

    ``--vars`` would do the same, but dbt discards its partial-parse state
    whenever the vars change, so every quarter would pay a full parse; an
    environment variable only re-parses the few models that read it
    (``quarter_bound`` in ``dbt_project/macros/quarters.sql``).
    """
    saved = {name: os.environ.get(name) for name in QUARTER_ENV}
    os.environ.update(dict(zip(QUARTER_ENV, (first, last), strict=True)))
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
