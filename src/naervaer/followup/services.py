"""Writes of the follow-up: one transaction each, permission-checked against the case, every write
logged to the access log and, where people care, to the case history.

``cases_refresh`` keeps the stored cases and milestones equal to what the rules core computes from
the register; the absence models' signals call it (see ``signals.py``), and reads call it when a
case was last computed before today, because milestone states move with the calendar.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, models, transaction
from django.db.models import F, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from naervaer.audit import services as audit
from naervaer.followup import selectors
from naervaer.followup.computation import AbsenceSpan, ComputedCase, compute_cases
from naervaer.followup.models import (
    CalendarFeed,
    CaseEvent,
    CommitteeReferral,
    FollowupCase,
    Meeting,
    MeetingCopy,
    Milestone,
    Outcome,
    Participant,
    Placement,
    PlacementAssignment,
    Plan,
    PlanVersion,
    RoutineChoice,
    WorkplaceDescription,
    new_feed_token,
)
from naervaer.followup.routines import AppliedRoutine, RoutineResolver, routine_named
from naervaer.followup.spans import spans_by_employment
from naervaer.org import access
from naervaer.org.models import Employment, Role, Unit
from naervaer.rules import MilestoneInstance, Person, RoutineError

MILESTONE_FIELDS = (
    "title_nb",
    "title_en",
    "due",
    "responsible",
    "document",
    "legal_reference",
    "waivable",
    "computed_state",
)
MILESTONE_VALUES = (*MILESTONE_FIELDS, "escalated_to")  # what a refresh sets, in this order


class PlanConflict(Exception):
    """Someone else saved the plan after this editor opened it."""


def _event(case: FollowupCase, actor: access.User | None, text: str) -> None:
    CaseEvent.objects.create(
        case=case,
        actor=actor if actor is not None and actor.is_authenticated else None,
        text=text[:300],
    )


def _log(
    actor: access.User | None, action: str, what: str, obj_id: object, case: FollowupCase
) -> None:
    audit.record(actor, action, what, obj_id, subject_employee_id=case.employee_id)


# --- computing cases from the register -------------------------------------------------------

REFRESH_BATCH = 500  # employments per round of bulk reads and writes
CASE_FIELDS = (
    "start",
    "end",
    "sick_days",
    "employer_period_end",
    "ended",
    "current",
    "computed_on",
    "max_date",
    "days_used",
    "days_remaining",
    "max_date_rule",
    "routine",
    "responsible",
)


def _match(computed: ComputedCase, stored: list[FollowupCase]) -> FollowupCase | None:
    """The stored case this computed case continues: same start, else the first that overlaps it."""
    start, end = computed.case.start, computed.case.end
    return next((s for s in stored if s.start == start), None) or next(
        (s for s in stored if s.start <= end and s.end >= start), None
    )


def _milestone_title(milestone: Milestone | MilestoneInstance) -> str:
    """The title in the active language (the routine files carry nb and en)."""
    return (
        milestone.title_nb
        if (translation.get_language() or "nb").startswith("nb")
        else milestone.title_en
    )


@dataclass
class _Writes:
    """What one batch of employments changes, written in bulk at the end of the batch."""

    new_cases: list[FollowupCase] = field(default_factory=list)
    changed_cases: list[FollowupCase] = field(default_factory=list)
    new_milestones: list[tuple[FollowupCase, str, dict[str, Any]]] = field(default_factory=list)
    changed_milestones: list[Milestone] = field(default_factory=list)
    dropped_milestones: list[int] = field(default_factory=list)
    gone_cases: list[int] = field(default_factory=list)
    events: list[tuple[FollowupCase, str]] = field(default_factory=list)

    def save(self) -> None:
        FollowupCase.objects.bulk_create(self.new_cases)
        FollowupCase.objects.bulk_update(self.changed_cases, CASE_FIELDS)
        _insert_milestones(self.new_milestones)
        Milestone.objects.bulk_update(self.changed_milestones, MILESTONE_VALUES)
        Milestone.objects.filter(pk__in=self.dropped_milestones).delete()
        CaseEvent.objects.bulk_create(
            [CaseEvent(case=case, text=text[:300]) for case, text in self.events]
        )
        if self.gone_cases:
            # A case the absences no longer give is kept (not current) while documents hang on it.
            documented = (
                set(
                    Meeting.objects.filter(case_id__in=self.gone_cases).values_list(
                        "case_id", flat=True
                    )
                )
                | set(
                    Plan.objects.filter(case_id__in=self.gone_cases).values_list(
                        "case_id", flat=True
                    )
                )
                | set(
                    PlacementAssignment.objects.filter(case_id__in=self.gone_cases).values_list(
                        "case_id", flat=True
                    )
                )
                | set(
                    CommitteeReferral.objects.filter(case_id__in=self.gone_cases).values_list(
                        "case_id", flat=True
                    )
                )
            )
            FollowupCase.objects.filter(pk__in=documented).update(current=False)
            FollowupCase.objects.filter(pk__in=set(self.gone_cases) - documented).delete()


def _insert_milestones(rows: list[tuple[FollowupCase, str, dict[str, Any]]]) -> None:
    """Insert new milestones from (case, key, values) without model instances: a demo load creates
    ~270,000, and building instances for ``bulk_create`` cost most of the refresh. PostgreSQL takes
    them by COPY (psycopg spends seconds parsing long multi-row INSERTs); SQLite by multi-row
    INSERTs of 500 rows (within its limit on parameters)."""
    columns = ["case_id", "key", *MILESTONE_VALUES, "recorded", "waive_reason"]
    values = [(case.pk, key, *values.values(), "", "") for case, key, values in rows]
    quoted = ", ".join(connection.ops.quote_name(column) for column in columns)
    table = connection.ops.quote_name(Milestone._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
                for row in values:
                    copy.write_row(row)
            return
        due = columns.index("due")
        adapt = connection.ops.adapt_datefield_value
        row_marks = f"({', '.join(['%s'] * len(columns))})"
        for first in range(0, len(values), 500):
            chunk = values[first : first + 500]
            params = [adapt(v) if i == due else v for row in chunk for i, v in enumerate(row)]
            cursor.execute(
                f"INSERT INTO {table} ({quoted}) VALUES {', '.join([row_marks] * len(chunk))}",
                params,
            )


def _refresh_employment(
    employment: Employment,
    spans: list[AbsenceSpan],
    applied: AppliedRoutine,
    stored: list[FollowupCase],
    stored_milestones: dict[int, list[dict[str, Any]]],
    day: datetime.date,
    writes: _Writes,
) -> list[FollowupCase]:
    """Compute one employment's cases in memory and queue the changes against what is stored."""
    recorded = {
        case.pk: {
            m["key"]: m["recorded"] for m in stored_milestones.get(case.pk, []) if m["recorded"]
        }
        for case in stored
    }
    person = Person(employment.employee.birth_date)

    def recorded_for(rules_case) -> dict[str, str]:
        match = _match(ComputedCase(rules_case, False, None, None, []), stored)
        return recorded.get(match.pk, {}) if match else {}

    kept: list[FollowupCase] = []
    for computed in compute_cases(spans, person, applied.routine, day, recorded_for):
        case = _match(computed, [s for s in stored if s not in kept])
        if case is None:
            case = FollowupCase(
                employment=employment,
                employee_id=employment.employee_id,
                organisation_id=employment.organisation_id,
            )
        before = {name: getattr(case, name) for name in CASE_FIELDS}
        max_date = computed.max_date
        case.start, case.end, case.sick_days = (
            computed.case.start,
            computed.case.end,
            computed.case.sick_days,
        )
        case.employer_period_end, case.ended, case.current, case.computed_on = (
            computed.employer_period_end,
            computed.ended,
            True,
            day,
        )
        case.max_date = max_date.date if max_date else None
        case.days_used = max_date.used if max_date else None
        case.days_remaining = max_date.remaining if max_date else None
        case.max_date_rule = max_date.rule if max_date else ""
        case.routine = applied.routine.key
        takeover = applied.hr_takeover_weeks
        if (
            takeover
            and not computed.ended
            and case.responsible != FollowupCase.Responsible.HR
            and day >= case.start + datetime.timedelta(weeks=takeover)
        ):
            case.responsible = FollowupCase.Responsible.HR
            writes.events.append(
                (case, _("Responsibility moved to HR after %(weeks)s weeks.") % {"weeks": takeover})
            )
        if case.pk is None:
            writes.new_cases.append(case)
        elif any(getattr(case, name) != value for name, value in before.items()):
            writes.changed_cases.append(case)
        _queue_milestones(
            case, computed, stored_milestones.get(case.pk, []) if case.pk else [], writes
        )
        kept.append(case)
    writes.gone_cases += [case.pk for case in stored if case not in kept]
    return kept


def _queue_milestones(
    case: FollowupCase, computed: ComputedCase, stored: list[dict[str, Any]], writes: _Writes
) -> None:
    """``stored`` are the case's milestone rows as dicts: a bulk refresh reads ~270,000 of them and
    model instances are built only for the few that changed."""
    existing = {m["key"]: m for m in stored}
    keys = set()
    for instance in computed.milestones:
        keys.add(instance.key)
        milestone = existing.get(instance.key)
        recorded = milestone["recorded"] if milestone else ""
        state = (
            instance.state
            if instance.state not in ("done", "waived")
            else ((milestone and milestone["computed_state"]) or "upcoming")
        )
        escalated = instance.escalate_to or ""
        if escalated and not (milestone and milestone["escalated_to"]) and not recorded:
            writes.events.append(
                (
                    case,
                    _("%(milestone)s is overdue and escalated to %(role)s.")
                    % {"milestone": _milestone_title(instance), "role": Role(escalated).label},
                )
            )
        values = {
            "title_nb": instance.title_nb,
            "title_en": instance.title_en,
            "due": instance.due,
            "responsible": instance.responsible,
            "document": instance.document,
            "legal_reference": instance.legal_reference,
            "waivable": instance.waivable,
            "computed_state": state,
            "escalated_to": escalated if not recorded else milestone["escalated_to"],
        }
        if milestone is None:
            writes.new_milestones.append((case, instance.key, values))
        elif any(milestone[k] != v for k, v in values.items()):
            writes.changed_milestones.append(
                Milestone(pk=milestone["id"], case_id=case.pk, key=instance.key, **values)
            )
    writes.dropped_milestones += [
        m["id"] for m in stored if m["key"] not in keys and not m["recorded"]
    ]


@transaction.atomic
def _refresh_batch(
    employments: list[Employment], day: datetime.date
) -> dict[int, list[FollowupCase]]:
    """Refresh a batch of employments with a fixed number of queries, whatever the batch size."""
    ids = [e.pk for e in employments]
    spans = spans_by_employment(ids)
    resolve = RoutineResolver({e.organisation_id for e in employments}, day)
    stored: dict[int, list[FollowupCase]] = defaultdict(list)
    for case in FollowupCase.objects.filter(employment_id__in=ids):
        stored[case.employment_id].append(case)
    milestones: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in Milestone.objects.filter(case__employment_id__in=ids).values(
        "id", "case_id", "key", "recorded", *MILESTONE_VALUES
    ):
        milestones[row["case_id"]].append(row)
    writes = _Writes()
    kept = {
        e.pk: _refresh_employment(
            e, spans.get(e.pk, []), resolve(e), stored.get(e.pk, []), milestones, day, writes
        )
        for e in employments
    }
    writes.save()
    return kept


def cases_refresh(employment: Employment, today: datetime.date | None = None) -> list[FollowupCase]:
    """Recompute the employment's cases and milestones from its absences (idempotent)."""
    kept = _refresh_batch([employment], today or datetime.date.today())[employment.pk]
    # Fresh rows, read back as stored (milestones were written in bulk, not through these objects).
    return list(FollowupCase.objects.filter(pk__in=[case.pk for case in kept]).order_by("start"))


def cases_refresh_all(
    employments: Iterable[Employment] | None = None, today: datetime.date | None = None
) -> int:
    """Recompute many employments (after a bulk import, or daily from ``naervaer remind``), in
    batches: bulk reads of the batch's absences, cases and routine choices, bulk writes of the changes."""
    day = today or datetime.date.today()
    rows = (
        employments
        if employments is not None
        else Employment.objects.select_related("employee").order_by("pk")
    )
    count, batch = 0, []
    for employment in rows.iterator() if isinstance(rows, QuerySet) else rows:
        batch.append(employment)
        if len(batch) == REFRESH_BATCH:
            count += sum(len(cases) for cases in _refresh_batch(batch, day).values())
            batch = []
    if batch:
        count += sum(len(cases) for cases in _refresh_batch(batch, day).values())
    return count


def refresh_stale(cases: Iterable[FollowupCase], today: datetime.date | None = None) -> bool:
    """Recompute the employments of cases computed before today; True if anything was recomputed."""
    day = today or datetime.date.today()
    stale = {case.employment_id for case in cases if case.computed_on < day}
    if stale:
        cases_refresh_all(Employment.objects.filter(pk__in=stale).select_related("employee"), day)
    return bool(stale)


# --- routine choice --------------------------------------------------------------------------


@transaction.atomic
def routine_choose(
    *,
    actor: access.User,
    organisation_id: int,
    routine: str,
    valid_from: datetime.date,
    unit: Unit | None = None,
    hr_takeover_weeks: int | None = None,
) -> RoutineChoice:
    """A new version of the routine choice for an organisation or one unit (HR only)."""
    if (
        not access.active_assignments(actor)
        .filter(role="hr", organisation_id=organisation_id)
        .exists()
    ):
        raise PermissionDenied(_("Only HR may choose the follow-up routine."))
    try:
        routine_named(routine)
    except RoutineError as exc:
        raise ValidationError({"routine": str(exc)}) from exc
    choice = RoutineChoice.objects.create(
        organisation_id=organisation_id,
        unit=unit,
        routine=routine,
        valid_from=valid_from,
        hr_takeover_weeks=hr_takeover_weeks,
        chosen_by=actor,
    )
    audit.record(actor, "create", "routine_choice", choice.pk)
    return choice


# --- milestones, bring-forward, referral ----------------------------------------------------


@transaction.atomic
def milestone_done(
    *,
    actor: access.User,
    milestone: Milestone,
    meeting: Meeting | None = None,
    plan: Plan | None = None,
) -> Milestone:
    """Mark a milestone done, linked to the document that fulfils it (a meeting record or the plan)."""
    case = milestone.case
    selectors.require(actor, case, selectors.CASE_WORKERS)
    if meeting is None and plan is None:
        raise ValidationError(
            {"document": _("Link the meeting record or plan that fulfils the milestone.")}
        )
    if (meeting and meeting.case_id != case.pk) or (plan and plan.case_id != case.pk):
        raise ValidationError({"document": _("The document belongs to another case.")})
    milestone.recorded, milestone.meeting, milestone.plan = Milestone.Recorded.DONE, meeting, plan
    milestone.recorded_at, milestone.recorded_by, milestone.escalated_to = timezone.now(), actor, ""
    milestone.save()
    _event(case, actor, _("Milestone done: %(title)s") % {"title": _milestone_title(milestone)})
    _log(actor, "update", "milestone", milestone.pk, case)
    return milestone


@transaction.atomic
def milestone_waive(*, actor: access.User, milestone: Milestone, reason: str) -> Milestone:
    case = milestone.case
    selectors.require(actor, case, selectors.CASE_WORKERS)
    if not milestone.waivable:
        raise ValidationError({"reason": _("This milestone cannot be waived under the routine.")})
    if not reason.strip():
        raise ValidationError(
            {"reason": _("Give the reason the milestone is obviously unnecessary.")}
        )
    milestone.recorded, milestone.waive_reason = Milestone.Recorded.WAIVED, reason.strip()
    milestone.recorded_at, milestone.recorded_by, milestone.escalated_to = timezone.now(), actor, ""
    milestone.save()
    _event(case, actor, _("Milestone waived: %(title)s") % {"title": _milestone_title(milestone)})
    _log(actor, "update", "milestone", milestone.pk, case)
    return milestone


@transaction.atomic
def bring_forward_set(
    *, actor: access.User, case: FollowupCase, on: datetime.date | None
) -> FollowupCase:
    selectors.require(actor, case, selectors.CASE_WORKERS | {selectors.OCCUPATIONAL_HEALTH})
    case.bring_forward = on
    case.save(update_fields=["bring_forward"])
    _event(
        case,
        actor,
        _("Bring-forward date set to %(day)s.") % {"day": on}
        if on
        else _("Bring-forward date removed."),
    )
    _log(actor, "update", "followup_case", case.pk, case)
    return case


@transaction.atomic
def refer_to_occupational_health(
    *, actor: access.User, case: FollowupCase, on: datetime.date | None = None
) -> FollowupCase:
    selectors.require(actor, case, selectors.CASE_WORKERS)
    case.referred_to_occupational_health = on or datetime.date.today()
    case.save(update_fields=["referred_to_occupational_health"])
    _event(case, actor, _("Referred to occupational health."))
    _log(actor, "update", "followup_case", case.pk, case)
    return case


# --- meetings --------------------------------------------------------------------------------


@transaction.atomic
def meeting_record(
    *,
    actor: access.User,
    case: FollowupCase,
    kind: str,
    held_on: datetime.date,
    minutes: str = "",
    agreements: str = "",
    next_meeting: datetime.date | None = None,
    participants: Iterable[tuple[str, str]] = (),
    copies: Iterable[str] = (),
) -> Meeting:
    """A meeting or talk with its participants (name, role) and the copies sent on the distribution list."""
    selectors.require(actor, case, selectors.CASE_WORKERS | {selectors.OCCUPATIONAL_HEALTH})
    if kind not in Meeting.Kind.values:
        raise ValidationError({"kind": _("Unknown meeting kind %(kind)s.") % {"kind": kind}})
    if next_meeting and next_meeting < held_on:
        raise ValidationError({"next_meeting": _("The next meeting cannot be before this one.")})
    meeting = Meeting.objects.create(
        case=case,
        kind=kind,
        held_on=held_on,
        minutes=minutes,
        agreements=agreements,
        next_meeting=next_meeting,
        created_by=actor,
    )
    Participant.objects.bulk_create(
        [
            Participant(meeting=meeting, name=name, role=role)
            for name, role in participants
            if name.strip()
        ]
    )
    today = datetime.date.today()
    MeetingCopy.objects.bulk_create(
        [
            MeetingCopy(meeting=meeting, recipient=r, sent_on=today, sent_by=actor)
            for r in dict.fromkeys(copies)
        ]
    )
    _event(
        case,
        actor,
        _("%(kind)s held on %(day)s recorded.")
        % {"kind": meeting.get_kind_display(), "day": held_on},
    )
    _log(actor, "create", "meeting", meeting.pk, case)
    return meeting


# --- the follow-up plan ----------------------------------------------------------------------

PLAN_FIELDS = (
    "tasks",
    "measures",
    "information_to_colleagues",
    "evaluation_date",
    "share_with_doctor",
    "share_with_nav",
)
CAPACITIES = {"can", "adapted", "cannot"}
MEASURE_STATES = {"proposed", "agreed", "not_relevant"}


def _plan_content(plan: Plan) -> dict[str, Any]:
    content = {field: getattr(plan, field) for field in PLAN_FIELDS}
    content["evaluation_date"] = plan.evaluation_date.isoformat() if plan.evaluation_date else None
    return content


def _check_plan(data: dict[str, Any]) -> None:
    for number, task in enumerate(data.get("tasks", []), start=1):
        if task.get("capacity") not in CAPACITIES:
            raise ValidationError(
                {
                    "tasks": _("Task %(n)s: choose can do, with adaptation or cannot.")
                    % {"n": number}
                }
            )
    for number, measure in enumerate(data.get("measures", []), start=1):
        if measure.get("status") not in MEASURE_STATES:
            raise ValidationError(
                {
                    "measures": _("Measure %(n)s: choose proposed, agreed or not relevant.")
                    % {"n": number}
                }
            )


@transaction.atomic
def plan_save(
    *, actor: access.User, case: FollowupCase, expected_version: int | None, data: dict[str, Any]
) -> Plan:
    """Create or change the plan. ``expected_version`` is the version the editor started from
    (None for a new plan); if someone saved in between, nothing is written and PlanConflict says so.
    A change clears earlier approvals: both must approve what the plan now says."""
    selectors.require(actor, case, selectors.CASE_WORKERS)
    _check_plan(data)
    values = {field: data[field] for field in PLAN_FIELDS if field in data}
    plan = Plan.objects.filter(case=case).first()
    if plan is None:
        if expected_version is not None:
            raise PlanConflict(_("The plan was removed after you opened it."))
        plan = Plan.objects.create(case=case, updated_by=actor, **values)
    else:
        changed = Plan.objects.filter(pk=plan.pk, version=expected_version).update(
            version=F("version") + 1,
            updated_by=actor,
            updated_at=timezone.now(),
            approved_by_leader_at=None,
            approved_by_employee_at=None,
            **values,
        )
        if not changed:
            plan.refresh_from_db()
            who = plan.updated_by.get_username() if plan.updated_by else "?"
            raise PlanConflict(
                _(
                    "%(user)s saved the plan (version %(version)s) after you opened it. Your changes were not "
                    "saved; reload the plan and make them again."
                )
                % {"user": who, "version": plan.version}
            )
        plan.refresh_from_db()
    PlanVersion.objects.create(
        plan=plan, version=plan.version, content=_plan_content(plan), saved_by=actor
    )
    _event(
        case, actor, _("Follow-up plan saved (version %(version)s).") % {"version": plan.version}
    )
    _log(actor, "update" if plan.version > 1 else "create", "plan", plan.pk, case)
    return plan


@transaction.atomic
def plan_approve(*, actor: access.User, plan: Plan, version: int) -> Plan:
    """Approve the plan as the employee or as the leader (or HR) — of the version the approver saw."""
    case = plan.case
    held = selectors.require(actor, case, selectors.CASE_WORKERS | {selectors.EMPLOYEE})
    now = timezone.now()
    field = "approved_by_employee_at" if selectors.EMPLOYEE in held else "approved_by_leader_at"
    if not Plan.objects.filter(pk=plan.pk, version=version).update(**{field: now}):
        raise PlanConflict(
            _("The plan changed after you opened it; read the new version before approving.")
        )
    plan.refresh_from_db()
    _event(
        case,
        actor,
        _("Follow-up plan version %(version)s approved by the employee.") % {"version": version}
        if field == "approved_by_employee_at"
        else _("Follow-up plan version %(version)s approved by the leader.") % {"version": version},
    )
    _log(actor, "update", "plan", plan.pk, case)
    return plan


# --- placement bank, workplace description, committee, closing ------------------------------


@transaction.atomic
def placement_create(
    *, actor: access.User, unit: Unit, title: str, description: str = "", suitable_for: str = ""
) -> Placement:
    if not selectors.placement_units(actor).filter(pk=unit.pk).exists():
        raise PermissionDenied(_("You may not add to this unit's placement bank."))
    if not title.strip():
        raise ValidationError({"title": _("Give the task or position a title.")})
    placement = Placement.objects.create(
        unit=unit, title=title.strip(), description=description, suitable_for=suitable_for
    )
    audit.record(actor, "create", "placement", placement.pk)
    return placement


@transaction.atomic
def placement_assign(
    *,
    actor: access.User,
    case: FollowupCase,
    placement: Placement,
    start: datetime.date,
    end: datetime.date | None = None,
    outcome: str = "",
) -> PlacementAssignment:
    selectors.require(actor, case, selectors.CASE_WORKERS)
    if not selectors.placements_for(actor).filter(pk=placement.pk).exists():
        raise PermissionDenied(_("This placement is outside your units."))
    if end and end < start:
        raise ValidationError({"end": _("The placement cannot end before it starts.")})
    assignment = PlacementAssignment.objects.create(
        placement=placement, case=case, start=start, end=end, outcome=outcome
    )
    _event(
        case,
        actor,
        _("Placed in %(title)s from %(day)s.") % {"title": placement.title, "day": start},
    )
    _log(actor, "create", "placement_assignment", assignment.pk, case)
    return assignment


@transaction.atomic
def workplace_description_save(
    *, actor: access.User, case: FollowupCase, **fields: str
) -> WorkplaceDescription:
    selectors.require(actor, case, selectors.CASE_WORKERS)
    description, _created = WorkplaceDescription.objects.get_or_create(employment=case.employment)
    for name, value in fields.items():
        setattr(description, name, value)
    description.updated_by = actor
    description.save()
    _event(case, actor, _("Workplace description updated."))
    _log(actor, "update", "workplace_description", description.pk, case)
    return description


@transaction.atomic
def committee_refer(
    *, actor: access.User, case: FollowupCase, question: str, on: datetime.date | None = None
) -> CommitteeReferral:
    selectors.require(actor, case, selectors.CASE_WORKERS)
    if not question.strip():
        raise ValidationError({"question": _("Say what the committee is asked to decide.")})
    referral = CommitteeReferral.objects.create(
        case=case, question=question.strip(), referred_on=on or datetime.date.today()
    )
    _event(case, actor, _("Lifted to the reintegration committee."))
    _log(actor, "create", "committee_referral", referral.pk, case)
    return referral


@transaction.atomic
def committee_decide(
    *,
    actor: access.User,
    referral: CommitteeReferral,
    decision: str,
    on: datetime.date | None = None,
) -> CommitteeReferral:
    case = referral.case
    selectors.require(actor, case, {selectors.HR})
    day = on or datetime.date.today()
    if not decision.strip():
        raise ValidationError({"decision": _("Write the committee's decision.")})
    if day < referral.referred_on:
        raise ValidationError({"decided_on": _("The decision cannot be before the referral.")})
    referral.decision, referral.decided_on = decision.strip(), day
    referral.save()
    _event(
        case,
        actor,
        _("Reintegration committee decided after %(days)s days.")
        % {"days": referral.handling_days},
    )
    _log(actor, "update", "committee_referral", referral.pk, case)
    return referral


@transaction.atomic
def case_close(
    *,
    actor: access.User,
    case: FollowupCase,
    outcome: str,
    note: str = "",
    on: datetime.date | None = None,
) -> FollowupCase:
    selectors.require(actor, case, selectors.CASE_WORKERS)
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": _("Choose an outcome.")})
    case.closed_on, case.outcome, case.outcome_note = on or datetime.date.today(), outcome, note
    case.save(update_fields=["closed_on", "outcome", "outcome_note"])
    _event(case, actor, _("Case closed: %(outcome)s.") % {"outcome": case.get_outcome_display()})
    _log(actor, "update", "followup_case", case.pk, case)
    return case


# --- calendar feed ---------------------------------------------------------------------------


@transaction.atomic
def calendar_feed_renew(*, actor: access.User) -> CalendarFeed:
    """Create the actor's feed address, or revoke the old one by issuing a new token."""
    feed, created = CalendarFeed.objects.get_or_create(user=actor)
    if not created:
        feed.token = new_feed_token()
        feed.save()
    audit.record(actor, "update", "calendar_feed", feed.pk)
    return feed


@transaction.atomic
def calendar_feed_revoke(*, actor: access.User) -> None:
    CalendarFeed.objects.filter(user=actor).delete()
    audit.record(actor, "delete", "calendar_feed", actor.pk)
