"""Dutch number notation: the one formatter of reports, dashboard and published file.

Thousands with a dot (``4.763``), decimals with a comma (``37,5%``, ``16,0``),
through Babel's ``nl_NL`` locale. Rounding is **half up** (away from zero:
``0,3125`` → ``31,3%``): Babel rounds half to even, which readers report as a
mistake, so every value is quantized with :data:`decimal.ROUND_HALF_UP` first
and Babel only lays out the digits.

A float is read through its shortest ``repr`` (``0.145`` is taken as the
decimal 0,145, not as the binary 0,14499…), and percentages are scaled by 100
in decimal arithmetic, so a share that is exactly on a half rounds up the way a
reader working from numerator and denominator expects.

Missing values (None, NaN) format as ``""``; callers decide what a reader sees
instead (``–``, ``<5``, ``x``).
"""

from __future__ import annotations

import functools
import math
from decimal import ROUND_HALF_UP, Decimal
from numbers import Real

from babel import Locale
from babel.numbers import NumberPattern, parse_pattern

LOCALE = "nl_NL"
PP_UNIT = "procentpunt"
Number = Real | Decimal | None


def _decimal(value: Number) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, Decimal):
        return None if value.is_nan() else value
    as_float = float(value)
    if math.isnan(as_float) or math.isinf(as_float):
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return Decimal(value)
    return Decimal(repr(as_float))


@functools.cache
def _locale() -> Locale:
    return Locale.parse(LOCALE)


@functools.cache
def _pattern(decimals: int) -> NumberPattern:
    return parse_pattern("#,##0" + ("." + "0" * decimals if decimals > 0 else ""))


# Published files format ~10^5 values, most of them repeats: cache the layout
# (Babel's formatting is ~30 µs a call).
@functools.lru_cache(maxsize=1 << 16)
def _layout(number: Decimal, decimals: int, sign: bool) -> str:
    rounded = number.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    if rounded == 0:
        rounded = abs(rounded)  # no "-0,0"
    text = _pattern(decimals).apply(rounded, _locale())
    return "+" + text if sign and rounded > 0 else text


def _memo(fn):
    """``fn`` cached by its arguments (typed: ``5`` and ``5.0`` apart); a value that
    cannot be a key is formatted uncached. The reports and the dashboard format
    ~10^6 values a run, most of them repeats, and reading a float through its
    ``repr`` costs more than the look-up."""
    cached = functools.lru_cache(maxsize=1 << 17, typed=True)(fn)

    @functools.wraps(fn)
    def call(*args, **kwargs):
        try:
            return cached(*args, **kwargs)
        except TypeError:  # unhashable
            return fn(*args, **kwargs)

    return call


@_memo
def fmt_number(value: Number, decimals: int = 0, sign: bool = False) -> str:
    """``1234.56, 1`` → ``1.234,6``; ``sign`` puts ``+`` before positive numbers."""
    number = _decimal(value)
    return "" if number is None else _layout(number, decimals, sign)


def fmt_count(value: Number, sign: bool = False) -> str:
    """A number of people: ``4763`` → ``4.763``."""
    return fmt_number(value, 0, sign)


def fmt_ratio(value: Number, sign: bool = False) -> str:
    """A ratio (clients per fte, average per organisation): ``16`` → ``16,0``."""
    return fmt_number(value, 1, sign)


@_memo
def fmt_pct(fraction: Number, decimals: int = 1, sign: bool = False) -> str:
    """A fraction as a percentage: ``0.375`` → ``37,5%``; ``-0.031, sign`` → ``-3,1%``."""
    number = _decimal(fraction)
    return "" if number is None else _layout(number.scaleb(2), decimals, sign) + "%"


@_memo
def fmt_pp(points_fraction: Number, decimals: int = 1, sign: bool = True) -> str:
    """A change between two shares, given as a fraction: ``0.009`` → ``+0,9 procentpunt``."""
    number = _decimal(points_fraction)
    if number is None:
        return ""
    return _layout(number.scaleb(2), decimals, sign) + " " + PP_UNIT


def fmt_value(value: Number, kind: str) -> str:
    """An indicator value by its catalogue ``kind`` (``count``, ``share``, ``ratio``)."""
    if kind == "count":
        return fmt_count(value)
    if kind == "share":
        return fmt_pct(value)
    if kind == "ratio":
        return fmt_ratio(value)
    raise ValueError(f"unknown indicator kind {kind!r} (count, share or ratio)")


def fmt_change(current: Number, previous: Number, kind: str) -> str:
    """The change from ``previous`` to ``current`` as the reports write it.

    Shares change in percentage points (``+0,9 procentpunt``), counts in
    percent of the previous value (``-3,1%``; ``""`` when the previous value is
    0), ratios by their difference (``+1,2``).
    """
    cur, prev = _decimal(current), _decimal(previous)
    if cur is None or prev is None:
        return ""
    if kind == "share":
        return fmt_pp(cur - prev)
    if kind == "count":
        return "" if prev == 0 else _layout(((cur - prev) / prev).scaleb(2), 1, True) + "%"
    if kind == "ratio":
        return fmt_ratio(cur - prev, sign=True)
    raise ValueError(f"unknown indicator kind {kind!r} (count, share or ratio)")


__all__ = [
    "fmt_change",
    "fmt_count",
    "fmt_number",
    "fmt_pct",
    "fmt_pp",
    "fmt_ratio",
    "fmt_value",
]
