"""The text a data officer reads after ``werkmonitor validate``: verdict, reasons, rows, notes."""

from __future__ import annotations

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
