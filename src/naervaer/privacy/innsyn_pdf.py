"""The innsyn collection (``innsyn.personal_data``) as a PDF in the reader's language: every key of
the JSON gets a label here, so the two downloads always carry the same content."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from naervaer.pdf import Document

LABELS: dict[str, Promise] = {
    "generated_at": _("Made"),
    "person": _("Your details"),
    "first_name": _("First name"),
    "last_name": _("Last name"),
    "national_id": _("National identity number"),
    "birth_date": _("Birth date"),
    "sex": _("Sex"),
    "language": _("Language"),
    "external_id": _("Id in the payroll system"),
    "organisation": _("Employer"),
    "user_account": _("User account"),
    "username": _("User name"),
    "email": _("E-mail"),
    "last_login": _("Last login"),
    "employments": _("Employments"),
    "unit": _("Unit"),
    "occupation": _("Occupation"),
    "start_date": _("From"),
    "end_date": _("To"),
    "nearest_leader": _("Nearest leader"),
    "position_percent": _("Position percent"),
    "from": _("From"),
    "percent": _("Percent"),
    "workplace_description": _("Workplace description"),
    "tasks": _("Tasks"),
    "physical_demands": _("Physical demands"),
    "psychosocial_demands": _("Psychosocial demands"),
    "working_hours": _("Working hours"),
    "adaptation_options": _("Possible adaptations"),
    "updated_at": _("Updated"),
    "absence": _("Absence"),
    "self_certifications": _("Self-certifications"),
    "quota_breached": _("Quota exceeded"),
    "quota_note": _("Note on the quota"),
    "sick_notes": _("Sick notes"),
    "type": _("Type"),
    "grade_percent": _("Grade (percent)"),
    "treatment_days": _("Treatment days"),
    "work_related_reason": _("Work-related reason"),
    "note_to_employer": _("Note to the employer"),
    "received_on": _("Received"),
    "holidays_and_leave": _("Holidays and leave"),
    "kind": _("Kind"),
    "nav_diagnoses": _("Diagnoses recorded by NAV (not shown to your employer)"),
    "sick_note_from": _("Sick note from"),
    "sick_note_to": _("Sick note to"),
    "icpc2_code": _("Diagnosis code (ICPC-2)"),
    "recorded_at": _("Recorded"),
    "followup_cases": _("Follow-up cases"),
    "start": _("Start"),
    "last_sick_day": _("Last sick day"),
    "sick_days": _("Sick days"),
    "employer_period_ends": _("Employer period ends"),
    "max_date": _("Max date"),
    "routine": _("Follow-up routine"),
    "referred_to_occupational_health": _("Referred to occupational health"),
    "closed_on": _("Closed"),
    "outcome": _("Outcome"),
    "outcome_note": _("Note on the outcome"),
    "milestones": _("Milestones"),
    "title": _("Title"),
    "title_en": _("Title in English"),
    "due": _("Due"),
    "state": _("State"),
    "waive_reason": _("Reason for waiving"),
    "history": _("Case history"),
    "at": _("When"),
    "event": _("What happened"),
    "meetings": _("Meetings and talks"),
    "held_on": _("Held"),
    "minutes": _("Minutes"),
    "agreements": _("Agreements"),
    "next_meeting": _("Next meeting"),
    "participants": _("Participants"),
    "copies_sent_to": _("Copies sent to"),
    "plan": _("Follow-up plan"),
    "version": _("Version"),
    "measures": _("Measures"),
    "information_to_colleagues": _("Information to colleagues"),
    "evaluation_date": _("Evaluation date"),
    "share_with_doctor": _("Shared with the doctor"),
    "share_with_nav": _("Shared with NAV"),
    "approved_by_leader_at": _("Approved by the leader"),
    "approved_by_employee_at": _("Approved by you"),
    "versions": _("Earlier versions"),
    "saved_at": _("Saved"),
    "content": _("Content"),
    "placements": _("Temporary placements"),
    "placement": _("Placement"),
    "end": _("End"),
    "committee_referrals": _("Reintegration committee"),
    "referred_on": _("Referred"),
    "question": _("Question"),
    "decision": _("Decision"),
    "decided_on": _("Decided"),
    "employee_conversations": _("Employee conversations"),
    "year": _("Year"),
    "planned_on": _("Planned"),
    "survey_invitations": _("Invitations to work-environment surveys"),
    "survey": _("Survey"),
    "sent_on": _("Sent"),
    "answered": _("Answered"),
    "access_log": _("Who has read or changed information about you"),
    "who": _("Who"),
    "roles": _("Roles"),
    "action": _("What was done"),
    "what": _("What"),
    "purpose": _("Purpose"),
    # keys inside the plan's tasks and measures
    "task": _("Task"),
    "capacity": _("Capacity"),
    "measure": _("Measure"),
    "status": _("Status"),
    "owner": _("Responsible"),
    "deadline": _("Deadline"),
}


def label(key: str) -> str:
    return str(LABELS[key]) if key in LABELS else key


def shown(value: Any) -> str:
    """A value as a Norwegian reader expects it: dates as 05.12.2026, yes/no in words."""
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%d.%m.%Y %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime("%d.%m.%Y")
    return _iso_date(str(value))


def _iso_date(text: str) -> str:
    """ISO dates stored as text (the plan's measure deadlines) as 05.12.2026; other text as it is."""
    if len(text) != 10 or text[4:5] != "-" or text[7:8] != "-":
        return text
    try:
        return datetime.date.fromisoformat(text).strftime("%d.%m.%Y")
    except ValueError:
        return text


def _render(pdf: Document, value: Any, depth: int) -> None:
    indent = "    " * depth
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, dict | list) and item and not _flat_list(item):
                pdf.paragraph(f"{indent}{label(key)}:")
                _render(pdf, item, depth + 1)
            elif isinstance(item, list):
                pdf.paragraph(f"{indent}{label(key)}: {', '.join(map(shown, item)) or '–'}")
            else:
                pdf.paragraph(f"{indent}{label(key)}: {shown(item)}")
    elif isinstance(value, list):
        for number, item in enumerate(value, 1):
            pdf.paragraph(f"{indent}{number}.")
            _render(pdf, item, depth + 1)


def _flat_list(value: Any) -> bool:
    return isinstance(value, list) and all(not isinstance(v, dict | list) for v in value)


def personal_data_pdf(data: dict[str, Any]) -> bytes:
    name = f"{data['person']['first_name']} {data['person']['last_name']}".strip()
    pdf = Document(gettext("Everything held about you"))
    pdf.heading(gettext("Everything held about you"), 16)
    pdf.paragraph(name)
    pdf.paragraph(f"{label('generated_at')}: {shown(data['generated_at'])}")
    pdf.paragraph(str(data["about"]))
    for key, value in data.items():
        if key in ("generated_at", "about"):
            continue
        pdf.heading(label(key))
        if value in (None, [], {}):
            pdf.paragraph("–")
        else:
            _render(pdf, value, 0)
    return pdf.content()
