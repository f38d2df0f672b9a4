"""Column specifications of submission format v1.

The tables of ``shared/spec/submission-format.md`` written down once, so the
reader, the checks, the messages and the documentation agree. Code lists are
part of the format contract (v1), not of the register, so they live here; the
region codes come from the regions seed because the spec defers to it.
"""

from __future__ import annotations

from dataclasses import dataclass

SHEETS = ("trajecten", "banen", "organisatie")

TRAJECTORY_TYPES = ("IPS", "WABZ", "JOBCOACHING", "WERKFIT", "NAAR_WERK", "OVERIG")
IPS_SCHEMES = ("EPA", "CMD", "GEEN")
IPS_PHASES = ("ORIENTATIE", "AANGEVRAAGD", "GOEDGEKEURD")
FINANCING = ("UWV", "GEMEENTE", "OVERIG")
FINANCING_DETAILS = (
    "ZPM",
    "WERKGEVER",
    "WMO",
    "JEUGDWET",
    "EIGEN_MIDDELEN",
    "HOOFDZAAK_WERK",
    "ANDERS",
)
EXIT_REASONS = ("BAAN", "OPLEIDING", "WERKFIT", "DOEL_NIET_BEREIKT", "OVERIG")
CONTRACT_KINDS = ("LOONDIENST", "UITZEND", "OVERIG")

TRAJECT_ID_MAX_LENGTH = 64

# kinds: text, region, code, date, decimal, integer, bool
# required: "yes" (column present, value required), "no" (column may be
# omitted, value optional), "ips" (column present; value required for IPS
# rows, empty otherwise), "iff_end" (column present; value iff einddatum),
# "yes_if_ips" (column present; value required when the submission has IPS rows)


@dataclass(frozen=True)
class ColumnSpec:
    name: str
    kind: str
    required: str
    codes: tuple[str, ...] = ()
    min_value: float | None = None
    max_value: float | None = None

    @property
    def may_be_omitted(self) -> bool:
        return self.required == "no"


TRAJECTEN = (
    ColumnSpec("traject_id", "text", "yes"),
    ColumnSpec("arbeidsmarktregio", "region", "yes"),
    ColumnSpec("trajecttype", "code", "yes", TRAJECTORY_TYPES),
    ColumnSpec("ips_regeling", "code", "ips", IPS_SCHEMES),
    ColumnSpec("fase", "code", "ips", IPS_PHASES),
    ColumnSpec("financiering", "code", "yes", FINANCING),
    ColumnSpec("financiering_detail", "code", "no", FINANCING_DETAILS),
    ColumnSpec("startdatum", "date", "yes"),
    ColumnSpec("einddatum", "date", "no"),
    ColumnSpec("uitstroomreden", "code", "iff_end", EXIT_REASONS),
    ColumnSpec("opleiding", "bool", "yes"),
    ColumnSpec("proefplaatsing", "bool", "yes"),
    ColumnSpec("vrijwilligerswerk", "bool", "yes"),
    ColumnSpec("dagbesteding", "bool", "yes"),
)

BANEN = (
    ColumnSpec("traject_id", "text", "yes"),
    ColumnSpec("baan_nr", "integer", "yes", min_value=1),
    ColumnSpec("startdatum", "date", "yes"),
    ColumnSpec("einddatum", "date", "no"),
    ColumnSpec("uren_per_week", "decimal", "yes", min_value=0, max_value=80),
    ColumnSpec("loonwaarde_pct", "integer", "no", min_value=0, max_value=100),
    ColumnSpec("contractduur_maanden", "integer", "no", min_value=0),
    ColumnSpec("contractsoort", "code", "yes", CONTRACT_KINDS),
)

ORGANISATIE = (
    ColumnSpec("organisatie_code", "text", "yes"),
    ColumnSpec("kwartaal", "text", "yes"),
    ColumnSpec("fte_trajectbegeleiding", "decimal", "yes_if_ips", min_value=0),
)

COLUMNS: dict[str, tuple[ColumnSpec, ...]] = {
    "trajecten": TRAJECTEN,
    "banen": BANEN,
    "organisatie": ORGANISATIE,
}


def column_names(sheet: str) -> tuple[str, ...]:
    return tuple(col.name for col in COLUMNS[sheet])


def normalise_header(name: object) -> str:
    """Header as compared: case-insensitive, surrounding spaces ignored."""
    return "" if name is None else str(name).strip().lower()
