"""`naervaer remind` against a real local SMTP server: each due item once, nothing when nothing is due."""

from __future__ import annotations

import argparse
import datetime

import pytest

from naervaer.followup import remind_cli
from naervaer.followup.models import FollowupCase
from naervaer.followup.services import case as case_services

from ..smtp import django_inbox
from .conftest import SICK_FROM, sick_note

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def smtp(settings):
    yield from django_inbox(settings)


def remind(day: D) -> int:
    return remind_cli.run(argparse.Namespace(today=day, no_refresh=False))


def test_nothing_due_sends_nothing(world, smtp):
    assert remind(D(2026, 10, 1)) == 0
    assert smtp.messages == []


def test_each_item_is_sent_once_across_runs(world, smtp, capsys):
    sick_note(world["employments"]["ola"], SICK_FROM, D(2026, 12, 31))
    remind(D(2026, 9, 25))  # plan due 29 September: inside the 7-day window
    remind(D(2026, 9, 25))
    remind(D(2026, 9, 26))
    to_lena = [body for rcpt, body in smtp.messages if rcpt == ["lena@example.org"]]
    assert len(to_lena) == 1
    assert "Follow-up plan" in to_lena[0] and "OT:" in to_lena[0]  # initials only
    assert "Ola Test" not in to_lena[0]
    # First run: Lena (plan) and HR (employer period); the repeat runs find nothing new.
    assert capsys.readouterr().out.splitlines() == [
        "2 reminder e-mail(s) sent",
        "0 reminder e-mail(s) sent",
        "0 reminder e-mail(s) sent",
    ]
    # HR gets the employer-period milestone (due 16 September, overdue) once.
    to_hr = [body for rcpt, body in smtp.messages if rcpt == ["hr@example.org"]]
    assert len(to_hr) == 1 and "Employer period ends" in to_hr[0]


def test_escalation_reaches_hr_once(world, smtp):
    sick_note(world["employments"]["ola"], SICK_FROM, D(2026, 12, 31))
    remind(D(2026, 10, 7))  # plan overdue 8 days: escalated to HR (after 7)
    remind(D(2026, 10, 8))
    to_hr = [body for rcpt, body in smtp.messages if rcpt == ["hr@example.org"]]
    assert len(to_hr) == 1 and "Follow-up plan" in to_hr[0]


def test_bring_forward_reminds_the_leader(world, smtp):
    sick_note(world["employments"]["kari"], SICK_FROM, D(2026, 12, 31))
    case = FollowupCase.objects.get(employment=world["employments"]["kari"])
    case_services.bring_forward_set(actor=world["users"]["lena"], case=case, on=D(2026, 12, 1))
    remind_cli.run(argparse.Namespace(today=D(2026, 12, 2), no_refresh=True))
    assert any(
        "bring forward 2026-12-01" in body
        for rcpt, body in smtp.messages
        if rcpt == ["lena@example.org"]
    )
