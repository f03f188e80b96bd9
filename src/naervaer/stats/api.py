"""compute() and spells(): the statistics engine's entry points.

Runs the Ibis queries on the chosen backend, makes their sums dense (``grid``) and adds, with
numpy over the group × period arrays, the ratios that are not sums: percents, spells per
employee-year, average spell length, graded share, trend against the same period a year earlier
and the comparison with a reference. Masking comes last, so no figure of a small cell leaves this
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
from naervaer.stats.grid import dense, four_quarters
from naervaer.stats.indicators import DURATION_CLASSES, SHORT_TERM_DAYS, Engine, lost_split
from naervaer.stats.masking import MIN_PERSONS, mask_reasons, masked_column
from naervaer.stats.periods import PERIOD_KINDS, Period, build_periods
from naervaer.stats.prepare import prepare
from naervaer.stats.progress import Progress

DAYS_PER_YEAR = 365.25
REFERENCE_BAND = 0.10
WINDOW_QUARTERS = 4
PERCENT_OF = {
    "absence_percent": "lost_workdays",
    "self_certified_percent": "lost_self_certified",
    "doctor_certified_percent": "lost_doctor_certified",
    "short_term_percent": "lost_short_term",
    "long_term_percent": "lost_long_term",
    **{f"class_{c}_percent": f"lost_class_{c}" for c in [*(n for n, _ in DURATION_CLASSES), "F"]},
}


def _parse_by(by: Sequence[str]) -> tuple[bool, str]:
    dims = [d.strip() for d in by]
    kinds = [d for d in dims if d in PERIOD_KINDS]
    unknown = [d for d in dims if d not in PERIOD_KINDS and d != "unit"]
    if unknown or len(kinds) != 1:
        raise ValueError(f"by must name one period ({', '.join(PERIOD_KINDS)}) and optionally unit, "
                         f"got {','.join(dims)!r}")
    return "unit" in dims, kinds[0]


def _ratio(numerator: np.ndarray, denominator: np.ndarray, scale: float = 1.0) -> np.ndarray:
    """numerator × scale / denominator, NaN where the denominator is zero."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(denominator != 0, numerator * scale / np.where(denominator != 0, denominator, 1), np.nan)


def compare(value: float | None, reference: float | None) -> str | None:
    """"over" above 1.1 × reference, "under" below 0.9 ×, else "middle" (DOMAIN §9)."""
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
    labels = np.select([values > (1 + REFERENCE_BAND) * references, values < (1 - REFERENCE_BAND) * references],
                       ["over", "under"], "middle").astype(object)
    labels[~known] = None
    return labels


def _derive(values: dict[str, np.ndarray], periods: list[Period],
            reference: float | Mapping[str, float] | None) -> dict[str, np.ndarray]:
    """The ratios, the trend against the same period a year earlier and the reference comparison."""
    out = dict(values)
    for name, lost in PERCENT_OF.items():
        out[name] = _ratio(values[lost], values["possible_workdays"], 100.0)
    out["graded_share"] = _ratio(values["lost_graded"], values["lost_workdays"], 100.0)
    out["spells_per_employee_year"] = _ratio(values["spells"], values["employment_days"] / DAYS_PER_YEAR)
    out["average_spell_days"] = _ratio(values["spell_days"], values["spells"])
    order = {p.label: i for i, p in enumerate(periods)}
    prior = np.array([order.get(p.previous, -1) for p in periods], dtype=np.int64)
    has_prior = prior >= 0
    trend = np.full(out["absence_percent"].shape, np.nan)
    earlier = prior[has_prior]
    shown = values["persons"][:, earlier] >= MIN_PERSONS
    trend[:, has_prior] = np.where(shown, out["absence_percent"][:, has_prior] - out["absence_percent"][:, earlier], np.nan)
    out["trend_pp"] = trend
    if reference is not None:
        per_period = [reference.get(p.label, np.nan) if isinstance(reference, Mapping) else reference for p in periods]
        references = np.broadcast_to(np.array(per_period, dtype=np.float64), trend.shape)
        out["reference_percent"] = references
        out["comparison"] = _comparisons(out["absence_percent"], references)
    return out


def _long(groups: pd.DataFrame, keys: list[str], periods: list[Period], present: np.ndarray,
          values: dict[str, np.ndarray], small: np.ndarray | None, by_quarter: bool) -> pd.DataFrame:
    """The present cells as rows ordered by unit, period, breakdown; figures of the ``small`` cells
    blank (``small`` is None for unmasked output). Empties ``values`` as it goes, so a dense array
    is freed once its column is taken."""
    rows, columns = np.nonzero(present)
    sort_keys = [columns]
    for key in keys:
        codes = pd.Categorical(groups[key], categories=sorted(groups[key].unique())).codes[rows]
        sort_keys.insert(0 if key == "unit_id" else len(sort_keys), codes)
    order = np.lexsort(sort_keys[::-1])
    rows, columns = rows[order], columns[order]
    cells = rows * present.shape[1] + columns   # flat positions: one take per column
    frame = {key: groups[key].to_numpy()[rows] for key in keys if key == "unit_id"}
    frame["period"] = pd.array(np.array([p.label for p in periods], dtype=object)[columns], dtype="string")
    frame |= {key: groups[key].to_numpy()[rows] for key in keys if key != "unit_id"}
    hidden = np.zeros(len(rows), dtype=bool) if small is None else small.ravel().take(cells)
    for name in list(values):
        column = np.ravel(values.pop(name)).take(cells)
        frame[name] = column if small is None else masked_column(column, hidden)
    frame["masked"] = hidden
    frame["mask_reason"] = mask_reasons(hidden, by_quarter)
    return pd.DataFrame(frame, copy=False)   # no copy into consolidated blocks: 2 M rows × 36 columns at 1 M employees


def compute(tables: dict[str, pa.Table], by: Sequence[str] = ("unit", "month"), engine: Any = "duckdb",
            unmasked: bool = False, rollup: bool = False, breakdown: str | None = None,
            start: dt.date | None = None, end: dt.date | None = None,
            reference: float | Mapping[str, float] | None = None, progress: Progress | None = None
            ) -> pd.DataFrame:
    """Indicators per (unit ×) period (× breakdown) from validated canonical tables.

    ``by`` names one period kind (month, quarter, year, rolling4q) and optionally "unit";
    ``rollup`` credits every unit with its whole subtree; ``breakdown`` is occupation, sex or
    age_band (age on the period's first day; for four-quarter figures, on each quarter's first
    day); ``reference`` is an absence percent (or one per period label) to compare with. Day counts
    and percents are unrounded floats — round with ``present_percent`` when showing them. Cells with
    fewer than 5 persons are masked unless ``unmasked=True``.
    """
    progress = progress or Progress(total=3, enabled=False)
    by_unit, kind = _parse_by(by)
    rolling = kind == "rolling4q"
    engine_input = prepare(tables, "quarter" if rolling else kind, start, end, breakdown)
    progress.step("prepared input")
    runner = Engine(connect(engine), engine_input, by_unit, rollup, breakdown, WINDOW_QUARTERS if rolling else 1)
    periods, keys, unit_ids = engine_input.periods, runner.keys, engine_input.unit_ids
    full = {"workdays": engine_input.full_workdays, "days": engine_input.full_days}
    frames = runner.families()
    if engine == "duckdb":   # our own connection: its memory goes before the grid is built
        runner.backend.disconnect()
    del runner, engine_input
    pa.default_memory_pool().release_unused()
    grid = dense(frames, keys, len(periods), full, unit_ids)
    progress.step(f"computed {grid.shape[0]} groups × {grid.shape[1]} periods")
    headcount = None
    if rolling:
        grid, headcount = four_quarters(grid, WINDOW_QUARTERS)
        periods = build_periods("rolling4q", periods[0].start, periods[-1].end)
    present = grid.values.pop("persons_window") > 0
    small = None if unmasked else (grid.values["persons"] if headcount is None else headcount) < MIN_PERSONS
    values = _derive(grid.values, periods, reference)
    grid.values.clear()
    frame = _long(grid.groups, [k for k in keys if k], periods, present, values, small, headcount is not None)
    progress.step("masked and derived")
    return frame


def spells(tables: dict[str, pa.Table], engine: Any = "duckdb") -> pd.DataFrame:
    """Every absence spell with its employment, unit, dates, calendar length, duration class, lost
    workdays (the whole spell, all periods) and whether any part of it was graded.

    For the evaluation module, which models duration and incidence per spell.
    """
    engine_input = prepare(tables, "month")
    runner = Engine(connect(engine), engine_input, True, False, None)
    rows = runner.spell_rows()
    rows = runner.lookup(rows, rows.s, cs="cum")
    rows = runner.lookup(rows, rows.e, ce1="cum_incl")
    lost = (rows.ce1 - rows.cs) * rows.pp * rows.grade / 10_000
    split = lost_split(rows.code, lost)
    grouped = rows.group_by(["employment_id", "employee_id", "unit_id", "spell_start", "spell_end", "length"]
                            ).aggregate(**{name: split[name] for name in ("lost_workdays", "lost_self_certified",
                                                                          "lost_doctor_certified", "lost_graded")})
    frame = runner.backend.execute(grouped)
    frame["unit_id"] = engine_input.unit_ids.to_pandas().take(frame["unit_id"].to_numpy()).to_numpy()
    bounds = [upper for _, upper in DURATION_CLASSES]
    labels = [name for name, _ in DURATION_CLASSES] + ["F"]
    frame["duration_class"] = [labels[int(np.searchsorted(bounds, n))] for n in frame["length"]]
    frame["short_term"] = frame["length"] <= SHORT_TERM_DAYS
    frame["graded"] = frame["lost_graded"] > 0
    frame["spell_start"] = frame["spell_start"].map(from_day_number)
    frame["spell_end"] = frame["spell_end"].map(from_day_number)
    frame = frame.rename(columns={"length": "length_days"}).drop(columns=["lost_graded"])
    return frame.sort_values(["employment_id", "spell_start"], ignore_index=True)
