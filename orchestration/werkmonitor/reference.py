"""Reference data (the dbt seeds) for Python code.

The seeds in ``seeds/`` are the only place the register and code lists are
written down; the loader and the generator read the same CSV files dbt loads,
so a register edit reaches both without a second copy.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from werkmonitor.config import SEEDS_DIR
from werkmonitor.quarters import Quarter


def read_seed(name: str, seeds_dir: Path = SEEDS_DIR) -> list[dict[str, str]]:
    """Rows of ``seeds/<name>.csv`` as dicts of stripped strings."""
    with open(seeds_dir / f"{name}.csv", encoding="utf-8-sig", newline="") as handle:
        return [
            {key.strip(): (value or "").strip() for key, value in row.items()}
            for row in csv.DictReader(handle)
        ]


@dataclass(frozen=True)
class Organisation:
    code: str
    name: str
    kind: str
    active_from: Quarter
    active_to: Quarter | None

    def is_active(self, quarter: Quarter) -> bool:
        return self.active_from <= quarter and (self.active_to is None or quarter <= self.active_to)


@dataclass(frozen=True)
class RegisterEntry:
    organisation_code: str
    region_code: str
    trajectory_type: str
    valid_from: Quarter
    valid_to: Quarter | None

    def is_valid(self, quarter: Quarter) -> bool:
        return self.valid_from <= quarter and (self.valid_to is None or quarter <= self.valid_to)


def _quarter_or_none(text: str) -> Quarter | None:
    return Quarter.parse(text) if text else None


@lru_cache(maxsize=4)
def regions(seeds_dir: Path = SEEDS_DIR) -> dict[str, str]:
    """Region code → name, in CBS order."""
    return {row["region_code"]: row["region_name"] for row in read_seed("regions", seeds_dir)}


@lru_cache(maxsize=4)
def organisations(seeds_dir: Path = SEEDS_DIR) -> dict[str, Organisation]:
    return {
        row["organisation_code"]: Organisation(
            code=row["organisation_code"],
            name=row["organisation_name"],
            kind=row["organisation_kind"],
            active_from=Quarter.parse(row["active_from_quarter"]),
            active_to=_quarter_or_none(row["active_to_quarter"]),
        )
        for row in read_seed("organisations", seeds_dir)
    }


@lru_cache(maxsize=4)
def organisation_regions(seeds_dir: Path = SEEDS_DIR) -> tuple[RegisterEntry, ...]:
    return tuple(
        RegisterEntry(
            organisation_code=row["organisation_code"],
            region_code=row["region_code"],
            trajectory_type=row["trajectory_type"],
            valid_from=Quarter.parse(row["valid_from_quarter"]),
            valid_to=_quarter_or_none(row["valid_to_quarter"]),
        )
        for row in read_seed("organisation_regions", seeds_dir)
    )


@lru_cache(maxsize=16)
def code_list(name: str, seeds_dir: Path = SEEDS_DIR) -> tuple[str, ...]:
    """The codes of a code-list seed: its first column (e.g. ``trajectory_types``)."""
    rows = read_seed(name, seeds_dir)
    if not rows:
        return ()
    first = next(iter(rows[0]))
    return tuple(row[first] for row in rows)


@lru_cache(maxsize=16)
def flagged_codes(name: str, flag: str, seeds_dir: Path = SEEDS_DIR) -> tuple[str, ...]:
    """The codes of a code-list seed whose boolean column ``flag`` is true, in sort order.

    A choice about codes (e.g. ``is_compared_in_cohorts``: which IPS schemes and
    financing types the cohort section compares) is a column of the code list,
    so a code added to the seed says there whether it takes part.
    """
    rows = read_seed(name, seeds_dir)
    if rows and flag not in rows[0]:
        raise KeyError(f"seeds/{name}.csv has no column {flag!r}")
    rows = sorted(rows, key=lambda r: int(r.get("sort_order") or 0))
    first = next(iter(rows[0])) if rows else ""
    return tuple(row[first] for row in rows if row[flag] == "true")


@dataclass(frozen=True)
class SubmissionStatus:
    """A status of the submission log (``audit.submissions.status``) as people read it."""

    code: str
    label_nl: str
    label_en: str
    note_nl: str

    @property
    def long_nl(self) -> str:
        """The label with its note, for the feedback a data officer reads."""
        return f"{self.label_nl} ({self.note_nl})" if self.note_nl else self.label_nl


@lru_cache(maxsize=4)
def submission_statuses(seeds_dir: Path = SEEDS_DIR) -> dict[str, SubmissionStatus]:
    """Status code → its labels (``seeds/submission_statuses.csv``), in seed order.

    The one wording of a file's status: the run summary, the feedback to the
    organisation and its report all say the same word for the same status.
    """
    rows = sorted(read_seed("submission_statuses", seeds_dir), key=lambda r: int(r["sort_order"]))
    return {
        row["submission_status"]: SubmissionStatus(
            row["submission_status"], row["label_nl"], row["label_en"], row["note_nl"]
        )
        for row in rows
    }
