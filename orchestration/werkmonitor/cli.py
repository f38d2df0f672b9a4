"""The ``werkmonitor`` command: the headless door into the pipeline.

Heavy modules (Dagster, dbt, GX) are imported inside the subcommand that
needs them, so ``werkmonitor validate`` answers a data officer in well under
a second instead of paying for the whole orchestration stack.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from werkmonitor.config import REPO_ROOT, settings
from werkmonitor.quarters import FIRST_QUARTER, Quarter


def _quarter(text: str) -> str:
    try:
        return str(Quarter.parse(text))
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from error


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="werkmonitor",
        description="Werkmonitor warehouse: load, build, check and publish quarterly submissions.",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="materialise quarters end to end (load, gates, dbt, publish)")
    which = run.add_mutually_exclusive_group(required=True)
    which.add_argument("--quarter", type=_quarter, action="append", help="e.g. 2024Q3 (repeatable)")
    which.add_argument("--all", action="store_true", help="every quarter in the landing zone")
    run.add_argument("--timings", type=Path, help="write the run's stage timings as JSON here")
    run.add_argument("--quiet", action="store_true", help="no progress, only the summary")
    run.add_argument(
        "--force", action="store_true", help="rebuild and republish even when nothing changed"
    )

    sub.add_parser(
        "status", help="per quarter: landing zone, loaded, pending, last run, gates, published"
    )

    validate = sub.add_parser(
        "validate", help="check one submission (xlsx or folder); writes nothing"
    )
    validate.add_argument("path", type=Path)
    validate.add_argument("--lang", choices=["nl", "en"], default="nl")

    generate = sub.add_parser("generate", help="write a synthetic landing zone (demo data)")
    generate.add_argument("--out", type=Path, required=True)
    generate.add_argument("--scale", type=float, default=1.0)
    generate.add_argument("--seed", type=int, default=42)
    generate.add_argument("--from", dest="first", type=_quarter, default=FIRST_QUARTER)
    generate.add_argument("--to", dest="last", type=_quarter, default="2025Q2")
    kind = generate.add_mutually_exclusive_group()
    kind.add_argument("--clean", action="store_true",
                      help="no defects (by default some rows are quarantined, one file rejected)")
    kind.add_argument("--late", action="store_true",
                      help="write only the late correction of the rejected file (same seed/scale)")

    sql = sub.add_parser("sql", help="run a read-only SQL query on the working warehouse")
    sql.add_argument("query")
    sql.add_argument("--published", action="store_true", help="query the published file instead")

    sub.add_parser("dbt-docs", help="generate dbt docs (catalogue) into target/")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "validate":
        from werkmonitor.loader import validate_cli

        return validate_cli(args.path, lang=args.lang)
    if args.command == "generate":
        from werkmonitor.generate import generate_landing_zone

        summary = generate_landing_zone(
            args.out, scale=args.scale, seed=args.seed, first=args.first, last=args.last,
            defects=not args.clean, late=args.late,
        )
        if args.late:
            late = summary["defects"]["late_correction"]
            print(f"late correction written: {args.out / late}" if late
                  else "no late correction in this range")
            return 0
        print(f"demo landing zone written to {args.out}: {summary}")
        return 0
    if args.command == "run":
        from werkmonitor.runner import run_cli

        return run_cli(
            quarters=args.quarter,
            run_all=args.all,
            timings_path=args.timings,
            quiet=args.quiet,
            force=args.force,
        )
    if args.command == "status":
        from werkmonitor.status import status_cli

        return status_cli()
    if args.command == "sql":
        return _sql(args.query, published=args.published)
    if args.command == "dbt-docs":
        return _dbt_docs()
    return 2


def _sql(query: str, published: bool) -> int:
    import duckdb

    paths = settings()
    path = paths.publish_dir / "werkmonitor.duckdb" if published else paths.warehouse
    if not path.exists():
        print(f"no warehouse at {path}: run `make run` first", file=sys.stderr)
        return 1
    with duckdb.connect(str(path), read_only=True) as con:
        con.sql(query).show(max_rows=200, max_width=200)
    return 0


def _dbt_docs() -> int:
    import subprocess

    from werkmonitor.dbt import DBT_EXECUTABLE

    settings().export()
    return subprocess.call(
        [DBT_EXECUTABLE, "docs", "generate", "--profiles-dir", str(REPO_ROOT / "dbt_project")],
        cwd=REPO_ROOT,
        env={**os.environ},
    )


if __name__ == "__main__":
    sys.exit(main())
