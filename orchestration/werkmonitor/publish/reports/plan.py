"""Plan a quarter's reports: load what they read, one :class:`Job` per report.

Planning has no side effects, so a worker process can plan the same quarter
again from the files and draw its share of the jobs (``render.run``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from werkmonitor.publish.build import PUBLISHED_NAME
from werkmonitor.publish.reports import jobs as J
from werkmonitor.publish.reports.data import PublicData, shared
from werkmonitor.publish.reports.document import ReportError
from werkmonitor.publish.reports.national import national_report
from werkmonitor.publish.reports.organisation import organisation_report
from werkmonitor.publish.reports.regional import region_report
from werkmonitor.publish.reports.workdata import WorkingData
from werkmonitor.reference import organisations, regions


@dataclass
class Plan:
    jobs: list[J.Job]
    context: dict
    failures: dict[str, str] = field(default_factory=dict)
    organisations: list[str] | None = None  # None: no organisation reports planned


BUNDLE = Path("assets") / "vega.js"  # the charts' script, under each tier's folder


def public_jobs(data: PublicData, out_dir: Path) -> list[J.Job]:
    common = J.public_digest_parts(data)
    bundle = out_dir.parent / BUNDLE
    jobs = [
        J.Job(
            "landelijk",
            out_dir / f"landelijk_{data.quarter}.html",
            lambda: national_report(data),
            J.digest(
                *common,
                data.indicators,
                J.once(data.shared, "history", lambda: J.frame_digest(data.history)),
                data.completeness,
                data.cohorts,
            ),
            pdf=True,
            bundle=bundle,
        )
    ]
    for code, name in regions().items():
        jobs.append(
            J.Job(
                f"regio/{code}",
                out_dir / "regio" / f"{code}.html",
                lambda code=code, name=name: region_report(data, code, name),
                J.digest(*common, J.region_digest(data, code)),
                bundle=bundle,
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
                bundle=Path(org_dir) / code / BUNDLE,
            )
        )
    return jobs


def plan(
    publish_dir: Path, quarter: str, warehouse: Path | None, organisations_dir: Path | None
) -> Plan:
    """Every report of ``quarter``; :class:`ReportError` when it has no public figures."""
    source = Path(publish_dir) / PUBLISHED_NAME
    if not source.exists():
        raise ReportError(f"no published file at {source}; run publish first")
    with duckdb.connect(str(source), read_only=True) as con:
        public = PublicData(con, quarter, shared(source))
    context = {
        "stamp": public.stamp(),
        "page": {"quarter": quarter, "quarter_label": public.q.label_nl()},
    }
    result = Plan(public_jobs(public, Path(publish_dir) / "reports" / quarter), context)
    if warehouse is None or organisations_dir is None:
        return result
    try:
        with duckdb.connect(str(warehouse), read_only=True) as con:
            work = WorkingData(con, quarter, shared(Path(warehouse)))
    except duckdb.Error as exc:
        result.failures["organisatie"] = f"working warehouse not readable: {exc}"
        return result
    result.jobs += organisation_jobs(public, work, Path(organisations_dir))
    result.organisations = work.organisations()
    return result
