"""One GX batch for several quarters, taken apart per quarter (``quality/batch.py``).

Small hand-made frames and suites, validated by the real GX ``Validator``:
a failure in one quarter belongs to that quarter only (with its own row
numbers), uniqueness holds per quarter, and rules that cannot be split per
quarter are refused when the suite is registered. The same on a real
warehouse: ``test_quality_gates.py`` (two quarters together = each alone).
"""

from __future__ import annotations

import pandas as pd
import pytest
import yaml

from werkmonitor.config import EXPECTATIONS_DIR
from werkmonitor.quality.frames import QuarterData
from werkmonitor.quality.gx_run import Validator, run_name
from werkmonitor.quality.policy import load_completeness_policy
from werkmonitor.quality.suites import SuiteError, load_suite

POLICY = load_completeness_policy(EXPECTATIONS_DIR / "policy.yml")


def _suite(tmp_path, expectations, frame="raw_banen"):
    for number, exp in enumerate(expectations):
        exp.setdefault("meta", {}).update(
            gate=f"test.gate_{number}", severity="blocking", description_nl=f"regel {number}")
    path = tmp_path / "test_suite.yml"
    path.write_text(yaml.safe_dump({
        "name": "test_suite", "meta": {"target": "raw.test", "frame": frame,
                                       "attribute_by": ["organisation_code"]},
        "expectations": expectations}), encoding="utf-8")
    return load_suite(path)


def _validate(suite, frames: dict[str, pd.DataFrame], params=None):
    datas = [QuarterData(quarter=q, frames={suite.frame: f}) for q, f in frames.items()]
    return Validator([suite], None).validate(datas, params or {}, POLICY)


def test_a_failure_belongs_to_its_own_quarter_with_its_own_rows(tmp_path):
    suite = _suite(tmp_path, [
        {"type": "expect_column_values_to_be_in_set",
         "kwargs": {"column": "code", "value_set": ["A", "B"]}},
        {"type": "expect_column_pair_values_to_be_equal",
         "kwargs": {"column_A": "code", "column_B": "code_again"}},
    ])
    frames = {
        "2024Q2": pd.DataFrame({"organisation_code": ["ORG01", "ORG02", "ORG03"],
                                "code": ["A", "B", "A"], "code_again": ["A", "B", "A"]}),
        "2024Q3": pd.DataFrame({"organisation_code": ["ORG01", "ORG02", "ORG03"],
                                "code": ["A", "X", "B"], "code_again": ["A", "X", "A"]}),
    }
    results = _validate(suite, frames)
    assert [r.success for r in results["2024Q2"]] == [True, True]
    in_set, pair = results["2024Q3"]
    assert not in_set.success and in_set.unexpected_count == 1
    assert in_set.metadata["by_owner"] == {"ORG02": 1}
    assert in_set.metadata["rows"] == [{"organisation_code": "ORG02", "code": "X",
                                        "code_again": "X"}]
    assert not pair.success and pair.metadata["by_owner"] == {"ORG03": 1}
    # the same gate result as when the quarter runs alone
    assert _validate(suite, {"2024Q3": frames["2024Q3"]})["2024Q3"] == results["2024Q3"]


def test_uniqueness_holds_per_quarter(tmp_path):
    suite = _suite(tmp_path, [
        {"type": "expect_column_values_to_be_unique", "kwargs": {"column": "traject_id"}},
        {"type": "expect_compound_columns_to_be_unique",
         "kwargs": {"column_list": ["traject_id", "baan_nr"]}},
    ])
    frames = {  # T1 in both quarters is no duplicate; T2 twice in 2024Q3 is
        "2024Q2": pd.DataFrame({"organisation_code": ["ORG01", "ORG01"],
                                "traject_id": ["T1", None], "baan_nr": [1, None]}),
        "2024Q3": pd.DataFrame({"organisation_code": ["ORG01", "ORG02", "ORG02", "ORG03", "ORG03"],
                                "traject_id": ["T1", "T2", "T2", None, None],
                                "baan_nr": [1, 1, 2, None, None]}),
    }
    results = _validate(suite, frames)
    assert [r.success for r in results["2024Q2"]] == [True, True]
    unique, compound = results["2024Q3"]
    assert not unique.success and unique.unexpected_count == 2
    assert unique.metadata["by_owner"] == {"ORG02": 2}
    # (T2, 1) and (T2, 2) differ; rows missing every key value are skipped, as GX does alone
    assert compound.success
    assert unique.metadata["expectation"] == "expect_column_values_to_be_unique"


@pytest.mark.parametrize("exp", [
    {"type": "expect_table_row_count_to_be_between", "kwargs": {"min_value": 1}},
    {"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "code", "mostly": 0.9}},
])
def test_rules_that_do_not_split_per_quarter_are_refused(tmp_path, exp):
    with pytest.raises(SuiteError, match="test.gate_0"):
        Validator([_suite(tmp_path, [exp])], None)
    # on a frame that is the same for every quarter they are fine
    Validator([_suite(tmp_path, [exp], frame="schema")], None)


def test_run_names():
    assert run_name(["2024Q3"]) == "werkmonitor 2024Q3"
    assert run_name(["2024Q3", "2024Q2", "2024Q4"]) == "werkmonitor 2024Q2..2024Q4"
    assert run_name(["2024Q1", "2024Q3"]) == "werkmonitor 2024Q1+2024Q3"
