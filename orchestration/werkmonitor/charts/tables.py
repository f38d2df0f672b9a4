"""A chart's figures as a table: the text equivalent beside the drawn chart.

A page that draws its charts in the browser shows this table where the
chart cannot be drawn (no JavaScript, a screen reader, a copied-out text) and
offers it under the chart otherwise. It is made from the spec's own ``main``
rows and their labels (formatted with :mod:`werkmonitor.formatting`, masks
as they are), so the table and the chart cannot disagree, and it hides what
the chart hides: a stacked bar with a hidden part shows ``x`` for every part.
"""

from __future__ import annotations

MISSING = "–"


def _ordered(rows: list[dict], column: str) -> list:
    """Distinct values of ``column`` in their ``<column>_order`` (first appearance on ties)."""
    first: dict = {}
    for r in rows:
        first.setdefault(r[column], r.get(f"{column}_order", 0))
    return sorted(first, key=lambda v: first[v])


def _grid(rows, row_key, col_key, cell) -> dict:
    return {(r[row_key], r[col_key]): cell(r) for r in rows}


def _bars(rows: list[dict], stacked: bool) -> tuple[list[str], list[list[str]]]:
    categories, series = _ordered(rows, "category"), _ordered(rows, "series")
    hidden = {r["category"] for r in rows if r["value"] is None} if stacked else set()
    cells = _grid(rows, "category", "series", lambda r: r["label"] or MISSING)
    body = [
        [c, *("x" if c in hidden else cells.get((c, s), MISSING) for s in series)]
        for c in categories
    ]
    return ["Categorie", *series], body


def _lines(rows: list[dict]) -> tuple[list[str], list[list[str]]]:
    quarters, series = list(dict.fromkeys(r["quarter"] for r in rows)), _ordered(rows, "series")
    cells = _grid(rows, "quarter", "series", lambda r: r["label"] or MISSING)
    return ["Kwartaal", *series], [
        [q, *(cells.get((q, s), MISSING) for s in series)] for q in quarters
    ]


def _cohort(rows: list[dict]) -> tuple[list[str], list[list[str]]]:
    series = _ordered(rows, "series")
    months = sorted({r["month"] for r in rows})
    cells = _grid(
        rows,
        "month",
        "series",
        lambda r: (r["label"], r["band_label"], r["at_risk_label"] or MISSING),
    )
    header = ["Maand"]
    for s in series:
        header += [s, f"{s}: 95%-interval", f"{s}: nog in beeld"]
    body = []
    for m in months:
        line = [str(m)]
        for s in series:
            line += list(cells.get((m, s), (MISSING,) * 3))
        body.append(line)
    return header, body


def _tiles(rows: list[dict]) -> tuple[list[str], list[list[str]]]:
    ordered = sorted(rows, key=lambda r: r.get("region_name") or "")
    return ["Arbeidsmarktregio", "Waarde"], [
        [
            f"{r['region_name']}{' ' + r['mark'] if r.get('mark') else ''}",
            r.get("label") or MISSING,
        ]
        for r in ordered
    ]


def data_table(spec: dict) -> tuple[list[str], list[list[str]]]:
    """``(header, rows)`` of the chart's ``main`` rows, every cell a label as drawn."""
    meta = spec.get("usermeta") or {}
    rows = spec["datasets"]["main"]
    chart = meta.get("chart")
    if chart == "bars":
        return _bars(rows, bool(meta.get("stacked")))
    if chart == "lines":
        return _lines(rows)
    if chart == "cohort":
        return _cohort(rows)
    if chart == "tiles":
        return _tiles(rows)
    raise ValueError(f"not a werkmonitor chart spec (usermeta.chart = {chart!r})")


__all__ = ["data_table"]
