"""Dutch labels and code lists for the reports, from the seeds and the catalogue.

Nothing here is a hand-written list: trajectory types, financing, IPS schemes
and phases are the code-list seeds (``werkmonitor.reference``), indicators and
their kinds the indicator catalogue (``seeds/indicators.csv``, read through
``werkmonitor.catalogue.indicators``).
"""

from __future__ import annotations

import re
from functools import lru_cache

from werkmonitor.catalogue.indicators import Indicator
from werkmonitor.catalogue.indicators import indicators as catalogue
from werkmonitor.reference import read_seed


@lru_cache(maxsize=1)
def indicators() -> tuple[Indicator, ...]:
    """The indicator catalogue in its sort order."""
    return tuple(sorted(catalogue(), key=lambda i: i.sort_order))


def indicator(code: str) -> Indicator:
    return {i.code: i for i in indicators()}[code]


def label(code: str) -> str:
    found = {i.code: i.label_nl for i in indicators()}
    return found.get(code, code)


def family(name: str) -> tuple[Indicator, ...]:
    """The catalogue's indicators of one family (``employment``, ``first_job``, …), in order."""
    return tuple(i for i in indicators() if i.family == name)


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


@lru_cache(maxsize=1)
def running_phases() -> tuple[str, ...]:
    """The IPS phases that count as running (not orientation)."""
    return tuple(r["ips_phase"] for r in read_seed("ips_phases") if r["is_running"] == "true")
