"""Reading the access log: HR searches it for its organisation; an employee sees who has looked
at their own case. Reading the log is itself personal data, so these reads are logged too."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from naervaer.absence.models import SelfCertification, SickNotePeriod
from naervaer.audit import retention, services
from naervaer.audit.models import AccessLog
from naervaer.audit.wording import NAV_SIDE_OBJECTS, NAV_SIDE_PURPOSES, SeenRow, seen_row
from naervaer.org.access import Action, ActorLike, as_actor
from naervaer.followup.models import FollowupCase
from naervaer.org.models import Employee, Organisation, RetentionRules, Role

PAGE_SIZE = 200


def log_search(
    actor: ActorLike,
    *,
    username: str = "",
    employee_id: int | None = None,
    object_type: str = "",
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> QuerySet[AccessLog]:
    """HR: entries about the people in the adviser's scope, and by their users — never the NAV
    side's entries (the employer must not learn that NAV recorded a diagnosis)."""
    if not as_actor(actor).can(Action.SEARCH_ACCESS_LOG):
        raise PermissionDenied(_("Only HR may search the access log."))
    people = Employee.objects.restrict(actor, Action.SEARCH_ACCESS_LOG)
    rows = AccessLog.objects.filter(
        Q(subject_employee_id__in=people.values("pk")) | Q(actor__employee__in=people)
    ).exclude(Q(object_type__in=NAV_SIDE_OBJECTS) | Q(purpose__in=NAV_SIDE_PURPOSES))
    if username:
        rows = rows.filter(actor_username__icontains=username)
    if employee_id is not None:
        rows = rows.filter(subject_employee_id=employee_id)
    if object_type:
        rows = rows.filter(object_type=object_type)
    if start:
        rows = rows.filter(at__date__gte=start)
    if end:
        rows = rows.filter(at__date__lte=end)
    services.record(actor, "read", "access_log", purpose="access log search")
    return rows


def who_has_seen(actor: ActorLike, limit: int = PAGE_SIZE) -> list[SeenRow]:
    """The signed-in employee's own data: who read or changed it, when, in which role and why
    (not their own reads), worded for the employee."""
    known = as_actor(actor)
    if not known.can(Action.OWN_ACCESS_LOG) or known.employee_id is None:
        raise PermissionDenied(_("Only employees have a case to look at."))
    services.record(
        known,
        "read",
        "access_log",
        subject_employee_id=known.employee_id,
        purpose="who has seen my case",
    )
    rows = AccessLog.objects.filter(subject_employee_id=known.employee_id).exclude(actor=known.user)
    return [seen_row(entry) for entry in rows[:limit]]


@dataclass(frozen=True)
class DueCase:
    case: FollowupCase
    ended_on: datetime.date
    due_on: datetime.date


@dataclass(frozen=True)
class DuePerson:
    employee: Employee
    due_on: datetime.date


@dataclass(frozen=True)
class RetentionOverview:
    """What retention has made due in one organisation, as far as the adviser's scope reaches."""

    organisation: Organisation
    rules: RetentionRules
    cases: list[DueCase]
    case_count: int
    persons: list[DuePerson]
    person_count: int
    absence_details: int


def retention_due(
    actor: ActorLike, today: datetime.date, limit: int = PAGE_SIZE
) -> list[RetentionOverview]:
    """HR: the cases, people and absence details the next retention run deletes or anonymises, in
    the adviser's scope. Never the NAV side: whether a diagnosis is due is not the employer's to know."""
    known = as_actor(actor)
    if not known.can(Action.RETENTION):
        raise PermissionDenied(_("Only HR may see what is due for deletion."))
    overviews, shown = [], set()
    for organisation in Organisation.objects.filter(
        pk__in=known.assigned_organisations.get(Role.HR, frozenset())
    ):
        clock = retention.Clock(RetentionRules.for_organisation(organisation.pk), today)

        def mine(model):
            return model.objects.restrict(known, Action.RETENTION).filter(organisation=organisation)

        cases = retention.cases_due(mine(FollowupCase), clock).select_related(
            "employee", "employment__unit"
        )
        persons = retention.persons_due(mine(Employee), clock)
        details = (
            retention.sick_notes_due(mine(SickNotePeriod), clock).count()
            + retention.self_certifications_due(mine(SelfCertification), clock).count()
        )
        due_cases = [
            DueCase(case, retention.ended_on(case), clock.case_due_on(case))
            for case in cases[:limit]
        ]
        due_persons = [DuePerson(p, clock.person_due_on(p.left_on)) for p in persons[:limit]]
        shown |= {row.case.employee_id for row in due_cases} | {
            row.employee.pk for row in due_persons
        }
        overviews.append(
            RetentionOverview(
                organisation,
                clock.rules,
                due_cases,
                cases.count(),
                due_persons,
                persons.count(),
                details,
            )
        )
    services.record_reads(known, "retention", shown, purpose="retention overview")
    return overviews
