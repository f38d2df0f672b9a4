"""The indicator catalogue: ``seeds/indicators.csv`` as frozen dataclasses.

The seed is the one place an indicator is written down. dbt counts it from
the same file (macro ``indicator_catalogue`` reads the seed table), and the
publishing, report and dashboard code take codes, kinds, families, labels
and denominators from here instead of keeping their own lists. Adding an
indicator is one row in the seed: its population, its condition over the
columns of ``marts.fct_trajectory_quarters`` and its denominator.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from werkmonitor.config import SEEDS_DIR
from werkmonitor.reference import code_list, read_seed

KINDS = ("count", "share", "ratio")
FAMILIES = (
    "counts", "outcomes", "activities", "outflow", "first_job", "employment", "duration", "ratios",
)  # fmt: skip
#: aggregates of a breakdown that are not indicators but may appear in a
#: denominator (computed by the dbt model int_indicator_breakdowns)
BREAKDOWN_AGGREGATES = ("fte_total", "organisations_with_running")
ALL = "ALL"


@dataclass(frozen=True)
class Population:
    """The rows an indicator is drawn from; a row of the indicator exists in
    a breakdown only when its population there is non-empty."""

    code: str
    condition: str
    label_nl: str
    label_en: str


@dataclass(frozen=True)
class Indicator:
    """One indicator of ``marts.quarterly_indicators``.

    ``condition`` is a SQL predicate over ``fct_trajectory_quarters`` columns
    (plus ``employment_specialist_fte``) counted among the population's rows;
    ``denominator`` a SQL expression over other indicators' numerators and
    the ``BREAKDOWN_AGGREGATES`` (None for counts); ``applies_to`` the
    trajectory types (``ALL`` included) that carry it; ``applies_when`` an
    extra predicate over the breakdown columns (None = every breakdown).
    """

    code: str
    kind: str
    family: str
    label_nl: str
    label_en: str
    population: str
    condition: str
    denominator: str | None
    applies_to: tuple[str, ...]
    applies_when: str | None
    numerator_nl: str
    denominator_nl: str
    definition: str
    sort_order: int

    @property
    def is_count(self) -> bool:
        return self.kind == "count"

    @property
    def denominator_terms(self) -> tuple[str, ...]:
        """Indicator codes and breakdown aggregates the denominator is made of."""
        return tuple(re.findall(r"[a-z_][a-z0-9_]*", self.denominator or ""))


@lru_cache(maxsize=4)
def populations(seeds_dir: Path = SEEDS_DIR) -> tuple[Population, ...]:
    rows = sorted(read_seed("indicator_populations", seeds_dir), key=lambda r: int(r["sort_order"]))
    return tuple(
        Population(r["population"], r["condition"], r["label_nl"], r["label_en"]) for r in rows
    )


@lru_cache(maxsize=4)
def indicators(seeds_dir: Path = SEEDS_DIR) -> tuple[Indicator, ...]:
    """Every indicator in report order (``sort_order``); checks the catalogue."""
    every_type = (*code_list("trajectory_types", seeds_dir), ALL)
    rows = sorted(read_seed("indicators", seeds_dir), key=lambda r: int(r["sort_order"]))
    result = tuple(
        Indicator(
            code=r["indicator"],
            kind=r["kind"],
            family=r["family"],
            label_nl=r["label_nl"],
            label_en=r["label_en"],
            population=r["population"],
            condition=r["condition"],
            denominator=r["denominator"] or None,
            applies_to=tuple(r["trajectory_types"].split()) or every_type,
            applies_when=r["applies_when"] or None,
            numerator_nl=r["numerator_nl"],
            denominator_nl=r["denominator_nl"],
            definition=r["definition"],
            sort_order=int(r["sort_order"]),
        )
        for r in rows
    )
    _check(result, {p.code for p in populations(seeds_dir)}, set(every_type))
    return result


def by_code(seeds_dir: Path = SEEDS_DIR) -> dict[str, Indicator]:
    return {indicator.code: indicator for indicator in indicators(seeds_dir)}


def family(name: str, seeds_dir: Path = SEEDS_DIR) -> tuple[Indicator, ...]:
    """The indicators of one family (e.g. ``outflow``), in report order."""
    if name not in FAMILIES:
        raise KeyError(f"unknown indicator family {name!r}; known: {', '.join(FAMILIES)}")
    return tuple(i for i in indicators(seeds_dir) if i.family == name)


def _check(catalogue: tuple[Indicator, ...], population_codes: set[str], types: set[str]) -> None:
    """Fail loudly on a catalogue row dbt would turn into wrong SQL."""
    codes = {i.code for i in catalogue}
    problems = []
    if len(codes) != len(catalogue):
        problems.append("duplicate indicator codes")
    for i in catalogue:
        where = f"seeds/indicators.csv, indicator {i.code}"
        if i.kind not in KINDS:
            problems.append(f"{where}: kind {i.kind!r} not in {KINDS}")
        if i.family not in FAMILIES:
            problems.append(f"{where}: family {i.family!r} not in {FAMILIES}")
        if i.population not in population_codes:
            problems.append(f"{where}: unknown population {i.population!r}")
        if (i.denominator is None) != i.is_count:
            problems.append(f"{where}: a count has no denominator, a share or ratio has one")
        unknown_terms = set(i.denominator_terms) - codes - set(BREAKDOWN_AGGREGATES)
        if unknown_terms:
            problems.append(f"{where}: denominator uses unknown {sorted(unknown_terms)}")
        unknown_types = set(i.applies_to) - types
        if unknown_types:
            problems.append(f"{where}: unknown trajectory types {sorted(unknown_types)}")
    if problems:
        raise ValueError("indicator catalogue: " + "; ".join(problems))
