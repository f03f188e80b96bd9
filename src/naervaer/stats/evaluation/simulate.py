"""Synthetic organisations with a known truth, to check that the evaluation recovers what was put in.

Used by the tests, the coverage benchmark and as a power check for evaluators ("with units this size,
would a 15 % shorter spell length even be visible?"). Spells follow a seasonal renewal process (peak
in January, low in July), each unit has its own level, and two occupations differ in incidence and
duration, so a shift in the occupation mix changes the crude figures without any real effect.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import numpy as np
import pyarrow as pa

OCCUPATIONS = {  # spells per employee-year, median doctor-certified spell length (days)
    "Konsulent": (1.2, 8.0),
    "Helsefagarbeider": (2.4, 14.0),
}


@dataclass(frozen=True)
class SimulationConfig:
    """``spell_length_factor`` multiplies spell lengths starting in target units from ``active_start`` on;
    ``composition_shift`` is the share of target "Konsulent" employees replaced at ``active_start`` by new
    "Helsefagarbeider" employees (a workforce change, not an effect)."""

    units: int = 12
    targets: int = 6
    employees_per_unit: int = 40
    start: dt.date = dt.date(2022, 1, 1)
    active_start: dt.date = dt.date(2023, 7, 1)
    end: dt.date = dt.date(2024, 12, 31)
    spell_length_factor: float = 1.0
    composition_shift: float = 0.0
    unit_sd: float = 0.25
    seed: int = 1


def _spell_length(rng: np.random.Generator, median_doctor: float) -> float:
    if rng.random() < 0.6:
        return float(rng.integers(2, 5))  # self-certified, 2-4 days
    return float(min(5 + rng.lognormal(math.log(median_doctor), 1.0), 300))


def _spells(
    rng: np.random.Generator,
    start: dt.date,
    end: dt.date,
    rate: float,
    median: float,
    factor_from: dt.date | None,
    factor: float,
) -> list[tuple[dt.date, int, bool]]:
    """A seasonal renewal process by thinning: (start, length in days, self-certified?)."""
    out: list[tuple[dt.date, int, bool]] = []
    day, peak = 0, rate * 1.3 / 365.25
    total = (end - start).days
    while True:
        day += int(rng.exponential(1 / peak)) + 1
        if day > total:
            return out
        when = start + dt.timedelta(days=day)
        if rng.random() > (1 + 0.3 * math.cos(2 * math.pi * (when.month - 1) / 12)) / 1.3:
            continue
        length = _spell_length(rng, median)
        if factor_from is not None and when >= factor_from:
            length *= factor
        whole = math.floor(length) + int(rng.random() < length - math.floor(length))
        out.append((when, max(whole, 1), length < 5))
        day += whole


def simulate_tables(config: SimulationConfig) -> dict[str, pa.Table]:
    """Canonical tables (units, employments, absences, persons) for one synthetic organisation."""
    rng = np.random.default_rng(config.seed)
    units: dict[str, list[object]] = {
        "unit_id": [1],
        "parent_id": [None],
        "name": ["Simulert kommune"],
    }
    employments: dict[str, list[object]] = {
        k: []
        for k in (
            "employment_id",
            "employee_id",
            "unit_id",
            "start_date",
            "end_date",
            "position_percent",
            "occupation",
        )
    }
    absences: dict[str, list[object]] = {
        k: []
        for k in (
            "absence_id",
            "employee_id",
            "employment_id",
            "start_date",
            "end_date",
            "kind",
            "grade_percent",
        )
    }
    persons: dict[str, list[object]] = {"employee_id": [], "birth_date": [], "sex": []}
    last_day = config.end + dt.timedelta(days=200)

    def hire(
        unit: int, target: bool, occupation: str, start: dt.date, end: dt.date | None, level: float
    ) -> None:
        emp = len(employments["employment_id"]) + 1
        employments["employment_id"].append(emp)
        employments["employee_id"].append(emp)
        employments["unit_id"].append(unit)
        employments["start_date"].append(start)
        employments["end_date"].append(end)
        employments["position_percent"].append(float(rng.choice([50.0, 75.0, 100.0])))
        employments["occupation"].append(occupation)
        persons["employee_id"].append(emp)
        persons["birth_date"].append(
            dt.date(int(rng.integers(1960, 2000)), int(rng.integers(1, 13)), 1)
        )
        persons["sex"].append(str(rng.choice(["F", "M"])))
        rate, median = OCCUPATIONS[occupation]
        factor_from = config.active_start if target else None
        for when, length, self_cert in _spells(
            rng,
            start,
            end or last_day,
            rate * level,
            median,
            factor_from,
            config.spell_length_factor,
        ):
            stop = when + dt.timedelta(days=length - 1)
            if end is not None:
                stop = min(stop, end)
            absences["absence_id"].append(len(absences["absence_id"]) + 1)
            absences["employee_id"].append(emp)
            absences["employment_id"].append(emp)
            absences["start_date"].append(when)
            absences["end_date"].append(stop)
            absences["kind"].append("self_certified" if self_cert else "doctor_certified")
            graded = not self_cert and rng.random() < 0.3
            absences["grade_percent"].append(50.0 if graded else 100.0)

    for index in range(config.units):
        unit = 100 + index
        target = index < config.targets
        units["unit_id"].append(unit)
        units["parent_id"].append(1)
        units["name"].append(f"{'Mål' if target else 'Ref'}enhet {index + 1}")
        level = float(rng.lognormal(0.0, config.unit_sd))
        for person in range(config.employees_per_unit):
            occupation = "Helsefagarbeider" if person % 2 else "Konsulent"
            leaves = (
                target and occupation == "Konsulent" and rng.random() < config.composition_shift
            )
            end = config.active_start - dt.timedelta(days=1) if leaves else None
            hire(unit, target, occupation, config.start, end, level)
            if leaves:
                hire(unit, target, "Helsefagarbeider", config.active_start, None, level)
    return {
        "units": pa.table(
            {
                "unit_id": pa.array(units["unit_id"], pa.int64()),
                "parent_id": pa.array(units["parent_id"], pa.int64()),
                "name": units["name"],
            }
        ),
        "employments": pa.table(
            {**employments, "end_date": pa.array(employments["end_date"], pa.date32())}
        ),
        "absences": pa.table(absences),
        "persons": pa.table(persons),
    }
