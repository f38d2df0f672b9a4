"""Dutch number notation with half-up rounding (werkmonitor.formatting)."""

from __future__ import annotations

import math
from decimal import Decimal

import numpy as np
import pytest

from werkmonitor.formatting import (
    fmt_change,
    fmt_count,
    fmt_number,
    fmt_pct,
    fmt_pp,
    fmt_ratio,
    fmt_value,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (4763, "4.763"),
        (4763.0, "4.763"),
        (999, "999"),
        (1234567, "1.234.567"),
        (0, "0"),
        (2.5, "3"),  # half up, not to even (Babel alone gives 2)
        (3.5, "4"),
        (-2.5, "-3"),  # half away from zero
        (-0.4, "0"),  # no "-0"
        (np.float64(1000.0), "1.000"),
        (np.int64(12), "12"),
    ],
)
def test_counts(value, expected):
    assert fmt_count(value) == expected


@pytest.mark.parametrize(
    ("fraction", "expected"),
    [
        (0.3125, "31,3%"),  # the documented case; Babel alone gives 31,2%
        (0.375, "37,5%"),
        (0.145, "14,5%"),
        (178 / (2496 - 903), "11,2%"),  # published Q1 2023 job_started
        (45 / 903, "5,0%"),  # published Q1 2023 job_stopped
        (1.0, "100,0%"),
        (0.0, "0,0%"),
        (12.3456, "1.234,6%"),
    ],
)
def test_percentages(fraction, expected):
    assert fmt_pct(fraction) == expected


def test_percentage_half_up_at_zero_decimals_and_from_decimal():
    # 0.145 * 100 is 14.499999999999998 in binary floating point; the reader's
    # 29 / 200 is exactly 14,5% and rounds up to 15%.
    assert fmt_pct(29 / 200, 0) == "15%"
    assert fmt_pct(Decimal("0.00125"), 1) == "0,1%"
    assert fmt_pct(0.00124999, 1) == "0,1%"
    assert fmt_pct(0.0012, 1) == "0,1%"
    assert fmt_pct(0.00049, 1) == "0,0%"


def test_signed_values():
    assert fmt_pct(-0.031, sign=True) == "-3,1%"
    assert fmt_pct(0.031, sign=True) == "+3,1%"
    assert fmt_pct(0.0, sign=True) == "0,0%"
    assert fmt_number(1234.56, 1) == "1.234,6"
    assert fmt_number(-1234.55, 1, sign=True) == "-1.234,6"
    assert fmt_count(167, sign=True) == "+167"


def test_percentage_points():
    assert fmt_pp(0.009) == "+0,9 procentpunt"
    assert fmt_pp(-0.0125) == "-1,3 procentpunt"
    assert fmt_pp(0.0) == "0,0 procentpunt"
    assert fmt_pp(0.009, sign=False) == "0,9 procentpunt"


def test_ratio_and_value_by_kind():
    assert fmt_ratio(16) == "16,0"
    assert fmt_ratio(15.95) == "16,0"
    assert fmt_value(4763, "count") == "4.763"
    assert fmt_value(0.3125, "share") == "31,3%"
    assert fmt_value(16, "ratio") == "16,0"
    with pytest.raises(ValueError, match="kind"):
        fmt_value(1, "median")


def test_changes_by_kind():
    assert fmt_change(0.40, 0.391, "share") == "+0,9 procentpunt"
    assert fmt_change(2420, 2496, "count") == "-3,0%"  # -76 / 2496 = -3,04%
    assert fmt_change(1000, 1000, "count") == "0,0%"
    assert fmt_change(10, 0, "count") == ""
    assert fmt_change(16.0, 14.8, "ratio") == "+1,2"
    assert fmt_change(None, 3, "count") == ""


@pytest.mark.parametrize("missing", [None, math.nan, np.nan, float("inf"), Decimal("NaN")])
def test_missing_values_are_empty(missing):
    assert fmt_number(missing) == ""
    assert fmt_pct(missing) == ""
    assert fmt_pp(missing) == ""
