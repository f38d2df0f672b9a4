"""The submission-format catalogue is the one source: every other copy agrees with it.

Read-only checks of the places that must follow ``catalogue/submission_format.yml``:
the spec's column tables, the raw DDL the loader creates, the loader's output
tables, the dbt source YAML and the GX schema suite. A failure names the copy
that drifted.
"""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest
import yaml
from submission_factory import check, make_submission

from werkmonitor import reference
from werkmonitor.catalogue import code_list, raw_ddl, submission_format
from werkmonitor.loader import ensure_schema

ROOT = Path(__file__).resolve().parents[1]
SHEETS = submission_format().sheets
REQUIRED_IN_SPEC = {
    "yes": "yes",
    "no": "no",
    "IPS only": "ips",
    "iff einddatum": "iff_end",
    "yes if the submission has IPS rows": "yes_if_ips",
}


def _spec_rows() -> dict[str, dict[str, tuple[str, str]]]:
    """sheet -> column -> (type, required) from the tables of submission-format.md."""
    text = (ROOT / "docs" / "spec" / "submission-format.md").read_text(encoding="utf-8")
    rows: dict[str, dict[str, tuple[str, str]]] = {}
    for part in re.split(r"^## Sheet `", text, flags=re.M)[1:]:
        sheet = part.split("`", 1)[0]
        for line in part.splitlines():
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if len(cells) >= 3 and re.fullmatch(r"[a-z_]+", cells[0]) and cells[0] != "column":
                rows.setdefault(sheet, {})[cells[0]] = (cells[1], cells[2])
    return rows


def test_catalogue_matches_the_spec_tables():
    spec = _spec_rows()
    assert set(spec) == set(SHEETS)
    for name, sheet in SHEETS.items():
        assert list(spec[name]) == list(sheet.column_names), name
        for column in sheet.columns:
            type_text, required = spec[name][column.name]
            assert REQUIRED_IN_SPEC[required] == column.required, (name, column.name)
            low = re.search(r"(\d+)\s*–|≥\s*(\d+)", type_text)
            high = re.search(r"–\s*(\d+)", type_text)
            if "chars" in type_text:
                assert column.max_length == int(high[1]), column.name
            else:
                assert column.min == (int(low[1] or low[2]) if low else None), column.name
                assert column.max == (int(high[1]) if high else None), column.name


def test_every_code_column_names_a_seed_with_codes():
    for sheet in SHEETS.values():
        for column in sheet.columns:
            assert (column.codes is not None) == (column.kind in ("code", "region"))
            if column.codes:
                assert code_list(column.codes), column.codes
    assert code_list("regions") == tuple(reference.regions())
    assert code_list("trajectory_types")[0] == "IPS"


def _table_columns(con, table: str) -> list[tuple[str, str]]:
    schema, name = table.split(".")
    return con.execute(
        "select column_name, data_type from information_schema.columns"
        " where table_schema = ? and table_name = ? order by ordinal_position",
        [schema, name],
    ).fetchall()


def test_raw_ddl_and_the_loader_schema_follow_the_catalogue(tmp_path):
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    ensure_schema(con)
    for name, sheet in SHEETS.items():
        expected = [(c, t.upper()) for c, t in sheet.raw_columns()]
        assert _table_columns(con, f"raw.{name}") == expected, name
    con.close()
    con = duckdb.connect()
    con.execute(raw_ddl())
    assert _table_columns(con, "raw.banen") == [
        (c, t.upper()) for c, t in SHEETS["banen"].raw_columns()
    ]


def test_loader_output_tables_have_the_catalogue_columns(tmp_path):
    result = check(make_submission(tmp_path))
    for name, sheet in SHEETS.items():
        table = getattr(result, name)
        assert table.column_names == [c for c, _ in sheet.raw_columns()][1:], name


def test_dbt_sources_list_the_catalogue_columns():
    path = ROOT / "models" / "staging" / "submissions" / "_submissions__sources.yml"
    source = yaml.safe_load(path.read_text(encoding="utf-8"))["sources"][0]
    assert source["schema"] == "raw"
    tables = {t["name"]: [c["name"] for c in t["columns"]] for t in source["tables"]}
    for name, sheet in SHEETS.items():
        assert tables[name] == [c for c, _ in sheet.raw_columns()], name


def _value_set(kwargs: dict) -> set:
    """A literal value set, or the suite parameter it names (quality.format_rules)."""
    value_set = kwargs["value_set"]
    if isinstance(value_set, dict) and "$PARAMETER" in value_set:
        from werkmonitor.quality.format_rules import format_parameters

        return set(format_parameters()[value_set["$PARAMETER"]])
    return set(value_set)


@pytest.mark.parametrize("sheet", list(SHEETS))
def test_gx_schema_suite_holds_the_catalogue_columns(sheet):
    suite = yaml.safe_load((ROOT / "expectations" / "00_schema.yml").read_text(encoding="utf-8"))
    present, typed = None, None
    for expectation in suite["expectations"]:
        gate = expectation["meta"]["gate"]
        if gate == f"raw.{sheet}.columns_present":
            present = _value_set(expectation["kwargs"])
        elif gate == f"raw.{sheet}.column_types":
            typed = _value_set(expectation["kwargs"])
    columns = SHEETS[sheet].raw_columns()
    assert present == {c for c, _ in columns}
    assert {f"{c} {t.upper()}" for c, t in columns} <= typed
    # any other accepted type is only a wider integer for an integer column
    integer_columns = {c for c, t in columns if t == "integer"}
    for entry in typed - {f"{c} {t.upper()}" for c, t in columns}:
        column, type_ = entry.split(" ")
        assert column in integer_columns and type_ == "BIGINT", entry



STAGING = {"trajecten": "stg_submissions__trajectories", "banen": "stg_submissions__jobs",
           "organisatie": "stg_submissions__organisation_statements"}


@pytest.mark.parametrize("sheet", list(SHEETS))
def test_staging_reads_every_catalogue_column_once(sheet):
    """The staging model renames each raw column of the sheet exactly once (its
    select list is the one place Dutch names become English ones): a column
    added to the catalogue and the raw DDL but not to staging fails here."""
    path = ROOT / "models" / "staging" / "submissions" / f"{STAGING[sheet]}.sql"
    select_list = path.read_text(encoding="utf-8").split("select", 2)[2].split("from source")[0]
    # each line: the raw column, bare or as the first argument (cast(x as ...), upper(x))
    read = re.findall(r"^\s*(?:\w+\()?(\w+)", select_list, flags=re.M)
    expected = [c for c, _ in SHEETS[sheet].raw_columns()]  # (with the loader's own columns)
    assert sorted(read) == sorted(expected)
