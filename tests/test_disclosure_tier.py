"""Region breakdowns by policy (issue 10 §2): what the public tier publishes
at region level, and that the reader's system has no relation over what it
does not publish."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import yaml
from test_publish_suppression import cell

from werkmonitor.publish.breakdowns import breakdown_of, drop_unpublished, published_breakdowns
from werkmonitor.publish.disclosure.system import build_system
from werkmonitor.publish.policy import PolicyError, load_policy

POLICY = load_policy()


def policy_with(tmp_path, region_breakdowns):
    path = tmp_path / "policy.yml"
    path.write_text(yaml.safe_dump({"region_breakdowns": region_breakdowns}), encoding="utf-8")
    return load_policy(path)


def test_default_region_breakdowns():
    published = POLICY.is_published
    assert published("region", "ALL", "trajectory_type")
    assert published("region", "IPS", "trajectory_type")
    assert published("region", "IPS", "financing")
    assert not published("region", "ALL", "financing")  # only IPS: see the next test
    assert not published("region", "IPS", "ips_scheme")
    assert not published("region", "IPS", "ips_phase")
    for ttype in ("WABZ", "JOBCOACHING", "WERKFIT", "NAAR_WERK", "OVERIG"):
        assert published("region", ttype, "trajectory_type")
        assert not published("region", ttype, "financing")
    # national keeps every breakdown
    for bd in ("trajectory_type", "financing", "ips_scheme", "ips_phase"):
        assert published("national", "IPS", bd) and published("national", "WABZ", bd)


def test_region_breakdowns_all_and_errors(tmp_path):
    everything = policy_with(tmp_path, "all")
    assert everything.is_published("region", "IPS", "ips_scheme")
    assert everything.is_published("region", "OVERIG", "financing")
    with pytest.raises(PolicyError, match="unknown trajectory type 'IPZ'"):
        policy_with(tmp_path, {"IPZ": ["trajectory_type"]})
    with pytest.raises(PolicyError, match=r"unknown breakdowns \['scheme'\]"):
        policy_with(tmp_path, {"IPS": ["trajectory_type", "scheme"]})
    with pytest.raises(PolicyError, match="without the type's own rows"):
        policy_with(tmp_path, {"IPS": ["financing"]})
    with pytest.raises(PolicyError, match="expected a list"):
        policy_with(tmp_path, {"IPS": "financing"})
    none = policy_with(tmp_path, {"default": [], "ALL": []})
    assert not none.is_published("region", "ALL", "trajectory_type")
    assert not none.is_published("region", "IPS", "trajectory_type")
    # ALL x UWV - IPS x UWV would be the other types' UWV count in the region
    with pytest.raises(PolicyError, match=r"ALL publishes financing .* only \['IPS'\]"):
        policy_with(
            tmp_path,
            {
                "ALL": ["trajectory_type", "financing"],
                "IPS": ["trajectory_type", "financing"],
                "default": ["trajectory_type"],
            },
        )
    with pytest.raises(PolicyError, match="ALL publishes trajectory_type"):
        policy_with(tmp_path, {"WABZ": [], "default": ["trajectory_type"]})
    both = policy_with(tmp_path, {"default": ["trajectory_type", "financing"]})
    assert both.is_published("region", "ALL", "financing")
    assert both.is_published("region", "WABZ", "financing")


def test_breakdown_of_a_row():
    frame = pd.DataFrame(
        [
            cell("running", 9),
            cell("running", 9, ttype="IPS", financing="UWV"),
            cell("running", 9, ttype="IPS", scheme="EPA"),
            cell("running", 9, ttype="IPS", phase="AANGEVRAAGD"),
        ]
    )
    assert breakdown_of(frame).tolist() == [
        "trajectory_type",
        "financing",
        "ips_scheme",
        "ips_phase",
    ]


# National IPS 10 = EPA 6 + CMD 4; the regions publish IPS's own rows only.
SCHEME_ROWS = [
    cell("running", 10, ttype="IPS"),
    cell("running", 6, ttype="IPS", scheme="EPA"),
    cell("running", 4, ttype="IPS", scheme="CMD"),
    cell("running", 7, ttype="IPS", level="region", region="AM01"),
    cell("running", 3, ttype="IPS", level="region", region="AM02"),
]


def test_no_region_relation_over_an_unpublished_breakdown():
    frame = pd.DataFrame(SCHEME_ROWS)
    # everything published: national EPA = the regions' EPA rows, which are
    # absent (0): 6 = 0 is a relation the true table violates
    wrong = build_system(frame)
    assert np.abs(wrong.eq @ wrong.truth).max() > 0
    system = build_system(frame, published=POLICY.is_published)
    assert np.abs(system.eq @ system.truth).max() == 0
    names = sorted(name for name, _ in system.eq_names)
    # what is left: the scheme split nationally, the regions' IPS own rows
    assert names == ["ips_scheme adds up", "regions add up"]
    epa = 1
    rows = system.eq[:, epa].nonzero()[0]
    assert [system.eq_names[r][0] for r in rows] == ["ips_scheme adds up"]


def test_no_type_relation_when_a_type_breakdown_is_unpublished():
    # region AM01: ALL = IPS + WABZ (own rows published) but ALL x UWV =
    # IPS x UWV + WABZ x UWV is no relation when WABZ x UWV (1) is not
    # published (a policy the file never has: ALL x UWV is not published
    # either; the system alone must still hold no false relation)
    region = {"level": "region", "region": "AM01"}
    rows = [
        cell("running", 12, **region),
        cell("running", 10, ttype="IPS", **region),
        cell("running", 2, ttype="WABZ", **region),
        cell("running", 8, financing="UWV", **region),
        cell("running", 4, financing="GEMEENTE", **region),
        cell("running", 7, ttype="IPS", financing="UWV", **region),
        cell("running", 3, ttype="IPS", financing="GEMEENTE", **region),
    ]

    def published(level, ttype, breakdown):
        return breakdown == "trajectory_type" or ttype in ("ALL", "IPS")

    system = build_system(pd.DataFrame(rows), published=published)
    assert np.abs(system.eq @ system.truth).max() == 0
    by_name = [name for name, _ in system.eq_names]
    assert sorted(by_name) == ["financing adds up"] * 2 + ["trajectory_type adds up"]
    type_row = by_name.index("trajectory_type adds up")
    assert sorted(system.eq[type_row].indices.tolist()) == [0, 1, 2]
    wrong = build_system(pd.DataFrame(rows))  # 8 = 7 + (no WABZ x UWV row: 0)
    assert np.abs(wrong.eq @ wrong.truth).max() == 1


def test_unpublished_rows_are_dropped_and_listed(tmp_path):
    frame = pd.DataFrame(
        [
            *SCHEME_ROWS,
            cell("running", 5, ttype="IPS", scheme="EPA", level="region", region="AM01"),
            cell("running", 2, ttype="WABZ", financing="UWV", level="region", region="AM01"),
            cell("running", 2, ttype="WABZ", financing="UWV"),
        ]
    )
    kept = drop_unpublished(frame, POLICY)
    assert len(kept) == len(SCHEME_ROWS) + 1  # the national WABZ x UWV row stays
    assert not ((kept["level"] == "region") & (kept["ips_scheme"] != "ALL")).any()
    table = published_breakdowns(POLICY, [frame])
    listed = set(table.itertuples(index=False, name=None))
    assert ("national", "IPS", "ips_scheme") in listed
    assert ("national", "WABZ", "financing") in listed
    assert ("region", "IPS", "trajectory_type") in listed
    assert ("region", "OVERIG", "trajectory_type") in listed  # a catalogue type
    assert ("region", "IPS", "ips_scheme") not in listed
    assert ("region", "WABZ", "financing") not in listed
    assert list(table.columns) == ["level", "trajectory_type", "breakdown"]
    everything = policy_with(tmp_path, "all")
    assert len(drop_unpublished(frame, everything)) == len(frame)
