"""The gate checks in Dagster: one evaluation per quarter, also in a range run.

The GX pass itself is replaced by two canned gate runs (2024Q2 clean, 2024Q3
with a blocking failure) so this test is about the asset-check wiring only:
the partition on each evaluation and the publication gate deciding per
quarter. The gates themselves are tested on a real warehouse in
``test_quality_gates.py``.
"""

from __future__ import annotations

import dagster as dg
import pytest

from werkmonitor.assets import quality as quality_assets
from werkmonitor.partitions import quarterly_partitions
from werkmonitor.quality.results import GateResult, GateRun


def _runs(quarters):
    runs = {
        "2024Q2": GateRun("2024Q2", [
            GateResult("raw.banen.hours_in_range", "raw.banen", "blocking", True, "in orde"),
            GateResult("completeness.region_drop", "completeness", "warning", False, "AM07 daalt"),
        ]),
        "2024Q3": GateRun("2024Q3", [
            GateResult("raw.banen.known_trajectory", "raw.banen", "blocking", False,
                       "ORG04: 1 banen-rijen verwijzen naar een onbekend traject", 1),
            GateResult("marts.quarterly_indicators.grain_unique", "marts.quarterly_indicators",
                       "blocking", True, "in orde"),
        ]),
    }
    return [runs[q] for q in quarters]


def _stub(key: str):
    @dg.asset(name=key, partitions_def=quarterly_partitions)
    def stub():
        return dg.MaterializeResult()

    return stub


def _materialize(monkeypatch, first: str, last: str):
    import werkmonitor.quality as quality

    monkeypatch.setattr(quality, "run_quality_gates_many", lambda wh, quarters, **kw: _runs(
        quarters))
    stubs = [_stub(key.path[-1]) for _, key in quality_assets.GUARDED.values()]
    instance = dg.DagsterInstance.ephemeral()
    result = dg.materialize(
        [*stubs, quality_assets.quality_gates], instance=instance,
        tags={"dagster/asset_partition_range_start": first,
              "dagster/asset_partition_range_end": last},
    )
    assert result.success
    messages = [entry.user_message for entry in instance.all_logs(result.run_id)]
    return result, messages


@pytest.fixture
def materialized(monkeypatch):
    return _materialize(monkeypatch, "2024Q2", "2024Q3")


@pytest.fixture
def evaluations(materialized):
    return list(materialized[0].get_asset_check_evaluations())


CHECKS = sorted(n for n, _ in quality_assets.GUARDED.values()) + ["publication_gate"]


def test_every_declared_check_yields_its_output(materialized):
    """Issue 15: Dagster warned 'did not yield or return expected outputs' for the four
    group checks on every run (their evaluations are no output)."""
    result, messages = materialized
    assert not [m for m in messages if "did not yield" in m]
    outputs = {e.step_output_data.output_name for e in result.all_events
               if e.event_type_value == "STEP_OUTPUT" and e.step_key == "quality_gates"}
    assert len(outputs) == len(CHECKS)


def test_a_quarter_alone_evaluates_every_check_once(monkeypatch):
    result, messages = _materialize(monkeypatch, "2024Q2", "2024Q2")
    seen = sorted((e.check_name, e.partition) for e in result.get_asset_check_evaluations())
    assert seen == sorted((name, "2024Q2") for name in CHECKS)
    assert not [m for m in messages if "did not yield" in m]


def test_no_publishable_quarter_withholds_only_the_publication_gate(monkeypatch):
    """2024Q3 alone is blocked: the publication gate's output (what the publish steps
    wait for) is not yielded, every other check's is."""
    result, messages = _materialize(monkeypatch, "2024Q3", "2024Q3")
    outputs = {e.step_output_data.output_name for e in result.all_events
               if e.event_type_value == "STEP_OUTPUT" and e.step_key == "quality_gates"}
    assert len(outputs) == len(CHECKS) - 1
    assert [m for m in messages if "did not yield" in m and "publication_gate" in m]
    gate = [e for e in result.get_asset_check_evaluations() if e.check_name == "publication_gate"]
    assert [(e.partition, e.passed) for e in gate] == [("2024Q3", False)]


def test_each_check_evaluated_once_per_quarter_with_its_partition(evaluations):
    seen = sorted((e.check_name, e.partition) for e in evaluations)
    assert seen == sorted((n, q) for n in CHECKS for q in ("2024Q2", "2024Q3"))


def test_publication_gate_decides_per_quarter(evaluations):
    gate = {e.partition: e for e in evaluations if e.check_name == "publication_gate"}
    assert gate["2024Q2"].passed and not gate["2024Q3"].passed
    assert gate["2024Q3"].description == (
        "2024Q3: 1 blocking gate(s) failed; this quarter is not published")
    raw = {e.partition: e for e in evaluations if e.check_name == "raw_submissions_quality"}
    assert raw["2024Q2"].passed and not raw["2024Q3"].passed
    assert raw["2024Q3"].description.startswith("ORG04: 1 banen-rijen")
    completeness = {e.partition: e for e in evaluations
                    if e.check_name == "region_completeness_gate"}
    # a warning passes, with WARN severity and the finding in the metadata
    assert completeness["2024Q2"].passed
    assert completeness["2024Q2"].metadata["warnings"].value == 1
