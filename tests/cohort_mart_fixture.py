"""A small working warehouse with the cohort mart's table, for the public-tier tests."""

from __future__ import annotations

import duckdb


def cohort_mart_connection(regions: dict[str, str]) -> duckdb.DuckDBPyConnection:
    """In-memory ``marts.dim_regions`` (``regions``) and an empty ``marts.cohort_outcomes``."""
    con = duckdb.connect()
    con.execute("create schema marts")
    con.execute("create table marts.dim_regions (region_code varchar, region_name varchar)")
    con.executemany("insert into marts.dim_regions values (?, ?)", list(regions.items()))
    con.execute("""
        create table marts.cohort_outcomes (
            as_of_quarter varchar, level varchar, region_code varchar, trajectory_type varchar,
            financing varchar, ips_scheme varchar, start_cohort varchar, outcome varchar,
            month integer, at_risk integer, events integer, ended_without integer,
            censored integer, cumulative_share double, ci_lower double, ci_upper double)
    """)
    return con
