"""Data-quality gates: GX suites from ``expectations/``, completeness policy, feedback.

Importing this package is cheap; Great Expectations is imported only when
``run_quality_gates`` runs.
"""

from werkmonitor.quality.report import GateReport, GateResult
from werkmonitor.quality.runner import run_quality_gates

__all__ = ["GateReport", "GateResult", "run_quality_gates"]
