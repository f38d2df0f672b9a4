"""Per region and quarter: completeness marks and the regional ambition."""

from __future__ import annotations

import pandas as pd

from werkmonitor.charts.published import reason_text
from werkmonitor.dashboard.cells import missing
from werkmonitor.formatting import fmt_count, fmt_pct


def completeness(frame: pd.DataFrame | None) -> dict[str, dict[str, list]]:
    out: dict[str, dict[str, list]] = {}
    for r in [] if frame is None else frame.to_dict("records"):
        missing = r.get("missing_organisations")
        missing = [] if missing is None else [str(m) for m in list(missing)]
        out.setdefault(r["quarter"], {})[r["region_code"]] = [
            r.get("mark") or "",
            r.get("status_label_nl") or r.get("status") or "",
            int(r.get("organisations_expected") or 0),
            int(r.get("organisations_delivered") or 0),
            missing,
        ]
    return out


def ambition(frame: pd.DataFrame | None) -> dict[str, dict[str, list]]:
    out: dict[str, dict[str, list]] = {}
    for r in [] if frame is None else frame.to_dict("records"):
        target = r.get("yearly_target")
        hidden = bool(r.get("is_suppressed"))
        share = "" if hidden or missing(r.get("share_of_target")) else fmt_pct(r["share_of_target"])
        out.setdefault(r["quarter"], {})[r["region_code"]] = [
            r.get("display_value") or "",
            "" if missing(target) else fmt_count(target),
            share,
            r.get("division_code") or "",
            reason_text("ambition") if hidden else "",
            int(r["year"]),
        ]
    return out
