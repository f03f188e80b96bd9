"""The issue's "done when": no diagnosis or medical reason reaches any employer-side page, PDF,
e-mail or calendar feed — checked on the rendered output, with a diagnosis actually recorded on
the case's sick note (the NAV page shows it, so the checks below could fail)."""

from __future__ import annotations

import argparse
import datetime
import io

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from naervaer.absence import services as absence
from naervaer.absence.models import NavDiagnosis
from naervaer.followup import remind_cli
from naervaer.followup.models import FollowupCase
from naervaer.followup.services import calendar as calendar_services
from naervaer.followup.services import case as case_services
from naervaer.followup.services import meetings as meeting_services
from naervaer.followup.services import plans as plan_services

from .conftest import DIAGNOSIS_CODE, SICK_FROM, assert_no_diagnosis, sick_note

pytestmark = pytest.mark.django_db
D = datetime.date
CODE = DIAGNOSIS_CODE
EMPLOYER_SIDE = [
    "ola",
    "lena",
    "kari",
    "siri",
    "sjef",
    "hr",
    "bht",
    "verneombud",
    "tillitsvalgt",
    "analytiker",
    "sysadmin",
]


@pytest.fixture
def diagnosed(world):
    note = sick_note(
        world["employments"]["ola"],
        SICK_FROM,
        D(2026, 12, 31),
        work_related_reason="heavy lifting",
        note_to_employer="can do light tasks",
    )
    absence.diagnosis_record(
        actor=world["users"]["nav"], sick_note_period=note, icpc2_code=CODE.lower()
    )
    case = FollowupCase.objects.get(employment=world["employments"]["ola"])
    lena = world["users"]["lena"]
    meeting = meeting_services.meeting_record(
        actor=lena,
        case=case,
        kind="follow_up_talk",
        held_on=D(2026, 9, 15),
        minutes="Talked about tasks",
        next_meeting=D(2026, 10, 1),
    )
    plan_services.plan_save(
        actor=lena,
        case=case,
        expected_version=None,
        data={
            "tasks": [{"task": "Serving meals", "capacity": "can"}],
            "measures": [
                {
                    "measure": "Shorter shifts",
                    "status": "agreed",
                    "owner": "Lena",
                    "deadline": "2026-10-01",
                }
            ],
        },
    )
    case_services.refer_to_occupational_health(actor=lena, case=case)
    assert NavDiagnosis.objects.get(sick_note_period=note).icpc2_code == CODE
    return world, case, meeting


def _client(world, username: str) -> Client:
    client = Client()
    client.force_login(world["users"][username])
    return client


def test_the_nav_page_shows_the_diagnosis_so_the_checks_can_fail(diagnosed):
    world, _case, _meeting = diagnosed
    assert CODE in _client(world, "nav").get(reverse("followup:nav_cases")).content.decode()


def test_no_employer_side_page_shows_the_diagnosis(diagnosed):
    world, case, meeting = diagnosed
    milestone = case.milestones.first()
    pages = [
        reverse("followup:worklist"),
        reverse("followup:case", args=[case.pk]),
        reverse("followup:plan", args=[case.pk]),
        reverse("followup:meeting", args=[meeting.pk]),
        reverse("followup:workplace", args=[case.pk]),
        reverse("followup:milestone", args=[milestone.pk]),
        reverse("followup:placements"),
        reverse("followup:calendar"),
        reverse("followup:sick_note_new"),
        reverse("followup:audit:search"),
        reverse("followup:audit:mine"),
    ]
    shown = {}
    for username in EMPLOYER_SIDE:
        client = _client(world, username)
        for url in pages:
            response = client.get(url)
            if response.status_code == 200:
                assert_no_diagnosis(response.content.decode(), f"{url} as {username}")
                shown[username] = shown.get(username, 0) + 1
    # The people on the case really saw its pages (the loop checked something).
    assert shown["lena"] >= 8 and shown["hr"] >= 9 and shown["ola"] >= 4 and shown["bht"] >= 2


def test_plan_pdf_names_the_employee_and_plan_but_not_the_diagnosis(diagnosed):
    world, case, _meeting = diagnosed
    for username in ("ola", "lena", "hr"):
        response = _client(world, username).get(reverse("followup:plan_pdf", args=[case.pk]))
        assert response.status_code == 200
        text = "\n".join(
            page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages
        )
        assert "Ola Test" in text and "Serving meals" in text and "Shorter shifts" in text
        assert_no_diagnosis(text, f"plan PDF for {username}")


def test_reminder_emails_do_not_carry_the_diagnosis(diagnosed, mailoutbox):
    remind_cli.run(
        argparse.Namespace(today=D(2026, 10, 7), no_refresh=False)
    )  # plan overdue and escalated; talk due
    assert len(mailoutbox) >= 2
    for message in mailoutbox:
        assert_no_diagnosis(f"{message.subject}\n{message.body}", f"e-mail to {message.to}")
        assert "Ola Test" not in message.body


def test_calendar_feed_does_not_carry_the_diagnosis(diagnosed):
    world, case, _meeting = diagnosed
    today = datetime.date.today()  # the feed lists what lies ahead of the real today
    meeting_services.meeting_record(
        actor=world["users"]["lena"],
        case=case,
        kind="follow_up_talk",
        held_on=today,
        next_meeting=today + datetime.timedelta(days=14),
    )
    feed = calendar_services.calendar_feed_renew(actor=world["users"]["lena"])
    body = Client().get(reverse("followup:feed", args=[feed.token])).content.decode()
    assert "BEGIN:VEVENT" in body and "OT" in body
    assert_no_diagnosis(body, "calendar feed")


def test_the_check_blanks_only_csrf_values():
    assert_no_diagnosis('<input type="hidden" name="csrfmiddlewaretoken" value="P76xYz">', "a form")
    with pytest.raises(AssertionError):
        assert_no_diagnosis(
            '<td>P76</td><input type="hidden" name="csrfmiddlewaretoken" value="abc">', "a table"
        )
