"""A small organisation with one sick-listed employee, for follow-up tests:

    Kommune ─ Helse (sector; unit leader "sjef") ─ Sykehjem (department)
                                                   leader Lena leads Ola (sick) and Kari
            ─ Skole (sector)                       Siri (no leader)

Role users: hr, bht (occupational health), nav, verneombud, tillitsvalgt, analytiker, sysadmin.
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from stdnum.no import fodselsnummer

from naervaer.absence import services as absence
from naervaer.org import services as org
from naervaer.org.models import Role

START = datetime.date(2020, 1, 1)
SICK_FROM = datetime.date(2026, 9, 1)  # a Tuesday


def national_id(birth: datetime.date, individual: int) -> str:
    base = f"{birth:%d%m%y}{individual:03d}"
    first = fodselsnummer.calc_check_digit1(base)
    return base + first + fodselsnummer.calc_check_digit2(base + first)


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _english():
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def world(db):
    User = get_user_model()
    kommune = org.organisation_create(name="Kommune", org_number="974760673")
    root = org.unit_create(
        organisation=kommune, name="Kommune", level="organisation", valid_from=START
    )
    health = org.unit_create(
        organisation=kommune, name="Helse", level="sector", parent=root, valid_from=START
    )
    home = org.unit_create(
        organisation=kommune, name="Sykehjem", level="department", parent=health, valid_from=START
    )
    school = org.unit_create(
        organisation=kommune, name="Skole", level="sector", parent=root, valid_from=START
    )
    users, employees, employments = {}, {}, {}

    def person(username, first, individual, unit, leader=None):
        users[username] = User.objects.create_user(
            username, email=f"{username}@example.org", password="pw-for-tests-123"
        )
        employees[username] = org.employee_create(
            organisation=kommune,
            national_id=national_id(datetime.date(1980, 1, 1 + individual % 28), individual),
            first_name=first,
            last_name="Test",
            user=users[username],
        )
        employments[username] = org.employment_create(
            employee=employees[username],
            unit=unit,
            start_date=START,
            position_percent=100,
            nearest_leader=employees[leader] if leader else None,
        )

    person("lena", "Lena", 101, home)
    person("ola", "Ola", 102, home, leader="lena")
    person("kari", "Kari", 104, home, leader="lena")
    person("siri", "Siri", 108, school)
    for username, role, unit in [
        ("sjef", Role.UNIT_LEADER, health),
        ("hr", Role.HR, None),
        ("bht", Role.OCCUPATIONAL_HEALTH, None),
        ("nav", Role.NAV, None),
        ("verneombud", Role.SAFETY_REP, None),
        ("tillitsvalgt", Role.UNION_REP, None),
        ("analytiker", Role.ANALYST, None),
        ("sysadmin", Role.ADMIN, None),
    ]:
        users[username] = User.objects.create_user(
            username, email=f"{username}@example.org", password="pw-for-tests-123"
        )
        org.role_assign(
            user=users[username], role=role, organisation=kommune, unit=unit, valid_from=START
        )
    return {
        "org": kommune,
        "users": users,
        "employees": employees,
        "employments": employments,
        "units": {"health": health, "home": home},
    }


def sick_note(employment, start, end, grade=None, **extra):
    note_type = "graded" if grade else "full"
    return absence.sick_note_period_register(
        actor=None,
        employment=employment,
        note_type=note_type,
        start_date=start,
        end_date=end,
        grade=grade,
        received_on=start,
        **extra,
    )


# The code, the classification, and the chapter or diagnosis in words (en and nb). The word "diagnosis"
# itself may appear: the sick-note form tells leaders never to enter one.
DIAGNOSIS_CODE = "P76"  # ICPC-2 depression; chapter P = psychological
FORBIDDEN = (DIAGNOSIS_CODE, "ICPC", "psycholog", "psykisk", "depressi", "depresj")
CSRF_VALUE = re.compile(r'(name="csrfmiddlewaretoken" value=")[A-Za-z0-9]+"')


def assert_no_diagnosis(text: str, where: str) -> None:
    """No forbidden word may start anywhere a word can start. CSRF values are blanked first: a random
    token holds the letters of a code now and then, which would make the check flaky, not stricter."""
    lowered = CSRF_VALUE.sub(r'\1"', text).lower()
    for word in FORBIDDEN:
        assert not re.search(rf"(?<![a-z0-9]){re.escape(word.lower())}", lowered), (
            f"{where} shows {word!r}"
        )
