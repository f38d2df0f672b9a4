"""``assets.prefetch.meanwhile``: the later steps' imports happen during the dbt
build, are complete when the block ends, and a module that cannot be imported
is left for its step to raise (the block itself never fails on it)."""

from __future__ import annotations

import sys

from werkmonitor.assets import prefetch


def _module(tmp_path, name: str, body: str) -> str:
    (tmp_path / f"{name}.py").write_text(body, encoding="utf-8")
    return name


def test_modules_are_imported_when_the_block_ends(tmp_path, monkeypatch):
    monkeypatch.syspath_prepend(str(tmp_path))
    first = _module(tmp_path, "prefetch_probe_one", "VALUE = 1\n")
    second = _module(tmp_path, "prefetch_probe_two", "VALUE = 2\n")
    with prefetch.meanwhile((first,)):
        pass
    assert sys.modules[first].VALUE == 1
    # a second block in the same process imports what it is given (no state kept)
    with prefetch.meanwhile((second,)):
        pass
    assert sys.modules[second].VALUE == 2
    for name in (first, second):
        monkeypatch.delitem(sys.modules, name)


def test_a_failing_import_does_not_fail_the_block(tmp_path, monkeypatch):
    monkeypatch.syspath_prepend(str(tmp_path))
    broken = _module(tmp_path, "prefetch_probe_broken", "raise RuntimeError('boom')\n")
    after = _module(tmp_path, "prefetch_probe_after", "VALUE = 3\n")
    ran = []
    with prefetch.meanwhile((broken, after)):
        ran.append(True)
    assert ran == [True]
    assert broken not in sys.modules
    # the imports stop at the failure: the step that needs the rest imports it
    assert after not in sys.modules
