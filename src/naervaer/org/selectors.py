"""Reads of the workforce register, always scoped to what the acting user may see (``org.access``)."""

from __future__ import annotations

import datetime

from django.db.models import QuerySet

from naervaer.org import access
from naervaer.org.models import Employee, Employment, Unit


def employee_list(actor: access.User, on: datetime.date | None = None) -> QuerySet[Employee]:
    return access.employees_visible_to(actor, on).order_by("last_name", "first_name")


def employment_list(actor: access.User, on: datetime.date | None = None) -> QuerySet[Employment]:
    return (
        access.employments_visible_to(actor, on)
        .select_related("employee", "unit", "nearest_leader")
        .prefetch_related("position_changes")
    )


def direct_reports(actor: access.User, on: datetime.date | None = None) -> QuerySet[Employment]:
    """The current employments the actor is nearest leader of: a leader's follow-up list."""
    day = on or datetime.date.today()
    return employment_list(actor, day).filter(access.active_on(day), nearest_leader__user=actor)


def statistics_units(actor: access.User, on: datetime.date | None = None) -> QuerySet[Unit]:
    return access.units_for_statistics(actor, on).order_by("name")
