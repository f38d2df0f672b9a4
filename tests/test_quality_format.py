"""The raw suites and the submission format say the same thing.

The format (the loader's catalogue) is the one place for the raw tables'
columns, types and bounds; the suites take them as parameters. These tests
fail when a suite writes a raw column list or a bound by hand that disagrees
with the catalogue, when a catalogue bound has no gate, or when the schema
suite's parameters are not what the raw DDL creates.
"""

from __future__ import annotations

import duckdb
import pytest
import yaml

from werkmonitor.config import EXPECTATIONS_DIR, SEEDS_DIR
from werkmonitor.quality.format_rules import (
    RAW_TABLES,
    create_raw_tables,
    format_columns,
    raw_column_types,
)
from werkmonitor.quality.parameters import suite_parameters
from werkmonitor.quality.policy import load_completeness_policy

RAW_SUITES = {"trajecten": "raw_trajecten.yml", "banen": "raw_banen.yml",
              "organisatie": "raw_organisatie.yml"}


@pytest.fixture(scope="module")
def params():
    return suite_parameters(SEEDS_DIR, load_completeness_policy())


def _resolve(value, params):
    if isinstance(value, dict) and "$PARAMETER" in value:
        return params[value["$PARAMETER"]]
    return value


def _schema_expectations():
    suite = yaml.safe_load((EXPECTATIONS_DIR / "00_schema.yml").read_text(encoding="utf-8"))
    return suite["expectations"]


def test_schema_suite_holds_raw_tables_to_the_catalogue_ddl(params):
    """Every raw table: one presence and one type rule, resolving to the DDL's columns."""
    ddl = duckdb.connect()
    try:
        create_raw_tables(ddl)
        created = {
            table: [f"{c} {t.upper()}" for c, t in ddl.execute(
                "select column_name, data_type from information_schema.columns where "
                "table_schema || '.' || table_name = ? order by ordinal_position", [table]
            ).fetchall()]
            for table in RAW_TABLES
        }
    finally:
        ddl.close()
    for table in RAW_TABLES:
        rules = [e for e in _schema_expectations()
                 if e["kwargs"].get("row_condition", {}).get("parameter") == table]
        present = [e for e in rules if e["kwargs"]["column"] == "column_name"]
        types = [e for e in rules if e["kwargs"]["column"] == "column_type"]
        assert len(present) == 1 and len(types) == 1, table
        assert _resolve(present[0]["kwargs"]["value_set"], params) == [
            ct.split(" ")[0] for ct in created[table]], table
        assert _resolve(types[0]["kwargs"]["value_set"], params) == created[table], table
        assert list(raw_column_types()[table]) == created[table]


def test_every_catalogue_bound_has_a_gate_with_that_bound(params):
    for sheet, columns in format_columns().items():
        suite = yaml.safe_load((EXPECTATIONS_DIR / RAW_SUITES[sheet]).read_text(encoding="utf-8"))
        for column in columns:
            for bound, kwarg, expectation in (
                ("min", "min_value", "expect_column_values_to_be_between"),
                ("max", "max_value", "expect_column_values_to_be_between"),
                ("max_length", "max_value", "expect_column_value_lengths_to_be_between"),
            ):
                if column[bound] is None:
                    continue
                rules = [e for e in suite["expectations"] if e["type"] == expectation
                         and e["kwargs"].get("column") == column["name"]]
                assert rules, f"{sheet}.{column['name']}: no gate for its {bound}"
                for rule in rules:
                    written = rule["kwargs"].get(kwarg)
                    assert isinstance(written, dict), (
                        f"{sheet}.{column['name']}: {kwarg} written by hand ({written}); "
                        "take it from the format as a parameter")
                    assert _resolve(written, params) == column[bound]


def test_no_raw_suite_writes_a_bound_by_hand():
    """Bounds on raw columns come from the format; only structural limits stay literal."""
    # a traject_id length of at least 1 ("not empty") is not a bound of the format
    literal_ok = {("raw_trajecten.yml", "traject_id", "min_value")}
    for name in RAW_SUITES.values():
        suite = yaml.safe_load((EXPECTATIONS_DIR / name).read_text(encoding="utf-8"))
        for rule in suite["expectations"]:
            for kwarg in ("min_value", "max_value"):
                value = rule["kwargs"].get(kwarg)
                if value is None or (name, rule["kwargs"].get("column"), kwarg) in literal_ok:
                    continue
                assert isinstance(value, dict), (name, rule["meta"]["gate"], kwarg, value)


def test_bounds_as_the_format_defines_them(params):
    """The values the loader rejects rows for (docs/loader.md): hours 0–80, wage value 0–100."""
    assert (params["banen_uren_per_week_min"], params["banen_uren_per_week_max"]) == (0, 80)
    assert (params["banen_loonwaarde_pct_min"], params["banen_loonwaarde_pct_max"]) == (0, 100)
    assert params["banen_baan_nr_min"] == 1
    assert params["trajecten_traject_id_max_length"] == 64
