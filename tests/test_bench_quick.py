"""The quick bench's cross-check compares like with like and fails loudly.

The plain-SQL baseline applies no row rules, so ``make bench-quick`` runs the
pipeline and the baseline on the quarter's clean zone; a difference there is
a real one and must turn into a failed bench, not a ``False`` in a table.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import SimpleNamespace

BENCH = Path(__file__).resolve().parents[1] / "bench"


def _load(name: str):
    sys.path.insert(0, str(BENCH))
    spec = importlib.util.spec_from_file_location(name, BENCH / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


run_bench = _load("run_bench")
quick = _load("quick")

# the 2024Q3 figures of round 4's demo zone: 4 quarantined rows the baseline still counted
BASELINE = {"national": {"2024Q3": {"running": 4631, "started": 610, "ended": 540,
                                    "paid_work": 1900, "sustainable_paid_work": 800,
                                    "ever_paid_work": 2500}}}


def test_equal_counts_agree():
    pipeline = dict(BASELINE["national"]["2024Q3"])
    check = run_bench.cross_check(BASELINE, pipeline, "2024Q3")
    assert check == {"checked": True, "agree": True, "differences": {}}
    assert run_bench.disagreement(check) is None


def test_a_difference_is_named_with_both_figures():
    pipeline = {**BASELINE["national"]["2024Q3"], "running": 4627}
    check = run_bench.cross_check(BASELINE, pipeline, "2024Q3")
    assert check["agree"] is False
    assert check["differences"] == {"running": {"baseline": 4631, "pipeline": 4627}}
    assert run_bench.disagreement(check) == (
        "baseline and pipeline DISAGREE on the national counts: "
        "running baseline 4631 vs pipeline 4627"
    )


def test_a_check_that_could_not_run_is_a_failure():
    check = run_bench.cross_check(BASELINE, None, "2024Q3")
    assert check == {"checked": False, "reason": "no data"}
    assert run_bench.disagreement(check) == "cross-check not done: no data"
    assert run_bench.disagreement(None) == "cross-check not done: no data"


def _fake_bench(tmp_path: Path, pipeline_counts: dict):
    """``run_bench`` with the process-starting parts replaced: what the quick bench
    asks for and what it concludes, without a 40-second pipeline run."""
    asked = []

    def landing_zone(workdir, scale, seed, quarter=None):
        asked.append((scale, seed, quarter))
        return tmp_path / "zone", None

    def run_pipeline(args, raw_dir, run_dir, label):
        return {"seconds": 1.0, "cpu_seconds": 1.0, "success": True, "raw_dir": raw_dir}

    def run_baseline(raw_dir, quarter, out, label):
        return {**BASELINE, "seconds": 0.5, "cpu_seconds": 0.5, "success": True}

    fake = SimpleNamespace(
        landing_zone=landing_zone, run_pipeline=run_pipeline, run_baseline=run_baseline,
        fresh_run_dir=lambda path: path, machine=lambda: {"load_average_at_start": (0, 0, 0)},
        pipeline_national=lambda warehouse, quarter: pipeline_counts,
        cross_check=run_bench.cross_check, disagreement=run_bench.disagreement,
        BENCH_DIR=tmp_path, RESULTS_DIR=tmp_path / "results", PYTHON=sys.executable,
        REPO_ROOT=tmp_path,
    )
    return fake, asked


def test_quick_bench_reads_the_quarters_clean_zone(tmp_path):
    fake, asked = _fake_bench(tmp_path, dict(BASELINE["national"]["2024Q3"]))
    results = quick.run_quick(fake, tmp_path, 42, "2024Q3")
    assert asked == [(1.0, 42, "2024Q3")]  # the clean one-quarter zone, not the demo zone
    assert results["one_quarter"]["raw_dir"] == tmp_path / "zone"
    assert results["cross_check"]["agree"] is True


def test_quick_bench_exits_1_when_the_counts_differ(tmp_path, capsys):
    fake, _ = _fake_bench(tmp_path, {**BASELINE["national"]["2024Q3"], "started": 609})
    args = SimpleNamespace(workdir=tmp_path, seed=42, quarter="2024Q3")
    assert quick.main_quick(fake, args) == 1
    out = capsys.readouterr()
    assert "agree on the national counts: False (baseline and pipeline DISAGREE" in out.out
    assert "started baseline 610 vs pipeline 609" in out.err


def test_quick_bench_exits_0_when_they_agree(tmp_path, capsys):
    fake, _ = _fake_bench(tmp_path, dict(BASELINE["national"]["2024Q3"]))
    args = SimpleNamespace(workdir=tmp_path, seed=42, quarter="2024Q3")
    assert quick.main_quick(fake, args) == 0
    assert "agree on the national counts: True" in capsys.readouterr().out
