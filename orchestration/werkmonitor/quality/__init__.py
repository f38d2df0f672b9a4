"""Data-quality gates: GX suites from ``expectations/``, completeness policy, feedback.

Importing this package is cheap; Great Expectations is imported only when
``run_quality_gates`` or ``run_quality_gates_many`` runs (``gx_run``).
``defects.summary`` is the account of a run's defects ``werkmonitor run`` prints.
"""

from werkmonitor.quality.gates import run_quality_gates, run_quality_gates_many
from werkmonitor.quality.results import GateResult, GateRun

__all__ = ["GateResult", "GateRun", "run_quality_gates", "run_quality_gates_many"]
