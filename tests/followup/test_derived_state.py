"""Milestone states, escalations, the end of a case and HR's takeover are derived from what is
stored on the day they are read: the SQL used for lists and the rules core agree, and reading a
case on a later day writes nothing."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from naervaer.followup.models import FollowupCase, Milestone
from naervaer.followup.services import routines as routine_services
from naervaer.followup.services import sync

from .conftest import SICK_FROM, sick_note

pytestmark = pytest.mark.django_db
D = datetime.date


def test_sql_states_equal_the_rules_on_every_day(world):
    employment = world["employments"]["ola"]
    sick_note(employment, SICK_FROM, D(2026, 9, 30))
    sick_note(employment, D(2026, 10, 1), D(2027, 3, 31), grade=50)
    sick_note(world["employments"]["kari"], D(2026, 9, 7), D(2026, 9, 9))
    routine_services.routine_choose(
        actor=world["users"]["hr"],
        organisation_id=world["org"].pk,
        routine="ringnes-gjellerasen",
        valid_from=D(2026, 1, 1),
    )
    sync.cases_refresh_all(today=D(2026, 9, 2))
    stored = list(Milestone.objects.all())
    assert len(stored) > 10 and any(not m.applicable for m in stored)
    seen = set()
    for offset in range(0, 400, 3):
        day = SICK_FROM + datetime.timedelta(days=offset)
        annotated = {m.pk: (m.state, m.escalated) for m in Milestone.objects.with_state(day)}
        for milestone in stored:
            expected = (milestone.state_on(day), milestone.escalated_on(day))
            assert annotated[milestone.pk] == expected, (milestone.key, day)
            seen.add(expected[0])
    assert seen == {"upcoming", "due", "overdue", "not_applicable"}


def test_open_cases_and_hr_takeover_follow_the_calendar(world):
    employment = world["employments"]["ola"]
    sick_note(employment, SICK_FROM, D(2026, 9, 30))
    routine_services.routine_choose(
        actor=world["users"]["hr"],
        organisation_id=world["org"].pk,
        routine="law-minimum",
        valid_from=D(2026, 1, 1),
        hr_takeover_weeks=2,
    )
    [case] = sync.cases_refresh(employment, today=D(2026, 9, 2))
    # 16 gap days after 30 September end the case on 16 October.
    for day, running in ((D(2026, 10, 15), True), (D(2026, 10, 16), False)):
        assert case.ended_on(day) is not running
        assert FollowupCase.objects.filter(FollowupCase.open_on(day)).exists() is running
    assert case.responsible_on(D(2026, 9, 14)) == "nearest_leader"
    assert case.responsible_on(D(2026, 9, 15)) == "hr"
    takeover = FollowupCase.responsible_expression(D(2026, 9, 15))
    assert FollowupCase.objects.annotate(who=takeover).get().who == "hr"


def test_reading_on_a_later_day_writes_nothing_but_the_access_log(world):
    employment = world["employments"]["ola"]
    sick_note(employment, SICK_FROM, D(2026, 12, 31))
    [case] = sync.cases_refresh(employment, today=D(2026, 9, 2))
    client = Client()
    client.force_login(world["users"]["lena"])
    with CaptureQueriesContext(connection) as queries:
        for url in (reverse("followup:worklist"), reverse("followup:case", args=[case.pk])):
            assert client.get(url).status_code == 200
    writes = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    assert writes and all("audit_accesslog" in sql for sql in writes), writes
