"""Invitations, answering through the e-mailed link and idempotent reminders, against a real local
SMTP server (aiosmtpd)."""

from __future__ import annotations

import argparse
import datetime
import re

import pytest
from django.test import Client

from naervaer.prevention import cli, hse_services, survey_services
from naervaer.prevention.models import Invitation, Response, SurveyRound

from .conftest import TODAY, profile_instrument

pytestmark = pytest.mark.django_db
LINK = re.compile(r"http://testserver(/forebygging/svar/[0-9a-f]{40}/)")


def remind(day: datetime.date) -> None:
    cli.run(argparse.Namespace(action="remind", today=day))


@pytest.fixture
def draft(world):
    return survey_services.round_create(
        actor=world["users"]["hr"],
        instrument=profile_instrument(),
        root_unit=world["units"]["root"],
        title="Arbeidsmiljø 2026",
        opens_on=TODAY,
        closes_on=TODAY + datetime.timedelta(days=20),
    )


def test_hr_opens_the_round_and_each_person_gets_one_single_use_link(
    client, world, draft, smtp, settings
):
    settings.NAERVAER_BASE_URL = "http://testserver"
    client.force_login(world["users"]["hr"])
    response = client.post(f"/forebygging/undersokelser/{draft.pk}/apne/", follow=True)
    assert "23 invited, 23 e-mails sent" in response.content.decode()
    assert len(smtp.messages) == 23
    to_kari = next(body for rcpt, body in smtp.messages if rcpt == ["home3@example.org"])
    assert "Home3" not in to_kari  # the mail needs no name
    path = LINK.search(to_kari.replace("=\n", "")).group(1)
    client.logout()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = Client().get(path, HTTP_ACCEPT_LANGUAGE="nb")  # no login needed; in Norwegian
    assert page.status_code == 200 and "Konflikthåndtering" in page.content.decode()
    assert "Conflict resolution" in client.get(path).content.decode()  # and in English
    items = draft.instrument.definition["items"]
    answered = client.post(path, {item["key"]: "4" for item in items} | {"comment": "Bra"})
    assert answered.status_code == 302 and answered["Location"] == "/forebygging/svar/takk/"
    assert Response.objects.filter(round=draft).count() == 1
    again = client.post(path, {item["key"]: "1" for item in items})
    assert "prevention/answer_refused.html" in [t.name for t in again.templates]
    assert again.context["reason"].startswith("This link has already been used")
    assert Response.objects.filter(round=draft).count() == 1
    assert client.get("/forebygging/svar/" + "0" * 40 + "/").status_code == 404


def test_reminders_go_once_per_interval_to_those_who_have_not_answered(world, draft, smtp):
    survey_services.round_open(survey=draft, today=TODAY)
    remind(TODAY)
    assert len(smtp.messages) == 23  # the invitations
    first = Invitation.objects.get(round=draft, employee__user__username="home0")
    survey_services.answer_submit(
        token=survey_services.token_for(first), values={"c1": 3}, bands={}, today=TODAY
    )
    remind(TODAY)
    remind(TODAY + datetime.timedelta(days=3))
    assert len(smtp.messages) == 23  # nothing due before a week has passed
    remind(TODAY + datetime.timedelta(days=7))
    remind(TODAY + datetime.timedelta(days=7))
    reminders = smtp.messages[23:]
    assert len(reminders) == 22
    assert ["home0@example.org"] not in [rcpt for rcpt, _body in reminders]
    assert all("reminder" in body for _rcpt, body in reminders)
    remind(TODAY + datetime.timedelta(days=14))
    assert len(smtp.messages) == 23 + 44
    remind(TODAY + datetime.timedelta(days=21))  # past the closing day: closed, no mail
    draft.refresh_from_db()
    assert draft.status == SurveyRound.Status.CLOSED and len(smtp.messages) == 23 + 44


def test_an_overdue_measure_reminds_its_owner_once(world, smtp):
    lena = world["users"]["lena"]
    plan = hse_services.plan_create(
        actor=lena, unit=world["units"]["home"], title="HMS", first_year=2026, last_year=2027
    )
    hse_services.measure_add(
        plan=plan,
        text="Kurs i konflikthåndtering",
        owner_name="Lena",
        owner=lena,
        deadline=TODAY - datetime.timedelta(days=1),
    )
    remind(TODAY)
    remind(TODAY)
    to_lena = [body for rcpt, body in smtp.messages if rcpt == ["lena@example.org"]]
    assert len(to_lena) == 1 and "Kurs i konflikthåndtering" in to_lena[0]
