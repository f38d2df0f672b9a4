"""The row rules of the format, each a SQL condition over a typed sheet.

A rule is data: the column it names, its rule code, the condition over
``typed_<sheet>`` (``normalise``) joined with the submission's quarter
(``q_start``, ``q_end``), whether the message shows the value, and its
parameters. ``batch`` runs them all at once. Wording: ``messages.py``;
the rules themselves: ``docs/loader.md``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from werkmonitor.catalogue import Sheet
from werkmonitor.loader.normalise import PARSE_RULE, in_list, parse_failed


@dataclass(frozen=True)
class Rule:
    column: str
    rule_code: str
    where: str  # SQL condition over typed_<sheet> joined with the quarter
    show_value: bool = True
    params: dict = field(default_factory=dict)  # the same for every hit
    count: str | None = None  # SQL giving params["count"]
    detail: tuple[str, str] | None = None  # (params key, SQL) per hit
    quarter_params: tuple[str, ...] = ()  # quarter_start / quarter_end of the submission


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def column_rules(sheet: Sheet, codes: dict[str, tuple[str, ...]]) -> list[Rule]:
    """Kind, required and bounds of every column, in catalogue order."""
    rules: list[Rule] = []
    for col in sheet.columns:
        c, t = f"c__{col.name}", f"t__{col.name}"
        failed = parse_failed(col, c, t, codes.get(col.name, ()))
        if failed:
            params = {"allowed": ", ".join(codes[col.name])} if col.kind == "code" else {}
            rules.append(Rule(col.name, PARSE_RULE[col.kind], failed, params=params))
        if col.required == "yes":
            rules.append(Rule(col.name, "required", f"{c} is null", show_value=False))
        if col.min is not None:
            minimum = {"minimum": _num(col.min)}
            rules.append(Rule(col.name, "below_minimum", f"{t} < {col.min}", params=minimum))
        if col.max is not None:
            maximum = {"maximum": _num(col.max)}
            rules.append(Rule(col.name, "above_maximum", f"{t} > {col.max}", params=maximum))
    return rules


def length_rules(sheet: Sheet) -> list[Rule]:
    """``too_long`` for every column with a ``max_length`` (after the kind and bound rules)."""
    return [
        Rule(
            c.name,
            "too_long",
            f"length(c__{c.name}) > {c.max_length}",
            params={"maximum": c.max_length},
        )
        for c in sheet.columns
        if c.max_length is not None
    ]


def _date_rules(end_inside_quarter: bool) -> list[Rule]:
    rules = [
        Rule(
            "startdatum",
            "start_after_quarter",
            "t__startdatum > q_end",
            quarter_params=("quarter_end",),
        ),
    ]
    if end_inside_quarter:
        rules.append(
            Rule(
                "einddatum",
                "end_outside_quarter",
                "(t__einddatum < q_start or t__einddatum > q_end)",
                quarter_params=("quarter_start", "quarter_end"),
            )
        )
    rules.append(
        Rule(
            "einddatum",
            "end_before_start",
            "t__einddatum < t__startdatum",
            detail=("start", "c__startdatum"),
        )
    )
    return rules


def trajecten_rules(sheet: Sheet, codes) -> list[Rule]:
    is_ips = "coalesce(t__trajecttype = 'IPS', false)"
    known_type = in_list("t__trajecttype", codes["trajecttype"])
    known_other = f"coalesce({known_type} and t__trajecttype <> 'IPS', false)"
    rules = column_rules(sheet, codes) + length_rules(sheet)
    rules += [
        Rule("traject_id", "duplicate_traject_id", "n__duplicates > 1", count="n__duplicates"),
    ]
    for name in ("ips_regeling", "fase"):
        rules += [
            Rule(name, "required_for_ips", f"{is_ips} and c__{name} is null", show_value=False),
            Rule(
                name,
                "only_for_ips",
                f"{known_other} and c__{name} is not null",
                detail=("trajecttype", "t__trajecttype"),
            ),
        ]
    rules += _date_rules(end_inside_quarter=True)
    rules += [
        Rule(
            "uitstroomreden",
            "exit_reason_required",
            "c__einddatum is not null and c__uitstroomreden is null",
            show_value=False,
        ),
        Rule(
            "uitstroomreden",
            "exit_reason_without_end",
            "c__uitstroomreden is not null and c__einddatum is null",
        ),
    ]
    return rules


def banen_rules(sheet: Sheet, codes) -> list[Rule]:
    same = "t.sub = typed_banen.sub and t.c__traject_id = typed_banen.c__traject_id"
    rules = column_rules(sheet, codes) + length_rules(sheet)
    rules += [
        Rule(
            "traject_id",
            "unknown_traject_id",
            "c__traject_id is not null"
            f" and not exists (select 1 from typed_trajecten t where {same})",
        ),
        Rule(
            "traject_id",
            "traject_quarantined",
            f"exists (select 1 from typed_trajecten t semi join problems_trajecten p"
            f" using (sub, source_row) where {same})",
        ),
        Rule(
            "baan_nr",
            "duplicate_baan_nr",
            "n__duplicates > 1",
            count="n__duplicates",
            detail=("traject_id", "c__traject_id"),
        ),
    ]
    return rules + _date_rules(end_inside_quarter=False)


# per sheet: how many rows of a submission share the key (null when the key is incomplete)
DUPLICATE_KEYS = {
    "trajecten": ("c__traject_id",),
    "banen": ("c__traject_id", "t__baan_nr"),
}
