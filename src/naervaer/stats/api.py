"""compute() and spells(): the statistics engine's entry points.

``prepare`` turns the canonical tables into the engine input; ``relations`` (Ibis, on the chosen
backend) finds the rows that count where a join, a window or a distinct count is needed;
``families`` adds them up into dense group × period arrays (numpy) and ``grid`` makes the
measures. Here, with numpy over those arrays, come the ratios that are not sums: percents, spells
per employee-year, average spell length, graded share, trend against the same period a year
earlier and the comparison with a reference. Masking comes last, so no figure of a small cell
— nor of a cell that would let one be worked out by subtraction (``protection``) — leaves this
module unless ``unmasked=True``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from naervaer.stats.calendar import from_day_number
from naervaer.stats.engines import connect
from naervaer.stats.families import resolved, sums
from naervaer.stats.grid import dense, four_quarters
from naervaer.stats.indicators import CLASS_NAMES, SHORT_TERM_DAYS, duration_class
from naervaer.stats.masking import MIN_PERSONS, mask_reasons, masked_column
from naervaer.stats.periods import PERIOD_KINDS, Period, build_periods
from naervaer.stats.prepare import EngineInput, Groups, prepare
from naervaer.stats.progress import Progress
from naervaer.stats.protection import Pattern, pattern_for
from naervaer.stats.relations import Relations

DAYS_PER_YEAR = 365.25
REFERENCE_BAND = 0.10
WINDOW_QUARTERS = 4
PERCENT_OF = {
    "absence_percent": "lost_workdays",
    "self_certified_percent": "lost_self_certified",
    "doctor_certified_percent": "lost_doctor_certified",
    "short_term_percent": "lost_short_term",
    "long_term_percent": "lost_long_term",
    **{f"class_{c}_percent": f"lost_class_{c}" for c in CLASS_NAMES},
}


def _parse_by(by: Sequence[str]) -> tuple[bool, str]:
    dims = [d.strip() for d in by]
    kinds = [d for d in dims if d in PERIOD_KINDS]
    unknown = [d for d in dims if d not in PERIOD_KINDS and d != "unit"]
    if unknown or len(kinds) != 1:
        raise ValueError(
            f"by must name one period ({', '.join(PERIOD_KINDS)}) and optionally unit, "
            f"got {','.join(dims)!r}"
        )
    return "unit" in dims, kinds[0]


def _ratio(numerator: np.ndarray, denominator: np.ndarray, scale: float = 1.0) -> np.ndarray:
    """numerator × scale / denominator, NaN where the denominator is zero (one new array: at 1 M
    employees each is 16 MB of fresh memory, and page faults are what costs)."""
    known = denominator != 0
    out = np.full(numerator.shape, np.nan)
    np.multiply(numerator, scale, out=out, where=known)
    np.divide(out, denominator, out=out, where=known)
    return out


def compare(value: float | None, reference: float | None) -> str | None:
    """ "over" above 1.1 × reference, "under" below 0.9 ×, else "middle" (DOMAIN §9)."""
    if value is None or reference is None or pd.isna(value) or pd.isna(reference):
        return None
    if value > (1 + REFERENCE_BAND) * reference:
        return "over"
    if value < (1 - REFERENCE_BAND) * reference:
        return "under"
    return "middle"


def _comparisons(values: np.ndarray, references: np.ndarray) -> np.ndarray:
    """``compare`` over whole arrays (object array of labels and None)."""
    known = ~(np.isnan(values) | np.isnan(references))
    labels = np.select(
        [values > (1 + REFERENCE_BAND) * references, values < (1 - REFERENCE_BAND) * references],
        ["over", "under"],
        "middle",
    ).astype(object)
    labels[~known] = None
    return labels


def _derive(
    values: dict[str, np.ndarray],
    periods: list[Period],
    reference: float | Mapping[str, float] | None,
    hidden: np.ndarray | None,
) -> dict[str, np.ndarray]:
    """The ratios, the trend against the same period a year earlier and the reference comparison.
    The trend is empty where the earlier cell is ``hidden`` (or, unmasked, small): it would give
    the earlier figure away."""
    out = dict(values)
    for name, lost in PERCENT_OF.items():
        out[name] = _ratio(values[lost], values["possible_workdays"], 100.0)
    out["graded_share"] = _ratio(values["lost_graded"], values["lost_workdays"], 100.0)
    out["spells_per_employee_year"] = _ratio(
        values["spells"], values["employment_days"] / DAYS_PER_YEAR
    )
    out["average_spell_days"] = _ratio(values["spell_days"], values["spells"])
    order = {p.label: i for i, p in enumerate(periods)}
    prior = np.array([order.get(p.previous, -1) for p in periods], dtype=np.int64)
    has_prior = prior >= 0
    trend = np.full(out["absence_percent"].shape, np.nan)
    earlier = prior[has_prior]
    shown = values["persons"][:, earlier] >= MIN_PERSONS if hidden is None else ~hidden[:, earlier]
    trend[:, has_prior] = np.where(
        shown, out["absence_percent"][:, has_prior] - out["absence_percent"][:, earlier], np.nan
    )
    out["trend_pp"] = trend
    if reference is not None:
        per_period = [
            reference.get(p.label, np.nan) if isinstance(reference, Mapping) else reference
            for p in periods
        ]
        references = np.broadcast_to(np.array(per_period, dtype=np.float64), trend.shape)
        out["reference_percent"] = references
        out["comparison"] = _comparisons(out["absence_percent"], references)
    return out


def _group_columns(
    engine_input: EngineInput, by_unit: bool, breakdown: str | None
) -> dict[str, np.ndarray]:
    """The key columns of the grid's rows: the unit's real id and the breakdown value."""
    groups = engine_input.groups
    columns = {}
    if by_unit:
        columns["unit_id"] = engine_input.unit_ids.take(
            pa.array(groups.keys // groups.width)
        ).to_numpy(zero_copy_only=False)
    if breakdown:
        columns[breakdown] = engine_input.breakdown_labels[groups.keys % groups.width]
    return columns


def _long(
    groups: Groups,
    keys: dict[str, np.ndarray],
    periods: list[Period],
    present: np.ndarray,
    values: dict[str, np.ndarray],
    small: np.ndarray | None,
    primary: np.ndarray | None,
    by_quarter: bool,
) -> pd.DataFrame:
    """The present cells as rows ordered by unit, period, breakdown; figures of the ``small`` cells
    blank (``small`` is None for unmasked output). Empties ``values`` as it goes, so a dense array
    is freed once its column is taken."""
    reorder = len(keys) > 1 or bool(
        keys and "unit_id" not in keys
    )  # a breakdown: periods go before its values
    if present.all() and not reorder:  # every cell, in grid order: the dense arrays are the columns
        rows, columns = np.divmod(np.arange(present.size), present.shape[1])
        cells = None
    else:
        rows, columns = np.nonzero(present)  # grid rows are in unit, breakdown order
        if reorder:
            unit = (
                groups.keys // groups.width
                if "unit_id" in keys
                else np.zeros(len(groups.keys), np.int64)
            )
            order = np.lexsort((groups.keys[rows] % groups.width, columns, unit[rows]))
            rows, columns = rows[order], columns[order]
        cells = rows * present.shape[1] + columns  # flat positions: one take per column
    frame = {key: keys[key][rows] for key in keys if key == "unit_id"}
    frame["period"] = pd.array(
        np.array([p.label for p in periods], dtype=object)[columns], dtype="string"
    )
    frame |= {key: keys[key][rows] for key in keys if key != "unit_id"}
    hidden = (
        np.zeros(len(rows), dtype=bool)
        if small is None
        else small.ravel()
        if cells is None
        else small.ravel().take(cells)
    )
    for name in list(values):
        column = np.ravel(values.pop(name))
        column = column if cells is None else column.take(cells)
        frame[name] = column if small is None else masked_column(column, hidden)
    frame["masked"] = hidden
    first = (
        hidden
        if primary is None
        else primary.ravel()
        if cells is None
        else primary.ravel().take(cells)
    )
    frame["mask_reason"] = mask_reasons(hidden, first, by_quarter)
    return pd.DataFrame(
        frame, copy=False
    )  # no copy into consolidated blocks: 2 M rows × 36 columns at 1 M employees


def compute(
    tables: dict[str, pa.Table],
    by: Sequence[str] = ("unit", "month"),
    engine: Any = "duckdb",
    unmasked: bool = False,
    rollup: bool = False,
    breakdown: str | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    reference: float | Mapping[str, float] | None = None,
    progress: Progress | None = None,
    pattern: Pattern | None = None,
) -> pd.DataFrame:
    """Indicators per (unit ×) period (× breakdown) from validated canonical tables.

    ``by`` names one period kind (month, quarter, year, rolling4q) and optionally "unit";
    ``rollup`` credits every unit with its whole subtree; ``breakdown`` is occupation, sex or
    age_band (age on the first day of each month); ``reference`` is an absence percent (or one per
    period label) to compare with. Day counts and percents are unrounded floats — round with
    ``present_percent`` when showing them. Unless ``unmasked=True``, cells with fewer than 5
    persons are masked, and so are the cells that would let one be worked out from this or any
    other output (``protection``; pass ``pattern`` when it is already at hand for ``tables``).
    """
    progress = progress or Progress(total=3, enabled=False)
    by_unit, kind = _parse_by(by)
    rolling = kind == "rolling4q"
    engine_input = prepare(
        tables, "quarter" if rolling else kind, start, end, breakdown, by_unit, rollup
    )
    progress.step("prepared input")
    backend = connect(engine)
    summed = sums(
        Relations(backend, engine_input, by_unit, rollup), WINDOW_QUARTERS if rolling else 1
    )
    if engine == "duckdb":  # our own connection: its memory goes before the grid is built
        backend.disconnect()
    groups, periods, keys = (
        engine_input.groups,
        engine_input.periods,
        _group_columns(engine_input, by_unit, breakdown),
    )
    full = {"workdays": engine_input.full_workdays, "days": engine_input.full_days}
    del engine_input  # the per-row arrays are done with: the result needs their memory
    grid = dense(summed, groups, full, rollup)
    progress.step(f"computed {grid.shape[0]} groups × {grid.shape[1]} periods")
    headcount = None
    if rolling:
        grid, headcount = four_quarters(grid, WINDOW_QUARTERS)
        periods = build_periods("rolling4q", periods[0].start, periods[-1].end)
    present = grid.values.pop("persons_window") > 0
    small = hidden = None
    if not unmasked:
        small = (grid.values["persons"] if headcount is None else headcount) < MIN_PERSONS
        if pattern is None:
            pattern = pattern_for(tables, periods[0].start, periods[-1].end)
        hidden = pattern.cells(
            keys.get("unit_id"), rollup, breakdown, keys.get(breakdown or ""), periods
        ) | (small & present)
    values = _derive(grid.values, periods, reference, hidden)
    grid.values.clear()
    frame = _long(groups, keys, periods, present, values, hidden, small, headcount is not None)
    progress.step("masked and derived")
    return frame


def spells(tables: dict[str, pa.Table], engine: Any = "duckdb") -> pd.DataFrame:
    """Every absence spell with its employment, unit, dates, calendar length, duration class, lost
    workdays (the whole spell, all periods) and whether any part of it was graded.

    For the evaluation module, which models duration and incidence per spell.
    """
    engine_input = prepare(tables, "month")
    backend = connect(engine)
    rows = pd.DataFrame(
        {
            "erow": np.zeros(0, np.int64),
            "spell_start": np.zeros(0, np.int32),
            "spell_end": np.zeros(0, np.int32),
            "lost": np.zeros(0),
            "kind": np.zeros(0, np.int8),
            "graded": np.zeros(0, np.int8),
        }
    )
    rows = pd.concat(
        [
            rows,
            *(
                pd.DataFrame(
                    {
                        "erow": p.erow,
                        "spell_start": p.spell_start,
                        "spell_end": p.spell_end,
                        "lost": p.weight * engine_input.calendar.workdays_between(p.s, p.e),
                        "kind": p.kind,
                        "graded": p.graded,
                    }
                )
                for p in resolved(Relations(backend, engine_input, True, False), in_range=False)
            ),
        ],
        ignore_index=True,
    )
    if engine == "duckdb":
        backend.disconnect()
    lost = rows["lost"].to_numpy()
    rows = rows.assign(
        lost_workdays=lost,
        lost_self_certified=np.where(rows["kind"] == 0, lost, 0.0),
        lost_doctor_certified=np.where(rows["kind"] == 1, lost, 0.0),
        lost_graded=np.where(rows["graded"] == 1, lost, 0.0),
    )
    frame = rows.groupby(["erow", "spell_start"], as_index=False, sort=False).agg(
        spell_end=("spell_end", "first"),
        lost_workdays=("lost_workdays", "sum"),
        lost_self_certified=("lost_self_certified", "sum"),
        lost_doctor_certified=("lost_doctor_certified", "sum"),
        lost_graded=("lost_graded", "sum"),
    )
    employments = engine_input.employments.take(pa.array(frame["erow"].to_numpy()))
    length = (frame["spell_end"] - frame["spell_start"] + 1).to_numpy()
    out = pd.DataFrame(
        {
            "employment_id": employments["employment_id"].to_numpy(zero_copy_only=False),
            "employee_id": employments["employee_id"].to_numpy(zero_copy_only=False),
            "unit_id": engine_input.unit_ids.take(employments["unit_id"]).to_numpy(
                zero_copy_only=False
            ),
            "spell_start": frame["spell_start"].map(from_day_number),
            "spell_end": frame["spell_end"].map(from_day_number),
            "length_days": length.astype(np.int64),
            **{
                c: frame[c].to_numpy()
                for c in ("lost_workdays", "lost_self_certified", "lost_doctor_certified")
            },
            "duration_class": np.array(CLASS_NAMES, dtype=object)[duration_class(length)],
            "short_term": length <= SHORT_TERM_DAYS,
            "graded": frame["lost_graded"].to_numpy() > 0,
        }
    )
    return out.sort_values(["employment_id", "spell_start"], ignore_index=True)


def warm_up() -> None:
    """Run the engine once on a one-person input. A process's first run pays DuckDB's and Ibis's
    start-up (about 0.4 s of 0.6); a server does it before its first request."""
    from naervaer.stats.schema import validate_tables

    day = dt.date(2024, 1, 1)
    tables = validate_tables(
        {
            "units": pa.table(
                {"unit_id": [1], "parent_id": pa.array([None], pa.int64()), "name": ["warm-up"]}
            ),
            "employments": pa.table(
                {
                    "employment_id": [1],
                    "employee_id": [1],
                    "unit_id": [1],
                    "start_date": [day],
                    "end_date": pa.array([None], pa.date32()),
                    "position_percent": [100.0],
                    "occupation": pa.array([None], pa.string()),
                }
            ),
            "absences": pa.table(
                {
                    "absence_id": [1, 2],
                    "employee_id": [1, 1],
                    "employment_id": pa.array([1, None]),
                    "start_date": [day, day + dt.timedelta(days=3)],
                    "end_date": [day + dt.timedelta(days=2), dt.date(2024, 12, 31)],
                    "kind": ["self_certified", "doctor_certified"],
                    "grade_percent": [100.0, 50.0],
                }
            ),
        }
    )
    compute(tables, by=("unit", "rolling4q"), rollup=True)
