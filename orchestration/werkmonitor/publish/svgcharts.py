"""Light charts as hand-written SVG, same API as :mod:`charts`.

A quarter has ~80 regional and organisation reports with up to 15 charts each;
matplotlib needs ~0.1–0.5 s per chart, which made rendering a quarter take
minutes. These charts are plain SVG strings (milliseconds) for those reports;
the national report keeps the matplotlib charts. Hidden (suppressed) values
are not drawn; their place shows the mask.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape

from werkmonitor.publish.charts import PALETTE
from werkmonitor.publish.formatting import fmt_count, fmt_pct

FONT = 'font-family="DejaVu Sans, Arial, sans-serif"'
CHAR_W = 6.4  # average glyph width at 11px, for laying out labels


def _fmt(value: float, percent: bool, sign: bool = False) -> str:
    return fmt_pct(value, 1, sign=sign) if percent else fmt_count(value, sign=sign)


def _ticks(lo: float, hi: float) -> list[float]:
    """Round tick values covering [lo, hi] (0 included), 3–6 intervals."""
    if lo == hi == 0:
        return [0.0, 1.0]  # all zeros: an axis from 0 to 1 (or 100%), never a zero span
    span = (hi - lo) or 1.0
    raw = span / 5
    exp = 10 ** math.floor(math.log10(raw))
    step = next(m * exp for m in (1, 2, 2.5, 5, 10) if raw <= m * exp)
    first = math.floor(lo / step + 1e-9) * step
    last = math.ceil(hi / step - 1e-9) * step
    n = max(round((last - first) / step), 1)  # all zeros: still one interval, 0 to step
    return [first + k * step for k in range(n + 1)]


def _svg(width: float, height: float, body: list[str]) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {height:.0f}" '
        f'role="img" {FONT} font-size="11">' + "".join(body) + "</svg>"
    )


def _text(x, y, text, anchor="start", color="#1d2b36", size=11, extra="") -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" fill="{color}" '
        f'font-size="{size}" {extra}>{escape(str(text))}</text>'
    )


def _legend(names: Sequence[str], x: float, y: float) -> list[str]:
    out = []
    for s, name in enumerate(names):
        out.append(
            f'<rect x="{x:.1f}" y="{y - 9:.1f}" width="10" height="10" '
            f'fill="{PALETTE[s % len(PALETTE)]}"/>'
        )
        out.append(_text(x + 14, y, name))
        x += 24 + CHAR_W * len(name)
    return out


def bar_chart(
    categories: Sequence[str],
    series: dict[str, Sequence[float | None]],
    masks: dict[str, Sequence[str | None]] | None = None,
    percent: bool = False,
    horizontal: bool = False,
    title: str = "",
    signed: bool = False,
) -> str:
    names = list(series)
    values = [v for vs in series.values() for v in vs if v is not None]
    ticks = _ticks(min([0.0, *values]), max([0.0, *values]))
    bottom, top = ticks[0], ticks[-1]
    span = (top - bottom) or 1.0
    n_cat, n_ser = len(categories), max(len(names), 1)
    body: list[str] = []
    if horizontal:
        label_w = 12 + CHAR_W * max((len(c) for c in categories), default=4)
        row_h = 10 + 14 * n_ser
        width, plot_w = 720.0, 720.0 - label_w - 70
        height = 20 + row_h * n_cat + (24 if len(names) > 1 else 8)
        x0 = label_w + plot_w * (-bottom / span)

        def sx(v: float) -> float:
            return label_w + plot_w * ((v - bottom) / span)

        for i, cat in enumerate(categories):
            y = 10 + i * row_h
            body.append(_text(label_w - 6, y + row_h / 2 + 4, cat, "end"))
            for s, name in enumerate(names):
                value = series[name][i]
                by = y + 5 + s * 14
                if value is None:
                    mask = ((masks or {}).get(name) or [None] * n_cat)[i] or "x"
                    body.append(_text(x0 + 4, by + 10, mask, color="#666", size=10))
                    continue
                left, right = sorted((sx(0), sx(value)))
                body.append(
                    f'<rect x="{left:.1f}" y="{by:.1f}" width="{right - left:.1f}" '
                    f'height="12" fill="{PALETTE[s % len(PALETTE)]}"/>'
                )
                label = _fmt(value, percent, signed)
                if value >= 0:
                    body.append(_text(right + 4, by + 10, label, size=10))
                else:
                    body.append(_text(left - 4, by + 10, label, "end", size=10))
        body.append(
            f'<line x1="{x0:.1f}" y1="6" x2="{x0:.1f}" y2="{10 + row_h * n_cat:.1f}" '
            'stroke="#333"/>'
        )
        if len(names) > 1:
            body += _legend(names, label_w, height - 6)
        return _svg(width, height, body)

    width, height = 720.0, 300.0
    left, right, top_m = 56.0, 10.0, 16.0
    rotate = n_cat > 4
    bottom_m = 70.0 if rotate else 34.0
    legend_h = 20.0 if len(names) > 1 else 0.0
    plot_h = height - top_m - bottom_m - legend_h
    plot_w = width - left - right

    def sy(v: float) -> float:
        return top_m + plot_h * (1 - (v - bottom) / span)

    for v in ticks:
        body.append(
            f'<line x1="{left}" y1="{sy(v):.1f}" x2="{width - right}" y2="{sy(v):.1f}" '
            'stroke="#e3e8ec"/>'
        )
        label = fmt_pct(v, 0) if percent else fmt_count(v)
        body.append(_text(left - 6, sy(v) + 4, label, "end", size=10))
    slot = plot_w / max(n_cat, 1)
    bar_w = slot * 0.8 / n_ser
    for i, cat in enumerate(categories):
        cx = left + slot * (i + 0.5)
        if rotate:
            body.append(
                _text(
                    cx,
                    height - bottom_m - legend_h + 14,
                    cat,
                    "end",
                    extra=f'transform="rotate(-25 {cx:.1f} '
                    f'{height - bottom_m - legend_h + 14:.1f})"',
                )
            )
        else:
            body.append(_text(cx, height - bottom_m - legend_h + 16, cat, "middle"))
        for s, name in enumerate(names):
            value = series[name][i]
            bx = cx - slot * 0.4 + bar_w * s
            if value is None:
                mask = ((masks or {}).get(name) or [None] * n_cat)[i] or "x"
                body.append(_text(bx + bar_w / 2, sy(0) - 3, mask, "middle", "#666", 10))
                continue
            y1, y2 = sorted((sy(0), sy(value)))
            body.append(
                f'<rect x="{bx:.1f}" y="{y1:.1f}" width="{bar_w:.1f}" '
                f'height="{y2 - y1:.1f}" fill="{PALETTE[s % len(PALETTE)]}"/>'
            )
            ty = y1 - 3 if value >= 0 else y2 + 11
            body.append(_text(bx + bar_w / 2, ty, _fmt(value, percent, signed), "middle", size=10))
    body.append(
        f'<line x1="{left}" y1="{sy(0):.1f}" x2="{width - right}" y2="{sy(0):.1f}" stroke="#333"/>'
    )
    if len(names) > 1:
        body += _legend(names, left, height - 6)
    return _svg(width, height, body)


def line_chart(
    periods: Sequence[str], series: dict[str, Sequence[float | None]], title: str = ""
) -> str:
    width, height = 720.0, 260.0
    left, right, top_m, bottom_m = 56.0, 30.0, 16.0, 56.0
    plot_w, plot_h = width - left - right, height - top_m - bottom_m
    values = [v for vs in series.values() for v in vs if v is not None]
    ticks = _ticks(0.0, max(values, default=1.0))
    top = ticks[-1]  # > 0: _ticks spans at least one interval
    body: list[str] = []

    def sx(i: int) -> float:
        return left + (plot_w * (i + 0.5) / max(len(periods), 1))

    def sy(v: float) -> float:
        return top_m + plot_h * (1 - v / top)

    for v in ticks:
        body.append(
            f'<line x1="{left}" y1="{sy(v):.1f}" x2="{width - right}" y2="{sy(v):.1f}" '
            'stroke="#e3e8ec"/>'
        )
        body.append(_text(left - 6, sy(v) + 4, fmt_pct(v, 0), "end", size=10))
    for i, period in enumerate(periods):
        body.append(_text(sx(i), height - bottom_m + 16, period, "middle"))
    for s, (_name, vals) in enumerate(series.items()):
        color = PALETTE[s % len(PALETTE)]
        run: list[str] = []
        for i, v in enumerate(vals):
            if v is None:
                if len(run) > 1:
                    body.append(
                        f'<polyline points="{" ".join(run)}" fill="none" '
                        f'stroke="{color}" stroke-width="2"/>'
                    )
                run = []
                continue
            run.append(f"{sx(i):.1f},{sy(v):.1f}")
            body.append(f'<circle cx="{sx(i):.1f}" cy="{sy(v):.1f}" r="3.5" fill="{color}"/>')
            body.append(_text(sx(i), sy(v) - 7, fmt_pct(v), "middle", size=10))
        if len(run) > 1:
            body.append(
                f'<polyline points="{" ".join(run)}" fill="none" stroke="{color}" '
                'stroke-width="2"/>'
            )
    body += _legend(list(series), left, height - 8)
    return _svg(width, height, body)


def stacked_share_chart(
    categories: Sequence[str], parts: dict[str, Sequence[float | None]], title: str = ""
) -> str:
    names = list(parts)
    label_w = 12 + CHAR_W * max((len(c) for c in categories), default=4)
    width, row_h = 720.0, 26.0
    plot_w = width - label_w - 20
    height = 12 + row_h * len(categories) + 28
    body: list[str] = []
    for i, cat in enumerate(categories):
        y = 8 + i * row_h
        body.append(_text(label_w - 6, y + 15, cat, "end"))
        values = [parts[name][i] for name in names]
        if any(v is None for v in values):
            body.append(_text(label_w + 4, y + 15, "x (niet getoond)", color="#666", size=10))
            continue
        x = label_w
        total = max(sum(values), 1.0)  # a small cell's parts can add up to over 100%
        for s, v in enumerate(values):
            w = plot_w * max(v, 0.0) / total
            body.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="20" '
                f'fill="{PALETTE[s % len(PALETTE)]}"/>'
            )
            if v >= 0.06:
                body.append(_text(x + w / 2, y + 14, fmt_pct(v, 0), "middle", "#fff", 10))
            x += w
    body += _legend(names, label_w, height - 8)
    return _svg(width, height, body)


def cohort_chart(curves: dict[str, Sequence[tuple[int, float, float, float]]]) -> str:
    """Share by month since start, one line per curve with its 95% band shaded."""
    width, height = 720.0, 280.0
    left, right, top_m, bottom_m = 56.0, 20.0, 16.0, 56.0
    plot_w, plot_h = width - left - right, height - top_m - bottom_m
    uppers = [hi for pts in curves.values() for _m, _v, _lo, hi in pts]
    ticks = _ticks(0.0, max(uppers, default=1.0))
    top = ticks[-1]
    last = max([m for pts in curves.values() for m, *_ in pts] + [12])

    def sx(m: float) -> float:
        return left + plot_w * m / last

    def sy(v: float) -> float:
        return top_m + plot_h * (1 - v / top)

    body: list[str] = []
    for v in ticks:
        body.append(
            f'<line x1="{left}" y1="{sy(v):.1f}" x2="{width - right}" y2="{sy(v):.1f}" '
            'stroke="#e3e8ec"/>'
        )
        body.append(_text(left - 6, sy(v) + 4, fmt_pct(v, 0), "end", size=10))
    for m in range(0, last + 1, 6):
        body.append(_text(sx(m), height - bottom_m + 16, str(m), "middle", size=10))
    body.append(
        _text(left + plot_w / 2, height - bottom_m + 32, "maanden sinds de start", "middle")
    )
    for s, pts in enumerate(curves.values()):
        color = PALETTE[s % len(PALETTE)]
        if not pts:
            continue
        band = [f"{sx(m):.1f},{sy(hi):.1f}" for m, _v, _lo, hi in pts]
        band += [f"{sx(m):.1f},{sy(lo):.1f}" for m, _v, lo, _hi in reversed(pts)]
        body.append(f'<polygon points="{" ".join(band)}" fill="{color}" fill-opacity="0.18"/>')
        line = " ".join(f"{sx(m):.1f},{sy(v):.1f}" for m, v, _lo, _hi in pts)
        body.append(f'<polyline points="{line}" fill="none" stroke="{color}" stroke-width="2"/>')
        m, v, _lo, _hi = pts[-1]
        body.append(_text(sx(m) + 4, sy(v) + 4, fmt_pct(v), size=10, color=color))
    body += _legend(list(curves), left, height - 8)
    return _svg(width, height, body)
