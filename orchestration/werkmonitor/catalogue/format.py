"""The submission format as data: ``submission_format.yml`` read once.

Why a YAML file and not Python constants: the loader, the raw DDL, the GX
raw suites and the dbt source YAML must agree on every column, type and
bound, and a data engineer should be able to change one of them in one place
and see a test fail wherever another copy disagrees. Code lists stay in the
seeds (dbt loads them too); a column only names its seed.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from werkmonitor import reference

FORMAT_FILE = Path(__file__).with_name("submission_format.yml")
KINDS = ("text", "region", "code", "date", "decimal", "integer", "bool")
REQUIRED = ("yes", "no", "ips", "iff_end", "yes_if_ips")


@dataclass(frozen=True)
class Column:
    name: str
    kind: str
    duckdb_type: str
    required: str
    codes: str | None = None  # name of the code-list seed
    min: float | None = None
    max: float | None = None
    max_length: int | None = None

    @property
    def may_be_omitted(self) -> bool:
        return self.required == "no"

    def allowed_codes(self) -> tuple[str, ...]:
        return code_list(self.codes) if self.codes else ()


@dataclass(frozen=True)
class Sheet:
    name: str
    file: str
    is_quarantinable: bool
    columns: tuple[Column, ...]

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    def raw_columns(self) -> tuple[tuple[str, str], ...]:
        """(name, duckdb type) of ``raw.<sheet>`` in table order."""
        tail = (("is_quarantined", "boolean"),) if self.is_quarantinable else ()
        return (
            ("submission_id", "varchar"),
            ("source_row", "integer"),
            *((c.name, c.duckdb_type) for c in self.columns),
            *tail,
        )


@dataclass(frozen=True)
class SubmissionFormat:
    version: int
    sheets: dict[str, Sheet]
    date_patterns: tuple[tuple[str, str, str], ...]  # (example, full-match regex, strptime)
    decimal_pattern: str
    integer_pattern: str
    true_words: tuple[str, ...]
    false_words: tuple[str, ...]
    identifier_names: tuple[str, ...]
    identifier_fragments: tuple[str, ...]
    bsn_digits: tuple[int, ...]
    bsn_groupings: tuple[str, ...]


def _column(entry: dict) -> Column:
    column = Column(**entry)
    if column.kind not in KINDS or column.required not in REQUIRED:
        raise ValueError(f"submission_format.yml: bad kind/required for {column.name}")
    return column


@lru_cache(maxsize=2)
def submission_format(path: Path = FORMAT_FILE) -> SubmissionFormat:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    sheets = {
        name: Sheet(
            name=name,
            file=spec["file"],
            is_quarantinable=bool(spec["quarantine"]),
            columns=tuple(_column(c) for c in spec["columns"]),
        )
        for name, spec in data["sheets"].items()
    }
    spellings, ids = data["spellings"], data["identifiers"]
    return SubmissionFormat(
        version=int(data["version"]),
        sheets=sheets,
        date_patterns=tuple(
            (d["example"], d["pattern"], d["strptime"]) for d in spellings["dates"]
        ),
        decimal_pattern=spellings["decimal"],
        integer_pattern=spellings["integer"],
        true_words=tuple(str(w) for w in spellings["true_words"]),
        false_words=tuple(str(w) for w in spellings["false_words"]),
        identifier_names=tuple(ids["exact_names"]),
        identifier_fragments=tuple(ids["name_fragments"]),
        bsn_digits=tuple(int(n) for n in ids["bsn_digits"]),
        bsn_groupings=tuple(ids["bsn_groupings"]),
    )


def code_list(name: str) -> tuple[str, ...]:
    """The codes of a code-list seed (``regions`` included), in seed order."""
    return reference.code_list(name)


def raw_ddl() -> str:
    """``create table if not exists`` for ``raw.trajecten``, ``raw.banen``, ``raw.organisatie``."""
    statements = ["create schema if not exists raw;"]
    for sheet in submission_format().sheets.values():
        columns = ",\n    ".join(f"{name} {type_}" for name, type_ in sheet.raw_columns())
        statements.append(f"create table if not exists raw.{sheet.name} (\n    {columns}\n);")
    return "\n".join(statements) + "\n"
