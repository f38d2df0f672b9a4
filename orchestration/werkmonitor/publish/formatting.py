"""Dutch number notation, as the published reports write numbers.

Thousands with a dot (``4.763``), decimals with a comma (``37,5%``), rounding
half up (``0,05`` → ``0,1``, not banker's rounding, which readers would
report as a mistake).
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal


def _is_missing(value: float | int | None) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _group_thousands(digits: str) -> str:
    out = []
    while len(digits) > 3:
        out.insert(0, digits[-3:])
        digits = digits[:-3]
    out.insert(0, digits)
    return ".".join(out)


def fmt_number(value: float | int | None, decimals: int = 0, sign: bool = False) -> str:
    """``1234.56, 1`` → ``1.234,6``; ``sign`` adds ``+`` to positive numbers."""
    if _is_missing(value):
        return ""
    quantum = Decimal(1).scaleb(-decimals)
    rounded = Decimal(repr(float(value))).quantize(quantum, rounding=ROUND_HALF_UP)
    if rounded == 0:
        rounded = abs(rounded)
    negative = rounded < 0
    text = f"{abs(rounded):.{decimals}f}"
    whole, _, frac = text.partition(".")
    out = _group_thousands(whole) + ("," + frac if frac else "")
    if negative:
        return "-" + out
    return ("+" + out) if sign and rounded > 0 else out


def fmt_count(value: float | int | None, sign: bool = False) -> str:
    return fmt_number(value, 0, sign)


def fmt_pct(fraction: float | None, decimals: int = 1, sign: bool = False) -> str:
    """A fraction as a percentage: ``0.375`` → ``37,5%``."""
    if _is_missing(fraction):
        return ""
    return fmt_number(float(fraction) * 100, decimals, sign) + "%"


def fmt_pp(points_fraction: float | None, sign: bool = True) -> str:
    """A change in percentage points given as a fraction: ``0.009`` → ``+0,9 procentpunt``."""
    if _is_missing(points_fraction):
        return ""
    return fmt_number(float(points_fraction) * 100, 1, sign) + " procentpunt"
