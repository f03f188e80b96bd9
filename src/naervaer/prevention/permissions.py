"""Who may do what in prevention work (issue #16 item 10), as one table of action → roles.

Each role reaches units as ``naervaer.org.access`` scopes them: an employee their own unit(s), a
nearest leader the units of their direct reports, a unit leader the assigned subtree, HR, safety
and union reps and analysts their assignment (a subtree or the whole organisation). The scope
itself is asked of ``org.access``; this module only says which roles an action is open to, so it
can move into that layer's grant table as it is.
"""

from __future__ import annotations

import datetime
from enum import StrEnum

from django.db.models import Q

from naervaer.org import access
from naervaer.org.models import Employment, Role, Unit


class Action(StrEnum):
    SURVEY_RESULTS = "survey_results"  # aggregated (suppressed) survey results of units
    MANAGE_SURVEYS = "manage_surveys"  # rounds, instruments, imports of other surveys
    VIEW_HSE = "view_hse"  # action plans, meetings, deviations, rounds: aggregated work of units
    EDIT_PLAN = "edit_plan"  # goals, measures, staff meetings, safety rounds
    COMMENT_PLAN = "comment_plan"  # the safety rep's (and union rep's) comment
    REPORT_DEVIATION = "report_deviation"
    FOLLOW_DEVIATION = "follow_deviation"  # follow up and close
    CONVERSATIONS = "conversations"  # per employee (names): leaders and HR only
    AMU = "amu"  # the working-environment committee's meetings and overviews
    ANALYSIS = "analysis"  # factor scores against absence across units


LEADERS = (Role.NEAREST_LEADER, Role.UNIT_LEADER)
REPS = (Role.SAFETY_REP, Role.UNION_REP)
GRANTS: dict[Action, frozenset[str]] = {
    Action.SURVEY_RESULTS: frozenset({Role.EMPLOYEE, *LEADERS, Role.HR, *REPS, Role.ANALYST}),
    Action.MANAGE_SURVEYS: frozenset({Role.HR}),
    Action.VIEW_HSE: frozenset({*LEADERS, Role.HR, *REPS}),
    Action.EDIT_PLAN: frozenset({*LEADERS, Role.HR}),
    Action.COMMENT_PLAN: frozenset(REPS),
    Action.REPORT_DEVIATION: frozenset({Role.EMPLOYEE, *LEADERS, Role.HR, *REPS}),
    Action.FOLLOW_DEVIATION: frozenset({*LEADERS, Role.HR, Role.SAFETY_REP}),
    Action.CONVERSATIONS: frozenset({*LEADERS, Role.HR}),
    Action.AMU: frozenset({Role.HR, *REPS}),
    Action.ANALYSIS: frozenset({Role.HR, Role.ANALYST}),
}


def _memo(user: access.User, key: str, compute):
    """Remember a scope on the request's user object: a page asks several times, and the
    register does not change within a request."""
    memo = user.__dict__.setdefault("_prevention_scope", {})
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def roles_for(user: access.User, action: Action) -> set[str]:
    return _memo(user, "roles", lambda: access.roles_of(user)) & GRANTS[action]


def can(user: access.User, action: Action) -> bool:
    return bool(roles_for(user, action))


def _own_units(user: access.User, day: datetime.date) -> set[int]:
    return set(
        Employment.objects.filter(access.active_on(day), employee__user=user).values_list(
            "unit_id", flat=True
        )
    )


def units_for(user: access.User, action: Action, on: datetime.date | None = None) -> set[int]:
    """The ids of the units whose prevention work the user may use for ``action``."""
    if on is None:
        return _memo(
            user, f"units:{action}", lambda: _units_for(user, action, datetime.date.today())
        )
    return _units_for(user, action, on)


def _units_for(user: access.User, action: Action, day: datetime.date) -> set[int]:
    roles = roles_for(user, action)
    if not roles:
        return set()
    found: set[int] = set()
    if Role.EMPLOYEE in roles:
        found |= _own_units(user, day)
    if Role.NEAREST_LEADER in roles:
        found |= set(
            Employment.objects.filter(access.active_on(day), nearest_leader__user=user).values_list(
                "unit_id", flat=True
            )
        )
    organisations: set[int] = set()
    for assignment in access.active_assignments(user, day):
        if assignment.role not in roles:
            continue
        if assignment.unit is not None:
            found |= access.subtree_unit_ids(assignment.unit)
        else:
            organisations.add(assignment.organisation_id)
    if organisations:
        found |= set(
            Unit.objects.filter(organisation_id__in=organisations).values_list("pk", flat=True)
        )
    return found


def organisations_for(user: access.User, action: Action) -> set[int]:
    """The organisations in which the user holds a role that may use ``action``."""

    def compute() -> set[int]:
        roles = roles_for(user, action)
        found = {a.organisation_id for a in access.active_assignments(user) if a.role in roles}
        if roles & {Role.EMPLOYEE, Role.NEAREST_LEADER}:
            found |= set(
                Employment.objects.filter(employee__user=user).values_list(
                    "organisation_id", flat=True
                )
            )
        return found

    return _memo(user, f"organisations:{action}", compute)


def led_units(user: access.User, on: datetime.date | None = None) -> set[int]:
    """Units the user leads (nearest leader of people there, or unit leader of its subtree):
    the free-text rule asks whether a leader of a small unit is looking."""
    day = on or datetime.date.today()
    found = set(
        Employment.objects.filter(access.active_on(day), nearest_leader__user=user).values_list(
            "unit_id", flat=True
        )
    )
    for assignment in access.active_assignments(user, day):
        if assignment.role == Role.UNIT_LEADER and assignment.unit is not None:
            found.add(assignment.unit.pk)
    return found


def unit_filter(user: access.User, action: Action, path: str = "unit_id") -> Q:
    return Q(**{f"{path}__in": units_for(user, action)})
