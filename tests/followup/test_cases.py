"""Cases and milestones computed from registered absences, kept current as absences change."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation

from naervaer.absence import services as absence
from naervaer.followup.history import event_text
from naervaer.followup.models import FollowupCase, RoutineChoice
from naervaer.followup.services import case as case_services
from naervaer.followup.services import committee as committee_services
from naervaer.followup.services import meetings as meeting_services
from naervaer.followup.services import milestones as milestone_services
from naervaer.followup.services import plans as plan_services
from naervaer.followup.services import routines as routine_services
from naervaer.followup.services import sync

from .conftest import SICK_FROM, sick_note

pytestmark = pytest.mark.django_db
D = datetime.date


def test_case_dates_and_milestone_states_come_from_the_rules(world):
    sick_note(world["employments"]["ola"], SICK_FROM, D(2026, 10, 31))
    [case] = sync.cases_refresh(world["employments"]["ola"], today=D(2026, 10, 15))
    assert (case.start, case.end, case.sick_days) == (D(2026, 9, 1), D(2026, 10, 31), 61)
    assert case.employer_period_end == D(2026, 9, 16)  # 16 calendar days from 1 September
    milestones = {m.key: m for m in case.milestones.all()}
    # Plan due 4 weeks after the start (day 29 = 29 September): overdue by 16 days, escalated to HR after 7.
    assert milestones["follow_up_plan"].due == D(2026, 9, 29)
    assert milestones["follow_up_plan"].state_on(D(2026, 10, 15)) == "overdue"
    assert milestones["follow_up_plan"].escalated_on(D(2026, 10, 15)) == "hr"
    assert milestones["follow_up_plan"].escalated_on(D(2026, 10, 5)) == ""  # 6 days late
    assert milestones["follow_up_plan"].escalated_to == "hr"  # announced in the history
    # Dialogue meeting 1 at 7 weeks (20 October) is inside the 7-day due window on 15 October.
    assert milestones["dialogue_meeting_1"].due == D(2026, 10, 20)
    assert milestones["dialogue_meeting_1"].state_on(D(2026, 10, 15)) == "due"
    assert milestones["dialogue_meeting_1"].state_on(D(2026, 10, 12)) == "upcoming"
    assert milestones["dialogue_meeting_1"].state_on(D(2026, 10, 21)) == "overdue"
    assert any(e.kind == "milestone_escalated" for e in case.events.all())


def test_registering_and_deleting_absence_keeps_cases_current(world):
    employment = world["employments"]["kari"]
    note = sick_note(employment, SICK_FROM, D(2026, 9, 20))
    assert FollowupCase.objects.filter(employment=employment).count() == 1
    absence.absence_delete(actor=None, record=note)
    assert not FollowupCase.objects.filter(employment=employment).exists()


def test_a_case_with_documents_survives_a_corrected_absence(world):
    employment, hr = world["employments"]["kari"], world["users"]["hr"]
    note = sick_note(employment, SICK_FROM, D(2026, 9, 20))
    case = FollowupCase.objects.get(employment=employment)
    meeting_services.meeting_record(
        actor=hr, case=case, kind="follow_up_talk", held_on=D(2026, 9, 10)
    )
    absence.absence_delete(actor=None, record=note)
    case.refresh_from_db()
    assert case.current is False


def test_graded_leave_makes_dialogue_meeting_1_not_applicable(world):
    sick_note(world["employments"]["ola"], SICK_FROM, D(2026, 11, 30), grade=50)
    [case] = sync.cases_refresh(world["employments"]["ola"], today=D(2026, 10, 1))
    assert (
        case.milestones.get(key="dialogue_meeting_1").state_on(D(2026, 10, 1)) == "not_applicable"
    )


def test_hr_takes_over_after_the_configured_weeks_and_unit_choice_wins(world):
    hr, employment = world["users"]["hr"], world["employments"]["ola"]
    sick_note(employment, SICK_FROM, D(2026, 12, 31))
    routine_services.routine_choose(
        actor=hr, organisation_id=world["org"].pk, routine="law-minimum", valid_from=D(2026, 1, 1)
    )
    routine_services.routine_choose(
        actor=hr,
        organisation_id=world["org"].pk,
        routine="ringnes-gjellerasen",
        valid_from=D(2026, 1, 1),
        unit=world["units"]["home"],
        hr_takeover_weeks=6,
    )
    assert RoutineChoice.objects.count() == 2
    [case] = sync.cases_refresh(employment, today=D(2026, 10, 12))  # start + 6 weeks = 13 October
    assert case.routine == "ringnes-gjellerasen" and case.responsible == "nearest_leader"
    assert case.hr_takeover_on == D(2026, 10, 13)
    assert case.responsible_on(D(2026, 10, 12)) == "nearest_leader"
    assert case.responsible_on(D(2026, 10, 13)) == "hr"  # read the next day: no recomputation
    [case] = sync.cases_refresh(employment, today=D(2026, 10, 13))
    sync.cases_refresh(employment, today=D(2026, 10, 14))
    assert case.events.filter(kind="responsibility_to_hr").count() == 1  # told once


def test_only_hr_chooses_routines_and_unknown_routines_are_refused(world):
    with pytest.raises(PermissionDenied):
        routine_services.routine_choose(
            actor=world["users"]["lena"],
            organisation_id=world["org"].pk,
            routine="law-minimum",
            valid_from=D(2026, 1, 1),
        )
    with pytest.raises(ValidationError, match="unknown routine"):
        routine_services.routine_choose(
            actor=world["users"]["hr"],
            organisation_id=world["org"].pk,
            routine="no-such",
            valid_from=D(2026, 1, 1),
        )


def test_done_needs_a_document_and_waiving_needs_a_reason(world):
    lena = world["users"]["lena"]
    sick_note(world["employments"]["ola"], SICK_FROM, D(2026, 12, 31))
    [case] = sync.cases_refresh(world["employments"]["ola"], today=D(2026, 10, 15))
    dm1 = case.milestones.get(key="dialogue_meeting_1")
    with pytest.raises(ValidationError):
        milestone_services.milestone_done(actor=lena, milestone=dm1)
    with pytest.raises(ValidationError):
        milestone_services.milestone_waive(actor=lena, milestone=dm1, reason="  ")
    with pytest.raises(ValidationError):
        milestone_services.milestone_waive(
            actor=lena, milestone=case.milestones.get(key="follow_up_plan"), reason="x"
        )
    meeting = meeting_services.meeting_record(
        actor=lena,
        case=case,
        kind="dialogue_1",
        held_on=D(2026, 10, 14),
        participants=[("Ola Test", "employee")],
        copies=["personnel_file", "employee"],
    )
    milestone_services.milestone_done(actor=lena, milestone=dm1, meeting=meeting)
    # Recomputing keeps what people recorded.
    [case] = sync.cases_refresh(world["employments"]["ola"], today=D(2026, 10, 30))
    dm1 = case.milestones.get(key="dialogue_meeting_1")
    assert (dm1.state_on(D(2026, 10, 30)), dm1.meeting_id) == ("done", meeting.pk)
    assert meeting.copies.count() == 2


def test_only_case_workers_write(world):
    sick_note(world["employments"]["ola"], SICK_FROM, D(2026, 12, 31))
    case = FollowupCase.objects.get(employment=world["employments"]["ola"])
    for username in ("ola", "sjef", "verneombud", "nav", "siri"):
        with pytest.raises(PermissionDenied):
            case_services.bring_forward_set(
                actor=world["users"][username], case=case, on=D(2026, 11, 1)
            )
    case_services.bring_forward_set(actor=world["users"]["lena"], case=case, on=D(2026, 11, 1))
    assert FollowupCase.objects.get(pk=case.pk).bring_forward == D(2026, 11, 1)


def test_committee_handling_time_and_closing(world):
    hr = world["users"]["hr"]
    sick_note(world["employments"]["ola"], SICK_FROM, D(2026, 12, 31))
    case = FollowupCase.objects.get(employment=world["employments"]["ola"])
    referral = committee_services.committee_refer(
        actor=hr, case=case, question="Reassign to another unit?", on=D(2026, 11, 1)
    )
    with pytest.raises(PermissionDenied):
        committee_services.committee_decide(
            actor=world["users"]["lena"], referral=referral, decision="Yes"
        )
    committee_services.committee_decide(
        actor=hr, referral=referral, decision="Reassign to Skole", on=D(2026, 11, 15)
    )
    assert referral.handling_days == 14
    with pytest.raises(ValidationError):
        case_services.case_close(actor=hr, case=case, outcome="vanished")
    case_services.case_close(actor=hr, case=case, outcome="reassigned")
    assert FollowupCase.objects.get(pk=case.pk).outcome == "reassigned"


def test_bring_forward_from_htmx_answers_with_the_form_and_new_date_only(world):
    sick_note(world["employments"]["ola"], D(2026, 9, 1), D(2026, 12, 31))
    case = FollowupCase.objects.get(employment=world["employments"]["ola"])
    client = Client()
    client.force_login(world["users"]["lena"])
    url = reverse("followup:bring_forward", args=[case.pk])
    response = client.post(url, {"bring_forward": "2026-11-30"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body
    assert (
        'id="bring-forward"' in body
        and 'id="bring-forward-value" hx-swap-oob="true">2026-11-30<' in body
    )
    assert FollowupCase.objects.get(pk=case.pk).bring_forward == D(2026, 11, 30)
    bad = client.post(url, {"bring_forward": "30.13.2026"}, HTTP_HX_REQUEST="true").content.decode()
    assert 'role="status"' in bad and FollowupCase.objects.get(pk=case.pk).bring_forward == D(
        2026, 11, 30
    )
    # Without htmx the form still works the classic way: post, redirect, get.
    assert client.post(url, {"bring_forward": "2026-12-01"}).status_code == 302
    assert FollowupCase.objects.get(pk=case.pk).bring_forward == D(2026, 12, 1)


@pytest.mark.parametrize(
    ("language", "title", "role"),
    [
        ("en", "Follow-up plan made with the employee (sent to the doctor)", "HR adviser"),
        (
            "nb",
            "Oppfølgingsplan utarbeidet sammen med arbeidstakeren (sendes legen)",
            "HR-rådgiver",
        ),
    ],
)
def test_escalation_event_names_the_milestone_and_role_in_the_active_language(
    world, language, title, role
):
    with translation.override(language):  # registering computes the case (and escalates) at once
        sick_note(world["employments"]["ola"], SICK_FROM, D(2026, 12, 31))
        [case] = sync.cases_refresh(
            world["employments"]["ola"], today=D(2026, 10, 7)
        )  # plan due 29 Sep, escalates after 7 days
    with translation.override(language):
        texts = [event_text(e) for e in case.events.all()]
    assert any(title in text and role in text for text in texts), texts
    assert not any("to hr." in text for text in texts)


def test_only_the_expected_document_fulfils_a_milestone(world):
    lena = world["users"]["lena"]
    sick_note(world["employments"]["ola"], SICK_FROM, D(2026, 12, 31))
    case = FollowupCase.objects.get(employment=world["employments"]["ola"])
    talk = meeting_services.meeting_record(
        actor=lena, case=case, kind="follow_up_talk", held_on=D(2026, 9, 10)
    )
    with pytest.raises(ValidationError, match="Only the follow-up plan"):
        milestone_services.milestone_done(
            actor=lena, milestone=case.milestones.get(key="follow_up_plan"), meeting=talk
        )
    plan = plan_services.plan_save(actor=lena, case=case, expected_version=None, data={})
    with pytest.raises(ValidationError, match="Only a meeting record"):
        milestone_services.milestone_done(
            actor=lena, milestone=case.milestones.get(key="dialogue_meeting_1"), plan=plan
        )
    done = milestone_services.milestone_done(
        actor=lena, milestone=case.milestones.get(key="follow_up_plan"), plan=plan
    )
    assert done.recorded == "done"


def test_hr_reopens_a_closed_case_with_a_reason(world):
    hr, lena = world["users"]["hr"], world["users"]["lena"]
    sick_note(world["employments"]["ola"], SICK_FROM, D(2026, 12, 31))
    case = FollowupCase.objects.get(employment=world["employments"]["ola"])
    case_services.case_close(actor=lena, case=case, outcome="dismissed", note="by mistake")
    with pytest.raises(ValidationError):
        case_services.case_close(actor=lena, case=case, outcome="other")
    with pytest.raises(PermissionDenied):
        case_services.case_reopen(actor=lena, case=case, reason="wrong case")
    with pytest.raises(ValidationError):
        case_services.case_reopen(actor=hr, case=case, reason=" ")
    case_services.case_reopen(actor=hr, case=case, reason="Closed on the wrong case")
    case.refresh_from_db()
    assert (case.closed_on, case.outcome) == (None, "")
    reopened = case.events.get(kind="case_reopened")
    assert reopened.params == {
        "reason": "Closed on the wrong case",
        "outcome": "dismissed",
        "note": "by mistake",
    }
    with translation.override("nb"):
        assert event_text(reopened) == (
            "Saken er gjenåpnet (var avsluttet som oppsagt): Closed on the wrong case"
        )
