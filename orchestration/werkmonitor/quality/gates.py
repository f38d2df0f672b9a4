"""Run the quality gates of one or more quarters: read, validate with GX, record, feed back.

One GX context per run however many quarters (``gx_run.Validator``), one
pandas batch per frame, Data Docs built once. Where things go (COMMON.md
contract 5): Data Docs and the gate details hold row-level values, so they go
to the internal tier (``internal_dir``, beside the warehouse); each
organisation's feedback to its own folder ``organisations_dir/<ORG>/<quarter>/``.
Nothing is written under the publish dir.
"""

from __future__ import annotations

import logging
import time
from datetime import datetime
from pathlib import Path

import duckdb

from werkmonitor.config import EXPECTATIONS_DIR, SEEDS_DIR, settings
from werkmonitor.quality.audit import write_audits
from werkmonitor.quality.details import (
    clear_quarter_pages,
    prune_unlinked_pages,
    write_gate_details,
)
from werkmonitor.quality.feedback import write_feedback
from werkmonitor.quality.frames import QuarterData, RunFrames
from werkmonitor.quality.overview import write_index_overview, write_overview
from werkmonitor.quality.parameters import indicator_kinds, suite_parameters
from werkmonitor.quality.policy import load_completeness_policy
from werkmonitor.quality.results import GateResult, GateRun
from werkmonitor.quality.suites import load_suites
from werkmonitor.quarters import Quarter

log = logging.getLogger(__name__)

STATUS_NL = {"incomplete": "onvolledig", "no_data": "geen gegevens"}


def _completeness_note(data: QuarterData, results: list[GateResult]) -> None:
    """Say which regions are marked: never a failure (expectations/policy.yml)."""
    frame = data.frames.get("region_completeness")
    if frame is None or "status" not in frame.columns:
        return
    starred = frame[frame["status"].isin(["incomplete", "no_data"])]
    no_provider = frame[frame["status"] == "no_provider"]
    parts = []
    if len(starred):
        parts.append("met * " + ", ".join(
            f"{row.region} ({STATUS_NL[row.status]})" for row in starred.itertuples()))
    if len(no_provider):
        parts.append(f"met ** (geen aanbieder) {len(no_provider)} regio('s)")
    for result in results:
        if result.name == "completeness.national_coverage":
            result.metadata["marked_regions"] = list(starred["region"]) + list(
                no_provider["region"])
            result.metadata["incomplete_regions"] = list(starred["region"])
            if parts:
                note = "regio's gemarkeerd " + "; ".join(parts)
                result.metadata["note_nl"] = note
                if result.success:
                    result.message = f"in orde; {note}"


def run_quality_gates(warehouse: Path, quarter: str, **kwargs) -> GateRun:
    """Validate one quarter and record the verdict; see ``run_quality_gates_many``."""
    return run_quality_gates_many(warehouse, [quarter], **kwargs)[0]


def run_quality_gates_many(
    warehouse: Path,
    quarters: list[str],
    *,
    internal_dir: Path | None = None,
    organisations_dir: Path | None = None,
    policy_path: Path | None = None,
    expectations_dir: Path = EXPECTATIONS_DIR,
    seeds_dir: Path = SEEDS_DIR,
    build_data_docs: bool = True,
    write_to_warehouse: bool = True,
) -> list[GateRun]:
    """Validate several quarters in one GX context and record each quarter's verdict.

    ``internal_dir`` defaults to ``internal/`` beside the warehouse (what
    ``Settings.internal_dir`` is), ``organisations_dir`` to the configured
    organisation tier. The warehouse is opened read-only once for all quarters
    (closed before anything is written); Data Docs are built once into
    ``internal_dir/data_docs/``, keeping the pages of quarters not in this run.
    Per quarter: ``internal_dir/data_docs/<quarter>/gates.html``,
    ``internal_dir/gates/<quarter>.json``, the feedback files and one row in
    ``audit.quality_gate_runs``. Gate runs come back in the order given.
    """
    started = time.perf_counter()
    parsed = [Quarter.parse(quarter) for quarter in quarters]
    if len({str(q) for q in parsed}) != len(parsed):
        raise ValueError(f"kwartaal dubbel opgegeven: {', '.join(map(str, parsed))}")
    warehouse = Path(warehouse)
    if not warehouse.is_file():
        raise FileNotFoundError(f"warehouse niet gevonden: {warehouse}")
    internal_dir = Path(internal_dir) if internal_dir else warehouse.parent / "internal"
    organisations_dir = Path(organisations_dir or settings().organisations_dir)
    policy = load_completeness_policy(policy_path or expectations_dir / "policy.yml")
    suites = load_suites(expectations_dir)
    params = suite_parameters(seeds_dir, policy)
    kinds = indicator_kinds(seeds_dir)
    counts = sorted(ind for ind, kind in kinds.items() if kind == "count")

    from werkmonitor.quality.gx_run import Validator, run_name  # imports GX: only here

    site_dir = internal_dir / "data_docs" if build_data_docs else None
    if site_dir is not None:
        for q in parsed:
            clear_quarter_pages(site_dir, str(q))
    validator = Validator(suites, site_dir)
    # Each frame is read when its suite runs and dropped after it (``RunFrames``);
    # the read-only connection is closed before anything is written.
    with duckdb.connect(str(warehouse), read_only=True) as con, RunFrames(
            con, parsed, seeds_dir, counts, policy.region_drop_min_previous, kinds) as source:
        datas = source.datas
        found = validator.validate(datas, params, policy, source)
    index = validator.build_docs()
    runs: list[GateRun] = []
    for data in datas:
        run = GateRun(quarter=data.quarter, results=found[data.quarter], data_docs_index=index)
        _completeness_note(data, run.results)
        run.feedback_files = write_feedback(data, run, organisations_dir)
        runs.append(run)
    # One pass for the whole run: a quarter's duration is an equal share of it.
    for run in runs:
        run.duration_s = (time.perf_counter() - started) / len(runs)
        write_gate_details(run, internal_dir / "gates")
    if site_dir is not None:
        for run in runs:
            write_overview(run, site_dir / run.quarter, site_dir, run_name(quarters))
        write_index_overview(runs, site_dir)
        prune_unlinked_pages(site_dir)
    if write_to_warehouse:
        write_audits(warehouse, [(run, datetime.now()) for run in runs])
    for run in runs:
        log.info(run.format())
    return runs
