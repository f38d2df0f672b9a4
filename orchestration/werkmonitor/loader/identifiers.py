"""Direct identifiers: column names that look like one, and values that may be a BSN.

Submissions are pseudonymised at the source. When that fails the file is
rejected and the identifying value must not travel any further: callers get
only the position of a hit (file, sheet, row, column), never the value.

One value rule for text and number cells alike (``submission_format.yml``,
``identifiers``): after trimming, 8 or 9 digits (or a 9-digit BSN written in
groups, ``1234.56.782``, ``123 456 782``, ``123.456.782``, ``123-456-782``),
padded with a leading zero to nine digits, passing the eleven-test and not all
zeros. Eight digits are covered because a BSN with a leading zero loses it as
an Excel number and, just as often, when typed or exported as text.
"""

from __future__ import annotations

import re

from werkmonitor.catalogue import submission_format

_FORMAT = submission_format()
_EXACT_NAMES = frozenset(_FORMAT.identifier_names)
_NAME_FRAGMENTS = _FORMAT.identifier_fragments
_WEIGHTS = (9, 8, 7, 6, 5, 4, 3, 2, -1)

_BARE = "|".join(rf"\d{{{n}}}" for n in _FORMAT.bsn_digits)
BSN_PATTERN = rf"^\s*({_BARE}|{'|'.join(_FORMAT.bsn_groupings)})\s*$"
_BSN_RE = re.compile(BSN_PATTERN)

# the SQL twin of text_is_bsn(): candidates(v) is a cheap filter, digits → eleven-test after
_TERMS = " + ".join(f"{w} * cast(substr(d, {i + 1}, 1) as integer)" for i, w in enumerate(_WEIGHTS))
SQL_CANDIDATE = "length(trim(v)) between 8 and 13 and regexp_full_match(v, '" + BSN_PATTERN + "')"
SQL_DIGITS = "lpad(regexp_replace(v, '[^0-9]', '', 'g'), 9, '0')"
SQL_ELEVEN = f"d <> '000000000' and ({_TERMS}) % 11 = 0"


def looks_like_identifier_column(name: str) -> bool:
    """Compared after lower-casing and removing everything but letters and digits."""
    squashed = re.sub(r"[^a-z0-9]", "", str(name).lower())
    if not squashed:
        return False
    return squashed in _EXACT_NAMES or any(frag in squashed for frag in _NAME_FRAGMENTS)


def passes_eleven_test(digits: str) -> bool:
    """The BSN eleven-test on exactly nine digits (all zeros is not a BSN)."""
    if len(digits) != 9 or not digits.isdigit() or digits == "000000000":
        return False
    return sum(int(d) * w for d, w in zip(digits, _WEIGHTS, strict=True)) % 11 == 0


def text_is_bsn(value: str | None) -> bool:
    if value is None or not _BSN_RE.match(value):
        return False
    return passes_eleven_test(re.sub(r"\D", "", value).zfill(9))


def number_is_bsn(value: int) -> bool:
    """An Excel number cell: the same rule as its text (8 or 9 digits)."""
    return text_is_bsn(str(value))
