"""What the public file does not show, and the Dutch words readers get for it.

Reports and dashboard both tell a reader why a figure is missing: a masked
cell (``<5``/``x``, with its suppression reason) or a breakdown the public
tier does not publish at a level at all (``published_breakdowns``, the
contract between tier, reports and lp in issue 10 §2). Both read the texts and
the table through this module, so the two never word the same reason
differently (issue 14). No heavy import: the dashboard, the reports and their
worker process all load it.
"""

from __future__ import annotations

# Suppression reason (``quarterly_indicators.suppression_reason``) → Dutch text.
REASONS_NL = {
    "small_count": "Niet getoond: minder dan 5 personen, dan zijn mensen herkenbaar.",
    "small_denominator": "Niet getoond: berekend over minder dan 10 personen.",
    "part_of_small_total": "Niet getoond: deel van een totaal van minder dan 5 personen.",
    "linked": "Niet getoond: afgeleid van een cijfer dat verborgen is.",
    "secondary": "Niet getoond: anders is een verborgen cijfer terug te rekenen uit de totalen.",
    "withheld": (
        "Niet getoond: anders is een verborgen cijfer terug te rekenen, uit de totalen of"
        " door een organisatie die haar eigen cijfers kent."
    ),
    "breakdown_not_published": (
        "Niet getoond: deze uitsplitsing wordt voor deze indicator niet gepubliceerd."
    ),
    "ambition": (
        "Niet getoond: minder dan 5 gestarte trajecten, of af te leiden uit een verborgen cijfer."
    ),
    # A report chart knows the mask only (``x``: any reason but a small count).
    "hidden": "Niet getoond: afgeschermd, anders is een klein aantal herkenbaar.",
}
# The mask a report draws → the reason text its tooltip gives.
MASK_REASONS_NL = {"<5": REASONS_NL["small_count"], "x": REASONS_NL["hidden"]}

BREAKDOWNS = ("trajectory_type", "financing", "ips_scheme", "ips_phase")
UNPUBLISHED_NL = {
    "region": "niet gepubliceerd op regioniveau",
    "national": "niet gepubliceerd op landelijk niveau",
}


def reason_text(reason: str | None) -> str:
    """The Dutch text of a suppression reason (an unknown code is shown as it is)."""
    return REASONS_NL.get(reason or "", reason or "")


def breakdown_of(financing: str = "ALL", ips_scheme: str = "ALL", ips_phase: str = "ALL") -> str:
    """Which breakdown a row belongs to: ``trajectory_type`` for the type's own row
    (financing, scheme and phase ``ALL``), else the one dimension that is split."""
    if financing != "ALL":
        return "financing"
    if ips_scheme != "ALL":
        return "ips_scheme"
    if ips_phase != "ALL":
        return "ips_phase"
    return "trajectory_type"


class PublishedBreakdowns:
    """``published_breakdowns(level, trajectory_type, breakdown)`` of one public file.

    ``listed`` None (a file published before the table existed): every
    breakdown counts as published, as the contract says.
    """

    def __init__(self, listed: set[tuple[str, str, str]] | None = None):
        self.listed = None if listed is None else frozenset(listed)

    @classmethod
    def read(cls, con) -> PublishedBreakdowns:
        """From an open DuckDB connection to a public file (absent table → all published)."""
        exists = con.execute(
            "select count(*) from duckdb_tables() where table_name = 'published_breakdowns'"
        ).fetchone()[0]
        if not exists:
            return cls(None)
        rows = con.execute(
            "select level, trajectory_type, breakdown from published_breakdowns"
        ).fetchall()
        return cls({(str(lv), str(t), str(b)) for lv, t, b in rows})

    def is_published(self, level: str, trajectory_type: str, breakdown: str) -> bool:
        if self.listed is None or level == "organisation":
            return True
        return (level, trajectory_type, breakdown) in self.listed

    def unpublished(self, level: str, pairs) -> list[list[str]]:
        """``[[type, breakdown], …]`` of ``pairs`` (those the file publishes somewhere)
        not published at ``level``, sorted."""
        candidates = set(pairs) | {(t, b) for _, t, b in self.listed or ()}
        return sorted([t, b] for t, b in candidates if not self.is_published(level, t, b))

    def key(self) -> str:
        """What a report's digest includes: the listing (``all`` without the table)."""
        return "all" if self.listed is None else repr(sorted(self.listed))


def unpublished_text(level: str) -> str:
    return UNPUBLISHED_NL.get(level, "niet gepubliceerd")
