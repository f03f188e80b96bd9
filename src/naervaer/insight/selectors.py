"""Who sees which statistics: every insight read asks ``naervaer.org.access``, given the actor.

Aggregated, masked figures: units the actor may ``VIEW_STATISTICS`` (unit leaders their subtree,
nearest leaders their people's units, safety and union reps their scope — the same masked cells).
The organisation overview, references and evaluation: ``OVERVIEW`` (HR and analysts); cost:
``COSTS``; targets: ``SET_TARGETS``; the attention list names individuals: ``ATTENTION`` (HR).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from naervaer.org.access import Action, ActorLike, as_actor, holds
from naervaer.org.models import Organisation, Unit


def statistics_units(actor: ActorLike) -> QuerySet[Unit]:
    return Unit.objects.restrict(actor, Action.VIEW_STATISTICS).order_by("name")


def can_use_insight(actor: ActorLike) -> bool:
    return as_actor(actor).can(Action.VIEW_STATISTICS)


def can(actor: ActorLike, action: Action) -> bool:
    return as_actor(actor).can(action)


def unit_for(actor: ActorLike, unit_id: int) -> Unit:
    """The unit, if the actor may see its statistics; otherwise PermissionDenied (no hint it exists)."""
    unit = statistics_units(actor).select_related("organisation").filter(pk=unit_id).first()
    if unit is None:
        raise PermissionDenied
    return unit


def organisation_for(actor: ActorLike, action: Action) -> Organisation:
    """The organisation whose organisation-level page (overview, cost, attention) the actor may see."""
    organisation = Organisation.objects.restrict(actor, action).order_by("pk").first()
    if organisation is None:
        raise PermissionDenied
    return organisation


def overview_organisation(actor: ActorLike) -> Organisation:
    return organisation_for(actor, Action.OVERVIEW)


def cost_organisation(actor: ActorLike) -> Organisation:
    return organisation_for(actor, Action.COSTS)


def attention_organisation(actor: ActorLike) -> Organisation:
    """HR only: the attention list names individuals, so no other role gets it — not even leaders."""
    return organisation_for(actor, Action.ATTENTION)


def can_set_targets(actor: ActorLike, unit: Unit) -> bool:
    return bool(holds(actor, Action.SET_TARGETS, unit))


def visible_unit_ids(actor: ActorLike, organisation: Organisation) -> set[int]:
    return set(
        statistics_units(actor).filter(organisation=organisation).values_list("pk", flat=True)
    )
