"""Feedback a data officer can act on, in Dutch (default) and English.

Every message has the same shape in a language: where (file, sheet, row,
column), what was delivered (never for identifiers), which rule, and the rule
code in brackets so a helpdesk can search for it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

_VALUE_MAX = 80

_DATE_FORMATS = {
    "nl": "JJJJ-MM-DD, DD-MM-JJJJ, D-M-JJJJ of DD/MM/JJJJ",
    "en": "YYYY-MM-DD, DD-MM-YYYY, D-M-YYYY or DD/MM/YYYY",
}

# rule_code -> (nl, en); placeholders filled from Problem.params plus {value}.
TEMPLATES: dict[str, tuple[str, str]] = {
    # --- rejections (whole submission) ---
    "file_name": (
        "de naam '{name}' volgt niet het patroon <ORG>_<JJJJ>Q<n>[_<achtervoegsel>]",
        "the name '{name}' does not follow <ORG>_<YYYY>Q<n>[_<suffix>]",
    ),
    "unsupported_format": (
        "'{name}' is geen .xlsx-bestand en geen map met CSV-bestanden",
        "'{name}' is neither an .xlsx file nor a folder of CSV files",
    ),
    "not_found": ("het bestand of de map bestaat niet", "the file or folder does not exist"),
    "unreadable": (
        "het bestand kan niet worden gelezen ({detail})",
        "the file cannot be read ({detail})",
    ),
    "internal_error": (
        "de controle is afgebroken door een fout in de loader ({detail}); "
        "neem contact op met de beheerder van de werkmonitor",
        "the check stopped on an error in the loader ({detail}); "
        "contact the werkmonitor administrator",
    ),
    "empty_file": ("het bestand is leeg", "the file is empty"),
    "encoding": (
        "het bestand is niet in UTF-8 opgeslagen (bijvoorbeeld als ANSI/Windows-1252); "
        "sla het op als 'CSV UTF-8'",
        "the file is not saved as UTF-8 (e.g. ANSI/Windows-1252); save it as 'CSV UTF-8'",
    ),
    "delimiter": (
        "het scheidingsteken is niet herkend (verwacht ';' of ',')",
        "the delimiter is not recognised (expected ';' or ',')",
    ),
    "ragged_row": (
        "de rij heeft {found} velden, de kopregel {expected}",
        "the row has {found} fields, the header {expected}",
    ),
    "missing_sheet": (
        "het blad '{sheet_name}' ontbreekt",
        "the sheet '{sheet_name}' is missing",
    ),
    "missing_file": (
        "het bestand '{file_name}' ontbreekt in de map",
        "the file '{file_name}' is missing from the folder",
    ),
    "missing_header": (
        "de eerste rij (kopregel met kolomnamen) is leeg",
        "the first row (header with column names) is empty",
    ),
    "missing_column": (
        "de verplichte kolom '{column_name}' ontbreekt",
        "the required column '{column_name}' is missing",
    ),
    "unknown_column": (
        "de kolom '{column_name}' hoort niet in dit blad (toegestaan: {allowed})",
        "the column '{column_name}' does not belong in this sheet (allowed: {allowed})",
    ),
    "unnamed_column": (
        "een kolom zonder naam bevat gegevens",
        "a column without a name holds data",
    ),
    "duplicate_column": (
        "de kolom '{column_name}' komt meer dan eens voor",
        "the column '{column_name}' appears more than once",
    ),
    "identifier_column": (
        "de kolom '{column_name}' lijkt een direct identificerend gegeven; "
        "lever alleen gepseudonimiseerde gegevens aan. Het bestand is niet opgeslagen",
        "the column '{column_name}' looks like a direct identifier; deliver "
        "pseudonymised data only. The file was not stored",
    ),
    "bsn_value": (
        "deze cel bevat een waarde die een burgerservicenummer (BSN) kan zijn (elfproef); "
        "de waarde wordt niet getoond en het bestand is niet opgeslagen",
        "this cell holds a value that may be a citizen service number (BSN, eleven-test); "
        "the value is not shown and the file was not stored",
    ),
    "bsn_value_more": (
        "nog {count} cellen in deze kolom lijken een burgerservicenummer "
        "(niet afzonderlijk getoond)",
        "{count} more cells in this column look like a citizen service number (not listed)",
    ),
    "organisation_unknown": (
        "organisatiecode '{code}' staat niet in het organisatieregister",
        "organisation code '{code}' is not in the organisation register",
    ),
    "organisation_inactive": (
        "organisatie '{code}' is in {quarter} niet actief volgens het organisatieregister",
        "organisation '{code}' is not active in {quarter} according to the register",
    ),
    "quarter_unknown": (
        "kwartaal '{quarter}' is onbekend (verwacht {first} tot en met {last})",
        "quarter '{quarter}' is unknown (expected {first} up to {last})",
    ),
    "quarter_mismatch": (
        "het kwartaal in de naam ({name_quarter}) komt niet overeen met de map ({folder_quarter})",
        "the quarter in the name ({name_quarter}) does not match the folder ({folder_quarter})",
    ),
    "organisatie_rows": (
        "het blad organisatie moet precies één rij hebben, maar heeft er {count}",
        "the organisatie sheet must have exactly one row, but has {count}",
    ),
    "organisatie_code_mismatch": (
        "waarde '{value}' komt niet overeen met de organisatie in de bestandsnaam ({code})",
        "value '{value}' does not match the organisation in the file name ({code})",
    ),
    "kwartaal_mismatch": (
        "waarde '{value}' komt niet overeen met het kwartaal van de bestandsnaam ({quarter})",
        "value '{value}' does not match the quarter of the file name ({quarter})",
    ),
    "fte_required": (
        "fte_trajectbegeleiding is verplicht omdat de aanlevering IPS-trajecten bevat",
        "fte_trajectbegeleiding is required because the submission has IPS trajectories",
    ),
    # --- row rules (quarantine; for organisatie they reject) ---
    "required": ("een waarde is verplicht", "a value is required"),
    "invalid_date": (
        "waarde '{value}' is geen geldige datum (verwacht " + _DATE_FORMATS["nl"] + ")",
        "value '{value}' is not a valid date (expected " + _DATE_FORMATS["en"] + ")",
    ),
    "invalid_decimal": (
        "waarde '{value}' is geen getal (verwacht bijvoorbeeld 12.5 of 12,5)",
        "value '{value}' is not a number (expected e.g. 12.5 or 12,5)",
    ),
    "invalid_integer": (
        "waarde '{value}' is geen geheel getal",
        "value '{value}' is not a whole number",
    ),
    "invalid_bool": (
        "waarde '{value}' is geen ja/nee (verwacht ja, nee, j, n, 1, 0, true of false)",
        "value '{value}' is not yes/no (expected ja, nee, j, n, 1, 0, true or false)",
    ),
    "invalid_code": (
        "waarde '{value}' is geen toegestane code (toegestaan: {allowed})",
        "value '{value}' is not an allowed code (allowed: {allowed})",
    ),
    "invalid_region": (
        "waarde '{value}' is geen arbeidsmarktregio (verwacht een CBS-code zoals AM18)",
        "value '{value}' is not a labour-market region (expected a CBS code such as AM18)",
    ),
    "below_minimum": (
        "waarde '{value}' is kleiner dan {minimum}",
        "value '{value}' is less than {minimum}",
    ),
    "above_maximum": (
        "waarde '{value}' is groter dan {maximum}",
        "value '{value}' is greater than {maximum}",
    ),
    "too_long": (
        "waarde '{value}' is langer dan {maximum} tekens",
        "value '{value}' is longer than {maximum} characters",
    ),
    "required_for_ips": (
        "een waarde is verplicht bij trajecttype IPS",
        "a value is required for trajecttype IPS",
    ),
    "only_for_ips": (
        "waarde '{value}' mag alleen bij trajecttype IPS zijn ingevuld (hier {trajecttype})",
        "value '{value}' may only be filled for trajecttype IPS (here {trajecttype})",
    ),
    "start_after_quarter": (
        "waarde '{value}' ligt na het einde van het kwartaal ({quarter_end})",
        "value '{value}' is after the end of the quarter ({quarter_end})",
    ),
    "end_before_start": (
        "waarde '{value}' ligt voor de startdatum ({start})",
        "value '{value}' is before the start date ({start})",
    ),
    "end_outside_quarter": (
        "waarde '{value}' ligt niet in het kwartaal ({quarter_start} t/m {quarter_end})",
        "value '{value}' is not inside the quarter ({quarter_start} to {quarter_end})",
    ),
    "exit_reason_required": (
        "uitstroomreden is verplicht omdat einddatum is ingevuld",
        "uitstroomreden is required because einddatum is filled",
    ),
    "exit_reason_without_end": (
        "waarde '{value}' mag alleen worden ingevuld als einddatum is ingevuld",
        "value '{value}' may only be filled when einddatum is filled",
    ),
    "duplicate_traject_id": (
        "waarde '{value}' komt {count} keer voor in trajecten; traject_id moet uniek zijn "
        "(alle rijen met deze waarde zijn in quarantaine)",
        "value '{value}' occurs {count} times in trajecten; traject_id must be unique "
        "(all rows with this value are quarantined)",
    ),
    "duplicate_baan_nr": (
        "waarde '{value}' komt {count} keer voor bij traject_id '{traject_id}'; "
        "baan_nr moet uniek zijn per traject",
        "value '{value}' occurs {count} times for traject_id '{traject_id}'; "
        "baan_nr must be unique per trajectory",
    ),
    "unknown_traject_id": (
        "waarde '{value}' staat niet in het blad trajecten",
        "value '{value}' is not in the trajecten sheet",
    ),
    "traject_quarantined": (
        "het traject '{value}' staat in quarantaine, daarom deze baan ook",
        "the trajectory '{value}' is quarantined, so this job is too",
    ),
}

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
        template = TEMPLATES[self.rule_code][0 if lang == "nl" else 1]
        shown = "" if self.value is None else shorten(self.value)
        body = template.format(value=shown, **self.params)
        return f"{', '.join(parts)}: {body} [{self.rule_code}]"

    @property
    def message(self) -> str:
        return self.render("nl")


_NOTES = {
    "extra_sheet": ("het extra blad '{}' is niet gelezen", "the extra sheet '{}' was not read"),
    "extra_file": ("het extra bestand '{}' is niet gelezen", "the extra file '{}' was not read"),
    "no_quarter_folder": (
        "de map '{}' is geen kwartaalmap; het kwartaal komt uit de bestandsnaam",
        "the folder '{}' is not a quarter folder; the quarter is taken from the file name",
    ),
}

_HEAD = {
    "nl": {
        "rejected": "GEWEIGERD: de aanlevering is niet geladen ({n} reden(en)).",
        "accepted": "GOEDGEKEURD: {traj} trajecten en {jobs} banen; "
        "{bad} rij(en) in quarantaine ({reasons} melding(en)).",
        "title": "Aanlevering {name} (organisatie {org}, kwartaal {quarter})",
        "rejections": "Redenen van weigering:",
        "quarantine": "Rijen in quarantaine (niet meegeteld in de indicatoren):",
        "quarantine_rejected": "Daarnaast zijn deze rijen afgekeurd:",
        "notes": "Opmerkingen:",
        "unknown": "onbekend",
    },
    "en": {
        "rejected": "REJECTED: the submission was not loaded ({n} reason(s)).",
        "accepted": "ACCEPTED: {traj} trajectories and {jobs} jobs; "
        "{bad} row(s) quarantined ({reasons} message(s)).",
        "title": "Submission {name} (organisation {org}, quarter {quarter})",
        "rejections": "Reasons for rejection:",
        "quarantine": "Quarantined rows (left out of the indicators):",
        "quarantine_rejected": "In addition these rows break a rule:",
        "notes": "Notes:",
        "unknown": "unknown",
    },
}


def format_feedback(result, lang: str = "nl") -> str:
    """The text a data officer reads after ``werkmonitor validate``."""
    lang = "en" if lang == "en" else "nl"
    head = _HEAD[lang]
    lines = [
        head["title"].format(
            name=result.display_name,
            org=result.organisation_code or head["unknown"],
            quarter=result.quarter or head["unknown"],
        )
    ]
    if result.is_rejected:
        lines.append(head["rejected"].format(n=len(result.rejections)))
    else:
        lines.append(
            head["accepted"].format(
                traj=result.trajecten.num_rows if result.trajecten is not None else 0,
                jobs=result.banen.num_rows if result.banen is not None else 0,
                bad=result.rows_quarantined,
                reasons=len(result.quarantined),
            )
        )
    if result.rejections:
        lines += ["", head["rejections"]]
        lines += [f"- {p.render(lang)}" for p in result.rejections]
    if result.quarantined:
        lines += ["", head["quarantine_rejected" if result.is_rejected else "quarantine"]]
        lines += [f"- {p.render(lang)}" for p in result.quarantined]
    if result.notes:
        lines += ["", head["notes"]]
        for note in result.notes:
            kind, _, arg = note.partition(":")
            lines.append(f"- {_NOTES[kind][0 if lang == 'nl' else 1].format(arg)}")
    return "\n".join(lines) + "\n"
