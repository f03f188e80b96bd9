"""Naive, independent reference for the unit × month indicators.

The engine counts workdays with a cumulative calendar index and interval arithmetic on Ibis. This
module deliberately does none of that: it expands every employment and every absence into its
calendar days (plain numpy/pandas), marks each day as workday or not straight from the `holidays`
package, and sums day by day. The cross-backend equivalence test and `bench/stats_bench.py` compare
the engine against it; other modules (the demo generator's pattern tests) may use it as ground
truth. It shares no code with the engine on purpose — only the definitions in DOMAIN.md §9.

Definitions it implements (the engine must agree):
- the period range runs from the first day of the month of the earliest absence start to the last
  day of the month of the latest absence end (employment dates when there are no absences), unless
  ``start``/``end`` are given (then widened to whole months);
- persons = distinct employees with an employment overlapping the month in the unit;
- possible workdays = Mon–Fri minus Norwegian public holidays inside the employment × position %;
- lost workdays = those workdays inside an absence and inside the employment it applies to
  × position % × grade %; an absence without employment_id applies to every employment of that
  employee covering the day.
"""

from __future__ import annotations

import datetime as dt

import holidays
import numpy as np
import pandas as pd
import pyarrow as pa

EPOCH = dt.date(1970, 1, 1)
COLUMNS = [
    "unit_id",
    "period",
    "persons",
    "possible_workdays",
    "lost_workdays",
    "lost_self_certified",
    "lost_doctor_certified",
]


def _days(column: pd.Series) -> np.ndarray:
    """Dates as day numbers since 1970-01-01 (NaT → -1)."""
    values = pd.to_datetime(column)
    out = np.full(len(values), -1, dtype=np.int64)
    known = values.notna().to_numpy()
    out[known] = values[known].to_numpy().astype("datetime64[D]").astype(np.int64)
    return out


def _month_bounds(first: dt.date, last: dt.date) -> tuple[int, int]:
    lo = first.replace(day=1)
    nxt = (last.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    return (lo - EPOCH).days, (nxt - EPOCH).days - 1


def _default_range(emp: pd.DataFrame, absences: pd.DataFrame) -> tuple[dt.date, dt.date]:
    if len(absences):
        return min(absences["start_date"]), max(absences["end_date"])
    ends = [d for d in emp["end_date"] if pd.notna(d)]
    return min(emp["start_date"]), max(ends + list(emp["start_date"]))


def _expand(start: np.ndarray, end: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Row index and day number for every day of every [start, end] interval."""
    counts = np.maximum(end - start + 1, 0)
    rows = np.repeat(np.arange(len(start)), counts)
    offsets = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    return rows, start[rows] + offsets


def reference_unit_month(
    tables: dict[str, pa.Table], start: dt.date | None = None, end: dt.date | None = None
) -> pd.DataFrame:
    """Unit × month persons, possible and lost workdays by naive day expansion.

    Returns one row per (unit_id, period "YYYY-MM") that has at least one person, with columns
    unit_id, period, persons, possible_workdays, lost_workdays, lost_self_certified,
    lost_doctor_certified (floats unrounded, unmasked).
    """
    emp = tables["employments"].to_pandas()
    absences = tables["absences"].to_pandas()
    if start is None or end is None:
        first, last = _default_range(emp, absences)
        start, end = start or first, end or last
    lo, hi = _month_bounds(start, end)

    all_days = np.arange(lo, hi + 1)
    dates = [EPOCH + dt.timedelta(days=int(d)) for d in all_days]
    norway = holidays.Norway(years=range(dates[0].year, dates[-1].year + 1))
    workday = np.array([d.weekday() < 5 and d not in norway for d in dates], dtype=np.float64)
    month = np.array([f"{d.year:04d}-{d.month:02d}" for d in dates], dtype=object)

    e_start = np.maximum(_days(emp["start_date"]), lo)
    e_end_raw = _days(emp["end_date"])
    e_end = np.minimum(np.where(e_end_raw < 0, hi, e_end_raw), hi)
    rows, day = _expand(e_start, e_end)
    emp_days = pd.DataFrame(
        {
            "unit_id": emp["unit_id"].to_numpy()[rows],
            "period": month[day - lo],
            "employee_id": emp["employee_id"].to_numpy()[rows],
            "possible_workdays": workday[day - lo]
            * emp["position_percent"].to_numpy(dtype=float)[rows]
            / 100,
        }
    )
    result = emp_days.groupby(["unit_id", "period"]).agg(
        persons=("employee_id", "nunique"), possible_workdays=("possible_workdays", "sum")
    )

    emp_keys = emp[["employment_id", "employee_id", "unit_id", "position_percent"]].assign(
        e_start=_days(emp["start_date"]), e_end=np.where(e_end_raw < 0, hi, e_end_raw)
    )
    explicit = absences[absences["employment_id"].notna()].merge(
        emp_keys.drop(columns="employee_id"), on="employment_id"
    )
    implicit = (
        absences[absences["employment_id"].isna()]
        .drop(columns="employment_id")
        .merge(emp_keys.drop(columns="employment_id"), on="employee_id")
    )
    pairs = pd.concat([explicit, implicit], ignore_index=True)
    a_start = np.maximum.reduce(
        [_days(pairs["start_date"]), pairs["e_start"].to_numpy(np.int64), np.full(len(pairs), lo)]
    )
    a_end = np.minimum.reduce(
        [_days(pairs["end_date"]), pairs["e_end"].to_numpy(np.int64), np.full(len(pairs), hi)]
    )
    rows, day = _expand(a_start, a_end)
    weight = (
        pairs["position_percent"].to_numpy(dtype=float)
        * pairs["grade_percent"].to_numpy(dtype=float)
        / 10_000
    )[rows]
    lost = workday[day - lo] * weight
    self_cert = pairs["kind"].to_numpy()[rows] == "self_certified"
    lost_days = (
        pd.DataFrame(
            {
                "unit_id": pairs["unit_id"].to_numpy()[rows],
                "period": month[day - lo],
                "lost_workdays": lost,
                "lost_self_certified": np.where(self_cert, lost, 0.0),
                "lost_doctor_certified": np.where(self_cert, 0.0, lost),
            }
        )
        .groupby(["unit_id", "period"])
        .sum()
    )

    result = result.join(lost_days, how="left").fillna(0.0).reset_index()
    result["persons"] = result["persons"].astype(np.int64)
    return result[COLUMNS].sort_values(["unit_id", "period"], ignore_index=True)
