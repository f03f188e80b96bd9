"""Arrow → engine-ready tables: dates as day numbers, boundary lookups, the unit closure and periods.

Done once in Arrow/numpy so that the Ibis expressions only see integers and strings, which every
backend handles the same way; units become dense integer codes (positions among the sorted unit
ids), so the engine groups on small integers and ``grid`` indexes its arrays with them directly. Every interval is described by its two boundaries — its first day
and the day after its last — and each boundary by where it falls: the period holding it and the
workdays (and calendar days) from that period's first day up to it. These are table lookups here,
so the engine needs no calendar join for its millions of absences (see ``Boundaries``).
Per-person attributes (sex, age band) are attached here; for the age-band breakdown an employment
is cut where the person's band changes (at a period start, because the band is the age on the
first day of the period).
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
from naervaer.stats.schema import KINDS, absence_span, date_span

UNKNOWN = "unknown"
AGE_LIMITS = (25, 35, 45, 55, 65)
AGE_BANDS = ("<25", "25-34", "35-44", "45-54", "55-64", "65+")
BREAKDOWNS = ("occupation", "sex", "age_band")


@dataclass(frozen=True)
class Boundaries:
    """Where a boundary day falls, for every day of the statistics range [lo, hi] and hi + 1.

    A boundary outside the range is clipped to it; hi + 1 lies in the pseudo-period ``n`` (after
    the last period). Workdays of [s, e] inside period P are then: when s and e + 1 fall in the same
    period, workdays(e + 1) − workdays(s); otherwise workdays(P's length) − workdays(s) in the first,
    every period in between whole, and workdays(e + 1) in the period holding e + 1.
    """

    lo: int
    period: np.ndarray    # int16, period index of each day lo..hi + 1
    workdays: np.ndarray  # int16, workdays from the period's first day up to (not including) the day
    days: np.ndarray      # int16, calendar days from the period's first day up to the day

    @classmethod
    def build(cls, calendar: Calendar, starts: np.ndarray, ends: np.ndarray) -> Boundaries:
        lo, hi = int(starts[0]), int(ends[-1])
        days = np.arange(lo, hi + 2, dtype=np.int64)
        period = np.searchsorted(starts, days, side="right") - 1
        period[-1] = len(starts)
        first = np.append(starts, hi + 1)[period]
        cum = calendar.cum[days - calendar.lo]
        return cls(lo, period.astype(np.int16), (cum - calendar.cum[first - calendar.lo]).astype(np.int16),
                   (days - first).astype(np.int16))

    def at(self, day: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Period, workday offset and day offset of each boundary day (clipped to the range)."""
        index = np.clip(day, self.lo, self.lo + len(self.period) - 1) - self.lo
        return self.period[index], self.workdays[index], self.days[index]


@dataclass(frozen=True)
class EngineInput:
    """Everything one statistics run hands to the engine.

    Boundary columns: ``s_p``/``t_p`` the period of the first day / the day after the last,
    ``s_w``/``t_w`` their workday offsets, ``s_d``/``t_d`` their day offsets, ``l_p`` the period of
    the last day inside the range (absences carry the workday ones with an ``a_`` prefix).
    """

    employments: pa.Table   # employment_id, employee_id, unit_id, pp, s, e[, breakdown], boundary columns
    absences: pa.Table      # absence_id, a_employee, a_employment, a_s, a_e, kind (0/1), grade, touching, boundaries
    closure: pa.Table       # ancestor, unit_id: every unit with itself and all its ancestors (codes)
    unit_ids: pa.Array      # the units' ids, sorted; the engine works with positions in it (codes)
    calendar: Calendar
    calendar_table: pa.Table  # day, cum, cum_incl (for whole-spell workdays)
    periods: list[Period]
    full_workdays: np.ndarray  # workdays of each period
    full_days: np.ndarray      # calendar days of each period
    range_lo: int
    range_hi: int
    open_end: int           # day number standing in for an open employment end


def _days(column: pa.ChunkedArray) -> np.ndarray:
    """Dates as int32 day numbers: a date32 column is viewed as int32 without copying it."""
    dates = pc.cast(column, pa.date32())
    return pa.chunked_array([chunk.view(pa.int32()) for chunk in dates.chunks], pa.int32()).to_numpy()


def _boundary_columns(bounds: Boundaries, first: np.ndarray, last: np.ndarray, prefix: str = "",
                      with_days: bool = True) -> dict[str, np.ndarray]:
    s_p, s_w, s_d = bounds.at(first)
    t_p, t_w, t_d = bounds.at(last.astype(np.int64) + 1)
    columns = {"s_p": s_p, "s_w": s_w, "t_p": t_p, "t_w": t_w}
    if with_days:
        columns |= {"s_d": s_d, "t_d": t_d}
    return {f"{prefix}{name}": values for name, values in columns.items()}


def unit_codes(values: pa.ChunkedArray | pa.Array, unit_ids: pa.Array) -> pa.Array:
    """Units as codes: their positions in the sorted ``unit_ids`` (null stays null)."""
    return pc.index_in(values, value_set=unit_ids)


def unit_closure(units: pa.Table, unit_ids: pa.Array) -> pa.Table:
    """(ancestor, unit_id) code pairs, each unit paired with itself and every unit above it."""
    parents = dict(zip(unit_codes(units["unit_id"], unit_ids).to_pylist(),
                       unit_codes(units["parent_id"], unit_ids).to_pylist()))
    ancestors, members = [], []
    for unit in parents:
        node = unit
        while node is not None:
            ancestors.append(node)
            members.append(unit)
            node = parents.get(node)
    return pa.table({"ancestor": pa.array(ancestors, pa.int32()), "unit_id": pa.array(members, pa.int32())})


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
    them alone. (Cutting absences to employments never makes new neighbours.) Sorting by one
    integer key (person × day span + day) is many times faster than a two-key sort, and fastest
    of all on extracts that come sorted by employee.
    """
    if len(start) == 0:
        return np.zeros(0, dtype=bool)
    ids = employee.combine_chunks()
    first = int(start.min())
    span = int(end.max()) + 2 - first   # room for the day after the last end: keys never spill into the next person
    person = (ids if pa.types.is_integer(ids.type) else ids.dictionary_encode().indices).to_numpy(zero_copy_only=False)
    if (int(person.max()) - int(person.min()) + 1) * span >= 2**62:   # sparse huge ids: number them densely
        person = ids.dictionary_encode().indices.to_numpy(zero_copy_only=False)
    low = int(person.min())
    # person × span + day, in 32 bits when it fits (half the memory, a faster sort)
    key = (person - low).astype(np.int32 if (int(person.max()) - low + 1) * span < 2**31 else np.int64)
    key *= span
    key += start - first
    order = np.argsort(key, kind="stable")
    key = key[order]
    # The next absence starts the day after this one ends, for the same person: its key is this
    # key plus this absence's length.
    length = (end - start)[order] + 1
    adjacent = key[1:] == key[:-1] + length[:-1]
    del key, length
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

    bounds = Boundaries.build(calendar, starts, ends)
    source = tables["employments"]
    unit_ids = pc.unique(tables["units"]["unit_id"])
    unit_ids = unit_ids.take(pc.sort_indices(unit_ids))
    emp = pd.DataFrame({"employment_id": source["employment_id"].to_pandas(),
                        "employee_id": source["employee_id"].to_pandas(),
                        "unit_id": unit_codes(source["unit_id"], unit_ids).to_numpy(zero_copy_only=False),
                        "pp": source["position_percent"].to_numpy(), "s": _days(source["start_date"]),
                        "e": pc.fill_null(pc.cast(source["end_date"], pa.int32()), open_end).to_numpy(
                            zero_copy_only=False)})
    if breakdown == "occupation":
        emp["occupation"] = source["occupation"].to_pandas().fillna(UNKNOWN)
    elif breakdown == "sex":
        emp["sex"] = _person_column(emp, tables, "sex").fillna(UNKNOWN)
    elif breakdown == "age_band":
        emp = _split_by_age_band(emp, _person_column(emp, tables, "birth_date"), starts)
    s_days, e_days = emp["s"].to_numpy(), emp["e"].to_numpy()
    for name, values in _boundary_columns(bounds, s_days, e_days).items():
        emp[name] = values
    emp["l_p"] = bounds.at(np.minimum(e_days, ends[-1]))[0]

    ab = tables["absences"]
    a_s, a_e = _days(ab["start_date"]), _days(ab["end_date"])
    absences = pa.table({
        "absence_id": ab["absence_id"], "a_employee": ab["employee_id"], "a_employment": ab["employment_id"],
        "a_s": a_s, "a_e": a_e, "kind": pc.equal(ab["kind"], KINDS[1]).cast(pa.int8()), "grade": ab["grade_percent"],
        "touching": pa.array(_touching(ab["employee_id"], a_s, a_e)),
        **_boundary_columns(bounds, a_s, a_e, "a_", with_days=False),
    })
    cum_incl = np.append(calendar.cum[1:], calendar.cum[-1])
    days = np.arange(calendar.lo, calendar.lo + len(calendar.cum), dtype=np.int64)
    calendar_table = pa.table({"day": days, "cum": calendar.cum, "cum_incl": cum_incl})
    full_workdays = np.array([calendar.cum_before(int(e) + 1) - calendar.cum_before(int(s)) for s, e in zip(starts, ends)],
                             dtype=np.float64)
    return EngineInput(pa.Table.from_pandas(emp, preserve_index=False), absences,
                       unit_closure(tables["units"], unit_ids), unit_ids, calendar, calendar_table, periods, full_workdays,
                       (ends - starts + 1).astype(np.float64), int(starts[0]), int(ends[-1]), open_end)
