"""Quarterly reports in Dutch (HTML, PDF when Chromium is installed).

Every number comes from the PUBLISHED file, after suppression: a report can
never show a cell the file hides. The structure follows the published national
report for Q3 2024 (seeds 002): introduction and general results, IPS,
jobcoaching, UWV Werkfit and Naar Werk, WABZ, other trajectories, appendix
with the regions marked ``*`` (incomplete) and ``**`` (no provider).
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd
from markupsafe import Markup, escape

from werkmonitor.publish import charts, svgcharts
from werkmonitor.publish.build import PUBLISHED_NAME
from werkmonitor.publish.formatting import fmt_count, fmt_number, fmt_pct
from werkmonitor.quarters import Quarter
from werkmonitor.reference import organisations, read_seed, regions

log = logging.getLogger(__name__)

CHROMIUM = Path("/usr/bin/chromium")
TYPES = ["IPS", "WABZ", "JOBCOACHING", "WERKFIT", "NAAR_WERK", "OVERIG"]
TYPE_SHORT = {
    "IPS": "IPS",
    "WABZ": "WABZ",
    "JOBCOACHING": "Jobcoaching",
    "WERKFIT": "Werkfit",
    "NAAR_WERK": "Naar Werk",
    "OVERIG": "Overig",
}
FIN_LABEL = {"UWV": "UWV", "GEMEENTE": "Gemeente", "OVERIG": "Overig"}
SCHEME_LABEL = {"EPA": "IPS-EPA", "CMD": "IPS-CMD", "GEEN": "Geen regeling"}
MISSING = "–"


class ReportError(RuntimeError):
    pass


@dataclass
class Cell:
    """One published indicator row, or its absence (absent = 0 people)."""

    row: dict | None
    is_count: bool

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
        return None if value is None or pd.isna(value) else float(value)

    @property
    def numerator(self) -> float | None:
        if self.row is None:
            return 0.0
        return None if self.hidden else self._num("numerator")

    @property
    def value(self) -> float | None:
        if self.row is None:
            return 0.0 if self.is_count else None
        return None if self.hidden else self._num("value")

    @property
    def previous(self) -> float | None:
        return self._num("previous_value")

    @property
    def mask(self) -> str:
        return str(self.row.get("display_value") or "x") if self.hidden else ""

    @property
    def n(self) -> str:
        """The count (or a share's numerator) as text."""
        if self.row is None:
            return "0"
        if self.hidden:
            reason = self.row.get("suppression_reason")
            return "<5" if reason == "small_count" else "x"
        return fmt_count(self._num("numerator"))

    @property
    def pct(self) -> str:
        if self.row is None:
            return MISSING
        if self.hidden:
            return "x"
        value = self._num("value")
        return MISSING if value is None else fmt_pct(value)

    @property
    def ratio(self) -> str:
        if self.row is None or self.hidden:
            return MISSING if self.row is None else "x"
        value = self._num("value")
        return MISSING if value is None else fmt_number(value, 1)


def b(text: str) -> Markup:
    return Markup("<strong>%s</strong>") % text


def change_words(cell: Cell, kind: str = "count") -> Markup:
    """``een daling van 167`` / ``een stijging van 0,9 procentpunt``."""
    cur, prev = cell.value, cell.previous
    if cur is None or prev is None:
        return Markup("niet te vergelijken met het vorige kwartaal (niet getoond)")
    diff = cur - prev
    if kind == "share":
        amount = fmt_number(abs(diff) * 100, 1) + " procentpunt"
    elif kind == "relative":
        if prev == 0:
            return Markup("niet te vergelijken (vorig kwartaal 0)")
        amount = fmt_pct(abs(diff) / prev)
    else:
        amount = fmt_count(abs(diff))
    if round(diff, 9) == 0:
        return Markup("gelijk gebleven")
    word = "stijging" if diff > 0 else "daling"
    return Markup("een ") + b(f"{word} van {amount}")


def signed_relative(cell: Cell) -> str:
    cur, prev = cell.value, cell.previous
    if cur is None or prev is None or prev == 0:
        return MISSING
    return fmt_pct((cur - prev) / prev, sign=True)


class Scope:
    """The quarter's published rows for one level (and region or organisation)."""

    def __init__(self, frame: pd.DataFrame, level: str, code: str | None = None):
        rows = frame[frame["level"] == level]
        if level == "region":
            rows = rows[rows["region_code"] == code]
        elif level == "organisation":
            rows = rows[rows["organisation_code"] == code]
        self.level, self.code = level, code
        self.rows = {
            (
                r["trajectory_type"],
                r["financing"],
                r["ips_scheme"],
                r["ips_phase"],
                r["indicator"],
            ): r
            for r in rows.to_dict("records")
        }

    def get(
        self,
        indicator: str,
        ttype: str = "ALL",
        fin: str = "ALL",
        scheme: str = "ALL",
        phase: str = "ALL",
    ) -> Cell:
        row = self.rows.get((ttype, fin, scheme, phase, indicator))
        is_count = indicator in ("orientation", "orientation_ended", "running", "started", "ended")
        return Cell(row, is_count)

    @property
    def empty(self) -> bool:
        return not self.rows


class Report:
    """Content of one report; the template lays it out."""

    def __init__(self, kind: str, title: str, subtitle: str):
        self.kind, self.title, self.subtitle = kind, title, subtitle
        # matplotlib for the one national report; plain SVG for the ~80
        # regional and organisation reports (see svgcharts).
        self.charts = charts if kind == "national" else svgcharts
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


def _p(blocks: list, *parts) -> None:
    blocks.append(
        {
            "kind": "p",
            "html": Markup("").join(p if isinstance(p, Markup) else escape(p) for p in parts),
        }
    )


def _ul(blocks: list, items: list) -> None:
    blocks.append(
        {
            "kind": "ul",
            "items": [
                Markup("").join(p if isinstance(p, Markup) else escape(p) for p in item)
                for item in items
            ],
        }
    )


def _h(blocks: list, text: str) -> None:
    blocks.append({"kind": "h3", "text": text})


def _table(blocks: list, header: list[str], rows: list[list], note: str = "") -> None:
    blocks.append({"kind": "table", "header": header, "rows": rows, "note": note})


def _v(cell: Cell) -> float | None:
    return cell.value


def _mask(cell: Cell) -> str | None:
    return cell.n if cell.hidden else None


class ReportData:
    def __init__(self, con: duckdb.DuckDBPyConnection, quarter: str):
        self.quarter = quarter
        q = Quarter.parse(quarter)
        self.q, self.prev_q = q, q.previous()
        publication = con.execute("select * from publication").df()
        if quarter not in set(publication["quarter"]):
            held = ", ".join(sorted(set(publication["quarter"]))) or "none"
            raise ReportError(f"quarter {quarter} is not in the published file (it holds: {held})")
        self.publication = publication
        self.pub_rows = publication[publication["quarter"] == quarter]
        self.indicators = con.execute(
            "select * from quarterly_indicators where quarter = ?", [quarter]
        ).df()
        self.history = con.execute(
            "select quarter, level, region_code, organisation_code, trajectory_type, indicator, "
            "value, is_suppressed from quarterly_indicators where financing = 'ALL' and "
            "ips_scheme = 'ALL' and ips_phase = 'ALL' and indicator in "
            "('paid_work', 'sustainable_paid_work', 'ever_paid_work')"
        ).df()
        tables = {r[0] for r in con.execute("select table_name from duckdb_tables()").fetchall()}
        self.completeness = (
            con.execute("select * from region_completeness where quarter = ?", [quarter]).df()
            if "region_completeness" in tables
            else pd.DataFrame()
        )
        self.labels = {r["indicator"]: r["label_nl"] for r in read_seed("indicators")}

    def stamp(self) -> dict:
        row = self.pub_rows.iloc[0]
        files = [
            f"{o} {f} ({str(h)[:12]})"
            for o, f, h in zip(
                self.pub_rows["organisation_code"],
                self.pub_rows["file_name"],
                self.pub_rows["content_hash"],
                strict=True,
            )
            if isinstance(o, str)
        ]
        return {
            "publication_id": row["publication_id"],
            "published_at": pd.Timestamp(row["published_at"]).strftime("%d-%m-%Y %H:%M UTC"),
            "quarter_publication_id": row["quarter_publication_id"],
            "data_version": row["data_version"],
            "gate_status": row["gate_status"],
            "files": files,
            "rendered_at": datetime.now(UTC).strftime("%d-%m-%Y %H:%M UTC"),
        }

    def history_series(self, level: str, code: str | None, ttype: str) -> tuple[list, dict]:
        h = self.history[
            (self.history["level"] == level) & (self.history["trajectory_type"] == ttype)
        ]
        if level == "region":
            h = h[h["region_code"] == code]
        elif level == "organisation":
            h = h[h["organisation_code"] == code]
        quarters = sorted(
            {q for q in h["quarter"] if Quarter.parse(q) <= self.q}, key=Quarter.parse
        )[-6:]
        series = {}
        for ind, label in (
            ("paid_work", "Betaald werk"),
            ("sustainable_paid_work", "Duurzaam betaald werk"),
            ("ever_paid_work", "Ooit betaald werk"),
        ):
            values = []
            for q in quarters:
                hit = h[(h["quarter"] == q) & (h["indicator"] == ind)]
                ok = len(hit) and not bool(hit["is_suppressed"].iloc[0])
                values.append(float(hit["value"].iloc[0]) if ok else None)
            series[label] = values
        labels = [f"K{Quarter.parse(q).q} {Quarter.parse(q).year}" for q in quarters]
        return labels, series


def _qlabel(q: Quarter) -> str:
    return q.label_nl()


def build_report(
    data: ReportData,
    scope: Scope,
    kind: str,
    title: str,
    subtitle: str,
    peers: dict | None = None,
    region_status: dict | None = None,
) -> Report:
    rep = Report(kind, title, subtitle)
    ql, pl = _qlabel(data.q), _qlabel(data.prev_q)
    g = scope.get

    # 1. Inleiding en algemene resultaten
    blocks = rep.section("Inleiding en algemene resultaten")
    _h(blocks, "Inleiding")
    where = {
        "national": "op landelijk niveau",
        "region": f"voor de arbeidsmarktregio {subtitle}",
        "organisation": f"voor {subtitle}",
    }[kind]
    _p(
        blocks,
        "De landelijke werkmonitor Hoofdzaak Werk biedt inzicht in de inzet en de "
        "resultaten van begeleidingstrajecten naar betaald werk voor mensen met psychische "
        f"problemen. In dit rapport delen we de resultaten {where} over ",
        b(ql),
        ".",
    )
    _ul(
        blocks,
        [
            [
                "Aantallen van 1 tot en met 4 tonen we als ",
                b("<5"),
                "; percentages met minder dan "
                "10 cliënten in de noemer, en getallen waaruit een verborgen getal "
                "terug te rekenen is, tonen we als ",
                b("x"),
                ".",
            ],
            [
                "Regio's met onvolledige gegevens zijn gemarkeerd met ",
                b("*"),
                ", regio's zonder aanbieder met ",
                b("**"),
                " (zie de bijlage).",
            ],
        ],
    )
    if region_status:
        _p(blocks, Markup(region_status["text"]))
    if scope.empty:
        _p(blocks, "Voor dit kwartaal zijn er geen gegevens aangeleverd.")
        return rep
    if peers is not None:
        _organisation_comparison(rep, blocks, data, scope, peers)

    _h(blocks, "Algemene resultaten")
    running = g("running")
    ips_running = g("running", "IPS")
    ips_share = (
        fmt_pct(ips_running.value / running.value)
        if running.value and ips_running.value is not None
        else "x"
    )
    _p(
        blocks,
        f"In {ql} werden ",
        b(running.n),
        " mensen met psychische problemen begeleid naar betaald werk, waarvan ",
        b(ips_share),
        " met IPS. Dit is ",
        change_words(running),
        f" trajecten ten opzichte van {pl}.",
    )
    cats = [TYPE_SHORT[t] for t in TYPES]
    cells = [g("running", t) for t in TYPES]
    rep.figure(
        blocks,
        rep.charts.bar_chart(
            cats,
            {ql.capitalize(): [_v(c) for c in cells]},
            {ql.capitalize(): [_mask(c) for c in cells]},
            horizontal=True,
        ),
        f"Verdeling aantal lopende trajecten naar werk in {ql}.",
    )
    diffs, dmasks = [], []
    for c in cells:
        if c.value is not None and c.previous is not None:
            diffs.append(c.value - c.previous)
            dmasks.append(None)
        else:
            diffs.append(None)
            dmasks.append("x")
    rep.figure(
        blocks,
        rep.charts.bar_chart(
            cats, {"Verschil": diffs}, {"Verschil": dmasks}, horizontal=True, signed=True
        ),
        f"Verschil in aantal lopende trajecten ten opzichte van {pl}.",
    )
    paid, sust, ever = g("paid_work"), g("sustainable_paid_work"), g("ever_paid_work")
    ended, intended = g("ended"), g("ended_intended_result")
    items = []
    if kind == "national":
        n_orgs = data.pub_rows["organisation_code"].dropna().nunique()
        items.append(
            ["De informatie is aangeleverd door ", b(fmt_count(n_orgs)), " ggz-organisaties."]
        )
    items += [
        [b(g("started").n), f" cliënten startten in {ql} een traject."],
        [
            f"In {ql} hadden ",
            b(paid.n),
            " cliënten (",
            b(paid.pct),
            ") een reguliere betaalde baan; dit is ",
            change_words(paid, "share"),
            f" ten opzichte van {pl}. ",
            b(sust.n),
            " cliënten (",
            b(sust.pct),
            ") hadden een duurzaam betaalde baan en ",
            b(ever.n),
            " cliënten (",
            b(ever.pct),
            ") hadden ooit tijdens hun lopende traject betaald werk.",
        ],
        [
            f"In {ql} beëindigden ",
            b(ended.n),
            " cliënten hun traject, waarvan ",
            b(intended.n),
            " (",
            b(intended.pct),
            ") met het beoogde resultaat.",
        ],
    ]
    _ul(blocks, items)

    _ips_section(rep, data, scope, kind)
    _jobcoaching_section(rep, data, scope)
    _uwv_section(rep, data, scope)
    others = (("WABZ", "Werk als Beste Zorg"), ("OVERIG", "Overige trajecten naar werk"))
    for ttype, title in others:
        _other_section(rep, data, scope, ttype, title)
    return rep


def _organisation_comparison(
    rep: Report, blocks: list, data: ReportData, scope: Scope, peers: dict
) -> None:
    _h(blocks, "Vergelijking met het landelijk gemiddelde en vergelijkbare organisaties")
    national = peers["national"]
    header = ["Indicator", "Deze organisatie", "Landelijk", peers["label"]]
    rows = []
    for ind in ("running", "started", "ended"):
        own = scope.get(ind)
        nat = national.get(ind)
        avg = nat.value / peers["n_orgs"] if nat.value is not None and peers["n_orgs"] else None
        rows.append(
            [
                f"{data.labels.get(ind, ind)} (aantal; landelijk: gemiddelde per organisatie)",
                own.n,
                fmt_number(avg, 1) if avg is not None else MISSING,
                peers["count"](ind),
            ]
        )
    for ind in (
        "paid_work",
        "sustainable_paid_work",
        "ever_paid_work",
        "job_started",
        "outflow",
        "ended_intended_result",
    ):
        rows.append(
            [
                data.labels.get(ind, ind),
                scope.get(ind).pct,
                national.get(ind).pct,
                peers["share"](ind),
            ]
        )
    rows.append(
        [
            data.labels.get("clients_per_fte", "Cliënten per fte"),
            scope.get("clients_per_fte", "IPS").ratio,
            national.get("clients_per_fte", "IPS").ratio,
            MISSING,
        ]
    )
    _table(blocks, header, rows, note=peers["note"])


def _ips_section(rep: Report, data: ReportData, scope: Scope, kind: str) -> None:
    g = scope.get
    ql, pl = _qlabel(data.q), _qlabel(data.prev_q)
    blocks = rep.section("Resultaten IPS-trajecten")
    running = g("running", "IPS")
    if not running.present:
        _p(blocks, f"In {ql} zijn geen lopende IPS-trajecten aangeleverd.")
        return
    _h(blocks, "Aantal IPS-trajecten")
    _p(blocks, f"In {ql}")
    _ul(
        blocks,
        [
            ["hadden ", b(running.n), " cliënten een lopend IPS-traject;"],
            ["zijn ", b(g("started", "IPS").n), " cliënten een IPS-traject gestart;"],
            ["hebben ", b(g("ended", "IPS").n), " cliënten een IPS-traject beëindigd;"],
            [
                "waren ",
                b(g("orientation", "IPS").n),
                " cliënten in de oriëntatiefase (geen IPS-traject, apart geteld).",
            ],
        ],
    )
    _p(
        blocks,
        f"Ten opzichte van {pl} is het totaal aantal lopende IPS-trajecten veranderd: ",
        b(signed_relative(running)),
        ".",
    )
    _h(blocks, "Financiering, regeling en fase")
    fin = [g("running", "IPS", f) for f in FIN_LABEL]
    sch = [g("running", "IPS", "ALL", s) for s in SCHEME_LABEL]
    cats = list(FIN_LABEL.values()) + list(SCHEME_LABEL.values())
    cells = fin + sch
    _p(
        blocks,
        "Lopende IPS-trajecten naar financiering: ",
        Markup(", ").join(
            Markup("%s ") % name + b(c.n) + Markup(" (%s)") % _share_of(c, running)
            for name, c in zip(FIN_LABEL.values(), fin, strict=True)
        ),
        "; naar regeling: ",
        Markup(", ").join(
            Markup("%s ") % name + b(c.n) + Markup(" (%s)") % _share_of(c, running)
            for name, c in zip(SCHEME_LABEL.values(), sch, strict=True)
        ),
        ".",
    )
    phases = [g("running", "IPS", "ALL", "ALL", p) for p in ("AANGEVRAAGD", "GOEDGEKEURD")]
    _p(blocks, "Naar fase: aangevraagd ", b(phases[0].n), ", goedgekeurd ", b(phases[1].n), ".")
    rep.figure(
        blocks,
        rep.charts.bar_chart(
            cats,
            {
                pl.capitalize(): [c.previous if not c.hidden else None for c in cells],
                ql.capitalize(): [_v(c) for c in cells],
            },
            {
                pl.capitalize(): [_mask(c) for c in cells],
                ql.capitalize(): [_mask(c) for c in cells],
            },
        ),
        "Aantal lopende IPS-trajecten per financiering en type traject.",
    )
    if kind != "region":
        fte = g("clients_per_fte", "IPS")
        _h(blocks, "Capaciteit trajectbegeleiding")
        _p(
            blocks,
            f"In {ql} werden ",
            b(fte.ratio),
            " cliënten per fte trajectbegeleiding ondersteund (norm: hoogstens 25).",
        )

    _h(blocks, "Betaald werk en opleiding")
    paid, sust, ever = (
        g("paid_work", "IPS"),
        g("sustainable_paid_work", "IPS"),
        g("ever_paid_work", "IPS"),
    )
    _p(
        blocks,
        f"In {ql} hadden ",
        b(paid.n),
        " cliënten (",
        b(paid.pct),
        ") betaald werk; dit is ",
        change_words(paid, "share"),
        " ten opzichte van het vorige kwartaal. ",
        b(sust.n),
        " cliënten (",
        b(sust.pct),
        ") hadden duurzaam betaald werk. ",
        b(g("job_started", "IPS").n),
        " cliënten zijn gestart en ",
        b(g("job_stopped", "IPS").n),
        " cliënten zijn gestopt met betaald werk. Bij ",
        b(ever.n),
        " cliënten (",
        b(ever.pct),
        ") werd aangegeven dat ze op enig moment tijdens het IPS-traject betaald hebben gewerkt.",
    )
    periods, series = data.history_series(scope.level, scope.code, "IPS")
    if len(periods) >= 1:
        rep.figure(
            blocks,
            rep.charts.line_chart(periods, series),
            "Percentages betaald werk bij IPS-trajecten over de kwartalen.",
        )
    pf = [g("paid_work", "IPS", f) for f in FIN_LABEL] + [
        g("paid_work", "IPS", "ALL", s) for s in SCHEME_LABEL
    ]
    rep.figure(
        blocks,
        rep.charts.bar_chart(
            cats,
            {"Betaald werk": [_v(c) for c in pf]},
            {"Betaald werk": [_mask(c) for c in pf]},
            percent=True,
        ),
        f"Percentage betaald werk per financieringsvorm en type IPS-traject in {ql}.",
    )
    _p(
        blocks,
        "Verder volgden ",
        b(g("education", "IPS").n),
        " cliënten (",
        b(g("education", "IPS").pct),
        ") een opleiding, hadden ",
        b(g("trial_placement", "IPS").n),
        " cliënten een proefplaatsing, ",
        b(g("volunteer_work", "IPS").n),
        " cliënten vrijwilligerswerk of een werkervaringsplaats en ",
        b(g("day_activity", "IPS").n),
        " cliënten arbeidsmatige dagbesteding.",
    )

    _h(blocks, "Tijd tot eerste baan")
    within, after = g("first_job_within_3_months", "IPS"), g("first_job_after_9_months", "IPS")
    _p(
        blocks,
        "Van de cliënten met betaald werk vond ",
        b(within.pct),
        " de eerste betaalde baan binnen 3 maanden na de start van IPS en ",
        b(after.pct),
        " na meer dan 9 maanden.",
    )
    bands = ["0_30", "31_60", "61_150", "151_270", "271_plus"]
    band_cells = [g(f"first_job_days_{x}", "IPS") for x in bands]
    rep.figure(
        blocks,
        rep.charts.bar_chart(
            ["0–30 dagen", "31–60 dagen", "61–150 dagen", "151–270 dagen", "271+ dagen"],
            {"Aandeel": [_v(c) for c in band_cells]},
            {"Aandeel": [_mask(c) for c in band_cells]},
            percent=True,
        ),
        "Tijd tussen start van het IPS-traject en de eerste betaalde baan.",
    )

    _h(blocks, "Uitstroom")
    ended, outflow = g("ended", "IPS"), g("outflow", "IPS")
    _p(
        blocks,
        f"In {ql} hebben ",
        b(ended.n),
        " cliënten (",
        b(outflow.pct),
        f") een IPS-traject beëindigd ({signed_relative(ended)} ten opzichte van {pl}).",
    )
    _ul(
        blocks,
        [
            [
                b(g("ended_with_paid_work", "IPS").n),
                " cliënten ",
                b("met betaald werk"),
                " op het moment van uitstroom;",
            ],
            [
                b(g("ended_worked_before", "IPS").n),
                " cliënten zonder betaald werk, maar ",
                b("met werk op enig moment"),
                " in het IPS-traject;",
            ],
            [
                b(g("ended_never_worked", "IPS").n),
                " cliënten ",
                b("zonder ooit"),
                " tijdens het traject te hebben gewerkt.",
            ],
        ],
    )
    _p(
        blocks,
        "Daarmee heeft ",
        b(g("ended_intended_result", "IPS").pct),
        " van de cliënten het traject beëindigd met het beoogde resultaat.",
    )
    _outflow_figure(rep, blocks, scope, ql)


def _share_of(cell: Cell, total: Cell) -> str:
    if cell.hidden or total.hidden or not total.value:
        return "x" if cell.hidden or total.hidden else MISSING
    return fmt_pct((cell.value or 0) / total.value)


def _outflow_figure(rep: Report, blocks: list, scope: Scope, ql: str) -> None:
    cats, parts = [], {"Met betaald werk": [], "Eerder gewerkt": [], "Nooit gewerkt": []}
    for t in TYPES:
        ended = scope.get("ended", t)
        if not ended.hidden and not ended.value:
            continue
        cats.append(TYPE_SHORT[t])
        for ind, name in (
            ("ended_with_paid_work", "Met betaald werk"),
            ("ended_worked_before", "Eerder gewerkt"),
            ("ended_never_worked", "Nooit gewerkt"),
        ):
            c = scope.get(ind, t)
            hidden = c.hidden or ended.hidden
            parts[name].append(None if hidden else (c.value if c.present else 0.0))
    if cats:
        rep.figure(
            blocks,
            rep.charts.stacked_share_chart(cats, parts),
            f"Status bij uitstroom per type traject in {ql}.",
        )


def _counts_figure(
    rep: Report, blocks: list, scope: Scope, ttypes: list[str], caption: str, pl: str, ql: str
) -> None:
    cats, prev, cur, masks = [], [], [], []
    for t in ttypes:
        for ind, word in (("running", "lopend"), ("started", "gestart"), ("ended", "beëindigd")):
            c = scope.get(ind, t)
            cats.append(f"{TYPE_SHORT[t]} {word}" if len(ttypes) > 1 else word.capitalize())
            cur.append(c.value)
            prev.append(None if c.hidden else (c.previous if c.present else None))
            masks.append(_mask(c))
    rep.figure(
        blocks,
        rep.charts.bar_chart(
            cats,
            {pl.capitalize(): prev, ql.capitalize(): cur},
            {pl.capitalize(): masks, ql.capitalize(): masks},
        ),
        caption,
    )


def _jobcoaching_section(rep: Report, data: ReportData, scope: Scope) -> None:
    g = scope.get
    ql, pl = _qlabel(data.q), _qlabel(data.prev_q)
    blocks = rep.section("Jobcoaching")
    running = g("running", "JOBCOACHING")
    if not running.present:
        _p(blocks, f"In {ql} zijn geen jobcoaching-trajecten aangeleverd.")
        return
    fin = [g("running", "JOBCOACHING", f) for f in FIN_LABEL]
    _p(
        blocks,
        b(running.n),
        " cliënten volgen een jobcoaching-traject, waarvan ",
        b(g("started", "JOBCOACHING").n),
        " een traject zijn gestart en ",
        b(g("ended", "JOBCOACHING").n),
        " een traject hebben beëindigd. ",
        b(_share_of(fin[0], running)),
        " van de trajecten is gefinancierd vanuit UWV, ",
        b(_share_of(fin[1], running)),
        " vanuit gemeenten en ",
        b(_share_of(fin[2], running)),
        " vanuit overige middelen. Van de beëindigde trajecten hadden ",
        b(g("ended_with_paid_work", "JOBCOACHING").n),
        " cliënten het traject beëindigd met werk.",
    )
    _h(blocks, "Duur dienstverband")
    items = []
    for ind, text in (
        ("employment_lt_6_months", "<6 maanden"),
        ("employment_6_12_months", "6-12 maanden"),
        ("employment_gt_12_months", ">12 maanden"),
    ):
        c = g(ind, "JOBCOACHING")
        items.append([b(c.n), f" cliënten ({c.pct}) zijn {text} aan het werk."])
    _ul(blocks, items)
    _counts_figure(
        rep,
        blocks,
        scope,
        ["JOBCOACHING"],
        f"Aantal lopende, gestarte en beëindigde jobcoaching-trajecten in {pl} en {ql}.",
        pl,
        ql,
    )


def _uwv_section(rep: Report, data: ReportData, scope: Scope) -> None:
    g = scope.get
    ql, pl = _qlabel(data.q), _qlabel(data.prev_q)
    blocks = rep.section("UWV Werkfit- en Naar Werk-trajecten")
    if not (g("running", "WERKFIT").present or g("running", "NAAR_WERK").present):
        _p(blocks, f"In {ql} zijn geen Werkfit- of Naar Werk-trajecten aangeleverd.")
        return
    _p(
        blocks,
        "Werkfit: ",
        b(g("running", "WERKFIT").n),
        " lopend, ",
        b(g("started", "WERKFIT").n),
        " gestart, ",
        b(g("ended", "WERKFIT").n),
        " beëindigd. Naar Werk: ",
        b(g("running", "NAAR_WERK").n),
        " lopend, ",
        b(g("started", "NAAR_WERK").n),
        " gestart, ",
        b(g("ended", "NAAR_WERK").n),
        " beëindigd.",
    )
    _counts_figure(
        rep,
        blocks,
        scope,
        ["WERKFIT", "NAAR_WERK"],
        "Aantal Werkfit- en Naar Werk-trajecten.",
        pl,
        ql,
    )
    _h(blocks, "Status bij uitstroom")
    wf, nw = g("ended_intended_result", "WERKFIT"), g("ended_intended_result", "NAAR_WERK")
    _ul(
        blocks,
        [
            [
                b(wf.n),
                " Werkfit-trajecten (",
                b(wf.pct),
                ") en ",
                b(nw.n),
                " Naar Werk-trajecten (",
                b(nw.pct),
                ") zijn succesvol beëindigd.",
            ],
        ],
    )


def _other_section(rep: Report, data: ReportData, scope: Scope, ttype: str, title: str) -> None:
    g = scope.get
    ql, pl = _qlabel(data.q), _qlabel(data.prev_q)
    blocks = rep.section(title)
    running = g("running", ttype)
    if not running.present:
        _p(blocks, f"In {ql} zijn geen trajecten van dit type aangeleverd.")
        return
    fin = [g("running", ttype, f) for f in FIN_LABEL]
    _p(
        blocks,
        f"In {ql} werden ",
        b(running.n),
        " cliënten begeleid in een lopend traject "
        f"({signed_relative(running)} ten opzichte van {pl}). Hierbij waren ",
        b(fin[0].n),
        " trajecten gefinancierd vanuit UWV, ",
        b(fin[1].n),
        " vanuit de gemeente en ",
        b(fin[2].n),
        " via overige financieringsvormen. Verder zijn ",
        b(g("started", ttype).n),
        " cliënten gestart en hebben ",
        b(g("ended", ttype).n),
        " cliënten het traject beëindigd.",
    )
    _counts_figure(
        rep,
        blocks,
        scope,
        [ttype],
        f"Aantal lopende, gestarte en beëindigde trajecten in {pl} en {ql}.",
        pl,
        ql,
    )
    inds = [
        ("paid_work", "Betaald werk"),
        ("sustainable_paid_work", "Duurzaam betaald werk"),
        ("ever_paid_work", "Ooit betaald werk"),
        ("volunteer_work", "Vrijwilligerswerk"),
        ("day_activity", "Dagbesteding"),
        ("trial_placement", "Proefplaatsing"),
    ]
    cells = [g(i, ttype) for i, _ in inds]
    _p(
        blocks,
        Markup("; ").join(
            Markup("%s: ") % name + b(c.n) + Markup(" (%s)") % c.pct
            for (_, name), c in zip(inds, cells, strict=True)
        ),
        ".",
    )
    rep.figure(
        blocks,
        rep.charts.bar_chart(
            [name for _, name in inds],
            {
                pl.capitalize(): [None if c.hidden or not c.present else c.previous for c in cells],
                ql.capitalize(): [_v(c) for c in cells],
            },
            {
                pl.capitalize(): [_mask(c) for c in cells],
                ql.capitalize(): [_mask(c) for c in cells],
            },
            percent=True,
        ),
        f"Resultaten van de verschillende typen plaatsingen in {pl} en {ql}.",
    )
    _h(blocks, "Uitstroom")
    _p(
        blocks,
        "In totaal hebben ",
        b(g("ended", ttype).n),
        " cliënten het traject beëindigd: ",
        b(g("ended_with_paid_work", ttype).n),
        " met betaald werk, ",
        b(g("ended_worked_before", ttype).n),
        " eerder gewerkt en ",
        b(g("ended_never_worked", ttype).n),
        " zonder ooit tijdens het traject te hebben gewerkt.",
    )


def _appendix(rep: Report, data: ReportData, frame: pd.DataFrame) -> None:
    blocks = rep.section("Bijlage. Resultaten per arbeidsmarktregio")
    comp = {r["region_code"]: r for r in data.completeness.to_dict("records")}
    rows = []
    for code, name in regions().items():
        scope = Scope(frame, "region", code)
        c = comp.get(code, {})
        mark = c.get("mark") or ""
        rows.append(
            [
                f"{name}{(' ' + mark) if mark else ''}",
                code,
                scope.get("running").n if not scope.empty else MISSING,
                scope.get("started").n if not scope.empty else MISSING,
                scope.get("paid_work").pct if not scope.empty else MISSING,
                c.get("status_label_nl") or c.get("status") or MISSING,
            ]
        )
    _table(
        blocks,
        ["Arbeidsmarktregio", "Code", "Lopend", "Gestart", "Betaald werk", "Status"],
        rows,
        note="* onvolledige gegevens: niet alle actieve organisaties hebben "
        "aangeleverd (de cijfers zijn een onderschatting); ** geen aanbieder in deze regio.",
    )


def _region_status(data: ReportData, code: str) -> dict | None:
    rows = data.completeness[data.completeness["region_code"] == code]
    if rows.empty:
        return None
    r = rows.iloc[0]
    mark = r.get("mark") or ""
    status = r.get("status")
    missing = r.get("missing_organisations")
    missing = list(missing) if missing is not None and not isinstance(missing, str) else []
    text = {
        "complete": "Alle organisaties die in deze regio actief zijn, hebben gegevens aangeleverd.",
        "incomplete": "* Niet alle organisaties die in deze regio actief zijn, hebben gegevens "
        "aangeleverd; de cijfers zijn een onderschatting.",
        "no_data": "* Er zijn organisaties actief in deze regio, maar geen daarvan heeft "
        "gegevens aangeleverd.",
        "no_provider": "** In deze regio is geen aanbieder actief.",
    }.get(status, "")
    if missing:
        text += " Ontbrekend: " + ", ".join(missing) + "."
    return {"mark": mark, "text": str(escape(text))}


def _peers(frame: pd.DataFrame, data: ReportData, code: str) -> dict:
    """Figures of similar organisations (same kind), without this one.

    Shares pool the visible numerators and denominators of at least three
    peers; with fewer the comparison would all but show one peer's figures.
    """
    orgs = organisations()
    kind = orgs[code].kind if code in orgs else None
    org_rows = frame[
        (frame["level"] == "organisation")
        & (frame["trajectory_type"] == "ALL")
        & (frame["financing"] == "ALL")
        & (frame["ips_scheme"] == "ALL")
        & (frame["ips_phase"] == "ALL")
    ]
    delivering = set(org_rows["organisation_code"].dropna())
    peers = sorted(
        o for o in delivering if o != code and kind and orgs.get(o) and orgs[o].kind == kind
    )
    rows = org_rows[org_rows["organisation_code"].isin(peers)]

    def share(ind: str) -> str:
        hit = rows[(rows["indicator"] == ind) & ~rows["is_suppressed"].astype(bool)]
        if hit["organisation_code"].nunique() < 3 or not hit["denominator"].sum():
            return MISSING
        return fmt_pct(hit["numerator"].sum() / hit["denominator"].sum())

    def count(ind: str) -> str:
        hit = rows[(rows["indicator"] == ind) & ~rows["is_suppressed"].astype(bool)]
        if hit["organisation_code"].nunique() < 3:
            return MISSING
        return fmt_number(hit["numerator"].mean(), 1)

    kind_label = {
        "GGZ_INSTELLING": "ggz-instellingen",
        "RIBW": "RIBW's",
        "OVERIG": "overige organisaties",
    }.get(kind or "", "organisaties")
    return {
        "national": Scope(frame, "national"),
        "n_orgs": len(delivering),
        "label": f"Vergelijkbare organisaties ({kind_label}, n={len(peers)})",
        "share": share,
        "count": count,
        "note": "Vergelijkbare organisaties: organisaties van hetzelfde soort; hun percentages "
        "zijn berekend over hun samengevoegde, niet-verborgen cellen (minimaal 3 "
        "organisaties, anders –), aantallen als gemiddelde per organisatie.",
    }


def _environment():
    from jinja2 import Environment, PackageLoader, select_autoescape

    return Environment(
        loader=PackageLoader("werkmonitor.publish", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _write_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def print_pdf(html: Path, pdf: Path, timeout: int = 180) -> bool:
    """HTML → PDF with headless Chromium; False (and a warning) when it fails."""
    if not CHROMIUM.exists():
        return False
    with tempfile.TemporaryDirectory(prefix="werkmonitor-chromium-") as profile:
        cmd = [
            str(CHROMIUM),
            *chromium_flags(profile),
            f"--print-to-pdf={pdf}",
            "--no-pdf-header-footer",
            html.resolve().as_uri(),
        ]
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired:
            log.warning("chromium timed out printing %s", html)
            return False
    if proc.returncode != 0 or not pdf.exists():
        log.warning("chromium could not print %s: %s", html, proc.stderr[-500:])
        return False
    return True


def chromium_flags(profile_dir: str) -> list[str]:
    return [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile_dir}",
    ]


def render_reports(publish_dir: Path, quarter: str, warehouse: Path | None = None) -> list[Path]:
    """Write the national, regional and organisation reports for ``quarter``.

    ``warehouse`` is accepted for the Dagster asset's signature but not read:
    every figure comes from the published, suppressed file.
    """
    del warehouse
    quarter = str(Quarter.parse(quarter))
    publish_dir = Path(publish_dir)
    source = publish_dir / PUBLISHED_NAME
    if not source.exists():
        raise ReportError(f"no published file at {source}; run publish first")
    con = duckdb.connect(str(source), read_only=True)
    try:
        data = ReportData(con, quarter)
    finally:
        con.close()
    frame = data.indicators
    env = _environment()
    template = env.get_template("report.html.j2")
    out_dir = publish_dir / "reports" / quarter
    stamp = data.stamp()
    written: list[Path] = []

    def emit(rep: Report, path: Path) -> None:
        html = template.render(
            report=rep, stamp=stamp, quarter=quarter, quarter_label=data.q.label_nl()
        )
        _write_text(path, html)
        written.append(path)

    ql = data.q.label_nl()
    national = build_report(
        data,
        Scope(frame, "national"),
        "national",
        "Landelijk rapport resultaten werkmonitor",
        ql.capitalize(),
    )
    _appendix(national, data, frame)
    html_path = out_dir / f"landelijk_{quarter}.html"
    emit(national, html_path)
    pdf_path = html_path.with_suffix(".pdf")
    if print_pdf(html_path, pdf_path):
        written.append(pdf_path)

    for code, name in regions().items():
        status = _region_status(data, code)
        mark = f" {status['mark']}" if status and status["mark"] else ""
        rep = build_report(
            data,
            Scope(frame, "region", code),
            "region",
            f"Regiorapport werkmonitor {ql}",
            f"{name} ({code}){mark}",
            region_status=status,
        )
        emit(rep, out_dir / "regio" / f"{code}.html")

    orgs = organisations()
    delivering = sorted(
        set(frame.loc[frame["level"] == "organisation", "organisation_code"].dropna())
    )
    for code in delivering:
        name = orgs[code].name if code in orgs else code
        rep = build_report(
            data,
            Scope(frame, "organisation", code),
            "organisation",
            f"Organisatierapport werkmonitor {ql}",
            f"{name} ({code})",
            peers=_peers(frame, data, code),
        )
        emit(rep, out_dir / "organisatie" / f"{code}.html")
    stale = out_dir / "organisatie"
    if stale.exists():
        for old in stale.glob("*.html"):
            if old.stem not in delivering:
                old.unlink()
    shutil.rmtree(out_dir / ".tmp", ignore_errors=True)
    return written
