"""Factor scores against absence across units (issue #16 item 9), with honest uncertainty.

Aurskog-Høland found "a clear link" between health complaints, poor interpersonal relations and
long absences. What the data can show is a link between *units*: the correlation of unit means,
with a Fisher-z confidence interval, and the slope of absence on the score with its t interval.
That is an ecological correlation — it says nothing about whether the people who answer badly
are the ones who are absent — and the page says so beside every figure.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from naervaer.insight import statistics
from naervaer.prevention import results
from naervaer.prevention.models import SurveyRound


@dataclass(frozen=True)
class Relation:
    units: int
    r: float
    r_low: float
    r_high: float
    slope: float
    slope_low: float
    slope_high: float
    points: list[dict]


def relation(scores: list[float], absence: list[float], names: list[str]) -> Relation | None:
    """Pearson r with a 95 % Fisher-z interval and the OLS slope with a 95 % t interval."""
    n = len(scores)
    if n < 4 or np.std(scores) == 0 or np.std(absence) == 0:
        return None
    fit = stats.linregress(scores, absence)
    z, se = math.atanh(max(min(fit.rvalue, 0.999999), -0.999999)), 1 / math.sqrt(n - 3)
    t = stats.t.ppf(0.975, n - 2)
    return Relation(
        units=n,
        r=float(fit.rvalue),
        r_low=math.tanh(z - 1.96 * se),
        r_high=math.tanh(z + 1.96 * se),
        slope=float(fit.slope),
        slope_low=float(fit.slope - t * fit.stderr),
        slope_high=float(fit.slope + t * fit.stderr),
        points=[
            {"name": name, "score": s, "absence": a}
            for name, s, a in zip(names, scores, absence, strict=True)
        ],
    )


def _quarter(day: dt.date) -> str:
    return f"{day.year}Q{(day.month - 1) // 3 + 1}"


def absence_by_unit(survey: SurveyRound) -> dict[int, float]:
    """Each unit's absence percent over the four quarters up to the round's closing quarter
    (masked units left out), from the statistics engine."""
    frame = statistics.panel(survey.organisation, "rolling4q")
    if not len(frame):
        return {}
    frame = frame[~frame["masked"].astype(bool)]
    # Four-quarter periods are labelled "2025Q4-2026Q3": the window ending in the closing quarter.
    periods = sorted(
        p for p in frame["period"].unique() if str(p)[-6:] <= _quarter(survey.closes_on)
    )
    if not periods:
        return {}
    latest = frame[frame["period"] == periods[-1]]
    return {
        int(row.unit_id): float(row.absence_percent)
        for row in latest.itertuples()
        if not pd.isna(row.absence_percent)
    }


def factor_relation(survey: SurveyRound, factor: str, visible: set[int]) -> Relation | None:
    """The relation across the round's lowest shown units (no unit counted inside another)."""
    counts = results.round_counts(survey)
    absence = absence_by_unit(survey)
    f = counts.factor_keys.index(factor)
    children = {int(p) for p in counts.tally.parent_index if p >= 0}
    scores, percents, names = [], [], []
    for row, unit_id in enumerate(counts.tally.unit_ids):
        if unit_id in counts.hidden or unit_id not in visible or unit_id not in absence:
            continue
        if row in children and any(
            counts.tally.unit_ids[c] not in counts.hidden
            for c in np.nonzero(counts.tally.parent_index == row)[0]
        ):
            continue  # a shown unit below it is counted instead
        value = counts.means[row, f]
        if np.isnan(value):
            continue
        scores.append(float(value))
        percents.append(absence[unit_id])
        names.append(counts.names[unit_id])
    return relation(scores, percents, names)
