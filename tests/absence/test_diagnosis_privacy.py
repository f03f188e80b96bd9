"""The employer side never reaches a diagnosis (DOMAIN.md §2): not by relation, selector or admin."""

from __future__ import annotations

import datetime

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError

from naervaer.absence import selectors, services
from naervaer.absence.models import NavDiagnosis, SickNotePeriod
from naervaer.org import services as org_services

pytestmark = pytest.mark.django_db
EMPLOYER_ROLES = [
    "hr",
    "unit_leader",
    "occupational_health",
    "analyst",
    "safety_rep",
    "union_rep",
    "admin",
]


@pytest.fixture
def users(employment):
    User = get_user_model()
    made = {}
    for role in [*EMPLOYER_ROLES, "nav"]:
        made[role] = User.objects.create_user(role)
        org_services.role_assign(
            user=made[role],
            role=role,
            organisation=employment.organisation,
            unit=employment.unit if role == "unit_leader" else None,
            valid_from=datetime.date(2020, 1, 1),
        )
    employee = employment.employee
    employee.user = made["employee"] = User.objects.create_user("employee")
    employee.save()
    return made


@pytest.fixture
def diagnosed(employment, users):
    note = services.sick_note_period_register(
        actor=users["hr"],
        employment=employment,
        note_type="full",
        start_date=datetime.date(2024, 3, 4),
        end_date=datetime.date(2024, 3, 20),
        work_related_reason="heavy lifting",
        received_on=datetime.date(2024, 3, 5),
    )
    services.diagnosis_record(actor=users["nav"], sick_note_period=note, icpc2_code="p74")
    return note


def test_sick_note_has_no_relation_to_diagnosis():
    assert [
        f.name for f in SickNotePeriod._meta.get_fields() if f.related_model is NavDiagnosis
    ] == []


def test_diagnosis_not_in_employer_admin():
    assert NavDiagnosis not in admin.site._registry
    assert SickNotePeriod not in admin.site._registry  # no absence content in the admin site


@pytest.mark.parametrize("role", [*EMPLOYER_ROLES, "employee"])
def test_employer_side_records_carry_no_diagnosis(users, diagnosed, role):
    records = selectors.absence_records(users[role])
    flat = " ".join(f"{k}={v}" for r in records for k, v in r.items())
    assert "P74" not in flat and "icpc" not in flat and "chapter" not in flat
    assert all("diagnosis" not in key for r in records for key in r)


def test_hr_sees_the_employer_copy(users, diagnosed):
    [record] = selectors.absence_records(users["hr"])
    assert (
        record["record"],
        record["note_type"],
        record["grade"],
        record["work_related_reason"],
    ) == ("sick_note", "full", 100, "heavy lifting")


@pytest.mark.parametrize("role", [*EMPLOYER_ROLES, "employee"])
def test_employer_roles_refused_diagnosis(users, diagnosed, role):
    with pytest.raises(PermissionDenied):
        selectors.diagnoses_for(users[role], [diagnosed.pk])
    with pytest.raises(PermissionDenied):
        services.diagnosis_record(actor=users[role], sick_note_period=diagnosed, icpc2_code="L03")


def test_nav_sees_diagnosis_with_chapter(users, diagnosed):
    assert selectors.diagnoses_for(users["nav"], [diagnosed.pk]) == {
        diagnosed.pk: {"icpc2_code": "P74", "chapter": "P"}
    }


def test_invalid_icpc2_code_refused(users, diagnosed):
    with pytest.raises(ValidationError) as error:
        services.diagnosis_record(actor=users["nav"], sick_note_period=diagnosed, icpc2_code="Q99")
    assert "ICPC-2" in " ".join(error.value.message_dict["icpc2_code"])


def test_reads_are_logged(users, diagnosed):
    from naervaer.audit.models import AccessLog

    selectors.absence_records(users["hr"], purpose="follow-up")
    entry = AccessLog.objects.filter(actor=users["hr"], action="read").get()
    assert (entry.object_type, entry.subject_employee_id) == (
        "absence",
        diagnosed.employment.employee_id,
    )
