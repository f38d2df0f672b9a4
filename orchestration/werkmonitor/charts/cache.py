"""Chart specs kept between processes, in the per-user cache (``$WERKMONITOR_CACHE_DIR``).

A chart shape's spec is a pure function of the builder's code, altair's and
Vega-Lite's versions and the shape's arguments; building it with altair is
most of a process's fixed chart cost (~0,1 s a shape, ~20 shapes in the
reports and ~12 templates in the dashboard, every run). So each spec, once
built, is kept in one JSON file per code version and read by the next
process. ``off`` disables it, as for the bundle. A file that cannot be read
or written is ignored: the spec is then built, as without a cache.
"""

from __future__ import annotations

import hashlib
import json
import os
from functools import lru_cache
from importlib import metadata
from pathlib import Path

CACHE_ENV = "WERKMONITOR_CACHE_DIR"
_LOADED: dict[Path, dict[str, dict]] = {}


def cache_dir() -> Path | None:
    """The per-user cache folder of werkmonitor (None when caching is ``off``)."""
    root = os.environ.get(CACHE_ENV)
    if root == "off":
        return None
    if not root:
        root = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
        root = str(Path(root) / "werkmonitor")
    return Path(root)


@lru_cache(maxsize=1)
def code_version() -> str:
    """The chart grammar's code and the versions of what it is built with."""
    h = hashlib.sha256()
    for path in sorted(Path(__file__).parent.glob("*.py")) + [
        Path(__file__).parents[1] / "formatting.py"
    ]:
        h.update(path.name.encode() + b"\0" + path.read_bytes())
    for package in ("altair", "vl-convert-python"):
        try:
            h.update(f"{package}={metadata.version(package)}".encode())
        except metadata.PackageNotFoundError:
            h.update(package.encode())
    return h.hexdigest()[:16]


def _file() -> Path | None:
    root = cache_dir()
    return None if root is None else root / f"chart-specs-{code_version()}.json"


def _specs(path: Path) -> dict[str, dict]:
    if path not in _LOADED:
        try:
            _LOADED[path] = json.loads(path.read_text("utf-8"))
        except (OSError, ValueError):
            _LOADED[path] = {}
    return _LOADED[path]


def cached_spec(key: str, make) -> dict:
    """The spec of ``key`` from the cache, else ``make()``, kept for the next process.

    What is returned is a fresh copy in either case: callers may change it.
    """
    path = _file()
    if path is None:
        return make()
    specs = _specs(path)
    if key in specs:
        return json.loads(json.dumps(specs[key]))
    spec = make()
    specs[key] = json.loads(json.dumps(spec))
    try:  # written whole and swapped in: a reader never sees half a file
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}")
        tmp.write_text(json.dumps(specs, separators=(",", ":")), "utf-8")
        os.replace(tmp, path)
    except OSError:
        pass
    return spec
