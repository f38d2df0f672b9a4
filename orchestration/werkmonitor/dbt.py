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

import hashlib
import os
import pprint
import shutil
import subprocess
import sys
import uuid
from contextlib import contextmanager
from pathlib import Path

from dagster_dbt import DbtProject
from dagster_dbt.dbt_project import DbtProjectPreparer
from dagster_shared.record import replace as replace_record

from werkmonitor.config import DBT_PROFILES_DIR, DBT_PROJECT_DIR, settings
from werkmonitor.dbt_state import QUARTER_ENV, temporary_environ

TARGET_DIR = DBT_PROJECT_DIR / "target"
MANIFEST_PATH = TARGET_DIR / "manifest.json"
PARTIAL_PARSE = "partial_parse.msgpack"
# the warehouse path the project's partial parse was made with (see rekeyed_partial_parse)
PARSED_FOR = TARGET_DIR / "partial_parse.warehouse"
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
    """Missing, older than a dbt file, or parsed before the parse's warehouse was recorded."""
    if not MANIFEST_PATH.exists() or not PARSED_FOR.exists():
        return True
    return MANIFEST_PATH.stat().st_mtime < _newest_source_mtime()


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
    if (scratch / PARTIAL_PARSE).exists():
        os.replace(scratch / PARTIAL_PARSE, TARGET_DIR / PARTIAL_PARSE)
        PARSED_FOR.write_text(os.environ["WERKMONITOR_WAREHOUSE"])
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


@contextmanager
def quarter_range_env(first: str, last: str):
    """Pass the quarter range to dbt through the environment.

    ``--vars`` would do the same, but dbt discards its partial-parse state
    whenever the vars change, so every quarter would pay a full parse; an
    environment variable only re-parses the few models that read it
    (``quarter_bound`` in ``dbt_project/macros/quarters.sql``).
    """
    with temporary_environ(dict(zip(QUARTER_ENV, (first, last), strict=True))):
        yield


def profile_hash(warehouse: str) -> str:
    """dbt's ``state_check.profile_hash`` for ``profiles.yml`` with this warehouse path.

    dbt hashes the profile's connection info, the warehouse path included, and
    throws its partial parse away when the hash moves ("Unable to do partial
    parsing because profile has changed"): every fresh warehouse (bench, tests,
    a second checkout) paid a full parse, ≈2.5 CPU s more. The connection info
    is that of dbt-duckdb's ``DuckDBCredentials`` for our profile (only the path
    and the database named after it vary); :func:`rekeyed_partial_parse` uses
    this hash only after it reproduced the stored one, so a dbt upgrade that
    changes the fields costs a full parse, never a wrong one.
    """
    info = sorted({
        "attach": None, "config_options": None, "database": Path(warehouse).stem,
        "disable_transactions": False, "extensions": None, "external_root": ".",
        "filesystems": None, "path": warehouse, "plugins": None, "remote": None,
        "schema": "main", "settings": {}, "use_credential_provider": None,
    }.items())
    return hashlib.sha256(pprint.pformat(info).encode("utf-8")).hexdigest()


def rekeyed_partial_parse(warehouse: Path) -> bytes | None:
    """The project's ``partial_parse.msgpack`` as if it had been parsed against ``warehouse``.

    Nothing in the parsed manifest depends on the path but the database name
    (the file's stem), so the parse is reusable for any warehouse of the same
    name. None when there is no parse, the names differ, or the stored hash is
    not the one :func:`profile_hash` computes for the parse's own path.
    """
    import msgpack  # a dbt-core dependency; the format dbt writes

    source = TARGET_DIR / PARTIAL_PARSE
    if not source.exists() or not PARSED_FOR.exists():
        return None
    parsed_for = PARSED_FOR.read_text().strip()
    if Path(parsed_for).stem != warehouse.stem:
        return None
    state = msgpack.unpackb(
        source.read_bytes(), ext_hook=msgpack.ExtType, raw=False, strict_map_key=False
    )
    stored = state.get("state_check", {}).get("profile_hash", {})
    if stored.get("checksum") != profile_hash(parsed_for):
        return None
    stored["checksum"] = profile_hash(str(warehouse))
    return msgpack.packb(state, use_bin_type=True)


def run_target_dir(context, warehouse: Path) -> Path:
    """A fresh target dir for one ``dbt build``, named as dagster-dbt names it
    (``<op>-<run id>-<uuid>``, which the bench reads), holding the partial parse
    re-keyed to this run's warehouse; dagster-dbt copies the project's own
    parse only into a target dir that has none."""
    name = f"{context.op_execution_context.op.name}-{context.run.run_id[:7]}-{uuid.uuid4().hex[:7]}"
    target = TARGET_DIR / name
    rekeyed = rekeyed_partial_parse(warehouse)
    if rekeyed is not None:
        target.mkdir(parents=True, exist_ok=True)
        (target / PARTIAL_PARSE).write_bytes(rekeyed)
    return target
