"""The tests' own copies of catalogue facts agree with the catalogue.

Some test modules write a code list, a column list or an indicator list
again on purpose: ``tests/oracle.py`` is an independent implementation of
the spec (sharing nothing with the warehouse code is the point of it),
``tests/publish_fixtures.py`` (archive) and ``tests/property_zones.py`` (tests)
build data by hand from literal lists so a fixture reads without the seeds.
A copy may stay; a copy that drifts from the catalogue may not, or a test
would pass against a format the product no longer has. Each copy is checked
here against its one source (seeds, ``seeds/indicators.csv``,
``submission_format.yml``, the marts' YAML); the owners' files are imported,
never edited.
"""

from __future__ import annotations

import re

import oracle
import property_zones
import publish_fixtures
import yaml

from werkmonitor.catalogue import indicators as catalogue
from werkmonitor.catalogue.format import submission_format
from werkmonitor.config import REPO_ROOT
from werkmonitor.reference import code_list, read_seed


def running_phases() -> tuple[str, ...]:
    return tuple(r["ips_phase"] for r in read_seed("ips_phases") if r["is_running"] == "true")


def shares_by_denominator() -> dict[str, str]:
    return {i.code: i.denominator for i in catalogue.indicators() if i.kind == "share"}


def bands(column: str) -> tuple[str, ...]:
    """The band codes the catalogue's conditions test ``column`` against, in order."""
    found = []
    for i in catalogue.indicators():
        found += re.findall(rf"{column} = '([a-z0-9_]+)'", i.condition)
    return tuple(found)


def mart_columns(model: str) -> list[str]:
    data = yaml.safe_load((REPO_ROOT / "models/marts/_marts__models.yml").read_text("utf-8"))
    (entry,) = [m for m in data["models"] if m["name"] == model]
    return [c["name"] for c in entry["columns"]]


# ---------------------------------------------------------------- tests/oracle.py


def test_oracle_code_lists_are_the_seeds():
    assert code_list("trajectory_types") == oracle.TYPES
    assert code_list("financing_types") == oracle.FINANCING


def test_oracle_activity_flags_are_the_catalogue_and_the_format():
    activities = {i.code for i in catalogue.family("activities")}
    assert set(oracle.FLAGS) == activities
    trajecten = submission_format().sheets["trajecten"].column_names
    assert set(oracle.FLAGS.values()) <= set(trajecten)


def test_oracle_day_bands_are_the_catalogue_bands():
    assert (*(band for band, _, _ in oracle.DAY_BANDS), "271_plus") == bands("first_job_day_band")
    # contiguous from day 0 (271_plus is the open band after the last)
    edges = [(low, high) for _, low, high in oracle.DAY_BANDS]
    assert edges[0][0] == 0
    assert all(b[0] == a[1] + 1 for a, b in zip(edges, edges[1:], strict=False))
    assert edges[-1][1] == 270


def test_oracle_share_denominators_are_the_catalogue_ones():
    """The oracle's lists of shares per denominator, plus the shares its
    ``_aggregate`` puts one by one (outflow, job_started, the IPS-only
    before-term share), give every share of the catalogue its denominator."""
    employment = " + ".join(oracle.EMPLOYMENT)
    expected = {
        **{code: "running" for code in (*oracle.SHARE_OF_RUNNING, "outflow")},
        "job_started": "running - paid_work",
        **{code: "paid_work" for code in oracle.SHARE_OF_PAID},
        **{code: "ended" for code in (*oracle.SHARE_OF_ENDED, "ended_before_term_without_result")},
        **{code: employment for code in oracle.EMPLOYMENT},
    }
    assert expected == shares_by_denominator()
    assert tuple(i.code for i in catalogue.family("employment")) == oracle.EMPLOYMENT


# ---------------------------------------------------------------- publish_fixtures.py (archive)


def test_publish_fixture_code_lists_are_the_seeds():
    fx = publish_fixtures
    assert tuple(fx.TYPES) == code_list("trajectory_types")
    assert len(fx.TYPE_WEIGHTS) == len(fx.TYPES)
    assert tuple(fx.FINANCING) == code_list("financing_types")
    assert tuple(fx.SCHEMES) == code_list("ips_schemes")
    assert tuple(fx.PHASES) == running_phases()
    assert tuple(fx.FIRST_JOB_BANDS) == bands("first_job_day_band")
    assert tuple(fx.EMPLOYMENT_BANDS) == bands("employment_band")


def test_publish_fixture_indicators_are_catalogue_indicators():
    fx = publish_fixtures
    by_code = catalogue.by_code()
    assert set(fx.SHARES) <= {c for c, i in by_code.items() if i.kind == "share"}
    assert set(fx.COUNTS) <= {c for c, i in by_code.items() if i.kind == "count"}
    # the fixture's denominator names follow the catalogue's denominators
    fixture_name = {"running": "running", "paid_work": "paid", "ended": "ended",
                    "running - paid_work": "not_paid", " + ".join(oracle.EMPLOYMENT): "emp_any"}
    for code, (_, denominator) in fx.SHARES.items():
        assert fixture_name[by_code[code].denominator] == denominator, code


def test_publish_fixture_columns_are_the_mart_columns():
    columns = mart_columns("quarterly_indicators")
    fixture = publish_fixtures.INDICATOR_COLUMNS
    # the mart's columns in the mart's order; indicator_kind (added by the
    # catalogue, round 3) is the one the fixture leaves out (publish does not
    # read it from the fixture: reported to archive, the fixture's owner)
    assert [c for c in columns if c in fixture] == fixture
    assert [c for c in columns if c not in fixture] == ["indicator_kind"]
    assert columns[: len(publish_fixtures.DIMS)] == publish_fixtures.DIMS
    assert columns[len(publish_fixtures.DIMS)] == "indicator"


# ---------------------------------------------------------------- property_zones.py (tests)


def test_property_zone_columns_are_the_format():
    sheets = submission_format().sheets
    assert tuple(property_zones.TRAJECT_COLUMNS) == sheets["trajecten"].column_names
    assert tuple(property_zones.BAAN_COLUMNS) == sheets["banen"].column_names
    assert tuple(property_zones.ORG_COLUMNS) == sheets["organisatie"].column_names
    assert property_zones.UNKNOWN_REGION not in property_zones.REGIONS
