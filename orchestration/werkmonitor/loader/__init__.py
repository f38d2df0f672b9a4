"""Parse, check and load quarterly submissions (format v1); ``werkmonitor validate``.

Public API: :func:`check_submission`, :func:`load_quarter`, :func:`ensure_schema`,
:func:`validate_cli`. See ``docs/loader.md`` for the rules.
"""

from __future__ import annotations

import sys
from pathlib import Path

from werkmonitor.loader.checks import CheckResult, check_submission
from werkmonitor.loader.messages import Problem
from werkmonitor.loader.store import LoadSummary, ensure_schema, load_quarter

__all__ = [
    "CheckResult",
    "LoadSummary",
    "Problem",
    "check_submission",
    "ensure_schema",
    "load_quarter",
    "validate_cli",
]


def validate_cli(path: Path, lang: str = "nl") -> int:
    """Print the feedback for one submission; 0 when it would be accepted, 1 when rejected."""
    result = check_submission(Path(path))
    sys.stdout.write(result.format_feedback(lang))
    return 1 if result.is_rejected else 0
