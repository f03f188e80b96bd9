"""Value types refuse illegal states; weekday arithmetic matches counting day by day."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from naervaer.rules.values import (
    Percent,
    Period,
    add_months,
    add_weekdays,
    add_years,
    subtract_weekdays,
    weekdays_between,
)


def test_period_refuses_end_before_start() -> None:
    with pytest.raises(ValueError, match="2018-01-05 after it ends 2018-01-04"):
        Period(date(2018, 1, 5), date(2018, 1, 4))


def test_period_counts_days_and_weekdays() -> None:
    january = Period(date(2018, 1, 1), date(2018, 1, 31))
    assert january.days == 31
    assert january.weekdays == 23  # 2018-01-01 is a Monday: 4 full weeks + Mon-Wed


@pytest.mark.parametrize("value", [0, 101, -5])
def test_percent_refuses_out_of_range(value: int) -> None:
    with pytest.raises(ValueError, match="between 1 and 100"):
        Percent(value)


def test_percent_refuses_fraction() -> None:
    with pytest.raises(TypeError):
        Percent(50.5)  # type: ignore[arg-type]


def test_add_years_moves_leap_day_to_28_february() -> None:
    assert add_years(date(2016, 2, 29), 1) == date(2017, 2, 28)


def test_add_months_clamps_to_month_end() -> None:
    assert add_months(date(2018, 1, 31), 1) == date(2018, 2, 28)
    assert add_months(date(2018, 3, 15), -36) == date(2015, 3, 15)


def test_add_weekdays_skips_weekend() -> None:
    friday = date(2018, 1, 26).toordinal()
    assert date.fromordinal(add_weekdays(friday, 1)) == date(2018, 1, 29)
    assert date.fromordinal(add_weekdays(friday, 240)) == date(2018, 12, 28)
    assert date.fromordinal(subtract_weekdays(date(2018, 1, 29).toordinal(), 1)) == date(
        2018, 1, 26
    )


@given(st.dates(date(2000, 1, 1), date(2030, 1, 1)), st.integers(0, 60))
def test_weekdays_between_matches_counting(start: date, length: int) -> None:
    end = start + timedelta(days=length)
    counted = sum(1 for i in range(length + 1) if (start + timedelta(days=i)).weekday() < 5)
    assert weekdays_between(start.toordinal(), end.toordinal()) == counted


@given(st.dates(date(2000, 1, 1), date(2030, 1, 1)), st.integers(1, 40))
def test_add_weekdays_matches_stepping(start: date, count: int) -> None:
    day, left = start, count
    while left:
        day += timedelta(days=1)
        left -= day.weekday() < 5
    assert date.fromordinal(add_weekdays(start.toordinal(), count)) == day
    assert date.fromordinal(subtract_weekdays(day.toordinal(), count)) <= start
