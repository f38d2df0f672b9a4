"""The relations catalogue agrees with the indicator catalogue (one source each)."""

from __future__ import annotations

from werkmonitor.catalogue.indicators import indicators
from werkmonitor.catalogue.relations import load_relations


def test_every_indicator_in_the_relations_exists():
    known = {i.code for i in indicators()}
    rel = load_relations()
    assert rel.indicators() - known == set()


def test_denominators_match_the_indicator_catalogue():
    rel = load_relations()
    implied = rel.implied_totals
    for ind in indicators():
        if ind.kind != "share":
            continue
        assert ind.code in rel.denominators, ind.code
        terms = []
        for name, coef in rel.denominators[ind.code]:
            terms += list(implied[name].members) if name in implied else [name]
            assert coef in (1.0, -1.0)
        assert sorted(terms) == sorted(ind.denominator_terms), ind.code
