from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from naervaer.stats import percent, present_percent
from naervaer.stats.calendar import Calendar
from naervaer.stats.periods import build_periods


def test_percent_is_exact_decimal() -> None:
    assert percent(1, 8) == Decimal("12.5")
    assert isinstance(percent(0.1 + 0.2, 3), Decimal)
    assert percent(0.1 + 0.2, 3) == Decimal("10")  # float noise removed before dividing


def test_zero_denominator_raises() -> None:
    with pytest.raises(ZeroDivisionError):
        percent(0, 0)


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Decimal("12.25"), Decimal("12.3")),
        (Decimal("0.05"), Decimal("0.1")),
        (Decimal("2.45"), Decimal("2.5")),
        (Decimal("2.44999"), Decimal("2.4")),
        (None, None),
    ],
)
def test_half_up_to_one_decimal(value, shown) -> None:
    assert present_percent(value) == shown


def test_rounding_only_at_presentation_uses_exact_days() -> None:
    # 49 lost of 400 possible is 12.25 %: float division gives 12.25 exactly here, but 0.49 / 4
    # as floats is 0.12249999…; the Decimal route must still show 12.3.
    assert present_percent(percent(0.49, 4)) == Decimal("12.3")


def test_workdays_around_easter_and_17_may_2024() -> None:
    cal = Calendar(dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    # March 2024: 21 weekdays minus Maundy Thursday 28th and Good Friday 29th.
    assert cal.workdays(dt.date(2024, 3, 1), dt.date(2024, 3, 31)) == 19
    # April 2024: 22 weekdays minus Easter Monday 1st.
    assert cal.workdays(dt.date(2024, 4, 1), dt.date(2024, 4, 30)) == 21
    # May 2024: 23 weekdays minus 1 May, Ascension 9th, 17 May and Whit Monday 20th.
    assert cal.workdays(dt.date(2024, 5, 1), dt.date(2024, 5, 31)) == 19
    assert cal.workdays(dt.date(2024, 5, 17), dt.date(2024, 5, 17)) == 0
    assert cal.workdays(dt.date(2024, 5, 18), dt.date(2024, 5, 19)) == 0  # weekend


def test_period_labels_and_previous_year() -> None:
    months = build_periods("month", dt.date(2024, 11, 5), dt.date(2025, 1, 2))
    assert [p.label for p in months] == ["2024-11", "2024-12", "2025-01"]
    assert months[2].previous == "2024-01"
    assert months[1].end == dt.date(2024, 12, 31)
    windows = build_periods("rolling4q", dt.date(2024, 1, 1), dt.date(2025, 3, 31))
    assert [w.label for w in windows] == ["2024Q1-2024Q4", "2024Q2-2025Q1"]
    assert windows[1].start == dt.date(2024, 4, 1) and windows[1].end == dt.date(2025, 3, 31)
