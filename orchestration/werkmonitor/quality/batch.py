"""One GX batch for all quarters of a run, and each result taken back apart per quarter.

GX's cost is per expectation and validation (its metric graph, a pandas query
per row condition), hardly per row, so validating eleven quarters as eleven
batches costs eleven times what one batch with every quarter's rows costs.
That works because every gate on a quarter's frame is a **row rule** (a GX
map expectation: each row passes or fails on its own), so a row fails in the
run's batch exactly when it fails in its quarter's frame, and the quarter of
a failing row says whose failure it is. Two kinds of rule need care:

* uniqueness compares rows with each other; the batch version adds the
  quarter to the key (``expect_column_values_to_be_unique`` on ``x`` becomes
  ``expect_compound_columns_to_be_unique`` on ``[_run_quarter, x]``, skipping
  rows where ``x`` is missing, as the column rule does), so a value repeated
  in another quarter is no duplicate;
* aggregate rules (distinct values, row counts, ``mostly``) do not split per
  quarter: on a quarter's frame they are refused (``SuiteError``); write them
  as a row rule on a derived frame with one row per quarter (``coverage``,
  ``indicator_totals``, ``region_drop``). Frames that do not depend on the
  quarter (``schema``) are validated once and may hold any rule.

Imports nothing of GX: ``gx_run`` passes the expectation classes in.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import pandas as pd

from werkmonitor.quality.frame_sql import RUN_QUARTER
from werkmonitor.quality.gx_results import exception_message
from werkmonitor.quality.suites import SuiteError, SuiteSpec

RUN_WIDE_FRAMES = ("schema",)  # the same for every quarter: validated once per run
ORDER_BASED = ("expect_column_values_to_be_increasing", "expect_column_values_to_be_decreasing")
# Rules that only test a value for equality or presence give the same answer on a
# pandas categorical as on plain strings (and run several times faster on it); a
# column any other rule or an ordering row condition reads stays as it is.
BY_EQUALITY = (
    "expect_column_values_to_be_in_set", "expect_column_values_to_not_be_in_set",
    "expect_column_values_to_be_null", "expect_column_values_to_not_be_null",
    "expect_compound_columns_to_be_unique",
)
EQUALITY_OPERATORS = ("==", "!=", "IN", "NOT_IN")


def _condition_columns(condition: Any, ordered: set[str]) -> set[str] | None:
    """Columns a GX row condition reads; None when it is a string we do not parse.

    Columns compared by order (``<``, ``>=``, …) are added to ``ordered`` too.
    """
    if condition is None:
        return set()
    if isinstance(condition, str):
        return None
    found: set[str] = set()
    items = condition.values() if isinstance(condition, dict) else condition
    if isinstance(condition, dict) and isinstance(condition.get("column"), dict):
        found.add(condition["column"]["name"])
        if condition.get("operator", "==") not in EQUALITY_OPERATORS:
            ordered.add(condition["column"]["name"])
    for item in items:
        if isinstance(item, dict | list):
            inner = _condition_columns(item, ordered)
            if inner is None:
                return None
            found |= inner
    return found


@dataclass
class BatchSuite:
    """A suite as validated on the run's batch: expectations, helper columns, columns read."""

    spec: SuiteSpec
    expectations: list[dict[str, Any]]
    helpers: dict[str, list[str]]  # helper column → key columns (quarter where not all missing)
    columns: list[str] | None  # columns of the frame the batch needs; None: all
    categorical: frozenset[str] = frozenset()  # string columns read by equality only

    @property
    def run_wide(self) -> bool:
        return self.spec.frame in RUN_WIDE_FRAMES


def batch_suite(suite: SuiteSpec, is_row_rule) -> BatchSuite:
    """The batch form of a suite; ``is_row_rule(type)`` says whether GX maps it row by row."""
    if suite.frame in RUN_WIDE_FRAMES:
        return BatchSuite(suite, [dict(e) for e in suite.expectations], {}, None)
    expectations, helpers, columns, by_order = [], {}, set(), set()
    for number, exp in enumerate(suite.expectations):
        kwargs = dict(exp["kwargs"])
        where = f"{suite.path}: {exp['meta']['gate']} ({exp['type']})"
        if not is_row_rule(exp["type"]) or exp["type"] in ORDER_BASED:
            raise SuiteError(f"{where}: geen rij-regel; op een kwartaalframe kan alleen een "
                             "regel per rij (schrijf een totaal als afgeleid frame)")
        if kwargs.get("mostly", 1) != 1:
            raise SuiteError(f"{where}: 'mostly' telt over het hele frame, niet per kwartaal")
        kind = exp["type"]
        if kind == "expect_column_values_to_be_unique":
            kind = "expect_compound_columns_to_be_unique"
            column = kwargs.pop("column")
            kwargs.update(column_list=[RUN_QUARTER, column], ignore_row_if="any_value_is_missing")
        elif kind == "expect_compound_columns_to_be_unique":
            key = list(kwargs["column_list"])
            if kwargs.get("ignore_row_if", "all_values_are_missing") == "all_values_are_missing":
                helper = f"{RUN_QUARTER}_{number}"
                helpers[helper] = key
                kwargs["column_list"] = [helper, *key]
            else:
                kwargs["column_list"] = [RUN_QUARTER, *key]
        mine = {kwargs[name] for name in ("column", "column_A", "column_B") if name in kwargs}
        mine |= set(kwargs.get("column_list") or [])
        if kind not in BY_EQUALITY:
            by_order |= mine
        read = _condition_columns(kwargs.get("row_condition"), by_order)
        if read is None or columns is None:
            columns = None
        else:
            columns |= mine | read
        expectations.append({**exp, "type": kind, "kwargs": kwargs})
    if columns is None:
        return BatchSuite(suite, expectations, helpers, None)
    return BatchSuite(suite, expectations, helpers, sorted(columns - set(helpers) - {RUN_QUARTER}),
                      frozenset(columns - by_order))


def batch_frame(suite: BatchSuite, frames: dict[str, pd.DataFrame]) -> tuple[pd.DataFrame, dict]:
    """The quarters' frames one under the other, with the quarter; quarter → (start, stop)."""
    parts, spans, start = [], {}, 0
    for quarter, frame in frames.items():
        part = frame if suite.columns is None else frame[
            [c for c in suite.columns if c in frame.columns]]
        parts.append(part.assign(**{RUN_QUARTER: quarter}))
        spans[quarter] = (start, start + len(frame))
        start += len(frame)
    batch = pd.concat(parts, ignore_index=True)
    for helper, key in suite.helpers.items():
        present = [c for c in key if c in batch.columns]
        batch[helper] = batch[RUN_QUARTER].where(batch[present].notna().any(axis=1))
    for column in batch.columns:
        values = batch[column]
        if column not in suite.categorical:
            if isinstance(values.dtype, pd.CategoricalDtype):  # read as one (frames)
                batch[column] = values.astype(object)
        elif values.dtype == object and pd.api.types.infer_dtype(values, skipna=True) in (
                "string", "empty"):
            batch[column] = values.astype("category")
    # copy() consolidates the column blocks once; GX copies the frame for every
    # metric, and copying a frame of one block per column consolidates it each time
    return batch.copy(), spans


def quarter_result(exp: dict[str, Any], result: Any, span: tuple[int, int]) -> SimpleNamespace:
    """The part of a batch result that belongs to one quarter, shaped like a GX result.

    ``expectation_config`` is the suite's own expectation (not its batch form),
    so a gate reads the same whether its quarter ran alone or in a range.
    """
    config = SimpleNamespace(type=exp["type"], meta=exp["meta"], kwargs=exp["kwargs"])
    body = result.result or {}
    if exception_message(result.exception_info) or result.success or (
            "unexpected_index_list" not in body):
        return SimpleNamespace(expectation_config=config, success=result.success,
                               exception_info=result.exception_info, result=body)
    start, stop = span
    mine = [i - start for i in body["unexpected_index_list"]
            if isinstance(i, int) and start <= i < stop]
    return SimpleNamespace(
        expectation_config=config, success=not mine, exception_info=None,
        result={"unexpected_index_list": mine, "unexpected_count": len(mine)},
    )
