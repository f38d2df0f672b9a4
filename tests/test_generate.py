"""The demo landing zone: format, determinism and figures that look like the reports.

The figures are recomputed here with a small reader of its own (not the
loader, not dbt), straight from the spec's definitions, so a calibration drift
in the generator shows up without the rest of the pipeline.
"""

from __future__ import annotations

import csv
import hashlib
import re
from datetime import date, datetime
from pathlib import Path

import pytest

from werkmonitor import reference
from werkmonitor.catalogue import code_list, submission_format
from werkmonitor.generate import generate_landing_zone
from werkmonitor.quarters import Quarter

NAME_RE = re.compile(r"^(ORG\d\d)_(\d{4}Q[1-4])(_[A-Za-z0-9]+)?(\.xlsx)?$")
# the header the generator must write is the catalogue's (the submission format)
TRAJECT_COLUMNS = set(submission_format().sheets["trajecten"].column_names)
BAAN_COLUMNS = set(submission_format().sheets["banen"].column_names)
YES = {"ja", "j", "1", "true"}
NO = {"nee", "n", "0", "false"}


# --------------------------------------------------------------------------- small reader


def _date(value) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    if re.match(r"^\d{4}-\d{2}-\d{2}$", text):
        return date.fromisoformat(text)
    day, month, year = re.split(r"[-/]", text)
    return date(int(year), int(month), int(day))


def _num(value) -> float | None:
    if value is None or value == "":
        return None
    return float(str(value).replace(",", "."))


def _bool(value) -> bool:
    text = str(value).strip().lower()
    assert text in YES | NO, value
    return text in YES


def _sheet_rows(rows: list[list]) -> list[dict]:
    header = [str(h).strip().lower() for h in rows[0]]
    # a CSV row may stop before the last (empty) fields
    rows = [list(row) + [None] * (len(header) - len(row)) for row in rows]
    return [
        {h: ("" if v is None else (v.strip() if isinstance(v, str) else v))
         for h, v in zip(header, row, strict=True)}
        for row in rows[1:]
    ]


def read_submission(path: Path) -> dict[str, list[dict]]:
    if path.suffix == ".xlsx":
        from python_calamine import CalamineWorkbook

        workbook = CalamineWorkbook.from_path(str(path))
        return {name: _sheet_rows(workbook.get_sheet_by_name(name).to_python())
                for name in ("trajecten", "banen", "organisatie")}
    out = {}
    for name in ("trajecten", "banen", "organisatie"):
        text = (path / f"{name}.csv").read_text(encoding="utf-8-sig")
        delimiter = ";" if text.split("\n", 1)[0].count(";") else ","
        out[name] = _sheet_rows(list(csv.reader(text.splitlines(), delimiter=delimiter)))
    return out


def current_submissions(quarter_dir: Path) -> dict[str, Path]:
    """Latest version per organisation (names sort: ``ORG05_2024Q2`` < ``..._v2``)."""
    current: dict[str, Path] = {}
    for path in sorted(quarter_dir.iterdir()):
        match = NAME_RE.match(path.name)
        assert match, path.name
        current[match.group(1)] = path
    return current


def figures(quarter_dir: Path) -> dict[str, float]:
    """National figures of one quarter by the spec's definitions (indicators.md)."""
    quarter = Quarter.parse(quarter_dir.name)
    q_start, q_end = quarter.start, quarter.end
    f: dict[str, float] = {}

    def add(key, n=1):
        f[key] = f.get(key, 0) + n

    for path in current_submissions(quarter_dir).values():
        data = read_submission(path)
        jobs: dict[str, list[dict]] = {}
        for job in data["banen"]:
            jobs.setdefault(job["traject_id"], []).append(job)
        fte = _num(data["organisatie"][0]["fte_trajectbegeleiding"])
        running_ips = 0
        add("organisations")
        for row in data["trajecten"]:
            type_ = row["trajecttype"].upper()
            phase = str(row["fase"]).upper()
            if phase == "ORIENTATIE":
                add("orientation")
                continue
            start, end = _date(row["startdatum"]), _date(row["einddatum"])
            active_end = end or q_end
            window = (max(q_start, start), active_end)
            add(f"running_{type_}")
            add("running")
            if type_ == "IPS":
                running_ips += 1
                add(f"ips_{phase}")
                add(f"ips_fin_{row['financiering'].upper()}")
                add(f"ips_scheme_{row['ips_regeling'].upper()}")
            if q_start <= start <= q_end:
                add("started")
                add(f"started_{type_}")
            if end is not None:
                add("ended")
                add(f"ended_{type_}")
            spells = [(_date(j["startdatum"]), _date(j["einddatum"]), j) for j in
                      jobs.get(row["traject_id"], [])]

            def overlaps(lo, hi, spells=spells):
                return [j for s, e, j in spells if s <= hi and (e is None or e >= lo)]

            current = overlaps(*window)
            if current:
                add("paid")
                add(f"paid_{type_}")
                if any(_sustainable(j) for j in current):
                    add("sustainable")
                    add(f"sustainable_{type_}")
            if overlaps(start, active_end):
                add("ever")
                add(f"ever_{type_}")
            if type_ == "JOBCOACHING":
                held = [s for s, e, _ in spells
                        if s <= active_end and (e is None or e >= active_end)]
                if held:
                    first = min(held)
                    months = (active_end.year - first.year) * 12 + active_end.month - first.month
                    months -= active_end.day < first.day
                    band = "lt_6" if months < 6 else ("6_12" if months <= 12 else "gt_12")
                    add(f"employment_{band}")
            if type_ != "IPS":
                continue
            if current:
                first_job = min(max(s, start) for s, _, _ in spells)
                days = (first_job - start).days
                add("ips_first_job_within_3_months", days <= 90)
                add("ips_first_job_after_9_months", days >= 271)
            if [s for s, _, _ in spells if window[0] <= s <= window[1] and s >= start]:
                add("ips_job_started")
            stopped = [e for _, e, _ in spells if e is not None and window[0] <= e <= window[1]]
            if stopped and not overlaps(active_end, active_end):
                add("ips_job_stopped")
        if running_ips and fte:
            add("fte", fte)
            add("ips_with_fte", running_ips)
    return f


def _sustainable(job: dict) -> bool:
    wage = _num(job["loonwaarde_pct"])
    months = _num(job["contractduur_maanden"])
    return (_num(job["uren_per_week"]) >= 12 and (wage is None or wage >= 35)
            and (months is None or months >= 3))


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="session")
def zone(tmp_path_factory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("zone")
    summary = generate_landing_zone(out, scale=1, seed=42, first="2022Q4", last="2024Q3")
    return out, summary


@pytest.fixture(scope="session")
def figures_2024q3(zone) -> dict[str, float]:
    return figures(zone[0] / "2024Q3")


def _tree_hash(root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


# --------------------------------------------------------------------------- tests


def test_same_seed_same_bytes(zone, tmp_path):
    out, _ = zone
    # a shorter run writes the same bytes for the quarters it covers
    again = tmp_path / "again"
    generate_landing_zone(again, scale=1, seed=42, first="2024Q2", last="2024Q3")
    assert sorted(p.name for p in again.iterdir()) == ["2024Q2", "2024Q3"]
    for quarter in ("2024Q2", "2024Q3"):
        assert _tree_hash(again / quarter) == _tree_hash(out / quarter)
    other = tmp_path / "other"
    generate_landing_zone(other, scale=1, seed=7, first="2024Q3", last="2024Q3")
    assert _tree_hash(other / "2024Q3") != _tree_hash(out / "2024Q3")


def test_scale_changes_volume(tmp_path):
    small = generate_landing_zone(tmp_path / "s", scale=0.5, first="2024Q3", last="2024Q3")
    large = generate_landing_zone(tmp_path / "l", scale=2, first="2024Q3", last="2024Q3")
    ratio = large["trajectories"] / small["trajectories"]
    assert 3.4 < ratio < 4.6, ratio
    assert large["quarters"]["2024Q3"]["files"] == small["quarters"]["2024Q3"]["files"]


def test_file_names_and_layout(zone):
    out, summary = zone
    orgs = reference.organisations()
    quarters = sorted(p.name for p in out.iterdir())
    assert quarters == [str(q) for q in
                        [Quarter.parse("2022Q4")] + _following("2022Q4", "2024Q3")]
    formats = set()
    for quarter_dir in out.iterdir():
        for path in quarter_dir.iterdir():
            match = NAME_RE.match(path.name)
            assert match, path
            org, quarter, _, ext = match.groups()
            assert quarter == quarter_dir.name and org in orgs
            assert orgs[org].is_active(Quarter.parse(quarter))
            if ext:
                formats.add("xlsx")
            else:
                assert path.is_dir()
                assert sorted(p.name for p in path.iterdir()) == [
                    "banen.csv", "organisatie.csv", "trajecten.csv"]
                formats.add(";" if ";" in (path / "banen.csv").read_text("utf-8-sig")
                            .split("\n")[0] else ",")
            data = read_submission(path)
            assert set(data["trajecten"][0]) == TRAJECT_COLUMNS
            if data["banen"]:
                assert set(data["banen"][0]) == BAAN_COLUMNS
            assert len(data["organisatie"]) == 1
            assert data["organisatie"][0]["organisatie_code"] == org
            assert data["organisatie"][0]["kwartaal"] == quarter
    assert formats == {"xlsx", ";", ","}
    delivering = {q: v["files"] for q, v in summary["quarters"].items()}
    assert delivering["2022Q4"] == 28 and delivering["2023Q1"] == 23
    # 2024Q2 has the resubmission of one organisation as an extra file
    assert delivering["2024Q2"] == 43 and delivering["2024Q3"] == 43


def _following(first: str, last: str) -> list[Quarter]:
    out, q = [], Quarter.parse(first).next()
    while q <= Quarter.parse(last):
        out.append(q)
        q = q.next()
    return out


def test_exactly_one_corrected_resubmission(zone):
    out, summary = zone
    versions = [p for q in out.iterdir() for p in q.iterdir() if NAME_RE.match(p.name).group(3)]
    assert len(versions) == 1
    corrected = versions[0]
    org, quarter = NAME_RE.match(corrected.name).group(1, 2)
    original = [p for p in (out / quarter).iterdir()
                if NAME_RE.match(p.name).group(1) == org and p != corrected]
    assert len(original) == 1
    first, second = read_submission(original[0]), read_submission(corrected)
    assert first["trajecten"] != second["trajecten"]
    assert summary["resubmission"] == f"{quarter}/{corrected.name}"


def test_rows_are_valid_by_the_submission_format(zone):
    out, _ = zone
    regions = set(reference.regions())
    register = reference.organisation_regions()
    for org, path in current_submissions(out / "2024Q3").items():
        data = read_submission(path)
        registered = {e.trajectory_type for e in register
                      if e.organisation_code == org and e.is_valid(Quarter.parse("2024Q3"))}
        quarter = Quarter.parse(out.joinpath("2024Q3").name)
        ids = set()
        for row in data["trajecten"]:
            assert row["traject_id"] not in ids
            ids.add(row["traject_id"])
            assert row["arbeidsmarktregio"].upper() in regions
            type_ = row["trajecttype"].upper()
            assert type_ in registered
            start, end = _date(row["startdatum"]), _date(row["einddatum"])
            assert start <= quarter.end
            if end is not None:
                assert start <= end and quarter.start <= end <= quarter.end
            assert bool(row["uitstroomreden"]) == (end is not None), row
            if type_ == "IPS":
                assert row["fase"].upper() in code_list("ips_phases")
                assert row["ips_regeling"].upper() in code_list("ips_schemes")
            else:
                assert row["fase"] == "" and row["ips_regeling"] == ""
            for flag in ("opleiding", "proefplaatsing", "vrijwilligerswerk", "dagbesteding"):
                _bool(row[flag])
        numbers = set()
        for job in data["banen"]:
            assert job["traject_id"] in ids
            key = (job["traject_id"], int(_num(job["baan_nr"])))
            assert key not in numbers
            numbers.add(key)
            assert 0 <= _num(job["uren_per_week"]) <= 80
            assert _date(job["startdatum"]) <= quarter.end
            end = _date(job["einddatum"])
            assert end is None or _date(job["startdatum"]) <= end <= quarter.end


def test_traject_ids_and_job_history_stable_across_quarters(zone):
    out, _ = zone
    q2_files, q3_files = (current_submissions(out / q) for q in ("2024Q2", "2024Q3"))
    both = sorted(set(q2_files) & set(q3_files))
    org = max(both, key=lambda o: len(read_submission(q3_files[o])["trajecten"]))
    q2, q3 = read_submission(q2_files[org]), read_submission(q3_files[org])
    earlier = {r["traject_id"]: r for r in q2["trajecten"]}
    later = {r["traject_id"]: r for r in q3["trajecten"]}
    carried = [t for t, r in earlier.items() if not r["einddatum"]]
    assert len(carried) > 50
    assert all(t in later for t in carried)
    # a trajectory that ended does not come back
    assert not [t for t, r in earlier.items() if r["einddatum"] and t in later]
    # orientation rows move on to the IPS phases under the same id
    moved = [t for t in carried if earlier[t]["fase"].upper() == "ORIENTATIE"
             and later[t]["fase"].upper() in {"AANGEVRAAGD", "GOEDGEKEURD"}]
    assert moved
    # jobs are repeated with the same start, and an ended job keeps its end date
    jobs2 = {(j["traject_id"], str(j["baan_nr"])): j for j in q2["banen"]}
    jobs3 = {(j["traject_id"], str(j["baan_nr"])): j for j in q3["banen"]}
    repeated = [k for k in jobs2 if k[0] in later and k in jobs3]
    assert len(repeated) > 20
    for key in repeated:
        assert _date(jobs2[key]["startdatum"]) == _date(jobs3[key]["startdatum"])
        if jobs2[key]["einddatum"]:
            assert _date(jobs2[key]["einddatum"]) == _date(jobs3[key]["einddatum"])


def _share(f, key, denominator="running"):
    return f.get(key, 0) / f[denominator]


def test_national_figures_2024q3_look_like_the_report(figures_2024q3):
    f = figures_2024q3
    # published Q3 2024: running 4.763, IPS 85,3%, paid 37,5%, sustainable 29,7%, ever 44,3%
    assert 4763 * 0.9 <= f["running"] <= 4763 * 1.1
    assert 0.80 <= _share(f, "running_IPS") <= 0.90
    assert 0.33 <= _share(f, "paid") <= 0.42
    assert 0.26 <= _share(f, "sustainable") <= 0.34
    assert 0.40 <= _share(f, "ever") <= 0.50
    assert f["sustainable"] < f["paid"] < f["ever"]
    # started 685 (14%), ended 778 (16%) of running
    assert 0.10 <= _share(f, "started") <= 0.18
    assert 0.12 <= _share(f, "ended") <= 0.20
    # per type: WABZ 155, jobcoaching 138, overig 234
    assert 120 <= f["running_WABZ"] <= 190
    assert 105 <= f["running_JOBCOACHING"] <= 170
    assert 190 <= f["running_OVERIG"] <= 280
    assert f["paid_JOBCOACHING"] / f["running_JOBCOACHING"] > 0.8
    assert f["paid_WABZ"] / f["running_WABZ"] < 0.3
    assert f["organisations"] == 43


def test_ips_figures_2023q1_look_like_the_report(zone):
    f = figures(zone[0] / "2023Q1")
    # published Q1 2023 (IPS only): running 2.496, orientation 544, requested 182
    assert set(k for k in f if k.startswith("running_")) == {"running_IPS"}
    assert 2496 * 0.85 <= f["running"] <= 2496 * 1.15
    assert 0.12 <= f["orientation"] / f["running"] <= 0.32
    assert 0.03 <= f["ips_AANGEVRAAGD"] / f["running"] <= 0.12
    # financing UWV 53,7% in 2023Q1, falling later; gemeente rising
    assert 0.45 <= _share(f, "ips_fin_UWV") <= 0.62
    assert 0.55 <= _share(f, "ips_scheme_EPA") <= 0.70


def test_financing_trend(zone, figures_2024q3):
    early = figures(zone[0] / "2023Q1")
    late = figures_2024q3
    uwv = [_share(x, "ips_fin_UWV", "running_IPS") for x in (early, late)]
    gem = [_share(x, "ips_fin_GEMEENTE", "running_IPS") for x in (early, late)]
    cmd = [_share(x, "ips_scheme_CMD", "running_IPS") for x in (early, late)]
    assert uwv[1] < uwv[0] - 0.05 and gem[1] > gem[0] + 0.05 and cmd[1] > cmd[0]


def test_defects_leave_every_other_file_as_it_was(tmp_path):
    """Defects are extra rows and one extra column: the demo's figures change only by them."""
    clean = generate_landing_zone(tmp_path / "clean", scale=0.1, first="2024Q2", last="2024Q4")
    faulty = generate_landing_zone(tmp_path / "faulty", scale=0.1, first="2024Q2",
                                   last="2024Q4", defects=True)
    assert clean["defects"] is None
    touched = {(q, org) for q, orgs in faulty["defects"]["quarantined_rows"].items()
               for org in orgs}
    rejected = faulty["defects"]["rejected"]
    assert rejected.startswith("2024Q2/") and len(touched) >= 6
    files = sorted(p.relative_to(tmp_path / "clean") for p in (tmp_path / "clean").rglob("*")
                   if p.is_file())
    assert files == sorted(p.relative_to(tmp_path / "faulty")
                           for p in (tmp_path / "faulty").rglob("*") if p.is_file())
    for rel in files:
        quarter, name = rel.parts[0], rel.parts[1]
        org = name.split("_")[0]
        same = (tmp_path / "clean" / rel).read_bytes() == (tmp_path / "faulty" / rel).read_bytes()
        if (quarter, org) not in touched and not rejected.startswith(f"{quarter}/{org}_"):
            assert same, rel
    for quarter, orgs in faulty["defects"]["quarantined_rows"].items():
        rows = {key: faulty["quarters"][quarter][key] - clean["quarters"][quarter][key]
                for key in ("trajecten", "banen")}
        assert rows["trajecten"] + rows["banen"] == sum(orgs.values()), quarter
        assert all(1 <= n <= 3 for n in orgs.values()) and len(orgs) >= 2


def test_late_correction_is_the_rejected_file_without_its_column(tmp_path):
    faulty = generate_landing_zone(tmp_path / "zone", scale=0.1, first="2024Q2", last="2024Q4",
                                   defects=True)
    late = generate_landing_zone(tmp_path / "late", scale=0.1, first="2024Q2", last="2024Q4",
                                 late=True)
    rejected = faulty["defects"]["rejected"]
    written = sorted(str(p.relative_to(tmp_path / "late"))
                     for p in (tmp_path / "late").rglob("*") if p.is_file())
    stem = rejected.removesuffix(".xlsx")
    correction = late["defects"]["late_correction"]
    assert correction.startswith(f"{stem}_v2")
    assert written and all(w.startswith(correction) for w in written)
    bad = read_submission(tmp_path / "zone" / rejected)["trajecten"]
    good = read_submission(tmp_path / "late" / correction)["trajecten"]
    assert [{k: v for k, v in row.items() if k != "bsn"} for row in bad] == good
    assert all("bsn" in row for row in bad) and not any("bsn" in row for row in good)


def test_rejects_bad_arguments(tmp_path):
    with pytest.raises(ValueError, match="scale"):
        generate_landing_zone(tmp_path, scale=0)
    with pytest.raises(ValueError, match="quarter"):
        generate_landing_zone(tmp_path, first="2024Q5")


def test_dialects_people_actually_type(zone):
    """The oddities the loader must normalise are present (and only valid ones)."""
    out, _ = zone
    texts = {p: p.read_bytes() for p in (out / "2024Q3").rglob("*.csv")}
    assert any(t.startswith(b"\xef\xbb\xbf") for t in texts.values())
    assert any(not t.startswith(b"\xef\xbb\xbf") for t in texts.values())
    trajecten = [t.decode("utf-8-sig") for p, t in texts.items() if p.name == "trajecten.csv"]
    assert any(re.search(r"\d{2}-\d{2}-\d{4}", t) for t in trajecten)
    assert any(re.search(r"\d{4}-\d{2}-\d{2}", t) for t in trajecten)
    assert any(";ips;" in t or ";ips\r" in t or ",ips," in t for t in trajecten)
    assert any(re.search(r"[;,]j[;,\r\n]", t) for t in trajecten)
    banen = [t.decode("utf-8-sig") for p, t in texts.items() if p.name == "banen.csv"]
    assert any(re.search(r";\d+,5;", t) for t in banen)


def test_the_calibration_tables_name_seed_codes():
    """The generator's weights are keyed by code; every code is the seed's (the catalogue)."""
    from werkmonitor.generate import model

    assert {c for c in model._DETAILS if c} == set(code_list("financing_details"))
    assert len(model._DETAILS) == len(model._DETAIL_WEIGHTS)
    assert set(model._NATIONAL_TARGETS) == set(code_list("trajectory_types"))
    assert set(model._QUARTERLY_HAZARD) == set(code_list("trajectory_types"))
