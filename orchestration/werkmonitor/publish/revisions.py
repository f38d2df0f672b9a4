"""The revision history readers get with the public file (issue 10).

One row per publication, oldest first: the archived ones (from the archive's
index, itself derived from the archived files) and the one being written.
Per row its quarters with their data versions, and what changed against the
publication before it: quarters added, quarters computed again
(republished), and among those the ones whose data version changed (new or
corrected submissions); the rest were carried over as they were.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow as pa

from werkmonitor.publish.disclosure.archive import read_index
from werkmonitor.quarters import Quarter

COLUMNS = [
    "publication_id",
    "published_at",
    "quarters",
    "data_versions",
    "quarters_added",
    "quarters_republished",
    "quarters_with_new_data",
    "quarters_carried_over",
]


def _sorted(quarters) -> list[str]:
    return sorted(quarters, key=Quarter.parse)


def _entry_of(publication: pd.DataFrame) -> dict:
    """The index shape of the publication being written (its ``publication`` table)."""
    rows = publication.drop_duplicates("quarter")
    return {
        "publication_id": str(rows["publication_id"].iloc[0]),
        "published_at": str(rows["published_at"].iloc[0]),
        "quarters": [
            {"quarter": q, "data_version": v, "quarter_publication_id": p}
            for q, v, p in zip(
                rows["quarter"], rows["data_version"], rows["quarter_publication_id"], strict=True
            )
        ],
    }


def revisions_table(publish_dir: Path, publication: pd.DataFrame) -> pd.DataFrame:
    """The ``revisions`` table: archived publications plus ``publication``'s own run."""
    entries = read_index(publish_dir)
    current = _entry_of(publication)
    entries = [e for e in entries if e["publication_id"] != current["publication_id"]]
    rows, before = [], {}
    for e in [*entries, current]:
        versions = {q["quarter"]: q["data_version"] for q in e["quarters"]}
        computed = {
            q["quarter"]
            for q in e["quarters"]
            if q["quarter_publication_id"] == e["publication_id"]
        }
        quarters = _sorted(versions)
        rows.append(
            {
                "publication_id": e["publication_id"],
                "published_at": pd.Timestamp(e["published_at"]),
                "quarters": quarters,
                "data_versions": [versions[q] for q in quarters],
                "quarters_added": _sorted(set(versions) - set(before)),
                "quarters_republished": _sorted(computed & set(before)),
                "quarters_with_new_data": _sorted(
                    q for q in computed & set(before) if before[q] != versions[q]
                ),
                "quarters_carried_over": _sorted(set(versions) - computed),
            }
        )
        before = versions
    frame = pd.DataFrame(rows, columns=COLUMNS)
    text_list = pd.ArrowDtype(pa.list_(pa.string()))  # VARCHAR[] even when every list is empty
    for column in COLUMNS[2:]:
        frame[column] = frame[column].astype(text_list)
    return frame
