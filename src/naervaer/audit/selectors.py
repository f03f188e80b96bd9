"""Reading the access log: HR searches it for its organisation; an employee sees who has looked
at their own case. Reading the log is itself personal data, so these reads are logged too."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from naervaer.audit import services
from naervaer.audit.models import AccessLog
from naervaer.org import access
from naervaer.org.models import Employee, Role

PAGE_SIZE = 200


def log_search(
    actor: access.User,
    *,
    username: str = "",
    employee_id: int | None = None,
    object_type: str = "",
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> QuerySet[AccessLog]:
    """HR: entries about the people of the HR adviser's organisation(s), and by their users."""
    organisations = list(
        access.active_assignments(actor)
        .filter(role=Role.HR)
        .values_list("organisation_id", flat=True)
    )
    if not organisations:
        raise PermissionDenied(_("Only HR may search the access log."))
    people = Employee.objects.filter(organisation_id__in=organisations)
    rows = AccessLog.objects.filter(
        Q(subject_employee_id__in=people.values("pk")) | Q(actor__employee__in=people)
    )
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


def who_has_seen(actor: access.User) -> QuerySet[AccessLog]:
    """The signed-in employee's own case data: who read or changed it, and when (not their own reads)."""
    employee = Employee.objects.filter(user=actor).first()
    if employee is None:
        raise PermissionDenied(_("Only employees have a case to look at."))
    services.record(
        actor, "read", "access_log", subject_employee_id=employee.pk, purpose="who has seen my case"
    )
    return AccessLog.objects.filter(subject_employee_id=employee.pk).exclude(actor=actor)
