"""Cohort section of the national report: share ever in paid work by month since start.

Reads the public ``cohort_outcomes`` table (contract 3): shares, their 95%
band and the numbers at risk rounded to 5, only for months with enough at
risk; a month the table leaves out is not drawn and its number at risk is
``–``. Two comparisons, as study 003 draws them: IPS-EPA against IPS-CMD
(Figuur 4) and IPS financed by UWV against gemeente (Figuur B1).
"""

from __future__ import annotations

import pandas as pd

from werkmonitor.formatting import fmt_count
from werkmonitor.publish.reports import labels, plots
from werkmonitor.publish.reports.cells import MISSING
from werkmonitor.publish.reports.document import Report, p, table
from werkmonitor.reference import flagged_codes

TITLE = "Uitkomsten naar tijd sinds de start"
AT_RISK_MONTHS = (1, 6, 12, 18, 24, 30, 36)
NO_DATA = "Voor dit kwartaal zijn er nog geen cohortgegevens."


# Study 003's two comparisons: (title, caption, seed, column, codes compared).
# The codes compared are the seed's flag ``is_compared_in_cohorts`` (the
# catch-alls GEEN and OVERIG are not), and every curve's label is the seed's
# (``tests/test_reports_cohort.py``).
COMPARED = tuple(
    (title, caption, seed, column, flagged_codes(seed, "is_compared_in_cohorts"))
    for title, caption, seed, column in (
        ("IPS-EPA en IPS-CMD", "naar IPS-regeling", "ips_schemes", "ips_scheme"),
        ("UWV en gemeente", "naar financiering van het IPS-traject", "financing_types",
         "financing"),
    )
)


def comparisons() -> list[tuple[str, str, dict[str, dict]]]:
    """(title, caption, {curve label: row filter}) for the two comparisons."""
    out = []
    for title, caption, seed, column, codes in COMPARED:
        names = labels.code_labels(seed)
        unknown = [c for c in codes if c not in names]
        if unknown:
            raise ValueError(f"cohort comparison {title!r}: {unknown} not in seeds/{seed}.csv")
        other = "financing" if column == "ips_scheme" else "ips_scheme"
        out.append((title, caption, {names[c]: {column: c, other: "ALL"} for c in codes}))
    return out


def curve(frame: pd.DataFrame, where: dict) -> pd.DataFrame:
    rows = frame[
        (frame["trajectory_type"] == "IPS")
        & (frame["start_cohort"] == "ALL")
        & (frame["outcome"] == "paid_work")
        & (frame["ips_scheme"] == where["ips_scheme"])
        & (frame["financing"] == where["financing"])
    ]
    return rows.sort_values("month")


def cohort_section(rep: Report, cohorts: pd.DataFrame | None) -> None:
    blocks = rep.section(TITLE)
    if cohorts is None or cohorts.empty:
        p(blocks, NO_DATA)
        return
    p(
        blocks,
        "We volgen elk IPS-traject vanaf de start: het aandeel cliënten dat ooit "
        "betaald werk vond, per maand sinds de start (cumulatieve incidentie, met beëindiging "
        "zonder werk als concurrerende uitkomst), met het 95%-betrouwbaarheidsinterval. "
        "Onder elke figuur staat het aantal cliënten dat nog in beeld is (afgerond op 5); "
        "maanden met te weinig cliënten tonen we niet.",
    )
    for title, caption, curves in comparisons():
        data = {name: curve(cohorts, where) for name, where in curves.items()}
        if all(d.empty for d in data.values()):
            p(blocks, f"{title}: nog geen cohortgegevens.")
            continue
        points = {
            name: [
                (
                    int(r.month),
                    float(r.cumulative_share),
                    float(r.ci_lower),
                    float(r.ci_upper),
                    float(r.at_risk),
                )
                for r in d.itertuples()
            ]
            for name, d in data.items()
        }
        rep.figure(
            blocks,
            plots.cohort_chart(points),
            f"Aandeel ooit betaald werk per maand sinds de start, {caption} ({title}).",
        )
        rows = []
        for name, d in data.items():
            at_risk = dict(zip(d["month"].astype(int), d["at_risk"], strict=True))
            rows.append(
                [name]
                + [fmt_count(at_risk[m]) if m in at_risk else MISSING for m in AT_RISK_MONTHS]
            )
        table(blocks, ["Aantal in beeld, maand"] + [str(m) for m in AT_RISK_MONTHS], rows)
