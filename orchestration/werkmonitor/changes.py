"""What changed since the last build: the one place the CLI and the sensor ask.

* A landing-zone file is *pending* when its content hash (the loader's own
  ``content_hash``) is not in ``audit.submissions`` for that path: touching or
  copying a file back changes nothing, a new or corrected file does.
* The *reference fingerprint* hashes what every quarter is built from besides
  the submissions: seeds, dbt models/macros/tests, GX suites and policy, the
  publication policy and catalogue.
* Each quarter that was built and published records its *data fingerprint*
  (every loaded submission of that quarter and the ones before it: the
  comparison columns read Q-1, cohorts and year-to-date read all earlier
  quarters) and the reference fingerprint in ``orchestration.quarter_builds``.
  A quarter is up to date when nothing is pending up to it and both recorded
  fingerprints equal today's.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from werkmonitor.config import REPO_ROOT
from werkmonitor.quarters import Quarter

REFERENCE_GLOBS = (
    "seeds/**/*.csv",
    "models/**/*",
    "dbt_project/**/*",
    "dbt_project.yml",
    "expectations/**/*",
    "orchestration/werkmonitor/publish/**/*.yml",
    "orchestration/werkmonitor/catalogue/**/*.yml",
)
STATE_DDL = """
create schema if not exists orchestration;
create table if not exists orchestration.quarter_builds (
    quarter varchar primary key,
    data_fingerprint varchar,
    reference_fingerprint varchar,
    outcome varchar,
    run_id varchar,
    recorded_at timestamp
);
create table if not exists orchestration.seed_loads (
    seed varchar primary key,
    file_hash varchar,
    table_hash varchar,
    loaded_at timestamp
);
"""


def reference_fingerprint(root: Path = REPO_ROOT) -> str:
    digest = hashlib.sha256()
    files = sorted({p for pattern in REFERENCE_GLOBS for p in root.glob(pattern) if p.is_file()})
    for path in files:
        digest.update(f"{path.relative_to(root)}\0".encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:16]


def landing_files(raw_dir: Path, quarter: str) -> list[Path]:
    """The submissions of a quarter folder, as the loader sees them."""
    from werkmonitor.loader.files import is_hidden

    folder = Path(raw_dir) / quarter
    if not folder.is_dir():
        return []
    return sorted((p for p in folder.iterdir() if not is_hidden(p)), key=lambda p: p.name)


def landing_hashes(raw_dir: Path, quarters: Iterable[str]) -> dict[str, dict[str, str]]:
    """Quarter → {``<Q>/<file>``: content hash} of the landing zone."""
    from werkmonitor.loader.files import content_hash  # the loader's own definition

    return {
        q: {f"{q}/{p.name}": content_hash(p) for p in landing_files(raw_dir, q)} for q in quarters
    }


@dataclass
class WarehouseState:
    """What the working warehouse has loaded and built, read in one connection."""

    loaded: set[tuple[str, str]] = field(default_factory=set)  # (file_path, content_hash)
    by_quarter: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    # quarter → (data fingerprint, reference fingerprint, outcome)
    builds: dict[str, tuple[str, str, str]] = field(default_factory=dict)

    def data_fingerprint(self, quarter: str) -> str:
        upto = Quarter.parse(quarter)
        rows = sorted(
            row for q, rows in self.by_quarter.items() if Quarter.parse(q) <= upto for row in rows
        )
        return hashlib.sha256(repr(rows).encode()).hexdigest()[:16]


def read_state(warehouse: Path) -> WarehouseState:
    """Read-only; an absent warehouse (or one without the tables) has loaded nothing."""
    import duckdb

    state = WarehouseState()
    if not Path(warehouse).exists():
        return state
    with duckdb.connect(str(warehouse), read_only=True) as con:
        tables = {
            f"{s}.{t}"
            for s, t in con.execute(
                "select schema_name, table_name from duckdb_tables()"
            ).fetchall()
        }
        if "audit.submissions" in tables:
            for quarter, path, digest in con.execute(
                "select quarter, file_path, content_hash from audit.submissions"
            ).fetchall():
                state.loaded.add((path, digest))
                state.by_quarter.setdefault(quarter, []).append((path, digest))
        if "orchestration.quarter_builds" in tables:
            for quarter, data, ref, outcome in con.execute(
                "select quarter, data_fingerprint, reference_fingerprint, outcome"
                " from orchestration.quarter_builds"
            ).fetchall():
                state.builds[quarter] = (data, ref, outcome)
    return state


def pending_files(raw_dir: Path, state: WarehouseState, quarters: Iterable[str]) -> dict[str, list]:
    """Quarter → files that are new or changed compared with ``audit.submissions``."""
    pending: dict[str, list[str]] = {}
    for quarter, files in landing_hashes(raw_dir, quarters).items():
        new = sorted(path for path, digest in files.items() if (path, digest) not in state.loaded)
        if new:
            pending[quarter] = new
    return pending
