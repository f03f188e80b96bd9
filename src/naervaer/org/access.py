"""Who may see what — decided here and nowhere else (DOMAIN.md §2, ARCHITECTURE.md §2).

Every selector of personal data filters through ``employments_visible_to`` / ``employees_visible_to``.
Scopes:

- employee: their own employments;
- nearest leader (derived from ``Employment.nearest_leader``): current direct reports only;
- unit leader: employments in the assigned unit's subtree;
- HR, NAV, occupational health: the whole organisation, or the assigned unit's subtree when the
  assignment names a unit (the BHT contract may cover part of an organisation);
- safety rep, union rep, analyst: no individuals, only aggregated statistics of their scope;
- administrator: manages the register but sees no case content by default.

Only NAV may see diagnoses.
"""

from __future__ import annotations

import datetime

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q, QuerySet

from naervaer.org.models import Employee, Employment, Role, RoleAssignment, Unit

User = AbstractBaseUser | AnonymousUser

INDIVIDUAL_ROLES = frozenset(
    {
        Role.EMPLOYEE,
        Role.NEAREST_LEADER,
        Role.UNIT_LEADER,
        Role.HR,
        Role.OCCUPATIONAL_HEALTH,
        Role.NAV,
    }
)
ORGANISATION_WIDE_ROLES = frozenset({Role.HR, Role.OCCUPATIONAL_HEALTH, Role.NAV})
DIAGNOSIS_ROLES = frozenset({Role.NAV})


def _today(on: datetime.date | None) -> datetime.date:
    return on or datetime.date.today()


def active_assignments(user: User, on: datetime.date | None = None) -> QuerySet[RoleAssignment]:
    """The user's role assignments in force on ``on`` (today by default)."""
    if not user.is_authenticated:
        return RoleAssignment.objects.none()
    day = _today(on)
    return (
        RoleAssignment.objects.filter(user=user, valid_from__lte=day)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        .select_related("unit")
    )


def active_on(day: datetime.date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}start_date__lte": day}) & (
        Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gte": day})
    )


def roles_of(user: User, on: datetime.date | None = None) -> set[str]:
    """Assigned roles plus those that follow from the register: employee and nearest leader."""
    if not user.is_authenticated:
        return set()
    day = _today(on)
    roles = {a.role for a in active_assignments(user, day)}
    if user.is_superuser:
        roles.add(Role.ADMIN)
    if Employee.objects.filter(user=user).exists():
        roles.add(Role.EMPLOYEE)
    if Employment.objects.filter(active_on(day), nearest_leader__user=user).exists():
        roles.add(Role.NEAREST_LEADER)
    return roles


def can_see_individuals(user: User, on: datetime.date | None = None) -> bool:
    return bool(roles_of(user, on) & INDIVIDUAL_ROLES)


def can_see_diagnosis(user: User, on: datetime.date | None = None) -> bool:
    return bool(roles_of(user, on) & DIAGNOSIS_ROLES)


def subtree_unit_ids(unit: Unit) -> set[int]:
    """The unit and every unit below it (one query for the organisation's tree, walked in memory)."""
    children: dict[int, list[int]] = {}
    for unit_id, parent_id in Unit.objects.filter(organisation_id=unit.organisation_id).values_list(
        "id", "parent_id"
    ):
        children.setdefault(parent_id, []).append(unit_id)
    found, stack = set(), [unit.pk]
    while stack:
        current = stack.pop()
        if current not in found:
            found.add(current)
            stack.extend(children.get(current, []))
    return found


def _assignment_scope(assignment: RoleAssignment) -> Q:
    if assignment.unit is not None:
        return Q(unit_id__in=subtree_unit_ids(assignment.unit))
    return Q(organisation_id=assignment.organisation_id)


def employments_visible_to(user: User, on: datetime.date | None = None) -> QuerySet[Employment]:
    """Employments whose case data the user may see."""
    if not user.is_authenticated:
        return Employment.objects.none()
    day = _today(on)
    scope = Q(employee__user=user) | (active_on(day) & Q(nearest_leader__user=user))
    for assignment in active_assignments(user, day):
        if assignment.role == Role.UNIT_LEADER or assignment.role in ORGANISATION_WIDE_ROLES:
            scope |= _assignment_scope(assignment)
    return Employment.objects.filter(scope)


def employees_visible_to(user: User, on: datetime.date | None = None) -> QuerySet[Employee]:
    """Employees the user may see as individuals: themselves and the people of visible employments."""
    if not user.is_authenticated:
        return Employee.objects.none()
    return Employee.objects.filter(
        Q(user=user) | Q(pk__in=employments_visible_to(user, on).values("employee_id"))
    )


def units_for_statistics(user: User, on: datetime.date | None = None) -> QuerySet[Unit]:
    """Units whose aggregated (masked) statistics the user may see."""
    if not user.is_authenticated:
        return Unit.objects.none()
    day = _today(on)
    unit_ids: set[int] = set()
    organisation_ids: set[int] = set()
    for assignment in active_assignments(user, day):
        if assignment.role == Role.EMPLOYEE:
            continue
        if assignment.unit is not None:
            unit_ids |= subtree_unit_ids(assignment.unit)
        else:
            organisation_ids.add(assignment.organisation_id)
    led_units = Employment.objects.filter(active_on(day), nearest_leader__user=user).values(
        "unit_id"
    )
    return Unit.objects.filter(
        Q(pk__in=unit_ids) | Q(organisation_id__in=organisation_ids) | Q(pk__in=led_units)
    )
