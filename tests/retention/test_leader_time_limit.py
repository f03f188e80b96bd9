"""A nearest leader sees a closed case of a current report only for the organisation's set time
(``RetentionRules.leader_months``); the employee and HR keep seeing it. Decided by the access
layer, so every page and selector follows."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from naervaer.followup import selectors
from naervaer.followup.models import FollowupCase
from naervaer.followup.services import case as case_services
from naervaer.followup.services import sync
from naervaer.org.access import Action, as_actor
from naervaer.org.models import RetentionRules
from tests.followup.conftest import sick_note

pytestmark = pytest.mark.django_db
D = datetime.date


def _case(world, start: D, end: D, today: D) -> FollowupCase:
    sick_note(world["employments"]["ola"], start, end)
    [case] = [
        c for c in sync.cases_refresh(world["employments"]["ola"], today=today) if c.start == start
    ]
    return case


def _sees(world, username: str, case: FollowupCase, day: D, action=Action.VIEW_CASE) -> bool:
    actor = as_actor(world["users"][username], day)
    return FollowupCase.objects.restrict(actor, action).filter(pk=case.pk).exists()


def test_a_closed_case_leaves_the_leaders_sight_after_the_set_months(world):
    case = _case(world, D(2024, 3, 4), D(2024, 3, 29), D(2024, 4, 2))
    case_services.case_close(
        actor=world["users"]["hr"], case=case, outcome="back_full_time", on=D(2024, 4, 2)
    )
    # Default: 12 months after closing.
    assert _sees(world, "lena", case, D(2025, 4, 2))
    assert not _sees(world, "lena", case, D(2025, 4, 3))
    for action in (Action.WORK_CASE, Action.RECORD_MEETING, Action.APPROVE_PLAN):
        assert _sees(world, "lena", case, D(2025, 4, 1), action)
        assert not _sees(world, "lena", case, D(2025, 4, 3), action)
    # The employee, HR and the unit leader are not limited by the leader's rule.
    for username in ("ola", "hr", "sjef"):
        assert _sees(world, username, case, D(2026, 12, 1))


def test_a_case_ended_by_the_rules_counts_from_16_days_after_the_last_sick_day(world):
    case = _case(world, D(2024, 3, 4), D(2024, 3, 29), D(2024, 6, 1))
    assert case.closed_on is None
    # Ended by the rules on 14 April 2024 (16 gap days after 29 March).
    assert _sees(world, "lena", case, D(2025, 4, 14))
    assert not _sees(world, "lena", case, D(2025, 4, 15))


def test_the_time_is_the_organisations_setting_and_open_cases_are_always_seen(world):
    RetentionRules.objects.create(organisation=world["org"], leader_months=2)
    old = _case(world, D(2024, 3, 4), D(2024, 3, 29), D(2024, 6, 1))
    running = _case(world, D(2026, 11, 2), D(2026, 12, 31), D(2026, 11, 10))
    day = D(2026, 11, 10)
    assert not _sees(world, "lena", old, day)
    assert _sees(world, "lena", running, day)
    RetentionRules.objects.filter(organisation=world["org"]).update(leader_months=40)
    assert _sees(world, "lena", old, day)
    assert {c.pk for c in selectors.visible_cases(world["users"]["lena"], day)} == {
        old.pk,
        running.pk,
    }


def test_the_case_page_answers_404_to_the_leader_once_the_time_is_over(world):
    case = _case(world, D(2020, 3, 2), D(2020, 3, 27), D(2020, 6, 1))
    for username, status in (("lena", 404), ("hr", 200), ("ola", 200)):
        client = Client()
        client.force_login(world["users"][username])
        response = client.get(reverse("followup:case", args=[case.pk]))
        assert response.status_code == status, username
