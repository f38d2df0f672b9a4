"""The body every report shares: introduction, general results, one section per type.

National, regional and organisation reports tell the same story about a
different scope; ``build_body`` writes it into a :class:`Report`.
"""

from __future__ import annotations

from werkmonitor.formatting import fmt_count, fmt_pct
from werkmonitor.publish.reports import ips, labels, plots, sections
from werkmonitor.publish.reports.cells import Scope, b, change_words, clients, not_published_here
from werkmonitor.publish.reports.document import Report, h, p, ul

WHERE = {
    "national": "op landelijk niveau",
    "region": "voor de arbeidsmarktregio {}",
    "organisation": "voor {}",
}


def introduction(rep: Report, ql: str, where: str, status_text: str | None = None) -> list:
    blocks = rep.section("Inleiding en algemene resultaten")
    h(blocks, "Inleiding")
    p(
        blocks,
        "De landelijke werkmonitor Hoofdzaak Werk biedt inzicht in de inzet en de "
        "resultaten van begeleidingstrajecten naar betaald werk voor mensen met psychische "
        f"problemen. In dit rapport delen we de resultaten {where} over ",
        b(ql),
        ".",
    )
    if rep.kind != "organisation":
        ul(
            blocks,
            [
                [
                    "Aantallen van 1 tot en met 4 tonen we als ",
                    b("<5"),
                    "; percentages met minder dan 10 cliënten in de noemer, en getallen "
                    "waaruit een verborgen getal terug te rekenen is, tonen we als ",
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
    if status_text:
        p(blocks, status_text)
    return blocks


def build_body(
    rep: Report, scope: Scope, ql: str, pl: str, history, n_organisations: int | None = None
) -> None:
    """General results and the type sections of ``scope`` into ``rep``."""
    blocks = rep.sections[-1]["blocks"]
    if scope.empty:
        p(blocks, "Voor dit kwartaal zijn er geen gegevens aangeleverd.")
        return
    g = scope.get
    types = labels.trajectory_types()
    h(blocks, "Algemene resultaten")
    running, ips_running = g("running"), g("running", "IPS")
    ips_share = (
        fmt_pct(ips_running.value / running.value)
        if running.value and ips_running.value is not None
        else "x"
    )
    p(
        blocks,
        f"In {ql} werden ",
        b(running.n),
        " mensen met psychische problemen begeleid naar betaald werk, waarvan ",
        b(ips_share),
        " met IPS. Dit is ",
        change_words(running),
        f" trajecten ten opzichte van {pl}.",
    )
    cells = [g("running", t) for t in types]
    cats = list(types.values())
    sections.breakdown_figure(
        rep,
        blocks,
        cats,
        cells,
        lambda names, cs: plots.bar_chart(
            names,
            {ql.capitalize(): [c.value for c in cs]},
            {ql.capitalize(): [c.mask for c in cs]},
            horizontal=True,
        ),
        f"Verdeling aantal lopende trajecten naar werk in {ql}.",
    )
    sections.breakdown_figure(
        rep,
        blocks,
        cats,
        cells,
        _difference_chart,
        f"Verschil in aantal lopende trajecten ten opzichte van {pl}.",
    )
    paid, sust, ever = g("paid_work"), g("sustainable_paid_work"), g("ever_paid_work")
    ended, intended = g("ended"), g("ended_intended_result")
    items = []
    if n_organisations is not None:
        noun = "ggz-organisatie" if n_organisations == 1 else "ggz-organisaties"
        items.append(
            ["De informatie is aangeleverd door ", b(fmt_count(n_organisations)), f" {noun}."]
        )
    items += [
        [b(g("started").n), f" cliënten startten in {ql} een traject."],
        [
            f"In {ql} hadden ",
            *clients(paid),
            " een reguliere betaalde baan; dit is ",
            change_words(paid, "share"),
            f" ten opzichte van {pl}. ",
            *clients(sust),
            " hadden een duurzaam betaalde baan en ",
            *clients(ever),
            " hadden ooit tijdens hun lopende traject betaald werk.",
        ],
        [
            f"In {ql} beëindigden ",
            b(ended.n),
            " cliënten hun traject",
            *(
                [". ", *not_published_here(scope, ["ended_intended_result"])]
                if intended.unpublished
                else [
                    ", waarvan ",
                    b(intended.n),
                    " (",
                    b(intended.pct),
                    ") met het beoogde resultaat.",
                ]
            ),
        ],
    ]
    ul(blocks, items)
    ips.ips_section(rep, scope, ql, pl, history)
    sections.jobcoaching_section(rep, scope, ql, pl)
    sections.uwv_section(rep, scope, ql, pl)
    sections.other_section(rep, scope, ql, pl, "WABZ", "Werk als Beste Zorg")
    sections.other_section(rep, scope, ql, pl, "OVERIG", "Overige trajecten naar werk")


def _difference_chart(names: list, cells: list) -> dict:
    diffs = [
        c.value - c.previous if c.value is not None and c.previous is not None else None
        for c in cells
    ]
    return plots.bar_chart(
        names,
        {"Verschil": diffs},
        {"Verschil": [None if d is not None else "x" for d in diffs]},
        horizontal=True,
        signed=True,
    )
