"""Persons and employments: staff spread over the sites, leaders for every unit, turnover.

`employees` counts the staff in sites and administration departments (site leaders included);
the management above them — the chief executive, one head per sector and per department — comes
on top (about 1 %). Everything is drawn as arrays, so a million persons take seconds.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from naervaer.demo.patterns import (
    ENDING_SHARE,
    SECOND_JOB_SHARE,
    SECTORS,
    STAYER_SHARE,
    TEAM_SIZE,
    UNIT_CHANGE_SHARE,
)
from naervaer.demo.units import ROOT_ID, UnitTree

FEMALE_SHARE = np.array([0.85, 0.92, 0.75, 0.45, 0.70])  # per sector, as in SECTORS
YEAR = 365.25
NO_LEADER = 0


@dataclass(frozen=True)
class Workforce:
    """Person and employment arrays; dates are days since 1970-01-01, `end` -1 for ongoing."""

    birth: np.ndarray  # per person
    female: np.ndarray  # per person, bool
    person_sector: np.ndarray  # per person: sector of the main job (management: -1)
    employee_id: np.ndarray  # per employment
    unit_id: np.ndarray
    start: np.ndarray
    end: np.ndarray
    position: np.ndarray
    occupation: np.ndarray  # object array of str
    leader: np.ndarray  # employee id of the nearest leader, NO_LEADER for the top
    sector: np.ndarray  # per employment: index into SECTORS (-1 for the root)
    unit_leader: np.ndarray  # per unit (index = unit id - 1): employee id of its leader


def _pick(
    rng: np.random.Generator, options: tuple[tuple[object, float], ...], size: int
) -> np.ndarray:
    values = np.array([v for v, _ in options], dtype=object)
    weights = np.array([w for _, w in options], dtype=float)
    return values[rng.choice(len(values), size=size, p=weights / weights.sum())]


def _days(years: np.ndarray | float) -> np.ndarray:
    return np.round(np.asarray(years) * YEAR).astype(np.int64)


def build_workforce(
    rng: np.random.Generator,
    tree: UnitTree,
    staff_counts: np.ndarray,
    history_start: int,
    history_end: int,
) -> Workforce:
    """Draw all persons and employments for the unit tree over [history_start, history_end]."""
    # --- staff: sector, unit, job ---------------------------------------------------------
    sector = np.repeat(np.arange(len(SECTORS)), staff_counts)
    staff = sector.size
    unit = np.empty(staff, dtype=np.int64)
    site_leader_rows: list[np.ndarray] = []
    offset = 0
    for index, count in enumerate(staff_counts):
        units = tree.staff_units[index]
        choice = rng.integers(0, units.size, size=count)
        if SECTORS[index].site_size:
            choice[: units.size] = np.arange(
                units.size
            )  # the first staff member of each site leads it
            site_leader_rows.append(offset + np.arange(units.size))
        unit[offset : offset + count] = units[choice]
        offset += count
    site_leader = np.concatenate(site_leader_rows)
    occupation = np.empty(staff, dtype=object)
    position = np.empty(staff, dtype=float)
    for index, profile in enumerate(SECTORS):
        rows = sector == index
        occupation[rows] = _pick(rng, profile.occupations, int(rows.sum()))
        position[rows] = _pick(rng, profile.positions, int(rows.sum())).astype(float)
        occupation[site_leader[sector[site_leader] == index]] = profile.site_leader_title
    female = rng.random(staff) < FEMALE_SHARE[sector]

    # --- management on top: chief executive, sector heads, department heads ---------------
    n_departments = tree.departments.size
    mgmt_unit = np.concatenate([[ROOT_ID], tree.ids_at("sector"), tree.departments])
    mgmt_sector = tree.sector[mgmt_unit - 1]
    mgmt_title = np.array(
        ["Kommunedirektør"]
        + ["Kommunalsjef"] * len(SECTORS)
        + ["Virksomhetsleder"] * n_departments,
        dtype=object,
    )
    mgmt = mgmt_unit.size
    employee_id = np.arange(1, mgmt + staff + 1, dtype=np.int64)
    leader_of_unit = np.zeros(tree.unit_id.size + 1, dtype=np.int64)  # indexed by unit id
    leader_of_unit[mgmt_unit] = employee_id[:mgmt]
    staff_ids = employee_id[mgmt:]
    leader_of_unit[unit[site_leader]] = staff_ids[site_leader]

    # --- nearest leaders at staff units: the unit leader plus one team leader per TEAM_SIZE -
    order = np.lexsort((np.arange(staff), unit))
    sorted_unit = unit[order]
    first_of_unit = np.r_[0, np.flatnonzero(np.diff(sorted_unit)) + 1]
    unit_size = np.diff(np.r_[first_of_unit, staff])
    rank = np.arange(staff) - np.repeat(first_of_unit, unit_size)  # 0 = the site leader (if any)
    has_staff_leader = np.array([s.site_size > 0 for s in SECTORS])[
        tree.sector[sorted_unit - 1]
    ]  # sites
    teams = np.repeat((unit_size - 1) // TEAM_SIZE, unit_size)
    team_leader_rank = np.where(has_staff_leader, 1, 0)  # team leaders come after the site leader
    is_team_leader = (rank >= team_leader_rank) & (rank < team_leader_rank + teams)
    leaders_per_unit = teams + 1
    # Staff cycle over [unit leader, team leader 1, ...]; leaders themselves report upwards.
    slot = rank % leaders_per_unit
    team_leader_row = np.repeat(first_of_unit, unit_size) + team_leader_rank + slot - 1
    leader_sorted = np.where(
        slot == 0,
        leader_of_unit[sorted_unit],
        staff_ids[order][np.clip(team_leader_row, 0, staff - 1)],
    )
    leader_sorted = np.where(is_team_leader, leader_of_unit[sorted_unit], leader_sorted)
    parent_leader = leader_of_unit[tree.parent_id[sorted_unit - 1]]
    is_unit_leader = has_staff_leader & (rank == 0)
    leader_sorted = np.where(is_unit_leader, parent_leader, leader_sorted)
    staff_leader = np.empty(staff, dtype=np.int64)
    staff_leader[order] = leader_sorted
    is_leader = np.zeros(staff, dtype=bool)
    is_leader[order] = is_unit_leader | is_team_leader
    occupation[order[is_team_leader]] = "Fagleder"
    position[is_leader] = 100.0

    # --- dates: stayers from before the history, newcomers inside it, some leave ----------
    span = history_end - history_start
    stayer = is_leader | (rng.random(staff) < STAYER_SHARE)
    age_at_start = np.where(stayer, rng.uniform(20, 62, staff), rng.uniform(19, 58, staff))
    hired_years_before = rng.uniform(30 / YEAR, 1, staff) * np.minimum(25, age_at_start - 19)
    start = np.where(
        stayer,
        history_start - _days(hired_years_before),
        history_start + rng.integers(0, span, staff),
    )
    birth = np.where(stayer, history_start, start) - _days(age_at_start)
    first_day = np.maximum(start, history_start)
    ending = ~is_leader & (rng.random(staff) < ENDING_SHARE) & (history_end - first_day > 60)
    end = np.where(
        ending,
        first_day
        + 30
        + (rng.random(staff) * np.maximum(history_end - first_day - 30, 1)).astype(np.int64),
        -1,
    )

    mgmt_age = rng.uniform(40, 60, mgmt)
    mgmt_start = history_start - _days(rng.uniform(1, 15, mgmt))
    mgmt_leader = np.concatenate(
        [
            [NO_LEADER],
            np.full(len(SECTORS), employee_id[0]),
            leader_of_unit[tree.parent_id[tree.departments - 1]],
        ]
    )

    employment = {
        "employee_id": np.concatenate([employee_id[:mgmt], staff_ids]),
        "unit_id": np.concatenate([mgmt_unit, unit]),
        "start": np.concatenate([mgmt_start, start]),
        "end": np.concatenate([np.full(mgmt, -1), end]),
        "position": np.concatenate([np.full(mgmt, 100.0), position]),
        "occupation": np.concatenate([mgmt_title, occupation]),
        "leader": np.concatenate([mgmt_leader, staff_leader]),
        "sector": np.concatenate([mgmt_sector, sector]),
    }
    employment = _change_units(
        rng, employment, tree, ~np.r_[np.ones(mgmt, bool), is_leader], leader_of_unit, history_end
    )
    employment = _add_second_jobs(
        rng, employment, tree, mgmt, is_leader, leader_of_unit, history_start
    )
    return Workforce(
        birth=np.concatenate([history_start - _days(mgmt_age), birth]),
        female=np.concatenate([rng.random(mgmt) < 0.6, female]),
        person_sector=np.concatenate([mgmt_sector, sector]),
        unit_leader=leader_of_unit[1:],
        **employment,
    )


def _change_units(
    rng: np.random.Generator,
    emp: dict[str, np.ndarray],
    tree: UnitTree,
    movable: np.ndarray,
    leader_of_unit: np.ndarray,
    history_end: int,
) -> dict[str, np.ndarray]:
    """Move a few staff to another staff unit of their sector: one employment ends, the next starts the day after."""
    last = np.where(emp["end"] < 0, history_end, emp["end"])
    first = emp["start"]
    candidates = np.flatnonzero(
        movable & (last - first > 240) & (rng.random(movable.size) < UNIT_CHANGE_SHARE)
    )
    if candidates.size == 0:
        return emp
    change_day = (
        first[candidates]
        + 120
        + (rng.random(candidates.size) * (last[candidates] - first[candidates] - 240)).astype(
            np.int64
        )
    )
    new_unit = np.empty(candidates.size, dtype=np.int64)
    for index, units in enumerate(tree.staff_units):
        rows = emp["sector"][candidates] == index
        new_unit[rows] = units[rng.integers(0, units.size, int(rows.sum()))]
    moved = {key: values[candidates].copy() for key, values in emp.items()}
    moved["start"] = change_day + 1
    moved["unit_id"] = new_unit
    moved["leader"] = leader_of_unit[new_unit]
    emp = {key: values.copy() for key, values in emp.items()}
    emp["end"][candidates] = change_day
    return {key: np.concatenate([emp[key], moved[key]]) for key in emp}


def _add_second_jobs(
    rng: np.random.Generator,
    emp: dict[str, np.ndarray],
    tree: UnitTree,
    mgmt: int,
    is_leader: np.ndarray,
    leader_of_unit: np.ndarray,
    history_start: int,
) -> dict[str, np.ndarray]:
    """A small share of part-timers take a small second job at another staff unit, alongside the first."""
    staff = is_leader.size
    main = np.arange(mgmt, mgmt + staff)  # the staff's first employment rows
    eligible = ~is_leader & (emp["position"][main] <= 80) & (rng.random(staff) < SECOND_JOB_SHARE)
    rows = main[eligible]
    if rows.size == 0:
        return emp
    sector = rng.integers(0, len(SECTORS), rows.size)
    unit = np.empty(rows.size, dtype=np.int64)
    occupation = np.empty(rows.size, dtype=object)
    for index, profile in enumerate(SECTORS):
        here = sector == index
        units = tree.staff_units[index]
        unit[here] = units[rng.integers(0, units.size, int(here.sum()))]
        occupation[here] = _pick(rng, profile.occupations, int(here.sum()))
    position = np.minimum(
        rng.choice([10.0, 20.0, 30.0, 40.0], rows.size), 100.0 - emp["position"][rows]
    )
    # Ends with the main job (if it has an end in view, the main row may since have been split by a move).
    main_end = emp["end"][rows]
    start = np.maximum(emp["start"][rows], history_start - 400) + rng.integers(0, 365, rows.size)
    keep = (main_end < 0) | (start + 30 < main_end)
    second = {
        "employee_id": emp["employee_id"][rows],
        "unit_id": unit,
        "start": start,
        "end": main_end,
        "position": position,
        "occupation": occupation,
        "leader": leader_of_unit[unit],
        "sector": sector,
    }
    return {key: np.concatenate([emp[key], second[key][keep]]) for key in emp}
