"""Deprecated: use :mod:`werkmonitor.formatting` (the one Dutch formatter).

Kept as a re-export until every caller has switched; the lead removes it.
"""

from __future__ import annotations

from werkmonitor.formatting import fmt_count, fmt_number, fmt_pct, fmt_pp

__all__ = ["fmt_count", "fmt_number", "fmt_pct", "fmt_pp"]
