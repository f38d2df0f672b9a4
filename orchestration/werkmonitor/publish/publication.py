"""The ``publication`` table: which quarters the file holds, when, from which files.

One row per quarter × submission file (organisation, file name, content
hash); carried-over quarters keep the rows (and ids) of the run that
published them. ``data_version`` hashes a quarter's (organisation, content
hash) pairs, so two runs on the same submissions stamp the same version; the
publication id is the run's time plus a hash of every quarter's version.
Also: which quarters' published figures differ from the previous file.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

import pandas as pd

from werkmonitor.publish.disclosure.labels import KEY
from werkmonitor.publish.marts import SUBMISSION_COLUMNS
from werkmonitor.quarters import Quarter

ORDER = [
    "publication_id",
    "published_at",
    "quarter",
    "quarter_publication_id",
    "quarter_published_at",
    "data_version",
    "gate_status",
    *SUBMISSION_COLUMNS[1:],
]


def _fresh_rows(
    to_publish: list[str], submissions: pd.DataFrame, gates: dict[str, bool] | None
) -> list[pd.DataFrame]:
    subs = submissions.reindex(columns=SUBMISSION_COLUMNS)
    fresh = []
    for quarter in to_publish:
        rows = subs[subs["quarter"] == quarter].sort_values("organisation_code")
        if rows.empty:
            rows = pd.DataFrame([{c: None for c in SUBMISSION_COLUMNS} | {"quarter": quarter}])
        pairs = "\n".join(
            f"{o}:{h}" for o, h in zip(rows["organisation_code"], rows["content_hash"], strict=True)
        )
        rows = rows.assign(
            data_version=hashlib.sha256(f"{quarter}\n{pairs}".encode()).hexdigest()[:12],
            gate_status="not_checked" if gates is None else "passed",
        )
        fresh.append(rows)
    return fresh


def publication_table(
    to_publish: list[str],
    carried: list[str],
    previous: dict[str, pd.DataFrame],
    gates: dict[str, bool] | None,
    published_at: datetime,
    submissions: pd.DataFrame,
) -> pd.DataFrame:
    """The ``publication`` table of this run (see the module's docstring)."""
    fresh = _fresh_rows(to_publish, submissions, gates)
    old = previous.get("publication")
    kept = old[old["quarter"].isin(carried)] if old is not None and carried else None
    versions = {
        (q, v) for part in fresh for q, v in zip(part["quarter"], part["data_version"], strict=True)
    }
    if kept is not None:
        versions |= set(zip(kept["quarter"], kept["data_version"], strict=True))
    digest = hashlib.sha256(repr(sorted(versions)).encode()).hexdigest()[:8]
    publication_id = f"{published_at:%Y%m%dT%H%M%SZ}-{digest}"
    stamp = pd.Timestamp(published_at.replace(tzinfo=None))
    frame = (
        pd.concat(fresh, ignore_index=True) if fresh else pd.DataFrame(columns=SUBMISSION_COLUMNS)
    )
    frame["quarter_publication_id"] = publication_id
    frame["quarter_published_at"] = stamp
    if kept is not None:
        frame = pd.concat([frame, kept], ignore_index=True)
    frame["publication_id"] = publication_id
    frame["published_at"] = stamp
    frame = frame[ORDER].sort_values(["quarter", "organisation_code"], key=_sort_key)
    return frame.reset_index(drop=True)


def _sort_key(series: pd.Series) -> pd.Series:
    if series.name == "quarter":
        return series.map(lambda q: str(Quarter.parse(q)))
    return series.fillna("")


def changed_quarters(previous: dict, tables: dict, quarters: list[str]) -> list[str]:
    """Quarters whose published indicator figures differ from the previous file."""
    old = previous.get("quarterly_indicators")
    new = tables["quarterly_indicators"]
    cols = [*KEY, "display_value"]
    out = []
    for q in quarters:
        a = new[new["quarter"] == q][cols].astype("string").fillna("")
        if old is None or "display_value" not in old.columns:
            out.append(q)
            continue
        b = old[(old["quarter"] == q) & (old["level"] != "organisation")]
        b = b.reindex(columns=cols).astype("string").fillna("")
        if (
            not a.sort_values(cols)
            .reset_index(drop=True)
            .equals(b.sort_values(cols).reset_index(drop=True))
        ):
            out.append(q)
    return out
