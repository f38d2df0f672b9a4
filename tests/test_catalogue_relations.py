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
