"""The dbt build's two saved costs: seeds reloaded only when changed, the partial parse
kept for any warehouse path (``seed_loads.py``, ``dbt.py``)."""

from __future__ import annotations

import pprint

import duckdb
import pytest

from werkmonitor import dbt as wdbt
from werkmonitor.seed_loads import record_seed_loads, unchanged_seeds


def _load(warehouse, name, rows):
    with duckdb.connect(str(warehouse)) as con:
        con.execute("create schema if not exists reference")
        con.execute(f"create or replace table reference.{name} (code varchar, label varchar)")
        con.executemany(f"insert into reference.{name} values (?, ?)", rows)


@pytest.fixture
def seeded(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "regions.csv").write_text("code,label\nR01,Noord\nR02,Zuid\n")
    (seeds / "phases.csv").write_text("code,label\nP1,start\n")
    warehouse = tmp_path / "werkmonitor.duckdb"
    _load(warehouse, "regions", [("R01", "Noord"), ("R02", "Zuid")])
    _load(warehouse, "phases", [("P1", "start")])
    return seeds, warehouse


def test_nothing_is_skipped_before_a_build_recorded_it(seeded):
    seeds, warehouse = seeded
    assert unchanged_seeds(warehouse, seeds) == []
    assert unchanged_seeds(warehouse.parent / "absent.duckdb", seeds) == []


def test_recorded_seeds_are_skipped_until_file_or_table_changes(seeded):
    seeds, warehouse = seeded
    record_seed_loads(warehouse, ["regions", "phases", "not_a_seed"], seeds)
    assert unchanged_seeds(warehouse, seeds) == ["phases", "regions"]

    (seeds / "regions.csv").write_text("code,label\nR01,Noord\nR02,Zuid\nR03,Oost\n")
    assert unchanged_seeds(warehouse, seeds) == ["phases"]  # the file changed

    _load(warehouse, "phases", [("P1", "begin")])  # someone altered the table
    assert unchanged_seeds(warehouse, seeds) == []

    record_seed_loads(warehouse, ["phases"], seeds)
    with duckdb.connect(str(warehouse)) as con:
        con.execute("drop table reference.phases")
    assert unchanged_seeds(warehouse, seeds) == []  # a dropped table is reloaded


def test_duplicate_rows_count_in_the_table_hash(seeded):
    seeds, warehouse = seeded
    record_seed_loads(warehouse, ["regions"], seeds)
    _load(warehouse, "regions", [("R01", "Noord"), ("R02", "Zuid"), ("R02", "Zuid"),
                                 ("R02", "Zuid")])
    assert unchanged_seeds(warehouse, seeds) == []


@pytest.mark.parametrize("path", ["/data/werkmonitor.duckdb", "/tmp/x y/wh.duckdb"])
def test_profile_hash_is_dbts_own(path):
    """The hash dbt stores in its partial parse, computed by dbt-duckdb's credentials."""
    from dbt.adapters.duckdb.credentials import DuckDBCredentials
    from dbt.artifacts.resources.base import FileHash

    credentials = DuckDBCredentials.from_dict({"path": path, "schema": "main"})
    expected = FileHash.from_contents(pprint.pformat(sorted(credentials.connection_info())))
    assert wdbt.profile_hash(path) == expected.checksum


def test_partial_parse_is_rekeyed_only_for_a_warehouse_of_the_same_name(tmp_path, monkeypatch):
    import msgpack

    parsed_for = "/parse/time/werkmonitor.duckdb"
    state = {"state_check": {"profile_hash": {"name": "sha256",
                                              "checksum": wdbt.profile_hash(parsed_for)}},
             "nodes": {"model.x": {"database": "werkmonitor"}}}
    monkeypatch.setattr(wdbt, "TARGET_DIR", tmp_path)
    monkeypatch.setattr(wdbt, "PARSED_FOR", tmp_path / "partial_parse.warehouse")
    (tmp_path / wdbt.PARTIAL_PARSE).write_bytes(msgpack.packb(state))
    (tmp_path / "partial_parse.warehouse").write_text(parsed_for)

    other = tmp_path / "elders" / "werkmonitor.duckdb"
    rekeyed = msgpack.unpackb(wdbt.rekeyed_partial_parse(other))
    assert rekeyed["state_check"]["profile_hash"]["checksum"] == wdbt.profile_hash(str(other))
    assert rekeyed["nodes"] == state["nodes"]
    assert wdbt.rekeyed_partial_parse(tmp_path / "wh.duckdb") is None  # another database name

    state["state_check"]["profile_hash"]["checksum"] = "made by another dbt"
    (tmp_path / wdbt.PARTIAL_PARSE).write_bytes(msgpack.packb(state))
    assert wdbt.rekeyed_partial_parse(other) is None  # not reproduced: full parse, never wrong
