"""Which dbt seeds a build can leave out: the ones whose file and table are as last loaded.

Every ``dbt build`` used to reload all 16 seeds (≈4 CPU s of a one-quarter
run: 16 nodes, their test, their Dagster events) although reference data
changes a few times a year. After a successful build the pipeline records, per
seed, a hash of its CSV with the seed configuration (``dbt_project.yml`` and
``seeds/*.yml``: column types) and a hash of the table's content; the next
build excludes a seed only when both are unchanged, so an edited seed file, a
changed column type, or a table that someone altered or dropped is reloaded.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from werkmonitor.changes import STATE_DDL  # orchestration.seed_loads beside quarter_builds
from werkmonitor.config import DBT_PROJECT_DIR, SEEDS_DIR

SCHEMA = "reference"  # +schema of the seeds in dbt_project.yml


def seed_files(seeds_dir: Path = SEEDS_DIR) -> dict[str, Path]:
    return {path.stem: path for path in sorted(seeds_dir.glob("*.csv"))}


def file_hash(path: Path) -> str:
    """The seed's CSV together with the configuration that decides its table's types."""
    digest = hashlib.sha256(path.read_bytes())
    configs = [DBT_PROJECT_DIR / "dbt_project.yml", *sorted(path.parent.glob("*.yml"))]
    for config in configs:
        if config.exists():
            digest.update(config.read_bytes())
    return digest.hexdigest()[:16]


def table_hashes(con, seeds) -> dict[str, str]:
    """Row count and an order-independent sum of row hashes, per existing seed table."""
    existing = {
        name for (name,) in con.execute(
            "select table_name from duckdb_tables() where schema_name = ?", [SCHEMA]
        ).fetchall()
    }
    hashes = {}
    for seed in seeds:
        if seed in existing:
            count, total = con.execute(
                f'select count(*), sum(hash(t)::hugeint) from {SCHEMA}."{seed}" t'
            ).fetchone()
            hashes[seed] = f"{count}:{total}"
    return hashes


def unchanged_seeds(warehouse: Path, seeds_dir: Path = SEEDS_DIR) -> list[str]:
    """Seeds whose file and table equal what the last successful build recorded."""
    import duckdb

    if not Path(warehouse).exists():
        return []
    files = seed_files(seeds_dir)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        has_record = con.execute(
            "select count(*) from duckdb_tables()"
            " where schema_name = 'orchestration' and table_name = 'seed_loads'"
        ).fetchone()[0]
        if not has_record:
            return []
        recorded = {
            seed: (file, table) for seed, file, table in con.execute(
                "select seed, file_hash, table_hash from orchestration.seed_loads"
            ).fetchall()
        }
        tables = table_hashes(con, files)
    return sorted(
        seed for seed, path in files.items()
        if seed in tables and recorded.get(seed) == (file_hash(path), tables[seed])
    )


def record_seed_loads(warehouse: Path, seeds, seeds_dir: Path = SEEDS_DIR) -> None:
    """After a successful build: remember the seeds it loaded, as loaded."""
    import duckdb

    files = seed_files(seeds_dir)
    seeds = [seed for seed in seeds if seed in files]
    if not seeds:
        return
    with duckdb.connect(str(warehouse)) as con:
        con.execute(STATE_DDL)
        tables = table_hashes(con, seeds)
        for seed in seeds:
            con.execute(
                "insert or replace into orchestration.seed_loads"
                " values (?, ?, ?, current_timestamp)",
                [seed, file_hash(files[seed]), tables.get(seed)],
            )
