"""The open cases the demo guarantees on its last day ("today"), and the demo's own people.

Random spells alone leave it to chance whether a small demo has a case in its first week, one past
the max date or a person with recurring absence on the day it is shown. So a few employments get
scripted sick notes instead of their random spells from a little before the script on: one case
at every stage of the follow-up in the demo leader's team (the demo employee has the recurring
one), and the same again in a few other teams so HR and the unit leaders see them spread out.
Offsets are days from today; the last sick note of each case runs past today, as sick notes
written ahead do. Pure numpy, deterministic by seed (its own random stream, so the random
history is the same with or without the scripts).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from naervaer.demo.spells import DOCTOR_CERTIFIED, Spells

CLEAR_BEFORE = 20  # random spells ending this close before a script's first day are dropped too
OTHER_TEAMS = 2  # teams besides the demo leader's that get every stage


@dataclass(frozen=True)
class Stage:
    """A case's sick notes as (first day, last day, grade) offsets from today."""

    key: str
    notes: tuple[tuple[int, int, int], ...]

    @property
    def first(self) -> int:
        return self.notes[0][0]


# Law-minimum milestones for orientation: plan at 4 weeks, dialogue meeting 1 at 7, activity
# requirement at 8, dialogue meeting 2 at 26, fewer than 91 days left after about 39 weeks, and
# the max date after 16 + 248 paid weekdays (about 51 weeks of full-time sickness).
STAGES: tuple[Stage, ...] = (
    Stage("week_1", ((-3, 6, 100),)),
    Stage("weeks_2_4", ((-17, 11, 50),)),
    Stage("weeks_4_7", ((-33, 9, 100),)),
    Stage("weeks_7_8", ((-51, 12, 100),)),
    Stage("weeks_8_26", ((-110, -61, 100), (-60, 20, 60))),
    Stage("weeks_26_39", ((-215, -100, 100), (-99, 16, 100))),
    Stage("over_39_weeks", ((-300, -140, 100), (-139, 25, 50))),
    Stage("past_max_date", ((-420, -201, 100), (-200, 14, 100))),
    # NAV's recurring absence: five earlier cases of 25 days within 36 months, and one now.
    Stage(
        "recurring",
        (
            (-1000, -976, 100),
            (-800, -776, 100),
            (-600, -576, 100),
            (-420, -396, 100),
            (-250, -226, 100),
            (-40, 14, 100),
        ),
    ),
)
EMPLOYEE_STAGE = "recurring"  # the demo employee's own case: history and a plan to approve


@dataclass(frozen=True)
class Employments:
    """What the scripts need of the employments (rows as in the employments table)."""

    employee_id: np.ndarray
    unit_id: np.ndarray
    start: np.ndarray  # day numbers
    ongoing: np.ndarray  # bool
    leader: np.ndarray  # employee id of the nearest leader, 0 for none


def _demo_leader(emp: Employments, sites: np.ndarray) -> int:
    """The nearest leader with the most current reports at a site (a care home, a school…)."""
    current = emp.ongoing & (emp.leader > 0) & np.isin(emp.unit_id, sites)
    leaders, counts = np.unique(emp.leader[current], return_counts=True)
    best = np.lexsort((leaders, -counts))[0]  # most reports, then the lowest id
    return int(leaders[best])


def script(
    seed: int,
    spells: Spells,
    emp: Employments,
    today: int,
    window_start: int,
    sites: np.ndarray,
    sector_heads: dict[int, int],
    sector_of_unit: dict[int, int],
) -> tuple[Spells, dict[str, int], dict[int, str]]:
    """The spells with the scripts in place, the demo people (``leder``, ``ansatt``,
    ``enhetsleder`` → employee id) and the stage given to each scripted employment row.

    ``sites`` are the unit ids at site level; ``sector_heads`` maps a sector unit id to its head;
    ``sector_of_unit`` a unit to its sector unit.
    """
    rng = np.random.default_rng([seed, 7])
    leader = _demo_leader(emp, sites)
    persons, jobs = np.unique(emp.employee_id, return_counts=True)
    eligible = (
        emp.ongoing
        & np.isin(emp.employee_id, persons[jobs == 1])
        & ~np.isin(emp.employee_id, emp.leader)
    )

    def fits(row: int, stage: Stage) -> bool:
        first = today + stage.first
        return first - CLEAR_BEFORE >= max(int(emp.start[row]), window_start)

    taken: dict[int, str] = {}

    def place(rows: list[int]) -> None:
        for stage in STAGES:
            row = next((r for r in rows if r not in taken and fits(r, stage)), None)
            if row is not None:
                taken[row] = stage.key

    team = [int(r) for r in np.flatnonzero(eligible & (emp.leader == leader))]
    place(team)
    others = [int(x) for x in np.unique(emp.leader[eligible]) if int(x) not in (leader, 0)]
    for other in rng.permutation(others)[:OTHER_TEAMS]:
        place([int(r) for r in rng.permutation(np.flatnonzero(eligible & (emp.leader == other)))])

    by_key = {stage.key: stage for stage in STAGES}
    clear_from = np.full(emp.employee_id.size, np.iinfo(np.int64).max)
    for taken_row, key in taken.items():
        clear_from[taken_row] = today + by_key[key].first - CLEAR_BEFORE
    keep = spells.end < clear_from[spells.row]
    added = [
        (taken_row, today + first, today + last, note_grade)
        for taken_row, key in taken.items()
        for first, last, note_grade in by_key[key].notes
    ]
    row = np.concatenate([spells.row[keep], [a[0] for a in added]]).astype(np.int64)
    start = np.concatenate([spells.start[keep], [a[1] for a in added]]).astype(np.int64)
    end = np.concatenate([spells.end[keep], [a[2] for a in added]]).astype(np.int64)
    kind = np.concatenate([spells.kind[keep], [DOCTOR_CERTIFIED] * len(added)]).astype(np.int8)
    grade = np.concatenate([spells.grade[keep], [float(a[3]) for a in added]])
    order = np.lexsort((start, row))
    scripted = Spells(row[order], start[order], end[order], kind[order], grade[order])

    # The demo employee: the recurring case of the team, else any scripted or current report.
    reports = [r for r in team if r in taken] + [
        int(r) for r in np.flatnonzero(emp.ongoing & (emp.leader == leader))
    ]
    recurring = [r for r in reports if taken.get(r) == EMPLOYEE_STAGE]
    employee = int(emp.employee_id[(recurring or reports)[0]]) if reports else leader
    leader_unit = int(emp.unit_id[emp.employee_id == leader][0])
    people = {
        "leder": leader,
        "ansatt": employee,
        "enhetsleder": sector_heads[sector_of_unit[leader_unit]],
    }
    return scripted, people, taken
