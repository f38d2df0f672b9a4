"""Direct identifiers: column names that look like one, and BSN values.

Submissions are pseudonymised at the source. When that fails the file is
rejected and the identifying value must not travel any further: callers get
only the position of a hit (sheet, row, column), never the value.
"""

from __future__ import annotations

import re

import pyarrow as pa
import pyarrow.compute as pc

# Compared after lower-casing and removing everything but letters and digits,
# so "E-mail adres", "Geb. datum" and "BSN_nummer" are caught as well.
_EXACT_NAMES = frozenset(
    {
        "bsn",
        "naam",
        "name",
        "tel",
        "telnr",
        "mail",
        "dob",
        "sofi",
        "pc",
        "zip",
        "gebdat",
        "gebdatum",
        "iban",
    }
)
_NAME_FRAGMENTS = (
    "bsn",
    "burgerservice",
    "sofinummer",
    "naam",
    "name",
    "geboorte",
    "gebdat",
    "birth",
    "adres",
    "address",
    "straat",
    "street",
    "huisnummer",
    "postcode",
    "postalcode",
    "zipcode",
    "woonplaats",
    "email",
    "telefoon",
    "phone",
    "mobiel",
    "mobile",
    "iban",
    "paspoort",
    "passport",
)


def looks_like_identifier_column(name: str) -> bool:
    squashed = re.sub(r"[^a-z0-9]", "", str(name).lower())
    if not squashed:
        return False
    return squashed in _EXACT_NAMES or any(frag in squashed for frag in _NAME_FRAGMENTS)


_WEIGHTS = (9, 8, 7, 6, 5, 4, 3, 2, -1)


def passes_eleven_test(digits: str) -> bool:
    """The BSN eleven-test on exactly nine digits (all zeros is not a BSN)."""
    if len(digits) != 9 or not digits.isdigit() or digits == "000000000":
        return False
    return sum(int(d) * w for d, w in zip(digits, _WEIGHTS, strict=True)) % 11 == 0


# The ways a BSN is written: 123456782, 1234.56.782, 123 456 782, 123-456-782.
_BSN_TEXT = (
    r"^\s*(\d{9}|\d{4}\.\d{2}\.\d{3}|\d{3} \d{3} \d{3}"
    r"|\d{3}\.\d{3}\.\d{3}|\d{3}-\d{3}-\d{3})\s*$"
)
_BSN_TEXT_RE = re.compile(_BSN_TEXT)


def text_is_bsn(value: str | None) -> bool:
    if value is None:
        return False
    if not _BSN_TEXT_RE.match(value):
        return False
    return passes_eleven_test(re.sub(r"\D", "", value))


def number_is_bsn(value: int) -> bool:
    """An Excel number cell: leading zeros are lost, so 8 digits are padded back."""
    return 10_000_000 <= value <= 999_999_999 and passes_eleven_test(str(value).zfill(9))


def bsn_positions(values: pa.Array) -> list[int]:
    """Indices of the text values that are a BSN; vectorised pre-filter, exact test after."""
    if len(values) == 0:
        return []
    candidates = pc.match_substring_regex(values, _BSN_TEXT)
    idx = pc.indices_nonzero(pc.fill_null(candidates, False)).to_pylist()
    if not idx:
        return []
    texts = values.take(pa.array(idx, pa.int64())).to_pylist()
    return [i for i, text in zip(idx, texts, strict=True) if text_is_bsn(text)]
