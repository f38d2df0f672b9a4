"""dbt in the test process: the CLI's start-up and parse paid once per worker, not per call.

A ``dbt`` subprocess costs ≈5 CPU s before it does anything (imports,
adapter) and ≈5 more for a full parse, because every test warehouse has its
own path and the path is part of dbt's partial-parse check. The suite makes
about forty such calls. ``dbtRunner`` runs the same command line in this
process: the imports once per xdist worker, and the project parsed once per
(project, vars, quarter environment), each call then working on its own deep
copy of that manifest (compiling marks nodes as compiled, so a shared one
would carry state from one call to the next).

What could leak between calls is closed after each one: dbt-duckdb keeps the
DuckDB database open in a class attribute (``DuckDBConnectionManager._ENV``)
and only drops the reference; it is closed here, so the test (or a pipeline
subprocess) can open the file at once, read-only or not. The environment, the
working directory and the arguments are those of the subprocess it replaces.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

from werkmonitor.config import DBT_PROFILES_DIR, DBT_PROJECT_DIR, REPO_ROOT
from werkmonitor.dbt_state import QUARTER_ENV, close_duckdb, temporary_environ

_MANIFESTS: dict[tuple, object] = {}
# Read only when a model executes (``quarter_bound``, dbt_project/macros/quarters.sql), never
# while parsing: a project parsed with them equals one parsed without (every node, source,
# macro and unit test, created_at aside; checked in round 6), so their values need no parse.
_EXECUTION_VARS = {"quarter_from", "quarter_to"}
# No console stream and no debug file (logs/dbt.log), as the pipeline's own dbt
# (``QUIET_ARGS``, werkmonitor/assets/dbt_process.py): no test reads either, and
# formatting and writing them is ≈10 % of a small build's CPU. A failure is still
# reported in full, from the run results and the exception (``invoke``).
_QUIET = ["--log-level", "none", "--log-level-file", "none"]


@contextlib.contextmanager
def _environment(warehouse: Path, drop_quarter_env: bool) -> Iterator[None]:
    values: dict[str, str | None] = {
        "WERKMONITOR_WAREHOUSE": str(warehouse),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    if drop_quarter_env:
        values.update(dict.fromkeys(QUARTER_ENV))
    cwd = os.getcwd()
    os.chdir(REPO_ROOT)
    try:
        with temporary_environ(values):
            yield
    finally:
        os.chdir(cwd)


def _vars(args: tuple[str, ...]) -> str | None:
    return args[args.index("--vars") + 1] if "--vars" in args else None


def _parse_vars(vars_text: str | None) -> str | None:
    """The vars the parse needs: none when only execution-time vars are given.

    The call itself still passes every ``--vars`` to dbt, so the models read
    the same values; only the per-quarter re-parse (≈2.3 CPU s each) goes.
    """
    import yaml

    if vars_text and set(yaml.safe_load(vars_text) or {}) <= _EXECUTION_VARS:
        return None
    return vars_text


def _invoke(manifest, argv: list[str]):
    from dbt.cli.main import dbtRunner

    try:
        return dbtRunner(manifest=manifest).invoke(argv)
    finally:
        close_duckdb()


def _manifest(common: list[str], key: tuple, vars_text: str | None):
    if key not in _MANIFESTS:
        argv = ["parse", *common, *_QUIET] + (["--vars", vars_text] if vars_text else [])
        result = _invoke(None, argv)
        if not result.success:
            raise RuntimeError(f"dbt parse failed: {result.exception}")
        _MANIFESTS[key] = result.result
    return _MANIFESTS[key].deepcopy()


def invoke(warehouse: Path, target: Path, args: tuple[str, ...], *,
           project_dir: Path = DBT_PROJECT_DIR, profiles_dir: Path = DBT_PROFILES_DIR,
           drop_quarter_env: bool = False, write_json: bool = True) -> None:
    """``dbt <args> --project-dir … --target-path target`` against ``warehouse``; raises on failure.

    The failure names the nodes that failed and their messages (run_results),
    as the subprocess's stdout did. ``write_json=False`` adds ``--no-write-json``
    for a caller that reads no artifact from ``target`` (manifest.json,
    run_results.json): serialising the manifest costs ≈1 CPU s per call.
    """
    if Path(warehouse).stem != "werkmonitor":  # the parsed manifest names the database
        raise ValueError(f"in-process dbt expects a werkmonitor.duckdb, got {warehouse}")
    common = ["--project-dir", str(project_dir), "--profiles-dir", str(profiles_dir),
              "--target-path", str(target), "--log-path", str(target / "logs")]
    with _environment(Path(warehouse), drop_quarter_env):
        parse_vars = _parse_vars(_vars(args))
        key = (str(project_dir), parse_vars, tuple(os.environ.get(k, "") for k in QUARTER_ENV))
        manifest = _manifest(common, key, parse_vars)
        extra = [] if write_json else ["--no-write-json"]
        result = _invoke(manifest, [*args, *common, *_QUIET, *extra])
    if not result.success:
        failed = []
        for node in getattr(result.result, "results", None) or []:
            if str(node.status) not in ("success", "pass", "skipped"):
                failed.append(f"{node.node.unique_id}: {node.status}: {node.message}")
        raise RuntimeError(
            f"dbt {' '.join(args)} failed: {result.exception or ''}\n" + "\n".join(failed[:40]))


def run_dbt(warehouse: Path, target_path: Path, *args: str, quarter_from: str | None = None,
            quarter_to: str | None = None, project_dir: Path = DBT_PROJECT_DIR,
            write_json: bool = True) -> float:
    """``dbt_fixtures.run_dbt`` in this process: same arguments, same command line."""
    import time

    if quarter_from or quarter_to:
        args = (*args, "--vars", f"{{quarter_from: {quarter_from}, quarter_to: {quarter_to}}}")
    profiles = DBT_PROFILES_DIR if project_dir == DBT_PROJECT_DIR else project_dir / "dbt_project"
    started = time.perf_counter()
    invoke(warehouse, target_path, args, project_dir=project_dir, profiles_dir=profiles,
           write_json=write_json)
    return time.perf_counter() - started
