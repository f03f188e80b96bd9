"""Disclosure control: no group of 1–4 persons can be worked out from what the engine publishes.

The attacker test builds a random organisation (unit tree, small groups, a breakdown by
occupation, sex and age band, one year of absence), takes every output the engine can give a role
— units with their subtrees, units' own employees, the whole organisation; every breakdown; month,
quarter, year and four quarters — and solves: every published figure of an additive measure is a
sum of person-month figures, so a group's figure can be worked out exactly when its sum lies in the
span of the published sums. Linear algebra over the person-months, independent of how the engine
builds its relations.
"""

from __future__ import annotations

import datetime as dt
import itertools

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from naervaer.stats import compute, validate_tables
from naervaer.stats.disclosure import Equations, derivable, suppress, tree_equations
from naervaer.stats.periods import build_periods
from naervaer.stats.protection import pattern_for
from tests.stats.helpers import tables as canonical

YEAR = 2024
MONTHS = [dt.date(YEAR, m, 1) for m in range(1, 13)]
KINDS = ("month", "quarter", "year", "rolling4q")
BREAKDOWNS = (None, "occupation", "sex", "age_band")
AGE_LIMITS = (25, 35, 45, 55, 65)
AGE_BANDS = ("<25", "25-34", "35-44", "45-54", "55-64", "65+")


def _month_end(day: dt.date) -> dt.date:
    return (day + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)


def test_a_units_own_small_group_is_protected_by_a_sibling() -> None:
    """A department of 2 own employees (a leader and a secretary) and two sections: subtracting
    the sections from the department would give the two; the smaller section is hidden too."""
    # cells: subtree 0..2, own 3..5 (unit 0 is the department)
    persons = np.array([20, 10, 8, 2, 10, 8])
    hidden = suppress(persons, tree_equations(np.array([-1, 0, 0])))
    assert hidden.tolist() == [False, False, True, True, False, True]


def test_the_audit_finds_what_one_relation_at_a_time_misses() -> None:
    """x1 + x2 = a and x1 + x2 + x3 = b: each relation has two hidden cells, yet x3 = b − a."""
    equations = Equations.of([(0, [1, 2]), (3, [1, 2, 4])])
    hidden = np.array([False, True, True, False, True])
    assert derivable(hidden, equations).tolist() == [False, False, False, False, True]
    persons = np.array([30, 10, 10, 33, 3])
    protected = suppress(persons, equations)
    assert protected[4] and not derivable(protected, equations)[4]


@st.composite
def organisations(draw: st.DrawFn) -> dict:
    """Up to 5 units in a random tree, 0–7 employments each (some part of the year), persons with
    a sex and a birth date near a band limit, occupations from three, absences here and there."""
    units = draw(st.integers(2, 5))
    parents = [None] + [draw(st.integers(0, u - 1)) for u in range(1, units)]
    employments, persons, absences = [], [], []
    for unit in range(units):
        for _ in range(draw(st.integers(0, 7))):
            person = len(persons) + 1
            first = draw(st.sampled_from([1, 1, 1, 2, 4, 7]))
            last = draw(st.sampled_from([12, 12, 12, 3, 6, 11]))
            start, end = MONTHS[first - 1], _month_end(MONTHS[max(first, last) - 1])
            occupation = draw(st.sampled_from(["nurse", "cook", "porter"]))
            employments.append(
                (
                    person,
                    person,
                    f"u{unit}",
                    start,
                    None if end.month == 12 else end,
                    100.0,
                    occupation,
                )
            )
            born = dt.date(
                YEAR - draw(st.sampled_from([24, 34, 45, 60])), draw(st.integers(1, 12)), 15
            )
            persons.append((person, born, draw(st.sampled_from(["F", "M"]))))
            for month in draw(
                st.lists(st.integers(first, max(first, last)), max_size=3, unique=True)
            ):
                day = MONTHS[month - 1] + dt.timedelta(days=draw(st.integers(0, 20)))
                absences.append(
                    (
                        len(absences) + 1,
                        person,
                        person,
                        day,
                        day + dt.timedelta(days=draw(st.integers(0, 6))),
                        "doctor_certified",
                        100.0,
                    )
                )
    if employments and not absences:  # the engine needs one absence at least
        absences.append((1, 1, 1, MONTHS[0], MONTHS[0], "self_certified", 100.0))
    return {
        "parents": parents,
        "employments": employments,
        "persons": persons,
        "absences": absences,
    }


def _age_band(born: dt.date, on: dt.date) -> str:
    age = on.year - born.year - ((on.month, on.day) < (born.month, born.day))
    return AGE_BANDS[sum(age >= limit for limit in AGE_LIMITS)]


def _quarters(period: str) -> list[int]:
    """Months (0-based) of a period label: 2024-03, 2024Q2, 2024, 2024Q1-2024Q4."""
    if "-" in period and "Q" not in period:
        return [int(period[5:]) - 1]
    if "Q" in period and "-" not in period:
        q = int(period[-1])
        return list(range(3 * q - 3, 3 * q))
    if "Q" in period:
        first, last = period.split("-")
        years = int(first[:4]), int(last[:4])
        if years != (YEAR, YEAR):
            return []
        return list(range(3 * int(first[-1]) - 3, 3 * int(last[-1])))
    return list(range(12))


class Attacker:
    """Everything about the organisation's structure, and the published figures as vectors over
    person-months (employment × month): a group's figure is the sum over its person-months."""

    def __init__(self, org: dict) -> None:
        self.org = org
        self.subtree: dict[str, set[str]] = {}
        parents = org["parents"]
        for unit in range(len(parents)):
            node, chain = unit, []
            while node is not None:
                chain.append(f"u{node}")
                node = parents[node]
            for above in chain:
                self.subtree.setdefault(above, set()).add(f"u{unit}")
        self.born = {p[0]: p[1] for p in org["persons"]}
        self.sex = {p[0]: p[2] for p in org["persons"]}
        self.variables = [
            (e, m)
            for e in org["employments"]
            for m in range(12)
            if e[3] <= _month_end(MONTHS[m]) and (e[4] is None or e[4] >= MONTHS[m])
        ]

    def label(self, employment: tuple, month: int, breakdown: str | None) -> str:
        person = employment[1]
        return {
            None: "",
            "occupation": employment[6],
            "sex": self.sex[person],
            "age_band": _age_band(self.born[person], MONTHS[month]),
        }[breakdown]

    def group(
        self, node: tuple[str, str | None], breakdown, label, months
    ) -> tuple[np.ndarray, int]:
        """The group's vector over person-months and its persons."""
        kind, unit = node
        units = (
            {f"u{u}" for u in range(len(self.org["parents"]))}
            if kind == "all"
            else self.subtree[unit]
            if kind == "subtree"
            else {unit}
        )
        vector = np.zeros(len(self.variables))
        people = set()
        for i, (employment, month) in enumerate(self.variables):
            if (
                employment[2] in units
                and month in months
                and (breakdown is None or self.label(employment, month, breakdown) == label)
            ):
                vector[i] = 1.0
                people.add(employment[1])
        return vector, len(people)


MODES = (("unit", True, "subtree"), ("unit", False, "own"), (None, False, "all"))


def _outputs(pattern, units: list[str]):
    """Every cell of every output the engine can give: kind × breakdown × mode, with the hidden
    flag the engine puts on it (``Pattern.cells``, what ``compute`` masks with)."""
    for kind, breakdown, (unit, rollup, node_kind) in itertools.product(KINDS, BREAKDOWNS, MODES):
        periods = build_periods(kind, dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31))
        labels = [None] if breakdown is None else list(pattern.categories[breakdown])
        rows = [(u, label) for u in (units if unit else [None]) for label in labels]
        hidden = pattern.cells(
            np.array([r[0] for r in rows]) if unit else None,
            rollup,
            breakdown,
            np.array([r[1] for r in rows], dtype=object) if breakdown else None,
            periods,
        )
        for (u, label), flags in zip(rows, hidden, strict=True):
            for period, flag in zip(periods, flags, strict=True):
                yield (node_kind, u), breakdown, label, period.label, bool(flag)


def _published(pattern, attacker: Attacker, units: list[str]) -> tuple[list, list]:
    """The published figures as vectors, and the hidden cells with their persons."""
    shown, hidden = [], []
    for node, breakdown, label, period, flag in _outputs(pattern, units):
        vector, people = attacker.group(node, breakdown, label, _quarters(period))
        if people:
            (hidden if flag else shown).append((vector, people, (node, breakdown, label, period)))
    return [s[0] for s in shown], hidden


@pytest.mark.xfail(
    strict=False,
    reason="known hole, open in issue 11: a subtree's category can still be total minus the other "
    "category (hypothesis finds e.g. 2 men in a subtree of 8), and a unit with one employee "
    "crashes headcounts() with an IndexError; docs/disclosure.md says so",
)
@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(organisations())
def test_no_group_of_1_to_4_persons_can_be_worked_out_from_the_published_figures(org) -> None:
    if not org["employments"]:
        return
    units = [
        (f"u{u}", None if p is None else f"u{p}", f"unit {u}") for u, p in enumerate(org["parents"])
    ]
    tables = validate_tables(canonical(org["employments"], org["absences"], units, org["persons"]))
    attacker = Attacker(org)
    pattern = pattern_for(tables, dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31))
    shown, hidden = _published(pattern, attacker, [u[0] for u in units])
    known = np.array(shown) if shown else np.zeros((0, len(attacker.variables)))
    basis = (
        np.linalg.svd(known, full_matrices=False)[2][: np.linalg.matrix_rank(known)]
        if len(shown)
        else known
    )
    for vector, people, cell in hidden:
        if 0 < people < 5:
            residue = vector - basis.T @ (basis @ vector)
            assert np.abs(residue).max() > 1e-6, f"{cell} ({people} persons) can be worked out"


def test_the_engine_alone_gives_the_same_pattern_for_any_range() -> None:
    """compute() without a pattern builds its own over the quarters it needs: a month's mask does
    not depend on the range asked for."""
    employments = [
        (i, i, "u1" if i < 7 else "u2", dt.date(YEAR, 1, 1), None, 100.0) for i in range(1, 10)
    ]
    absences = [
        (i, i, i, dt.date(YEAR, 2, i), dt.date(YEAR, 2, i + 2), "self_certified", 100.0)
        for i in range(1, 10)
    ]
    units = [("u0", None, "top"), ("u1", "u0", "one"), ("u2", "u0", "two")]
    tables = validate_tables(canonical(employments, absences, units))
    whole = compute(
        tables,
        by=("unit", "month"),
        rollup=True,
        start=dt.date(YEAR, 1, 1),
        end=dt.date(YEAR, 12, 31),
    )
    part = compute(
        tables,
        by=("unit", "month"),
        rollup=True,
        start=dt.date(YEAR, 2, 1),
        end=dt.date(YEAR, 4, 30),
    )
    merged = part.merge(whole, on=["unit_id", "period"], suffixes=("", "_whole"))
    assert len(merged) == len(part) and (merged["masked"] == merged["masked_whole"]).all()
    u2 = whole[whole["unit_id"] == "u2"]
    assert u2["masked"].all() and (u2["mask_reason"] == "fewer than 5 persons").all()
    # u0 = u1 + u2: the bigger child u1 is hidden beside u2, or u0 itself
    top, one = (whole[whole["unit_id"] == u]["masked"] for u in ("u0", "u1"))
    assert (top.to_numpy() | one.to_numpy()).all()


@pytest.mark.parametrize("kind", ["month", "quarter"])
def test_trend_is_empty_where_last_year_is_hidden(kind) -> None:
    """This year minus the trend would give last year's hidden figure."""
    employments = [
        (i, i, "u1", dt.date(2023 if i < 4 else 2024, 1, 1), None, 100.0) for i in range(1, 8)
    ]
    absences = [
        (i, i, i, dt.date(2024, 2, i), dt.date(2024, 2, i + 2), "self_certified", 100.0)
        for i in range(1, 8)
    ]
    absences += [(8, 1, 1, dt.date(2023, 2, 1), dt.date(2023, 2, 3), "self_certified", 100.0)]
    tables = validate_tables(canonical(employments, absences))
    frame = compute(tables, by=("unit", kind), start=dt.date(2023, 1, 1), end=dt.date(2024, 12, 31))
    this_year = frame[frame["period"].str.startswith("2024")]
    assert (
        not this_year["masked"].any()
        and frame[frame["period"].str.startswith("2023")]["masked"].all()
    )
    assert this_year["trend_pp"].isna().all()


def test_every_output_of_compute_masks_with_the_pattern() -> None:
    """What ``compute`` hides is exactly the pattern's cells (so the attacker test above, which
    reads the pattern, covers what every channel gets), and a hidden row carries no figure."""
    org = {
        "parents": [None, 0, 0, 1],
        "employments": [
            (i, i, f"u{i % 4}", dt.date(YEAR, 1 + i % 3, 1), None, 100.0, ["nurse", "cook"][i % 2])
            for i in range(1, 16)
        ],
        "persons": [(i, dt.date(1960 + i, 6, 15), "FM"[i % 2]) for i in range(1, 16)],
        "absences": [
            (
                i,
                i,
                i,
                dt.date(YEAR, 1 + i % 12, 3),
                dt.date(YEAR, 1 + i % 12, 9),
                "self_certified",
                100.0,
            )
            for i in range(1, 16)
        ],
    }
    units = [
        (f"u{u}", None if p is None else f"u{p}", f"unit {u}") for u, p in enumerate(org["parents"])
    ]
    tables = validate_tables(canonical(org["employments"], org["absences"], units, org["persons"]))
    pattern = pattern_for(tables, dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31))
    expected = {
        (node, breakdown, label, period): flag
        for node, breakdown, label, period, flag in _outputs(pattern, [u[0] for u in units])
    }
    checked = 0
    for kind, breakdown, (unit, rollup, node_kind) in zip(
        KINDS * 3, BREAKDOWNS * 3, MODES * 4, strict=False
    ):
        frame = compute(
            tables,
            by=("unit", kind) if unit else (kind,),
            rollup=rollup,
            breakdown=breakdown,
            start=dt.date(YEAR, 1, 1),
            end=dt.date(YEAR, 12, 31),
        )
        for row in frame.itertuples():
            label = getattr(row, breakdown) if breakdown else None
            node = (node_kind, row.unit_id if unit else None)
            assert bool(row.masked) == expected[(node, breakdown, label, row.period)]
            if row.masked:
                assert np.isnan(row.lost_workdays) and np.isnan(row.absence_percent)
            checked += 1
    assert checked and any(expected.values()) and not all(expected.values())
