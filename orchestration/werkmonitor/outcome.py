"""What a run achieved, read from its Dagster events, and the exit code it earns.

Exit codes (contract 8, README): 0 everything published; 2 the figures are
published but some reports failed; 3 some quarters were blocked or failed
while others were published; 1 nothing was published.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from werkmonitor.progress import STEP_STAGES

ALL_PUBLISHED, REPORTS_FAILED, SOME_BLOCKED, NOTHING_PUBLISHED = 0, 2, 3, 1


@dataclass
class RangeOutcome:
    quarters: list[str]
    published: list[str] = field(default_factory=list)
    blocked: dict[str, str] = field(default_factory=dict)  # quarter → why
    failed_reports: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)  # step failures, gate messages


def _metadata_text(metadata, key: str) -> str:
    value = metadata.get(key)
    return str(getattr(value, "value", value) or "")


def _listed(text: str) -> list[str]:
    return [] if text in ("", "none") else [q.strip() for q in text.split(",") if q.strip()]


def range_outcome(result, quarters: list[str]) -> RangeOutcome:
    outcome = RangeOutcome(quarters)
    publish_seen = False
    for event in result.all_events:
        kind = event.event_type_value
        if kind == "STEP_FAILURE":
            error = event.event_specific_data.error
            message = error.message.strip() if error else ""
            stage = STEP_STAGES.get(event.step_key, event.step_key)
            outcome.reasons.append(f"step {event.step_key} ({stage}) failed: {message}")
        elif kind == "ASSET_CHECK_EVALUATION":
            evaluation = event.event_specific_data
            if not evaluation.passed and evaluation.check_name == "publication_gate":
                failures = evaluation.metadata.get("failures")
                detail = failures.value if failures is not None else evaluation.description
                where = f" ({evaluation.partition})" if evaluation.partition else ""
                outcome.reasons.append(
                    f"check publication_gate{where} blocked publication:\n{detail}"
                )
        elif kind == "ASSET_MATERIALIZATION":
            materialization = event.event_specific_data.materialization
            name = materialization.asset_key.to_user_string()
            metadata = materialization.metadata
            if name == "published_warehouse" and not publish_seen:
                publish_seen = True
                outcome.published = _listed(_metadata_text(metadata, "published_quarters"))
                blocked = metadata.get("blocked")
                outcome.blocked.update(getattr(blocked, "value", None) or {})
            elif name == "quarterly_reports":
                names = metadata.get("failed_report_names")
                outcome.failed_reports = list(getattr(names, "value", None) or [])
    why = "; ".join(r.splitlines()[0] for r in outcome.reasons) or "not published"
    for quarter in quarters:
        if quarter not in outcome.published:
            outcome.blocked.setdefault(quarter, why)
    return outcome


def exit_code(outcomes: list[RangeOutcome]) -> int:
    published = [q for o in outcomes for q in o.published]
    if not published:
        return NOTHING_PUBLISHED
    if any(o.blocked for o in outcomes):
        return SOME_BLOCKED
    if any(o.failed_reports for o in outcomes):
        return REPORTS_FAILED
    return ALL_PUBLISHED


def unchanged_exit_code(recorded: dict[str, str], requested: list[str]) -> int:
    """Nothing rebuilt: the code the last build of the requested quarters earned."""
    blocked = [q for q in requested if recorded.get(q) == "blocked"]
    if blocked and len(blocked) == len(requested):
        return NOTHING_PUBLISHED
    return SOME_BLOCKED if blocked else ALL_PUBLISHED
