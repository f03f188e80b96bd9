"""Reads of follow-up cases, always scoped by the acting user and written to the access log.

Who sees and does what on a case is asked of ``naervaer.org.access`` (``VIEW_CASE``,
``WORK_CASE``, ``RECORD_MEETING``…): occupational health sees only cases referred to it, and NAV's
caseworkers get the NAV side (``nav_cases``, the only place a diagnosis appears) instead of the
employer's case pages. Safety and union representatives, analysts and administrators see no case.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from naervaer.absence import selectors as absence_selectors
from naervaer.absence.models import SickNotePeriod
from naervaer.audit import services as audit
from naervaer.followup.computation import timeline_of
from naervaer.followup.models import FollowupCase, Milestone, Placement
from naervaer.followup.spans import employment_spans
from naervaer.org import access
from naervaer.org.access import Action, ActorLike, as_actor
from naervaer.org.models import Role, Unit
from naervaer.rules import DayKind

EMPLOYEE, NEAREST_LEADER, UNIT_LEADER, HR, OCCUPATIONAL_HEALTH = (
    Role.EMPLOYEE.value,
    Role.NEAREST_LEADER.value,
    Role.UNIT_LEADER.value,
    Role.HR.value,
    Role.OCCUPATIONAL_HEALTH.value,
)
URGENCY = {"overdue": 0, "due": 1, "upcoming": 2}


def _today(on: datetime.date | None) -> datetime.date:
    return on or timezone.localdate()


def visible_cases(actor: ActorLike, on: datetime.date | None = None) -> QuerySet[FollowupCase]:
    """The employer-side cases the actor may see."""
    return FollowupCase.objects.restrict(as_actor(actor, on), Action.VIEW_CASE).select_related(
        "employee", "employment__unit", "employment__nearest_leader"
    )


def capacities(
    actor: ActorLike, case: FollowupCase, *actions: Action
) -> dict[Action, frozenset[str]]:
    """In which roles the actor may do each action on this case (one query)."""
    return access.permissions(actor, case, *actions)


def require(actor: ActorLike, case: FollowupCase, action: Action) -> frozenset[str]:
    """The roles that let the actor do ``action`` on the case; PermissionDenied if none."""
    held = access.holds(actor, action, case)
    if not held:
        raise PermissionDenied(_("You may not do this on this case."))
    return held


def case_get(actor: ActorLike, case_id: int, purpose: str = "case page") -> FollowupCase:
    """One case the actor may see (404 otherwise, so ids outside the scope reveal nothing); the read is logged."""
    case = visible_cases(actor).filter(pk=case_id).first()
    if case is None:
        raise Http404(_("No such case."))
    audit.record(
        actor,
        "read",
        "followup_case",
        case.pk,
        subject_employee_id=case.employee_id,
        purpose=purpose,
    )
    return case


def case_milestones(case: FollowupCase, on: datetime.date | None = None) -> list[Milestone]:
    """The case's milestones with their state on ``on``: by due date, those on request last."""
    rows = list(case.milestones.with_state(_today(on)).select_related("meeting"))
    rows.sort(key=lambda m: (m.due is None, m.due or datetime.date.max, m.key))
    return rows


@dataclass(frozen=True)
class WorklistRow:
    case: FollowupCase
    next_milestone: Milestone | None
    open_count: int
    escalated: int
    hr_responsible: bool


def worklist(actor: ActorLike, on: datetime.date | None = None) -> list[WorklistRow]:
    """Open cases the actor follows up, the most urgent (overdue, then due, then earliest) first.

    Nearest leaders see their people's cases; HR and unit leaders see their scope's cases that HR
    is responsible for or where a milestone has escalated to them. Milestones on request (no due
    date) are never the next thing to do: they wait until someone asks for them.
    """
    day = _today(on)
    known = as_actor(actor, day)
    roles = known.roles
    cases = visible_cases(actor, day).filter(FollowupCase.open_on(day))
    if roles & {HR, UNIT_LEADER}:
        own = Q(employment__nearest_leader__user=known.user) | Q(employee__user=known.user)
        oversee = (
            Q(responsible=FollowupCase.Responsible.HR)
            | Q(hr_takeover_on__lte=day)
            | Q(
                milestones__escalation_role__in=roles & {HR, UNIT_LEADER},
                milestones__escalates_on__lte=day,
                milestones__recorded="",
                milestones__applicable=True,
            )
            | Q(bring_forward__lte=day)
        )
        cases = cases.filter(own | oversee).distinct()
    cases = list(cases.prefetch_related(Prefetch("milestones", Milestone.objects.with_state(day))))
    rows = []
    for case in cases:
        pending = [m for m in case.milestones.all() if m.state in URGENCY and m.due is not None]
        pending.sort(key=lambda m: (URGENCY[m.state], m.due))
        rows.append(
            WorklistRow(
                case,
                pending[0] if pending else None,
                len(pending),
                sum(1 for m in pending if m.escalated),
                case.responsible_on(day) == FollowupCase.Responsible.HR,
            )
        )
    rows.sort(
        key=lambda r: (
            URGENCY[r.next_milestone.state] if r.next_milestone else 9,
            r.next_milestone.due if r.next_milestone else datetime.date.max,
            r.case.employee.last_name,
        )
    )
    audit.record_reads(
        actor, "followup_case", [row.case.employee_id for row in rows], purpose="work list"
    )
    return rows


@dataclass(frozen=True)
class StripDay:
    day: datetime.date
    kind: str  # sick | graded | self_certified | holiday | leave | work | other


def day_strip(
    case: FollowupCase, before: int = 7, after: int = 16, limit: int = 371
) -> list[StripDay]:
    """The case's days for the visual strip: a week before the start to 16 days after the end."""
    timeline = timeline_of(employment_spans(case.employment_id))
    first = case.start - datetime.timedelta(days=before)
    count = min((case.end - first).days + 1 + after, limit)
    days = []
    for offset in range(count):
        day = first + datetime.timedelta(days=offset)
        run = timeline.run_at(day)
        if run is None or run.kind in (DayKind.WORK, DayKind.AWAITING):
            kind = "work"
        elif run.kind is DayKind.SICK:
            kind = "sick" if run.grade is None or run.grade.is_full else "graded"
        elif run.kind in (DayKind.SELF_CERTIFIED, DayKind.HOLIDAY, DayKind.LEAVE):
            kind = run.kind.value
        else:
            kind = "other"
        days.append(StripDay(day, kind))
    return days


def documentation_check(case: FollowupCase) -> dict[str, bool]:
    """Can the employer show what it tried? (DOMAIN.md §1: documented, systematic follow-up.)"""
    plan = getattr(case, "plan", None)
    measures = plan.measures if plan else []
    return {
        "plan_made": plan is not None,
        "plan_approved": bool(plan and plan.approved),
        "talks_held": case.meetings.exists(),
        "adaptations_tried": case.placements.exists()
        or any(m.get("status") == "agreed" for m in measures),
    }


def placements_for(actor: ActorLike) -> QuerySet[Placement]:
    """The placement bank of the units the actor leads (and HR's)."""
    return Placement.objects.restrict(actor, Action.PLACEMENTS).select_related("unit")


def placement_units(actor: ActorLike) -> QuerySet[Unit]:
    """Units whose placement bank the actor may add to: leaders' own units, HR's organisation."""
    return Unit.objects.restrict(actor, Action.PLACEMENTS).order_by("name")


def nav_cases(actor: ActorLike, on: datetime.date | None = None) -> list[dict]:
    """NAV side: cases in the caseworker's scope with the diagnosis of their sick notes."""
    known = as_actor(actor, on)
    if not known.can(Action.NAV_SIDE):
        raise PermissionDenied(_("Only NAV caseworkers may open the NAV side."))
    cases = list(
        FollowupCase.objects.restrict(known, Action.NAV_SIDE)
        .filter(current=True)
        .select_related("employee")[:500]
    )
    notes = SickNotePeriod.objects.filter(
        employment_id__in={c.employment_id for c in cases}
    ).values_list("id", "employment_id", "start_date", "end_date")
    by_case: dict[int, list[int]] = {}
    for note_id, employment_id, start, end in notes:
        for case in cases:
            if case.employment_id == employment_id and start <= case.end and end >= case.start:
                by_case.setdefault(case.pk, []).append(note_id)
    diagnoses = absence_selectors.diagnoses_for(
        actor, [n for ids in by_case.values() for n in ids], purpose="NAV case list"
    )
    audit.record_reads(actor, "nav_case", [c.employee_id for c in cases], purpose="NAV case list")
    return [
        {
            "case": case,
            "diagnoses": sorted(
                {diagnoses[n]["icpc2_code"] for n in by_case.get(case.pk, []) if n in diagnoses}
            ),
        }
        for case in cases
    ]
