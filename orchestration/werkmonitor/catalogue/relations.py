"""The relations catalogue (``relations.yml``): what adds up to what.

One source for the disclosure audit and for secondary suppression: both must
know exactly the relations a reader can use, or the suppression protects
against attacks the audit does not try (or the other way round).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

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


def _expression(text: str) -> tuple[tuple[str, float], ...]:
    """``"running - paid_work"`` -> ((running, 1), (paid_work, -1))."""
    out, sign = [], 1.0
    for token in text.split():
        if token in "+-":
            sign = -1.0 if token == "-" else 1.0
        else:
            out.append((token, sign))
            sign = 1.0
    return tuple(out)


def _group(name: str, spec: dict) -> Group:
    members = tuple(map(str, spec.get("members") or [name]))
    return Group(name, str(spec["total"]), members, bool(spec.get("implied")))


@functools.lru_cache(maxsize=4)
def load_relations(path: Path | None = None) -> Relations:
    import yaml

    with open(path or RELATIONS_PATH, encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    denominators: dict[str, tuple[tuple[str, float], ...]] = {}
    for expression, shares in data["denominators"].items():
        for share in shares:
            denominators[str(share)] = _expression(str(expression))
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
    return Relations(
        dimensions={str(k): _group(str(k), v) for k, v in data["dimensions"].items()},
        levels={str(k): _group(str(k), v) for k, v in data["levels"].items()},
        indicator_groups=tuple(_group(str(k), v) for k, v in data["indicator_groups"].items()),
        denominators=denominators,
        identities=identities,
        linked_columns=dict(data.get("linked_columns") or {}),
        label_bounds=dict(data.get("label_bounds") or {}),
    )
