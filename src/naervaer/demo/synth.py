"""The demo generator's entry point: a whole synthetic municipality as Arrow tables.

Pure (numpy, pyarrow, Faker's name lists; no Django) and deterministic by seed, so the database
loader, the statistics benchmarks and the tests all see the same organisation for the same seed.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from faker.providers.person.no_NO import Provider as NorwegianNames

from naervaer.demo import MIN_EMPLOYEES, patterns, stages
from naervaer.demo.identity import fodselsnummer, organisation_number
from naervaer.demo.spells import SELF_CERTIFIED, generate_spells
from naervaer.demo.tables import write_tables
from naervaer.demo.units import UnitTree, build_unit_tree, staff_per_sector
from naervaer.demo.workforce import Workforce, build_workforce

__all__ = ["DemoConfig", "DemoOrganisation", "generate", "write_tables"]

EPOCH = datetime.date(1970, 1, 1)
CANONICAL_COLUMNS: dict[str, tuple[str, ...]] = {
    "units": ("unit_id", "parent_id", "name"),
    "employments": (
        "employment_id",
        "employee_id",
        "unit_id",
        "start_date",
        "end_date",
        "position_percent",
        "occupation",
    ),
    "absences": (
        "absence_id",
        "employee_id",
        "employment_id",
        "start_date",
        "end_date",
        "kind",
        "grade_percent",
    ),
    "persons": ("employee_id", "birth_date", "sex"),
}


ONGOING_NOTE_DAYS = (14, 28)  # how far past today a running sick note is written, by employment


@dataclass(frozen=True)
class DemoConfig:
    """What to generate. The history covers `years` whole years of months ending in `end_date`'s
    month; `end_date` is the demo's "today" (by default the real one), and sick notes running on
    it go on for up to four weeks after it."""

    employees: int = 2500
    seed: int = 1
    years: int = 5
    end_date: datetime.date = field(default_factory=datetime.date.today)
    names: bool = True  # Norwegian names; off for national scale ("Person <id>")

    def __post_init__(self) -> None:
        if self.employees < MIN_EMPLOYEES:
            raise ValueError(f"employees: must be at least {MIN_EMPLOYEES}, got {self.employees}")
        if self.years < 1:
            raise ValueError(f"years: must be at least 1, got {self.years}")

    @property
    def start_date(self) -> datetime.date:
        """First day of the history: the first of the month after end_date's month, `years` years back."""
        month = self.end_date.month % 12 + 1
        year = self.end_date.year - self.years + (1 if self.end_date.month == 12 else 0)
        return datetime.date(year, month, 1)


@dataclass(frozen=True)
class DemoOrganisation:
    """The generated municipality; `canonical()` gives the statistics engine's input tables."""

    organisation: dict
    units: pa.Table
    persons: pa.Table
    employments: pa.Table
    absences: pa.Table
    leaders: pa.Table
    # The demo users' employees ("leder", "ansatt", "enhetsleder" → employee id) and the stage
    # scripted for an employment (employment id → ``stages.STAGES`` key).
    people: dict[str, int] = field(default_factory=dict)
    stages: dict[int, str] = field(default_factory=dict)
    today: datetime.date | None = None  # the history's last day (``DemoConfig.end_date``)
    seed: int = 1

    def canonical(self) -> dict[str, pa.Table]:
        """The four canonical statistics tables (units, employments, absences, persons) with exactly the columns of docs/stats-input.md."""
        tables = {
            "units": self.units,
            "employments": self.employments,
            "absences": self.absences,
            "persons": self.persons,
        }
        return {
            name: tables[name].select(list(columns)) for name, columns in CANONICAL_COLUMNS.items()
        }


def _day_number(day: datetime.date) -> int:
    return (day - EPOCH).days


def _dates(days: np.ndarray, missing: np.ndarray | None = None) -> pa.Array:
    return pa.array(days.astype(np.int32), type=pa.int32(), mask=missing).cast(pa.date32())


def _labels(codes: np.ndarray, labels: list[str]) -> pa.Array:
    """Strings from small integer codes without a per-row numpy unicode array (14 M rows at national scale)."""
    return pa.DictionaryArray.from_arrays(pa.array(codes.astype(np.int8)), pa.array(labels)).cast(
        pa.string()
    )


def _names(
    rng: np.random.Generator, female: np.ndarray, ids: np.ndarray, real: bool
) -> tuple[pa.Array, pa.Array]:
    if not real:
        return pa.array(np.full(ids.size, "Person", dtype=object)), pc.cast(
            pa.array(ids), pa.string()
        )
    women = np.array(NorwegianNames.first_names_female, dtype=object)
    men = np.array(NorwegianNames.first_names_male, dtype=object)
    last = np.array(NorwegianNames.last_names, dtype=object)
    first = np.where(
        female,
        women[rng.integers(0, women.size, ids.size)],
        men[rng.integers(0, men.size, ids.size)],
    )
    return pa.array(first, type=pa.string()), pa.array(
        last[rng.integers(0, last.size, ids.size)], type=pa.string()
    )


def _absence_rates(rng: np.random.Generator, work: Workforce) -> np.ndarray:
    """Spells per person-year by kind for every employment: sector level × personal frailty, higher for recurrent cases."""
    persons = work.birth.size
    frailty = rng.gamma(patterns.FRAILTY_SHAPE, 1 / patterns.FRAILTY_SHAPE, persons)
    recurrent = rng.random(persons) < patterns.RECURRENT_SHARE
    factors = np.ones((persons, 3))
    factors[recurrent, 1] = patterns.RECURRENT_SHORT_FACTOR
    factors[recurrent, 2] = patterns.RECURRENT_LONG_FACTOR
    base = np.array(
        [[s.self_certified_rate, s.short_doctor_rate, s.long_doctor_rate] for s in patterns.SECTORS]
    )
    sector = np.where(
        work.sector < 0, len(patterns.SECTORS) - 1, work.sector
    )  # the chief executive: administration
    person = work.employee_id - 1
    return base[sector] * (frailty[person, None] * factors[person])


def generate(config: DemoConfig) -> DemoOrganisation:
    """Build the municipality for `config`; the same config always gives identical tables."""
    rng = np.random.default_rng(config.seed)
    history_start, history_end = _day_number(config.start_date), _day_number(config.end_date)
    staff_counts = staff_per_sector(config.employees)
    tree = build_unit_tree("Demo kommune", staff_counts)
    work = build_workforce(rng, tree, staff_counts, history_start, history_end)

    # Employments sorted by person and start; ids follow that order.
    order = np.lexsort((work.start, work.employee_id))
    emp_person, emp_start, emp_end = work.employee_id[order], work.start[order], work.end[order]
    employment_id = np.arange(1, order.size + 1, dtype=np.int64)
    ongoing = emp_end < 0
    employments = pa.table(
        {
            "employment_id": employment_id,
            "employee_id": emp_person,
            "unit_id": work.unit_id[order],
            "start_date": _dates(emp_start),
            "end_date": _dates(np.where(ongoing, 0, emp_end), ongoing),
            "position_percent": work.position[order],
            "occupation": pa.array(work.occupation[order], type=pa.string()),
            "leader_employee_id": pa.array(work.leader[order], mask=work.leader[order] == 0),
        }
    )

    window_start = np.maximum(emp_start, history_start)
    window_end = np.where(ongoing, history_end, np.minimum(emp_end, history_end))
    low, high = ONGOING_NOTE_DAYS
    beyond = np.where(ongoing, low + employment_id % (high - low + 1), 0)
    spells = generate_spells(
        rng, window_start, window_end, emp_start, _absence_rates(rng, work)[order], beyond
    )
    sector_heads, sector_of_unit = _sectors(tree, work)
    spells, people, scripted = stages.script(
        config.seed,
        spells,
        stages.Employments(emp_person, work.unit_id[order], emp_start, ongoing, work.leader[order]),
        history_end,
        history_start,
        tree.ids_at("site"),
        sector_heads,
        sector_of_unit,
    )
    row, grade = spells.row, spells.grade
    self_certified = spells.kind == SELF_CERTIFIED
    absences = pa.table(
        {
            "absence_id": np.arange(1, row.size + 1, dtype=np.int64),
            "employee_id": emp_person[row],
            "employment_id": employment_id[row],
            "start_date": _dates(spells.start),
            "end_date": _dates(spells.end),
            "kind": _labels(np.where(self_certified, 0, 1), ["self_certified", "doctor_certified"]),
            "grade_percent": grade,
            "note_type": _labels(
                np.where(self_certified, 0, np.where(grade < 100, 2, 1)),
                ["self_certified", "full", "graded"],
            ),
        }
    )

    person_id = np.arange(1, work.birth.size + 1, dtype=np.int64)
    birth = work.birth.astype("datetime64[D]")
    national_id = pc.utf8_lpad(
        pc.cast(pa.array(fodselsnummer(rng, birth, work.female)), pa.string()), 11, "0"
    )
    first_name, last_name = _names(rng, work.female, person_id, config.names)
    persons = pa.table(
        {
            "employee_id": person_id,
            "national_id": national_id,
            "first_name": first_name,
            "last_name": last_name,
            "birth_date": _dates(work.birth),
            "sex": _labels(np.where(work.female, 0, 1), ["F", "M"]),
        }
    )

    sector_keys = np.array([s.key for s in patterns.SECTORS] + [None], dtype=object)
    is_root = tree.parent_id == 0
    units = pa.table(
        {
            "unit_id": tree.unit_id,
            "parent_id": pa.array(tree.parent_id, mask=is_root),
            "name": pa.array(tree.name, type=pa.string()),
            "level": pa.array(tree.level, type=pa.string()),
            "sector": pa.array(sector_keys[tree.sector], type=pa.string()),
            "valid_from": _dates(
                np.full(tree.unit_id.size, _day_number(datetime.date(2000, 1, 1)))
            ),
            "valid_to": pa.nulls(tree.unit_id.size, pa.date32()),
        }
    )

    reports = np.unique(np.column_stack([work.unit_id, work.leader])[work.leader > 0], axis=0)
    leaders = pa.table(
        {
            "unit_id": np.concatenate([tree.unit_id, reports[:, 0]]),
            "employee_id": np.concatenate([work.unit_leader, reports[:, 1]]),
            "role": pa.array(
                ["unit_leader"] * tree.unit_id.size + ["nearest_leader"] * len(reports),
                type=pa.string(),
            ),
        }
    )
    organisation = {"org_number": organisation_number(rng), "name": "Demo kommune"}
    return DemoOrganisation(
        organisation,
        units,
        persons,
        employments,
        absences,
        leaders,
        people,
        {int(employment_id[row]): key for row, key in scripted.items()},
        config.end_date,
        config.seed,
    )


def _sectors(tree: UnitTree, work: Workforce) -> tuple[dict[int, int], dict[int, int]]:
    """Each sector unit's head (employee id), and each unit's sector unit (the root: none)."""
    parent = dict(zip(tree.unit_id.tolist(), tree.parent_id.tolist(), strict=True))
    level = dict(zip(tree.unit_id.tolist(), tree.level, strict=True))
    heads = {
        int(unit): int(work.unit_leader[unit - 1])
        for unit in tree.unit_id
        if level[int(unit)] == "sector"
    }
    sector_of: dict[int, int] = {}
    for unit in parent:
        walk = unit
        while walk in parent and level[walk] != "sector":
            walk = parent[walk]
        if walk in heads:
            sector_of[unit] = walk
    return heads, sector_of
