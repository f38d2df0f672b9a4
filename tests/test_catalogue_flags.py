"""Code choices written in SQL are the seeds' flags.

The dbt macro ``is_orientation`` names the orientation phase as a literal (a
unit test's SQL must not depend on a seed table being loaded); this checks
that literal against ``seeds/ips_phases.csv``: the one IPS phase that is not
running. The Python side reads the same flag (``reference.flagged_codes``).
"""

from __future__ import annotations

import re

from werkmonitor.config import REPO_ROOT
from werkmonitor.reference import code_list, flagged_codes


def test_the_orientation_macro_names_the_seed_phase_that_is_not_running():
    text = (REPO_ROOT / "dbt_project/macros/orientation.sql").read_text(encoding="utf-8")
    body = text.split("{% macro is_orientation", 1)[1]
    (type_code,) = re.findall(r"trajectory_type }} = '([A-Z_]+)'", body)
    phases = re.findall(r"ips_phase }} = '([A-Z_]+)'", body)
    running = flagged_codes("ips_phases", "is_running")
    assert phases == [c for c in code_list("ips_phases") if c not in running] == ["ORIENTATIE"]
    assert type_code == "IPS" and type_code in code_list("trajectory_types")


def test_no_model_writes_the_orientation_rule_again():
    models = sorted((REPO_ROOT / "models").rglob("*.sql"))
    assert models
    found = [p.name for p in models if "'ORIENTATIE'" in p.read_text(encoding="utf-8")]
    assert found == []
