"""What the public file does not show, and the Dutch words readers get for it.

Reports and dashboard both tell a reader why a figure is missing: a masked
cell (``<5``/``x``, with its suppression reason) or a breakdown the public
tier does not publish at a level at all (``published_breakdowns``, and
an indicator not published at a level, ``published_indicators``: the
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
    """What one public file publishes per level: ``published_breakdowns(level,
    trajectory_type, breakdown)`` and ``published_indicators(level, indicator)``.

    ``listed`` None (a file published before the table existed): every
    breakdown counts as published, as the contract says; ``indicators`` None
    likewise (no ``published_indicators`` table: every indicator at every level).
    """

    def __init__(
        self,
        listed: set[tuple[str, str, str]] | None = None,
        indicators: set[tuple[str, str]] | None = None,
    ):
        self.listed = None if listed is None else frozenset(listed)
        self.indicators = None if indicators is None else frozenset(indicators)

    @classmethod
    def read(cls, con) -> PublishedBreakdowns:
        """From an open DuckDB connection to a public file (absent table → all published)."""
        tables = {
            r[0]
            for r in con.execute(
                "select table_name from duckdb_tables() where table_name in "
                "('published_breakdowns', 'published_indicators')"
            ).fetchall()
        }
        listed = indicators = None
        if "published_breakdowns" in tables:
            rows = con.execute(
                "select level, trajectory_type, breakdown from published_breakdowns"
            ).fetchall()
            listed = {(str(lv), str(t), str(b)) for lv, t, b in rows}
        if "published_indicators" in tables:
            rows = con.execute("select level, indicator from published_indicators").fetchall()
            indicators = {(str(lv), str(i)) for lv, i in rows}
        return cls(listed, indicators)

    def is_published(
        self, level: str, trajectory_type: str, breakdown: str, indicator: str | None = None
    ) -> bool:
        if level == "organisation":
            return True
        if indicator is not None and not self.publishes_indicator(level, indicator):
            return False
        return self.listed is None or (level, trajectory_type, breakdown) in self.listed

    def publishes_indicator(self, level: str, indicator: str) -> bool:
        """Whether ``indicator`` has rows at ``level`` (an indicator the listing does
        not name at any level is one it does not know: published)."""
        if self.indicators is None or level == "organisation":
            return True
        if (level, indicator) in self.indicators:
            return True
        return not any(i == indicator for _, i in self.indicators)

    def unpublished(self, level: str, pairs) -> list[list[str]]:
        """``[[type, breakdown], …]`` of ``pairs`` (those the file publishes somewhere)
        not published at ``level``, sorted."""
        candidates = set(pairs) | {(t, b) for _, t, b in self.listed or ()}
        return sorted([t, b] for t, b in candidates if not self.is_published(level, t, b))

    def unpublished_indicators(self, level: str) -> list[str]:
        """The indicators the file publishes at some level but not at ``level``, sorted."""
        known = {i for _, i in self.indicators or ()}
        return sorted(i for i in known if not self.publishes_indicator(level, i))

    def key(self) -> str:
        """What a report's digest includes: the listings (``all`` without the tables)."""
        listed = "all" if self.listed is None else repr(sorted(self.listed))
        if self.indicators is None:
            return listed
        return listed + "|" + repr(sorted(self.indicators))


def unpublished_text(level: str) -> str:
    return UNPUBLISHED_NL.get(level, "niet gepubliceerd")
