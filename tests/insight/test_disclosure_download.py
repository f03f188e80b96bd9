"""A safety representative downloads a department's monthly CSV and its sections' and subtracts:
the department's one own employee (its leader) must not come out."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest

from naervaer.absence import services as absence_services
from naervaer.org import services
from naervaer.org.models import Employee, RoleAssignment, Unit

pytestmark = pytest.mark.django_db


def _rows(response) -> dict[str, list[str]]:
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    return {row[0]: row for row in rows[1:]}


def _number(cell: str) -> Decimal | None:
    return Decimal(cell.replace(",", ".")) if cell else None


def test_a_department_minus_its_sections_reveals_nothing(demo, client, login) -> None:
    root = Unit.objects.get(organisation=demo, parent__isnull=True)
    scope = RoleAssignment.objects.filter(user__username="verneombud").first().unit or root
    department = services.unit_create(
        organisation=demo,
        name="Avdeling",
        level="sector",
        parent=scope,
        valid_from=dt.date(2020, 1, 1),
    )
    sections = [
        services.unit_create(
            organisation=demo,
            name=name,
            level="department",
            parent=department,
            valid_from=dt.date(2020, 1, 1),
        )
        for name in ("Seksjon A", "Seksjon B")
    ]
    people = list(Employee.objects.filter(organisation=demo).order_by("-pk")[:13])
    places = [department] + [sections[0]] * 6 + [sections[1]] * 6
    for index, (employee, unit) in enumerate(zip(people, places, strict=True)):
        employment = services.employment_create(
            employee=employee, unit=unit, start_date=dt.date(2022, 1, 1), position_percent=100
        )
        absence_services.sick_note_period_register(
            actor=None,
            employment=employment,
            start_date=dt.date(2025, 3, 3 + index),
            end_date=dt.date(2025, 3, 20 + index % 5),
            note_type="full",
            received_on=dt.date(2025, 3, 3),
        )
    login("verneombud")
    whole = _rows(client.get(f"/innsikt/enhet/{department.pk}/months.csv"))
    parts = [_rows(client.get(f"/innsikt/enhet/{s.pk}/months.csv")) for s in sections]
    lost = 3  # column: lost workdays
    leader_months = 0
    for month, row in whole.items():
        figures = [_number(row[lost])] + [
            _number(p[month][lost]) if month in p else Decimal(0) for p in parts
        ]
        if all(
            f is not None for f in figures
        ):  # everything shown: the leader's figure would be the rest
            leader_months += 1
    assert whole and leader_months == 0, "the department minus its sections gives its leader"
    # and the sections are not all hidden for nothing: the department's figures are there or not,
    # but never with both sections beside them
    assert any(_number(r[lost]) is not None for p in parts for r in p.values()) or any(
        _number(r[lost]) is not None for r in whole.values()
    )
