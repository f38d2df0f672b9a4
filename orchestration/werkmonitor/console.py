"""What ``werkmonitor run`` prints at the end: what was rebuilt, what is missing, why.

Blocked quarters and failed reports go to stderr with their reasons, so a
cron mail or a CI log names exactly what did not reach the readers; the
figures summary (``summary.py``) follows on stdout.
"""

from __future__ import annotations

import sys

from werkmonitor.outcome import exit_code, unchanged_exit_code


def print_nothing_rebuilt(paths, plan, selected: list[str]) -> int:
    from werkmonitor.summary import print_summary

    label = selected[0] if len(selected) == 1 else f"{selected[0]}..{selected[-1]}"
    print(
        f"werkmonitor: nothing new or changed for {label} since the last build "
        "(landing zone, reference data and models unchanged): nothing rebuilt, "
        "nothing republished"
    )
    blocked = [q for q in selected if plan.outcomes.get(q) == "blocked"]
    for quarter in blocked:
        print(f"werkmonitor: {quarter} stays blocked (its last gate run failed)", file=sys.stderr)
    print_summary(paths, selected)
    return unchanged_exit_code(plan.outcomes, selected)


def print_publication_outcomes(paths, outcomes: list, selected: list[str]) -> int:
    from werkmonitor.summary import print_summary

    for outcome in outcomes:
        label = outcome.quarters[0]
        if len(outcome.quarters) > 1:
            label = f"{outcome.quarters[0]}..{outcome.quarters[-1]}"
        if outcome.published:
            print(f"werkmonitor: {label}: published {', '.join(outcome.published)}")
        for quarter, why in sorted(outcome.blocked.items()):
            print(f"werkmonitor: {quarter} NOT published: {why}", file=sys.stderr)
        for reason in outcome.reasons:
            print(f"  - {reason}", file=sys.stderr)
        for name in outcome.failed_reports:
            print(f"werkmonitor: report FAILED: {name}", file=sys.stderr)
    print_summary(paths, selected)
    return exit_code(outcomes)
