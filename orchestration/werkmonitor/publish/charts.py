"""Charts for the reports as inline SVG (matplotlib, Agg backend).

matplotlib is imported inside the functions: importing this module (as the
Dagster definitions do, indirectly) must stay cheap. Hidden (suppressed)
values are not drawn; the bar's place carries its mask (``<5``/``x``) so a
chart never shows what the published file hides.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence

from werkmonitor.publish.formatting import fmt_count, fmt_pct

PALETTE = ["#1f5f8b", "#e07b39", "#5aa469", "#b23a48", "#7d5ba6", "#c9a227", "#4a9fb5"]


def _plt():
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    plt.rcParams.update(
        {
            "svg.hashsalt": "werkmonitor",
            "svg.fonttype": "none",
            "font.family": "DejaVu Sans",
            "font.size": 9,
            "axes.spines.top": False,
            "axes.spines.right": False,
        }
    )
    return plt


def _to_svg(fig, plt) -> str:
    buf = io.StringIO()
    # Fixed margins instead of bbox_inches="tight": tight boxes draw every
    # figure twice, and a quarter renders a few hundred charts.
    fig.savefig(buf, format="svg", metadata={"Date": None})
    plt.close(fig)
    svg = buf.getvalue()
    svg = svg[svg.index("<svg") :]
    svg = re.sub(r"<metadata>.*?</metadata>", "", svg, flags=re.S)
    # Fixed size in the page: scale with the container instead.
    return re.sub(r'(<svg[^>]*?) width="[^"]+" height="[^"]+"', r"\1", svg, count=1)


def _formatter(percent: bool):
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda v, _pos: fmt_pct(v, 0) if percent else fmt_count(v))


def bar_chart(
    categories: Sequence[str],
    series: dict[str, Sequence[float | None]],
    masks: dict[str, Sequence[str | None]] | None = None,
    percent: bool = False,
    horizontal: bool = False,
    title: str = "",
    signed: bool = False,
) -> str:
    """Grouped bars; a None value is hidden and shows its mask text instead."""
    plt = _plt()
    n_cat, n_ser = len(categories), max(len(series), 1)
    fig, ax = plt.subplots(figsize=(7.2, max(2.4, 0.42 * n_cat * (n_ser if horizontal else 0.5))))
    width = 0.8 / n_ser
    for s, (name, values) in enumerate(series.items()):
        labels = (masks or {}).get(name) or [None] * n_cat
        labelled = False
        for i, value in enumerate(values):
            pos = i - 0.4 + width * (s + 0.5)
            color = PALETTE[s % len(PALETTE)]
            if value is None:
                text = labels[i] or "x"
                if horizontal:
                    ax.text(0, pos, f" {text}", va="center", ha="left", color="#666", fontsize=8)
                else:
                    ax.text(pos, 0, text, ha="center", va="bottom", color="#666", fontsize=8)
                continue
            shown = fmt_pct(value, 1, sign=signed) if percent else fmt_count(value, sign=signed)
            legend = None if labelled else name
            labelled = True
            if horizontal:
                ax.barh(pos, value, height=width, color=color, label=legend)
                ax.text(
                    value,
                    pos,
                    f" {shown} " if value >= 0 else f"{shown} ",
                    va="center",
                    ha="left" if value >= 0 else "right",
                    fontsize=8,
                )
            else:
                ax.bar(pos, value, width=width, color=color, label=legend)
                ax.text(
                    pos, value, shown, ha="center", va="bottom" if value >= 0 else "top", fontsize=8
                )
    ticks = list(range(n_cat))
    if horizontal:
        ax.set_yticks(ticks, categories)
        ax.invert_yaxis()
        ax.xaxis.set_major_formatter(_formatter(percent))
        ax.margins(x=0.18)
    else:
        ax.set_xticks(
            ticks,
            categories,
            rotation=0 if n_cat <= 4 else 20,
            ha="center" if n_cat <= 4 else "right",
        )
        ax.yaxis.set_major_formatter(_formatter(percent))
        ax.margins(y=0.15)
    if signed:
        (ax.axvline if horizontal else ax.axhline)(0, color="#333", linewidth=0.8)
    if len(series) > 1 and ax.get_legend_handles_labels()[1]:
        ax.legend(frameon=False, fontsize=8, loc="best")
    if title:
        ax.set_title(title, fontsize=10, loc="left")
    if horizontal:
        fig.subplots_adjust(left=0.2, right=0.95, top=0.95, bottom=0.12)
    else:
        fig.subplots_adjust(left=0.1, right=0.98, top=0.93, bottom=0.12 if n_cat <= 4 else 0.26)
    return _to_svg(fig, plt)


def line_chart(
    periods: Sequence[str], series: dict[str, Sequence[float | None]], title: str = ""
) -> str:
    """Shares over time; hidden points are gaps in the line."""
    plt = _plt()
    fig, ax = plt.subplots(figsize=(7.2, 3.0))
    xs = list(range(len(periods)))
    for s, (name, values) in enumerate(series.items()):
        ys = [float("nan") if v is None else v for v in values]
        ax.plot(xs, ys, marker="o", color=PALETTE[s % len(PALETTE)], label=name)
        for x, y in zip(xs, values, strict=True):
            if y is not None:
                ax.annotate(
                    fmt_pct(y),
                    (x, y),
                    textcoords="offset points",
                    xytext=(0, 6),
                    ha="center",
                    fontsize=7,
                )
    ax.set_xticks(xs, periods)
    ax.yaxis.set_major_formatter(_formatter(True))
    ax.set_ylim(bottom=0)
    ax.margins(x=0.08, y=0.2)
    ax.legend(frameon=False, fontsize=8, loc="lower left")
    if title:
        ax.set_title(title, fontsize=10, loc="left")
    fig.subplots_adjust(left=0.1, right=0.98, top=0.93, bottom=0.1)
    return _to_svg(fig, plt)


def stacked_share_chart(
    categories: Sequence[str], parts: dict[str, Sequence[float | None]], title: str = ""
) -> str:
    """Horizontal 100% bars (outflow by category); a category with any hidden
    part is drawn empty and marked x."""
    plt = _plt()
    fig, ax = plt.subplots(figsize=(7.2, max(1.8, 0.5 * len(categories) + 0.8)))
    labelled: set[str] = set()
    for i in range(len(categories)):
        values = [parts[name][i] for name in parts]
        if any(v is None for v in values):
            ax.text(0.01, i, "x (niet getoond)", va="center", color="#666", fontsize=8)
            continue
        left = 0.0
        for s, (name, value) in enumerate(zip(parts, values, strict=True)):
            ax.barh(
                i,
                value,
                left=left,
                color=PALETTE[s % len(PALETTE)],
                label=None if name in labelled else name,
            )
            labelled.add(name)
            if value >= 0.06:
                ax.text(
                    left + value / 2,
                    i,
                    fmt_pct(value, 0),
                    ha="center",
                    va="center",
                    color="white",
                    fontsize=8,
                )
            left += value
    ax.set_yticks(range(len(categories)), categories)
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.xaxis.set_major_formatter(_formatter(True))
    handles, labels = ax.get_legend_handles_labels()
    seen = dict(zip(labels, handles, strict=True))
    ax.legend(
        seen.values(),
        seen.keys(),
        frameon=False,
        fontsize=8,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.15),
        ncol=3,
    )
    if title:
        ax.set_title(title, fontsize=10, loc="left")
    fig.subplots_adjust(left=0.16, right=0.97, top=0.95, bottom=0.3)
    return _to_svg(fig, plt)
