"""A small organisation for register and access tests:

Kommune (organisation)
└── Helse (sector)            unit leader: user "sector_boss"
    ├── Sykehjem (department)
    │   └── Avd 1 (site)      leader Lena leads Ola and Kari
    └── Hjemmetjeneste (department)
                              Per (led by Lena too? no: no leader)
"""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth import get_user_model
from stdnum.no import fodselsnummer

from naervaer.org import services
from naervaer.org.models import Role

START = datetime.date(2020, 1, 1)


def national_id(birth: datetime.date, individual: int) -> str:
    """A fødselsnummer for a birth date and individual number (check digits computed per the mod-11 rule)."""
    base = f"{birth:%d%m%y}{individual:03d}"
    first = fodselsnummer.calc_check_digit1(base)
    return base + first + fodselsnummer.calc_check_digit2(base + first)


@pytest.fixture
def org_tree(db):
    User = get_user_model()
    org = services.organisation_create(name="Kommune", org_number="974760673")
    root = services.unit_create(
        organisation=org, name="Kommune", level="organisation", valid_from=START
    )
    health = services.unit_create(
        organisation=org,
        name="Helse",
        level="sector",
        parent=root,
        valid_from=START,
        sector_code="health_care",
    )
    home = services.unit_create(
        organisation=org, name="Sykehjem", level="department", parent=health, valid_from=START
    )
    site = services.unit_create(
        organisation=org, name="Avd 1", level="site", parent=home, valid_from=START
    )
    homecare = services.unit_create(
        organisation=org, name="Hjemmetjeneste", level="department", parent=health, valid_from=START
    )
    school = services.unit_create(
        organisation=org, name="Skole", level="sector", parent=root, valid_from=START
    )

    def person(username: str, first: str, individual: int, unit, leader=None):
        user = User.objects.create_user(username)
        employee = services.employee_create(
            organisation=org,
            national_id=national_id(datetime.date(1980, 1, 1 + individual % 28), individual),
            first_name=first,
            last_name="Test",
            user=user,
        )
        employment = services.employment_create(
            employee=employee,
            unit=unit,
            start_date=START,
            position_percent=100,
            nearest_leader=leader,
        )
        return user, employee, employment

    lena_user, lena, lena_emp = person("lena", "Lena", 101, home)
    ola_user, ola, ola_emp = person("ola", "Ola", 102, site, leader=lena)
    kari_user, kari, kari_emp = person("kari", "Kari", 104, site, leader=lena)
    per_user, per, per_emp = person("per", "Per", 106, homecare)
    siri_user, siri, siri_emp = person("siri", "Siri", 108, school)

    def role_user(username: str, role: str, unit=None):
        user = User.objects.create_user(username)
        services.role_assign(user=user, role=role, organisation=org, unit=unit, valid_from=START)
        return user

    return {
        "org": org,
        "units": {
            "root": root,
            "health": health,
            "home": home,
            "site": site,
            "homecare": homecare,
            "school": school,
        },
        "users": {
            "lena": lena_user,
            "ola": ola_user,
            "kari": kari_user,
            "per": per_user,
            "siri": siri_user,
            **{
                name: role_user(name, role, unit)
                for name, role, unit in [
                    ("sector_boss", Role.UNIT_LEADER, health),
                    ("hr", Role.HR, None),
                    ("bht", Role.OCCUPATIONAL_HEALTH, None),
                    ("nav", Role.NAV, None),
                    ("verneombud", Role.SAFETY_REP, None),
                    ("tillitsvalgt", Role.UNION_REP, None),
                    ("analytiker", Role.ANALYST, None),
                    ("sysadmin", Role.ADMIN, None),
                ]
            },
        },
        "employments": {
            "lena": lena_emp,
            "ola": ola_emp,
            "kari": kari_emp,
            "per": per_emp,
            "siri": siri_emp,
        },
        "employees": {"lena": lena, "ola": ola, "kari": kari, "per": per, "siri": siri},
    }


@pytest.fixture(autouse=True)
def _english_messages():
    """Assert on the English msgids, whatever the nb catalogue says."""
    from django.utils import translation

    with translation.override("en"):
        yield
