"""Innsyn: everything Nærvær holds about the signed-in employee, for them to download (GDPR art. 15).

One collection (``personal_data``) feeds both downloads: JSON with English keys for machines, and
a PDF with the same content in the reader's language. Rows are found through the access layer
(``Action.OWN_DATA`` reaches only the actor's own records), so nothing about anyone else is
collected; the download itself is written to the access log.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from naervaer.absence.models import HolidayLeave, NavDiagnosis, SelfCertification, SickNotePeriod
from naervaer.audit import services
from naervaer.audit.models import AccessLog
from naervaer.audit.wording import seen_row
from naervaer.followup.history import event_text
from naervaer.followup.models import FollowupCase, Milestone, WorkplaceDescription
from naervaer.followup.plan_pdf import plan_labels
from naervaer.followup.routines import routine_named
from naervaer.org.access import Action, ActorLike, as_actor
from naervaer.org.models import Employee, Employment
from naervaer.prevention.models import Conversation, Invitation

Data = dict[str, Any]
# Milestone states in words, as the case page shows them.
STATES = {
    "overdue": gettext_lazy("Overdue"),
    "due": gettext_lazy("Due"),
    "upcoming": gettext_lazy("Upcoming"),
    "done": gettext_lazy("Done"),
    "waived": gettext_lazy("Waived"),
    "not_applicable": gettext_lazy("Not applicable"),
}


def _name(employee: Employee | None) -> str:
    return f"{employee.first_name} {employee.last_name}".strip() if employee else ""


def _person(employee: Employee) -> Data:
    user = employee.user
    return {
        "first_name": employee.first_name,
        "last_name": employee.last_name,
        "national_id": employee.national_id,
        "birth_date": employee.birth_date,
        "sex": employee.get_sex_display(),
        "language": employee.get_language_display(),
        "external_id": employee.external_id,
        "organisation": employee.organisation.name,
        "user_account": {
            "username": user.get_username(),
            "email": user.email,
            "last_login": user.last_login,
        }
        if user
        else None,
    }


def _employments(actor: Any) -> list[Data]:
    rows = Employment.objects.restrict(actor, Action.OWN_DATA).select_related(
        "unit", "nearest_leader"
    )
    return [
        {
            "unit": e.unit.name,
            "occupation": e.occupation,
            "start_date": e.start_date,
            "end_date": e.end_date,
            "nearest_leader": _name(e.nearest_leader),
            "position_percent": [
                {"from": c.valid_from, "percent": float(c.position_percent)}
                for c in e.position_changes.all()
            ],
            "workplace_description": _workplace(e),
        }
        for e in rows.prefetch_related("position_changes")
    ]


def _workplace(employment: Employment) -> Data | None:
    found = WorkplaceDescription.objects.filter(employment=employment).first()
    if found is None:
        return None
    return {
        "tasks": found.tasks,
        "physical_demands": found.physical_demands,
        "psychosocial_demands": found.psychosocial_demands,
        "working_hours": found.working_hours,
        "adaptation_options": found.adaptation_options,
        "updated_at": found.updated_at,
    }


def _absences(actor: Any) -> Data:
    def mine(model):
        return model.objects.restrict(actor, Action.OWN_DATA).order_by("start_date")

    return {
        "self_certifications": [
            {
                "start_date": r.start_date,
                "end_date": r.end_date,
                "quota_breached": r.quota_breach,
                "quota_note": r.quota_breach_reason,
            }
            for r in mine(SelfCertification)
        ],
        "sick_notes": [
            {
                "start_date": r.start_date,
                "end_date": r.end_date,
                "type": r.get_note_type_display(),
                "grade_percent": r.grade,
                "treatment_days": r.treatment_days,
                "work_related_reason": r.work_related_reason,
                "note_to_employer": r.note_to_employer,
                "received_on": r.received_on,
            }
            for r in mine(SickNotePeriod)
        ],
        "holidays_and_leave": [
            {"start_date": r.start_date, "end_date": r.end_date, "kind": r.get_kind_display()}
            for r in mine(HolidayLeave)
        ],
        # NAV's side: shown to the person it is about, never to the employer.
        "nav_diagnoses": [
            {
                "sick_note_from": d.sick_note_period.start_date,
                "sick_note_to": d.sick_note_period.end_date,
                "icpc2_code": d.icpc2_code,
                "recorded_at": d.recorded_at,
            }
            for d in NavDiagnosis.objects.restrict(actor, Action.OWN_DATA).select_related(
                "sick_note_period"
            )
        ],
    }


def _milestone(m: Milestone) -> Data:
    return {
        "title": m.title_nb,
        "title_en": m.title_en,
        "due": m.due,
        "state": str(STATES.get(m.state, m.state)),  # type: ignore[attr-defined]
        "recorded_at": m.recorded_at,
        "waive_reason": m.waive_reason,
    }


def _routine(key: str) -> str:
    routine = routine_named(key)
    return routine.title_nb if translation.get_language() == "nb" else routine.title_en


def _plan_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The plan's tasks and measures with capacity and status in words."""
    capacity, status = plan_labels()
    return [
        {
            **row,
            **(
                {"capacity": capacity.get(row["capacity"], row["capacity"])}
                if "capacity" in row
                else {}
            ),
            **({"status": status.get(row["status"], row["status"])} if "status" in row else {}),
        }
        for row in rows
    ]


def _case(case: FollowupCase, today: datetime.date) -> Data:
    plan = getattr(case, "plan", None)
    return {
        "start": case.start,
        "last_sick_day": case.end,
        "sick_days": case.sick_days,
        "employer_period_ends": case.employer_period_end,
        "max_date": case.max_date,
        "routine": _routine(case.routine),
        "referred_to_occupational_health": case.referred_to_occupational_health,
        "closed_on": case.closed_on,
        "outcome": case.get_outcome_display() if case.outcome else "",
        "outcome_note": case.outcome_note,
        "milestones": [_milestone(m) for m in case.milestones.with_state(today)],
        "history": [{"at": e.at, "event": event_text(e)} for e in case.events.all()],
        "meetings": [
            {
                "kind": m.get_kind_display(),
                "held_on": m.held_on,
                "minutes": m.minutes,
                "agreements": m.agreements,
                "next_meeting": m.next_meeting,
                "participants": [f"{p.name} ({p.role})" for p in m.participants.all()],
                "copies_sent_to": [c.get_recipient_display() for c in m.copies.all()],
            }
            for m in case.meetings.all()
        ],
        "plan": None
        if plan is None
        else {
            "version": plan.version,
            "tasks": _plan_rows(plan.tasks),
            "measures": _plan_rows(plan.measures),
            "information_to_colleagues": plan.information_to_colleagues,
            "evaluation_date": plan.evaluation_date,
            "share_with_doctor": plan.share_with_doctor,
            "share_with_nav": plan.share_with_nav,
            "approved_by_leader_at": plan.approved_by_leader_at,
            "approved_by_employee_at": plan.approved_by_employee_at,
            "versions": [
                {
                    "version": v.version,
                    "saved_at": v.saved_at,
                    "content": {
                        **v.content,
                        "tasks": _plan_rows(v.content.get("tasks", [])),
                        "measures": _plan_rows(v.content.get("measures", [])),
                    },
                }
                for v in plan.versions.all()
            ],
        },
        "placements": [
            {"placement": p.placement.title, "start": p.start, "end": p.end, "outcome": p.outcome}
            for p in case.placements.select_related("placement")
        ],
        "committee_referrals": [
            {
                "referred_on": r.referred_on,
                "question": r.question,
                "decision": r.decision,
                "decided_on": r.decided_on,
            }
            for r in case.committee_referrals.all()
        ],
    }


def _access_log(employee_id: int) -> list[Data]:
    rows = []
    for entry in AccessLog.objects.filter(subject_employee_id=employee_id):
        row = seen_row(entry)
        rows.append(
            {
                "at": entry.at,
                "who": str(row.who),
                "roles": [str(role) for role in row.roles],
                "action": str(row.action),
                "what": str(row.what),
                "purpose": str(row.purpose),
            }
        )
    return rows


def personal_data(actor: ActorLike, today: datetime.date | None = None) -> Data:
    """Everything held about the signed-in employee; the download is logged."""
    known = as_actor(actor)
    if not known.can(Action.OWN_DATA) or known.employee_id is None:
        raise PermissionDenied(_("Only employees have data of their own to download."))
    day = today or timezone.localdate()
    employee = Employee.objects.select_related("user", "organisation").get(pk=known.employee_id)
    cases = (
        FollowupCase.objects.restrict(known, Action.OWN_DATA)
        .select_related("plan")
        .order_by("start")
    )
    data = {
        "generated_at": timezone.now(),
        "about": _(
            "Everything Nærvær holds about you: your details, employments, absence, follow-up "
            "cases with their documents, and who has read or changed information about you."
        ),
        "person": _person(employee),
        "employments": _employments(known),
        "absence": _absences(known),
        "followup_cases": [_case(case, day) for case in cases],
        "employee_conversations": [
            {"year": c.year, "planned_on": c.planned_on, "held_on": c.held_on}
            for c in Conversation.objects.filter(employee_id=employee.pk)
        ],
        "survey_invitations": [
            {"survey": i.round.title, "sent_on": i.sent_on, "answered": i.used}
            for i in Invitation.objects.filter(employee_id=employee.pk).select_related("round")
        ],
        "access_log": _access_log(employee.pk),
    }
    services.record(
        known,
        "export",
        "personal_data",
        subject_employee_id=employee.pk,
        purpose="personal data download",
    )
    return data
