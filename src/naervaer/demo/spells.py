"""Absence spells for every employment at once, as a thinned Poisson process walked in rounds.

Each round draws, for every employment still inside its window, the waiting time to the next
candidate spell; a month-dependent acceptance gives the season (Q1 high, Q3 low). An accepted
spell gets a kind and a length, and the next round starts after it plus a healthy day — so spells
never overlap and never leave the window. The number of rounds is the largest number of spells
of one employment, and the work per round is a few array operations over the employments left.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from naervaer.demo import patterns as p

SELF_CERTIFIED, DOCTOR_CERTIFIED = 0, 1


@dataclass(frozen=True)
class Spells:
    """Spell arrays sorted by employment row and start: inclusive day numbers, kind code, grade."""

    row: np.ndarray
    start: np.ndarray
    end: np.ndarray
    kind: np.ndarray  # SELF_CERTIFIED or DOCTOR_CERTIFIED
    grade: np.ndarray  # 20..100


def _calendar(first: int, last: int) -> tuple[np.ndarray, np.ndarray]:
    """Month index (0–11) and weekday (0 = Monday) for each day number in [first, last]."""
    days = np.arange(first, last + 1).astype("datetime64[D]")
    month = days.astype("datetime64[M]").astype(np.int64) % 12
    weekday = (np.arange(first, last + 1) + 3) % 7  # 1970-01-01 was a Thursday
    return month, weekday


def _long_lengths(rng: np.random.Generator, size: int) -> np.ndarray:
    """Heavy-tailed (Pareto) lengths from LONG_MIN_DAYS, capped at LONG_MAX_DAYS."""
    raw = p.LONG_MIN_DAYS * (1.0 - rng.random(size)) ** (-1.0 / p.LONG_PARETO_SHAPE)
    return np.minimum(raw.astype(np.int64), p.LONG_MAX_DAYS)


def generate_spells(
    rng: np.random.Generator,
    window_start: np.ndarray,
    window_end: np.ndarray,
    employment_start: np.ndarray,
    rates: np.ndarray,
    beyond: np.ndarray | None = None,
) -> Spells:
    """Spells inside each employment's window [window_start, window_end] (day numbers, inclusive).

    `beyond` (days per employment, default none) lets a doctor-certified spell that is still
    running at the window's end go on past it, as a sick note written ahead does: the spell ends
    at its drawn length but at most `beyond` days after the window. It is the last of its row.

    `rates` has shape (n, 3): self-certified, short doctor-certified and long doctor-certified
    spells per person-year for each employment. Self-certified spells start on weekdays and,
    within two months of `employment_start`, become doctor-certified (egenmelding needs two
    months' employment).
    """
    n = window_start.size
    if n == 0:
        return Spells(*(np.empty(0, dtype=np.int64) for _ in range(4)), np.empty(0))
    first, last = int(window_start.min()), int(window_end.max())
    month, weekday = _calendar(first, last)
    peak = p.MONTH_INCIDENCE.max()
    total_rate = rates.sum(axis=1)
    cumulative = np.cumsum(rates, axis=1) / np.where(total_rate > 0, total_rate, 1)[:, None]
    candidate_rate = total_rate * peak / 365.25  # candidates per day
    cursor = window_start.astype(float)
    active = np.flatnonzero((candidate_rate > 0) & (window_start <= window_end))
    parts: list[tuple[np.ndarray, ...]] = []
    while active.size:
        at = cursor[active] + rng.exponential(1.0 / candidate_rate[active])
        day = np.floor(at).astype(np.int64)
        inside = day <= window_end[active]
        active, at, day = active[inside], at[inside], day[inside]
        accepted = rng.random(active.size) * peak < p.MONTH_INCIDENCE[month[day - first]]
        cursor[active[~accepted]] = at[~accepted]
        rows, start = active[accepted], day[accepted]
        choice = rng.random(rows.size)
        category = (choice[:, None] > cumulative[rows]).sum(
            axis=1
        )  # 0 self, 1 short doctor, 2 long
        length = np.where(
            category == 0,
            rng.choice(p.SELF_CERTIFIED_LENGTHS, rows.size, p=p.SELF_CERTIFIED_WEIGHTS),
            np.where(
                category == 1,
                rng.integers(p.SHORT_DOCTOR_RANGE[0], p.SHORT_DOCTOR_RANGE[1] + 1, rows.size),
                _long_lengths(rng, rows.size),
            ),
        )
        wd = weekday[start - first]
        start = np.where((category == 0) & (wd >= 5), start + 7 - wd, start)  # weekend → Monday
        keep = start <= window_end[rows]
        rows, start, length, category = rows[keep], start[keep], length[keep], category[keep]
        graded = (category == 2) & (rng.random(rows.size) < p.GRADED_SHARE_OF_LONG)
        grade = np.where(graded, rng.choice(p.GRADES, rows.size, p=p.GRADE_WEIGHTS), 100).astype(
            float
        )
        too_new = start < employment_start[rows] + p.SELF_CERTIFICATION_WAIT_DAYS
        kind = np.where((category == 0) & ~too_new, SELF_CERTIFIED, DOCTOR_CERTIFIED)
        later = 0 if beyond is None else np.where(kind == DOCTOR_CERTIFIED, beyond[rows], 0)
        end = np.minimum(start + length - 1, window_end[rows] + later)
        parts.append((rows, start, end, kind, grade))
        cursor[rows] = end + 1 + p.MIN_GAP_DAYS
        # Rows whose accepted candidate fell on a weekend past the window end are done too.
        dropped = active[accepted][~keep]
        cursor[dropped] = window_end[dropped] + 1
        active = active[cursor[active] <= window_end[active]]
    if not parts:
        return Spells(*(np.empty(0, dtype=np.int64) for _ in range(4)), np.empty(0))
    row, start, end, kind, grade = (np.concatenate(column) for column in zip(*parts, strict=True))
    del parts  # the rounds' pieces; at national scale they are as large as the result
    order = np.lexsort((start, row))
    return Spells(row[order], start[order], end[order], kind[order].astype(np.int8), grade[order])
