"""Small value types for the rules: a closed date period, a percent, and weekday arithmetic.

They refuse illegal states at construction (a period that ends before it starts, a grade of 0 or
150), so the algorithms never have to re-check them. Weekday arithmetic works on date ordinals by
formula, which lets the rules jump over long runs of days instead of walking them one by one.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True, slots=True, order=True)
class Period:
    """A closed interval of calendar days [start, end]."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if not isinstance(self.start, date) or not isinstance(self.end, date):
            raise TypeError(f"period bounds must be dates, got {self.start!r} and {self.end!r}")
        if self.start > self.end:
            raise ValueError(
                f"period starts {self.start.isoformat()} after it ends {self.end.isoformat()}"
            )

    @classmethod
    def of_ordinals(cls, first: int, last: int) -> Period:
        return cls(date.fromordinal(first), date.fromordinal(last))

    @property
    def days(self) -> int:
        """Number of calendar days, both ends included."""
        return (self.end - self.start).days + 1

    @property
    def weekdays(self) -> int:
        return weekdays_between(self.start.toordinal(), self.end.toordinal())

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end

    def overlaps(self, other: Period) -> bool:
        return self.start <= other.end and other.start <= self.end

    def dates(self) -> Iterator[date]:
        for offset in range(self.days):
            yield self.start + timedelta(days=offset)

    def __str__(self) -> str:
        return f"{self.start.isoformat()}..{self.end.isoformat()}"


@dataclass(frozen=True, slots=True, order=True)
class Percent:
    """A whole percent from 1 to 100 (a sick-leave grade); 0 % sick is simply not sick."""

    value: int

    def __post_init__(self) -> None:
        if isinstance(self.value, bool) or not isinstance(self.value, int):
            raise TypeError(f"percent must be a whole number, got {self.value!r}")
        if not 1 <= self.value <= 100:
            raise ValueError(f"percent must be between 1 and 100, got {self.value}")

    @property
    def is_full(self) -> bool:
        return self.value == 100

    def __str__(self) -> str:
        return f"{self.value} %"


FULL = Percent(100)


def is_weekend(ordinal: int) -> bool:
    """Saturday or Sunday; ordinal 1 (0001-01-01) is a Monday."""
    return (ordinal - 1) % 7 >= 5


def weekdays_before(ordinal: int) -> int:
    """Count of Monday–Friday days with ordinal in [1, ordinal)."""
    weeks, rest = divmod(ordinal - 1, 7)
    return weeks * 5 + min(rest, 5)


def weekdays_between(first: int, last: int) -> int:
    """Count of Monday–Friday days in [first, last] (0 when last < first)."""
    if last < first:
        return 0
    return weekdays_before(last + 1) - weekdays_before(first)


def nth_weekday(count: int) -> int:
    """Ordinal of the count-th weekday since 0001-01-01 (the inverse of weekdays_before)."""
    weeks, rest = divmod(count - 1, 5)
    return 1 + weeks * 7 + rest


def add_weekdays(ordinal: int, count: int) -> int:
    """The ordinal of the count-th weekday strictly after `ordinal` (count ≥ 1); `ordinal` if 0."""
    if count <= 0:
        return ordinal
    return nth_weekday(weekdays_before(ordinal + 1) + count)


def subtract_weekdays(ordinal: int, count: int) -> int:
    """The ordinal of the count-th weekday strictly before `ordinal` (count ≥ 1)."""
    return nth_weekday(weekdays_before(ordinal) - count + 1)


def last_weekday_before(ordinal: int) -> int:
    return subtract_weekdays(ordinal, 1)


def add_years(day: date, years: int) -> date:
    """Same calendar day `years` later; 29 February becomes 28 February in common years."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def add_months(day: date, months: int) -> date:
    """Same day of month `months` later, clamped to the month's last day."""
    year, month_index = divmod(day.year * 12 + day.month - 1 + months, 12)
    month = month_index + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
