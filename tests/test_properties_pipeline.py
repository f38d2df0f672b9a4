"""Property: any odd but valid landing zone goes through the whole pipeline and stays sound.

Hypothesis draws landing zones (``property_zones.zones``: two quarters, one to
four organisations of the real register, tiny and huge, no jobs, only
orientation rows, zero FTE, every row quarantined, corrections, an
organisation that stops delivering), and each goes through the real parts:
``werkmonitor.loader`` → ``dbt build`` → ``werkmonitor.publish.publish`` →
``render_reports`` for every quarter. Then:

* the run completes and the published file opens with its tables;
* every share lies in [0, 1] (``kind = share`` in ``seeds/indicators.csv``),
  except ``job_started``, whose denominator (running − paid work) can be
  smaller than its numerator by the spec (docs/quality.md);
* national numerators and denominators equal the sum over organisations;
* re-running dbt on the same warehouse leaves every mart byte-identical.

One warehouse build per zone serves all four. Every chart must draw all
zeros (issue 11: one all-zero line chart stopped four quarters of reports):
the explicit example has no job, no activity and nothing ended, and for every
zone the reports are also rendered from a copy of its published file with
every figure visible and 0 (suppression hides most zeros of a small zone).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from datetime import date
from pathlib import Path

import duckdb
import pytest
from conftest import hypothesis_budget
from dbt_inprocess import invoke
from hypothesis import example, given, settings
from property_zones import Submission, Zone, write, zones

from werkmonitor import reference

SHARES = {row["indicator"] for row in reference.read_seed("indicators")
          if row["kind"] == "share"} - {"job_started"}


def _all_zero_zone() -> Zone:
    """Three organisations, 30 approved IPS trajectories each, no job, no activity, no end:
    every paid-work share is 0 and large enough to be published."""
    subs = []
    for org, region in (("ORG01", "AM01"), ("ORG07", "AM18"), ("ORG12", "AM22")):
        rows = [{
            "traject_id": f"Z{n:03d}", "arbeidsmarktregio": region, "trajecttype": "IPS",
            "ips_regeling": "EPA", "fase": "GOEDGEKEURD", "financiering": "UWV",
            "financiering_detail": "", "startdatum": date(2023, 11, 1), "einddatum": None,
            "uitstroomreden": "", "opleiding": "nee", "proefplaatsing": "nee",
            "vrijwilligerswerk": "nee", "dagbesteding": "nee",
        } for n in range(30)]
        subs += [Submission(org, q, [dict(r) for r in rows], [], 2.0)
                 for q in ("2024Q2", "2024Q3")]
    return Zone(["2024Q2", "2024Q3"], subs)


def _quarantined_with_fte_zone() -> Zone:
    """Found by this suite: ORG30's only version has every row quarantined but an FTE;
    ORG38 delivers with FTE 0. No organisation row for ORG30, so its FTE must not reach
    the national clients-per-FTE denominator either."""
    def rows(n: int, region: str) -> list[dict]:
        return [{
            "traject_id": f"Q{k:03d}", "arbeidsmarktregio": region, "trajecttype": "IPS",
            "ips_regeling": "CMD", "fase": "AANGEVRAAGD", "financiering": "GEMEENTE",
            "financiering_detail": "", "startdatum": date(2024, 1, 15), "einddatum": None,
            "uitstroomreden": "", "opleiding": "nee", "proefplaatsing": "nee",
            "vrijwilligerswerk": "nee", "dagbesteding": "ja",
        } for k in range(n)]
    return Zone(["2024Q2", "2024Q3"], [
        Submission("ORG30", "2024Q2", rows(8, "AM99"), [], 0.1, quarantined=8),
        Submission("ORG38", "2024Q2", rows(7, "AM05"), [], 0.0),
        Submission("ORG38", "2024Q3", rows(8, "AM05"), [], 0.0),
    ])


def _marts_digest(warehouse: Path) -> dict[str, str]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        tables = [t for (t,) in con.execute(
            "select table_name from information_schema.tables where table_schema = 'marts' "
            "and table_type = 'BASE TABLE' order by 1").fetchall()]
        return {t: hashlib.sha256(repr(con.execute(
            f"select * from marts.{t} order by all").fetchall()).encode()).hexdigest()
            for t in tables}


def _shares_out_of_range(con) -> list[tuple]:
    return con.execute(
        """
        select quarter, level, organisation_code, region_code, indicator, trajectory_type,
               numerator, denominator, value
        from marts.quarterly_indicators
        where list_contains($shares, indicator)
          and (value < 0 or value > 1 or numerator > denominator)
        limit 5
        """, {"shares": sorted(SHARES)}).fetchall()


def _national_not_sum_of_organisations(con) -> list[tuple]:
    return con.execute(
        """
        with nat as (
            select quarter, trajectory_type, financing, ips_scheme, ips_phase, indicator,
                   numerator, denominator
            from marts.quarterly_indicators where level = 'national'
        ), org as (
            select quarter, trajectory_type, financing, ips_scheme, ips_phase, indicator,
                   sum(numerator) as numerator, sum(denominator) as denominator
            from marts.quarterly_indicators where level = 'organisation' group by all
        )
        select * from nat full outer join org
            using (quarter, trajectory_type, financing, ips_scheme, ips_phase, indicator)
        where coalesce(nat.numerator, 0) <> coalesce(org.numerator, 0)
           or coalesce(nat.denominator, 0) <> coalesce(org.denominator, 0)
        limit 5
        """).fetchall()


def load_and_build(raw: Path, warehouse: Path, quarters: list[str], target: Path) -> None:
    """The loader, then ``dbt build`` of everything but the unit tests (as the pipeline).

    dbt runs in this process (``dbt_inprocess``): the same command line as
    ``quality_fixtures.load_and_build``, without a CLI start-up and a full
    parse for every zone.
    """
    from werkmonitor.loader import load_quarter

    for quarter in quarters:
        load_quarter(quarter, raw, warehouse)
    invoke(warehouse, target, ("build", "--exclude", "test_type:unit"), drop_quarter_env=True,
           write_json=False)  # no artifact is read from target


def _dbt_run_again(warehouse: Path, target: Path) -> None:
    invoke(warehouse, target, ("run",), drop_quarter_env=True, write_json=False)


def _all_zero_copy(publish_dir: Path, target: Path) -> Path:
    """The published file with every figure visible and 0: the shape every chart must draw.

    Suppression hides many zeros in a small zone, so the real file alone would
    seldom give a chart nothing but zeros; this copy always does.
    """
    import shutil

    shutil.copytree(publish_dir, target)
    with duckdb.connect(str(target / "werkmonitor.duckdb")) as con:
        con.execute("""
            update quarterly_indicators set is_suppressed = false, suppression_reason = null,
                numerator = 0, value = 0,
                denominator = case when denominator is null then null else 10 end,
                display_value = '0'
        """)
    return target


def _render_all(publish_dir: Path, quarters: list[str], warehouse: Path) -> None:
    from werkmonitor.publish import render_reports

    for quarter in quarters:
        outcome = render_reports(publish_dir, quarter, warehouse,
                                 organisations_dir=publish_dir.parent / "organisations")
        failed = getattr(outcome, "failed", None)
        assert not failed, f"{quarter}: reports failed: {failed}"


@settings(max_examples=hypothesis_budget("zones"))
@given(zone=zones())
@example(zone=_all_zero_zone())
@example(zone=_quarantined_with_fte_zone())
def test_any_valid_zone_runs_end_to_end_and_stays_sound(zone):
    from werkmonitor.publish import PublishError, publish

    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        for sub in zone.submissions:
            write(sub, base / "raw" / sub.quarter)
        warehouse = base / "warehouse" / "werkmonitor.duckdb"
        warehouse.parent.mkdir()
        load_and_build(base / "raw", warehouse, zone.quarters, base / "target")
        before = _marts_digest(warehouse)
        with duckdb.connect(str(warehouse), read_only=True) as con:
            assert _shares_out_of_range(con) == []
            assert _national_not_sum_of_organisations(con) == []

        with duckdb.connect(str(warehouse), read_only=True) as con:
            quarters = [q for (q,) in con.execute(
                "select distinct quarter from marts.quarterly_indicators order by 1").fetchall()]
        if not quarters:
            # every row quarantined everywhere: there is nothing to publish, and publish says so
            with pytest.raises(PublishError, match="nothing to publish"):
                publish(warehouse, base / "published")
            return
        publish(warehouse, base / "published")
        with duckdb.connect(str(base / "published" / "werkmonitor.duckdb"), read_only=True) as pub:
            tables = {t for (t,) in pub.execute("select table_name from information_schema.tables"
                                                ).fetchall()}
            assert {"quarterly_indicators", "region_completeness", "publication"} <= tables
            levels = {lv for (lv,) in pub.execute(
                "select distinct level from quarterly_indicators").fetchall()}
        _render_all(base / "published", quarters, warehouse)
        if os.environ.get("WERKMONITOR_SKIP_ALL_ZERO_REPORTS") != "1":  # local triage only
            zeros = _all_zero_copy(base / "published", base / "all_zero")
            _render_all(zeros, quarters, warehouse)

        _dbt_run_again(warehouse, base / "target")
        assert _marts_digest(warehouse) == before
        # the public tier holds national and region levels only (COMMON.md contract 4)
        assert levels <= {"national", "region"}
