"""Dutch labels and code lists for the reports, from the seeds and the catalogue.

Nothing here is a hand-written list: trajectory types, financing, IPS schemes
and phases are the code-list seeds (``werkmonitor.reference``), indicators and
their kinds the indicator catalogue (``seeds/indicators.csv``, read through
``werkmonitor.catalogue.indicators`` once that module exists).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from werkmonitor.reference import read_seed


@dataclass(frozen=True)
class Indicator:
    code: str
    label_nl: str
    kind: str  # count / share / ratio
    family: str
    sort_order: int


@lru_cache(maxsize=1)
def indicators() -> tuple[Indicator, ...]:
    """The indicator catalogue in its sort order."""
    try:  # the catalogue module (dbt helper); the seed is its source
        from werkmonitor.catalogue.indicators import indicators as catalogue
    except ImportError:
        rows = [
            Indicator(
                r["indicator"], r["label_nl"], r["kind"], r.get("family", ""), int(r["sort_order"])
            )
            for r in read_seed("indicators")
        ]
    else:
        rows = [
            Indicator(i.code, i.label_nl, i.kind, getattr(i, "family", ""), int(i.sort_order))
            for i in catalogue()
        ]
    return tuple(sorted(rows, key=lambda i: i.sort_order))


def indicator(code: str) -> Indicator:
    return {i.code: i for i in indicators()}[code]


def label(code: str) -> str:
    found = {i.code: i.label_nl for i in indicators()}
    return found.get(code, code)


def count_codes() -> frozenset[str]:
    return frozenset(i.code for i in indicators() if i.kind == "count")


def _short(text: str) -> str:
    """``Individuele Plaatsing en Steun (IPS)`` → ``IPS``; ``IPS-EPA (…)`` → ``IPS-EPA``.

    A bar label needs the short name: the acronym in brackets when there is
    one, else the label without its explanation in brackets.
    """
    match = re.fullmatch(r"(.*?)\s*\((.*)\)", text)
    if not match:
        return text
    head, inner = match.groups()
    return inner if re.fullmatch(r"[A-Z]{2,}", inner) else head


@lru_cache(maxsize=8)
def code_labels(seed: str, short: bool = True) -> dict[str, str]:
    """Code → Dutch label of a code-list seed, in its sort order."""
    rows = read_seed(seed)
    key = next(iter(rows[0]))
    rows = sorted(rows, key=lambda r: int(r.get("sort_order") or 0))
    return {r[key]: (_short(r["label_nl"]) if short else r["label_nl"]) for r in rows}


def trajectory_types() -> dict[str, str]:
    return code_labels("trajectory_types")


def financing_types() -> dict[str, str]:
    return code_labels("financing_types")


def ips_schemes() -> dict[str, str]:
    return code_labels("ips_schemes")


def running_phases() -> list[str]:
    """The IPS phases that count as running (not orientation)."""
    return [r["ips_phase"] for r in read_seed("ips_phases") if r["is_running"] == "true"]
