"""Reads of the workforce register, always scoped by ``naervaer.org.access`` for the acting user."""

from __future__ import annotations

from django.db.models import QuerySet

from naervaer.org.access import Action, ActorLike, as_actor
from naervaer.org.models import Employee, Employment, Unit


def employee_list(actor: ActorLike, action: Action = Action.VIEW_PERSON) -> QuerySet[Employee]:
    return Employee.objects.restrict(actor, action).order_by("last_name", "first_name")


def employment_list(actor: ActorLike, action: Action = Action.VIEW_PERSON) -> QuerySet[Employment]:
    return (
        Employment.objects.restrict(actor, action)
        .select_related("employee", "unit", "nearest_leader")
        .prefetch_related("position_changes")
    )


def direct_reports(actor: ActorLike) -> QuerySet[Employment]:
    """The current employments the actor is nearest leader of: a leader's follow-up list."""
    return employment_list(actor).filter(pk__in=as_actor(actor).report_employment_ids)


def statistics_units(actor: ActorLike) -> QuerySet[Unit]:
    return Unit.objects.restrict(actor, Action.VIEW_STATISTICS).order_by("name")
