"""The GX side of a gate run: one ephemeral context, every suite registered once.

The only module (with ``gx_docs``) that imports Great Expectations, and only
when a ``Validator`` is made: the import costs seconds and Dagster imports
the quality package at definition time.
"""

from __future__ import annotations

import copy
import gc
from pathlib import Path
from typing import Any

from werkmonitor.quality.batch import batch_frame, batch_suite, quarter_result
from werkmonitor.quality.frames import QuarterData, RunFrames
from werkmonitor.quality.gx_results import gate_result, missing_frame_results, severity
from werkmonitor.quality.policy import CompletenessPolicy
from werkmonitor.quality.results import GateResult
from werkmonitor.quality.suites import SuiteSpec
from werkmonitor.quarters import Quarter


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


def run_name(quarters: list[str]) -> str:
    """GX's run name for a run's quarters: the folder of its pages in ``validations/<suite>/``.

    ``werkmonitor 2024Q3`` for one quarter, ``werkmonitor 2022Q4..2025Q2`` for a
    range of consecutive quarters, else the quarters joined by ``+``.
    """
    ordered = sorted(Quarter.parse(q) for q in quarters)
    consecutive = all(b == a.next() for a, b in zip(ordered, ordered[1:], strict=False))
    if len(ordered) == 1:
        return f"werkmonitor {ordered[0]}"
    if consecutive:
        return f"werkmonitor {ordered[0]}..{ordered[-1]}"
    return "werkmonitor " + "+".join(map(str, ordered))


def _is_row_rule(expectation_type: str) -> bool:
    from great_expectations.expectations.expectation import (
        ColumnMapExpectation,
        ColumnPairMapExpectation,
        MulticolumnMapExpectation,
    )
    from great_expectations.expectations.registry import get_expectation_impl

    return issubclass(get_expectation_impl(expectation_type), (
        ColumnMapExpectation, ColumnPairMapExpectation, MulticolumnMapExpectation))


class Validator:
    """One GX context with every suite registered once, and one validation per suite and run.

    Each suite is registered in its batch form (``batch.batch_suite``) and
    validated on the rows of all quarters of the run at once; the results are
    taken apart per quarter (``batch.quarter_result``).
    """

    def __init__(self, suites: list[SuiteSpec], docs_dir: Path | None) -> None:
        import great_expectations as gx
        from great_expectations.core.expectation_suite import ExpectationSuite

        self.suites = [batch_suite(suite, _is_row_rule) for suite in suites]
        self.docs_dir = docs_dir
        self.context = _gx_context(docs_dir)
        datasource = self.context.data_sources.add_pandas("werkmonitor")
        self.datasource = datasource
        self.definitions = {}
        for suite in self.suites:
            spec = suite.spec
            gx_suite = ExpectationSuite(
                name=spec.name,
                expectations=[dict(exp) for exp in suite.expectations],
                meta={"target": spec.target, "frame": spec.frame},
            )
            if len(gx_suite.expectations) != len(suite.expectations):
                raise ValueError(
                    f"{spec.path}: Great Expectations kon niet elke expectation lezen "
                    f"({len(gx_suite.expectations)} van {len(suite.expectations)})"
                )
            gx_suite = self.context.suites.add(gx_suite)
            asset = datasource.add_dataframe_asset(spec.frame + "__" + spec.name)
            batch_definition = asset.add_batch_definition_whole_dataframe(spec.frame)
            self.definitions[spec.name] = self.context.validation_definitions.add(
                gx.ValidationDefinition(name=spec.name, data=batch_definition, suite=gx_suite)
            )

    def validate(
        self, datas: list[QuarterData], params: dict[str, Any], policy: CompletenessPolicy,
        source: RunFrames | None = None,
    ) -> dict[str, list[GateResult]]:
        """Every gate of every quarter: quarter → results in suite order.

        With a ``source`` each suite's frame is read just before the suite and
        released right after it, so only one large frame is held at a time.
        """
        from great_expectations.core.run_identifier import RunIdentifier

        run_id = RunIdentifier(run_name=run_name([data.quarter for data in datas]))
        results: dict[str, list[GateResult]] = {data.quarter: [] for data in datas}
        for suite in self.suites:
            if source is not None:
                source.load(suite.spec.frame)
            self._validate_suite(suite, datas, params, policy, run_id, results)
            self._forget_batches()
            if source is not None:
                source.release(suite.spec.frame)
            # the engine and a frame's cached columns sit in reference cycles: free
            # them before the next frame is read, not at some later collection
            gc.collect()
        return {data.quarter: results[data.quarter] for data in datas}

    def _validate_suite(self, suite, datas: list[QuarterData], params: dict[str, Any],
                        policy: CompletenessPolicy, run_id, results) -> None:
        spec = suite.spec
        frames = {}
        for data in datas:
            reason = data.frame_errors.get(spec.frame)
            frame = data.frames.get(spec.frame)
            if reason or frame is None:
                results[data.quarter].extend(
                    missing_frame_results(spec, reason or "geen data", policy))
            else:
                frames[data.quarter] = frame
        if not frames:
            return
        if suite.run_wide:  # the same frame for every quarter: validated once
            first = next(iter(frames.values()))
            run = self._run(spec.name, first, params, run_id)
            found = self._gate_results(spec, run, lambda gate, exp, r: r, first, params,
                                       policy)
            for quarter in frames:
                results[quarter].extend(copy.deepcopy(found))
            return
        batch, spans = batch_frame(suite, frames)
        run = self._run(spec.name, batch, params, run_id)
        for quarter, frame in frames.items():
            results[quarter].extend(self._gate_results(
                spec, run, lambda gate, exp, r, span=spans[quarter]: quarter_result(
                    exp, r, span), frame, params, policy))

    def _forget_batches(self) -> None:
        """Make GX drop the suite's batch and its metrics once the suite's results are taken.

        The data source keeps one execution engine for the life of the context,
        and that engine every batch it validated and every metric it computed;
        a batch shares its text values with the frame it came from, so at scale
        100 releasing a frame freed little while GX still held its batch. The
        next validation builds a fresh engine (GX's public path, no state lost:
        the results and Data Docs live in the context's stores).
        """
        self.datasource._execution_engine = None

    def _run(self, name: str, frame, params: dict[str, Any], run_id):
        """Validate, first only for the verdict; again in full only when a rule failed.

        GX computes the failing rows and values of every rule in ``COMPLETE``
        even when none fails, at two to three times the cost of the verdict
        alone. The first result is dropped from the store, so Data Docs show
        one page per suite and run.
        """
        store = self.context.validation_results_store
        before = set(store.list_keys())
        run = self._validate(name, frame, params, run_id, {"result_format": "BOOLEAN_ONLY"})
        if run.success:
            return run
        verdict_only = set(store.list_keys()) - before
        run = self._validate(name, frame, params, run_id,
                             {"result_format": "COMPLETE", "partial_unexpected_count": 20})
        for key in verdict_only:
            store.remove_key(key)
        return run

    def _validate(self, name: str, frame, params: dict[str, Any], run_id, result_format):
        return self.definitions[name].run(
            batch_parameters={"dataframe": frame},
            expectation_parameters=params,
            result_format=result_format,
            run_id=run_id,
        )

    @staticmethod
    def _gate_results(spec: SuiteSpec, run, part, frame, params, policy) -> list[GateResult]:
        by_gate = {r.expectation_config.meta["gate"]: r for r in run.results}
        results = []
        for exp in spec.expectations:
            gate = exp["meta"]["gate"]
            if gate not in by_gate:
                results.append(
                    GateResult(gate, spec.target, severity(exp["meta"], policy), False,
                               "controle kon niet worden uitgevoerd: geen resultaat van GX",
                               metadata={"exception": "no result"})
                )
                continue
            results.append(gate_result(part(gate, exp, by_gate[gate]), spec, frame, params,
                                       policy))
        return results

    def build_docs(self) -> Path | None:
        if self.docs_dir is None:
            return None
        self.context.build_data_docs(site_names=["werkmonitor"])
        return self.docs_dir / "index.html"
