"""Small real warehouses for the quality tests: generated landing zone → loader → ``dbt build``.

No stand-in pipeline: the demo generator writes a tiny landing zone (scale
0.05, the real register, with its defects: quarantined rows, one file
rejected for a ``bsn`` column, organisations that miss a quarter), the real
loader loads it and the real dbt project builds it. A build takes a few
seconds of loading and one ``dbt build`` (unit tests excluded; they belong to
the dbt suite); each is built once per test run by its parameters, shared by
every file and xdist worker (``shared_build``), and tests that break
something work on a copy (``copy_warehouse``).
"""

from __future__ import annotations

import os
import pickle
import shutil
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Built:
    base: Path
    raw: Path
    warehouse: Path
    generated: dict


def dbt_build(warehouse: Path, target: Path) -> None:
    """``dbt build`` of every model, seed and data test against ``warehouse``.

    The same command line in this process (``dbt_inprocess``: the project
    parsed once per worker): a ``dbt`` subprocess paid ≈10 CPU s of start-up
    and full parse per build.
    """
    from dbt_inprocess import invoke

    invoke(warehouse, target, ("build", "--exclude", "test_type:unit"), drop_quarter_env=True,
           write_json=False)  # no artifact is read from target


def load_and_build(raw: Path, warehouse: Path, quarters: list[str], target: Path) -> None:
    from werkmonitor.loader import load_quarter

    for quarter in quarters:
        load_quarter(quarter, raw, warehouse)
    dbt_build(warehouse, target)


def generated_warehouse(tmp_path_factory, first: str = "2024Q2", last: str = "2024Q3",
                        scale: float = 0.05, seed: int = 42,
                        keep: tuple[str, ...] | None = None) -> Built:
    """A warehouse of the generated zone, built once per run for all test files and workers.

    ``keep`` limits the *last* quarter to those organisations (a coverage gap).
    The build is shared (``shared_build``): never write to it, copy it.
    """
    from shared_build import shared_dir

    from werkmonitor.generate import generate_landing_zone
    from werkmonitor.quarters import quarter_range

    def build(base: Path) -> None:
        raw = base / "raw"
        generated = generate_landing_zone(raw, scale=scale, seed=seed, first=first, last=last,
                                          defects=True)
        if keep is not None:
            for entry in sorted((raw / last).iterdir()):
                if entry.name.split("_")[0] not in keep:
                    (shutil.rmtree if entry.is_dir() else os.remove)(entry)
        warehouse = base / "warehouse" / "werkmonitor.duckdb"
        warehouse.parent.mkdir()
        load_and_build(raw, warehouse, [str(q) for q in quarter_range(first, last)],
                       base / "target")
        (base / "generated.pickle").write_bytes(pickle.dumps(generated))

    base = shared_dir(tmp_path_factory, "quality-wh", (first, last, scale, seed, keep), build)
    generated = pickle.loads((base / "generated.pickle").read_bytes())
    return Built(base, base / "raw", base / "warehouse" / "werkmonitor.duckdb", generated)


def copy_warehouse(template: Path, folder: Path) -> Path:
    """A private copy (tests that change tables must not touch the cached build)."""
    target = folder / "warehouse" / "werkmonitor.duckdb"
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(template, target)
    return target
