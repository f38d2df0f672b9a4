"""The indicator catalogue (seeds/indicators.csv) read as dataclasses."""

from __future__ import annotations

import shutil

import pytest

from werkmonitor.catalogue import indicators as catalogue
from werkmonitor.config import SEEDS_DIR


def test_every_indicator_has_a_family_and_report_order():
    rows = catalogue.indicators()
    assert [i.sort_order for i in rows] == sorted(i.sort_order for i in rows)
    assert {i.family for i in rows} == set(catalogue.FAMILIES)
    assert [i.code for i in catalogue.family("duration")] == [
        "ended_within_6_months", "ended_within_12_months", "ended_before_term_without_result",
    ]


def test_denominators_and_applicability():
    by_code = catalogue.by_code()
    assert by_code["running"].denominator is None and by_code["running"].is_count
    assert by_code["job_started"].denominator_terms == ("running", "paid_work")
    assert by_code["clients_per_fte"].applies_to == ("IPS",)
    assert by_code["clients_per_fte"].applies_when is not None
    assert by_code["employment_gt_12_months"].applies_to == ("JOBCOACHING", "ALL")
    assert by_code["ended_before_term_without_result"].applies_to == ("IPS",)
    assert "ALL" in by_code["ended_within_6_months"].applies_to
    assert by_code["orientation"].population == "orientation"
    assert [p.code for p in catalogue.populations()] == ["orientation", "running", "jobcoaching"]


def test_a_broken_row_is_named(tmp_path):
    for seed in SEEDS_DIR.glob("*.csv"):
        shutil.copy(seed, tmp_path / seed.name)
    path = tmp_path / "indicators.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(",share,outcomes,running,has_paid_work,running,",
                                 ",share,outcomes,running,has_paid_work,runing,", 1),
                    encoding="utf-8")
    expected = r"indicator paid_work: denominator uses unknown \['runing'\]"
    with pytest.raises(ValueError, match=expected):
        catalogue.indicators(tmp_path)
