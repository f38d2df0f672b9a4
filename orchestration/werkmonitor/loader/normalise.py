"""Vectorised normalisers: delivered text → typed values plus a mask of bad cells.

Each returns ``(values, bad)`` where ``values`` is the typed pyarrow array
(null where empty or unparseable) and ``bad`` a boolean array that is true
where a non-empty cell could not be parsed. Empty cells are never bad here;
whether a value is required is a rule of its own.
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

_NULL_STR = pa.scalar(None, pa.string())

_DATE_PATTERNS = (
    (r"^(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})$"),  # YYYY-MM-DD
    (r"^(?P<d>\d{1,2})-(?P<m>\d{1,2})-(?P<y>\d{4})$"),  # DD-MM-YYYY, D-M-YYYY
    (r"^(?P<d>\d{2})/(?P<m>\d{2})/(?P<y>\d{4})$"),  # DD/MM/YYYY
)
_DAYS_IN_MONTH = pa.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], pa.int32())

TRUE_WORDS = ("ja", "j", "1", "true")
FALSE_WORDS = ("nee", "n", "0", "false")


def text(values: list[str | None]) -> pa.Array:
    """Delivered cells trimmed; empty becomes null."""
    arr = pa.array(values, pa.string())
    trimmed = pc.utf8_trim_whitespace(arr)
    return pc.if_else(pc.equal(trimmed, ""), _NULL_STR, trimmed)


def _filled(arr: pa.Array) -> pa.Array:
    return pc.is_valid(arr)


def _mod(a: pa.Array, n: int) -> pa.Array:
    return pc.subtract(a, pc.multiply(pc.divide(a, n), n))


def date(clean: pa.Array) -> tuple[pa.Array, pa.Array]:
    y = m = d = None
    for pattern in _DATE_PATTERNS:
        found = pc.extract_regex(clean, pattern)
        ok = pc.fill_null(pc.is_valid(found), False)

        def part(name: str, found=found, ok=ok) -> pa.Array:
            field = pc.struct_field(found, name)
            field = pc.if_else(ok, field, _NULL_STR)
            return pc.cast(field, pa.int32())

        py, pm, pd = part("y"), part("m"), part("d")
        y = py if y is None else pc.coalesce(y, py)
        m = pm if m is None else pc.coalesce(m, pm)
        d = pd if d is None else pc.coalesce(d, pd)
    month_ok = pc.and_(pc.greater_equal(m, 1), pc.less_equal(m, 12))
    safe_month = pc.if_else(month_ok, m, pa.scalar(1, pa.int32()))
    dim = pc.take(_DAYS_IN_MONTH, pc.subtract(safe_month, 1))
    leap = pc.or_(
        pc.and_(pc.equal(_mod(y, 4), 0), pc.not_equal(_mod(y, 100), 0)),
        pc.equal(_mod(y, 400), 0),
    )
    dim = pc.add(dim, pc.cast(pc.and_(leap, pc.equal(m, 2)), pa.int32()))
    valid = pc.and_(
        pc.and_(month_ok, pc.greater_equal(y, 1)),
        pc.and_(pc.greater_equal(d, 1), pc.less_equal(d, dim)),
    )
    valid = pc.fill_null(valid, False)
    iso = pc.binary_join_element_wise(
        pc.utf8_lpad(pc.cast(y, pa.string()), 4, "0"),
        pc.utf8_lpad(pc.cast(m, pa.string()), 2, "0"),
        pc.utf8_lpad(pc.cast(d, pa.string()), 2, "0"),
        "-",
    )
    iso = pc.if_else(valid, iso, _NULL_STR)
    values = pc.cast(iso, pa.date32())
    bad = pc.and_(_filled(clean), pc.invert(valid))
    return values, bad


def decimal(clean: pa.Array) -> tuple[pa.Array, pa.Array]:
    ok = pc.fill_null(pc.match_substring_regex(clean, r"^[+-]?\d{1,15}([.,]\d{1,15})?$"), False)
    dotted = pc.replace_substring(pc.if_else(ok, clean, _NULL_STR), ",", ".")
    values = pc.cast(dotted, pa.float64())
    bad = pc.and_(_filled(clean), pc.invert(ok))
    return values, bad


def integer(clean: pa.Array) -> tuple[pa.Array, pa.Array]:
    found = pc.extract_regex(clean, r"^(?P<n>[+-]?\d{1,9})(?:[.,]0+)?$")
    ok = pc.fill_null(pc.is_valid(found), False)
    digits = pc.if_else(ok, pc.struct_field(found, "n"), _NULL_STR)
    values = pc.cast(digits, pa.int64())
    bad = pc.and_(_filled(clean), pc.invert(ok))
    return values, bad


def boolean(clean: pa.Array) -> tuple[pa.Array, pa.Array]:
    lowered = pc.utf8_lower(clean)
    is_true = pc.is_in(lowered, value_set=pa.array(TRUE_WORDS))
    is_false = pc.is_in(lowered, value_set=pa.array(FALSE_WORDS))
    ok = pc.or_(is_true, is_false)
    values = pc.if_else(ok, is_true, pa.scalar(None, pa.bool_()))
    bad = pc.and_(_filled(clean), pc.invert(ok))
    return values, bad


def code(clean: pa.Array, allowed: tuple[str, ...] | list[str]) -> tuple[pa.Array, pa.Array]:
    upper = pc.utf8_upper(clean)
    ok = pc.is_in(upper, value_set=pa.array(list(allowed), pa.string()))
    bad = pc.and_(_filled(clean), pc.invert(ok))
    return upper, bad
