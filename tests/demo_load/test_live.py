"""A demo generated today is alive today: open cases at every stage in the work lists, the
follow-up work done through the services (plans in every state, meetings, placements, the
committee, diagnoses), insight's targets, costs and references — and the same again for the
same seed and day."""

from __future__ import annotations

import datetime
from collections import Counter

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction

from naervaer.absence.models import NavDiagnosis
from naervaer.audit.models import AccessLog
from naervaer.demo import stages
from naervaer.demo.load import DEMO_PASSWORD, load_into_database
from naervaer.demo.synth import DemoConfig, generate
from naervaer.followup.models import (
    CaseEvent,
    CommitteeReferral,
    FollowupCase,
    Meeting,
    Milestone,
    Placement,
    PlacementAssignment,
    Plan,
)
from naervaer.insight.models import CostRate, ReferenceFigure, Target
from naervaer.org.models import Employee
from naervaer.rules import FollowUpCase
from naervaer.rules.cases import recurring_absence

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()
FIXED = datetime.date(2026, 12, 6)


def _config(today: datetime.date) -> DemoConfig:
    return DemoConfig(end_date=today, employees=200, seed=5, years=3)


@pytest.fixture(scope="module")
def demo_today():
    return generate(_config(TODAY))


@pytest.fixture
def live(demo_today):
    load_into_database(demo_today)
    return demo_today


def _name(employee: Employee) -> str:
    return f"{employee.first_name} {employee.last_name}"


def _scripted_cases(org) -> dict[str, list[FollowupCase]]:
    found: dict[str, list[FollowupCase]] = {}
    for employment_id, key in org.stages.items():
        case = (
            FollowupCase.objects.filter(employment__external_id=f"E{employment_id}")
            .select_related("employee")
            .order_by("-start")
            .first()
        )
        found.setdefault(key, []).append(case)
    return found


def login(client, username: str) -> None:
    """Log in as a demo user: the printed password is right, then a finished login (the lockout
    backend's ``authenticate`` needs a request, which ``Client.login`` does not pass)."""
    user = get_user_model().objects.get(username=username)
    assert user.check_password(DEMO_PASSWORD)
    client.force_login(user)


def test_leader_and_hr_find_open_cases_in_their_work_lists(live, client) -> None:
    leader = Employee.objects.get(user__username="leder")
    team = FollowupCase.objects.filter(
        FollowupCase.open_on(TODAY), employment__nearest_leader=leader
    ).select_related("employee")
    assert team.count() >= len(stages.STAGES)

    login(client, "leder")
    page = client.get("/oppfolging/").content.decode()
    assert "Ingen åpne saker" not in page
    for case in team:
        assert _name(case.employee) in page

    client.logout()
    login(client, "hr")
    page = client.get("/oppfolging/").content.decode()
    assert "Ingen åpne saker" not in page
    # HR's list: cases whose milestones escalated to HR, or brought forward to today.
    escalated = (
        FollowupCase.objects.filter(
            FollowupCase.open_on(TODAY),
            milestones__escalation_role="hr",
            milestones__escalates_on__lte=TODAY,
            milestones__recorded="",
            milestones__applicable=True,
        )
        .select_related("employee")
        .distinct()
    )
    assert escalated.exists()
    assert all(_name(case.employee) in page for case in escalated)


def test_the_demo_employee_has_a_plan_to_approve_and_earlier_cases(live, client) -> None:
    employee = Employee.objects.get(user__username="ansatt")
    cases = list(FollowupCase.objects.filter(employee=employee).order_by("start"))
    current = cases[-1]
    assert current.start == TODAY - datetime.timedelta(days=40)
    assert current.plan.approved_by_leader_at and not current.plan.approved_by_employee_at
    earlier = [FollowUpCase(c.start, c.end, c.sick_days) for c in cases[:-1]]
    assert recurring_absence(earlier, TODAY)

    login(client, "ansatt")
    page = client.get(f"/oppfolging/sak/{current.pk}/plan/").content.decode()
    assert "Godkjenn versjon 1" in page


def test_every_stage_has_an_open_case(live) -> None:
    """Stage buckets by the case's age on today (law minimum: plan at 4 weeks, dialogue meeting
    1 at 7, activity requirement at 8, dialogue meeting 2 at 26, the notice at 39) and the max date."""
    buckets = {
        "week_1": lambda c, age: age < 7,
        "weeks_2_4": lambda c, age: 7 <= age < 28,
        "weeks_4_7": lambda c, age: 28 <= age < 49,
        "weeks_7_8": lambda c, age: 49 <= age < 56,
        "weeks_8_26": lambda c, age: 56 <= age < 182,
        "weeks_26_39": lambda c, age: 182 <= age < 273,
        "over_39_weeks": lambda c, age: age >= 273 and c.max_date >= TODAY,
        "past_max_date": lambda c, age: c.max_date < TODAY,
        "recurring": lambda c, age: True,
    }
    for key, cases in _scripted_cases(live).items():
        for case in cases:
            assert case.closed_on is None and not case.ended_on(TODAY), key
            assert buckets[key](case, (TODAY - case.start).days), (key, case.start)
    assert set(_scripted_cases(live)) == set(buckets)
    graded = FollowupCase.objects.filter(
        FollowupCase.open_on(TODAY), milestones__key="dialogue_meeting_1"
    )
    assert graded.filter(milestones__applicable=False).exists()  # graded leave
    assert graded.filter(milestones__applicable=True).exists()  # full leave


def test_the_follow_up_work_is_there_in_every_state(live) -> None:
    plans = Plan.objects.filter(case__current=True)
    assert plans.filter(approved_by_leader_at__isnull=True).exists()  # draft
    assert plans.filter(
        approved_by_leader_at__isnull=False, approved_by_employee_at__isnull=True
    ).exists()  # awaiting the employee
    assert plans.filter(
        approved_by_leader_at__isnull=False, approved_by_employee_at__isnull=False
    ).exists()  # approved
    assert Meeting.objects.exclude(minutes="").filter(kind="dialogue_1").exists()
    # Milestones done with their documents, as the services record them.
    done = Milestone.objects.filter(recorded="done")
    assert done.filter(key="dialogue_meeting_1", meeting__isnull=False).exists()
    assert done.filter(key="follow_up_plan", plan__isnull=False).exists()
    assert not done.filter(meeting__isnull=True, plan__isnull=True).exists()
    # Some are left undone on purpose: the work lists have something overdue.
    assert (
        Milestone.objects.with_state(TODAY)
        .filter(state="overdue", case__closed_on__isnull=True)
        .exists()
    )
    assert Placement.objects.exists() and PlacementAssignment.objects.exists()
    assert CommitteeReferral.objects.filter(decided_on__isnull=True).exists()
    assert CommitteeReferral.objects.filter(decided_on__isnull=False).exists()
    assert FollowupCase.objects.filter(referred_to_occupational_health__isnull=False).exists()
    assert FollowupCase.objects.exclude(outcome="").exists()
    assert Target.objects.exists() and CostRate.objects.filter(occupation="").exists()
    assert ReferenceFigure.objects.filter(level="country").exists()
    chapters = set(NavDiagnosis.objects.values_list("chapter", flat=True))
    assert {"L", "P"} <= chapters
    # The services wrote the case history and the access log.
    kinds = set(CaseEvent.objects.values_list("kind", flat=True))
    assert {"plan_saved", "plan_approved", "meeting_recorded", "committee_referred"} <= kinds
    assert AccessLog.objects.filter(action="read", subject_employee_id__isnull=False).exists()
    assert AccessLog.objects.filter(object_type="diagnosis").exists()


def _content() -> dict[str, Counter]:
    """What the load wrote, by natural keys (no ids, no clock times)."""
    who = {e.pk: e.national_id for e in Employee.objects.all()}

    def case_key(case_id: int) -> tuple:
        case = FollowupCase.objects.get(pk=case_id)
        return (who[case.employee_id], case.start)

    return {
        "cases": Counter(
            FollowupCase.objects.values_list(
                "employee__national_id", "start", "end", "max_date", "closed_on", "outcome"
            )
        ),
        "milestones": Counter(
            (case_key(m.case_id), m.key, m.due, m.recorded) for m in Milestone.objects.all()
        ),
        "plans": Counter(
            (
                case_key(p.case_id),
                p.version,
                bool(p.approved_by_leader_at),
                bool(p.approved_by_employee_at),
                str(p.tasks),
                str(p.measures),
            )
            for p in Plan.objects.all()
        ),
        "meetings": Counter(
            (case_key(m.case_id), m.kind, m.held_on, m.minutes) for m in Meeting.objects.all()
        ),
        "placements": Counter(
            (case_key(a.case_id), a.placement.title, a.start)
            for a in PlacementAssignment.objects.select_related("placement")
        ),
        "committee": Counter(
            (case_key(r.case_id), r.referred_on, r.decided_on)
            for r in CommitteeReferral.objects.all()
        ),
        "diagnoses": Counter(
            NavDiagnosis.objects.values_list(
                "sick_note_period__employment__employee__national_id",
                "sick_note_period__start_date",
                "icpc2_code",
            )
        ),
        "insight": Counter(
            [
                *Target.objects.values_list("unit__name", "first_month", "target_percent"),
                *CostRate.objects.values_list("occupation", "daily_salary"),
            ]
        ),
        "users": Counter(get_user_model().objects.values_list("username", flat=True)),
    }


def test_same_seed_and_day_give_the_same_demo() -> None:
    org = generate(_config(FIXED))

    def load_and_read() -> dict[str, Counter]:
        with transaction.atomic():
            load_into_database(org)
            content = _content()
            transaction.set_rollback(True)
        return content

    first, second = load_and_read(), load_and_read()
    assert sum(first["plans"].values()) > 0 and sum(first["diagnoses"].values()) > 0
    for name in first:
        assert first[name] == second[name], name
    assert not FollowupCase.objects.exists()  # each load was rolled back
