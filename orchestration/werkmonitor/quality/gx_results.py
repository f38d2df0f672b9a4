"""One GX expectation result → one ``GateResult`` with a Dutch message naming who and how many.

Works on the result objects GX returns but imports nothing of GX, so it can
be tested and read on its own. Row-level rules name the organisation (the
suite's ``attribute_by`` column) and show examples from ``message_nl``;
aggregate rules name what is missing or what was observed.
"""

from __future__ import annotations

import math
import string
from typing import Any

import numpy as np
import pandas as pd

from werkmonitor.quality.policy import CompletenessPolicy
from werkmonitor.quality.results import GateResult
from werkmonitor.quality.suites import SuiteSpec

LEVEL_NL = {"national": "landelijk"}
MAX_EXAMPLES = 5
MAX_OWNERS = 10
MAX_METADATA_ROWS = 50


class _DutchFormatter(string.Formatter):
    """``str.format`` with a decimal comma, so messages read as Dutch."""

    def format_field(self, value: Any, format_spec: str) -> str:
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return "leeg"
        try:
            text = super().format_field(value, format_spec)
        except (ValueError, TypeError):
            text = str(value)
        if isinstance(value, float):
            text = text.replace(".", ",")
        return text


FORMATTER = _DutchFormatter()


def severity(meta: dict[str, Any], policy: CompletenessPolicy) -> str:
    if meta.get("severity_from_policy"):
        return str(getattr(policy, meta["severity_from_policy"]))
    return str(meta["severity"])


def exception_message(exception_info: Any) -> str | None:
    """The reason a metric could not be computed, or None when it ran.

    GX puts either one ``{raised_exception, exception_message}`` dict here or
    one such dict per failing metric.
    """
    if not exception_info:
        return None
    infos = [exception_info] if "raised_exception" in exception_info else exception_info.values()
    messages = [
        str(info.get("exception_message") or "onbekende fout").strip().splitlines()[0]
        for info in infos
        if isinstance(info, dict) and info.get("raised_exception")
    ]
    return "; ".join(dict.fromkeys(messages)) or None


def _attribution(row: pd.Series, columns: tuple[str, ...]) -> str:
    for column in columns:
        value = row.get(column)
        if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
            continue
        return LEVEL_NL.get(str(value), str(value))
    return "onbekend"


def plain(value: Any) -> Any:
    """A JSON- and audit-friendly Python value for a pandas / numpy cell."""
    if value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, np.ndarray):
        return [plain(v) for v in value.tolist()]
    if hasattr(value, "item") and not isinstance(value, list | dict | str):
        try:
            return value.item()
        except (ValueError, AttributeError):
            return str(value)
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def _row_message(suite: SuiteSpec, meta: dict, rows: pd.DataFrame, params: dict,
                 metadata: dict) -> str:
    description = meta["description_nl"]
    by_owner: dict[str, int] = {}
    for _, row in rows.iterrows():
        owner = _attribution(row, suite.attribute_by)
        by_owner[owner] = by_owner.get(owner, 0) + 1
    metadata["by_owner"] = by_owner
    metadata["rows"] = [
        {key: plain(value) for key, value in row.items()}
        for _, row in rows.head(MAX_METADATA_ROWS).iterrows()
    ]
    if suite.attribute_by and len(by_owner) > 3 and set(by_owner.values()) == {1}:
        owners = list(by_owner)
        more = f" en {len(owners) - MAX_OWNERS} meer" if len(owners) > MAX_OWNERS else ""
        message = f"{len(rows)} {description}: {', '.join(owners[:MAX_OWNERS])}{more}"
    elif suite.attribute_by:
        parts = [f"{owner}: {count} {description}" for owner, count in by_owner.items()]
        more = ""
        if len(parts) > MAX_OWNERS:
            rest = sum(list(by_owner.values())[MAX_OWNERS:])
            more = f"; en {rest} bij {len(parts) - MAX_OWNERS} andere"
        message = "; ".join(parts[:MAX_OWNERS]) + more
    else:
        message = f"{len(rows)} {description}"
    if not meta.get("message_nl"):
        return message
    examples = []
    for _, row in rows.head(MAX_EXAMPLES).iterrows():
        fields = {**params, **{k: plain(v) for k, v in row.items()}}
        fields["where"] = _attribution(row, suite.attribute_by)
        try:
            examples.append(FORMATTER.format(meta["message_nl"], **fields))
        except (KeyError, IndexError, ValueError):
            continue
    if not examples:
        return message
    extra = len(rows) - len(examples)
    shown = "; ".join(examples) + (f" (en {extra} meer)" if extra > 0 else "")
    return f"{message} — {shown}" if suite.attribute_by else shown


def _aggregate_message(config: Any, meta: dict, result: dict, frame: pd.DataFrame,
                       params: dict, metadata: dict) -> tuple[str, int]:
    description = meta["description_nl"]
    unexpected = int(result.get("unexpected_count") or 0)
    observed = result.get("observed_value")
    details = result.get("details") or {}
    missing = None
    if isinstance(details, dict):
        missing = details.get("mismatched") or details.get("value_counts") or None
    value_set = config.kwargs.get("value_set")
    if isinstance(value_set, dict) and "$PARAMETER" in value_set:
        value_set = params.get(value_set["$PARAMETER"])
    if isinstance(value_set, list) and isinstance(observed, list):
        absent = [v for v in value_set if v not in observed]
        if absent:
            missing = absent
            unexpected = unexpected or len(absent)
    metadata["observed_value"] = observed if isinstance(observed, list) else plain(observed)
    if meta.get("message_nl") and len(frame) == 1:
        fields = {**params, **{k: plain(v) for k, v in frame.iloc[0].items()}}
        return FORMATTER.format(meta["message_nl"], **fields), unexpected or 1
    if missing:
        shown = ", ".join(map(str, missing)) if isinstance(missing, list) else str(missing)
        return f"{description}: {shown}", unexpected
    return f"{description} (gevonden: {observed})", unexpected


def gate_result(exp_result: Any, suite: SuiteSpec, frame: pd.DataFrame, params: dict[str, Any],
                policy: CompletenessPolicy) -> GateResult:
    config = exp_result.expectation_config
    meta = dict(config.meta or {})
    target = meta.get("target") or suite.target
    metadata: dict[str, Any] = {
        "expectation": config.type, "suite": suite.name, "description_nl": meta["description_nl"],
    }
    base = {"name": meta["gate"], "target": target, "severity": severity(meta, policy)}
    error = exception_message(exp_result.exception_info)
    if error:
        metadata["exception"] = error
        return GateResult(**base, success=False, metadata=metadata,
                          message=f"controle kon niet worden uitgevoerd: {error}")
    if exp_result.success:
        return GateResult(**base, success=True, message="in orde", metadata=metadata)
    result = exp_result.result or {}
    indices = [i for i in result.get("unexpected_index_list") or []
               if isinstance(i, int) and i in frame.index]
    if indices:
        rows = frame.loc[indices]
        message = _row_message(suite, meta, rows, params, metadata)
        unexpected = int(result.get("unexpected_count") or 0) or len(indices)
    else:
        message, unexpected = _aggregate_message(config, meta, result, frame, params, metadata)
    return GateResult(**base, success=False, message=message, unexpected_count=unexpected,
                      metadata=metadata)


def missing_frame_results(suite: SuiteSpec, reason: str,
                          policy: CompletenessPolicy) -> list[GateResult]:
    """Every gate of a suite whose frame could not be read fails with the reason."""
    return [
        GateResult(
            name=exp["meta"]["gate"], target=exp["meta"].get("target") or suite.target,
            severity=severity(exp["meta"], policy), success=False,
            message=f"controle kon niet worden uitgevoerd: {reason}",
            metadata={"exception": reason, "suite": suite.name},
        )
        for exp in suite.expectations
    ]
