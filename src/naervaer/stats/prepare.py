"""Arrow → engine-ready tables: dates as day numbers, the unit closure, the calendar and periods.

Done once in Arrow/numpy so that the Ibis expressions only see integers and strings, which every
backend handles the same way. Per-person attributes (sex, age band) are attached here; for the
age-band breakdown an employment is cut where the person's band changes (at a period start,
because the band is the age on the first day of the period).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from naervaer.stats.calendar import Calendar, day_number
from naervaer.stats.periods import Period, build_periods, covering_range
from naervaer.stats.schema import absence_span, date_span

UNKNOWN = "unknown"
AGE_LIMITS = (25, 35, 45, 55, 65)
AGE_BANDS = ("<25", "25-34", "35-44", "45-54", "55-64", "65+")
BREAKDOWNS = ("occupation", "sex", "age_band")


@dataclass(frozen=True)
class EngineInput:
    """Everything one statistics run hands to the engine."""

    employments: pa.Table   # employment_id, employee_id, unit_id, pp, s, e[, breakdown column]
    absences: pa.Table      # absence_id, a_employee, a_employment, a_s, a_e, kind, grade
    closure: pa.Table       # ancestor, unit_id: every unit with itself and all its ancestors
    calendar: Calendar
    calendar_table: pa.Table  # day, cum, cum_incl, pidx (period index, -1 outside the range)
    periods: list[Period]
    period_table: pa.Table  # pidx, period, p_start, p_end, p_cs, p_ce1
    range_lo: int
    range_hi: int
    open_end: int           # day number standing in for an open employment end


def _days(column: pa.ChunkedArray) -> np.ndarray:
    return pc.cast(column, pa.int32()).to_numpy(zero_copy_only=False).astype(np.int64)


def unit_closure(units: pa.Table) -> pa.Table:
    """(ancestor, unit_id) pairs, each unit paired with itself and every unit above it."""
    parents = dict(zip(units["unit_id"].to_pylist(), units["parent_id"].to_pylist()))
    ancestors, members = [], []
    for unit in parents:
        node = unit
        while node is not None:
            ancestors.append(node)
            members.append(unit)
            node = parents.get(node)
    kind = units.schema.field("unit_id").type
    return pa.table({"ancestor": pa.array(ancestors, kind), "unit_id": pa.array(members, kind)})


def _person_column(emp: pd.DataFrame, tables: dict[str, pa.Table], column: str) -> pd.Series:
    if "persons" not in tables:
        raise ValueError(f"breakdown by {column} needs the optional persons table")
    people = tables["persons"].to_pandas().set_index("employee_id")[column]
    return emp["employee_id"].map(people)


def _split_by_age_band(emp: pd.DataFrame, birth: pd.Series, period_starts: np.ndarray) -> pd.DataFrame:
    """One row per employment and age band, cut at the first period start after each band birthday."""
    known = birth.notna().to_numpy()
    cuts = [np.full(len(emp), np.iinfo(np.int64).min)]
    for limit in AGE_LIMITS:
        birthday = (pd.to_datetime(birth) + pd.DateOffset(years=limit)).to_numpy().astype("datetime64[D]")
        birthday_days = np.where(known, birthday.astype(np.int64), 0)
        index = np.searchsorted(period_starts, birthday_days)
        cut = np.where(index < len(period_starts), period_starts[np.minimum(index, len(period_starts) - 1)],
                       np.iinfo(np.int64).max)
        cuts.append(np.where(known, cut, np.iinfo(np.int64).max))
    cuts.append(np.full(len(emp), np.iinfo(np.int64).max))
    pieces = []
    for band, label in enumerate(AGE_BANDS):
        piece = emp.assign(s=np.maximum(emp["s"].to_numpy(), cuts[band]),
                           e=np.minimum(emp["e"].to_numpy(), cuts[band + 1] - 1), age_band=label)
        pieces.append(piece[(piece["s"] <= piece["e"]) & known])
    pieces.append(emp[~known].assign(age_band=UNKNOWN))
    return pd.concat(pieces, ignore_index=True)


def _touching(employee: pa.ChunkedArray, start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """True for absences that another absence of the same employee directly precedes or follows.

    Only those can belong to a spell of several absences; the engine runs its spell windows on
    them alone. (Cutting absences to employments never makes new neighbours.)
    """
    codes = employee.combine_chunks().dictionary_encode().indices.to_numpy(zero_copy_only=False)
    order = np.lexsort((start, codes))
    person = codes[order]
    s, e = start[order], end[order]
    adjacent = (person[1:] == person[:-1]) & (s[1:] == e[:-1] + 1)
    touching = np.zeros(len(order), dtype=bool)
    touching[1:] |= adjacent
    touching[:-1] |= adjacent
    out = np.empty_like(touching)
    out[order] = touching
    return out


def prepare(tables: dict[str, pa.Table], period_kind: str, start: dt.date | None = None,
            end: dt.date | None = None, breakdown: str | None = None) -> EngineInput:
    """Convert validated canonical tables for one run over whole periods of ``period_kind``
    (month, quarter or year; the caller turns quarters into four-quarter windows).

    The range defaults to the absences' span (see ``schema.absence_span``), widened to whole periods.
    """
    if breakdown is not None and breakdown not in BREAKDOWNS:
        raise ValueError(f"unknown breakdown {breakdown!r} (expected one of {', '.join(BREAKDOWNS)})")
    default_first, default_last = absence_span(tables)
    first, last = covering_range(period_kind, start or default_first, end or default_last)
    span_first, span_last = date_span(tables)
    calendar = Calendar(min(first, span_first), max(last, span_last))
    open_end = day_number(calendar.last) + 1
    periods = build_periods(period_kind, first, last)
    starts = np.array([day_number(p.start) for p in periods], dtype=np.int64)
    ends = np.array([day_number(p.end) for p in periods], dtype=np.int64)

    source = tables["employments"]
    emp = pd.DataFrame({"employment_id": source["employment_id"].to_pandas(),
                        "employee_id": source["employee_id"].to_pandas(), "unit_id": source["unit_id"].to_pandas(),
                        "pp": source["position_percent"].to_numpy(), "s": _days(source["start_date"]),
                        "e": pc.fill_null(pc.cast(source["end_date"], pa.int32()), open_end).to_numpy(
                            zero_copy_only=False).astype(np.int64)})
    if breakdown == "occupation":
        emp["occupation"] = source["occupation"].to_pandas().fillna(UNKNOWN)
    elif breakdown == "sex":
        emp["sex"] = _person_column(emp, tables, "sex").fillna(UNKNOWN)
    elif breakdown == "age_band":
        emp = _split_by_age_band(emp, _person_column(emp, tables, "birth_date"), starts)
    ab = tables["absences"]
    a_s, a_e = _days(ab["start_date"]), _days(ab["end_date"])
    absences = pa.table({
        "absence_id": ab["absence_id"], "a_employee": ab["employee_id"], "a_employment": ab["employment_id"],
        "a_s": pa.array(a_s), "a_e": pa.array(a_e), "kind": ab["kind"], "grade": ab["grade_percent"],
        "touching": pa.array(_touching(ab["employee_id"], a_s, a_e)),
    })

    days = np.arange(calendar.lo, calendar.lo + len(calendar.cum), dtype=np.int64)
    pidx = np.searchsorted(starts, days, side="right") - 1
    pidx = np.where((days >= starts[0]) & (days <= ends[-1]), pidx, -1)
    cum_incl = np.append(calendar.cum[1:], calendar.cum[-1])
    calendar_table = pa.table({"day": days, "cum": calendar.cum, "cum_incl": cum_incl, "pidx": pidx})
    period_table = pa.table({
        "pidx": np.arange(len(periods), dtype=np.int64), "period": [p.label for p in periods],
        "p_start": starts, "p_end": ends,
        "p_cs": np.array([calendar.cum_before(int(d)) for d in starts], dtype=np.int64),
        "p_ce1": np.array([calendar.cum_before(int(d) + 1) for d in ends], dtype=np.int64),
    })
    return EngineInput(pa.Table.from_pandas(emp, preserve_index=False), absences,
                       unit_closure(tables["units"]), calendar, calendar_table, periods, period_table,
                       int(starts[0]), int(ends[-1]), open_end)
