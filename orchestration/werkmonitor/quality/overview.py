"""Offline pages beside GX's Data Docs: one per quarter and one for all quarters.

GX's own ``index.html`` draws its list with scripts from public CDNs and can
list only the quarters of the last run; these plain pages work offline and
list every quarter ever checked. Internal tier (they show row-level findings).
"""

from __future__ import annotations

import html
import os
from pathlib import Path

from werkmonitor.quality.results import BLOCKING, GateRun
from werkmonitor.quarters import Quarter


def write_overview(run: GateRun, docs_dir: Path, site_dir: Path | None = None,
                   run_folder: str = "*") -> Path:
    """A plain Dutch page next to GX's Data Docs, readable without internet.

    GX's ``index.html`` draws its list of results with scripts from public
    CDNs; this page lists every gate with its verdict and links to the GX
    validation page of its suite, which renders on its own. ``site_dir`` is
    the GX site when it is shared by many quarters; ``run_folder`` the GX run
    name whose pages hold this quarter's rows (``gx_run.run_name``: the pages
    of a range run show every quarter of the range, column ``_run_quarter``);
    without a site ``docs_dir`` is the site.
    """
    site = site_dir or docs_dir
    docs_dir.mkdir(parents=True, exist_ok=True)
    pages = {}
    for page in sorted((site / "validations").glob(f"*/{run_folder}/**/*.html")):
        suite = page.relative_to(site / "validations").parts[0]
        pages[suite] = Path(os.path.relpath(page, docs_dir))
    index = Path(os.path.relpath(site / "index.html", docs_dir))
    rows = []
    order = sorted(run.results, key=lambda r: (r.success, r.severity != BLOCKING, r.target))
    for r in order:
        verdict = "geslaagd" if r.success else (
            "BLOKKEREND" if r.severity == BLOCKING else "waarschuwing")
        suite = r.metadata.get("suite", "")
        link = (f'<a href="{html.escape(pages[suite].as_posix())}">{html.escape(suite)}</a>'
                if suite in pages else html.escape(suite))
        rows.append(
            f"<tr class=\"{'ok' if r.success else r.severity}\"><td>{verdict}</td>"
            f"<td>{html.escape(r.target)}</td><td>{html.escape(r.name)}</td>"
            f"<td>{r.unexpected_count}</td><td>{html.escape(r.message)}</td><td>{link}</td></tr>"
        )
    quarter = Quarter.parse(run.quarter)
    body = f"""<!doctype html>
<html lang="nl"><head><meta charset="utf-8">
<title>Kwaliteitscontrole {quarter}</title>
<style>
body {{ font-family: sans-serif; margin: 2em; }}
table {{ border-collapse: collapse; }}
td, th {{ border: 1px solid #ccc; padding: 4px 8px; text-align: left; vertical-align: top; }}
tr.blocking td:first-child {{ background: #f8d0d0; font-weight: bold; }}
tr.warning td:first-child {{ background: #fbeec0; }}
tr.ok td:first-child {{ color: #2a7a2a; }}
</style></head><body>
<h1>Kwaliteitscontrole {quarter.label_nl()}</h1>
<p>{html.escape(run.summary())}</p>
<p><a href="{html.escape(index.as_posix())}">Great Expectations Data Docs</a>
(volledige resultaten per suite)</p>
<table><tr><th>uitslag</th><th>tabel</th><th>controle</th><th>rijen</th><th>bevinding</th>
<th>suite</th></tr>
{chr(10).join(rows)}
</table></body></html>
"""
    path = docs_dir / "gates.html"
    path.write_text(body, encoding="utf-8")
    return path


def write_index_overview(runs: list[GateRun], site_dir: Path) -> Path:
    """``gates.html`` at the site root: one line per quarter with a link to its overview.

    Quarters validated by earlier runs keep their line: every
    ``<quarter>/gates.html`` in the site is listed, newest quarter first.
    """
    summaries = {run.quarter: run.summary() for run in runs}
    quarters = sorted(
        {p.parent.name for p in site_dir.glob("*/gates.html")} | set(summaries), reverse=True
    )
    rows = []
    for q in quarters:
        label = Quarter.parse(q).label_nl()
        summary = summaries.get(q, "eerder gecontroleerd; zie de pagina van het kwartaal")
        rows.append(f'<tr><td><a href="{q}/gates.html">{html.escape(label)}</a></td>'
                    f"<td>{html.escape(summary)}</td></tr>")
    body = f"""<!doctype html>
<html lang="nl"><head><meta charset="utf-8">
<title>Kwaliteitscontrole werkmonitor</title>
<style>
body {{ font-family: sans-serif; margin: 2em; }}
table {{ border-collapse: collapse; }}
td, th {{ border: 1px solid #ccc; padding: 4px 8px; text-align: left; }}
</style></head><body>
<h1>Kwaliteitscontrole werkmonitor</h1>
<p><a href="index.html">Great Expectations Data Docs</a> (alle kwartalen)</p>
<table><tr><th>kwartaal</th><th>uitslag van de laatste controle</th></tr>
{chr(10).join(rows)}
</table></body></html>
"""
    path = site_dir / "gates.html"
    path.write_text(body, encoding="utf-8")
    return path
