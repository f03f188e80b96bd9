"""Scopes of the prevention pages, asked of ``naervaer.org.access`` (its ``GRANTS`` table holds
the prevention actions: who may see results, edit plans, follow deviations…).

These helpers only turn the request's actor into the sets the pages need — the ids of the units an
action reaches, and the organisations — remembered for the request, since a page asks several times.
"""

from __future__ import annotations

from naervaer.org import access
from naervaer.org.access import Action
from naervaer.org.models import Role, Unit


def _memo(user: access.User, key: str, compute):
    memo = user.__dict__.setdefault("_prevention_scope", {})
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def roles_for(user: access.User, action: Action) -> frozenset[str]:
    return access.as_actor(user).roles_for(action)


def can(user: access.User, action: Action) -> bool:
    return access.as_actor(user).can(action)


def units_for(user: access.User, action: Action) -> set[int]:
    """The ids of the units whose prevention work the user may use for ``action``."""
    return _memo(
        user,
        f"units:{action}",
        lambda: set(
            Unit.objects.restrict(access.as_actor(user), action).values_list("pk", flat=True)
        ),
    )


def organisations_for(user: access.User, action: Action) -> set[int]:
    """The organisations in which the user holds a role that may use ``action``."""
    actor = access.as_actor(user)

    def compute() -> set[int]:
        found: set[int] = set()
        for role in actor.roles_for(action):
            found |= actor.assigned_organisations.get(role, frozenset())
        if actor.roles_for(action) & {Role.EMPLOYEE, Role.NEAREST_LEADER}:
            units = actor.own_unit_ids | actor.led_unit_ids
            found |= set(
                Unit.objects.filter(pk__in=units).values_list("organisation_id", flat=True)
            )
        return found

    return _memo(user, f"organisations:{action}", compute)


def led_units(user: access.User) -> set[int]:
    """Units the user leads: where their direct reports work, and the unit a unit-leader role is
    assigned to (the top of that subtree). The free-text rule asks whether such a unit is small."""
    actor = access.as_actor(user)
    led = set(actor.led_unit_ids)
    subtree = actor.units.get(Role.UNIT_LEADER, frozenset())
    if subtree:
        parents = dict(Unit.objects.filter(pk__in=subtree).values_list("pk", "parent_id"))
        led |= {unit for unit, parent in parents.items() if parent not in subtree}
    return led
