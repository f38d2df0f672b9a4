"""The revision history in the public file: one row per publication, written
from the archive, with what changed against the publication before."""

from __future__ import annotations

import time

import duckdb
import pandas as pd
from publish_fixtures import build_warehouse
from test_disclosure_archive import running

from werkmonitor.publish import publish
from werkmonitor.publish.disclosure.archive import ARCHIVE_DIR


def warehouse(path, am01_q3: int, corrected: bool = False):
    both = pd.concat([running(20, 30, 40, "2024Q2"), running(am01_q3, 30, 40, "2024Q3")])
    build_warehouse(path, indicators=both)
    if corrected:  # ORG01 sent a new 2024Q3 file: a new data version of 2024Q3
        con = duckdb.connect(str(path))
        con.execute(
            "update audit.submissions set content_hash = 'corrected'"
            " where organisation_code = 'ORG01' and quarter = '2024Q3'"
        )
        con.close()
    return path


def revisions(path) -> list[dict]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        frame = con.execute("select * from revisions order by published_at").df()
        types = dict(
            con.execute("select column_name, column_type from (describe revisions)").fetchall()
        )
    finally:
        con.close()
    assert types["quarters_republished"] == "VARCHAR[]"
    return [
        {k: (list(v) if not isinstance(v, str | pd.Timestamp) else v) for k, v in row.items()}
        for row in frame.to_dict("records")
    ]


def test_revision_history(tmp_path):
    publish_dir = tmp_path / "pub"
    first = publish(warehouse(tmp_path / "wh1.duckdb", 20), publish_dir)
    time.sleep(1.05)  # publication ids have a resolution of one second
    second = publish(
        warehouse(tmp_path / "wh2.duckdb", 22, corrected=True), publish_dir, quarters=["2024Q3"]
    )
    time.sleep(1.05)
    third = publish(warehouse(tmp_path / "wh3.duckdb", 22, corrected=True), publish_dir)

    rows = revisions(third.path)
    assert [r["publication_id"] for r in rows] == [
        first.publication_id,
        second.publication_id,
        third.publication_id,
    ]
    assert rows[0]["quarters"] == ["2024Q2", "2024Q3"]
    assert rows[0]["quarters_added"] == ["2024Q2", "2024Q3"]
    assert rows[0]["quarters_republished"] == [] and rows[0]["quarters_carried_over"] == []
    # the correction: 2024Q3 computed again from a new data version, 2024Q2 carried
    assert rows[1]["quarters_added"] == []
    assert rows[1]["quarters_republished"] == ["2024Q3"]
    assert rows[1]["quarters_with_new_data"] == ["2024Q3"]
    assert rows[1]["quarters_carried_over"] == ["2024Q2"]
    assert rows[1]["data_versions"][0] == rows[0]["data_versions"][0]
    assert rows[1]["data_versions"][1] != rows[0]["data_versions"][1]
    # a full re-run on the same submissions: both computed again, no new data
    assert rows[2]["quarters_republished"] == ["2024Q2", "2024Q3"]
    assert rows[2]["quarters_with_new_data"] == []
    assert rows[2]["data_versions"] == rows[1]["data_versions"]

    # every archived file carries the history up to itself
    archived = publish_dir / ARCHIVE_DIR / f"{first.publication_id}.duckdb"
    assert [r["publication_id"] for r in revisions(archived)] == [first.publication_id]
    # the third run's figures equal the second's: one archived file for both
    assert len(list((publish_dir / ARCHIVE_DIR).glob("*.duckdb"))) == 2
