"""A small municipality for the prevention tests, with units of different sizes:

Kommune (organisation)
├── Helse (sector)                unit leader: "sector_boss"
│   ├── Sykehjem (department)     leader Lena + 13 employees she leads   → 14 invited
│   └── Hjemmetjeneste (department)  leader Per + 2 employees he leads    → 3 invited
└── Skole (sector)                6 employees                             → 6 invited

Everyone has a user with an e-mail address; HR, safety rep, union rep and analyst cover the
whole organisation. ``answer_all`` answers a round through the service with the links' tokens.
"""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache

from naervaer.org import services
from naervaer.org.models import Role
from naervaer.prevention import instrument_files, survey_services
from naervaer.prevention.models import Invitation

from ..smtp import django_inbox

START = datetime.date(2020, 1, 1)
TODAY = datetime.date.today()


def national_id(birth: datetime.date, individual: int) -> str:
    """A valid fødselsnummer: the next individual number whose check digits exist."""
    from stdnum.no import fodselsnummer

    while True:
        base = f"{birth:%d%m%y}{individual:03d}"
        first = fodselsnummer.calc_check_digit1(base)
        number = base + first + fodselsnummer.calc_check_digit2(base + first)
        if fodselsnummer.is_valid(number):
            return number
        individual += 1


@pytest.fixture
def world(db):
    return build_world()


def build_world(password: str | None = None) -> dict:
    """The municipality above; with ``password`` every user can log in with it."""
    cache.clear()
    User = get_user_model()
    org = services.organisation_create(name="Kommune", org_number="974760673")

    def unit(name, level, parent=None):
        return services.unit_create(
            organisation=org, name=name, level=level, parent=parent, valid_from=START
        )

    root = unit("Kommune", "organisation")
    health = unit("Helse", "sector", root)
    home = unit("Sykehjem", "department", health)
    homecare = unit("Hjemmetjeneste", "department", health)
    school = unit("Skole", "sector", root)
    users, employments, counter = {}, {}, [100]

    def person(username, where, leader=None):
        counter[0] += 1
        user = User.objects.create_user(username, f"{username}@example.org", password)
        employee = services.employee_create(
            organisation=org,
            national_id=national_id(datetime.date(1980, 1, 1 + counter[0] % 28), counter[0] * 3),
            first_name=username.capitalize(),
            last_name="Test",
            user=user,
        )
        employments[username] = services.employment_create(
            employee=employee,
            unit=where,
            start_date=START,
            position_percent=100,
            nearest_leader=leader,
        )
        users[username] = user
        return employee

    lena = person("lena", home)
    for n in range(13):
        person(f"home{n}", home, lena)
    per = person("per", homecare)
    for n in range(2):
        person(f"care{n}", homecare, per)
    for n in range(6):
        person(f"school{n}", school)
    for name, role, scope in [
        ("sector_boss", Role.UNIT_LEADER, health),
        ("hr", Role.HR, None),
        ("verneombud", Role.SAFETY_REP, None),
        ("tillitsvalgt", Role.UNION_REP, None),
        ("analytiker", Role.ANALYST, None),
        ("bht", Role.OCCUPATIONAL_HEALTH, None),
    ]:
        users[name] = User.objects.create_user(name, f"{name}@example.org", password)
        services.role_assign(
            user=users[name], role=role, organisation=org, unit=scope, valid_from=START
        )
    return {
        "org": org,
        "units": {
            "root": root,
            "health": health,
            "home": home,
            "homecare": homecare,
            "school": school,
        },
        "users": users,
        "employments": employments,
    }


def profile_instrument():
    return survey_services.stored_instrument(instrument_files.shipped("psychosocial-10"), None)


@pytest.fixture
def open_round(world):
    survey = survey_services.round_create(
        actor=world["users"]["hr"],
        instrument=profile_instrument(),
        root_unit=world["units"]["root"],
        title="Arbeidsmiljø 2026",
        opens_on=TODAY,
        closes_on=TODAY + datetime.timedelta(days=14),
        bands=[{"key": "age", "label_nb": "Alder", "label_en": "Age", "options": ["<40", "40+"]}],
    )
    survey_services.round_open(survey=survey, today=TODAY)
    return survey


def answer_all(survey, value_of=lambda n, item: 2 + (n + item) % 3, comment=lambda n: ""):
    """Answer every invitation of the round; ``value_of(person number, item number)``."""
    items = survey.instrument.definition["items"]
    for n, invitation in enumerate(Invitation.objects.filter(round=survey).order_by("pk")):
        survey_services.answer_submit(
            token=survey_services.token_for(invitation),
            values={item["key"]: value_of(n, i) for i, item in enumerate(items)},
            bands={"age": "<40" if n % 2 else "40+"},
            comment=comment(n),
            today=TODAY,
        )


@pytest.fixture
def smtp(settings):
    """A real SMTP server on a free local port; Django sends to it."""
    yield from django_inbox(settings)


@pytest.fixture(autouse=True)
def _english_messages(client, settings):
    """Assert on the English msgids: services run under English, pages are asked for in English."""
    from django.utils import translation

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield
