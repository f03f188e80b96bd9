"""Reporting periods (month, quarter, year, last four quarters) as a small Arrow table.

Labels: month 2024-01, quarter 2024Q1, year 2024, four quarters 2024Q1-2024Q4; each period knows
the label of the same period a year earlier, for the trend.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

PERIOD_KINDS = ("month", "quarter", "year", "rolling4q")


@dataclass(frozen=True)
class Period:
    label: str
    start: dt.date
    end: dt.date
    previous: str  # label of the same period one year earlier (for the trend)


def _month_start(year: int, month: int) -> dt.date:
    return dt.date(year + (month - 1) // 12, (month - 1) % 12 + 1, 1)


def _quarter_label(year: int, quarter: int) -> str:
    return f"{year}Q{quarter}"


def _months(first: dt.date, last: dt.date, step: int) -> list[tuple[int, int]]:
    """(year, month) starts of consecutive blocks of ``step`` months aligned to the year."""
    year, month = first.year, (first.month - 1) // step * step + 1
    out = []
    while _month_start(year, month) <= last:
        out.append((year, month))
        month += step
        if month > 12:
            year, month = year + 1, month - 12
    return out


def _block(year: int, month: int, months: int) -> tuple[dt.date, dt.date]:
    return _month_start(year, month), _month_start(year, month + months) - dt.timedelta(days=1)


def build_periods(kind: str, first: dt.date, last: dt.date) -> list[Period]:
    """Whole periods of ``kind`` covering first..last (rolling4q: windows ending in each quarter
    whose four quarters all start inside the covered range)."""
    if kind == "month":
        return [
            Period(f"{y}-{m:02d}", *_block(y, m, 1), f"{y - 1}-{m:02d}")
            for y, m in _months(first, last, 1)
        ]
    if kind == "quarter":
        return [
            Period(
                _quarter_label(y, (m + 2) // 3),
                *_block(y, m, 3),
                _quarter_label(y - 1, (m + 2) // 3),
            )
            for y, m in _months(first, last, 3)
        ]
    if kind == "year":
        return [Period(str(y), *_block(y, 1, 12), str(y - 1)) for y, _ in _months(first, last, 12)]
    if kind == "rolling4q":
        quarters = _months(first, last, 3)
        windows = []
        for (y0, m0), (y1, m1) in zip(quarters, quarters[3:], strict=False):
            label = f"{_quarter_label(y0, (m0 + 2) // 3)}-{_quarter_label(y1, (m1 + 2) // 3)}"
            previous = (
                f"{_quarter_label(y0 - 1, (m0 + 2) // 3)}-{_quarter_label(y1 - 1, (m1 + 2) // 3)}"
            )
            windows.append(Period(label, _month_start(y0, m0), _block(y1, m1, 3)[1], previous))
        return windows
    raise ValueError(f"unknown period {kind!r} (expected one of {', '.join(PERIOD_KINDS)})")


def covering_range(kind: str, first: dt.date, last: dt.date) -> tuple[dt.date, dt.date]:
    """first..last widened to whole periods (quarters for rolling4q)."""
    step = {"month": 1, "quarter": 3, "rolling4q": 3, "year": 12}[kind]
    blocks = _months(first, last, step)
    return _month_start(*blocks[0]), _block(*blocks[-1], step)[1]
