"""Who sees which statistics: every insight read goes through these, given the acting user.

Aggregated, masked figures: any unit in ``access.units_for_statistics`` (unit leaders their
subtree, nearest leaders their units, safety and union reps their scope — the same masked cells).
The organisation overview, cost and references: HR and analysts. Targets: HR, or a unit leader
for units in their subtree. The attention list names individuals: HR only.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from naervaer.org import access
from naervaer.org.models import Organisation, Role, Unit

OVERVIEW_ROLES = frozenset({Role.HR, Role.ANALYST})
COST_ROLES = frozenset({Role.HR})
ATTENTION_ROLES = frozenset({Role.HR})


def statistics_units(user: access.User) -> QuerySet[Unit]:
    return access.units_for_statistics(user).order_by("name")


def can_use_insight(user: access.User) -> bool:
    return statistics_units(user).exists()


def unit_for(user: access.User, unit_id: int) -> Unit:
    """The unit, if the user may see its statistics; otherwise PermissionDenied (no hint it exists)."""
    unit = statistics_units(user).select_related("organisation").filter(pk=unit_id).first()
    if unit is None:
        raise PermissionDenied
    return unit


def _organisation_for_roles(user: access.User, roles: frozenset[str]) -> Organisation | None:
    assignment = (
        access.active_assignments(user)
        .filter(role__in=roles)
        .select_related("organisation")
        .order_by("pk")
        .first()
    )
    return assignment.organisation if assignment else None


def has_role(user: access.User, roles: frozenset[str]) -> bool:
    return bool(access.roles_of(user) & roles)


def overview_organisation(user: access.User) -> Organisation:
    """The organisation whose overview the user may see (HR and analysts)."""
    organisation = _organisation_for_roles(user, OVERVIEW_ROLES)
    if organisation is None:
        raise PermissionDenied
    return organisation


def cost_organisation(user: access.User) -> Organisation:
    organisation = _organisation_for_roles(user, COST_ROLES)
    if organisation is None:
        raise PermissionDenied
    return organisation


def attention_organisation(user: access.User) -> Organisation:
    """HR only: the attention list names individuals, so no other role gets it — not even leaders."""
    organisation = _organisation_for_roles(user, ATTENTION_ROLES)
    if organisation is None:
        raise PermissionDenied
    return organisation


def can_set_targets(user: access.User, unit: Unit, on: dt.date | None = None) -> bool:
    for assignment in access.active_assignments(user, on):
        if assignment.organisation_id != unit.organisation_id:
            continue
        if assignment.role == Role.HR and (
            assignment.unit is None or unit.pk in access.subtree_unit_ids(assignment.unit)
        ):
            return True
        if assignment.role == Role.UNIT_LEADER and unit.pk in access.subtree_unit_ids(
            assignment.unit
        ):
            return True
    return False


def visible_unit_ids(user: access.User, organisation: Organisation) -> set[int]:
    return set(
        statistics_units(user).filter(organisation=organisation).values_list("pk", flat=True)
    )
