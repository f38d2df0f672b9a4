"""The relations catalogue (``relations.yml``): what adds up to what.

One source for the disclosure audit and for secondary suppression: both must
know exactly the relations a reader can use, or the suppression protects
against attacks the audit does not try (or the other way round).

What the indicator catalogue already says is derived, not written again: the
denominator of every share (``seeds/indicators.csv``) and the members of the
additive dimensions (the code-list seeds). ``relations.yml`` keeps only what
no seed holds: levels, which indicators add up to another, identities and
bounds per trajectory type, linked columns, label bounds. So adding a share
is one catalogue row, and the audit knows its denominator.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from werkmonitor.catalogue.indicators import Indicator, indicators
from werkmonitor.config import SEEDS_DIR
from werkmonitor.reference import code_list, read_seed

RELATIONS_PATH = Path(__file__).with_name("relations.yml")


@dataclass(frozen=True)
class Group:
    """``members`` add up to ``total`` (within a dimension, level or breakdown)."""

    name: str
    total: str
    members: tuple[str, ...]
    implied: bool = False  # the total is no row of its own (a shared denominator)


@dataclass(frozen=True)
class Identity:
    """``lhs op sum(coefficient * indicator)`` within one breakdown."""

    name: str
    lhs: str
    op: str  # "=", "<=", ">="
    rhs: tuple[tuple[str, float], ...]
    trajectory_types: tuple[str, ...] = ()  # empty: every type


@dataclass(frozen=True)
class Relations:
    dimensions: dict[str, Group]
    levels: dict[str, Group]  # member level -> group with the total level
    indicator_groups: tuple[Group, ...]
    denominators: dict[str, tuple[tuple[str, float], ...]]  # share indicator -> expression
    identities: tuple[Identity, ...]
    linked_columns: dict[str, dict]
    label_bounds: dict[str, dict]

    @property
    def implied_totals(self) -> dict[str, Group]:
        return {g.total: g for g in self.indicator_groups if g.implied}

    def indicators(self) -> set[str]:
        """Every indicator the relations name (a test checks them against the seeds)."""
        names: set[str] = set()
        for g in self.indicator_groups:
            if not g.implied:
                names.add(g.total)
            names.update(g.members)
        for share, expr in self.denominators.items():
            names.add(share)
            names.update(i for i, _ in expr if i not in self.implied_totals)
        for ident in self.identities:
            names.add(ident.lhs)
            names.update(i for i, _ in ident.rhs)
        return names


Expression = tuple[tuple[str, float], ...]


def _expression(text: str) -> Expression:
    """``"running - paid_work"`` -> ((running, 1), (paid_work, -1))."""
    out, sign = [], 1.0
    for token in text.split():
        if token in "+-":
            sign = -1.0 if token == "-" else 1.0
        elif token.isidentifier():
            out.append((token, sign))
            sign = 1.0
        else:
            raise ValueError(f"relations: denominator {text!r}: only sums and differences "
                             f"of indicators are linear relations ({token!r})")
    return tuple(out)


def _dimension(name: str, spec: dict, seeds_dir: Path) -> Group:
    """The codes of the dimension's code-list seed, in its order (``where``: a true column)."""
    seed, where = str(spec["code_list"]), spec.get("where")
    if where:
        rows = read_seed(seed, seeds_dir)
        code = next(iter(rows[0]))  # a code list's first column is its code
        members = tuple(row[code] for row in rows if row[str(where)] == "true")
    else:
        members = code_list(seed, seeds_dir)
    return Group(name, str(spec["total"]), members)


def _group(name: str, spec: dict, catalogue: tuple[Indicator, ...]) -> Group:
    """``members`` as listed, or (``family``) the family's indicators: then
    their shared denominator must be their sum, the group's implied total."""
    if "family" in spec:
        members = tuple(i.code for i in catalogue if i.family == spec["family"])
        for i in catalogue:
            if i.code in members and set(i.denominator_terms) != set(members):
                raise ValueError(f"relations.yml: group {name}: {i.code}'s denominator is not "
                                 f"the sum of family {spec['family']} (implied total)")
    else:
        members = tuple(map(str, spec.get("members") or [name]))
    return Group(name, str(spec["total"]), members, bool(spec.get("implied")))


def _denominators(catalogue: tuple[Indicator, ...], groups: tuple[Group, ...]) -> dict:
    """Share -> its denominator as numerators of the same breakdown.

    A sum that is an implied group reads as the group's total. Shares with
    the same denominator stay together (catalogue order); denominators of one
    term first, then the differences (the order the audit has always read).
    """
    implied = {frozenset(g.members): g.total for g in groups if g.implied}
    by_expression: dict[Expression, list[str]] = {}
    for indicator in catalogue:
        if indicator.kind != "share":
            continue
        expression = _expression(indicator.denominator or "")
        terms = frozenset(name for name, _ in expression)
        if all(c == 1.0 for _, c in expression) and terms in implied:
            expression = ((implied[terms], 1.0),)
        by_expression.setdefault(expression, []).append(indicator.code)
    ordered = sorted(by_expression.items(), key=lambda item: len(item[0]) > 1)
    return {share: expression for expression, shares in ordered for share in shares}


@functools.lru_cache(maxsize=4)
def load_relations(path: Path | None = None, seeds_dir: Path | None = None) -> Relations:
    """The relations of ``relations.yml`` and of the catalogue in ``seeds_dir``."""
    import yaml

    seeds_dir = seeds_dir or SEEDS_DIR
    catalogue = indicators(seeds_dir)
    with open(path or RELATIONS_PATH, encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    identities = tuple(
        Identity(
            name=str(spec["name"]),
            lhs=str(spec["lhs"]),
            op=str(spec["op"]),
            rhs=tuple((str(k), float(v)) for k, v in spec["rhs"].items()),
            trajectory_types=tuple(map(str, spec.get("trajectory_type") or ())),
        )
        for spec in data["identities"]
    )
    for ident in identities:
        if ident.op not in ("=", "<=", ">="):
            raise ValueError(f"relations.yml: identity {ident.name}: op {ident.op!r}")
    groups = tuple(_group(str(k), v, catalogue) for k, v in data["indicator_groups"].items())
    return Relations(
        dimensions={str(k): _dimension(str(k), v, seeds_dir)
                    for k, v in data["dimensions"].items()},
        levels={str(k): Group(str(k), str(v["total"]), (str(k),))
                for k, v in data["levels"].items()},
        indicator_groups=groups,
        denominators=_denominators(catalogue, groups),
        identities=identities,
        linked_columns=dict(data.get("linked_columns") or {}),
        label_bounds=dict(data.get("label_bounds") or {}),
    )
