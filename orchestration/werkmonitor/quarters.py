"""Quarters as people write them (``2024Q3``).

Partition keys, folder names, file names and the ``kwartaal`` column all use
this spelling, so it is the one representation; dates are derived from it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import total_ordering

_QUARTER_RE = re.compile(r"^(\d{4})Q([1-4])$")

FIRST_QUARTER = "2022Q4"


@total_ordering
@dataclass(frozen=True)
class Quarter:
    year: int
    q: int

    @classmethod
    def parse(cls, text: str) -> Quarter:
        match = _QUARTER_RE.match(str(text).strip().upper())
        if not match:
            raise ValueError(f"not a quarter (expected e.g. 2024Q3): {text!r}")
        return cls(int(match.group(1)), int(match.group(2)))

    @classmethod
    def containing(cls, day: date) -> Quarter:
        return cls(day.year, (day.month - 1) // 3 + 1)

    @staticmethod
    def is_valid(text: str) -> bool:
        return bool(_QUARTER_RE.match(str(text).strip().upper()))

    def __str__(self) -> str:
        return f"{self.year}Q{self.q}"

    def __lt__(self, other: Quarter) -> bool:
        return (self.year, self.q) < (other.year, other.q)

    @property
    def start(self) -> date:
        return date(self.year, 3 * self.q - 2, 1)

    @property
    def end(self) -> date:
        return self.next().start - timedelta(days=1)

    def next(self) -> Quarter:
        return Quarter(self.year + 1, 1) if self.q == 4 else Quarter(self.year, self.q + 1)

    def previous(self) -> Quarter:
        return Quarter(self.year - 1, 4) if self.q == 1 else Quarter(self.year, self.q - 1)

    def label_nl(self) -> str:
        """``kwartaal 3 van 2024``, as the published reports write it."""
        return f"kwartaal {self.q} van {self.year}"


def quarter_range(first: str | Quarter, last: str | Quarter) -> list[Quarter]:
    start = first if isinstance(first, Quarter) else Quarter.parse(first)
    stop = last if isinstance(last, Quarter) else Quarter.parse(last)
    out = []
    while start <= stop:
        out.append(start)
        start = start.next()
    return out
