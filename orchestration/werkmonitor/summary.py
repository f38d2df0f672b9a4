"""The short text ``werkmonitor run`` prints at the end.

It reads the warehouse read-only after the run, so what it prints is what an
analyst querying the file would see.
"""

from __future__ import annotations

from werkmonitor.catalogue.indicators import by_code
from werkmonitor.config import Settings
from werkmonitor.formatting import fmt_count, fmt_pct
from werkmonitor.reference import submission_statuses


def nl_int(value: float | None) -> str:
    """A count as the published file writes it (``formatting``: half-up, ``4.763``)."""
    return "–" if value is None else fmt_count(value)


def nl_pct(value: float | None) -> str:
    """A share as the published file writes it (``37,5%``), so the summary and the
    file never differ in the last decimal."""
    return "–" if value is None else fmt_pct(value)


# which indicators the summary shows; their labels and kinds are the catalogue's
HEADLINE = ("running", "started", "ended", "paid_work", "sustainable_paid_work", "ever_paid_work")


def load_lines(con, quarters: list[str]) -> list[str]:
    rows = con.execute(
        """
        select quarter,
               count(*) filter (where status = 'accepted') as accepted,
               count(*) filter (where status = 'rejected') as rejected,
               count(*) filter (where status = 'superseded') as superseded,
               count(*) filter (where status = 'duplicate') as duplicate,
               coalesce(sum(rows_accepted) filter (where status = 'accepted'), 0) as rows_loaded,
               coalesce(sum(rows_quarantined) filter (where status = 'accepted'), 0) as quarantined
        from audit.submissions
        where quarter in (select unnest(?::varchar[]))
        group by quarter order by quarter
        """,
        [quarters],
    ).fetchall()
    nl = {code: status.label_nl for code, status in submission_statuses().items()}
    return [
        f"  {q}: {a} {nl['accepted']}, {r} {nl['rejected']}, {s} {nl['superseded']}, "
        f"{d} {nl['duplicate']}; {nl_int(rows)} rijen geladen, {nl_int(qr)} in quarantaine"
        for q, a, r, s, d, rows, qr in rows
    ]


def headline_lines(con, quarter: str) -> list[str]:
    rows = dict(
        (indicator, (numerator, value))
        for indicator, numerator, value in con.execute(
            """
            select indicator, numerator, value from marts.quarterly_indicators
            where quarter = ? and level = 'national' and trajectory_type = 'ALL'
              and financing = 'ALL' and ips_scheme = 'ALL' and ips_phase = 'ALL'
            """,
            [quarter],
        ).fetchall()
    )
    lines = []
    catalogue = by_code()
    for code in HEADLINE:
        if code not in rows:
            continue
        numerator, value = rows[code]
        indicator = catalogue[code]
        text = (nl_int(numerator) if indicator.kind == "count"
                else f"{nl_int(numerator)} ({nl_pct(value)})")
        lines.append(f"  {indicator.label_nl:<24} {text}")
    return lines


def print_summary(paths: Settings, quarters: list[str]) -> None:
    import duckdb

    if not paths.warehouse.exists():
        return
    try:
        con = duckdb.connect(str(paths.warehouse), read_only=True)
    except duckdb.Error as error:  # a reader elsewhere is fine; a writer is not
        print(f"(summary unavailable: {error})")
        return
    with con:
        tables = {
            f"{schema}.{name}"
            for schema, name in con.execute(
                "select table_schema, table_name from information_schema.tables"
            ).fetchall()
        }
        print("\nInlevering per kwartaal:")
        if "audit.submissions" in tables:
            print("\n".join(load_lines(con, quarters)))
        if "marts.quarterly_indicators" in tables:
            last = max(quarters)
            print(f"\nLandelijk, alle trajecttypen, {last}:")
            print("\n".join(headline_lines(con, last)) or "  (geen cijfers)")
    from werkmonitor.status import identifier_rejections

    for path in identifier_rejections(paths):
        print(f"  {submission_statuses()['rejected'].label_nl.upper()}, bevat identificerende "
              f"gegevens: {paths.raw_dir / path} "
              "(verwijder het uit raw/ en vraag een gepseudonimiseerd bestand)")
    from werkmonitor.quality.defects import summary as defect_summary

    # the one account of the deliveries' defects (counts from audit.*), with
    # where the feedback and the gate results are
    defects = defect_summary(paths.warehouse, quarters, paths.organisations_dir, paths.internal_dir)
    if defects:
        print("\n" + "\n".join(defects))
    published = paths.publish_dir / "werkmonitor.duckdb"
    print(
        f"\nWarehouse (intern, trajectniveau): {paths.warehouse}\n"
        f"Gepubliceerd bestand (BI, alleen aggregaten): {published}\n"
        f"Rapporten: {paths.publish_dir / 'reports'}\n"
        "Query it, for example:\n"
        '  .venv/bin/werkmonitor sql "select quarter, indicator, numerator, value '
        "from marts.quarterly_indicators where level = 'national' and trajectory_type = 'IPS' "
        "and financing = 'ALL' and ips_scheme = 'ALL' and ips_phase = 'ALL' "
        "and indicator = 'paid_work' order by quarter\""
    )
