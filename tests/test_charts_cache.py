"""Chart shapes kept between processes (``charts.cache``): a shape built once on a
machine is read, not rebuilt, by the next process, and gives the builder's spec."""

from __future__ import annotations

import pandas as pd
import pytest

from werkmonitor import charts
from werkmonitor.charts import cache, figures


def _rows(values):
    return [
        {"category": c, "series": "Totaal", "value": v, "label": "x" if v is None else str(v)}
        for c, v in zip(("UWV", "Gemeente", "Overig"), values, strict=True)
    ]


@pytest.fixture()
def fresh_process(monkeypatch, tmp_path):
    """A new process's state: no shape known in memory, the cache in ``tmp_path``."""
    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path))
    monkeypatch.setattr(figures, "_SHAPES", {})
    monkeypatch.setattr(figures, "_SWAPPED", {})
    monkeypatch.setattr(cache, "_LOADED", {})
    return tmp_path


def test_a_shape_built_once_is_read_by_the_next_process(fresh_process, monkeypatch):
    first = charts.figure(charts.bar_chart, _rows([3, 4, 5]), kind="count")
    assert first == charts.bar_chart(pd.DataFrame(_rows([3, 4, 5])), kind="count")
    assert len(list(fresh_process.glob("chart-specs-*.json"))) == 1
    # The next process: nothing in memory, and the builder must not be run again.
    monkeypatch.setattr(figures, "_SHAPES", {})
    monkeypatch.setattr(cache, "_LOADED", {})

    def never(*_a, **_k):
        raise AssertionError("the builder ran although the shape is cached")

    never.__name__ = "bar_chart"
    rows = _rows([7, None, 1])
    again = charts.figure(never, rows, kind="count")
    assert again == charts.bar_chart(pd.DataFrame(rows), kind="count")
    labels = [r["label"] for r in again["datasets"]["main"]]
    assert labels == ["7", "x", "1"]


def test_another_shape_is_built(fresh_process):
    charts.figure(charts.bar_chart, _rows([3, 4, 5]), kind="count")
    share = charts.figure(charts.bar_chart, _rows([0.5, 0.25, 0.25]), kind="share")
    assert share == charts.bar_chart(pd.DataFrame(_rows([0.5, 0.25, 0.25])), kind="share")


def test_cache_off_writes_nothing(monkeypatch, tmp_path):
    monkeypatch.setenv(cache.CACHE_ENV, "off")
    monkeypatch.setattr(figures, "_SHAPES", {})
    monkeypatch.setattr(cache, "_LOADED", {})
    spec = charts.figure(charts.bar_chart, _rows([3, 4, 5]), kind="count")
    assert spec == charts.bar_chart(pd.DataFrame(_rows([3, 4, 5])), kind="count")
    assert cache.cache_dir() is None
    assert not list(tmp_path.iterdir())


def test_unreadable_cache_file_is_ignored(fresh_process):
    (fresh_process / f"chart-specs-{cache.code_version()}.json").write_text("{not json")
    spec = charts.figure(charts.bar_chart, _rows([3, 4, 5]), kind="count")
    assert spec == charts.bar_chart(pd.DataFrame(_rows([3, 4, 5])), kind="count")
