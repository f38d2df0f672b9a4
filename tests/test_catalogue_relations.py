"""The relations the disclosure audit reads are derived, and unchanged.

``load_relations()`` takes the share denominators from ``seeds/indicators.csv``
and the members of the additive dimensions from the code-list seeds; only
what the indicator catalogue cannot say stays in ``catalogue/relations.yml``
(levels, which indicators add up to another, identities and bounds per
trajectory type, linked columns, label bounds).

Why a frozen snapshot: the disclosure audit and secondary suppression (gate)
build their linear system from this output, in this order (constraint order
reaches the LP). Moving the facts from ``relations.yml`` to the catalogue must
not change one relation, one member or their order, so the output of the
hand-written ``relations.yml`` (main at 19e9f8d) is frozen in
``tests/catalogue_relations_frozen.json`` and compared in full. A deliberate
change of the catalogue (a new indicator, a new code) changes the derived
relations: regenerate the snapshot with ``python tests/test_catalogue_relations.py``
in the same commit and say why in its message.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from werkmonitor.catalogue import relations as catalogue_relations
from werkmonitor.catalogue.indicators import indicators
from werkmonitor.catalogue.relations import load_relations

FROZEN = Path(__file__).with_name("catalogue_relations_frozen.json")


def plain(value):
    """The relations as JSON values, order kept (a dict becomes a list of pairs)."""
    if dataclasses.is_dataclass(value):
        return {"type": type(value).__name__,
                **{f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}}
    if isinstance(value, dict):
        return [[plain(k), plain(v)] for k, v in value.items()]
    if isinstance(value, (tuple, list)):
        return [plain(v) for v in value]
    return value


def test_the_derived_relations_equal_the_frozen_ones():
    frozen = json.loads(FROZEN.read_text(encoding="utf-8"))
    current = plain(load_relations())
    for field in frozen:
        assert current[field] == frozen[field], field
    assert current == frozen


if __name__ == "__main__":
    FROZEN.write_text(json.dumps(plain(load_relations()), indent=1, ensure_ascii=False) + "\n",
                      encoding="utf-8")


def test_relations_yml_writes_no_denominator_or_code_list():
    """The facts the seeds hold are not written a second time in relations.yml."""
    import yaml

    data = yaml.safe_load(catalogue_relations.RELATIONS_PATH.read_text(encoding="utf-8"))
    assert "denominators" not in data
    assert all("members" not in spec for spec in data["dimensions"].values())


def test_indicators_with_the_same_numerator_are_one_group():
    """Two catalogue rows counting the same rows (``outflow`` and ``ended``) are
    an equality a reader can use: relations.yml must name it, or a new
    indicator would be a free route around a hidden cell."""
    seen: dict[tuple, str] = {}
    pairs = set()
    for i in indicators():
        key = (i.population, i.condition, i.applies_to, i.applies_when)
        if key in seen:
            pairs.add(frozenset((seen[key], i.code)))
        seen.setdefault(key, i.code)
    groups = {frozenset((g.total, *g.members)) for g in load_relations().indicator_groups}
    assert pairs == {frozenset(("ended", "outflow")),
                     frozenset(("running", "avg_per_organisation"))}
    assert pairs <= groups


def test_a_share_whose_denominator_is_no_catalogue_sum_is_refused(tmp_path):
    """The implied employment total is the sum of the family's numerators; a
    family member with another denominator would make that relation false."""
    import csv
    import shutil

    from werkmonitor.config import SEEDS_DIR

    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS_DIR, seeds)
    path = seeds / "indicators.csv"
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        if row["indicator"] == "employment_gt_12_months":
            row["denominator"] = "running"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    with pytest.raises(ValueError, match="employment_gt_12_months's denominator"):
        load_relations(seeds_dir=seeds)
