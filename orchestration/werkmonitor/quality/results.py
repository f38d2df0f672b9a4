"""What one quality-gate run found, in a form Dagster, the CLI and the audit tables share.

A ``GateRun`` is one quarter's verdict (called a "gate run", not a report, so
it is not confused with the organisations' feedback or the published
reports). Kept free of Great Expectations imports so callers (asset checks,
the CLI) can read a verdict without paying GX's import cost.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BLOCKING = "blocking"
WARNING = "warning"
SEVERITIES = (BLOCKING, WARNING)


@dataclass
class GateResult:
    name: str
    target: str
    severity: str
    success: bool
    message: str
    unexpected_count: int = 0
    metadata: dict[str, Any] = field(default_factory=dict)

    @property
    def is_blocking_failure(self) -> bool:
        return not self.success and self.severity == BLOCKING

    @property
    def is_warning(self) -> bool:
        return not self.success and self.severity == WARNING


@dataclass
class GateRun:
    quarter: str
    results: list[GateResult] = field(default_factory=list)
    duration_s: float = 0.0
    data_docs_index: Path | None = None
    feedback_files: list[Path] = field(default_factory=list)

    @property
    def blocking_failures(self) -> int:
        return sum(result.is_blocking_failure for result in self.results)

    @property
    def warnings(self) -> int:
        return sum(result.is_warning for result in self.results)

    @property
    def passed(self) -> bool:
        return self.blocking_failures == 0

    def result(self, name: str) -> GateResult:
        """The result of one gate by its name (``raw.banen.known_trajectory``)."""
        for result in self.results:
            if result.name == name:
                return result
        raise KeyError(f"no gate named {name!r} in the gate run of {self.quarter}")

    def failed(self, severity: str | None = None) -> list[GateResult]:
        return [
            result
            for result in self.results
            if not result.success and (severity is None or result.severity == severity)
        ]

    def summary(self) -> str:
        verdict = "GESLAAGD" if self.passed else "AFGEKEURD"
        seconds = f"{self.duration_s:.1f}".replace(".", ",")
        return (
            f"Kwaliteitscontrole {self.quarter}: {verdict} — "
            f"{self.blocking_failures} blokkerende fout(en), {self.warnings} waarschuwing(en), "
            f"{len(self.results)} controles in {seconds} s"
        )

    def format(self) -> str:
        """Short Dutch text for logs, the CLI and the Dagster UI."""
        lines = [self.summary()]
        for label, severity in (("Blokkerend", BLOCKING), ("Waarschuwing", WARNING)):
            for result in self.failed(severity):
                lines.append(f"- {label}: [{result.target}] {result.name}: {result.message}")
        notes = [r for r in self.results if r.success and r.metadata.get("note_nl")]
        for result in notes:
            lines.append(f"- Let op: {result.metadata['note_nl']}")
        if self.data_docs_index:
            lines.append(f"Data Docs: {self.data_docs_index}")
        if self.feedback_files:
            organisations = self.feedback_files[0].parents[2]
            lines.append(
                f"Terugkoppeling: {len(self.feedback_files)} bestand(en) in "
                f"{organisations}/<ORG>/{self.quarter}/"
            )
        return "\n".join(lines)
