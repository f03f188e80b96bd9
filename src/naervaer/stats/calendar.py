"""The workday calendar: one row per date with the number of workdays before it.

Workdays in [a, b] = cum(b + 1) − cum(a). With this table every engine answers "how many
workdays lie in this interval" with two equi-joins (or, for fixed period bounds, plain
arithmetic), which is what keeps DuckDB and Spark on the same expression. It is built in
Python/Arrow, never with ``ibis.range`` (wrong results on Spark).
"""

from __future__ import annotations

import datetime as dt
import functools

import holidays
import numpy as np
import pyarrow as pa

EPOCH = dt.date(1970, 1, 1)


def day_number(day: dt.date) -> int:
    """Days since 1970-01-01: the integer form every engine computes with."""
    return (day - EPOCH).days


def day_numbers(column: pa.ChunkedArray) -> np.ndarray:
    """Dates as int32 day numbers; a single-chunk date32 column is viewed without copying it."""
    dates = column.cast(pa.date32())
    numbers: np.ndarray = pa.chunked_array(
        [chunk.view(pa.int32()) for chunk in dates.chunks], pa.int32()
    ).to_numpy()
    return numbers


def from_day_number(number: int) -> dt.date:
    return EPOCH + dt.timedelta(days=int(number))


@functools.lru_cache(maxsize=32)
def workday_flags(first: dt.date, last: dt.date) -> np.ndarray:
    """True for Monday–Friday dates that are not Norwegian public holidays, first..last inclusive.
    Kept per range (read-only): every statistics run of a page asks for the same years."""
    norway = holidays.Norway(years=range(first.year, last.year + 1))
    count = (last - first).days + 1
    days = [first + dt.timedelta(days=i) for i in range(count)]
    flags = np.array([d.weekday() < 5 and d not in norway for d in days], dtype=bool)
    flags.flags.writeable = False
    return flags


class Calendar:
    """Cumulative workday index over first..last + 1 (the + 1 closes intervals ending on ``last``)."""

    def __init__(self, first: dt.date, last: dt.date) -> None:
        self.first, self.last = first, last
        self.lo = day_number(first)
        flags = workday_flags(first, last + dt.timedelta(days=1))
        self.cum = np.concatenate([[0], np.cumsum(flags[:-1], dtype=np.int64)])

    def cum_before(self, day: int) -> int:
        """Workdays from ``first`` up to (not including) day number ``day``, clipped to the calendar."""
        index = min(max(day - self.lo, 0), len(self.cum) - 1)
        return int(self.cum[index])

    def workdays_between(self, first: np.ndarray, last: np.ndarray) -> np.ndarray:
        """Workdays in [first, last] for arrays of day numbers inside the calendar."""
        workdays: np.ndarray = (
            self.cum[last.astype(np.int64) + 1 - self.lo]
            - self.cum[first.astype(np.int64) - self.lo]
        )
        return workdays

    def workdays(self, start: dt.date, end: dt.date) -> int:
        """Workdays in [start, end] — the calendar trick, exposed for callers and tests."""
        return self.cum_before(day_number(end) + 1) - self.cum_before(day_number(start))

    def table(self) -> pa.Table:
        """The calendar as an Arrow table: day (day number) and cum (workdays before it)."""
        days = np.arange(self.lo, self.lo + len(self.cum), dtype=np.int64)
        return pa.table({"day": days, "cum": self.cum})
