"""Earlier publications as reader knowledge (issue 10: "every earlier published
version"): a republished quarter must not give away, together with a figure
an earlier file showed, a count the new file hides.

The leak is shown with plain subtraction over the published files, written
without the audit's code.
"""

from __future__ import annotations

import time

import duckdb
import pandas as pd
import pytest
from publish_fixtures import INDICATOR_COLUMNS, build_warehouse, trajectories
from test_publish_suppression import cell

from werkmonitor.publish import publish
from werkmonitor.publish.disclosure.archive import ARCHIVE_DIR, earlier_shown, read_index, sources
from werkmonitor.publish.disclosure.protect import known_mask
from werkmonitor.publish.disclosure.system import KEY
from werkmonitor.publish.feeding import changed_organisations, read_feeders

REGIONS = ("AM01", "AM02", "AM03")


def running(am01: int, am02: int, am03: int, quarter: str = "2024Q3") -> pd.DataFrame:
    """National running = the sum of three regions (one quarter, no breakdowns)."""
    values = dict(zip(REGIONS, (am01, am02, am03), strict=True))
    rows = [cell("running", sum(values.values()), quarter=quarter)]
    rows += [
        cell("running", v, level="region", region=r, quarter=quarter) for r, v in values.items()
    ]
    return pd.DataFrame(rows).reindex(columns=INDICATOR_COLUMNS)


def shown(path) -> dict[str, str]:
    """Where (national / region code) -> display_value of the running rows."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        rows = con.execute(
            "select coalesce(region_code, 'national'), display_value"
            " from quarterly_indicators where indicator = 'running'"
        ).fetchall()
    finally:
        con.close()
    return dict(rows)


def figure(text: str) -> int | None:
    return None if text in ("<5", "x") else int(text.replace(".", ""))


def recovered_am03(first: dict[str, str], second: dict[str, str]) -> int | None:
    """An outsider with both files: national (second) minus the other regions,
    each read from whichever file shows it. None when it does not come out."""
    national = figure(second["national"])
    if national is None:
        return None
    others = []
    for region in ("AM01", "AM02"):
        value = figure(second[region])
        others.append(value if value is not None else figure(first[region]))
    return None if None in others else national - sum(others)


@pytest.fixture()
def first(tmp_path):
    """Publication 1: 20 + 30 + 40 = 90, all shown."""
    publish_dir = tmp_path / "pub"
    publish(build_warehouse(tmp_path / "wh1.duckdb", indicators=running(20, 30, 40)), publish_dir)
    return publish_dir


def test_first_publication_shows_every_cell(first):
    assert shown(first / "werkmonitor.duckdb") == {
        "national": "90",
        "AM01": "20",
        "AM02": "30",
        "AM03": "40",
    }


def test_without_the_archive_the_republished_quarter_leaks(first, tmp_path):
    # AM03 is corrected from 40 to 3: "<5" now; its cheapest partner is AM01
    # (20), which the first file showed. A publish that does not know the
    # first file hides AM01 and shows national 53: 53 - 20 - 30 = 3.
    before = shown(first / "werkmonitor.duckdb")
    blind = tmp_path / "blind"
    publish(build_warehouse(tmp_path / "wh2.duckdb", indicators=running(20, 30, 3)), blind)
    after = shown(blind / "werkmonitor.duckdb")
    assert after == {"national": "53", "AM01": "x", "AM02": "30", "AM03": "<5"}
    assert recovered_am03(before, after) == 3


def test_with_the_archive_the_hidden_count_stays_protected(first, tmp_path):
    before = shown(first / "werkmonitor.duckdb")
    publish(build_warehouse(tmp_path / "wh2.duckdb", indicators=running(20, 30, 3)), first)
    after = shown(first / "werkmonitor.duckdb")
    # AM01 and AM02 are known from the first file (unchanged): AM01 stays
    # shown, and the partner of AM03 is the changed national figure
    assert after == {"national": "x", "AM01": "20", "AM02": "30", "AM03": "<5"}
    assert recovered_am03(before, after) is None
    # national - 50 within [51, 54]: every value 1..4 of AM03 stays possible


def test_known_cells_are_the_unchanged_shown_ones(first):
    earlier = earlier_shown(first, ["2024Q3"])
    assert len(earlier) == 4 and set(earlier["value"]) == {90.0, 20.0, 30.0, 40.0}
    now = running(20, 30, 3)
    known = now[known_mask(now, earlier)]
    # national (90 -> 53) and AM03 (40 -> 3) changed: a different figure, not known
    assert sorted(known["region_code"]) == ["AM01", "AM02"]
    assert sorted(known["value"]) == [20.0, 30.0]
    assert earlier_shown(first, ["2024Q2"]).empty  # no earlier publication of 2024Q2


def test_identical_republications_share_one_archived_file(first, tmp_path):
    # no earlier publication on the same data versions: the figures' digest is not needed yet
    assert read_index(first)[0]["digest"] is None
    wh = build_warehouse(tmp_path / "again.duckdb", indicators=running(20, 30, 40))
    publish(wh, first)
    entries = read_index(first)
    assert len(entries) == 2 and entries[0]["publication_id"] != entries[1]["publication_id"]
    assert entries[0]["file"] == entries[1]["file"]  # same figures: no second copy
    assert entries[0]["digest"] == entries[1]["digest"] is not None
    assert len(list((first / ARCHIVE_DIR).glob("*.duckdb"))) == 1
    publish(build_warehouse(tmp_path / "wh2.duckdb", indicators=running(20, 30, 3)), first)
    assert len(list((first / ARCHIVE_DIR).glob("*.duckdb"))) == 2


def test_only_files_that_computed_a_quarter_are_read(tmp_path):
    both = pd.concat([running(20, 30, 40, "2024Q2"), running(21, 30, 40, "2024Q3")])
    wh = build_warehouse(tmp_path / "wh.duckdb", indicators=both)
    publish_dir = tmp_path / "pub"
    publish(wh, publish_dir)  # computes 2024Q2 and 2024Q3
    time.sleep(1.05)  # publication ids have a resolution of one second
    both = pd.concat([running(20, 30, 40, "2024Q2"), running(22, 30, 40, "2024Q3")])
    wh = build_warehouse(tmp_path / "wh2.duckdb", indicators=both)
    publish(wh, publish_dir, quarters=["2024Q3"])  # 2024Q2 carried over
    folder = publish_dir / ARCHIVE_DIR
    one, two = (folder / e["file"] for e in read_index(publish_dir))
    assert one != two
    assert sources(publish_dir, ["2024Q2"]) == {one: {"2024Q2"}}
    assert sources(publish_dir, ["2024Q3"]) == {one: {"2024Q3"}, two: {"2024Q3"}}
    assert sources(publish_dir, ["2025Q1"]) == {}


def test_index_is_rebuilt_from_the_files(first):
    (first / ARCHIVE_DIR / "index.json").unlink()
    entries = read_index(first)
    assert len(entries) == 1 and entries[0]["quarters"][0]["quarter"] == "2024Q3"
    assert len(earlier_shown(first, ["2024Q3"])) == 4


def test_a_share_is_known_only_with_its_numerator_and_denominator():
    # 0 of 38 earlier, 0 of 40 now: the same 0%, but the row prints 40 now
    now = pd.DataFrame([cell("running", 40), cell("paid_work", 0, 40)])
    then = pd.DataFrame([cell("paid_work", 0, 38)])[[*KEY, "value", "numerator", "denominator"]]
    assert known_mask(now, then).tolist() == [False, False]
    same = pd.DataFrame([cell("paid_work", 0, 40)])[[*KEY, "value", "numerator", "denominator"]]
    assert known_mask(now, same).tolist() == [False, True]


def published_rows(publish_dir) -> pd.DataFrame:
    con = duckdb.connect(str(publish_dir / "werkmonitor.duckdb"), read_only=True)
    try:
        return con.execute(
            "select * from quarterly_indicators order by all"  # every column, a fixed order
        ).df()
    finally:
        con.close()


def test_unrelated_data_over_an_archive_can_be_published(tmp_path):
    # seed 8 is other data: every organisation's file differs from the one
    # the first publication came from, so no cell it showed is the current
    # figure, and the second file is what a publish without archive gives
    out = tmp_path / "pub"
    publish(build_warehouse(tmp_path / "a.duckdb", seed=7), out)
    publish(build_warehouse(tmp_path / "b.duckdb", seed=8), out)
    blind = tmp_path / "blind"
    publish(build_warehouse(tmp_path / "c.duckdb", seed=8), blind)
    pd.testing.assert_frame_equal(published_rows(out), published_rows(blind))
    assert len(read_index(out)) == 2


def test_changed_organisations_compares_content_hashes():
    then = pd.DataFrame(
        {
            "quarter": ["2024Q3"] * 3,
            "organisation_code": ["ORG01", "ORG02", "ORG03"],
            "content_hash": ["a", "b", "c"],
        }
    )
    now = pd.DataFrame(
        {
            "quarter": ["2024Q3"] * 3 + ["2024Q2"],
            "organisation_code": ["ORG01", "ORG02", "ORG04", "ORG09"],
            "content_hash": ["a", "B", "d", "z"],
        }
    )
    changed = changed_organisations(then, now)
    # ORG02 a new file, ORG03 withdrawn, ORG04 added; 2024Q2 was not in that publication
    assert sorted(changed["organisation_code"]) == ["ORG02", "ORG03", "ORG04"]
    assert set(changed["quarter"]) == {"2024Q3"}


def corrected(seed: int = 7) -> pd.DataFrame:
    """ORG04 (works in AM05 only, next to ORG06) sends a new 2024Q3 file
    without three of its trajectories."""
    t = trajectories(seed)
    own = t.index[(t["organisation_code"] == "ORG04") & (t["quarter"] == "2024Q3")]
    return t.drop(own[:3]).reset_index(drop=True)


def test_a_correction_unpins_only_the_cells_it_feeds(tmp_path):
    out = tmp_path / "pub"
    first = publish(build_warehouse(tmp_path / "a.duckdb"), out)
    wh = build_warehouse(tmp_path / "b.duckdb", rows=corrected())
    con = duckdb.connect(str(wh), read_only=True)
    try:
        subs = con.execute(
            "select quarter, organisation_code, content_hash from audit.submissions"
        ).df()
        fed = read_feeders(con, "marts.fct_trajectory_quarters", ["2024Q2", "2024Q3"])
    finally:
        con.close()
    known = earlier_shown(out, ["2024Q2", "2024Q3"], None, subs, fed)
    where = set(zip(known["quarter"], known["level"], known["region_code"], strict=True))
    # 2024Q3: ORG04 changed, so national and AM05 (ORG04, ORG06) are earlier
    # versions; AM13, AM18, AM22, AM24 (no ORG04) are still the current figures.
    # 2024Q2: no file changed, every shown cell is current (AM24 has none:
    # ORG06 delivers from 2024Q3 on).
    regions = {"AM05", "AM13", "AM18", "AM22", "AM24"}
    q2 = [("national", ""), *(("region", r) for r in regions - {"AM24"})]
    assert where == {("2024Q3", "region", r) for r in regions - {"AM05"}} | {
        ("2024Q2", level, r) for level, r in q2
    }
    before = published_rows(out)
    second = publish(wh, out)  # passes the audit (raises DisclosureAuditError otherwise)
    assert second.publication_id != first.publication_id
    after = published_rows(out)
    key = [*KEY, "display_value"]
    shown_then = before[~before["is_suppressed"] & before["region_code"].isin(regions - {"AM05"})]
    kept = shown_then[key].merge(after[key], on=KEY, suffixes=("_then", "_now"))
    # the unchanged regions' earlier shown cells are forced shown, as they were
    assert len(kept) == len(shown_then) > 0
    assert (kept["display_value_then"] == kept["display_value_now"]).all()
