"""The ORM → Arrow snapshot the statistics engine reads (canonical tables, docs/stats-input.md)."""

from __future__ import annotations

import datetime

import pytest

from naervaer.absence import services
from naervaer.absence.models import SelfCertification, SickNotePeriod
from naervaer.absence.snapshot import canonical_tables
from naervaer.org import services as org_services
from naervaer.org.models import Employee, Employment, PositionChange, Unit
from naervaer.stats.schema import validate_tables

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def snapshot(employment):
    # employment: from 2020-01-01 at 80 %; from 2024-03-01 at 50 %.
    org_services.position_change(
        employment=employment, valid_from=D(2024, 3, 1), position_percent=50
    )
    register = {"actor": None, "employment": employment}
    services.sick_note_period_register(
        **register,
        note_type="graded",
        grade=40,
        start_date=D(2024, 2, 20),
        end_date=D(2024, 3, 10),
        received_on=D(2024, 2, 20),
    )
    services.self_certification_register(
        **register, start_date=D(2024, 1, 8), end_date=D(2024, 1, 9)
    )
    services.sick_note_period_register(
        **register,
        note_type="awaiting",
        start_date=D(2024, 4, 8),
        end_date=D(2024, 4, 12),
        received_on=D(2024, 4, 8),
    )
    services.sick_note_period_register(
        **register,
        note_type="treatment_days",
        treatment_days=1,
        start_date=D(2024, 5, 6),
        end_date=D(2024, 5, 12),
        received_on=D(2024, 5, 6),
    )
    services.sick_note_period_register(
        **register,
        note_type="travel_grant",
        start_date=D(2024, 6, 3),
        end_date=D(2024, 6, 7),
        received_on=D(2024, 6, 3),
    )
    services.sick_note_period_register(
        **register,
        note_type="active_sick_leave",
        start_date=D(2024, 9, 2),
        end_date=D(2024, 9, 6),
        received_on=D(2024, 9, 2),
    )
    services.holiday_leave_register(
        **register, kind="holiday", start_date=D(2024, 7, 1), end_date=D(2024, 7, 19)
    )
    return canonical_tables(employment.organisation), employment


def test_employment_split_at_position_change(snapshot):
    tables, employment = snapshot
    rows = sorted(
        (r["start_date"], r["end_date"], r["position_percent"], r["unit_id"], r["employee_id"])
        for r in tables["employments"].to_pylist()
    )
    assert rows == [
        (D(2020, 1, 1), D(2024, 2, 29), 80.0, employment.unit_id, employment.employee_id),
        (D(2024, 3, 1), None, 50.0, employment.unit_id, employment.employee_id),
    ]


def test_absences_mapped_and_split(snapshot):
    tables, _employment = snapshot
    periods = {r["start_date"]: r["employment_id"] for r in tables["employments"].to_pylist()}
    rows = sorted(
        (r["start_date"], r["end_date"], r["kind"], r["grade_percent"], r["employment_id"])
        for r in tables["absences"].to_pylist()
    )
    early, late = periods[D(2020, 1, 1)], periods[D(2024, 3, 1)]
    assert rows == [
        (D(2024, 1, 8), D(2024, 1, 9), "self_certified", 100.0, early),
        (
            D(2024, 2, 20),
            D(2024, 2, 29),
            "doctor_certified",
            40.0,
            early,
        ),  # the graded note, split at the change
        (D(2024, 3, 1), D(2024, 3, 10), "doctor_certified", 40.0, late),
        (
            D(2024, 9, 2),
            D(2024, 9, 6),
            "doctor_certified",
            100.0,
            late,
        ),  # active sick leave counts; awaiting etc. do not
    ]
    assert len({r["absence_id"] for r in tables["absences"].to_pylist()}) == 4


def test_units_and_persons(snapshot):
    tables, employment = snapshot
    assert tables["units"].to_pylist() == [
        {"unit_id": employment.unit_id, "parent_id": None, "name": "Kommune"}
    ]
    assert tables["persons"].to_pylist() == [
        {"employee_id": employment.employee_id, "birth_date": D(1986, 10, 15), "sex": "F"}
    ]


def test_snapshot_passes_the_statistics_input_checks(snapshot):
    tables, _ = snapshot
    checked = validate_tables(tables)
    assert checked["absences"].num_rows == 4


def test_empty_organisation_gives_empty_typed_tables(employment):
    other = org_services.organisation_create(name="Tom", org_number="998749751")
    tables = canonical_tables(other)
    assert {name: t.num_rows for name, t in tables.items()} == {
        "units": 0,
        "employments": 0,
        "absences": 0,
        "persons": 0,
    }
    assert (
        tables["absences"].schema.field("grade_percent").type.to_pandas_dtype().__name__
        == "float64"
    )


def _day_by_day(
    employments: dict[int, tuple], changes: list[PositionChange], absences: list[tuple]
) -> list[tuple]:
    """The absence pieces computed independently of the snapshot: each absence day goes to the latest
    position change on or before it inside its employment; consecutive days of one change form a piece."""
    pieces = []
    for employee_id, employment_id, start, end, kind, grade in absences:
        first_day, last_day = employments[employment_id]
        run: list = []
        for offset in range((end - start).days + 1):
            day = start + datetime.timedelta(days=offset)
            valid = [c for c in changes if c.employment_id == employment_id and c.valid_from <= day]
            period = (
                max(valid, key=lambda c: c.valid_from).pk
                if valid and first_day <= day and (last_day is None or day <= last_day)
                else None
            )
            if run and (period != run[0] or day != run[2] + datetime.timedelta(days=1)):
                pieces.append((employee_id, run[0], run[1], run[2], kind, grade))
                run = []
            if period is not None:
                run = [period, run[1] if run else day, day]
        if run:
            pieces.append((employee_id, run[0], run[1], run[2], kind, grade))
    return sorted(pieces)


@pytest.fixture
def register(snapshot):
    """The fixture's register plus edge cases the services would refuse but bulk imports can hold:
    a second employment (ended) whose first change predates it and whose last one falls after it,
    absences reaching outside their employment, and an employment with no position percent."""
    _, employment = snapshot
    org_services.position_change(
        employment=employment, valid_from=D(2024, 3, 15), position_percent=100
    )
    unit = Unit.objects.create(
        organisation=employment.organisation,
        parent=employment.unit,
        name="Skole",
        level="department",
        valid_from=D(2020, 1, 1),
    )
    other = Employee.objects.create(
        organisation=employment.organisation,
        national_id="01010112345",
        first_name="Ola",
        last_name="Nordmann",
        birth_date=D(1990, 1, 1),
        sex="M",
    )
    ended = Employment.objects.create(
        employee=other,
        unit=unit,
        organisation=employment.organisation,
        start_date=D(2021, 6, 1),
        end_date=D(2022, 12, 31),
    )
    unpaid = Employment.objects.create(
        employee=other, unit=unit, organisation=employment.organisation, start_date=D(2023, 1, 1)
    )
    for valid_from, percent in ((D(2021, 1, 1), 60), (D(2022, 6, 1), 40), (D(2023, 3, 1), 20)):
        PositionChange.objects.create(
            employment=ended, valid_from=valid_from, position_percent=percent
        )
    own = {"organisation": employment.organisation}
    SickNotePeriod.objects.create(
        **own,
        employment=employment,
        note_type="full",
        grade=100,
        start_date=D(2024, 3, 11),
        end_date=D(2024, 3, 20),
    )
    SickNotePeriod.objects.create(
        **own,
        employment=ended,
        note_type="full",
        grade=100,
        start_date=D(2021, 5, 25),
        end_date=D(2021, 6, 5),
    )
    SelfCertification.objects.create(
        **own, employment=ended, start_date=D(2022, 5, 30), end_date=D(2022, 6, 2)
    )
    SickNotePeriod.objects.create(
        **own,
        employment=ended,
        note_type="graded",
        grade=60,
        start_date=D(2022, 12, 28),
        end_date=D(2023, 1, 5),
    )
    SelfCertification.objects.create(
        **own, employment=unpaid, start_date=D(2023, 2, 1), end_date=D(2023, 2, 2)
    )
    return canonical_tables(employment.organisation)


def test_split_equals_a_day_by_day_computation(register):
    employments = {e.pk: (e.start_date, e.end_date) for e in Employment.objects.all()}
    kinds = {
        "full": "doctor_certified",
        "graded": "doctor_certified",
        "active_sick_leave": "doctor_certified",
    }
    absences = [
        (
            a.employment.employee_id,
            a.employment_id,
            a.start_date,
            a.end_date,
            "self_certified",
            100.0,
        )
        for a in SelfCertification.objects.all()
    ]
    absences += [
        (
            a.employment.employee_id,
            a.employment_id,
            a.start_date,
            a.end_date,
            kinds[a.note_type],
            float(a.grade),
        )
        for a in SickNotePeriod.objects.all()
        if a.note_type in kinds
    ]
    expected = _day_by_day(employments, list(PositionChange.objects.all()), absences)
    rows = register["absences"].to_pylist()
    assert (
        sorted(
            (
                r["employee_id"],
                r["employment_id"],
                r["start_date"],
                r["end_date"],
                r["kind"],
                r["grade_percent"],
            )
            for r in rows
        )
        == expected
    )
    assert (
        len(expected) == 10
    )  # 6 pieces of the first employment's 4 absences, 4 of the ended one's 3
    assert [r["absence_id"] for r in rows] == list(range(1, len(rows) + 1))
    assert [r["kind"] for r in rows] == sorted(
        (r["kind"] for r in rows), key=["self_certified", "doctor_certified"].index
    )


def test_periods_clipped_to_the_employment(register):
    ended = Employment.objects.get(end_date=D(2022, 12, 31))
    rows = [
        (r["start_date"], r["end_date"], r["position_percent"], r["occupation"])
        for r in register["employments"].to_pylist()
        if r["employee_id"] == ended.employee_id
    ]
    # the 2021 change starts with the employment, the one after the end is dropped; the employment
    # without a position percent has no rows
    assert rows == [
        (D(2021, 6, 1), D(2022, 5, 31), 60.0, None),
        (D(2022, 6, 1), D(2022, 12, 31), 40.0, None),
    ]
    assert register["persons"].num_rows == 2 and register["units"].num_rows == 2
    assert validate_tables(register)["absences"].num_rows == 10
