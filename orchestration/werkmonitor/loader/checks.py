"""The rules of submission format v1: what rejects a submission, what quarantines a row.

Rejection rules are about the file as a whole (name, structure, register,
identifiers, the one-row organisatie sheet). Row rules quarantine a row with
every reason it breaks, so one pass of feedback shows the submitter all of it.
Rules run column-wise on pyarrow arrays; Python only touches failing cells.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from werkmonitor import reference
from werkmonitor.loader import identifiers, normalise
from werkmonitor.loader.messages import Problem
from werkmonitor.loader.read import (
    RawSheet,
    RawSubmission,
    content_hash,
    read_csv_folder,
    read_xlsx,
)
from werkmonitor.loader.spec import COLUMNS, ColumnSpec
from werkmonitor.quarters import FIRST_QUARTER, Quarter

TRAJECT_ID_MAX_LENGTH = COLUMNS["trajecten"][0].max_length

log = logging.getLogger("werkmonitor.loader")

NAME_RE = re.compile(r"^(?P<org>[A-Za-z0-9]+)_(?P<quarter>\d{4}[Qq][1-4])(?:_(?P<suffix>.+))?$")

# BSN hits reported per column; the rest is summarised (the file is rejected anyway)
MAX_BSN_PER_COLUMN = 10

TRAJECTEN_SCHEMA = pa.schema(
    [
        ("source_row", pa.int32()),
        ("traject_id", pa.string()),
        ("arbeidsmarktregio", pa.string()),
        ("trajecttype", pa.string()),
        ("ips_regeling", pa.string()),
        ("fase", pa.string()),
        ("financiering", pa.string()),
        ("financiering_detail", pa.string()),
        ("startdatum", pa.date32()),
        ("einddatum", pa.date32()),
        ("uitstroomreden", pa.string()),
        ("opleiding", pa.bool_()),
        ("proefplaatsing", pa.bool_()),
        ("vrijwilligerswerk", pa.bool_()),
        ("dagbesteding", pa.bool_()),
        ("is_quarantined", pa.bool_()),
    ]
)
BANEN_SCHEMA = pa.schema(
    [
        ("source_row", pa.int32()),
        ("traject_id", pa.string()),
        ("baan_nr", pa.int32()),
        ("startdatum", pa.date32()),
        ("einddatum", pa.date32()),
        ("uren_per_week", pa.float64()),
        ("loonwaarde_pct", pa.int32()),
        ("contractduur_maanden", pa.int32()),
        ("contractsoort", pa.string()),
        ("is_quarantined", pa.bool_()),
    ]
)
ORGANISATIE_SCHEMA = pa.schema(
    [
        ("source_row", pa.int32()),
        ("organisatie_code", pa.string()),
        ("kwartaal", pa.string()),
        ("fte_trajectbegeleiding", pa.float64()),
    ]
)


@dataclass
class CheckResult:
    path: Path
    file_path: str  # as stored in audit.submissions (relative to the raw dir when given)
    display_name: str
    organisation_code: str | None
    quarter: str | None
    content_hash: str
    file_format: str
    rejections: list[Problem] = field(default_factory=list)
    quarantined: list[Problem] = field(default_factory=list)
    trajecten: pa.Table | None = None
    banen: pa.Table | None = None
    organisatie: pa.Table | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def is_rejected(self) -> bool:
        return bool(self.rejections)

    @property
    def rows_quarantined(self) -> int:
        return sum(_count_true(t) for t in (self.trajecten, self.banen) if t is not None)

    @property
    def rows_accepted(self) -> int:
        rows = sum(t.num_rows for t in (self.trajecten, self.banen) if t is not None)
        return rows - self.rows_quarantined

    def format_feedback(self, lang: str = "nl") -> str:
        from werkmonitor.loader.messages import format_feedback

        return format_feedback(self, lang)


def _count_true(table: pa.Table) -> int:
    return int(pc.sum(table.column("is_quarantined")).as_py() or 0)


# --------------------------------------------------------------------------- entry point


def check_submission(
    path: Path,
    raw_dir: Path | None = None,
    *,
    organisations: Mapping[str, reference.Organisation] | None = None,
    regions: Mapping[str, str] | None = None,
    today: dt.date | None = None,
    known_hash: str | None = None,
) -> CheckResult:
    path = Path(path)
    is_dir = path.is_dir()
    display = path.name
    file_path = path.name
    if raw_dir is not None:
        try:
            file_path = path.resolve().relative_to(Path(raw_dir).resolve()).as_posix()
        except ValueError:
            file_path = path.as_posix()
    if not path.exists():
        result = CheckResult(path, file_path, display, None, None, "", "unknown")
        result.rejections.append(Problem(display, None, None, None, None, "not_found"))
        return result

    file_format = "csv" if is_dir else ("xlsx" if path.suffix.lower() == ".xlsx" else "unknown")
    stem = path.name if is_dir else (path.stem if file_format == "xlsx" else path.name)
    result = CheckResult(
        path, file_path, display, None, None, known_hash or content_hash(path), file_format
    )
    rejections = result.rejections

    # --- name, folder, register
    match = NAME_RE.match(stem)
    folder = path.parent.name
    folder_quarter = str(Quarter.parse(folder)) if Quarter.is_valid(folder) else None
    name_quarter = str(Quarter.parse(match["quarter"])) if match else None
    result.quarter = folder_quarter or name_quarter
    if match:
        result.organisation_code = match["org"].upper()
    if file_format == "unknown":
        rejections.append(
            Problem(display, None, None, None, None, "unsupported_format", {"name": path.name})
        )
        return result
    if not match:
        rejections.append(Problem(display, None, None, None, None, "file_name", {"name": stem}))
    elif folder_quarter and name_quarter != folder_quarter:
        rejections.append(
            Problem(
                display,
                None,
                None,
                None,
                None,
                "quarter_mismatch",
                {"name_quarter": name_quarter, "folder_quarter": folder_quarter},
            )
        )
    else:
        result.notes.extend([] if folder_quarter else [f"no_quarter_folder:{folder}"])
    quarter = Quarter.parse(result.quarter) if result.quarter else None
    last = Quarter.containing(today or dt.date.today())
    first = Quarter.parse(FIRST_QUARTER)
    if quarter is not None and not (first <= quarter <= last):
        rejections.append(
            Problem(
                display,
                None,
                None,
                None,
                None,
                "quarter_unknown",
                {"quarter": str(quarter), "first": str(first), "last": str(last)},
            )
        )
        quarter = None
    register = reference.organisations() if organisations is None else organisations
    org = result.organisation_code
    if org is not None:
        if org not in register:
            rejections.append(
                Problem(display, None, None, None, None, "organisation_unknown", {"code": org})
            )
        elif quarter is not None and not register[org].is_active(quarter):
            rejections.append(
                Problem(
                    display,
                    None,
                    None,
                    None,
                    None,
                    "organisation_inactive",
                    {"code": org, "quarter": str(quarter)},
                )
            )

    try:
        return _check_contents(result, path, is_dir, quarter, name_quarter, regions)
    except Exception as exc:
        # The exception text may quote a cell (e.g. a failed cast), so only its type is kept.
        log.error("check of %s stopped on %s", display, type(exc).__name__)
        result.trajecten = result.banen = result.organisatie = None
        result.quarantined = []
        result.rejections.append(
            Problem(
                display, None, None, None, None, "internal_error", {"detail": type(exc).__name__}
            )
        )
        return result


def _check_contents(result, path, is_dir, quarter, name_quarter, regions) -> CheckResult:
    display, rejections = result.display_name, result.rejections
    raw = read_csv_folder(path, path.name) if is_dir else read_xlsx(path, display)
    result.notes.extend(raw.notes)
    rejections.extend(raw.rejections)

    # --- identifiers first: when there are any, nothing else about the values is said
    identifier_rules = ("identifier_column", "bsn_value")
    identifier_problems = [p for p in raw.rejections if p.rule_code in identifier_rules]
    identifier_problems += _bsn_problems(raw)
    if identifier_problems:
        others = [p for p in rejections if p.rule_code not in identifier_rules]
        result.rejections = others + identifier_problems
        return result

    complete = all(
        sheet in raw.sheets
        and all(c.name in raw.sheets[sheet].known for c in COLUMNS[sheet] if not c.may_be_omitted)
        for sheet in COLUMNS
    )
    if not complete:
        return result

    region_codes = tuple(reference.regions() if regions is None else regions)
    period = quarter or (Quarter.parse(name_quarter) if name_quarter else None)
    trajecten, traj_problems, traj_ids, bad_traj_ids, has_ips = _check_trajecten(
        raw.sheets["trajecten"], period, region_codes
    )
    banen, job_problems = _check_banen(raw.sheets["banen"], period, traj_ids, bad_traj_ids)
    result.quarantined = traj_problems + job_problems
    result.trajecten, result.banen = trajecten, banen
    result.organisatie, org_problems = _check_organisatie(
        raw.sheets["organisatie"], result.organisation_code, name_quarter, has_ips
    )
    rejections.extend(org_problems)
    if result.is_rejected:
        # nothing of a rejected submission is loaded; keep the row feedback only
        result.trajecten = result.banen = result.organisatie = None
    return result


def _bsn_problems(raw: RawSubmission) -> list[Problem]:
    problems: list[Problem] = []
    for sheet_name, label, row, column in raw.bsn_cells:
        problems.append(Problem(label, sheet_name, row, column or None, None, "bsn_value"))
    for sheet in raw.sheets.values():
        for idx, values in sheet.data.items():
            hits = identifiers.bsn_positions(pa.array(values, pa.string()))
            column = sheet.headers[idx] or None
            for pos in hits:
                problems.append(
                    Problem(sheet.label, sheet.name, sheet.rows[pos], column, None, "bsn_value")
                )
    # one report per cell, a bounded number per column
    seen: set[tuple] = set()
    per_column: dict[tuple, int] = {}
    kept: list[Problem] = []
    for p in sorted(problems, key=lambda p: (p.sheet or "", p.column or "", p.source_row or 0)):
        key = (p.sheet, p.source_row, p.column)
        if key in seen:
            continue
        seen.add(key)
        col_key = (p.sheet, p.column)
        per_column[col_key] = per_column.get(col_key, 0) + 1
        if per_column[col_key] <= MAX_BSN_PER_COLUMN:
            kept.append(p)
    for (sheet_name, column), count in per_column.items():
        if count > MAX_BSN_PER_COLUMN:
            label = next(p.file for p in kept if p.sheet == sheet_name and p.column == column)
            kept.append(
                Problem(
                    label,
                    sheet_name,
                    None,
                    column,
                    None,
                    "bsn_value_more",
                    {"count": count - MAX_BSN_PER_COLUMN},
                )
            )
    return kept


# --------------------------------------------------------------------------- row rules


class _SheetCheck:
    """Collects problems and the quarantine mask of one sheet."""

    def __init__(self, sheet: RawSheet):
        self.sheet = sheet
        self.n = len(sheet.rows)
        self.bad = np.zeros(self.n, dtype=bool)
        self.problems: list[Problem] = []
        self.traject_ids: list[str | None] = [None] * self.n

    def delivered(self, column: str) -> list[str | None]:
        values = self.sheet.column(column)
        return values if values is not None else [None] * self.n

    def clean(self, column: str) -> pa.Array:
        return normalise.text(self.delivered(column))

    def flag(
        self,
        mask: pa.Array | np.ndarray,
        column: str,
        rule: str,
        params: Callable[[int], dict] | dict | None = None,
        show_value: bool = True,
        quarantine: bool = True,
    ) -> None:
        if isinstance(mask, np.ndarray):
            hits = mask
        else:
            hits = pc.fill_null(mask, False).to_numpy(zero_copy_only=False)
        idx = np.flatnonzero(hits)
        if len(idx) == 0:
            return
        if quarantine:
            self.bad[idx] = True
        delivered = self.delivered(column)
        for i in idx.tolist():
            value = delivered[i] if show_value else None
            extra = params(i) if callable(params) else (params or {})
            self.problems.append(
                Problem(
                    self.sheet.label,
                    self.sheet.name,
                    self.sheet.rows[i],
                    column,
                    None if value is None else str(value),
                    rule,
                    extra,
                    self.traject_ids[i],
                )
            )

    def typed(self, spec: ColumnSpec, regions: tuple[str, ...] = ()) -> pa.Array:
        """Parse a column by its kind, flagging unparseable, missing and out-of-range values."""
        clean = self.clean(spec.name)
        if spec.kind == "date":
            values, bad = normalise.date(clean)
            self.flag(bad, spec.name, "invalid_date")
        elif spec.kind == "decimal":
            values, bad = normalise.decimal(clean)
            self.flag(bad, spec.name, "invalid_decimal")
        elif spec.kind == "integer":
            values, bad = normalise.integer(clean)
            self.flag(bad, spec.name, "invalid_integer")
        elif spec.kind == "bool":
            values, bad = normalise.boolean(clean)
            self.flag(bad, spec.name, "invalid_bool")
        elif spec.kind == "code":
            values, bad = normalise.code(clean, spec.allowed_codes())
            self.flag(bad, spec.name, "invalid_code", {"allowed": ", ".join(spec.allowed_codes())})
        elif spec.kind == "region":
            values, bad = normalise.code(clean, regions)
            self.flag(bad, spec.name, "invalid_region")
        else:
            values = clean
        if spec.required == "yes":
            self.flag(pc.is_null(clean), spec.name, "required", show_value=False)
        if spec.min is not None:
            self.flag(
                pc.less(values, spec.min),
                spec.name,
                "below_minimum",
                {"minimum": _num(spec.min)},
            )
        if spec.max is not None:
            self.flag(
                pc.greater(values, spec.max),
                spec.name,
                "above_maximum",
                {"maximum": _num(spec.max)},
            )
        return values


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _duplicates(keys: pa.Array) -> tuple[np.ndarray, dict]:
    """Mask of rows whose (non-null) key occurs more than once, and the count per such key."""
    counted = pc.value_counts(keys)
    repeated = counted.filter(pc.greater(counted.field("counts"), 1))
    repeated = repeated.filter(pc.is_valid(repeated.field("values")))
    counts = dict(
        zip(repeated.field("values").to_pylist(), repeated.field("counts").to_pylist(), strict=True)
    )
    mask = pc.is_in(keys, value_set=repeated.field("values")) if counts else None
    if mask is None:
        return np.zeros(len(keys), dtype=bool), counts
    return pc.fill_null(mask, False).to_numpy(zero_copy_only=False), counts


def _check_trajecten(sheet: RawSheet, quarter: Quarter | None, regions: tuple[str, ...]):
    chk = _SheetCheck(sheet)
    specs = {c.name: c for c in COLUMNS["trajecten"]}
    ids = chk.clean("traject_id")
    chk.traject_ids = ids.to_pylist()
    values: dict[str, pa.Array] = {}
    for spec in COLUMNS["trajecten"]:
        values[spec.name] = chk.typed(spec, regions)
    # traject_id: length and uniqueness
    chk.flag(
        pc.greater(pc.utf8_length(ids), TRAJECT_ID_MAX_LENGTH),
        "traject_id",
        "too_long",
        {"maximum": TRAJECT_ID_MAX_LENGTH},
    )
    dup_mask, counts = _duplicates(ids)
    id_list = chk.traject_ids
    chk.flag(
        dup_mask, "traject_id", "duplicate_traject_id", lambda i: {"count": counts[id_list[i]]}
    )
    # IPS-only columns
    ttype = values["trajecttype"]
    is_ips = pc.fill_null(pc.equal(ttype, "IPS"), False)
    known_other = pc.fill_null(
        pc.and_(
            pc.is_in(ttype, value_set=pa.array(specs["trajecttype"].allowed_codes())),
            pc.invert(is_ips),
        ),
        False,
    )
    ttypes = ttype.to_pylist()
    for name in ("ips_regeling", "fase"):
        filled = pc.is_valid(chk.clean(name))
        chk.flag(pc.and_(is_ips, pc.invert(filled)), name, "required_for_ips", show_value=False)
        chk.flag(
            pc.and_(known_other, filled), name, "only_for_ips", lambda i: {"trajecttype": ttypes[i]}
        )
    # dates against the quarter and each other
    start, end = values["startdatum"], values["einddatum"]
    _date_rules(chk, start, end, quarter, end_inside_quarter=True)
    # uitstroomreden iff einddatum (as delivered: an unparseable einddatum is still filled)
    end_filled = pc.is_valid(chk.clean("einddatum"))
    reason_filled = pc.is_valid(chk.clean("uitstroomreden"))
    chk.flag(
        pc.and_(end_filled, pc.invert(reason_filled)),
        "uitstroomreden",
        "exit_reason_required",
        show_value=False,
    )
    chk.flag(
        pc.and_(reason_filled, pc.invert(end_filled)), "uitstroomreden", "exit_reason_without_end"
    )

    table = pa.table(
        {
            "source_row": pa.array(sheet.rows, pa.int32()),
            **{name: values[name] for name in TRAJECTEN_SCHEMA.names[1:-1]},
            "is_quarantined": pa.array(chk.bad),
        },
        schema=TRAJECTEN_SCHEMA,
    )
    all_ids = set(v for v in chk.traject_ids if v is not None)
    bad_ids = set(v for v, b in zip(chk.traject_ids, chk.bad, strict=True) if b and v is not None)
    has_ips = bool(pc.any(is_ips).as_py()) if chk.n else False
    return table, chk.problems, all_ids, bad_ids, has_ips


def _date_rules(chk: _SheetCheck, start, end, quarter: Quarter | None, end_inside_quarter: bool):
    if quarter is not None:
        q_start = pa.scalar(quarter.start, pa.date32())
        q_end = pa.scalar(quarter.end, pa.date32())
        chk.flag(
            pc.greater(start, q_end),
            "startdatum",
            "start_after_quarter",
            {"quarter_end": quarter.end.isoformat()},
        )
        if end_inside_quarter:
            outside = pc.or_(pc.less(end, q_start), pc.greater(end, q_end))
            chk.flag(
                outside,
                "einddatum",
                "end_outside_quarter",
                {
                    "quarter_start": quarter.start.isoformat(),
                    "quarter_end": quarter.end.isoformat(),
                },
            )
    starts = chk.clean("startdatum").to_pylist()  # shown as delivered
    chk.flag(
        pc.less(end, start),
        "einddatum",
        "end_before_start",
        lambda i: {"start": starts[i]},
    )


def _check_banen(sheet: RawSheet, quarter: Quarter | None, traj_ids: set, bad_ids: set):
    chk = _SheetCheck(sheet)
    ids = chk.clean("traject_id")
    chk.traject_ids = ids.to_pylist()
    values: dict[str, pa.Array] = {}
    for spec in COLUMNS["banen"]:
        values[spec.name] = chk.typed(spec)
    known = pc.is_in(ids, value_set=pa.array(sorted(traj_ids), pa.string()))
    chk.flag(pc.and_(pc.is_valid(ids), pc.invert(known)), "traject_id", "unknown_traject_id")
    chk.flag(
        pc.is_in(ids, value_set=pa.array(sorted(bad_ids), pa.string())),
        "traject_id",
        "traject_quarantined",
    )
    pair = pc.binary_join_element_wise(ids, pc.cast(values["baan_nr"], pa.string()), "\x1f")
    dup_mask, counts = _duplicates(pair)
    pairs = pair.to_pylist() if counts else []
    chk.flag(
        dup_mask,
        "baan_nr",
        "duplicate_baan_nr",
        lambda i: {"count": counts[pairs[i]], "traject_id": chk.traject_ids[i]},
    )
    _date_rules(chk, values["startdatum"], values["einddatum"], quarter, end_inside_quarter=False)
    table = pa.table(
        {
            "source_row": pa.array(sheet.rows, pa.int32()),
            "traject_id": ids,
            "baan_nr": pc.cast(values["baan_nr"], pa.int32()),
            "startdatum": values["startdatum"],
            "einddatum": values["einddatum"],
            "uren_per_week": values["uren_per_week"],
            "loonwaarde_pct": pc.cast(values["loonwaarde_pct"], pa.int32()),
            "contractduur_maanden": pc.cast(values["contractduur_maanden"], pa.int32()),
            "contractsoort": values["contractsoort"],
            "is_quarantined": pa.array(chk.bad),
        },
        schema=BANEN_SCHEMA,
    )
    return table, chk.problems


def _check_organisatie(sheet: RawSheet, org: str | None, name_quarter: str | None, has_ips: bool):
    """The one organisatie row: any broken rule rejects (a single row cannot be quarantined)."""
    chk = _SheetCheck(sheet)
    if chk.n != 1:
        return None, [
            Problem(sheet.label, sheet.name, None, None, None, "organisatie_rows", {"count": chk.n})
        ]
    code = chk.clean("organisatie_code")
    chk.flag(pc.is_null(code), "organisatie_code", "required", show_value=False)
    kwartaal = chk.clean("kwartaal")
    chk.flag(pc.is_null(kwartaal), "kwartaal", "required", show_value=False)
    code_value = code[0].as_py()
    if code_value is not None and org is not None and code_value.upper() != org:
        chk.flag(np.array([True]), "organisatie_code", "organisatie_code_mismatch", {"code": org})
    kw_value = kwartaal[0].as_py()
    kw_norm = str(Quarter.parse(kw_value)) if kw_value and Quarter.is_valid(kw_value) else None
    if kw_value is not None and name_quarter is not None and kw_norm != name_quarter:
        chk.flag(np.array([True]), "kwartaal", "kwartaal_mismatch", {"quarter": name_quarter})
    fte_spec = COLUMNS["organisatie"][2]
    fte = chk.typed(fte_spec)
    if has_ips and not pc.is_valid(chk.clean("fte_trajectbegeleiding"))[0].as_py():
        chk.flag(np.array([True]), "fte_trajectbegeleiding", "fte_required", show_value=False)
    table = pa.table(
        {
            "source_row": pa.array(sheet.rows, pa.int32()),
            "organisatie_code": pc.utf8_upper(code),
            "kwartaal": pa.array([kw_norm], pa.string()),
            "fte_trajectbegeleiding": fte,
        },
        schema=ORGANISATIE_SCHEMA,
    )
    return table, chk.problems
