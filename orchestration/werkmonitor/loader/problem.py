"""One reason a submission is rejected or a row quarantined, and its message.

Every message has the same shape in a language: where (file, sheet, row,
column), what was delivered (never for identifiers), which rule, and the rule
code in brackets so a helpdesk can search for it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

_VALUE_MAX = 80

_WHERE = {
    "nl": ("Bestand {}", "blad {}", "rij {}", "kolom {}"),
    "en": ("File {}", "sheet {}", "row {}", "column {}"),
}


def shorten(value: str) -> str:
    value = value.replace("\n", " ").replace("\r", " ")
    return value if len(value) <= _VALUE_MAX else value[: _VALUE_MAX - 1] + "…"


@dataclass
class Problem:
    """One reason a submission is rejected or a row quarantined.

    ``value`` is the delivered text; it is None for identifiers (and where no
    single value is at fault), and then no message shows one.
    """

    file: str
    sheet: str | None
    source_row: int | None
    column: str | None
    value: str | None
    rule_code: str
    params: dict = field(default_factory=dict)
    traject_id: str | None = None

    def render(self, lang: str = "nl") -> str:
        lang = "en" if lang == "en" else "nl"
        file_t, sheet_t, row_t, col_t = _WHERE[lang]
        parts = [file_t.format(self.file)]
        if self.sheet:
            parts.append(sheet_t.format(self.sheet))
        if self.source_row is not None:
            parts.append(row_t.format(self.source_row))
        if self.column:
            parts.append(col_t.format(self.column))
        from werkmonitor.loader.messages import TEMPLATES

        template = TEMPLATES[self.rule_code][0 if lang == "nl" else 1]
        shown = "" if self.value is None else shorten(self.value)
        body = template.format(value=shown, **self.params)
        return f"{', '.join(parts)}: {body} [{self.rule_code}]"

    @property
    def message(self) -> str:
        return self.render("nl")
