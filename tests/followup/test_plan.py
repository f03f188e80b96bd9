"""The follow-up plan: versions, approvals, the optimistic lock and the PDF."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from naervaer.followup.models import FollowupCase, PlanVersion
from naervaer.followup.services import plans as plan_services

from .conftest import SICK_FROM, sick_note

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(world):
    sick_note(world["employments"]["ola"], SICK_FROM, datetime.date(2026, 12, 31))
    return FollowupCase.objects.get(employment=world["employments"]["ola"])


def test_second_editor_gets_a_conflict_instead_of_overwriting(world, case):
    lena, hr = world["users"]["lena"], world["users"]["hr"]
    plan = plan_services.plan_save(
        actor=lena, case=case, expected_version=None, data={"information_to_colleagues": "first"}
    )
    assert plan.version == 1
    plan_services.plan_save(
        actor=lena, case=case, expected_version=1, data={"information_to_colleagues": "by lena"}
    )
    with pytest.raises(plan_services.PlanConflict, match="lena saved the plan"):
        plan_services.plan_save(
            actor=hr, case=case, expected_version=1, data={"information_to_colleagues": "by hr"}
        )
    plan.refresh_from_db()
    assert (plan.version, plan.information_to_colleagues) == (2, "by lena")
    assert list(PlanVersion.objects.filter(plan=plan).values_list("version", flat=True)) == [2, 1]


def test_conflict_is_shown_on_the_page(world, case):
    lena = world["users"]["lena"]
    plan_services.plan_save(actor=lena, case=case, expected_version=None, data={})
    plan_services.plan_save(
        actor=lena, case=case, expected_version=1, data={"information_to_colleagues": "newer"}
    )
    client = Client()
    client.force_login(world["users"]["hr"])
    form = {
        "version": "1",
        "information_to_colleagues": "stale",
        "tasks-TOTAL_FORMS": "0",
        "tasks-INITIAL_FORMS": "0",
        "measures-TOTAL_FORMS": "0",
        "measures-INITIAL_FORMS": "0",
    }
    response = client.post(
        reverse("followup:plan", args=[case.pk]), form, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    assert "after you opened it" in response.content.decode()
    case.plan.refresh_from_db()
    assert case.plan.information_to_colleagues == "newer"


def test_both_must_approve_and_a_change_clears_approvals(world, case):
    lena, ola = world["users"]["lena"], world["users"]["ola"]
    plan = plan_services.plan_save(
        actor=lena,
        case=case,
        expected_version=None,
        data={
            "tasks": [{"task": "Reception", "capacity": "adapted"}],
            "measures": [
                {"measure": "Standing desk", "status": "agreed", "owner": "Lena", "deadline": ""}
            ],
        },
    )
    plan_services.plan_approve(actor=ola, plan=plan, version=1)
    plan_services.plan_approve(actor=lena, plan=plan, version=1)
    plan.refresh_from_db()
    assert plan.approved
    plan = plan_services.plan_save(
        actor=lena,
        case=case,
        expected_version=1,
        data={"information_to_colleagues": "told the team"},
    )
    assert not plan.approved_by_employee_at and not plan.approved_by_leader_at
    with pytest.raises(plan_services.PlanConflict):
        plan_services.plan_approve(
            actor=ola, plan=plan, version=1
        )  # the employee saw the old version


def test_bad_task_capacity_is_refused_with_the_row(world, case):
    with pytest.raises(Exception, match="Task 2"):
        plan_services.plan_save(
            actor=world["users"]["lena"],
            case=case,
            expected_version=None,
            data={"tasks": [{"task": "a", "capacity": "can"}, {"task": "b", "capacity": "maybe"}]},
        )


def test_plan_pdf_is_a_pdf_with_unicode_font(world, case):
    plan_services.plan_save(
        actor=world["users"]["lena"],
        case=case,
        expected_version=None,
        data={"tasks": [{"task": "Bære søppel på kjøkkenet", "capacity": "cannot"}]},
    )
    client = Client()
    client.force_login(world["users"]["ola"])
    response = client.get(reverse("followup:plan_pdf", args=[case.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF") and b"DejaVu" in response.content


@pytest.mark.parametrize("version", ["abc", "1.5", "-1", "١"])
def test_approval_with_a_version_that_is_no_number_is_a_400(world, case, version):
    lena = world["users"]["lena"]
    plan = plan_services.plan_save(actor=lena, case=case, expected_version=None, data={})
    client = Client()
    client.force_login(lena)
    response = client.post(reverse("followup:plan_approve", args=[case.pk]), {"version": version})
    assert response.status_code == 400
    assert "ikke godkjent" in response.content.decode()
    plan.refresh_from_db()
    assert not plan.approved_by_leader_at and not plan.approved_by_employee_at
