"""Region breakdowns and indicator families by policy (issue 10 §2): what the
public tier publishes at region level, and that the reader's system has no
relation over what it does not publish."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import yaml
from test_publish_suppression import cell

from werkmonitor.catalogue.indicators import indicators as catalogue
from werkmonitor.publish.breakdowns import (
    breakdown_of,
    drop_unpublished,
    published_breakdowns,
    published_indicators,
)
from werkmonitor.publish.disclosure.system import build_system
from werkmonitor.publish.policy import PolicyError, load_policy

POLICY = load_policy()


def policy_with(tmp_path, region_breakdowns=None, **extra):
    path = tmp_path / "policy.yml"
    data = {} if region_breakdowns is None else {"region_breakdowns": region_breakdowns}
    path.write_text(yaml.safe_dump(data | extra), encoding="utf-8")
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


def _intervals(reader) -> dict[int, tuple[float, float]]:
    """min / max of every unknown over the reader's constraints (scipy, not
    the audit's LP code)."""
    from scipy.optimize import linprog

    a = reader.a.toarray()
    eq = np.isfinite(reader.lo) & (np.abs(reader.hi - reader.lo) < 1e-9)
    ub_rows = ~eq
    a_ub = np.vstack([a[ub_rows & np.isfinite(reader.hi)], -a[ub_rows & np.isfinite(reader.lo)]])
    b_ub = np.concatenate(
        [reader.hi[ub_rows & np.isfinite(reader.hi)], -reader.lo[ub_rows & np.isfinite(reader.lo)]]
    )
    bounds = [
        (lo, None if np.isinf(hi) else hi)
        for lo, hi in zip(reader.col_lo, reader.col_hi, strict=True)
    ]
    out = {}
    for j, var in enumerate(reader.unknown):
        ends = []
        for sign in (1.0, -1.0):
            c = np.zeros(a.shape[1])
            c[j] = sign
            res = linprog(
                c,
                A_ub=a_ub if a_ub.size else None,
                b_ub=b_ub if a_ub.size else None,
                A_eq=a[eq] if eq.any() else None,
                b_eq=reader.lo[eq] if eq.any() else None,
                bounds=bounds,
            )
            ends.append(sign * res.fun if res.status == 0 else (np.inf * sign))
        out[int(var)] = (ends[0], ends[1])
    return out


# national WABZ ended 3 = with paid work 2 + worked before 1 + never worked 0
# (a small total with two non-zero parts); ALL = IPS + WABZ; running 500.
PARTS_ROWS = [
    cell("running", 500),
    cell("running", 450, ttype="IPS"),
    cell("running", 50, ttype="WABZ"),
    cell("ended", 50),
    cell("ended", 47, ttype="IPS"),
    cell("ended", 3, ttype="WABZ"),
    cell("ended_with_paid_work", 20, 50),
    cell("ended_with_paid_work", 18, 47, ttype="IPS"),
    cell("ended_with_paid_work", 2, 3, ttype="WABZ"),
    cell("ended_worked_before", 15, 50),
    cell("ended_worked_before", 14, 47, ttype="IPS"),
    cell("ended_worked_before", 1, 3, ttype="WABZ"),
    cell("ended_never_worked", 15, 50),
    cell("ended_never_worked", 15, 47, ttype="IPS"),
    cell("ended_never_worked", 0, 3, ttype="WABZ"),
]


def test_parts_of_a_small_total_read_lt5_and_keep_their_protection():
    from werkmonitor.publish.disclosure.public import suppress_quarter
    from werkmonitor.publish.disclosure.reader import reader_system
    from werkmonitor.publish.disclosure.secondary import published_labels

    frame = pd.DataFrame(PARTS_ROWS)
    out, result = suppress_quarter(frame, POLICY, None)
    wabz = out[out["trajectory_type"] == "WABZ"].set_index("indicator")
    parts = ["ended_with_paid_work", "ended_worked_before", "ended_never_worked"]
    assert wabz.loc["ended", "display_value"] == "<5"
    assert (wabz.loc[parts, "suppression_reason"] == "part_of_small_total").all()
    assert (wabz.loc[parts, "display_value"] == "<5").all()  # was x
    labels = published_labels(result.system, result.reason)
    shown = result.reason == ""
    reader = reader_system(result.system, shown, labels, 5, 10)
    new = _intervals(reader)
    # every protection level holds: the hidden 1-4 counts keep [1, 4] or wider
    for var, (lo, hi) in new.items():
        truth = result.system.truth[var]
        if var < len(frame) and 1 <= truth <= 4:
            assert lo <= 1 + 1e-9 and hi >= 4 - 1e-9, (result.system.describe(var), lo, hi)
    # the same table read with the old label (says nothing about the value):
    # only the parts' own upper ends change (to 4), no other cell's bounds
    old_labels = np.where(labels == "part_of_small_total", "breakdown_not_published", labels)
    old = _intervals(reader_system(result.system, shown, old_labels, 5, 10))
    assert set(old) == set(new)
    changed = {v for v in new if not np.allclose(old[v], new[v])}
    part_vars = set(np.flatnonzero(labels == "part_of_small_total").tolist())
    assert changed <= part_vars
    for var in part_vars & set(new):
        assert new[var][1] == pytest.approx(4.0)


def test_shown_before_and_after_counts_dropped_cells_as_not_shown():
    from werkmonitor.publish.disclosure.utility import compare_shown

    def rows(cells):
        return pd.DataFrame(
            [
                cell(ind, 9, level=lv, region=r, ttype=t, scheme=s) | {"is_suppressed": hidden}
                for lv, r, t, s, ind, hidden in cells
            ]
        )

    region = ("region", "AM01")
    before = rows(
        [
            (*region, "IPS", "ALL", "running", True),
            (*region, "IPS", "ALL", "started", False),
            (*region, "IPS", "EPA", "running", False),  # not published after
            (*region, "IPS", "CMD", "running", True),  # not published after
            ("national", None, "IPS", "ALL", "running", False),
        ]
    )
    after = rows(
        [
            (*region, "IPS", "ALL", "running", False),
            (*region, "IPS", "ALL", "started", False),
            ("national", None, "IPS", "ALL", "running", False),
        ]
    )
    out = compare_shown(before, after)
    reg = out["region"]
    assert (reg["before"]["cells"], reg["before"]["shown"], reg["before"]["share"]) == (4, 2, 0.5)
    assert (reg["after"]["cells"], reg["after"]["shown"], reg["after"]["share"]) == (2, 2, 1.0)
    # over the earlier file's 4 region cells: 2 shown (the EPA cell is gone)
    assert (reg["same_cells"]["cells"], reg["same_cells"]["shown"]) == (4, 2)
    assert reg["same_cells"]["families"]["counts"] == {"cells": 4, "shown": 2}
    assert out["national"]["after"]["share"] == 1.0


def test_publish_metadata_compares_with_the_file_it_replaces(tmp_path):
    import duckdb
    from publish_fixtures import build_warehouse

    from werkmonitor.publish import publish

    warehouse = build_warehouse(tmp_path / "wh.duckdb")
    first = publish(warehouse, tmp_path / "pub")
    assert "share_published_previous_file" not in first.metadata  # nothing replaced
    with duckdb.connect(str(first.path), read_only=True) as con:
        cells, shown = con.execute(
            "select count(*), count(*) filter (where not is_suppressed) "
            "from quarterly_indicators where level = 'region'"
        ).fetchone()
    second = publish(warehouse, tmp_path / "pub")
    # which families each level's shares are over: counts and outcomes at region level
    assert second.metadata["published_families"]["region"] == ["counts", "outcomes"]
    assert len(second.metadata["published_families"]["national"]) == 8
    region = second.metadata["share_published_previous_file"]["region"]
    # the same data: the same cells shown before, after and over the same cells
    for reading in ("before", "after", "same_cells"):
        assert (region[reading]["cells"], region[reading]["shown"]) == (cells, shown)


def test_a_quarter_carried_from_a_file_of_another_policy_follows_this_one(tmp_path):
    """2024Q2 published with every breakdown, then carried into a file of
    the default policy: its region scheme rows go, its other rows stay as
    they were, and published_breakdowns describes the whole file."""
    import duckdb
    from publish_fixtures import build_warehouse

    from werkmonitor.publish import publish

    everything = tmp_path / "all.yml"
    everything.write_text("region_breakdowns: all\nregion_indicators: all\n", encoding="utf-8")
    warehouse = build_warehouse(tmp_path / "wh.duckdb")
    first = publish(warehouse, tmp_path / "pub", quarters=["2024Q2"], policy_path=everything)
    query = (
        "select * from quarterly_indicators where quarter = '2024Q2' order by level, "
        "region_code, trajectory_type, financing, ips_scheme, ips_phase, indicator"
    )
    with duckdb.connect(str(first.path), read_only=True) as con:
        old = con.execute(query).df()
        assert ("region", "IPS", "ips_scheme") in con.execute(
            "select * from published_breakdowns"
        ).fetchall()
    assert ((old["level"] == "region") & (old["ips_scheme"] != "ALL")).any()
    assert ((old["level"] == "region") & (old["indicator"] == "ended_with_paid_work")).any()
    second = publish(warehouse, tmp_path / "pub", quarters=["2024Q3"])
    assert second.carried_quarters == ["2024Q2"]
    with duckdb.connect(str(second.path), read_only=True) as con:
        new = con.execute(query).df()
        listed = set(con.execute("select * from published_breakdowns").fetchall())
        table = con.execute("select * from quarterly_indicators").df()
    assert ("region", "IPS", "ips_scheme") not in listed
    region_indicators = set(table.loc[table["level"] == "region", "indicator"])
    assert region_indicators <= set(published_indicators(POLICY)["indicator"])
    assert "ended_with_paid_work" not in region_indicators
    combos = set(zip(table["level"], table["trajectory_type"], breakdown_of(table), strict=True))
    assert combos <= listed
    kept = old[drop_unpublished_mask(old)].reset_index(drop=True)
    columns = ["region_code", "indicator", "is_suppressed", "display_value", "numerator"]
    pd.testing.assert_frame_equal(new[columns], kept[columns])


def drop_unpublished_mask(frame: pd.DataFrame) -> np.ndarray:
    """The default policy written out by hand: at region level IPS financing and
    every type's own rows, of the families counts and outcomes."""
    region = (frame["level"] == "region").to_numpy()
    family = frame["indicator"].map({i.code: i.family for i in catalogue()})
    breakdown = ~np.isin(breakdown_of(frame), ["trajectory_type"]) & ~(
        frame["trajectory_type"].isin(["IPS"]).to_numpy() & (breakdown_of(frame) == "financing")
    )
    return ~(region & (breakdown | ~family.isin(["counts", "outcomes"]).to_numpy()))


def test_default_region_indicator_families(tmp_path):
    """Counts and outcomes at region level (the region targets: running,
    started, paid, sustainable, the IPS financing split); every family
    nationally; the policy file can say otherwise, within its rule."""
    assert POLICY.region_families == {"counts", "outcomes"}
    published = POLICY.is_published
    for code in ("running", "started", "ended", "orientation", "paid_work", "job_stopped"):
        assert published("region", "IPS", "financing", indicator=code)
    for code in ("outflow", "ended_with_paid_work", "education", "first_job_days_0_30",
                 "employment_lt_6_months", "ended_within_6_months", "clients_per_fte"):  # fmt: skip
        assert not published("region", "IPS", "trajectory_type", indicator=code)
        assert published("national", "IPS", "trajectory_type", indicator=code)
    # a breakdown not published stays unpublished whatever the family
    assert not published("region", "IPS", "ips_scheme", indicator="running")
    listed = published_indicators(POLICY)
    assert list(listed.columns) == ["level", "indicator", "family"]
    region = listed[listed["level"] == "region"]
    assert set(region["family"]) == {"counts", "outcomes"}
    assert len(region) == 10  # 5 counts + 5 outcomes of seeds/indicators.csv
    assert len(listed[listed["level"] == "national"]) == len(catalogue())
    every = policy_with(tmp_path, region_indicators="all")
    assert every.region_families is None
    assert every.is_published("region", "IPS", "trajectory_type", indicator="outflow")


def test_region_indicator_families_need_what_their_rows_print(tmp_path):
    with pytest.raises(PolicyError, match=r"outcomes without \['counts'\]"):
        policy_with(tmp_path, region_indicators={"families": ["outcomes"]})  # denominator running
    with pytest.raises(PolicyError, match=r"first_job without \['outcomes'\]"):
        policy_with(tmp_path, region_indicators={"families": ["counts", "first_job"]})
    # avg_per_organisation's numerator is running (relations.yml average_is_running)
    with pytest.raises(PolicyError, match=r"ratios without \['counts'\]"):
        policy_with(tmp_path, region_indicators={"families": ["ratios"]})
    with pytest.raises(PolicyError, match=r"unknown families \['jobs'\]"):
        policy_with(tmp_path, region_indicators={"families": ["counts", "jobs"]})
    with pytest.raises(PolicyError, match="must be 'all' or"):
        policy_with(tmp_path, region_indicators=["counts"])
    ok = policy_with(tmp_path, region_indicators={"families": ["counts", "outflow"]})
    assert ok.is_published("region", "ALL", "trajectory_type", indicator="ended_never_worked")
    assert not ok.is_published("region", "ALL", "trajectory_type", indicator="paid_work")


# National ended 10 = with paid work 4 + worked before 3 + never worked 3;
# regions AM01 6 and AM02 4: the outflow split is national only, so the
# regions have no outflow rows (drop_unpublished left them out).
OUTFLOW_ROWS = [
    cell("running", 40),
    cell("ended", 10),
    cell("ended_with_paid_work", 4, 10),
    cell("ended_worked_before", 3, 10),
    cell("ended_never_worked", 3, 10),
    cell("running", 25, level="region", region="AM01"),
    cell("ended", 6, level="region", region="AM01"),
    cell("running", 15, level="region", region="AM02"),
    cell("ended", 4, level="region", region="AM02"),
]


def test_no_relation_over_an_unpublished_indicator():
    frame = pd.DataFrame(OUTFLOW_ROWS)
    # everything published: a region's ended = its outflow rows, which are
    # absent (0): 6 = 0 and 4 = 0 are relations the true table violates
    wrong = build_system(frame)
    assert sorted(np.abs(wrong.eq @ wrong.truth)[np.abs(wrong.eq @ wrong.truth) > 0]) == [4, 6]
    system = build_system(frame, published=POLICY.is_published)
    assert np.abs(system.eq @ system.truth).max() == 0
    names = sorted(system.relation(label) for label in system.eq_names)
    # left: national ended = its categories; national running and ended = the regions
    assert names == [
        "outflow_categories (2024Q3 national ALL/ALL/ALL/ALL ended)",
        "regions add up (2024Q3 national ALL/ALL/ALL/ALL ended)",
        "regions add up (2024Q3 national ALL/ALL/ALL/ALL running)",
    ]
    # a predicate of breakdowns only (3 arguments) cannot tell: no indicator test
    breakdowns_only = build_system(frame, published=lambda lv, t, b: True)
    assert np.abs(breakdowns_only.eq @ breakdowns_only.truth).max() == 6


def test_no_identity_over_an_unpublished_right_hand_side():
    """sustainable <= paid at region level is no relation when the region's
    paid work is not published (its absent row is not 0)."""
    region = {"level": "region", "region": "AM01"}
    rows = [
        cell("running", 20, **region),
        cell("sustainable_paid_work", 3, 20, **region),
        cell("running", 20),
        cell("paid_work", 6, 20),
        cell("sustainable_paid_work", 3, 20),
        cell("ever_paid_work", 7, 20),
    ]

    def published(level, ttype, breakdown, indicator=None):
        return not (level == "region" and indicator == "paid_work")

    frame = pd.DataFrame(rows)
    wrong = build_system(frame)  # region sustainable 3 <= (no paid row: 0)
    assert (wrong.ineq @ wrong.truth).max() == 3
    system = build_system(frame, published=published)
    assert (system.ineq @ system.truth).max() <= 0
    idents = [system.relation(n) for n in system.ineq_names if n[0] == "sustainable_within_paid"]
    assert idents == [
        "sustainable_within_paid (2024Q3 national ALL/ALL/ALL/ALL sustainable_paid_work)"
    ]


def test_rows_of_an_unpublished_family_are_dropped(tmp_path):
    frame = pd.DataFrame(OUTFLOW_ROWS + [
        cell("ended_with_paid_work", 3, 6, level="region", region="AM01"),
        cell("education", 2, 25, level="region", region="AM01"),
        cell("paid_work", 9, 25, level="region", region="AM01"),
    ])  # fmt: skip
    kept = drop_unpublished(frame, POLICY)
    region = kept[kept["level"] == "region"]
    assert sorted(set(region["indicator"])) == ["ended", "paid_work", "running"]
    assert len(kept[kept["level"] == "national"]) == 5  # national keeps every family
    every = policy_with(tmp_path, region_indicators="all")
    assert len(drop_unpublished(frame, every)) == len(frame)
