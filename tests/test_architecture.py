"""docs/architecture.md names every module, and every module is small enough to read.

The architecture page is the map a newcomer reads first (issue 14 §4): a
module it does not name is a module nobody can find. A module counts as
named when the page has its path (``loader/read.py``), or when a line that
names its package (``loader/``) also names the module (``read.py`` or
```read```). Every package needs its own mention (``quality/``).

Size: a module is meant to be read in one sitting. The house aim is ~110
lines; the hard limit here is 300 lines, about what fits in two screens of a
split editor at a time and the size above which the modules of this project
have so far mixed two jobs (publish/build.py: the file, the tiers and the
swap). Known modules over the limit are listed with their owner and must
shrink; the list may not grow, and an entry whose module got small (or
disappeared) fails too, so the list stays true.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "orchestration" / "werkmonitor"
ARCHITECTURE = ROOT / "docs" / "architecture.md"
MAX_LINES = 300
# module -> who splits it (round 3); do not add to this list, split the module
OVER_LIMIT: dict[str, str] = {}


def _modules() -> list[str]:
    return sorted(
        p.relative_to(PACKAGE).as_posix()
        for p in PACKAGE.rglob("*.py")
        if p.name != "__init__.py" and "__pycache__" not in p.parts
    )


def _packages() -> list[str]:
    """Every folder with Python modules (``publish/disclosure/`` has no ``__init__.py``)."""
    return sorted({
        p.parent.relative_to(PACKAGE).as_posix() + "/"
        for p in PACKAGE.rglob("*.py")
        if p.parent != PACKAGE and "__pycache__" not in p.parts
    })


def _is_named(module: str, text: str) -> bool:
    if f"`{module}`" in text or re.search(rf"[`/ ]{re.escape(module)}\b", text):
        return True
    package, _, name = module.rpartition("/")
    stem = name.removesuffix(".py")
    if not package:
        return False
    lines = [line for line in text.splitlines() if f"`{package}/" in line]
    return any(f"`{name}`" in line or f"`{stem}`" in line or f" {name}" in line
               for line in lines)


def test_the_listing_finds_the_package():
    # the checks below are only as good as the listing
    assert "loader/read.py" in _modules() and "runner.py" in _modules()
    assert "loader/" in _packages() and "publish/disclosure/" in _packages()
    assert not any(m.endswith("__init__.py") for m in _modules())


def test_is_named_needs_the_module_itself():
    text = "| `loader/` | `read.py`, `frame` |\n| `quality/` | gates |"
    assert _is_named("loader/read.py", text) and _is_named("loader/frame.py", text)
    assert not _is_named("loader/store.py", text)
    assert not _is_named("quality/gates.py", "| `quality/` | the GX quality gates |")


@pytest.mark.parametrize("module", _modules() + _packages())
def test_architecture_names_every_module_and_package(module):
    text = ARCHITECTURE.read_text(encoding="utf-8")
    if module.endswith("/"):
        assert f"`{module}" in text, f"docs/architecture.md does not name the package {module}"
    else:
        assert _is_named(module, text), f"docs/architecture.md does not name {module}"


def _lines(module: str) -> int:
    return len((PACKAGE / module).read_text(encoding="utf-8").splitlines())


@pytest.mark.parametrize("module", _modules())
def test_every_module_is_small_enough_to_read(module):
    if module in OVER_LIMIT:
        pytest.skip(f"{module}: over {MAX_LINES} lines, to be split by {OVER_LIMIT[module]}")
    assert _lines(module) <= MAX_LINES, (
        f"{module} has {_lines(module)} lines (limit {MAX_LINES}): split it by job"
    )


@pytest.mark.parametrize("module", sorted(OVER_LIMIT))
def test_the_over_limit_list_is_true(module):
    assert (PACKAGE / module).exists(), f"{module} is gone: remove it from OVER_LIMIT"
    assert _lines(module) > MAX_LINES, f"{module} is small now: remove it from OVER_LIMIT"
