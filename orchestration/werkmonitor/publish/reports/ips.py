"""The IPS section: counts, financing/scheme/phase, capacity, work, time to job, outflow."""

from __future__ import annotations

from markupsafe import Markup

from werkmonitor.publish.reports import labels, plots
from werkmonitor.publish.reports.cells import (
    Scope,
    b,
    change_words,
    clients,
    not_published_here,
    share_of,
    signed_relative,
)
from werkmonitor.publish.reports.data import history_series
from werkmonitor.publish.reports.document import Report, h, p, ul
from werkmonitor.publish.reports.sections import breakdown_figure, open_section, outflow_figure

OUTCOME_AT_END = (
    "ended_with_paid_work",
    "ended_worked_before",
    "ended_never_worked",
    "ended_intended_result",
)


def _listing(names, cells, total) -> Markup:
    if cells and cells[0].unpublished:  # the whole breakdown is not published here
        return Markup("%s") % cells[0].unpublished
    return Markup(", ").join(
        Markup("%s ") % name + b(c.n) + Markup(" (%s)") % share_of(c, total)
        for name, c in zip(names, cells, strict=True)
    )


def ips_section(rep: Report, scope: Scope, ql: str, pl: str, history) -> None:
    g = scope.get
    absent = f"In {ql} zijn geen lopende IPS-trajecten aangeleverd."
    blocks, running = open_section(rep, scope, "Resultaten IPS-trajecten", "IPS", absent)
    if running is None:
        return
    h(blocks, "Aantal IPS-trajecten")
    p(blocks, f"In {ql}")
    ul(
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
    p(
        blocks,
        f"Ten opzichte van {pl} is het totaal aantal lopende IPS-trajecten veranderd: ",
        b(signed_relative(running)),
        ".",
    )
    _financing(rep, blocks, scope, ql, pl, running)
    if rep.kind != "region":
        h(blocks, "Capaciteit trajectbegeleiding")
        p(
            blocks,
            f"In {ql} werden ",
            b(g("clients_per_fte", "IPS").ratio),
            " cliënten per fte trajectbegeleiding ondersteund (norm: hoogstens 25).",
        )
    _work(rep, blocks, scope, ql, history)
    _first_job(rep, blocks, scope)
    _outflow(rep, blocks, scope, ql, pl)


def _financing(rep, blocks, scope: Scope, ql: str, pl: str, running) -> None:
    g = scope.get
    fins, schemes = labels.financing_types(), labels.ips_schemes()
    h(blocks, "Financiering, regeling en fase")
    fin = [g("running", "IPS", f) for f in fins]
    sch = [g("running", "IPS", "ALL", s) for s in schemes]
    p(
        blocks,
        "Lopende IPS-trajecten naar financiering: ",
        _listing(fins.values(), fin, running),
        "; naar regeling: ",
        _listing(schemes.values(), sch, running),
        ".",
    )
    phases = labels.code_labels("ips_phases")
    parts: list = ["Naar fase: "]
    unpublished = scope.unpublished("IPS", "ips_phase")
    for i, code in enumerate(() if unpublished else labels.running_phases()):
        parts += [
            ", " if i else "",
            phases[code].lower(),
            " ",
            b(g("running", "IPS", "ALL", "ALL", code).n),
        ]
    p(blocks, *parts, unpublished or "", ".")
    breakdown_figure(
        rep,
        blocks,
        list(fins.values()) + list(schemes.values()),
        fin + sch,
        lambda names, cells: plots.bar_chart(
            names,
            {
                pl.capitalize(): [c.previous for c in cells],
                ql.capitalize(): [c.value for c in cells],
            },
            {pl.capitalize(): [c.mask for c in cells], ql.capitalize(): [c.mask for c in cells]},
            horizontal=False,
        ),
        "Aantal lopende IPS-trajecten per financiering en type traject.",
    )


def _work(rep, blocks, scope: Scope, ql: str, history) -> None:
    g = scope.get
    h(blocks, "Betaald werk en opleiding")
    paid, sust, ever = (
        g(i, "IPS") for i in ("paid_work", "sustainable_paid_work", "ever_paid_work")
    )
    p(
        blocks,
        f"In {ql} hadden ",
        *clients(paid),
        " betaald werk; dit is ",
        change_words(paid, "share"),
        " ten opzichte van het vorige kwartaal. ",
        *clients(sust),
        " hadden duurzaam betaald werk. ",
        b(g("job_started", "IPS").n),
        " cliënten zijn gestart en ",
        b(g("job_stopped", "IPS").n),
        " cliënten zijn gestopt met betaald werk. Bij ",
        *clients(ever),
        " werd aangegeven dat ze op enig moment tijdens het IPS-traject betaald hebben gewerkt.",
    )
    if history is not None:
        upto, frame = history
        names = {
            i: labels.label(i) for i in ("paid_work", "sustainable_paid_work", "ever_paid_work")
        }
        periods, series = history_series(frame, upto, scope.level, scope.code, "IPS", names)
        if periods:
            rep.figure(
                blocks,
                plots.line_chart(periods, series),
                "Percentages betaald werk bij IPS-trajecten over de kwartalen.",
            )
    fins, schemes = labels.financing_types(), labels.ips_schemes()
    pf = [g("paid_work", "IPS", f) for f in fins] + [
        g("paid_work", "IPS", "ALL", s) for s in schemes
    ]
    name = labels.label("paid_work")
    breakdown_figure(
        rep,
        blocks,
        list(fins.values()) + list(schemes.values()),
        pf,
        lambda names, cells: plots.bar_chart(
            names,
            {name: [c.value for c in cells]},
            {name: [c.mask for c in cells]},
            percent=True,
        ),
        f"Percentage betaald werk per financieringsvorm en type IPS-traject in {ql}.",
    )
    edu = g("education", "IPS")
    activities = ("education", "trial_placement", "volunteer_work", "day_activity")
    note = not_published_here(scope, activities, "IPS")
    if note:
        p(blocks, *note)
        return
    p(
        blocks,
        "Verder volgden ",
        *clients(edu),
        " een opleiding, hadden ",
        b(g("trial_placement", "IPS").n),
        " cliënten een proefplaatsing, ",
        b(g("volunteer_work", "IPS").n),
        " cliënten vrijwilligerswerk of een werkervaringsplaats en ",
        b(g("day_activity", "IPS").n),
        " cliënten arbeidsmatige dagbesteding.",
    )


def _first_job(rep, blocks, scope: Scope) -> None:
    h(blocks, "Tijd tot eerste baan")
    codes = [i.code for i in labels.family("first_job") if i.code.startswith("first_job_days_")]
    note = not_published_here(
        scope, ["first_job_within_3_months", "first_job_after_9_months"], "IPS"
    )
    if note:  # the national figures, named as national, instead of a grid of x
        p(blocks, *note)
        _first_job_chart(rep, blocks, scope.national(), codes, " Landelijke cijfers.")
        return
    g = scope.get
    p(
        blocks,
        "Van de cliënten met betaald werk vond ",
        b(g("first_job_within_3_months", "IPS").pct),
        " de eerste betaalde baan binnen 3 maanden na de start van IPS en ",
        b(g("first_job_after_9_months", "IPS").pct),
        " na meer dan 9 maanden.",
    )
    _first_job_chart(rep, blocks, scope, codes)


def _first_job_chart(rep, blocks, scope: Scope, codes: list[str], note: str = "") -> None:
    cells = [scope.get(c, "IPS") for c in codes]
    cats = [labels.label(c).removeprefix("Eerste baan na ") for c in codes]
    rep.figure(
        blocks,
        plots.bar_chart(
            cats,
            {"Aandeel": [c.value for c in cells]},
            {"Aandeel": [c.mask for c in cells]},
            percent=True,
        ),
        "Tijd tussen start van het IPS-traject en de eerste betaalde baan." + note,
    )


def _outflow(rep, blocks, scope: Scope, ql: str, pl: str) -> None:
    g = scope.get
    h(blocks, "Uitstroom")
    ended, outflow = g("ended", "IPS"), g("outflow", "IPS")
    share = [] if outflow.unpublished else [" (", b(outflow.pct), ")"]
    p(
        blocks,
        f"In {ql} hebben ",
        b(ended.n),
        " cliënten",
        *share,
        f" een IPS-traject beëindigd ({signed_relative(ended)} ten opzichte van {pl}).",
    )
    note = not_published_here(scope, OUTCOME_AT_END, "IPS", "de status bij uitstroom")
    if note:  # status at outflow national only: the national figures, named so
        p(blocks, *note)
        outflow_figure(rep, blocks, scope.national(), ql, " Landelijke cijfers.")
        return
    ul(
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
    p(
        blocks,
        "Daarmee heeft ",
        b(g("ended_intended_result", "IPS").pct),
        " van de cliënten het traject beëindigd met het beoogde resultaat.",
    )
    within6, within12 = g("ended_within_6_months", "IPS"), g("ended_within_12_months", "IPS")
    early = g("ended_before_term_without_result", "IPS")
    duration = ("ended_within_6_months", "ended_within_12_months")
    if within6.unpublished:
        p(blocks, *not_published_here(scope, duration, "IPS"))
    elif within6.present or within12.present or early.present:
        p(
            blocks,
            "Van de beëindigde IPS-trajecten eindigde ",
            b(within6.pct),
            " binnen 6 maanden en ",
            b(within12.pct),
            " binnen 12 maanden na de start; ",
            b(early.pct),
            " eindigde vóór het einde van de regeling (IPS-EPA 36, IPS-CMD 24 maanden) "
            "zonder het beoogde resultaat.",
        )
    outflow_figure(rep, blocks, scope, ql)
