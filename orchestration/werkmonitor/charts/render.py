"""Static rendering (SVG/PNG for the reports) and the offline JavaScript bundle.

Everything runs in-process through vl-convert (Deno + the Vega libraries
compiled in): no browser, no network. ``allowed_base_urls=[]`` forbids any
data URL, so a spec can only draw the rows it carries.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
from html import escape
from pathlib import Path
from typing import Any

from werkmonitor.charts.cache import cache_dir
from werkmonitor.charts.theme import NUMBER_LOCALE, VEGA_LITE_VERSION


def _vlc():
    import vl_convert  # imported lazily: it loads a JavaScript runtime

    return vl_convert


def to_svg(spec: dict[str, Any]) -> str:
    """The chart as an SVG document (text).

    The spec's ``description`` becomes the SVG's ``<title>`` and ``aria-label``
    (``role="img"``), so a screen reader in a report reads the figures.
    """
    svg = _vlc().vegalite_to_svg(
        spec,
        vl_version=VEGA_LITE_VERSION,
        format_locale=NUMBER_LOCALE,
        allowed_base_urls=[],
    )
    text = escape(spec.get("description") or "", quote=True)
    if not text:
        return svg
    return re.sub(
        r"<svg\b([^>]*)>",
        lambda m: f'<svg{m.group(1)} role="img" aria-label="{text}"><title>{text}</title>',
        svg,
        count=1,
    )


def to_png(spec: dict[str, Any], scale: float = 2.0) -> bytes:
    """The chart as PNG bytes (``scale`` 2 for print sharpness)."""
    return _vlc().vegalite_to_png(
        spec,
        vl_version=VEGA_LITE_VERSION,
        scale=scale,
        format_locale=NUMBER_LOCALE,
        allowed_base_urls=[],
    )


@functools.cache
def javascript_bundle() -> str:
    """vega, vega-lite and vega-embed in one script (globals ``vega``, ``vegaLite``,
    ``vegaEmbed``), for pages that must work offline."""
    return _vlc().javascript_bundle(vl_version=VEGA_LITE_VERSION)


def bundle_header() -> str:
    """First line of a bundle file: which vl-convert and Vega-Lite it holds."""
    from importlib.metadata import version

    vlc = version("vl-convert-python")
    return f"/* werkmonitor charts: vl-convert {vlc}, vega-lite {VEGA_LITE_VERSION} */\n"


def _is_current(path: Path, header: str) -> bool:
    try:
        with open(path, encoding="utf-8") as f:
            return f.readline() == header
    except (FileNotFoundError, UnicodeDecodeError):
        return False


# Where a built bundle is kept between runs (``off``: nowhere); default
# ``$XDG_CACHE_HOME/werkmonitor`` or ``~/.cache/werkmonitor``.


def bundle_cache(header: str | None = None) -> Path | None:
    """The cache file of this version's bundle (None when caching is off).

    The bundle is a pure function of the vl-convert and Vega-Lite versions
    (its header names both, and so does the file name), and building it is
    the largest fixed cost of a run's reports (~1,5–4 CPU s, more than all of
    one quarter's reports): a fresh clone or a fresh publish folder on the
    same machine links the cached one instead.
    """
    root = cache_dir()
    if root is None:
        return None
    name = re.sub(r"[^0-9A-Za-z.]+", "-", (header or bundle_header()).strip("/* \n"))
    return root / f"{name}.js"


def _place(source: Path, tmp: Path) -> None:
    tmp.unlink(missing_ok=True)
    try:
        os.link(source, tmp)
    except OSError:  # another file system, or links not allowed
        shutil.copyfile(source, tmp)


def _build_cached(header: str) -> Path | None:
    """Build the bundle into the cache; None when the cache cannot be written."""
    cache = bundle_cache(header)
    if cache is None:
        return None
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        tmp = cache.with_name(f".{cache.name}.tmp-{os.getpid()}")
        tmp.write_text(header + javascript_bundle(), encoding="utf-8")
        os.replace(tmp, cache)
    except OSError:
        return None
    return cache


def write_bundle(target: Path, *sources: Path | None) -> Path:
    """:func:`javascript_bundle` as a file at ``target`` (for pages that load it offline).

    Kept when ``target`` already holds this version's bundle, else linked
    (a hard link; a copy across file systems) to the first of ``sources``
    that does, or to the cached one (:func:`bundle_cache`), else built (into
    the cache when it can be written): building the bundle costs vl-convert
    more than a second, and every quarter's reports, each organisation's
    folder and the dashboard share it (45 copies of 0,9 MB were a tenth of
    the reports' writing). A bundle file is only ever replaced, never written
    in place, so a link cannot change under another folder.
    """
    target, header = Path(target), bundle_header()
    if _is_current(target, header):
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.tmp-{os.getpid()}")
    candidates = [Path(s) for s in sources if s] + [c for c in [bundle_cache(header)] if c]
    source = next((s for s in candidates if _is_current(s, header)), None)
    if source is None:
        source = _build_cached(header)
    if source is not None:
        _place(source, tmp)
    else:
        tmp.write_text(header + javascript_bundle(), encoding="utf-8")
    os.replace(tmp, target)
    return target
