"""Writes of the HSE side, one transaction each, every row checked before it is saved.

Who may call what is decided by the views through ``permissions``; these functions check the
content: dates in order, statuses that exist, a finding that becomes a measure in the unit's plan.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from naervaer.org.models import Employee, Organisation, Unit
from naervaer.prevention.models import (
    ActionPlan,
    AmuMeeting,
    ChecklistTemplate,
    Conversation,
    Deviation,
    Goal,
    Inspection,
    Measure,
    PlanComment,
    StaffMeeting,
    SurveyRound,
)


def _text(value: str, field: str, label: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: _("%(label)s cannot be empty.") % {"label": label}})
    return value


@transaction.atomic
def plan_create(
    *,
    actor: AbstractBaseUser,
    unit: Unit,
    title: str,
    first_year: int,
    last_year: int,
    survey_round: SurveyRound | None = None,
) -> ActionPlan:
    if not 1 <= last_year - first_year + 1 <= 3:
        raise ValidationError({"last_year": _("An HSE action plan runs for one to three years.")})
    plan = ActionPlan(
        unit=unit,
        organisation_id=unit.organisation_id,
        title=_text(title, "title", _("The title")),
        first_year=first_year,
        last_year=last_year,
        survey_round=survey_round,
        created_by=actor,
    )
    plan.full_clean()
    plan.save()
    return plan


@transaction.atomic
def goal_add(*, plan: ActionPlan, text: str, factor: str = "") -> Goal:
    return Goal.objects.create(plan=plan, text=_text(text, "text", _("The goal")), factor=factor)


@transaction.atomic
def measure_add(
    *,
    plan: ActionPlan,
    text: str,
    owner_name: str,
    deadline: datetime.date,
    owner: AbstractBaseUser | None = None,
    factors: Sequence[str] = (),
    source: str = "",
) -> Measure:
    measure = Measure(
        plan=plan,
        text=_text(text, "text", _("The measure")),
        owner=owner,
        owner_name=_text(owner_name, "owner_name", _("The owner")),
        deadline=deadline,
        factors=list(factors),
        source=source,
    )
    measure.full_clean()
    measure.save()
    return measure


@transaction.atomic
def measure_status(*, measure: Measure, status: str, today: datetime.date | None = None) -> Measure:
    if status not in Measure.Status.values:
        raise ValidationError({"status": _("Unknown status.")})
    measure.status = status
    measure.done_on = (today or datetime.date.today()) if status == Measure.Status.DONE else None
    measure.save(update_fields=["status", "done_on"])
    return measure


@transaction.atomic
def meeting_record(
    *,
    actor: AbstractBaseUser,
    unit: Unit,
    held_on: datetime.date,
    hse_item: str,
    decisions: str = "",
    plan: ActionPlan | None = None,
) -> StaffMeeting:
    if held_on > datetime.date.today():
        raise ValidationError({"held_on": _("A meeting cannot be recorded before it is held.")})
    return StaffMeeting.objects.create(
        unit=unit,
        held_on=held_on,
        hse_item=_text(hse_item, "hse_item", _("The HSE item")),
        decisions=decisions.strip(),
        plan=plan,
        recorded_by=actor,
    )


@transaction.atomic
def plan_comment(*, actor: AbstractBaseUser, plan: ActionPlan, role: str, text: str) -> PlanComment:
    return PlanComment.objects.create(
        plan=plan, author=actor, author_role=role, text=_text(text, "text", _("The comment"))
    )


@transaction.atomic
def deviation_report(
    *,
    actor: AbstractBaseUser,
    unit: Unit,
    occurred_on: datetime.date,
    category: str,
    severity: str,
    description: str,
    immediate_action: str = "",
    anonymous: bool = False,
) -> Deviation:
    if occurred_on > datetime.date.today():
        raise ValidationError({"occurred_on": _("The date cannot be in the future.")})
    deviation = Deviation(
        organisation_id=unit.organisation_id,
        unit=unit,
        occurred_on=occurred_on,
        category=category,
        severity=severity,
        description=_text(description, "description", _("The description")),
        immediate_action=immediate_action.strip(),
        reported_by=None if anonymous else actor,
    )
    deviation.full_clean()
    deviation.save()
    return deviation


@transaction.atomic
def deviation_follow_up(
    *,
    deviation: Deviation,
    follow_up: str,
    status: str,
    measure: Measure | None = None,
    today: datetime.date | None = None,
) -> Deviation:
    if status not in Deviation.Status.values:
        raise ValidationError({"status": _("Unknown status.")})
    if status == Deviation.Status.CLOSED and not (follow_up or deviation.follow_up).strip():
        raise ValidationError(
            {"follow_up": _("Say how the deviation was followed up before closing it.")}
        )
    if follow_up.strip():
        deviation.follow_up = "\n".join(filter(None, [deviation.follow_up, follow_up.strip()]))
    deviation.status = status
    deviation.closed_on = (
        (today or datetime.date.today()) if status == Deviation.Status.CLOSED else None
    )
    if measure is not None:
        deviation.measure = measure
    deviation.save()
    return deviation


@transaction.atomic
def template_create(
    *, organisation: Organisation, kind: str, title: str, item_lines: str
) -> ChecklistTemplate:
    lines = [line.strip() for line in item_lines.splitlines() if line.strip()]
    if not lines:
        raise ValidationError({"item_lines": _("A checklist needs at least one item.")})
    template = ChecklistTemplate(
        organisation=organisation,
        kind=kind,
        title=_text(title, "title", _("The title")),
        items=[{"key": f"k{n}", "text": text} for n, text in enumerate(lines, start=1)],
    )
    template.full_clean()
    template.save()
    return template


@transaction.atomic
def inspection_record(
    *,
    actor: AbstractBaseUser,
    template: ChecklistTemplate,
    unit: Unit,
    held_on: datetime.date,
    participants: str,
    answers: Mapping[str, Mapping[str, object]],
    plan: ActionPlan | None,
    deadline: datetime.date,
    owner_name: str,
) -> Inspection:
    """A safety round or risk assessment; each finding (an item not in order) becomes a measure
    in ``plan`` when one is given."""
    known = {item["key"]: item["text"] for item in template.items}
    unknown = set(answers) - set(known)
    if unknown:
        raise ValidationError(_("The answers name items the checklist does not have."))
    inspection = Inspection.objects.create(
        template=template,
        unit=unit,
        held_on=held_on,
        participants=participants.strip(),
        answers={key: dict(value) for key, value in answers.items()},
        recorded_by=actor,
    )
    findings = [
        (key, str(value.get("finding") or "").strip())
        for key, value in answers.items()
        if not value.get("ok")
    ]
    if plan is not None:
        label = f"{template.title} {held_on:%d.%m.%Y}"
        for key, finding in findings:
            measure_add(
                plan=plan,
                text=f"{known[key]}: {finding}" if finding else known[key],
                owner_name=owner_name or _("the unit's leader"),
                deadline=deadline,
                source=label,
            )
    return inspection


@transaction.atomic
def conversation_set(
    *,
    actor: AbstractBaseUser,
    employee: Employee,
    unit: Unit,
    year: int,
    planned_on: datetime.date | None,
    held_on: datetime.date | None,
) -> Conversation:
    if held_on is not None and held_on > datetime.date.today():
        raise ValidationError({"held_on": _("A conversation cannot be held in the future.")})
    conversation, _created = Conversation.objects.update_or_create(
        employee=employee,
        year=year,
        defaults={"unit": unit, "planned_on": planned_on, "held_on": held_on, "leader": actor},
    )
    return conversation


@transaction.atomic
def amu_meeting_record(
    *,
    actor: AbstractBaseUser,
    organisation: Organisation,
    held_on: datetime.date,
    agenda: str,
    decisions: str,
) -> AmuMeeting:
    return AmuMeeting.objects.create(
        organisation=organisation,
        held_on=held_on,
        agenda=_text(agenda, "agenda", _("The agenda")),
        decisions=decisions.strip(),
        recorded_by=actor,
    )
