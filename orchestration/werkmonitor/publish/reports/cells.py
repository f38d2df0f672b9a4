"""One indicator cell of a report, and the cells of one scope (level + code).

A cell wraps a published row (or a working-warehouse row in an organisation's
own report) and knows how to write itself: a hidden cell writes its mask
(``<5``/``x``), never its number, so no text or chart can show what the
public file hides. An absent row is a population of 0 people.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from markupsafe import Markup

from werkmonitor.charts.published import PublishedBreakdowns, breakdown_of, unpublished_text
from werkmonitor.formatting import fmt_count, fmt_pct, fmt_pp, fmt_ratio
from werkmonitor.publish.disclosure.labels import SMALL_LABELS

MISSING = "–"
KEY_COLUMNS = ("trajectory_type", "financing", "ips_scheme", "ips_phase", "indicator")
# What a cell reads of its row (``Cell``); only these are kept per row.
CELL_COLUMNS = ("numerator", "value", "previous_value", "is_suppressed", "suppression_reason")


@dataclass
class Cell:
    """One row, or its absence (absent = 0 people for counts, no share).

    ``unpublished``: the breakdown is not published at this level at all
    (``published_breakdowns``); the cell then writes that sentence, never 0 or a mask.
    """

    row: dict | None
    is_count: bool
    unpublished: str | None = None

    @property
    def present(self) -> bool:
        return self.row is not None

    @property
    def hidden(self) -> bool:
        return bool(self.row and self.row.get("is_suppressed"))

    def _num(self, key: str) -> float | None:
        if self.row is None:
            return None
        value = self.row.get(key)
        if value is None:
            return None
        if type(value) is float:  # the common case, without pandas' slower isna
            return None if value != value else value
        return None if pd.isna(value) else float(value)

    @property
    def numerator(self) -> float | None:
        if self.unpublished:
            return None
        if self.row is None:
            return 0.0
        return None if self.hidden else self._num("numerator")

    @property
    def value(self) -> float | None:
        if self.unpublished:
            return None
        if self.row is None:
            return 0.0 if self.is_count else None
        return None if self.hidden else self._num("value")

    @property
    def previous(self) -> float | None:
        """The previous quarter's value; None when this cell (or it) is hidden."""
        return None if self.hidden else self._num("previous_value")

    @property
    def mask(self) -> str | None:
        """What stands in a hidden cell's place (``<5`` or ``x``, or the unpublished
        sentence); None when shown."""
        if self.unpublished:
            return self.unpublished
        if not self.hidden:
            return None
        # the reasons whose cells read <5 in the file's display_value
        return "<5" if self.row.get("suppression_reason") in SMALL_LABELS else "x"

    @property
    def n(self) -> str:
        """The count (or a share's numerator) as text."""
        if self.unpublished:
            return self.unpublished
        if self.row is None:
            return "0"
        if self.hidden:
            return self.mask
        return fmt_count(self._num("numerator"))

    def _value_text(self, fmt) -> str:
        """The value written by ``fmt``; ``x`` when hidden, ``–`` when absent or empty."""
        if self.unpublished:
            return self.unpublished
        if self.row is None:
            return MISSING
        if self.hidden:
            return "x"
        value = self._num("value")
        return MISSING if value is None else fmt(value)

    @property
    def pct(self) -> str:
        return self._value_text(fmt_pct)

    @property
    def ratio(self) -> str:
        return self._value_text(fmt_ratio)

    def text(self, kind: str) -> str:
        """The cell as a report writes it for an indicator of ``kind``."""
        return {"count": self.n, "share": self.pct}.get(kind, self.ratio)


_INDEX: list[tuple[pd.DataFrame, dict]] = []  # the last few frames' rows by scope


def _rows_by_scope(frame: pd.DataFrame) -> dict[tuple, dict[tuple, dict]]:
    """``{(level, code): {key: row}}`` of ``frame``, made once per frame.

    A quarter's ~80 reports read ~220 scopes of the same few frames; filtering
    and converting the frame anew for each cost more than drawing the reports.
    """
    for seen, index in _INDEX:
        if seen is frame:
            return index
    index: dict[tuple, dict[tuple, dict]] = {}
    if len(frame):
        columns = [c for c in CELL_COLUMNS if c in frame]
        keys = zip(*(frame[c].tolist() for c in KEY_COLUMNS), strict=True)
        level = frame["level"].tolist()
        region = frame["region_code"].tolist() if "region_code" in frame else [None] * len(frame)
        org = (
            frame["organisation_code"].tolist()
            if "organisation_code" in frame
            else [None] * len(frame)
        )
        values = zip(*(frame[c].tolist() for c in columns), strict=True)
        for lv, reg, oc, key, row in zip(level, region, org, keys, values, strict=True):
            code = reg if lv == "region" else oc if lv == "organisation" else None
            index.setdefault((lv, code), {})[key] = dict(zip(columns, row, strict=True))
    _INDEX.insert(0, (frame, index))
    del _INDEX[4:]
    return index


class Scope:
    """The rows of one quarter for one level (and region or organisation)."""

    def __init__(
        self,
        frame: pd.DataFrame,
        level: str,
        code: str | None = None,
        counts=frozenset(),
        published: PublishedBreakdowns | None = None,
    ):
        code = code if level in ("region", "organisation") else None
        self.level, self.code, self.counts = level, code, counts
        self.frame = frame
        self.rows = _rows_by_scope(frame).get((level, code), {})
        self.published = published or PublishedBreakdowns(None)

    def national(self) -> Scope:
        """The national rows of the same frame (the figure a region report names
        as national where the region's is not published)."""
        return Scope(self.frame, "national", counts=self.counts, published=self.published)

    def is_published(self, ttype: str, breakdown: str) -> bool:
        """Whether the public file publishes this breakdown of ``ttype`` at this level."""
        return self.published.is_published(self.level, ttype, breakdown)

    def unpublished(self, ttype: str, *breakdowns: str) -> str | None:
        """The sentence for a breakdown not published here (``niet gepubliceerd op
        regioniveau``) when every one of ``breakdowns`` is unpublished, else None."""
        if all(not self.is_published(ttype, b) for b in breakdowns):
            return unpublished_text(self.level)
        return None

    def get(
        self,
        indicator: str,
        ttype: str = "ALL",
        fin: str = "ALL",
        scheme: str = "ALL",
        phase: str = "ALL",
    ) -> Cell:
        bd = breakdown_of(fin, scheme, phase)
        if not self.published.is_published(self.level, ttype, bd, indicator):
            return Cell(None, indicator in self.counts, unpublished_text(self.level))
        row = self.rows.get((ttype, fin, scheme, phase, indicator))
        return Cell(row, indicator in self.counts)

    @property
    def empty(self) -> bool:
        return not self.rows

    def types_present(self) -> set[str]:
        return {key[0] for key in self.rows}


def not_published_here(
    scope: Scope, codes, ttype: str = "ALL", what: str | None = None
) -> list | None:
    """When ``scope``'s level publishes none of the indicators ``codes`` (a family
    national only: ``published_indicators``): a sentence saying so (about
    ``what``, else the indicators' names), with the national figures labelled
    as national; None when any is published (the caller writes its own)."""
    from werkmonitor.publish.reports import labels

    if not codes or not all(scope.get(code, ttype).unpublished for code in codes):
        return None
    national = scope.national()
    names = [labels.label(code) for code in codes]
    figures = Markup("; ").join(
        Markup("%s ") % name.lower()
        + b(national.get(code, ttype).text(labels.indicator(code).kind))
        for code, name in zip(codes, names, strict=True)
    )
    verb = "wordt" if what is not None or len(names) == 1 else "worden"
    if what is None:
        what = " en ".join([", ".join(n.lower() for n in names[:-1]), names[-1].lower()][-2:])
        what = names[0].lower() if len(names) == 1 else what
    return [f"{what[:1].upper()}{what[1:]} {verb} {unpublished_text(scope.level)}. Landelijk: ",
            figures, "."]  # fmt: skip


def b(text: str) -> Markup:
    return Markup("<strong>%s</strong>") % text


def clients(cell: Cell) -> list:
    """``<strong>12</strong> cliënten (<strong>37,5%</strong>)``: a share's count and
    percentage as every report sentence writes them (``p(blocks, *clients(c), " …")``)."""
    return [b(cell.n), " cliënten (", b(cell.pct), ")"]


def change_words(cell: Cell, kind: str = "count") -> Markup:
    """``een daling van 167`` / ``een stijging van 0,9 procentpunt``."""
    cur, prev = cell.value, cell.previous
    if cur is None or prev is None:
        return Markup("niet te vergelijken met het vorige kwartaal (niet getoond)")
    diff = cur - prev
    if round(diff, 9) == 0:
        return Markup("gelijk gebleven")
    if kind == "share":
        amount = fmt_pp(abs(diff), sign=False)
    elif kind == "relative":
        if prev == 0:
            return Markup("niet te vergelijken (vorig kwartaal 0)")
        amount = fmt_pct(abs(diff) / prev)
    else:
        amount = fmt_count(abs(diff))
    word = "stijging" if diff > 0 else "daling"
    return Markup("een ") + b(f"{word} van {amount}")


def signed_relative(cell: Cell) -> str:
    cur, prev = cell.value, cell.previous
    if cur is None or prev is None or prev == 0:
        return MISSING
    return fmt_pct((cur - prev) / prev, sign=True)


def share_of(cell: Cell, total: Cell) -> str:
    if cell.unpublished or total.unpublished:
        return cell.unpublished or total.unpublished
    if cell.hidden or total.hidden:
        return "x"
    if not total.value:
        return MISSING
    return fmt_pct((cell.value or 0) / total.value)
