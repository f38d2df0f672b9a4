"""The static dashboard: every public figure, explorable offline in a browser.

``build_dashboard(publish_dir)`` reads the public tier of
``<publish_dir>/werkmonitor.duckdb`` and writes ``<publish_dir>/dashboard/``:
``index.html``, ``assets/`` (the page's script and style, and vega +
vega-lite + vega-embed bundled by vl-convert: no CDN, no server) and
``data/`` (the figures and chart templates as scripts, so the page also works
from ``file://``, where browsers refuse ``fetch``; one script per indicator,
loaded when the reader picks it). The folder is built beside
the old one and swapped in, so a reader never sees a half-written dashboard.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from importlib import resources
from pathlib import Path

from werkmonitor.charts import write_bundle
from werkmonitor.dashboard.cohorts import compact_cohorts
from werkmonitor.dashboard.compact import compact
from werkmonitor.dashboard.data import read_published
from werkmonitor.dashboard.specs import templates
from werkmonitor.reference import read_seed

PUBLISHED_NAME = "werkmonitor.duckdb"
DASHBOARD_DIR = "dashboard"
STATIC = ("index.html", "dashboard.js", "dashboard.css")


INPUTS = ".inputs"  # in the dashboard folder: the digest of what it was built from


def inputs_digest(published: Path) -> str:
    """What the dashboard is a pure function of: the published file's bytes (and its
    write-ahead log's), and the code, page files, catalogue and seeds that draw it.

    The same bytes hold the same figures, so an equal digest means the folder
    would be built byte-identical: a run that publishes nothing new skips the
    build (~4 CPU s: formatting ~158.000 cells and the chart templates).
    """
    from werkmonitor.config import SEEDS_DIR

    root = Path(__file__).resolve().parents[1]  # werkmonitor/
    sources = [published, Path(f"{published}.wal")]
    for folder, pattern in (
        ("dashboard", "*.py"),
        ("dashboard/static", "*"),
        ("charts", "*.py"),
        ("catalogue", "*"),
    ):
        sources += sorted((root / folder).glob(pattern))
    sources += [root / "formatting.py", root / "reference.py", *sorted(SEEDS_DIR.glob("*.csv"))]
    h = hashlib.sha256()
    for path in sources:
        if path.is_file():
            h.update(path.name.encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def _listing(folder: Path) -> dict[str, list[int]]:
    """Every file of the folder (but the digest) with its size and modification time."""
    out = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.name != INPUTS:
            st = path.stat()
            out[path.relative_to(folder).as_posix()] = [st.st_size, st.st_mtime_ns]
    return out


def _current(target: Path, digest: str) -> bool:
    """The folder was built from ``digest`` and nothing in it was changed since."""
    try:
        stored = json.loads((target / INPUTS).read_text("utf-8"))
    except (OSError, ValueError):
        return False
    return stored.get("digest") == digest and stored.get("files") == _listing(target)


class DashboardError(RuntimeError):
    """The dashboard cannot be built (no published file, or no public figures in it)."""


def _script(variable: str, payload: object) -> str:
    # JSON is a JavaScript literal; a <script> (unlike fetch) also loads from file://.
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    return f"window.{variable}={text};\n"


def dashboard_payload(published: Path) -> dict:
    """The ``DATA`` object the page reads (also what the tests inspect)."""
    tables = read_published(published)
    data = compact(tables)
    data["cohorts"] = compact_cohorts(tables.get("cohort_outcomes"))
    data["divisions"] = {r["division_code"]: r["label_nl"] for r in read_seed("divisions")}
    return data


def build_dashboard(publish_dir: Path | str) -> Path:
    """Write ``<publish_dir>/dashboard/`` from the published file; returns its index.html.

    Skipped (the folder kept as it is) when ``dashboard/.inputs`` holds this
    file's and this code's :func:`inputs_digest`."""
    publish_dir = Path(publish_dir)
    published = publish_dir / PUBLISHED_NAME
    if not published.exists():
        raise DashboardError(f"no published file at {published}: publish first")
    target = publish_dir / DASHBOARD_DIR
    digest = inputs_digest(published)
    if _current(target, digest):
        return target / "index.html"
    data = dashboard_payload(published)
    if not data["quarters"]:
        raise DashboardError(f"{published} holds no national or regional figures")
    building = publish_dir / f".{DASHBOARD_DIR}.building-{os.getpid()}"
    shutil.rmtree(building, ignore_errors=True)
    (building / "assets").mkdir(parents=True)
    (building / "data").mkdir()
    static = resources.files("werkmonitor.dashboard") / "static"
    for name in STATIC:
        folder = building if name == "index.html" else building / "assets"
        (folder / name).write_text(static.joinpath(name).read_text("utf-8"), "utf-8")
    # The bundle of the last build or of the reports when it is this version's.
    write_bundle(
        building / "assets" / "vega.js",
        target / "assets" / "vega.js",
        publish_dir / "reports" / "assets" / "vega.js",
    )
    (building / "data" / "specs.js").write_text(
        _script("WERKMONITOR_SPECS", templates(data["quarters"])), "utf-8"
    )
    cells = data.pop("cells")
    (building / "data" / "indicators").mkdir()
    for code, by_place in cells.items():
        text = json.dumps(by_place, ensure_ascii=False, separators=(",", ":"))
        (building / "data" / "indicators" / f"{code}.js").write_text(
            f"(window.WERKMONITOR_CELLS=window.WERKMONITOR_CELLS||{{}})[{json.dumps(code)}]={text};\n",
            "utf-8",
        )
    data["cells"] = {}
    # The curves are loaded after the first view (they are a quarter of the data).
    cohorts = data.pop("cohorts")
    data["has_cohorts"] = cohorts is not None
    if cohorts is not None:
        (building / "data" / "cohorts.js").write_text(
            _script("WERKMONITOR_COHORTS", cohorts), "utf-8"
        )
    data["cohorts"] = None
    (building / "data" / "data.js").write_text(_script("WERKMONITOR_DATA", data), "utf-8")
    stored = {"digest": digest, "files": _listing(building)}  # a rename keeps the times
    (building / INPUTS).write_text(json.dumps(stored, separators=(",", ":")), "utf-8")
    old = publish_dir / f".{DASHBOARD_DIR}.old-{os.getpid()}"
    if target.exists():
        target.rename(old)
    building.rename(target)
    shutil.rmtree(old, ignore_errors=True)
    return target / "index.html"


__all__ = ["DashboardError", "build_dashboard", "dashboard_payload"]
