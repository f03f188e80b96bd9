"""The personal calendar feed: secret token, revocable, initials only, no health data."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from naervaer.absence import services as absence
from naervaer.followup.models import CalendarFeed, FollowupCase
from naervaer.followup.services import calendar as calendar_services
from naervaer.followup.services import meetings as meeting_services

from .conftest import sick_note

pytestmark = pytest.mark.django_db


def test_feed_lists_upcoming_milestones_with_initials_only_and_can_be_revoked(world):
    today = datetime.date.today()
    note = sick_note(
        world["employments"]["ola"],
        today - datetime.timedelta(days=10),
        today + datetime.timedelta(days=120),
        work_related_reason="heavy lifting",
    )
    absence.diagnosis_record(actor=world["users"]["nav"], sick_note_period=note, icpc2_code="L03")
    case = FollowupCase.objects.get(employment=world["employments"]["ola"])
    meeting_services.meeting_record(
        actor=world["users"]["lena"],
        case=case,
        kind="follow_up_talk",
        held_on=today,
        next_meeting=today + datetime.timedelta(days=14),
        minutes="private minutes",
    )
    feed = calendar_services.calendar_feed_renew(actor=world["users"]["lena"])
    response = Client().get(reverse("followup:feed", args=[feed.token]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    summaries = [str(event["summary"]) for event in calendar.walk("VEVENT")]
    # Plan at day 29 and the next talk in 14 days are ahead; the employer period ended already (HR's anyway).
    assert any(s.startswith("Oppfølgingsplan") and s.endswith("– OT") for s in summaries)
    assert any(
        s.endswith("– OT") and ("follow-up talk" in s.lower() or "oppfølgingssamtale" in s.lower())
        for s in summaries
    )
    body = response.content.decode()
    for secret in ("Ola", "L03", "heavy lifting", "private minutes"):
        assert secret not in body
    old = feed.token
    calendar_services.calendar_feed_renew(actor=world["users"]["lena"])
    assert Client().get(reverse("followup:feed", args=[old])).status_code == 404
    calendar_services.calendar_feed_revoke(actor=world["users"]["lena"])
    assert not CalendarFeed.objects.exists()


def test_unknown_token_is_not_found(db):
    assert Client().get(reverse("followup:feed", args=["nope"])).status_code == 404
