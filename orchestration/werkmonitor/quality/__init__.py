"""Data-quality gates: GX suites from ``expectations/``, completeness policy, feedback.

Importing this package is cheap; Great Expectations is imported only when
``run_quality_gates`` or ``run_quality_gates_many`` runs.
"""

from werkmonitor.quality.report import GateReport, GateResult
from werkmonitor.quality.runner import run_quality_gates, run_quality_gates_many

__all__ = ["GateReport", "GateResult", "run_quality_gates", "run_quality_gates_many"]
