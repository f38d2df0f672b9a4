"""Run the quality gates of one or more quarters: read, validate with GX, report, write.

One GX context per run (however many quarters), one pandas batch per frame,
every suite from the files in ``expectations/``, Data Docs built once. GX is
imported inside the run functions only
(the import costs seconds and this module is imported by Dagster
definitions).
"""

from __future__ import annotations

import logging
import math
import string
import tempfile
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from werkmonitor import reference
from werkmonitor.config import EXPECTATIONS_DIR, SEEDS_DIR
from werkmonitor.quality.audit import write_audits
from werkmonitor.quality.feedback import write_feedback, write_index_overview, write_overview
from werkmonitor.quality.frames import QuarterData, read_quarter_from
from werkmonitor.quality.report import BLOCKING, GateReport, GateResult
from werkmonitor.quality.suites import Policy, SuiteSpec, load_policy, load_suites
from werkmonitor.quarters import Quarter

log = logging.getLogger(__name__)

LEVEL_NL = {"national": "landelijk"}
MAX_EXAMPLES = 5
MAX_OWNERS = 10
MAX_METADATA_ROWS = 50


class _DutchFormatter(string.Formatter):
    """``str.format`` with a decimal comma, so messages read as Dutch."""

    def format_field(self, value: Any, format_spec: str) -> str:
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return "leeg"
        try:
            text = super().format_field(value, format_spec)
        except (ValueError, TypeError):
            text = str(value)
        if isinstance(value, float):
            text = text.replace(".", ",")
        return text


_FORMATTER = _DutchFormatter()


def suite_parameters(seeds_dir: Path, policy: Policy) -> dict[str, Any]:
    """The values the suites refer to as ``{$PARAMETER: name}``: seeds and policy."""
    types = list(reference.code_list("trajectory_types", seeds_dir))
    financing = list(reference.code_list("financing_types", seeds_dir))
    schemes = list(reference.code_list("ips_schemes", seeds_dir))
    phases = list(reference.code_list("ips_phases", seeds_dir))
    return {
        "regions": list(reference.regions(seeds_dir)),
        "organisations": list(reference.organisations(seeds_dir)),
        "trajectory_types": types,
        "trajectory_types_all": ["ALL", *types],
        "ips_schemes": schemes,
        "ips_schemes_all": ["ALL", *schemes],
        "ips_phases": phases,
        "ips_phases_all": ["ALL", *phases],
        "financing_types": financing,
        "financing_types_all": ["ALL", *financing],
        "financing_details": list(reference.code_list("financing_details", seeds_dir)),
        "exit_reasons": list(reference.code_list("exit_reasons", seeds_dir)),
        "contract_kinds": list(reference.code_list("contract_kinds", seeds_dir)),
        "indicators": list(reference.code_list("indicators", seeds_dir)),
        **policy.parameters(),
    }


def indicator_kinds(seeds_dir: Path) -> dict[str, str]:
    return {row["indicator"]: row["kind"] for row in reference.read_seed("indicators", seeds_dir)}


def _add_derived_columns(data: QuarterData, kinds: dict[str, str]) -> None:
    qi = data.frames.get("quarterly_indicators")
    if qi is not None and "indicator" in qi.columns:
        qi["indicator_kind"] = qi["indicator"].map(kinds)


def _severity(meta: dict[str, Any], policy: Policy) -> str:
    if meta.get("severity_from_policy"):
        return str(getattr(policy, meta["severity_from_policy"]))
    return str(meta["severity"])


def _exception_message(exception_info: Any) -> str | None:
    """The reason a metric could not be computed, or None when it ran.

    GX puts either one ``{raised_exception, exception_message}`` dict here or
    one such dict per failing metric.
    """
    if not exception_info:
        return None
    infos = [exception_info] if "raised_exception" in exception_info else exception_info.values()
    messages = [
        str(info.get("exception_message") or "onbekende fout").strip().splitlines()[0]
        for info in infos
        if isinstance(info, dict) and info.get("raised_exception")
    ]
    return "; ".join(dict.fromkeys(messages)) or None


def _attribution(row: pd.Series, columns: tuple[str, ...]) -> str:
    for column in columns:
        value = row.get(column)
        if value is not None and not (isinstance(value, float) and math.isnan(value)):
            if value is pd.NA:
                continue
            return LEVEL_NL.get(str(value), str(value))
    return "onbekend"


def _plain(value: Any) -> Any:
    if value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, np.ndarray):
        return [_plain(v) for v in value.tolist()]
    if hasattr(value, "item") and not isinstance(value, list | dict | str):
        try:
            return value.item()
        except (ValueError, AttributeError):
            return str(value)
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def _indices(result: dict[str, Any]) -> list[int]:
    raw = result.get("unexpected_index_list") or []
    return [i for i in raw if isinstance(i, int)]


def _gate_result(
    exp_result: Any,
    suite: SuiteSpec,
    frame: pd.DataFrame,
    params: dict[str, Any],
    policy: Policy,
) -> GateResult:
    config = exp_result.expectation_config
    meta = dict(config.meta or {})
    severity = _severity(meta, policy)
    target = meta.get("target") or suite.target
    description = meta["description_nl"]
    result = exp_result.result or {}
    metadata: dict[str, Any] = {
        "expectation": config.type, "suite": suite.name, "description_nl": description,
    }
    error = _exception_message(exp_result.exception_info)
    if error:
        metadata["exception"] = error
        return GateResult(
            name=meta["gate"], target=target, severity=severity, success=False,
            message=f"controle kon niet worden uitgevoerd: {error}",
            unexpected_count=0, metadata=metadata,
        )
    unexpected = int(result.get("unexpected_count") or 0)
    if exp_result.success:
        return GateResult(
            name=meta["gate"], target=target, severity=severity, success=True,
            message="in orde", unexpected_count=0, metadata=metadata,
        )
    indices = [i for i in _indices(result) if i in frame.index]
    if indices:
        rows = frame.loc[indices]
        by_owner: dict[str, int] = {}
        for _, row in rows.iterrows():
            owner = _attribution(row, suite.attribute_by)
            by_owner[owner] = by_owner.get(owner, 0) + 1
        metadata["by_owner"] = by_owner
        metadata["rows"] = [
            {key: _plain(value) for key, value in row.items()}
            for _, row in rows.head(MAX_METADATA_ROWS).iterrows()
        ]
        if suite.attribute_by and len(by_owner) > 3 and set(by_owner.values()) == {1}:
            owners = list(by_owner)
            shown = ", ".join(owners[:MAX_OWNERS])
            more = f" en {len(owners) - MAX_OWNERS} meer" if len(owners) > MAX_OWNERS else ""
            message = f"{len(indices)} {description}: {shown}{more}"
        elif suite.attribute_by:
            parts = [f"{owner}: {count} {description}" for owner, count in by_owner.items()]
            more = ""
            if len(parts) > MAX_OWNERS:
                rest = sum(list(by_owner.values())[MAX_OWNERS:])
                more = f"; en {rest} bij {len(parts) - MAX_OWNERS} andere"
            message = "; ".join(parts[:MAX_OWNERS]) + more
        else:
            message = f"{len(indices)} {description}"
        if meta.get("message_nl"):
            examples = []
            for _, row in rows.head(MAX_EXAMPLES).iterrows():
                fields = {**params, **{k: _plain(v) for k, v in row.items()}}
                fields["where"] = _attribution(row, suite.attribute_by)
                try:
                    examples.append(_FORMATTER.format(meta["message_nl"], **fields))
                except (KeyError, IndexError, ValueError):
                    continue
            if examples:
                extra = len(rows) - len(examples)
                more = f" (en {extra} meer)" if extra > 0 else ""
                shown = "; ".join(examples) + more
                message = f"{message} — {shown}" if suite.attribute_by else shown
        unexpected = unexpected or len(indices)
    else:
        observed = result.get("observed_value")
        details = result.get("details") or {}
        missing = None
        if isinstance(details, dict):
            mismatched = details.get("mismatched") or details.get("value_counts")
            missing = mismatched if mismatched else None
        value_set = config.kwargs.get("value_set")
        if isinstance(value_set, list) and isinstance(observed, list):
            absent = [v for v in value_set if v not in observed]
            if absent:
                missing = absent
                unexpected = unexpected or len(absent)
        metadata["observed_value"] = observed if isinstance(observed, list) else _plain(observed)
        if meta.get("message_nl") and len(frame) == 1:
            fields = {**params, **{k: _plain(v) for k, v in frame.iloc[0].items()}}
            message = _FORMATTER.format(meta["message_nl"], **fields)
            unexpected = unexpected or 1
        elif missing:
            shown = ", ".join(map(str, missing)) if isinstance(missing, list) else str(missing)
            message = f"{description}: {shown}"
        else:
            message = f"{description} (gevonden: {observed})"
    return GateResult(
        name=meta["gate"], target=target, severity=severity, success=False,
        message=message, unexpected_count=unexpected, metadata=metadata,
    )


def _frame_missing_results(suite: SuiteSpec, reason: str, policy: Policy) -> list[GateResult]:
    return [
        GateResult(
            name=exp["meta"]["gate"],
            target=exp["meta"].get("target") or suite.target,
            severity=_severity(exp["meta"], policy),
            success=False,
            message=f"controle kon niet worden uitgevoerd: {reason}",
            metadata={"exception": reason, "suite": suite.name},
        )
        for exp in suite.expectations
    ]


def _gx_context(docs_dir: Path | None):
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    for site in list(context.get_site_names()):
        context.delete_data_docs_site(site)
    if docs_dir is not None:
        context.add_data_docs_site(
            "werkmonitor",
            {
                "class_name": "SiteBuilder",
                "show_how_to_buttons": False,
                "store_backend": {
                    "class_name": "TupleFilesystemStoreBackend",
                    "base_directory": str(docs_dir),
                },
                "site_index_builder": {
                    "class_name": "KeepingSiteIndexBuilder",
                    "module_name": "werkmonitor.quality.gx_docs",
                },
            },
        )
    return context


def run_name(quarter: str) -> str:
    """GX's run name for a quarter; also the folder of its pages under ``validations/<suite>/``."""
    return f"werkmonitor {quarter}"


class _Validator:
    """One GX context with every suite registered once, validated quarter after quarter.

    Suites, assets, batch and validation definitions do not depend on the
    quarter (the frame is the batch parameter, the quarter the run name), so
    they are set up once per run instead of once per quarter.
    """

    def __init__(self, suites: list[SuiteSpec], docs_dir: Path | None) -> None:
        import great_expectations as gx
        from great_expectations.core.expectation_suite import ExpectationSuite

        self.suites = suites
        self.docs_dir = docs_dir
        self.context = _gx_context(docs_dir)
        datasource = self.context.data_sources.add_pandas("werkmonitor")
        self.definitions = {}
        for suite in suites:
            gx_suite = ExpectationSuite(
                name=suite.name,
                expectations=[dict(exp) for exp in suite.expectations],
                meta={"target": suite.target, "frame": suite.frame},
            )
            if len(gx_suite.expectations) != len(suite.expectations):
                raise ValueError(
                    f"{suite.path}: Great Expectations kon niet elke expectation lezen "
                    f"({len(gx_suite.expectations)} van {len(suite.expectations)})"
                )
            gx_suite = self.context.suites.add(gx_suite)
            asset = datasource.add_dataframe_asset(suite.frame + "__" + suite.name)
            batch_definition = asset.add_batch_definition_whole_dataframe(suite.frame)
            self.definitions[suite.name] = self.context.validation_definitions.add(
                gx.ValidationDefinition(name=suite.name, data=batch_definition, suite=gx_suite)
            )

    def validate(
        self, data: QuarterData, params: dict[str, Any], policy: Policy
    ) -> list[GateResult]:
        from great_expectations.core.run_identifier import RunIdentifier

        run_id = RunIdentifier(run_name=run_name(data.quarter))
        results: list[GateResult] = []
        for suite in self.suites:
            reason = data.frame_errors.get(suite.frame)
            frame = data.frames.get(suite.frame)
            if reason or frame is None:
                results.extend(_frame_missing_results(suite, reason or "geen data", policy))
                continue
            run = self.definitions[suite.name].run(
                batch_parameters={"dataframe": frame},
                expectation_parameters=params,
                result_format={"result_format": "COMPLETE", "partial_unexpected_count": 20},
                run_id=run_id,
            )
            by_gate = {r.expectation_config.meta["gate"]: r for r in run.results}
            for exp in suite.expectations:
                gate = exp["meta"]["gate"]
                if gate not in by_gate:
                    results.append(
                        GateResult(gate, suite.target, _severity(exp["meta"], policy), False,
                                   "controle kon niet worden uitgevoerd: geen resultaat van GX",
                                   metadata={"exception": "no result"})
                    )
                    continue
                results.append(_gate_result(by_gate[gate], suite, frame, params, policy))
        return results

    def build_docs(self) -> Path | None:
        if self.docs_dir is None:
            return None
        self.context.build_data_docs(site_names=["werkmonitor"])
        return self.docs_dir / "index.html"


def validate(
    data: QuarterData,
    suites: list[SuiteSpec],
    params: dict[str, Any],
    policy: Policy,
    docs_dir: Path | None,
) -> tuple[list[GateResult], Path | None]:
    """Run every suite on its frame in one GX context; build Data Docs into ``docs_dir``."""
    validator = _Validator(suites, docs_dir)
    results = validator.validate(data, params, policy)
    return results, validator.build_docs()


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


def run_quality_gates(
    warehouse: Path,
    quarter: str,
    publish_dir: Path,
    policy_path: Path | None = None,
    *,
    expectations_dir: Path = EXPECTATIONS_DIR,
    seeds_dir: Path = SEEDS_DIR,
    build_data_docs: bool = True,
    write_to_warehouse: bool = True,
) -> GateReport:
    """Validate one quarter and record the verdict; see ``run_quality_gates_many``."""
    return run_quality_gates_many(
        warehouse, [quarter], publish_dir, policy_path,
        expectations_dir=expectations_dir, seeds_dir=seeds_dir,
        build_data_docs=build_data_docs, write_to_warehouse=write_to_warehouse,
    )[0]


def run_quality_gates_many(
    warehouse: Path,
    quarters: list[str],
    publish_dir: Path,
    policy_path: Path | None = None,
    *,
    expectations_dir: Path = EXPECTATIONS_DIR,
    seeds_dir: Path = SEEDS_DIR,
    build_data_docs: bool = True,
    write_to_warehouse: bool = True,
) -> list[GateReport]:
    """Validate several quarters in one GX context and record each quarter's verdict.

    The warehouse is opened read-only once for all quarters (closed before
    anything is written); suites are registered in GX once; Data Docs are built
    once, into one site ``publish_dir/data_docs/`` that keeps the pages of
    quarters not in this run. Per quarter it writes
    ``publish_dir/data_docs/<quarter>/gates.html``, the feedback under
    ``publish_dir/feedback/<quarter>/`` and one run in ``audit.quality_gate_runs``
    / ``audit.quality_gate_results``. Reports come back in the order given.
    """
    started = time.perf_counter()
    parsed = [Quarter.parse(quarter) for quarter in quarters]
    if len({str(q) for q in parsed}) != len(parsed):
        raise ValueError(f"kwartaal dubbel opgegeven: {', '.join(map(str, parsed))}")
    warehouse = Path(warehouse)
    publish_dir = Path(publish_dir)
    if not warehouse.is_file():
        raise FileNotFoundError(f"warehouse niet gevonden: {warehouse}")
    policy = load_policy(policy_path or expectations_dir / "policy.yml")
    suites = load_suites(expectations_dir)
    params = suite_parameters(seeds_dir, policy)
    kinds = indicator_kinds(seeds_dir)
    counts = sorted(ind for ind, kind in kinds.items() if kind == "count")

    site_dir = publish_dir / "data_docs" if build_data_docs else None
    if site_dir is not None:
        for q in parsed:
            _clear_quarter_pages(site_dir, str(q))
    validator = _Validator(suites, site_dir)
    shared = time.perf_counter() - started

    reports: list[GateReport] = []
    own: list[float] = []
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        for q in parsed:
            quarter_started = time.perf_counter()
            data = read_quarter_from(con, q, seeds_dir, counts, policy.region_drop_min_previous)
            _add_derived_columns(data, kinds)
            results = validator.validate(data, params, policy)
            _completeness_note(data, results)
            report = GateReport(quarter=str(q), results=results)
            report.feedback_files = write_feedback(
                data, report, publish_dir / "feedback" / str(q))
            reports.append(report)
            own.append(time.perf_counter() - quarter_started)
    finally:
        con.close()

    docs_started = time.perf_counter()
    index = validator.build_docs()
    shared += time.perf_counter() - docs_started
    for report, seconds in zip(reports, own, strict=True):
        # A quarter's duration: its own reading, validation and feedback plus an
        # equal share of the set-up and the Data Docs build it shares with the others.
        report.duration_s = seconds + shared / len(reports)
        report.data_docs_index = index
    if site_dir is not None:
        for report in reports:
            write_overview(report, site_dir / report.quarter, site_dir)
        write_index_overview(reports, site_dir)
    if write_to_warehouse:
        write_audits(warehouse, [(report, datetime.now()) for report in reports])
    for report in reports:
        log.info(report.format())
    return reports


def _clear_quarter_pages(site_dir: Path, quarter: str) -> None:
    """Remove a previous run's pages of this quarter, so its overview shows this run only."""
    quarter_dir = site_dir / quarter
    if quarter_dir.exists():
        _clear(quarter_dir)
    validations = site_dir / "validations"
    if validations.is_dir():
        for folder in validations.glob(f"*/{run_name(quarter)}"):
            _clear(folder)


def _clear(folder: Path) -> None:
    """Empty a previous run's Data Docs so the index shows this run only."""
    import shutil

    with tempfile.TemporaryDirectory(dir=folder.parent) as trash:
        folder.rename(Path(trash) / "old")
        shutil.rmtree(Path(trash) / "old", ignore_errors=True)


__all__ = [
    "BLOCKING", "GateReport", "GateResult", "run_quality_gates", "run_quality_gates_many",
]
