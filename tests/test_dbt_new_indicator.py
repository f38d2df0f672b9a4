"""Adding an indicator is one catalogue row: a made-up one reaches the mart.

A copy of the dbt project whose seeds/indicators.csv has one more row
(``ended_within_3_months``: population, condition, denominator, family) is
built against a copy of the small warehouse; the mart then holds the new
indicator in every breakdown the others have, counted by hand from
tests/dbt_dataset.py, and the Python catalogue lists it. No model or macro
is edited (docs/indicators.md, "Adding an indicator"); the disclosure
relations (``load_relations``) read its denominator from the same copy.
"""

from __future__ import annotations

import csv
import shutil

import dbt_fixtures
import pytest
from dbt_fixtures import query, run_dbt

from werkmonitor.catalogue import indicators as catalogue
from werkmonitor.config import REPO_ROOT

pytestmark = pytest.mark.slow

dbt_warehouse = dbt_fixtures.dbt_warehouse

NEW_ROW = {
    "indicator": "ended_within_3_months",
    "label_nl": "Beëindigd binnen 3 maanden",
    "label_en": "Ended within 3 months",
    "kind": "share",
    "family": "duration",
    "population": "running",
    "condition": "is_ended and end_month_since_start <= 3",
    "denominator": "ended",
    "trajectory_types": "",
    "applies_when": "",
    "numerator_nl": "beëindigde trajecten met de einddatum in maand 1-3 sinds de start",
    "denominator_nl": "beëindigde trajecten",
    "definition": "",
    "sort_order": "99",
}


@pytest.fixture(scope="module")
def project_with_new_indicator(tmp_path_factory):
    project = tmp_path_factory.mktemp("project")
    shutil.copy(REPO_ROOT / "dbt_project.yml", project)
    for folder in ("models", "dbt_project", "seeds"):
        shutil.copytree(REPO_ROOT / folder, project / folder,
                        ignore=shutil.ignore_patterns("target", "logs", "*.duckdb"))
    path = project / "seeds" / "indicators.csv"
    with open(path, encoding="utf-8", newline="") as handle:
        fields = next(csv.reader(handle))
    with open(path, "a", encoding="utf-8", newline="") as handle:
        csv.DictWriter(handle, fields, lineterminator="\n").writerow(NEW_ROW)
    return project


def test_a_new_catalogue_row_appears_in_the_mart(project_with_new_indicator, dbt_warehouse,
                                                 tmp_path):
    path = tmp_path / "werkmonitor.duckdb"
    shutil.copy(dbt_warehouse, path)
    run_dbt(path, tmp_path / "target", "build", "--exclude-resource-type", "unit_test",
            project_dir=project_with_new_indicator)
    rows = query(path, """
        select trajectory_type, numerator, denominator, indicator_label_nl, indicator_kind
        from marts.quarterly_indicators
        where quarter = '2024Q3' and level = 'national' and indicator = 'ended_within_3_months'
          and financing = 'ALL' and ips_scheme = 'ALL' and ips_phase = 'ALL'
        order by trajectory_type
    """)
    # E4 (IPS, 5 Jul -> 10 Aug: month 2) is the only row ending within 3 months
    label = NEW_ROW["label_nl"]
    assert rows == [
        ("ALL", 1, 15, label, "share"), ("IPS", 1, 4, label, "share"),
        ("JOBCOACHING", 0, 2, label, "share"), ("NAAR_WERK", 0, 2, label, "share"),
        ("OVERIG", 0, 2, label, "share"), ("WABZ", 0, 2, label, "share"),
        ("WERKFIT", 0, 3, label, "share"),
    ]
    # as many rows as its sibling with the same population and denominator
    same_breakdowns = query(path, """
        select indicator, count(*) from marts.quarterly_indicators
        where indicator in ('ended_within_3_months', 'ended_within_6_months')
        group by indicator order by indicator
    """)
    assert same_breakdowns[0][1] == same_breakdowns[1][1] > 100


def test_the_python_catalogue_lists_it(project_with_new_indicator):
    codes = [i.code for i in catalogue.family("duration", project_with_new_indicator / "seeds")]
    assert codes[-1] == "ended_within_3_months"


@pytest.fixture
def reports_read_the_copy(project_with_new_indicator, monkeypatch):
    """The report labels read the copied catalogue (``labels.indicators`` is cached)."""
    from werkmonitor.publish.reports import labels

    seeds = project_with_new_indicator / "seeds"
    labels.indicators.cache_clear()
    monkeypatch.setattr(labels, "catalogue", lambda: catalogue.indicators(seeds))
    yield labels
    labels.indicators.cache_clear()


def test_the_report_list_lists_it(reports_read_the_copy):
    labels = reports_read_the_copy
    # sort_order 99: after every indicator of the real catalogue
    assert [i.code for i in labels.indicators()][-1] == "ended_within_3_months"
    assert labels.label("ended_within_3_months") == NEW_ROW["label_nl"]
    assert "ended_within_3_months" not in labels.count_codes()  # a share, not a count
    assert [i.code for i in labels.family("duration")][-1] == "ended_within_3_months"


def test_the_suppression_relations_know_its_denominator(project_with_new_indicator):
    from werkmonitor.catalogue.relations import load_relations

    relations = load_relations(seeds_dir=project_with_new_indicator / "seeds")
    assert relations.denominators["ended_within_3_months"] == (("ended", 1.0),)
    # and nothing else moved: the real catalogue's shares keep theirs
    real = load_relations()
    assert {k: v for k, v in relations.denominators.items()
            if k != "ended_within_3_months"} == real.denominators
