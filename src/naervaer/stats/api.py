"""compute() and spells(): the statistics engine's entry points.

Runs the Ibis expression on the chosen backend and adds, in pandas over the small result, the
ratios that are not sums: percents, spells per employee-year, average spell length, graded share,
trend against the same period a year earlier and the comparison with a reference. Masking comes
last, so no figure of a small cell leaves this module unless ``unmasked=True``.
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
from naervaer.stats.indicators import DURATION_CLASSES, LOST_COLUMNS, SHORT_TERM_DAYS, Engine, lost_split
from naervaer.stats.masking import MIN_PERSONS, apply_mask
from naervaer.stats.periods import PERIOD_KINDS, build_periods
from naervaer.stats.prepare import prepare
from naervaer.stats.progress import Progress

DAYS_PER_YEAR = 365.25
REFERENCE_BAND = 0.10
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


def _ratio(numerator: pd.Series, denominator: pd.Series, scale: float = 1.0) -> pd.Series:
    num = numerator.astype(float)
    den = denominator.astype(float)
    return (num * scale / den.where(den != 0)).astype(float)


def compare(value: float | None, reference: float | None) -> str | None:
    """"over" above 1.1 × reference, "under" below 0.9 ×, else "middle" (DOMAIN §9)."""
    if value is None or reference is None or pd.isna(value) or pd.isna(reference):
        return None
    if value > (1 + REFERENCE_BAND) * reference:
        return "over"
    if value < (1 - REFERENCE_BAND) * reference:
        return "under"
    return "middle"


def _derive(frame: pd.DataFrame, keys: list[str], previous: dict[str, str],
            reference: float | Mapping[str, float] | None) -> pd.DataFrame:
    out = frame.copy()
    for name, lost in PERCENT_OF.items():
        out[name] = _ratio(out[lost], out["possible_workdays"], 100.0)
    out["graded_share"] = _ratio(out["lost_graded"], out["lost_workdays"], 100.0)
    out["spells_per_employee_year"] = _ratio(out["spells"], out["employment_days"] / DAYS_PER_YEAR)
    out["average_spell_days"] = _ratio(out["spell_days"], out["spells"])
    prior = out[keys + ["absence_percent", "persons"]].rename(
        columns={"period": "_previous", "absence_percent": "_prior", "persons": "_prior_persons"})
    out["_previous"] = out["period"].map(previous)
    out = out.merge(prior, on=[k if k != "period" else "_previous" for k in keys], how="left")
    shown = out["_prior_persons"] >= MIN_PERSONS
    out["trend_pp"] = (out["absence_percent"] - out["_prior"]).where(shown)
    if reference is not None:
        ref = out["period"].map(reference) if isinstance(reference, Mapping) else float(reference)
        out["reference_percent"] = ref
        out["comparison"] = [compare(v, r) for v, r in zip(out["absence_percent"], out["reference_percent"])]
    return out.drop(columns=["_previous", "_prior", "_prior_persons"])


ADDITIVE = ("possible_workdays", "employment_days", *LOST_COLUMNS, "spells", "spell_days")
WINDOW_QUARTERS = 4


def _four_quarters(frame: pd.DataFrame, group: list[str], quarters: list, windows: list) -> pd.DataFrame:
    """Quarter rows → four-quarter windows: sums of the additive measures over the window, persons
    over the whole window and the largest quarterly headcount (for masking)."""
    shifted = [frame.assign(end=frame["pidx"] + lag) for lag in range(WINDOW_QUARTERS)]
    stacked = pd.concat(shifted, ignore_index=True)
    stacked = stacked[stacked["end"].between(WINDOW_QUARTERS - 1, len(quarters) - 1)]
    sums = stacked.groupby([*group, "end"], dropna=False).agg(
        **{c: (c, "sum") for c in ADDITIVE}, largest_quarter=("persons", "max")).reset_index()
    persons = frame[[*group, "pidx", "persons_window"]].rename(columns={"pidx": "end", "persons_window": "persons"})
    out = sums.merge(persons, on=[*group, "end"], how="inner")
    out["period"] = out["end"].map(lambda q: windows[q - WINDOW_QUARTERS + 1].label)
    return out.rename(columns={"end": "pidx"})


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
    frame = runner.run()
    progress.step(f"computed {len(frame)} cells")
    group = runner.keys
    keys = [k for k in ("unit_id", "period", breakdown) if k and (k != "unit_id" or by_unit)]
    periods = engine_input.periods
    headcount = None
    if rolling:
        windows = build_periods("rolling4q", periods[0].start, periods[-1].end)
        frame = _four_quarters(frame, group, periods, windows)
        periods = windows
        headcount = frame["largest_quarter"]
    frame = frame.drop(columns=[c for c in ("pidx", "persons_window", "largest_quarter") if c in frame])
    previous = {p.label: p.previous for p in periods}
    order = {p.label: i for i, p in enumerate(periods)}
    frame = _derive(frame, keys, previous, reference)
    frame = apply_mask(frame, keys, unmasked, headcount)
    frame = frame.assign(_order=frame["period"].map(order)).sort_values(
        [k if k != "period" else "_order" for k in keys]).drop(columns="_order")
    progress.step("masked and derived")
    return frame[keys + [c for c in frame.columns if c not in keys]].reset_index(drop=True)


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
    bounds = [upper for _, upper in DURATION_CLASSES]
    labels = [name for name, _ in DURATION_CLASSES] + ["F"]
    frame["duration_class"] = [labels[int(np.searchsorted(bounds, n))] for n in frame["length"]]
    frame["short_term"] = frame["length"] <= SHORT_TERM_DAYS
    frame["graded"] = frame["lost_graded"] > 0
    frame["spell_start"] = frame["spell_start"].map(from_day_number)
    frame["spell_end"] = frame["spell_end"].map(from_day_number)
    frame = frame.rename(columns={"length": "length_days"}).drop(columns=["lost_graded"])
    return frame.sort_values(["employment_id", "spell_start"], ignore_index=True)
