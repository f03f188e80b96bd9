"""Reading the access log: HR searches it for its organisation; an employee sees who has looked
at their own case. Reading the log is itself personal data, so these reads are logged too."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from naervaer.audit import services
from naervaer.audit.models import AccessLog
from naervaer.audit.wording import NAV_SIDE_OBJECTS, NAV_SIDE_PURPOSES, SeenRow, seen_row
from naervaer.org.access import Action, ActorLike, as_actor
from naervaer.org.models import Employee

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
