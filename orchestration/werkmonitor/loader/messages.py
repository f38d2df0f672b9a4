"""The wording of every rule, in Dutch (default) and English.

Kept apart from the rules so the text a data officer reads can be reviewed in
one place; ``problem.Problem.render`` puts a template in the one message shape
(file, sheet, row, column: text [rule_code]).
"""

from __future__ import annotations

from werkmonitor.loader.problem import Problem

__all__ = ["TEMPLATES", "Problem", "IDENTIFIER_RULES"]

# rejections that mean "this file holds identifiers": listed by `werkmonitor status`
# until the operator removes the file from raw/
IDENTIFIER_RULES = ("identifier_column", "bsn_value", "bsn_value_more")

_FIX_IDS = (
    "gebruik als traject_id een pseudoniem dat geen getal van 8 of 9 cijfers is "
    "(ongeveer 1 op de 11 willekeurige getallen van 9 cijfers doorstaat de elfproef), "
    "verwijder de kolom of cel en lever het bestand opnieuw aan",
    "use a pseudonymous traject_id that is not an 8- or 9-digit number (about 1 in 11 "
    "random 9-digit numbers passes the eleven-test), remove the column or cell and "
    "deliver the file again",
)

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
        "de waarde wordt niet getoond en het bestand is niet opgeslagen; " + _FIX_IDS[0],
        "this cell holds a value that may be a citizen service number (BSN, eleven-test); "
        "the value is not shown and the file was not stored; " + _FIX_IDS[1],
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
