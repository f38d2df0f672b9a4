"""Quarterly reports in Dutch (HTML; the national one also as PDF).

``render_reports(publish_dir, quarter, warehouse, organisations_dir=None)``
(contract 6) writes the public tier — the national report and one report per
labour-market region, read from the public file only — under
``<publish_dir>/reports/<quarter>/``, and the organisation tier — one report
per organisation with its own figures unsuppressed next to the published
national and regional ones, read from the working warehouse — under
``<organisations_dir>/<ORG>/<quarter>/``. It returns a :class:`ReportsResult`
and never raises because one report fails.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from werkmonitor.publish.build import PUBLISHED_NAME
from werkmonitor.publish.reports import jobs as J
from werkmonitor.publish.reports.data import PublicData
from werkmonitor.publish.reports.document import ReportError
from werkmonitor.publish.reports.national import national_report
from werkmonitor.publish.reports.organisation import organisation_report
from werkmonitor.publish.reports.pdf import CHROMIUM, chromium_flags
from werkmonitor.publish.reports.regional import region_report
from werkmonitor.publish.reports.render import ReportsResult, remove_stale, remove_tree, run
from werkmonitor.publish.reports.workdata import WorkingData
from werkmonitor.quarters import Quarter
from werkmonitor.reference import organisations, regions


def public_jobs(data: PublicData, out_dir: Path) -> list[J.Job]:
    common = J.public_digest_parts(data)
    jobs = [
        J.Job(
            "landelijk",
            out_dir / f"landelijk_{data.quarter}.html",
            lambda: national_report(data),
            J.digest(*common, data.indicators, data.history, data.completeness, data.cohorts),
            pdf=True,
        )
    ]
    for code, name in regions().items():
        jobs.append(
            J.Job(
                f"regio/{code}",
                out_dir / "regio" / f"{code}.html",
                lambda code=code, name=name: region_report(data, code, name),
                J.digest(*common, *J.region_rows(data, code)),
            )
        )
    return jobs


def organisation_path(organisations_dir: Path, code: str, quarter: str) -> Path:
    return Path(organisations_dir) / code / quarter / f"organisatierapport_{code}_{quarter}.html"


def organisation_jobs(public: PublicData, work: WorkingData, org_dir: Path) -> list[J.Job]:
    orgs, jobs = organisations(), []
    common = J.public_digest_parts(public)
    for code in work.organisations():
        name = orgs[code].name if code in orgs else code
        files = [
            f"{code} {f['file_name']} ({str(f.get('content_hash'))[:12]})"
            for f in work.files_of(code)
        ]
        jobs.append(
            J.Job(
                f"organisatie/{code}",
                organisation_path(org_dir, code, public.quarter),
                lambda code=code, name=name: organisation_report(public, work, code, name),
                J.digest(*common, *J.organisation_rows(public, work, code)),
                stamp_files=files,
            )
        )
    return jobs


def _remove_stale_organisations(org_dir: Path, quarter: str, keep: set[str]) -> None:
    if org_dir.exists():
        for folder in org_dir.glob(f"*/{quarter}"):
            if folder.parent.name not in keep:
                remove_stale(folder, set())


def render_reports(
    publish_dir: Path,
    quarter: str,
    warehouse: Path | None = None,
    organisations_dir: Path | None = None,
    workers: int | None = None,
) -> ReportsResult:
    """Write the quarter's public and organisation reports; see the module docstring.

    Raises :class:`ReportError` only when the quarter has no public figures at
    all (no published file, or the quarter is not in it).
    """
    quarter = str(Quarter.parse(quarter))
    publish_dir = Path(publish_dir)
    source = publish_dir / PUBLISHED_NAME
    if not source.exists():
        raise ReportError(f"no published file at {source}; run publish first")
    with duckdb.connect(str(source), read_only=True) as con:
        public = PublicData(con, quarter)
    out_dir = publish_dir / "reports" / quarter
    # Organisation reports never sit in the public tier (older runs put them here).
    remove_tree(out_dir / "organisatie")
    jobs, setup_failures = public_jobs(public, out_dir), {}
    if warehouse is not None:
        if organisations_dir is None:
            from werkmonitor.config import settings

            organisations_dir = settings().organisations_dir
        try:
            with duckdb.connect(str(warehouse), read_only=True) as con:
                work = WorkingData(con, quarter)
        except duckdb.Error as exc:
            setup_failures["organisatie"] = f"working warehouse not readable: {exc}"
        else:
            jobs += organisation_jobs(public, work, Path(organisations_dir))
            _remove_stale_organisations(Path(organisations_dir), quarter, set(work.organisations()))
    context = {
        "stamp": public.stamp(),
        "page": {"quarter": quarter, "quarter_label": public.q.label_nl()},
    }
    result = run(jobs, context, workers)
    result.failed.update(setup_failures)
    return result


__all__ = ["CHROMIUM", "ReportError", "ReportsResult", "chromium_flags", "render_reports"]
