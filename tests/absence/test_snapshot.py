"""The ORM → Arrow snapshot the statistics engine reads (canonical tables, docs/stats-input.md)."""

from __future__ import annotations

import datetime

import pytest

from naervaer.absence import services
from naervaer.absence.snapshot import canonical_tables
from naervaer.org import services as org_services
from naervaer.stats.schema import validate_tables

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def snapshot(employment):
    # employment: from 2020-01-01 at 80 %; from 2024-03-01 at 50 %.
    org_services.position_change(employment=employment, valid_from=D(2024, 3, 1), position_percent=50)
    register = dict(actor=None, employment=employment)
    services.sick_note_period_register(**register, note_type="graded", grade=40, start_date=D(2024, 2, 20), end_date=D(2024, 3, 10), received_on=D(2024, 2, 20))
    services.self_certification_register(**register, start_date=D(2024, 1, 8), end_date=D(2024, 1, 9))
    services.sick_note_period_register(**register, note_type="awaiting", start_date=D(2024, 4, 8), end_date=D(2024, 4, 12), received_on=D(2024, 4, 8))
    services.sick_note_period_register(**register, note_type="treatment_days", treatment_days=1, start_date=D(2024, 5, 6), end_date=D(2024, 5, 12), received_on=D(2024, 5, 6))
    services.sick_note_period_register(**register, note_type="travel_grant", start_date=D(2024, 6, 3), end_date=D(2024, 6, 7), received_on=D(2024, 6, 3))
    services.sick_note_period_register(**register, note_type="active_sick_leave", start_date=D(2024, 9, 2), end_date=D(2024, 9, 6), received_on=D(2024, 9, 2))
    services.holiday_leave_register(**register, kind="holiday", start_date=D(2024, 7, 1), end_date=D(2024, 7, 19))
    return canonical_tables(employment.organisation), employment


def test_employment_split_at_position_change(snapshot):
    tables, employment = snapshot
    rows = sorted((r["start_date"], r["end_date"], r["position_percent"], r["unit_id"], r["employee_id"]) for r in tables["employments"].to_pylist())
    assert rows == [(D(2020, 1, 1), D(2024, 2, 29), 80.0, employment.unit_id, employment.employee_id),
                    (D(2024, 3, 1), None, 50.0, employment.unit_id, employment.employee_id)]


def test_absences_mapped_and_split(snapshot):
    tables, employment = snapshot
    periods = {r["start_date"]: r["employment_id"] for r in tables["employments"].to_pylist()}
    rows = sorted((r["start_date"], r["end_date"], r["kind"], r["grade_percent"], r["employment_id"]) for r in tables["absences"].to_pylist())
    early, late = periods[D(2020, 1, 1)], periods[D(2024, 3, 1)]
    assert rows == [
        (D(2024, 1, 8), D(2024, 1, 9), "self_certified", 100.0, early),
        (D(2024, 2, 20), D(2024, 2, 29), "doctor_certified", 40.0, early),   # the graded note, split at the change
        (D(2024, 3, 1), D(2024, 3, 10), "doctor_certified", 40.0, late),
        (D(2024, 9, 2), D(2024, 9, 6), "doctor_certified", 100.0, late),     # active sick leave counts; awaiting etc. do not
    ]
    assert len({r["absence_id"] for r in tables["absences"].to_pylist()}) == 4


def test_units_and_persons(snapshot):
    tables, employment = snapshot
    assert tables["units"].to_pylist() == [{"unit_id": employment.unit_id, "parent_id": None, "name": "Kommune"}]
    assert tables["persons"].to_pylist() == [{"employee_id": employment.employee_id, "birth_date": D(1986, 10, 15), "sex": "F"}]


def test_snapshot_passes_the_statistics_input_checks(snapshot):
    tables, _ = snapshot
    checked = validate_tables(tables)
    assert checked["absences"].num_rows == 4


def test_empty_organisation_gives_empty_typed_tables(employment):
    other = org_services.organisation_create(name="Tom", org_number="998749751")
    tables = canonical_tables(other)
    assert {name: t.num_rows for name, t in tables.items()} == {"units": 0, "employments": 0, "absences": 0, "persons": 0}
    assert tables["absences"].schema.field("grade_percent").type.to_pandas_dtype().__name__ == "float64"
