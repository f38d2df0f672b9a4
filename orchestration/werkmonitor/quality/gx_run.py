"""The GX side of a gate run: one ephemeral context, every suite registered once.

The only module (with ``gx_docs``) that imports Great Expectations, and only
when a ``Validator`` is made: the import costs seconds and Dagster imports
the quality package at definition time.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from werkmonitor.quality.frames import QuarterData
from werkmonitor.quality.gx_results import gate_result, missing_frame_results, severity
from werkmonitor.quality.policy import CompletenessPolicy
from werkmonitor.quality.results import GateResult
from werkmonitor.quality.suites import SuiteSpec


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


class Validator:
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
        self, data: QuarterData, params: dict[str, Any], policy: CompletenessPolicy
    ) -> list[GateResult]:
        from great_expectations.core.run_identifier import RunIdentifier

        run_id = RunIdentifier(run_name=run_name(data.quarter))
        results: list[GateResult] = []
        for suite in self.suites:
            reason = data.frame_errors.get(suite.frame)
            frame = data.frames.get(suite.frame)
            if reason or frame is None:
                results.extend(missing_frame_results(suite, reason or "geen data", policy))
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
                        GateResult(
                            gate,
                            suite.target,
                            severity(exp["meta"], policy),
                            False,
                            "controle kon niet worden uitgevoerd: geen resultaat van GX",
                            metadata={"exception": "no result"},
                        )
                    )
                    continue
                results.append(gate_result(by_gate[gate], suite, frame, params, policy))
        return results

    def build_docs(self) -> Path | None:
        if self.docs_dir is None:
            return None
        self.context.build_data_docs(site_names=["werkmonitor"])
        return self.docs_dir / "index.html"
