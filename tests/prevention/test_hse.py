"""HSE work through the pages: the leader's plan with goals, measures and staff meetings, the
safety rep's comment, deviations reported (optionally without a name) and closed, safety rounds
whose findings become measures, conversations per unit, and the unit page beside the absence."""

from __future__ import annotations

import datetime

import pytest

from naervaer.prevention import hse_services, process, survey_services
from naervaer.prevention.models import (
    ActionPlan,
    ChecklistTemplate,
    Conversation,
    Deviation,
    Measure,
    PlanComment,
)

from .conftest import TODAY, answer_all

pytestmark = pytest.mark.django_db
YESTERDAY = TODAY - datetime.timedelta(days=1)


def _plan(client, world) -> ActionPlan:
    client.force_login(world["users"]["lena"])
    response = client.post(
        "/forebygging/handlingsplaner/",
        {
            "unit": world["units"]["home"].pk,
            "title": "HMS Sykehjem",
            "first_year": TODAY.year,
            "last_year": TODAY.year + 2,
        },
    )
    assert response.status_code == 302
    return ActionPlan.objects.get()


def test_the_leader_records_goals_measures_and_the_staff_meeting(client, world):
    plan = _plan(client, world)
    url = f"/forebygging/handlingsplaner/{plan.pk}/"
    assert client.post(url, {"form": "goal", "goal-text": "Bedre informasjon"}).status_code == 302
    assert (
        client.post(
            url,
            {
                "form": "measure",
                "measure-text": "Ukentlig informasjonsskriv",
                "measure-owner_name": "Lena",
                "measure-deadline": (TODAY + datetime.timedelta(days=30)).isoformat(),
            },
        ).status_code
        == 302
    )
    assert (
        client.post(
            url,
            {
                "form": "meeting",
                "meeting-held_on": YESTERDAY.isoformat(),
                "meeting-hse_item": "Planen",
            },
        ).status_code
        == 302
    )
    refused = client.post(
        url, {"form": "meeting", "meeting-held_on": YESTERDAY.isoformat(), "meeting-hse_item": " "}
    )
    assert refused.status_code == 200 and refused.context["forms"]["meeting"].errors
    assert plan.goals.count() == 1 and plan.measures.count() == 1 and plan.meetings.count() == 1
    too_long = client.post(
        "/forebygging/handlingsplaner/",
        {
            "unit": world["units"]["home"].pk,
            "title": "X",
            "first_year": TODAY.year,
            "last_year": TODAY.year + 3,
        },
    )
    assert "one to three years" in too_long.content.decode()
    # Per leads Hjemmetjeneste only: he can neither see nor write Sykehjem's plan.
    client.force_login(world["users"]["per"])
    assert client.get(url).status_code == 404
    # The safety rep comments; the union rep may too; neither may add measures.
    client.force_login(world["users"]["verneombud"])
    assert (
        client.post(url, {"form": "comment", "comment-text": "Ta med kveldsvaktene"}).status_code
        == 302
    )
    assert client.post(url, {"form": "goal", "goal-text": "x"}).status_code == 403
    assert PlanComment.objects.get().author_role == "safety_rep"
    # HR sees the status across units.
    client.force_login(world["users"]["hr"])
    listing = client.get("/forebygging/handlingsplaner/").context["plans"]
    assert [(p.unit.name, p.open_measures) for p in listing] == [("Sykehjem", 1)]


def test_a_deviation_reported_without_name_is_followed_up_and_closed(client, world):
    client.force_login(world["users"]["home3"])
    response = client.post(
        "/forebygging/avvik/ny/",
        {
            "unit": world["units"]["home"].pk,
            "occurred_on": YESTERDAY.isoformat(),
            "category": "near_miss",
            "severity": "medium",
            "description": "Løfteren sviktet nesten",
            "anonymous": "on",
        },
    )
    assert response.status_code == 302
    deviation = Deviation.objects.get()
    assert deviation.reported_by is None
    # Without a name the reporter does not see it; the leader and the safety rep do.
    assert client.get(f"/forebygging/avvik/{deviation.pk}/").status_code == 404
    client.force_login(world["users"]["lena"])
    url = f"/forebygging/avvik/{deviation.pk}/"
    refused = client.post(url, {"status": "closed", "follow_up": ""})
    assert "before closing" in refused.content.decode()
    assert (
        client.post(url, {"status": "closed", "follow_up": "Ny løfter bestilt"}).status_code == 302
    )
    deviation.refresh_from_db()
    assert deviation.status == "closed" and deviation.closed_on == TODAY
    client.force_login(world["users"]["verneombud"])
    counts = client.get("/forebygging/avvik/").context["counts"]
    assert counts["open"] == 0 and counts["by_category"] == [("near miss", 1)]
    future = client.post(
        "/forebygging/avvik/ny/",
        {
            "unit": world["units"]["home"].pk,
            "occurred_on": (TODAY + datetime.timedelta(days=2)).isoformat(),
            "category": "accident",
            "severity": "low",
            "description": "x",
        },
    )
    assert "cannot be in the future" in future.content.decode() and Deviation.objects.count() == 1


def test_safety_round_findings_become_measures_in_the_plan(client, world):
    plan = _plan(client, world)
    template = hse_services.template_create(
        organisation=world["org"],
        kind="safety_round",
        title="Vernerunde",
        item_lines="Rømningsveier\nBelysning",
    )
    response = client.post(
        f"/forebygging/vernerunder/ny/{template.pk}/",
        {
            "unit": world["units"]["home"].pk,
            "held_on": YESTERDAY.isoformat(),
            "plan": plan.pk,
            "owner_name": "Lena",
            "ok-k1": "yes",
            "ok-k2": "no",
            "finding-k2": "Lyset i gangen er defekt",
        },
    )
    assert response.status_code == 302
    measure = Measure.objects.get()
    assert measure.text == "Belysning: Lyset i gangen er defekt" and measure.source.startswith(
        "Vernerunde"
    )
    assert ChecklistTemplate.objects.count() == 1


def test_conversation_completion_per_unit_is_masked_under_five(client, world):
    client.force_login(world["users"]["lena"])
    employment = world["employments"]["home1"]
    assert (
        client.post(
            f"/forebygging/medarbeidersamtaler/{employment.pk}/",
            {"year": TODAY.year, "held_on": YESTERDAY.isoformat()},
        ).status_code
        == 302
    )
    assert Conversation.objects.get().held_on == YESTERDAY
    client.force_login(world["users"]["hr"])
    rows = {
        r["name"]: r for r in client.get("/forebygging/medarbeidersamtaler/").context["completion"]
    }
    assert rows["Sykehjem"]["held"] == 1 and rows["Sykehjem"]["percent"] == round(100 / 14)
    assert rows["Hjemmetjeneste"]["percent"] is None  # 3 employees


def test_unit_page_shows_survey_hse_and_absence_side_by_side(client, world, open_round):
    answer_all(open_round)
    survey_services.round_close(survey=open_round)
    plan = _plan(client, world)
    hse_services.measure_add(plan=plan, text="Kurs", owner_name="Lena", deadline=YESTERDAY)
    hse_services.deviation_report(
        actor=world["users"]["lena"],
        unit=world["units"]["home"],
        occurred_on=YESTERDAY,
        category="violence",
        severity="high",
        description="Trussel",
    )
    client.force_login(world["users"]["hr"])
    page = client.get(f"/innsikt/enhet/{world['units']['home'].pk}/")
    panel = page.context["panels"][0].context
    assert panel["survey"]["shown"] and len(panel["survey"]["factors"]) == 10
    assert panel["hse"]["open_measures"] == 1 and panel["hse"]["overdue"] == 1
    assert panel["hse"]["deviations"] == 1
    assert 'id="work-environment-heading"' in page.content.decode()
    # The process table for the evaluation: survey factors per unit (small units left out), measures.
    table = process.process_table(world["org"].pk)
    assert set(table["indicator"]) >= {"survey_agree:conflict_resolution", "measures_on_time"}
    assert world["units"]["homecare"].pk not in set(table["unit_id"])
