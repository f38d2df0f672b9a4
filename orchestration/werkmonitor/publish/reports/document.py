"""A report's content as blocks (paragraphs, lists, tables, figures).

The builders fill a :class:`Report`; the Jinja template only lays it out, so
what a report says is testable without parsing HTML.
"""

from __future__ import annotations

from markupsafe import Markup, escape

# The report being drawn (``regio/AM13``): log lines and the test hook name it.
CURRENT: dict = {"job": None}


class ReportError(RuntimeError):
    """A report (or a quarter's reports) cannot be made; the message says why."""


class Report:
    """Content of one report; the template lays it out."""

    def __init__(self, kind: str, title: str, subtitle: str):
        self.kind, self.title, self.subtitle = kind, title, subtitle
        self.sections: list[dict] = []
        self.figure_no = 0

    def section(self, title: str) -> list:
        blocks: list = []
        self.sections.append({"title": title, "blocks": blocks})
        return blocks

    def figure(self, blocks: list, svg: str, caption: str) -> None:
        self.figure_no += 1
        blocks.append(
            {"kind": "figure", "svg": Markup(svg), "caption": f"Figuur {self.figure_no}. {caption}"}
        )


def _join(parts) -> Markup:
    return Markup("").join(p if isinstance(p, Markup) else escape(p) for p in parts)


def p(blocks: list, *parts) -> None:
    blocks.append({"kind": "p", "html": _join(parts)})


def ul(blocks: list, items: list) -> None:
    blocks.append({"kind": "ul", "items": [_join(item) for item in items]})


def h(blocks: list, text: str) -> None:
    blocks.append({"kind": "h3", "text": text})


def table(blocks: list, header: list[str], rows: list[list], note: str = "") -> None:
    blocks.append({"kind": "table", "header": header, "rows": rows, "note": note})
