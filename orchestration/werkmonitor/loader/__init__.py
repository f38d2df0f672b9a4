"""Parse, check and load quarterly submissions (format v1); ``werkmonitor validate``.

Public API: :func:`check_submission`, :func:`load_quarter`, :func:`ensure_schema`,
:func:`validate_cli`, :func:`files_with_identifiers`, :func:`content_hash`
(what ``audit.submissions.content_hash`` holds, for change detection). One direction per
submission: read (``read``) → frame the sheets (``frame``) → identifier scan
(``scan``) → type (``normalise``) → rules (``rules``, ``organisatie``) →
store (``store``, ``quarter``). See ``docs/loader.md`` for the rules.
"""

from __future__ import annotations

import sys
from pathlib import Path

from werkmonitor.loader.checks import check_submission, check_submissions
from werkmonitor.loader.files import content_hash
from werkmonitor.loader.messages import IDENTIFIER_RULES
from werkmonitor.loader.problem import Problem
from werkmonitor.loader.quarter import LoadSummary, load_quarter
from werkmonitor.loader.result import CheckResult
from werkmonitor.loader.store import ensure_schema, files_with_identifiers

__all__ = [
    "IDENTIFIER_RULES",
    "CheckResult",
    "LoadSummary",
    "Problem",
    "check_submission",
    "check_submissions",
    "content_hash",
    "ensure_schema",
    "files_with_identifiers",
    "load_quarter",
    "validate_cli",
]


def validate_cli(path: Path, lang: str = "nl") -> int:
    """Print the feedback for one submission; 0 when it would be accepted, 1 when rejected."""
    result = check_submission(Path(path))
    sys.stdout.write(result.format_feedback(lang))
    return 1 if result.is_rejected else 0
