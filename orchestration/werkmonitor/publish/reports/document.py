"""A report's content as blocks (paragraphs, lists, tables, figures).

The builders fill a :class:`Report`; the Jinja template only lays it out, so
what a report says is testable without parsing HTML.
"""

from __future__ import annotations

import json

from markupsafe import Markup, escape

from werkmonitor import charts

# The report being drawn (``regio/AM13``): log lines and the test hook name it.
CURRENT: dict = {"job": None}


class ReportError(RuntimeError):
    """A report (or a quarter's reports) cannot be made; the message says why."""


def script_json(payload) -> Markup:
    """JSON to sit in a ``<script type="application/json">`` (no ``</`` can close it)."""
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    return Markup(text.replace("</", "<\\/").replace("<!--", "<\\u0021--"))


# template_key → (the template's JSON, its parts: kept alive so the key's ids stay theirs)
_TEMPLATE_JSON: dict[tuple, tuple[str, tuple]] = {}


def _template_json(spec: dict) -> str:
    """``script_json`` of the spec's template, serialised once per template (a quarter
    draws ~560 charts of a few dozen templates)."""
    key = charts.template_key(spec)
    if key not in _TEMPLATE_JSON:
        if len(_TEMPLATE_JSON) > 512:
            _TEMPLATE_JSON.clear()
        template = charts.template_of(spec)
        _TEMPLATE_JSON[key] = str(script_json(template)), tuple(template.values())
    return _TEMPLATE_JSON[key][0]


class Report:
    """Content of one report; the template lays it out.

    A figure is a chart spec the page draws in the browser: its rows and text
    alternative sit with the figure, the rest of the spec (the same for every
    chart of a shape) once per report in ``templates``; the figure's table
    (:func:`werkmonitor.charts.data_table`) stands in for it without
    JavaScript.
    """

    def __init__(self, kind: str, title: str, subtitle: str):
        self.kind, self.title, self.subtitle = kind, title, subtitle
        self.sections: list[dict] = []
        self.figure_no = 0
        self.templates: dict[str, str] = {}  # template JSON → its id in the page

    def section(self, title: str) -> list:
        blocks: list = []
        self.sections.append({"title": title, "blocks": blocks})
        return blocks

    def figure(self, blocks: list, spec: dict, caption: str) -> None:
        self.figure_no += 1
        template = _template_json(spec)
        header, rows = charts.data_table(spec)
        blocks.append(
            {
                "kind": "figure",
                "number": self.figure_no,
                "spec": spec,
                "template": self.templates.setdefault(template, f"t{len(self.templates)}"),
                "data": script_json(
                    {"datasets": spec["datasets"], "description": spec["description"]}
                ),
                "description": spec["description"],
                "header": header,
                "rows": rows,
                "caption": f"Figuur {self.figure_no}. {caption}",
            }
        )

    def templates_json(self) -> Markup:
        """``{id: template}`` for the page's script, as JSON text."""
        return Markup("{%s}") % Markup(",").join(
            Markup('"%s":%s') % (tid, Markup(text)) for text, tid in self.templates.items()
        )


def rows_html(rows: list[list], indent: int) -> Markup:
    """A table's body rows, one ``<tr>`` a line, the first cell a label and the others
    numbers (``class="num"``); every cell escaped.

    The template calls this instead of looping: Jinja's loop over ~10^5 cells a
    quarter was a tenth of the reports' time. The output is what the loop wrote.
    """
    pad = " " * indent
    lines = []
    for row in rows:
        cells = "".join(
            f'<td class="num">{escape(c)}</td>' if i else f"<td>{escape(c)}</td>"
            for i, c in enumerate(row)
        )
        lines.append(f"{pad}<tr>{cells}</tr>\n")
    return Markup("".join(lines))


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
