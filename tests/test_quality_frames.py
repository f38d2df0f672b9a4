"""A run's frames held one at a time (``quality/frames.py``, ``gx_run.Validator``; issue 12).

At scale 100 holding every frame of a run, and GX holding every suite's
batch, made the quality stage the memory peak of the run. These tests pin
what the fix relies on: a one-quarter run takes its frame without a split
copy yet exactly as the split gives it, each frame is read just before its
suite and released right after, and once a suite ran nothing (GX included)
keeps its rows; the verdicts are the same as with every frame read up front.
"""

from __future__ import annotations

import gc

import pandas as pd
import yaml

from werkmonitor.config import EXPECTATIONS_DIR
from werkmonitor.quality.frame_sql import RUN_QUARTER
from werkmonitor.quality.frames import QuarterData, _per_quarter
from werkmonitor.quality.gx_run import Validator
from werkmonitor.quality.policy import load_completeness_policy
from werkmonitor.quality.suites import load_suite

POLICY = load_completeness_policy(EXPECTATIONS_DIR / "policy.yml")
MARK = "marker_column_of_this_test"


def _run_frame() -> pd.DataFrame:
    return pd.DataFrame({"organisation_code": ["ORG02", "ORG01", "ORG03", "ORG04"],
                         MARK: ["A", "X", "B", "A"],
                         RUN_QUARTER: ["2024Q2", "2024Q3", "2024Q2", "2024Q3"]})


def test_one_quarter_keeps_its_frame_as_the_split_gives_it():
    frame = _run_frame()
    frame[RUN_QUARTER] = "2024Q3"
    expected = _per_quarter(frame.copy(), ["2024Q3", "2024Q4"])["2024Q3"]
    alone = _per_quarter(frame, ["2024Q3"])["2024Q3"]
    assert alone is frame  # no copy
    assert list(alone.columns) == ["organisation_code", MARK]
    assert isinstance(alone.index, pd.RangeIndex) and list(alone.index) == [0, 1, 2, 3]
    pd.testing.assert_frame_equal(alone, expected)


def test_several_quarters_split_in_row_order_with_their_own_row_numbers():
    parts = _per_quarter(_run_frame(), ["2024Q2", "2024Q3", "2024Q4"])
    assert list(parts["2024Q2"]["organisation_code"]) == ["ORG02", "ORG03"]
    assert list(parts["2024Q3"][MARK]) == ["X", "A"]
    assert list(parts["2024Q3"].index) == [0, 1] and len(parts["2024Q4"]) == 0


class _Source:
    """Reads the test frame when asked, as ``RunFrames`` does, and says what it was asked."""

    def __init__(self, datas: list[QuarterData], frames: dict[str, pd.DataFrame]) -> None:
        self.datas, self.frames, self.calls = datas, frames, []

    def load(self, name: str) -> None:
        self.calls.append(("load", name))
        for data in self.datas:
            data.frames[name] = self.frames.pop(data.quarter)

    def release(self, name: str) -> None:
        self.calls.append(("release", name))
        for data in self.datas:
            data.frames.pop(name)


def _suite(tmp_path):
    path = tmp_path / "suite.yml"
    path.write_text(yaml.safe_dump({
        "name": "test_suite",
        "meta": {"target": "raw.test", "frame": "raw_banen", "attribute_by": ["organisation_code"]},
        "expectations": [{"type": "expect_column_values_to_be_in_set",
                          "kwargs": {"column": MARK, "value_set": ["A", "B"]},
                          "meta": {"gate": "test.in_set", "severity": "blocking",
                                   "description_nl": "onbekende code"}}]}), encoding="utf-8")
    return load_suite(path)


def _frames() -> dict[str, pd.DataFrame]:
    return {q: part.copy() for q, part in _per_quarter(_run_frame(), ["2024Q2", "2024Q3"]).items()}


def _alive_with_mark() -> int:
    gc.collect()
    return sum(1 for o in gc.get_objects() if isinstance(o, pd.DataFrame) and MARK in o.columns)


def test_each_frame_read_for_its_suite_and_nothing_keeps_its_rows_after(tmp_path):
    suite = _suite(tmp_path)
    eager = [QuarterData(quarter=q, frames={"raw_banen": f}) for q, f in _frames().items()]
    expected = Validator([suite], None).validate(eager, {}, POLICY)
    del eager
    assert _alive_with_mark() == 0

    datas = [QuarterData(quarter=q) for q in ("2024Q2", "2024Q3")]
    source = _Source(datas, _frames())
    found = Validator([suite], None).validate(datas, {}, POLICY, source)
    assert source.calls == [("load", "raw_banen"), ("release", "raw_banen")]
    assert _alive_with_mark() == 0  # neither the frames nor GX's batch of them
    assert [r.success for r in found["2024Q2"]] == [True]
    failed = found["2024Q3"][0]
    assert not failed.success and failed.metadata["by_owner"] == {"ORG01": 1}
    assert {q: [vars(r) for r in rs] for q, rs in found.items()} == {
        q: [vars(r) for r in rs] for q, rs in expected.items()}
