"""Sections for jobcoaching, UWV Werkfit/Naar Werk, WABZ and other trajectories."""

from __future__ import annotations

from markupsafe import Markup

from werkmonitor.publish.reports import labels, plots
from werkmonitor.publish.reports.cells import (
    Scope,
    b,
    not_published_here,
    share_of,
    signed_relative,
)
from werkmonitor.publish.reports.document import Report, h, p, ul

OUTFLOW = ("ended_with_paid_work", "ended_worked_before", "ended_never_worked")
COUNT_WORDS = (("running", "lopend"), ("started", "gestart"), ("ended", "beëindigd"))
PLACEMENTS = (
    "paid_work",
    "sustainable_paid_work",
    "ever_paid_work",
    "volunteer_work",
    "day_activity",
    "trial_placement",
)


def open_section(rep: Report, scope: Scope, title: str, ttype: str, absent: str):
    """A type's section: ``(blocks, its running cell)``, or ``(blocks, None)`` after
    writing ``absent`` when the scope has no running trajectories of the type (or
    saying so when the type's own figures are not published at this level)."""
    blocks = rep.section(title)
    running = scope.get("running", ttype)
    if running.unpublished:
        p(blocks, f"De cijfers van dit type traject zijn {running.unpublished}.")
        return blocks, None
    if not running.present:
        p(blocks, absent)
        return blocks, None
    return blocks, running


def breakdown_figure(rep: Report, blocks: list, names: list, cells: list, make, caption: str):
    """``rep.figure(make(names, cells))`` without the categories whose breakdown the
    level does not publish: those are said in words, never drawn as empty bars or 0."""
    kept = [(n, c) for n, c in zip(names, cells, strict=True) if not c.unpublished]
    gone = next((c.unpublished for c in cells if c.unpublished), None)
    if not kept:
        p(blocks, f"{caption} Niet getoond: deze uitsplitsing is {gone}.")
        return
    note = f" Een deel van de uitsplitsing is {gone} en staat niet in de figuur." if gone else ""
    rep.figure(blocks, make([n for n, _ in kept], [c for _, c in kept]), caption + note)


def outflow_figure(rep: Report, blocks: list, scope: Scope, ql: str, note: str = "") -> None:
    """Status at outflow per type; a type with a hidden part is not drawn at all
    (``note``: what the caption adds, e.g. that the figures are national)."""
    types = labels.trajectory_types()
    names = {ind: labels.label(ind) for ind in OUTFLOW}
    cats, parts = [], {name: [] for name in names.values()}
    for t, short in types.items():
        ended = scope.get("ended", t)
        if not ended.hidden and not ended.value:
            continue
        cats.append(short)
        for ind, name in names.items():
            c = scope.get(ind, t)
            hidden = c.hidden or ended.hidden
            parts[name].append(None if hidden else (c.value if c.present else 0.0))
    if cats:
        rep.figure(
            blocks,
            plots.stacked_share_chart(cats, parts),
            f"Status bij uitstroom per type traject in {ql}." + note,
        )


def counts_figure(rep, blocks, scope: Scope, ttypes: list[str], caption: str, pl, ql) -> None:
    types = labels.trajectory_types()
    cats, prev, cur, masks = [], [], [], []
    for t in ttypes:
        for ind, word in COUNT_WORDS:
            c = scope.get(ind, t)
            cats.append(f"{types[t]} {word}" if len(ttypes) > 1 else word.capitalize())
            cur.append(c.value)
            prev.append(c.previous if c.present else None)
            masks.append(c.mask)
    rep.figure(
        blocks,
        plots.bar_chart(
            cats,
            {pl.capitalize(): prev, ql.capitalize(): cur},
            {pl.capitalize(): masks, ql.capitalize(): masks},
        ),
        caption,
    )


def jobcoaching_section(rep: Report, scope: Scope, ql: str, pl: str) -> None:
    g = scope.get
    absent = f"In {ql} zijn geen jobcoaching-trajecten aangeleverd."
    blocks, running = open_section(rep, scope, "Jobcoaching", "JOBCOACHING", absent)
    if running is None:
        return
    fin = [g("running", "JOBCOACHING", f) for f in labels.financing_types()]
    split = (
        [f"De verdeling naar financiering is {fin[0].unpublished}."]
        if fin[0].unpublished
        else [
            b(share_of(fin[0], running)),
            " van de trajecten is gefinancierd vanuit UWV, ",
            b(share_of(fin[1], running)),
            " vanuit gemeenten en ",
            b(share_of(fin[2], running)),
            " vanuit overige middelen.",
        ]
    )
    p(
        blocks,
        b(running.n),
        " cliënten volgen een jobcoaching-traject, waarvan ",
        b(g("started", "JOBCOACHING").n),
        " een traject zijn gestart en ",
        b(g("ended", "JOBCOACHING").n),
        " een traject hebben beëindigd. ",
        *split,
        *(
            [" ", *not_published_here(scope, ["ended_with_paid_work"], "JOBCOACHING")]
            if g("ended_with_paid_work", "JOBCOACHING").unpublished
            else [
                " Van de beëindigde trajecten hadden ",
                b(g("ended_with_paid_work", "JOBCOACHING").n),
                " cliënten het traject beëindigd met werk.",
            ]
        ),
    )
    h(blocks, "Duur dienstverband")
    bands = [ind.code for ind in labels.family("employment")]
    note = not_published_here(scope, bands, "JOBCOACHING", "de duur van het dienstverband")
    if note:
        p(blocks, *note)
    else:
        items = []
        for code in bands:
            c = g(code, "JOBCOACHING")
            items.append([f"{labels.label(code)}: ", b(c.n), f" cliënten ({c.pct})."])
        ul(blocks, items)
    counts_figure(
        rep,
        blocks,
        scope,
        ["JOBCOACHING"],
        f"Aantal lopende, gestarte en beëindigde jobcoaching-trajecten in {pl} en {ql}.",
        pl,
        ql,
    )


def uwv_section(rep: Report, scope: Scope, ql: str, pl: str) -> None:
    g = scope.get
    blocks = rep.section("UWV Werkfit- en Naar Werk-trajecten")
    unpublished = g("running", "WERKFIT").unpublished and g("running", "NAAR_WERK").unpublished
    if unpublished:
        p(blocks, f"De cijfers van deze typen trajecten zijn {unpublished}.")
        return
    if not (g("running", "WERKFIT").present or g("running", "NAAR_WERK").present):
        p(blocks, f"In {ql} zijn geen Werkfit- of Naar Werk-trajecten aangeleverd.")
        return
    parts: list = []
    types = labels.trajectory_types()
    for t, name in ((t, types[t]) for t in ("WERKFIT", "NAAR_WERK")):
        parts += [
            f"{' ' if parts else ''}{name}: ",
            b(g("running", t).n),
            " lopend, ",
            b(g("started", t).n),
            " gestart, ",
            b(g("ended", t).n),
            " beëindigd.",
        ]
    p(blocks, *parts)
    counts_figure(
        rep,
        blocks,
        scope,
        ["WERKFIT", "NAAR_WERK"],
        "Aantal Werkfit- en Naar Werk-trajecten.",
        pl,
        ql,
    )
    h(blocks, "Status bij uitstroom")
    wf, nw = g("ended_intended_result", "WERKFIT"), g("ended_intended_result", "NAAR_WERK")
    if wf.unpublished:  # national only: the national figures, named so
        p(blocks, f"Succesvol beëindigde trajecten worden {wf.unpublished}. Landelijk:")
        national = scope.national()
        wf, nw = (national.get("ended_intended_result", t) for t in ("WERKFIT", "NAAR_WERK"))
    ul(
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
            ]
        ],
    )


def other_section(rep: Report, scope: Scope, ql: str, pl: str, ttype: str, title: str) -> None:
    g = scope.get
    absent = f"In {ql} zijn geen trajecten van dit type aangeleverd."
    blocks, running = open_section(rep, scope, title, ttype, absent)
    if running is None:
        return
    fin = [g("running", ttype, f) for f in labels.financing_types()]
    split = (
        [f" De verdeling naar financiering is {fin[0].unpublished}."]
        if fin[0].unpublished
        else [
            " Hierbij waren ",
            b(fin[0].n),
            " trajecten gefinancierd vanuit UWV, ",
            b(fin[1].n),
            " vanuit de gemeente en ",
            b(fin[2].n),
            " via overige financieringsvormen.",
        ]
    )
    p(
        blocks,
        f"In {ql} werden ",
        b(running.n),
        " cliënten begeleid in een lopend traject "
        f"({signed_relative(running)} ten opzichte van {pl}).",
        *split,
        " Verder zijn ",
        b(g("started", ttype).n),
        " cliënten gestart en hebben ",
        b(g("ended", ttype).n),
        " cliënten het traject beëindigd.",
    )
    counts_figure(
        rep,
        blocks,
        scope,
        [ttype],
        f"Aantal lopende, gestarte en beëindigde trajecten in {pl} en {ql}.",
        pl,
        ql,
    )
    shown = [i for i in PLACEMENTS if not g(i, ttype).unpublished]
    names = [labels.label(i) for i in shown]
    cells = [g(i, ttype) for i in shown]
    gone = not_published_here(scope, [i for i in PLACEMENTS if i not in shown], ttype)
    p(
        blocks,
        Markup("; ").join(
            Markup("%s: ") % name + b(c.n) + Markup(" (%s)") % c.pct
            for name, c in zip(names, cells, strict=True)
        ),
        ".",
        *([" ", *gone] if gone and shown else []),
    )
    rep.figure(
        blocks,
        plots.bar_chart(
            names,
            {
                pl.capitalize(): [c.previous if c.present else None for c in cells],
                ql.capitalize(): [c.value for c in cells],
            },
            {pl.capitalize(): [c.mask for c in cells], ql.capitalize(): [c.mask for c in cells]},
            percent=True,
        ),
        f"Resultaten van de verschillende typen plaatsingen in {pl} en {ql}.",
    )
    h(blocks, "Uitstroom")
    note = not_published_here(scope, OUTFLOW, ttype, "de status bij uitstroom")
    if note:
        p(blocks, "In totaal hebben ", b(g("ended", ttype).n), " cliënten het traject beëindigd. ")
        p(blocks, *note)
        return
    p(
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
