"""Arrow → engine input: day numbers, boundary lookups, groups of the dense grid, the unit tree.

Done once in Arrow/numpy so that the Ibis expressions only see integers, which every backend
handles the same way. Units become dense integer codes (positions among the sorted unit ids),
breakdown values likewise; a *group* of the dense grid is one unit (or none) × one breakdown
value, keyed by ``unit code × width + breakdown code``. Every interval is described by its two
boundaries — its first day and the day after its last — and each boundary by where it falls: the
period holding it and the workdays (and calendar days) from that period's first day up to it
(see ``Boundaries``). Per-person attributes (sex, age band) are attached here; for the age-band
breakdown an employment is cut where the person's band changes (at a month start, because the
band is the age on the first day of each month: a quarter's or a year's figures per band are then
exactly the sums of its months', and no band-crosser is left over when one is subtracted from the
other).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from naervaer.stats.calendar import Calendar, day_number, day_numbers
from naervaer.stats.ordering import owner_day_keys, sort_order
from naervaer.stats.periods import Period, build_periods, covering_range
from naervaer.stats.schema import absence_span, date_span, kind_codes

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
    period: np.ndarray  # int16, period index of each day lo..hi + 1
    workdays: (
        np.ndarray
    )  # int16, workdays from the period's first day up to (not including) the day
    days: np.ndarray  # int16, calendar days from the period's first day up to the day

    @classmethod
    def build(cls, calendar: Calendar, starts: np.ndarray, ends: np.ndarray) -> Boundaries:
        lo, hi = int(starts[0]), int(ends[-1])
        days = np.arange(lo, hi + 2, dtype=np.int64)
        period = np.searchsorted(starts, days, side="right") - 1
        period[-1] = len(starts)
        first = np.append(starts, hi + 1)[period]
        cum = calendar.cum[days - calendar.lo]
        return cls(
            lo,
            period.astype(np.int16),
            (cum - calendar.cum[first - calendar.lo]).astype(np.int16),
            (days - first).astype(np.int16),
        )

    def index(self, day: np.ndarray) -> np.ndarray:
        """Positions of boundary days in the lookup arrays (clipped to the range)."""
        positions: np.ndarray = np.clip(day, self.lo, self.lo + len(self.period) - 1) - self.lo
        return positions

    def at(self, day: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Period, workday offset and day offset of each boundary day (clipped to the range)."""
        index = self.index(day)
        return self.period[index], self.workdays[index], self.days[index]


@dataclass(frozen=True)
class Groups:
    """The rows of the dense grid: every group with employment in the range and, with rollup, every
    group one or more units above such a group (same breakdown value)."""

    keys: np.ndarray  # int64, sorted: unit code × width + breakdown code
    width: int  # number of breakdown codes (1 without a breakdown)
    parent: np.ndarray  # int64, row of the group one unit up (−1 at the top, or without rollup)
    levels: list[
        np.ndarray
    ]  # rows by the depth of their unit, deepest first: the order of a rollup

    def rows(self, keys: np.ndarray) -> np.ndarray:
        """Grid rows of group keys that are groups."""
        return np.searchsorted(self.keys, keys)


@dataclass(frozen=True)
class EngineArrays:
    """The columns the numpy side gathers from, by employment row (``emp_``) and absence row."""

    emp_s: np.ndarray  # int32 first day of the employment (piece, for the age-band breakdown)
    emp_e: np.ndarray  # int32 last day (the day after the calendar when open)
    emp_es: np.ndarray  # int32 first day of the whole employment (spells are per employment)
    emp_ee: np.ndarray  # int32 last day of the whole employment
    emp_pp: np.ndarray  # float64 position percent
    emp_group: np.ndarray  # int64 grid row of the employment's group (−1 outside the range)
    emp_source: (
        np.ndarray
    )  # position of the row's employment in the input (age-band pieces share it)
    emp_first: (
        np.ndarray
    )  # first employment row of each employment of the input (its pieces follow)
    emp_count: np.ndarray  # number of rows (pieces) of each employment of the input
    a_employment: (
        np.ndarray
    )  # int32 position of the absence's employment in the input, −1 without one
    touching: np.ndarray  # bool, another absence of the person directly precedes or follows
    a_s: np.ndarray  # int32 absence start
    a_e: np.ndarray  # int32 absence end
    kind: np.ndarray  # int8, index into schema.KINDS
    grade: np.ndarray  # float64 grade percent


@dataclass(frozen=True)
class EngineInput:
    """Everything one statistics run hands to the engine.

    ``employments`` and ``absences`` are the Arrow tables the Ibis relations read (row numbers
    ``erow``/``arow`` name the rows of ``arrays``); ``absences`` holds only the absences that need
    a join: those without employment_id. ``l_p`` is the period of the last day inside the range.
    """

    employments: pa.Table  # erow, employment_id, employee_id, unit_id (code), b, s, e, s_p, l_p
    absences: pa.Table  # arow, a_employee, a_s, a_e
    arrays: EngineArrays
    closure: pa.Table  # ancestor, unit_id: every unit with itself and all its ancestors (codes)
    unit_ids: pa.Array  # the units' ids, sorted; the engine works with positions in it (codes)
    breakdown_labels: np.ndarray  # breakdown values by code (one empty label without a breakdown)
    groups: Groups
    calendar: Calendar
    bounds: Boundaries
    periods: list[Period]
    full_workdays: np.ndarray  # workdays of each period
    full_days: np.ndarray  # calendar days of each period
    range_lo: int
    range_hi: int


def unit_codes(values: pa.ChunkedArray | pa.Array, unit_ids: pa.Array) -> pa.Array:
    """Units as codes: their positions in the sorted ``unit_ids`` (null stays null)."""
    return pc.index_in(values, value_set=unit_ids)


def unit_parents(units: pa.Table, unit_ids: pa.Array) -> np.ndarray:
    """Parent code of every unit code (−1 for a top unit)."""
    parents = np.full(len(unit_ids), -1, dtype=np.int64)
    codes = unit_codes(units["unit_id"], unit_ids).to_numpy(zero_copy_only=False)
    parents[codes] = pc.fill_null(unit_codes(units["parent_id"], unit_ids), -1).to_numpy(
        zero_copy_only=False
    )
    return parents


def unit_closure(parents: np.ndarray) -> pa.Table:
    """(ancestor, unit_id) code pairs, each unit paired with itself and every unit above it."""
    ancestors, members = [np.arange(len(parents))], [np.arange(len(parents))]
    node = parents.copy()
    while (node >= 0).any():
        above = np.flatnonzero(node >= 0)
        ancestors.append(node[above])
        members.append(above)
        node[above] = parents[node[above]]
    return pa.table(
        {
            "ancestor": np.concatenate(ancestors).astype(np.int32),
            "unit_id": np.concatenate(members).astype(np.int32),
        }
    )


def _groups(
    leaf_keys: np.ndarray, width: int, parents: np.ndarray | None, closure: pa.Table | None = None
) -> Groups:
    """Groups from the keys with employment in the range; ``parents`` (unit parent codes) and the
    unit ``closure`` when the grid rolls up, which adds every group above them."""
    keys = np.unique(leaf_keys)
    if parents is None or closure is None:
        return Groups(keys, width, np.full(len(keys), -1, dtype=np.int64), [])
    frontier, found = keys, [keys]
    while len(frontier):
        up = parents[frontier // width]
        frontier = np.unique(up[up >= 0] * width + frontier[up >= 0] % width)
        found.append(frontier)
    keys = np.unique(np.concatenate(found))
    up = parents[keys // width]
    parent = np.where(up >= 0, np.searchsorted(keys, up * width + keys % width), -1)
    depth = (np.bincount(closure["unit_id"].to_numpy(), minlength=len(parents)) - 1)[
        keys // width
    ]  # units above
    levels = [np.flatnonzero(depth == d) for d in range(int(depth.max(initial=0)), 0, -1)]
    return Groups(keys, width, parent, levels)


def _person_column(emp: pd.DataFrame, tables: dict[str, pa.Table], column: str) -> pd.Series:
    if "persons" not in tables:
        raise ValueError(f"breakdown by {column} needs the optional persons table")
    people = tables["persons"].to_pandas().set_index("employee_id")[column]
    return emp["employee_id"].map(people)


def _split_by_age_band(
    emp: pd.DataFrame, birth: pd.Series, month_starts: np.ndarray
) -> pd.DataFrame:
    """One row per employment and age band, cut at the first month start after each band birthday."""
    known = birth.notna().to_numpy()
    cuts = [np.full(len(emp), np.iinfo(np.int64).min)]
    for limit in AGE_LIMITS:
        birthday = (
            (pd.to_datetime(birth) + pd.DateOffset(years=limit)).to_numpy().astype("datetime64[D]")
        )
        birthday_days = np.where(known, birthday.astype(np.int64), 0)
        index = np.searchsorted(month_starts, birthday_days)
        cut = np.where(
            index < len(month_starts),
            month_starts[np.minimum(index, len(month_starts) - 1)],
            np.iinfo(np.int64).max,
        )
        cuts.append(np.where(known, cut, np.iinfo(np.int64).max))
    cuts.append(np.full(len(emp), np.iinfo(np.int64).max))
    pieces = []
    for band, label in enumerate(AGE_BANDS):
        piece = emp.assign(
            s=np.maximum(emp["s"].to_numpy(), cuts[band]),
            e=np.minimum(emp["e"].to_numpy(), cuts[band + 1] - 1),
            age_band=label,
        )
        pieces.append(piece[(piece["s"] <= piece["e"]) & known])
    pieces.append(emp[~known].assign(age_band=UNKNOWN))
    return pd.concat(pieces, ignore_index=True)


def _label(values: pd.Series) -> pd.Series:
    """Text labels with a missing one as unknown; Parquet text arrives as categories, which take
    no new value, so the labels become plain objects first."""
    return values.astype(object).fillna(UNKNOWN)


def _breakdown(
    emp: pd.DataFrame,
    source: pa.Table,
    tables: dict[str, pa.Table],
    breakdown: str | None,
    month_starts: np.ndarray,
) -> tuple[pd.DataFrame, np.ndarray]:
    """Employment rows with their breakdown code ``b`` (pieces for the age band), and the labels."""
    if breakdown is None:
        return emp.assign(b=np.int32(0)), np.array([""], dtype=object)
    if breakdown == "occupation":
        emp["label"] = _label(source["occupation"].to_pandas())
    elif breakdown == "sex":
        emp["label"] = _label(_person_column(emp, tables, "sex"))
    else:
        emp = _split_by_age_band(emp, _person_column(emp, tables, "birth_date"), month_starts)
        emp["label"] = emp.pop("age_band")
    labels, codes = np.unique(emp.pop("label").to_numpy(dtype=object), return_inverse=True)
    return emp.assign(b=codes.astype(np.int32)), labels


def _touching(employee: pa.ChunkedArray, start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """True for absences that another absence of the same employee directly precedes or follows.

    Only those can belong to a spell of several absences; the engine runs its spell windows on
    them alone. (Cutting absences to employments never makes new neighbours.)
    """
    if len(start) == 0:
        return np.zeros(0, dtype=bool)
    key, _ = owner_day_keys(employee, start, end)
    order = sort_order(key)
    length = end - start + 1
    if order is not None:
        key, length = key[order], length[order]
    # The next absence starts the day after this one ends, for the same person: its key is this
    # key plus this absence's length.
    adjacent = key[1:] == key[:-1] + length[:-1]
    del key, length
    touching = np.zeros(len(adjacent) + 1, dtype=bool)
    touching[1:] |= adjacent
    touching[:-1] |= adjacent
    if order is None:
        return touching
    out = np.empty_like(touching)
    out[order] = touching
    return out


def prepare(
    tables: dict[str, pa.Table],
    period_kind: str,
    start: dt.date | None = None,
    end: dt.date | None = None,
    breakdown: str | None = None,
    by_unit: bool = True,
    rollup: bool = False,
) -> EngineInput:
    """Convert validated canonical tables for one run over whole periods of ``period_kind``
    (month, quarter or year; the caller turns quarters into four-quarter windows).

    The range defaults to the absences' span (see ``schema.absence_span``), widened to whole periods.
    """
    if breakdown is not None and breakdown not in BREAKDOWNS:
        raise ValueError(
            f"unknown breakdown {breakdown!r} (expected one of {', '.join(BREAKDOWNS)})"
        )
    if rollup and not by_unit:
        raise ValueError("rollup credits units with their subtrees: it needs unit in by")
    default_first, default_last = absence_span(tables)
    if (start or default_first) > (end or default_last):
        raise ValueError(
            f"the range starts on {(start or default_first).isoformat()}, after it ends on "
            f"{(end or default_last).isoformat()} (a missing end is the last absence day)"
        )
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
    parents = unit_parents(tables["units"], unit_ids)
    emp = pd.DataFrame(
        {
            "employment_id": source["employment_id"].to_pandas(),
            "employee_id": source["employee_id"].to_pandas(),
            "unit_id": unit_codes(source["unit_id"], unit_ids)
            .to_numpy(zero_copy_only=False)
            .astype(np.int32),
            "pp": source["position_percent"].to_numpy(),
            "s": day_numbers(source["start_date"]),
            "e": pc.fill_null(pc.cast(source["end_date"], pa.int32()), open_end).to_numpy(
                zero_copy_only=False
            ),
        }
    )
    emp["es"], emp["ee"], emp["src"] = emp["s"], emp["e"], np.arange(len(emp))
    month_starts = np.array(
        [day_number(p.start) for p in build_periods("month", first, last)], dtype=np.int64
    )
    emp, labels = _breakdown(emp, source, tables, breakdown, month_starts)
    if breakdown == "age_band":  # an employment's pieces next to each other, in day order
        emp = emp.sort_values(["src", "s"], kind="stable", ignore_index=True)
    emp_first = np.searchsorted(emp["src"].to_numpy(), np.arange(source.num_rows))
    emp_count = np.diff(np.append(emp_first, len(emp)))
    s_days, e_days = emp["s"].to_numpy(np.int32), emp["e"].to_numpy(np.int32)
    emp["s_p"] = bounds.at(s_days)[0]
    emp["l_p"] = bounds.at(np.minimum(e_days, ends[-1]))[0]
    emp.insert(0, "erow", np.arange(len(emp), dtype=np.int32))
    width = len(labels)
    keys = (
        emp["unit_id"].to_numpy(np.int64) if by_unit else np.zeros(len(emp), np.int64)
    ) * width + emp["b"].to_numpy()
    in_range = (s_days <= ends[-1]) & (e_days >= starts[0])
    closure = unit_closure(parents)
    groups = (
        _groups(keys[in_range], width, parents, closure)
        if rollup
        else _groups(keys[in_range], width, None)
    )
    emp_group = np.where(in_range, groups.rows(keys), -1)

    ab = tables["absences"]
    a_s, a_e = day_numbers(ab["start_date"]), day_numbers(ab["end_date"])
    touching = _touching(ab["employee_id"], a_s, a_e)
    named = pc.fill_null(
        pc.index_in(ab["employment_id"], value_set=source["employment_id"].combine_chunks()), -1
    )
    a_employment = named.to_numpy(zero_copy_only=False).astype(np.int32, copy=False)
    implicit = np.flatnonzero(
        a_employment < 0
    )  # applies to whichever employments it overlaps: a join
    absences = pa.table(
        {
            "arow": pa.array(implicit.astype(np.int32)),
            "a_employee": ab["employee_id"].take(implicit),
            "a_s": a_s[implicit],
            "a_e": a_e[implicit],
        }
    )
    arrays = EngineArrays(
        s_days,
        e_days,
        emp["es"].to_numpy(np.int32),
        emp["ee"].to_numpy(np.int32),
        emp["pp"].to_numpy(np.float64),
        emp_group,
        emp["src"].to_numpy(np.int64),
        emp_first,
        emp_count,
        a_employment,
        touching,
        a_s,
        a_e,
        kind_codes(ab["kind"]),
        ab["grade_percent"].to_numpy(),
    )
    full_workdays = np.array(
        [
            calendar.cum_before(int(e) + 1) - calendar.cum_before(int(s))
            for s, e in zip(starts, ends, strict=True)
        ],
        dtype=np.float64,
    )
    employments = pa.Table.from_pandas(
        emp.drop(columns=["es", "ee", "src", "pp"]), preserve_index=False
    )
    return EngineInput(
        employments,
        absences,
        arrays,
        closure,
        unit_ids,
        labels,
        groups,
        calendar,
        bounds,
        periods,
        full_workdays,
        (ends - starts + 1).astype(np.float64),
        int(starts[0]),
        int(ends[-1]),
    )
