"""The published DuckDB file: aggregates only, suppressed, labelled, traceable."""

from __future__ import annotations

import struct

import duckdb
import pytest
from publish_fixtures import ORGS, QUARTERS, build_warehouse, submissions

from werkmonitor.publish import PublishError, publish
from werkmonitor.publish.build import PUBLISHED_NAME
from werkmonitor.publish.disclosure.labels import KEY

GRAIN = KEY  # one row per published cell: the key the disclosure code uses


@pytest.fixture(scope="session")
def published(tmp_path_factory):
    base = tmp_path_factory.mktemp("publish-file")
    warehouse = build_warehouse(base / "warehouse.duckdb")
    result = publish(warehouse, base / "published")
    return warehouse, result


@pytest.fixture()
def pub(published):
    con = duckdb.connect(str(published[1].path), read_only=True)
    yield con
    con.close()


def test_result_describes_the_file(published):
    _, result = published
    assert result.path.name == PUBLISHED_NAME and result.path.exists()
    assert result.quarters == QUARTERS
    assert result.republished_quarters == QUARTERS and result.carried_quarters == []
    assert result.gate_table_present is False
    assert result.tables["publication"] == len(submissions())
    assert result.suppressed_cells > 0
    assert result.duration_seconds > 0
    assert not list(result.path.parent.glob(".werkmonitor.duckdb.building-*"))


def test_storage_version_readable_by_duckdb_1_0(published):
    # DuckDB file header: 8-byte checksum, magic "DUCK", then the storage
    # version number; 64 is the format of DuckDB 1.0 (v1.0.0).
    header = published[1].path.read_bytes()[:20]
    assert header[8:12] == b"DUCK"
    assert struct.unpack("<Q", header[12:20])[0] == 64


def test_no_trajectory_or_job_level_data(published, pub):
    warehouse, _ = published
    tables = [r[0] for r in pub.execute("select table_name from duckdb_tables()").fetchall()]
    assert "quarterly_indicators" in tables and "publication" in tables
    assert not [t for t in tables if t.startswith("fct_")]
    columns = pub.execute(
        "select table_name, column_name, data_type from duckdb_columns() where not internal"
    ).fetchall()
    names = {c for _, c, _ in columns}
    for forbidden in (
        "traject_id",
        "baan_nr",
        "job_number",
        "submission_id",
        "trajectory_quarter_id",
        "source_row",
    ):
        assert forbidden not in names
    # No traject id from the working warehouse appears in any text column.
    wh = duckdb.connect(str(warehouse), read_only=True)
    ids = {
        r[0] for r in wh.execute("select traject_id from marts.fct_trajectory_quarters").fetchall()
    }
    # the public tier: national and region rows only, no organisation's figure,
    # and of those only the breakdowns published_breakdowns lists (all
    # national ones; at region level the policy's)
    listed = pub.execute("select * from published_breakdowns").fetchall()
    assert ("region", "IPS", "ips_scheme") not in listed
    assert ("national", "IPS", "ips_scheme") in listed
    # (and of the indicators published_indicators lists at that level)
    indicators = set(pub.execute("select level, indicator from published_indicators").fetchall())
    assert ("region", "running") in indicators and ("national", "outflow") in indicators
    assert ("region", "outflow") not in indicators
    per_breakdown = wh.execute(
        "select level, trajectory_type, case when financing <> 'ALL' then 'financing' "
        "when ips_scheme <> 'ALL' then 'ips_scheme' when ips_phase <> 'ALL' then 'ips_phase' "
        "else 'trajectory_type' end, indicator, count(*) from marts.quarterly_indicators "
        "where level <> 'organisation' group by all"
    ).fetchall()
    wh_rows = sum(
        n
        for lv, t, bd, ind, n in per_breakdown
        if (lv, t, bd) in set(listed) and (lv, ind) in indicators
    )
    assert wh_rows < sum(n for *_, n in per_breakdown)  # some region breakdowns are left out
    wh.close()
    for table, column, dtype in columns:
        if dtype == "VARCHAR":
            values = {
                r[0] for r in pub.execute(f'select distinct "{column}" from "{table}"').fetchall()
            }
            assert not values & ids, (table, column)
    # Every table is at or above the aggregate grain: one row per key.
    qi_rows, qi_keys = pub.execute(
        f"select count(*), count(distinct ({', '.join(GRAIN)})) from quarterly_indicators"
    ).fetchone()
    assert qi_rows == qi_keys == wh_rows
    for table in tables:
        n = pub.execute(f'select count(*) from "{table}"').fetchone()[0]
        assert n <= qi_rows, table


def test_no_small_cell_left_visible(pub):
    small = pub.execute("""
        select count(*) from quarterly_indicators
        where (numerator between 0.5 and 4.5)
           or (denominator is not null and denominator > 0 and denominator < 10
               and indicator not in ('clients_per_fte', 'avg_per_organisation'))
           or (previous_numerator between 0.5 and 4.5)
           or (like_for_like_numerator between 0.5 and 4.5)
           or (like_for_like_previous_numerator between 0.5 and 4.5)
    """).fetchone()[0]
    assert small == 0
    masked = pub.execute("""
        select display_value, count(*) from quarterly_indicators
        where is_suppressed group by all order by 1""").fetchall()
    assert dict(masked).keys() == {"<5", "x"}
    leaks = pub.execute("""
        select count(*) from quarterly_indicators
        where is_suppressed and (numerator is not null or value is not null
                                 or denominator is not null)""").fetchone()[0]
    assert leaks == 0
    ambition = pub.execute(
        "select count(*) from regional_ambition where started_year_to_date between 1 and 4"
    ).fetchone()[0]
    assert ambition == 0


def test_working_warehouse_stays_unsuppressed(published):
    warehouse, _ = published
    wh = duckdb.connect(str(warehouse), read_only=True)
    small = wh.execute(
        "select count(*) from marts.quarterly_indicators where numerator between 1 and 4"
    ).fetchone()[0]
    wh.close()
    assert small > 100


def test_complementary_cells_in_published_file(published, pub):
    # Within every financing group whose ALL cell is visible, never exactly one
    # non-zero member hidden (else ALL minus the visible members gives it back).
    # A hidden zero may stand alone: the parts of a small total are hidden
    # zeros included (breakdown_not_published), and reading a 0 gives nothing away.
    pub.execute(f"attach '{published[0]}' as wh (read_only)")
    bad = pub.execute("""
        with q as (
          select p.*, m.numerator as true_numerator
          from quarterly_indicators p join wh.marts.quarterly_indicators m
            using (quarter, level, trajectory_type, financing, ips_scheme, ips_phase, indicator)
          where p.region_code is not distinct from m.region_code
            and p.organisation_code is not distinct from m.organisation_code),
        g as (
          select quarter, level, coalesce(region_code, '') r, coalesce(organisation_code, '') o,
                 trajectory_type, ips_scheme, ips_phase, indicator,
                 sum(case when financing <> 'ALL' and is_suppressed and true_numerator <> 0
                     then 1 else 0 end) hidden,
                 bool_or(financing = 'ALL' and not is_suppressed) total_visible
          from q
          where indicator not in ('clients_per_fte', 'avg_per_organisation')
          group by all)
        select count(*) from g where hidden = 1 and total_visible""").fetchone()[0]
    assert bad == 0
    # Same for regions against national.
    bad_regions = pub.execute("""
        with n as (select * from quarterly_indicators where level = 'national'),
             r as (select quarter, trajectory_type, financing, ips_scheme, ips_phase, indicator,
                          sum(case when is_suppressed then 1 else 0 end) hidden
                   from quarterly_indicators where level = 'region' group by all)
        select count(*) from r join n using (quarter, trajectory_type, financing, ips_scheme,
                                             ips_phase, indicator)
        where r.hidden = 1 and not n.is_suppressed
          and n.indicator not in ('clients_per_fte', 'avg_per_organisation')""").fetchone()[0]
    assert bad_regions == 0


def test_visible_cells_keep_the_mart_values_and_labels(published, pub):
    warehouse, _ = published
    wh = duckdb.connect(str(warehouse), read_only=True)
    expected = wh.execute("""
        select numerator, value from marts.quarterly_indicators
        where quarter = '2024Q3' and level = 'national' and trajectory_type = 'ALL'
          and financing = 'ALL' and indicator = 'running'""").fetchone()
    wh.close()
    row = pub.execute("""
        select numerator, value, display_value, indicator_label_nl, trajectory_type_label_nl,
               financing_label_nl
        from quarterly_indicators
        where quarter = '2024Q3' and level = 'national' and trajectory_type = 'ALL'
          and financing = 'ALL' and indicator = 'running'""").fetchone()
    assert row[:2] == expected
    assert row[2] == f"{int(expected[0]):,}".replace(",", ".")
    assert row[3] == "Lopend" and row[5] == "Totaal"
    gemeente = pub.execute(
        "select distinct financing_label_nl from quarterly_indicators where financing = 'GEMEENTE'"
    ).fetchall()
    assert gemeente == [("Gemeente",)]
    marks = dict(
        pub.execute(
            "select region_code, mark from region_completeness where quarter = '2024Q2'"
        ).fetchall()
    )
    assert marks["AM24"] == "*" and marks["AM01"] == "**" and marks["AM18"] == ""
    assert marks["AM22"] == "*"


def test_publication_table_traces_submission_versions(published, pub):
    _, result = published
    rows = pub.execute("""
        select publication_id, quarter, organisation_code, file_name, content_hash, gate_status
        from publication order by quarter, organisation_code""").fetchall()
    subs = submissions().sort_values(["quarter", "organisation_code"])
    assert [(q, o, h) for _, q, o, _, h, _ in rows] == list(
        zip(subs["quarter"], subs["organisation_code"], subs["content_hash"], strict=True)
    )
    assert {r[0] for r in rows} == {result.publication_id}
    assert rows[0][3] == "ORG01_2024Q2.xlsx"
    assert {r[5] for r in rows} == {"not_checked"}
    assert "ORG06" not in {r[2] for r in rows if r[1] == "2024Q2"}
    assert set(ORGS) == {r[2] for r in rows if r[1] == "2024Q3"}


def test_gates_select_quarters_and_failed_quarters_keep_last_version(tmp_path):
    warehouse = build_warehouse(tmp_path / "wh.duckdb")
    out = tmp_path / "pub"
    first = publish(warehouse, out)
    assert first.quarters == QUARTERS
    # The gates now run: Q2 passed, Q3's latest run failed (an earlier one passed).
    build_warehouse(
        tmp_path / "wh.duckdb",
        gate_runs=[
            ("2024Q2", "2024-10-20 10:00", True),
            ("2024Q3", "2024-10-20 10:00", True),
            ("2024Q3", "2024-10-21 10:00", False),
        ],
    )
    second = publish(warehouse, out)
    assert second.republished_quarters == ["2024Q2"]
    assert second.carried_quarters == ["2024Q3"]
    assert second.skipped_quarters == {"2024Q3": "latest quality-gate run failed"}
    assert second.quarters == QUARTERS
    con = duckdb.connect(str(second.path), read_only=True)
    rows = dict(
        con.execute("select distinct quarter, quarter_publication_id from publication").fetchall()
    )
    gates = dict(con.execute("select distinct quarter, gate_status from publication").fetchall())
    n_q3 = con.execute(
        "select count(*) from quarterly_indicators where quarter = '2024Q3'"
    ).fetchone()[0]
    con.close()
    assert rows == {"2024Q2": second.publication_id, "2024Q3": first.publication_id}
    assert gates == {"2024Q2": "passed", "2024Q3": "not_checked"}
    assert n_q3 == first.tables["quarterly_indicators"] - (
        second.tables["quarterly_indicators"] - n_q3
    )
    # A fresh directory has nothing to carry over: only Q2 goes out.
    fresh = publish(warehouse, tmp_path / "fresh")
    assert fresh.quarters == ["2024Q2"]


def test_explicit_quarters_and_nothing_to_publish(tmp_path):
    warehouse = build_warehouse(
        tmp_path / "wh.duckdb", gate_runs=[("2024Q3", "2024-10-20 10:00", True)]
    )
    result = publish(warehouse, tmp_path / "pub", quarters=["2024q3"])
    assert result.quarters == ["2024Q3"]
    with pytest.raises(PublishError, match="2024Q2: no quality-gate run"):
        publish(warehouse, tmp_path / "other", quarters=["2024Q2"])
    with pytest.raises(PublishError, match="not found"):
        publish(tmp_path / "missing.duckdb", tmp_path / "other")
