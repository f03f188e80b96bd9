"""Loading a generated demo organisation into the database: complete, valid, and with demo users per role."""

from __future__ import annotations

import datetime
from collections import Counter

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.test import RequestFactory

from naervaer.absence.models import SelfCertification, SickNotePeriod
from naervaer.absence.services import refresh_quota_flags
from naervaer.absence.snapshot import canonical_tables
from naervaer.demo.load import DEMO_PASSWORD, DEMO_USERS, load_into_database
from naervaer.demo.synth import DemoConfig, generate
from naervaer.org import access
from naervaer.org.access import Action
from naervaer.org.models import Employee, Employment, Organisation, PositionChange, Role, Unit

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo():
    return generate(DemoConfig(end_date=datetime.date(2026, 10, 31), employees=80, seed=3))


@pytest.fixture
def loaded(demo):
    message = load_into_database(demo)
    return demo, message


def user(username: str):
    return get_user_model().objects.get(username=username)


def test_everything_is_loaded(loaded):
    demo, message = loaded
    kinds = Counter(demo.absences["kind"].to_pylist())
    assert (
        Unit.objects.count(),
        Employee.objects.count(),
        Employment.objects.count(),
        PositionChange.objects.count(),
    ) == (
        demo.units.num_rows,
        demo.persons.num_rows,
        demo.employments.num_rows,
        demo.employments.num_rows,
    )
    assert SelfCertification.objects.count() == kinds["self_certified"]
    assert SickNotePeriod.objects.count() == kinds["doctor_certified"]
    assert Organisation.objects.get().org_number == demo.organisation["org_number"]
    assert f"{demo.persons.num_rows} employees" in message and DEMO_PASSWORD in message


def test_loaded_records_pass_full_validation(loaded):
    sample = [*Organisation.objects.all(), *Unit.objects.all()]
    for model in (Employee, Employment, PositionChange, SelfCertification, SickNotePeriod):
        sample += model.objects.order_by("?")[:60]
    for record in sample:
        record.full_clean()


def test_sick_note_types_and_grades_mapped(loaded):
    demo, _ = loaded
    expected = Counter(
        (r["note_type"], int(r["grade_percent"]))
        for r in demo.absences.to_pylist()
        if r["kind"] == "doctor_certified"
    )
    assert Counter(SickNotePeriod.objects.values_list("note_type", "grade")) == expected


def test_quota_flags_agree_with_the_service(loaded):
    flagged = list(
        SelfCertification.objects.filter(quota_breach=True)
        .values_list("employment_id", flat=True)
        .distinct()[:10]
    )
    assert flagged, "five years of self-certifications under standard rules should breach somewhere"
    before = Counter(
        SelfCertification.objects.filter(employment_id__in=flagged).values_list(
            "id", "quota_breach", "quota_breach_reason"
        )
    )
    for employment in Employment.objects.filter(pk__in=flagged):
        refresh_quota_flags(employment)
    assert (
        Counter(
            SelfCertification.objects.filter(employment_id__in=flagged).values_list(
                "id", "quota_breach", "quota_breach_reason"
            )
        )
        == before
    )


def test_snapshot_reproduces_the_generators_canonical_tables(loaded):
    demo, _ = loaded
    national_of_demo = dict(
        zip(
            demo.persons["employee_id"].to_pylist(),
            demo.persons["national_id"].to_pylist(),
            strict=True,
        )
    )
    national_of_db = dict(Employee.objects.values_list("id", "national_id"))
    tables = canonical_tables(Organisation.objects.get())

    def absences(rows, national):
        return Counter(
            (
                national[r["employee_id"]],
                r["start_date"],
                r["end_date"],
                r["kind"],
                r["grade_percent"],
            )
            for r in rows
        )

    assert absences(tables["absences"].to_pylist(), national_of_db) == absences(
        demo.canonical()["absences"].to_pylist(), national_of_demo
    )

    def employments(rows, national):
        return Counter(
            (
                national[r["employee_id"]],
                r["start_date"],
                r["end_date"],
                r["position_percent"],
                r["occupation"],
            )
            for r in rows
        )

    assert employments(tables["employments"].to_pylist(), national_of_db) == employments(
        demo.canonical()["employments"].to_pylist(), national_of_demo
    )


def test_demo_users_cover_every_role(loaded):
    assert len({u for u, _r, _d in DEMO_USERS}) == len(DEMO_USERS) == 10
    assert {r for _u, r, _d in DEMO_USERS} == set(Role.values)
    login = RequestFactory().post("/login/")  # the lockout backend needs the request
    assert authenticate(login, username="hr", password=DEMO_PASSWORD) is not None
    assert authenticate(login, username="hr", password="wrong-password") is None
    admin = user("admin")
    assert admin.is_superuser and admin.is_staff
    assert not any(user(u).is_staff for u, _r, _d in DEMO_USERS if u != "admin")


def test_each_demo_user_has_its_role(loaded):
    missing = [(u, r) for u, r, _d in DEMO_USERS if r not in access.actor_for(user(u)).roles]
    assert missing == []


def test_leader_has_several_reports_some_sick_and_sees_the_employee(loaded):
    leader = user("leder")
    reports = Employment.objects.filter(nearest_leader__user=leader, end_date__isnull=True)
    assert reports.count() >= 2
    assert SickNotePeriod.objects.filter(employment__in=reports).exists()
    ansatt = user("ansatt").employee
    assert Employee.objects.restrict(leader, Action.VIEW_PERSON).filter(pk=ansatt.pk).exists()
    assert (
        SelfCertification.objects.filter(employment__employee=ansatt).exists()
        or SickNotePeriod.objects.filter(employment__employee=ansatt).exists()
    )


def test_unit_leader_scope_is_a_sector(loaded):
    boss = user("enhetsleder")
    assignment = boss.role_assignments.get(role=Role.UNIT_LEADER)
    assert assignment.unit.level == "sector"
    visible = Employment.objects.restrict(boss, Action.VIEW_PERSON)
    assert 0 < visible.count() < Employment.objects.count()
    assert access.actor_for(user("hr")).can(Action.VIEW_PERSON)
    assert not access.actor_for(user("verneombud")).can(Action.VIEW_PERSON)
    assert access.actor_for(user("nav")).can(Action.NAV_SIDE)
    assert not access.actor_for(user("hr")).can(Action.NAV_SIDE)


def test_if_empty_leaves_an_existing_organisation_alone(loaded):
    demo, _ = loaded
    before = Employee.objects.count()
    message = load_into_database(demo, if_empty=True)
    assert "already" in message and Employee.objects.count() == before


def test_loads_into_an_empty_database_with_if_empty(demo):
    load_into_database(demo, if_empty=True)
    assert Employee.objects.count() == demo.persons.num_rows
    assert datetime.date(2000, 1, 1) <= Unit.objects.order_by("valid_from").first().valid_from


def test_follow_up_cases_are_computed_for_the_bulk_load(loaded):
    from naervaer.followup.models import FollowupCase
    from naervaer.followup.services.sync import cases_refresh

    _demo, message = loaded
    stored = FollowupCase.objects.count()
    assert stored > 0 and f"{stored} follow-up cases" in message
    # The bulk computation agrees with refreshing one employment on its own.
    employment = (
        Employment.objects.filter(pk__in=FollowupCase.objects.values("employment_id"))
        .order_by("pk")
        .first()
    )
    before = sorted(
        FollowupCase.objects.filter(employment=employment).values_list("start", flat=True)
    )
    assert sorted(c.start for c in cases_refresh(employment)) == before


def test_personal_demo_users_carry_their_employees_name(loaded):
    for username in ("leder", "ansatt", "enhetsleder"):
        employee = Employee.objects.get(user__username=username)
        assert user(username).get_full_name() == f"{employee.first_name} {employee.last_name}"
