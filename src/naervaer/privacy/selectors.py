"""Reads of the privacy pages, given the acting user and logged: what retention has made due in
HR's scope (the employee's own data is collected by ``innsyn``)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from naervaer.absence.models import SelfCertification, SickNotePeriod
from naervaer.audit import services
from naervaer.followup.models import FollowupCase
from naervaer.org.access import Action, ActorLike, as_actor
from naervaer.org.models import Employee, Organisation, RetentionRules, Role
from naervaer.privacy import retention

PAGE_SIZE = 200


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

        def mine(model, organisation=organisation):
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
        due_persons = [
            DuePerson(p, clock.person_due_on(p.left_on))  # type: ignore[attr-defined]
            for p in persons[:limit]
        ]
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
