"""Main follow-up journeys in a real browser (English UI), each page checked with axe-core:
a leader registers a sick note, sees the milestones, records a talk, writes a plan that the
employee approves; HR sees an overdue milestone escalated on the work list."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth import get_user_model
from stdnum.no import fodselsnummer

from naervaer.absence import services as absence
from naervaer.followup.models import FollowupCase
from naervaer.followup.services import sync
from naervaer.org import services as org
from naervaer.org.models import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "korrekt-hest-batteri-42"


def _national_id(individual: int) -> str:
    """The first valid fødselsnummer born 1 Jan 1980 from this individual number on (some give no check digit)."""
    for number in range(individual, 500):
        candidate = f"010180{number:03d}"
        candidate += fodselsnummer.calc_check_digit1(candidate)
        candidate += fodselsnummer.calc_check_digit2(candidate)
        if fodselsnummer.is_valid(candidate):
            return candidate
    raise AssertionError("no valid number")


@pytest.fixture
def people(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    User = get_user_model()
    kommune = org.organisation_create(name="Kommune", org_number="974760673")
    unit = org.unit_create(
        organisation=kommune,
        name="Sykehjem",
        level="organisation",
        valid_from=datetime.date(2020, 1, 1),
    )
    users = {
        name: User.objects.create_user(name, password=PASSWORD, email=f"{name}@example.org")
        for name in ("leder", "ansatt", "hr")
    }
    leader = org.employee_create(
        organisation=kommune,
        national_id=_national_id(101),
        first_name="Lena",
        last_name="Leder",
        user=users["leder"],
    )
    employee = org.employee_create(
        organisation=kommune,
        national_id=_national_id(200),
        first_name="Ola",
        last_name="Ansatt",
        user=users["ansatt"],
    )
    org.employment_create(
        employee=leader, unit=unit, start_date=datetime.date(2020, 1, 1), position_percent=100
    )
    employment = org.employment_create(
        employee=employee,
        unit=unit,
        start_date=datetime.date(2020, 1, 1),
        position_percent=100,
        nearest_leader=leader,
    )
    org.role_assign(
        user=users["hr"], role=Role.HR, organisation=kommune, valid_from=datetime.date(2020, 1, 1)
    )
    return {"employment": employment}


def _login(page, username: str) -> None:
    page.goto("/login/")
    page.get_by_role("button", name="English").click()
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form [type=submit]").last.click()
    page.wait_for_url("**/")


def test_leader_registers_sick_note_holds_talk_and_plan_is_approved(
    page, people, screenshot, serious_axe_violations
) -> None:
    today = datetime.date.today()
    _login(page, "leder")
    page.goto("/oppfolging/")
    assert serious_axe_violations(page) == []
    page.get_by_role("link", name="Register a sick note").click()
    page.get_by_label("Employee").select_option(label="Ola Ansatt (Sykehjem)")
    page.get_by_label("From", exact=True).fill((today - datetime.timedelta(days=30)).isoformat())
    page.get_by_label("To", exact=True).fill((today + datetime.timedelta(days=60)).isoformat())
    page.get_by_label("Work-related reason").fill("heavy lifting")
    assert serious_axe_violations(page) == []
    page.get_by_role("button", name="Register").click()
    page.get_by_role("heading", name="Milestones").wait_for()
    assert page.get_by_role(
        "cell", name="Follow-up plan made with the employee (sent to the doctor) (aml. § 4-6 (3))"
    ).is_visible()
    assert serious_axe_violations(page) == []
    screenshot(page, "followup-case")

    page.get_by_role("link", name="Record a meeting or talk").click()
    page.get_by_label("Kind").select_option("follow_up_talk")
    page.get_by_label("Date", exact=True).fill(today.isoformat())
    page.get_by_label("Participants").fill("Ola Ansatt, employee\nLena Leder, nearest leader")
    page.get_by_label("Agreements").fill("Try reception tasks two days a week")
    page.get_by_label("personnel file").check()
    assert serious_axe_violations(page) == []
    page.get_by_role("button", name="Save").click()
    page.get_by_role("link", name=f"follow-up talk {today.isoformat()}").first.wait_for()

    page.get_by_role("link", name="Follow-up plan", exact=True).click()
    page.locator("input[name='tasks-0-task']").fill("Reception")
    page.locator("select[name='tasks-0-capacity']").select_option("adapted")
    page.locator("input[name='measures-0-measure']").fill("Standing desk")
    page.locator("select[name='measures-0-status']").select_option("agreed")
    assert serious_axe_violations(page) == []
    page.get_by_role("button", name="Save the plan").click()
    page.get_by_role("button", name="Approve version 1").click()
    page.get_by_text("You have approved the plan.").wait_for()
    screenshot(page, "followup-plan")

    page.context.clear_cookies()
    _login(page, "ansatt")
    case = FollowupCase.objects.get(employment=people["employment"])
    page.goto(f"/oppfolging/sak/{case.pk}/plan/")
    page.get_by_role("button", name="Approve version 1").click()
    page.get_by_text("You have approved the plan.").wait_for()
    assert case.plan.__class__.objects.get(case=case).approved
    assert serious_axe_violations(page) == []


def test_hr_sees_an_overdue_milestone_escalated(page, people, serious_axe_violations) -> None:
    today = datetime.date.today()
    absence.sick_note_period_register(
        actor=None,
        employment=people["employment"],
        note_type="full",
        start_date=today - datetime.timedelta(days=40),
        end_date=today + datetime.timedelta(days=30),
    )
    sync.cases_refresh(people["employment"])
    _login(page, "hr")
    page.goto("/oppfolging/")
    assert page.get_by_text("1 milestone escalated").is_visible()
    assert page.get_by_text("Overdue").first.is_visible()
    page.get_by_role("link", name="Ola Ansatt").click()
    assert page.get_by_role("cell", name="nearest leader → HR adviser").is_visible()
    assert serious_axe_violations(page) == []
