"""The access tests use the follow-up tests' small organisation (one user per role), and the URL
matrix adds one case with every kind of follow-up document, so every page has something to show."""

from __future__ import annotations

import datetime

import pytest
from axes.models import AccessAttempt, AccessLog
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from naervaer.absence import services as absence
from naervaer.followup.services import calendar, case, committee, meetings, placements, plans, sync
from naervaer.org.models import Employee
from tests.followup.conftest import SICK_FROM, _english, _fast_passwords, sick_note, world  # noqa: F401


@pytest.fixture
def matrix_world(world):  # noqa: F811 (the imported fixture)
    users, lena, hr = world["users"], world["users"]["lena"], world["users"]["hr"]
    note = sick_note(world["employments"]["ola"], SICK_FROM, datetime.date(2026, 12, 31))
    absence.diagnosis_record(actor=users["nav"], sick_note_period=note, icpc2_code="L03")
    [found] = sync.cases_refresh(world["employments"]["ola"], today=datetime.date(2026, 10, 15))
    meeting = meetings.meeting_record(
        actor=lena,
        case=found,
        kind="follow_up_talk",
        held_on=SICK_FROM,
        minutes="Tasks",
        next_meeting=timezone.localdate() + datetime.timedelta(days=14),  # in the calendar feed
    )
    plan = plans.plan_save(
        actor=lena,
        case=found,
        expected_version=None,
        data={"tasks": [{"task": "Serving meals", "capacity": "can"}]},
    )
    case.refer_to_occupational_health(actor=lena, case=found)
    referral = committee.committee_refer(actor=hr, case=found, question="Another unit?")
    placements.placement_create(actor=hr, unit=world["units"]["home"], title="Reception")
    feed = calendar.calendar_feed_renew(actor=lena)
    attempt = {"username": "ola", "ip_address": "10.0.0.1", "user_agent": "test", "path_info": "/"}
    return {
        **world,
        "case": found.pk,
        "meeting": meeting.pk,
        "plan_version": plan.version,
        "milestone": found.milestones.order_by("pk").first().pk,
        "referral": referral.pk,
        "feed_token": feed.token,
        "unit": world["units"]["home"].pk,
        "organisation": world["org"].pk,
        "ola_user": users["ola"].pk,
        "ola_employee": world["employees"]["ola"].pk,
        "ola_employment": world["employments"]["ola"].pk,
        "role_assignment": hr.role_assignments.get().pk,
        "employee_type": ContentType.objects.get_for_model(Employee).pk,
        "totp_device": TOTPDevice.objects.create(user=users["ola"], name="app").pk,
        "static_device": StaticDevice.objects.create(user=users["ola"], name="recovery").pk,
        "access_attempt": AccessAttempt.objects.create(**attempt, failures_since_start=1).pk,
        "login_log": AccessLog.objects.create(**attempt).pk,
    }
