from datetime import date

import pytest

from werkmonitor.quarters import Quarter, quarter_range


def test_parse_and_dates():
    quarter = Quarter.parse(" 2024q3 ")
    assert str(quarter) == "2024Q3"
    assert quarter.start == date(2024, 7, 1)
    assert quarter.end == date(2024, 9, 30)
    assert Quarter.parse("2024Q1").end == date(2024, 3, 31)
    assert Quarter.parse("2023Q4").end == date(2023, 12, 31)


def test_neighbours_cross_years():
    assert str(Quarter.parse("2024Q1").previous()) == "2023Q4"
    assert str(Quarter.parse("2023Q4").next()) == "2024Q1"
    assert Quarter.containing(date(2026, 11, 24)) == Quarter(2026, 4)


def test_range_is_inclusive_and_ordered():
    assert [str(q) for q in quarter_range("2022Q4", "2023Q2")] == ["2022Q4", "2023Q1", "2023Q2"]
    assert quarter_range("2023Q2", "2023Q1") == []


@pytest.mark.parametrize("text", ["2024Q5", "2024-Q3", "24Q3", "Q3 2024", ""])
def test_rejects_other_spellings(text):
    with pytest.raises(ValueError):
        Quarter.parse(text)


def test_dutch_label():
    assert Quarter.parse("2024Q3").label_nl() == "kwartaal 3 van 2024"
