"""Role × page matrix: every role sees exactly what it should, and no diagnosis reaches the employer side."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from naervaer.absence import services as absence
from naervaer.audit.models import AccessLog
from naervaer.followup.models import FollowupCase
from naervaer.followup.services import case as case_services
from naervaer.followup.services import meetings as meeting_services
from naervaer.followup.services import plans as plan_services
from naervaer.followup.services import sync

from .conftest import DIAGNOSIS_CODE, SICK_FROM, assert_no_diagnosis, sick_note

pytestmark = pytest.mark.django_db
D = datetime.date
DIAGNOSIS = DIAGNOSIS_CODE  # must never reach an employer page
ALL = [
    "ola",
    "lena",
    "kari",
    "siri",
    "sjef",
    "hr",
    "bht",
    "nav",
    "verneombud",
    "tillitsvalgt",
    "analytiker",
    "sysadmin",
]


@pytest.fixture
def case_world(world):
    note = sick_note(
        world["employments"]["ola"],
        SICK_FROM,
        D(2026, 12, 31),
        work_related_reason="heavy lifting",
        note_to_employer="can do light tasks",
    )
    absence.diagnosis_record(
        actor=world["users"]["nav"], sick_note_period=note, icpc2_code=DIAGNOSIS
    )
    [case] = sync.cases_refresh(world["employments"]["ola"], today=D(2026, 10, 15))
    lena = world["users"]["lena"]
    meeting = meeting_services.meeting_record(
        actor=lena,
        case=case,
        kind="follow_up_talk",
        held_on=D(2026, 9, 15),
        minutes="Talked about tasks",
    )
    plan_services.plan_save(
        actor=lena,
        case=case,
        expected_version=None,
        data={"tasks": [{"task": "Serving meals", "capacity": "can"}]},
    )
    return world, case, meeting


def _get(world, username: str, url: str):
    client = Client()
    client.force_login(world["users"][username])
    return client.get(url)


# Who may open the employer-side case pages of Ola's case (bht only after a referral).
CASE_READERS = {"ola", "lena", "sjef", "hr"}


def test_case_pages_by_role(case_world):
    world, case, meeting = case_world
    pages = [
        reverse("followup:case", args=[case.pk]),
        reverse("followup:plan", args=[case.pk]),
        reverse("followup:plan_pdf", args=[case.pk]),
        reverse("followup:meeting", args=[meeting.pk]),
    ]
    for username in ALL:
        for url in pages:
            status = _get(world, username, url).status_code
            assert status == (200 if username in CASE_READERS else 404), (username, url, status)


def test_occupational_health_sees_the_case_once_referred(case_world):
    world, case, _meeting = case_world
    url = reverse("followup:case", args=[case.pk])
    assert _get(world, "bht", url).status_code == 404
    case_services.refer_to_occupational_health(actor=world["users"]["lena"], case=case)
    assert _get(world, "bht", url).status_code == 200


def test_work_list_shows_the_leader_the_case_and_not_others(case_world):
    world, _case, _meeting = case_world
    name = "Ola Test"
    for username, sees in [
        ("lena", True),
        ("ola", True),
        ("hr", True),
        ("kari", False),
        ("siri", False),
    ]:
        response = _get(world, username, reverse("followup:worklist"))
        assert response.status_code == 200
        assert (name in response.content.decode()) is sees, username
    for username in ("nav", "verneombud", "tillitsvalgt", "analytiker", "sysadmin"):
        assert _get(world, username, reverse("followup:worklist")).status_code == 403, username


def test_nav_side_is_nav_only_and_the_only_place_with_the_diagnosis(case_world):
    world, case, meeting = case_world
    for username in ALL:
        response = _get(world, username, reverse("followup:nav_cases"))
        assert response.status_code == (200 if username == "nav" else 403), username
        if username == "nav":
            assert DIAGNOSIS in response.content.decode()
    employer_pages = [
        reverse("followup:worklist"),
        reverse("followup:case", args=[case.pk]),
        reverse("followup:plan", args=[case.pk]),
        reverse("followup:meeting", args=[meeting.pk]),
        reverse("followup:audit:search"),
        reverse("followup:audit:mine"),
    ]
    for username in ("lena", "hr", "ola"):
        for url in employer_pages:
            assert_no_diagnosis(_get(world, username, url).content.decode(), f"{url} as {username}")


def test_audit_pages(case_world):
    world, case, _meeting = case_world
    _get(world, "lena", reverse("followup:case", args=[case.pk]))
    for username in ALL:
        assert _get(world, username, reverse("followup:audit:search")).status_code == (
            200 if username == "hr" else 403
        ), username
    mine = _get(world, "ola", reverse("followup:audit:mine"))
    assert mine.status_code == 200 and "Lena Test" in mine.content.decode()
    assert _get(world, "nav", reverse("followup:audit:mine")).status_code == 403


def test_every_case_read_is_logged_with_who_and_from_where(case_world):
    world, case, _meeting = case_world
    before = AccessLog.objects.filter(
        subject_employee_id=case.employee_id, actor=world["users"]["hr"]
    ).count()
    client = Client(REMOTE_ADDR="10.1.2.3")
    client.force_login(world["users"]["hr"])
    client.get(reverse("followup:case", args=[case.pk]))
    entry = AccessLog.objects.filter(
        subject_employee_id=case.employee_id, actor=world["users"]["hr"]
    ).first()
    assert (
        AccessLog.objects.filter(
            subject_employee_id=case.employee_id, actor=world["users"]["hr"]
        ).count()
        == before + 1
    )
    assert (entry.action, entry.object_type, entry.ip_address) == (
        "read",
        "followup_case",
        "10.1.2.3",
    )


def test_unit_leader_scope_is_the_subtree(world):
    sick_note(world["employments"]["siri"], SICK_FROM, D(2026, 9, 30))
    case = FollowupCase.objects.get(employment=world["employments"]["siri"])
    assert _get(world, "sjef", reverse("followup:case", args=[case.pk])).status_code == 404
    assert _get(world, "hr", reverse("followup:case", args=[case.pk])).status_code == 200
