"""Who may see and do what — decided here and nowhere else (DOMAIN.md §2, ARCHITECTURE.md §2).

The API every view, menu entry, selector, export, reminder and command uses (keep it small):

``actor_for(user, on=None) -> Actor``
    The user's roles and scopes, computed once: assigned roles with the unit ids (subtrees) or
    organisations they cover, plus the roles that follow from the register (employee: the user is
    an employee; nearest leader: the user leads current direct reports). ``ActorMiddleware`` puts
    it on every request as ``request.actor``; commands call ``actor_for`` themselves.
``as_actor(user_or_actor, on=None) -> Actor``
    The same, reusing the current request's actor instead of computing it again.
``actor.can(action) -> bool``
    Whether the actor holds a role that may use the action at all (menus, buttons, page guards).
``restrict(queryset, actor, action)`` / ``Model.objects.restrict(actor, action)``
    The rows of the queryset the actor may use for the action (NetBox's ``RestrictedQuerySet``).
    The model says how its rows reach an employment, employee, unit or organisation with an
    ``access_subject`` (``naervaer.org.restricted.Subject``).
``holds(actor, action, obj) -> frozenset[str]``
    The roles under which the actor may use the action on one object (empty: not at all);
    ``permissions(actor, obj, *actions)`` answers for several actions in one query.
``covering_users(role, organisation_id, unit_id, on=None) -> list[User]``
    Who holds an assigned role over a unit (reminders: whom to tell).

What each role may do is one table, ``GRANTS``: action → role → how far it reaches (``Reach``),
optionally with a condition on the object (``Grant.where``). A rule that limits a role further —
say, how long a leader keeps seeing a closed case (retention) — is a condition on that grant.

Scopes: employee — their own; nearest leader — current direct reports and their units; unit
leader — the assigned unit's subtree; HR, occupational health, NAV and the aggregate roles — the
organisation, or the assigned unit's subtree when the assignment names a unit. Occupational health
sees only cases referred to it and NAV only the NAV side; neither sees employee lists or writes on
the employer side. Safety and union reps and analysts see no individuals; the administrator
manages the register and users but sees no absence content. Only NAV sees diagnoses.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from enum import Enum, StrEnum
from typing import Any, TypeVar

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Count, Model, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.functional import SimpleLazyObject

from naervaer.org.models import (
    Employee,
    Employment,
    RetentionRules,
    Role,
    RoleAssignment,
    Unit,
)
from naervaer.org.restricted import Subject, lookup
from naervaer.rules.cases import CASE_GAP_DAYS
from naervaer.rules.values import add_months

User = AbstractBaseUser | AnonymousUser
M = TypeVar("M", bound=Model)


class Action(StrEnum):
    VIEW_CASE = "view_case"  # employer side of a follow-up case and its documents
    WORK_CASE = "work_case"  # run the follow-up: milestones, plan, placements, closing, committee
    RECORD_MEETING = "record_meeting"  # write a meeting or talk into a case
    APPROVE_PLAN = "approve_plan"
    DECIDE_COMMITTEE = "decide_committee"  # the reintegration committee's decision
    REOPEN_CASE = "reopen_case"
    CHOOSE_ROUTINE = "choose_routine"
    VIEW_PERSON = "view_person"  # employee lists and the employer's copy of absence records
    REGISTER_ABSENCE = "register_absence"  # employer-side absence writes (sick notes…)
    NAV_SIDE = "nav_side"  # NAV's follow-up, the only place with a diagnosis
    VIEW_STATISTICS = "view_statistics"  # aggregated, masked figures of units
    SET_TARGETS = "set_targets"
    PLACEMENTS = "placements"  # the placement bank
    OVERVIEW = "overview"  # organisation overview, references, evaluation
    COSTS = "costs"
    ATTENTION = "attention"  # the attention list names individuals
    SEARCH_ACCESS_LOG = "search_access_log"
    OWN_ACCESS_LOG = "own_access_log"  # "who has seen my case"
    RETENTION = "retention"  # what the retention rules made due (names people)
    OWN_DATA = "own_data"  # the employee's download of everything held about them
    ADMINISTER = "administer"  # the admin site: register and users
    UNLOCK_LOGINS = "unlock_logins"  # lift a lockout after failed logins (naervaer.account)
    # Prevention (work environment and HSE): aggregated work of units, never individuals' answers.
    SURVEY_RESULTS = "survey_results"  # survey results of units (suppressed under the minimum)
    MANAGE_SURVEYS = "manage_surveys"  # rounds, questionnaires, imports of other surveys
    VIEW_HSE = "view_hse"  # action plans, staff meetings, deviations, safety rounds of units
    EDIT_HSE_PLAN = "edit_hse_plan"  # goals, measures, staff meetings, safety rounds
    COMMENT_HSE_PLAN = "comment_hse_plan"  # the safety rep's (and union rep's) comment
    REPORT_DEVIATION = "report_deviation"
    FOLLOW_DEVIATION = "follow_deviation"  # follow up and close
    CONVERSATIONS = "conversations"  # employee conversations (per person: the leader and HR)
    AMU = "amu"  # the working-environment committee
    WORK_ENVIRONMENT_ANALYSIS = "work_environment_analysis"  # factor scores against absence


class Reach(Enum):
    OWN = "own"  # the actor's own employee record and employments (for units: where they work)
    REPORTS = "reports"  # current direct reports (for units: the units they work in)
    SCOPE = "scope"  # the role assignment's unit subtree or whole organisation


@dataclass(frozen=True)
class Grant:
    reach: Reach
    where: Callable[[Actor, Subject], Q] | None = None


def _referred(_actor: Actor, subject: Subject) -> Q:
    """Occupational health works only on cases referred to it."""
    if subject.referred is None:
        return Q(pk__in=[])
    return Q(**{f"{subject.referred}__isnull": False})


def _recently_closed(actor: Actor, subject: Subject) -> Q:
    """A nearest leader keeps seeing a case only for the organisation's set time after it ended
    (``RetentionRules.leader_months``): closed by people, or ended by the rules 16 days after the
    last sick day. Open cases are always seen."""
    if subject.closed_on is None or subject.last_day is None or subject.employment is None:
        return Q()
    gap = datetime.timedelta(days=CASE_GAP_DAYS)
    q = NOTHING
    months = RetentionRules.leader_months_by_organisation(actor.report_employment_ids)
    for organisation_id, kept in months.items():
        since = add_months(actor.day, -kept)
        q |= Q(**{lookup(subject.employment, "organisation_id"): organisation_id}) & (
            Q(**{f"{subject.closed_on}__gte": since})
            | Q(**{f"{subject.closed_on}__isnull": True, f"{subject.last_day}__gte": since - gap})
        )
    return q


OWN, REPORTS, SCOPE = Grant(Reach.OWN), Grant(Reach.REPORTS), Grant(Reach.SCOPE)
REFERRED = Grant(Reach.SCOPE, _referred)
LEADER = Grant(Reach.REPORTS, _recently_closed)  # the nearest leader on a case
R = Role
AGGREGATE_ROLES = (
    R.UNIT_LEADER,
    R.HR,
    R.OCCUPATIONAL_HEALTH,
    R.NAV,
    R.SAFETY_REP,
    R.UNION_REP,
    R.ANALYST,
    R.ADMIN,
)

GRANTS: dict[Action, dict[str, Grant]] = {
    Action.VIEW_CASE: {
        R.EMPLOYEE: OWN,
        R.NEAREST_LEADER: LEADER,
        R.UNIT_LEADER: SCOPE,
        R.HR: SCOPE,
        R.OCCUPATIONAL_HEALTH: REFERRED,
    },
    Action.WORK_CASE: {R.NEAREST_LEADER: LEADER, R.HR: SCOPE},
    Action.RECORD_MEETING: {
        R.NEAREST_LEADER: LEADER,
        R.HR: SCOPE,
        R.OCCUPATIONAL_HEALTH: REFERRED,
    },
    Action.APPROVE_PLAN: {R.EMPLOYEE: OWN, R.NEAREST_LEADER: LEADER, R.HR: SCOPE},
    Action.DECIDE_COMMITTEE: {R.HR: SCOPE},
    Action.REOPEN_CASE: {R.HR: SCOPE},
    Action.CHOOSE_ROUTINE: {R.HR: SCOPE},
    Action.VIEW_PERSON: {
        R.EMPLOYEE: OWN,
        R.NEAREST_LEADER: REPORTS,
        R.UNIT_LEADER: SCOPE,
        R.HR: SCOPE,
    },
    Action.REGISTER_ABSENCE: {R.NEAREST_LEADER: REPORTS, R.UNIT_LEADER: SCOPE, R.HR: SCOPE},
    Action.NAV_SIDE: {R.NAV: SCOPE},
    Action.VIEW_STATISTICS: {
        R.NEAREST_LEADER: REPORTS,
        **dict.fromkeys(AGGREGATE_ROLES, SCOPE),
    },
    Action.SET_TARGETS: {R.UNIT_LEADER: SCOPE, R.HR: SCOPE},
    Action.PLACEMENTS: {R.NEAREST_LEADER: REPORTS, R.UNIT_LEADER: SCOPE, R.HR: SCOPE},
    Action.OVERVIEW: {R.HR: SCOPE, R.ANALYST: SCOPE},
    Action.COSTS: {R.HR: SCOPE},
    Action.ATTENTION: {R.HR: SCOPE},
    Action.SEARCH_ACCESS_LOG: {R.HR: SCOPE},
    Action.OWN_ACCESS_LOG: {R.EMPLOYEE: OWN},
    Action.RETENTION: {R.HR: SCOPE},
    Action.OWN_DATA: {R.EMPLOYEE: OWN},
    Action.ADMINISTER: {R.ADMIN: SCOPE},
    Action.UNLOCK_LOGINS: {R.HR: SCOPE, R.ADMIN: SCOPE},
    # Prevention (issue #16 item 10): employees answer and see their own unit's results; leaders
    # their units; safety reps, union reps (the AMU's members) the aggregates of their area; HR all.
    Action.SURVEY_RESULTS: {
        R.EMPLOYEE: OWN,
        R.NEAREST_LEADER: REPORTS,
        **dict.fromkeys((R.UNIT_LEADER, R.HR, R.SAFETY_REP, R.UNION_REP, R.ANALYST), SCOPE),
    },
    Action.MANAGE_SURVEYS: {R.HR: SCOPE},
    Action.VIEW_HSE: {
        R.NEAREST_LEADER: REPORTS,
        **dict.fromkeys((R.UNIT_LEADER, R.HR, R.SAFETY_REP, R.UNION_REP), SCOPE),
    },
    Action.EDIT_HSE_PLAN: {R.NEAREST_LEADER: REPORTS, R.UNIT_LEADER: SCOPE, R.HR: SCOPE},
    Action.COMMENT_HSE_PLAN: {R.SAFETY_REP: SCOPE, R.UNION_REP: SCOPE},
    Action.REPORT_DEVIATION: {
        R.EMPLOYEE: OWN,
        R.NEAREST_LEADER: REPORTS,
        **dict.fromkeys((R.UNIT_LEADER, R.HR, R.SAFETY_REP, R.UNION_REP), SCOPE),
    },
    Action.FOLLOW_DEVIATION: {
        R.NEAREST_LEADER: REPORTS,
        **dict.fromkeys((R.UNIT_LEADER, R.HR, R.SAFETY_REP), SCOPE),
    },
    Action.CONVERSATIONS: {R.NEAREST_LEADER: REPORTS, R.UNIT_LEADER: SCOPE, R.HR: SCOPE},
    Action.AMU: {R.HR: SCOPE, R.SAFETY_REP: SCOPE, R.UNION_REP: SCOPE},
    Action.WORK_ENVIRONMENT_ANALYSIS: {R.HR: SCOPE, R.ANALYST: SCOPE},
}


@dataclass(frozen=True)
class Actor:
    """A user's roles and scopes on one day. Build it with ``actor_for``; never by hand in app code."""

    user: Any
    day: datetime.date
    roles: frozenset[str] = frozenset()
    employee_id: int | None = None
    name: str = ""  # full name, for the access log
    report_employment_ids: frozenset[int] = frozenset()
    report_employee_ids: frozenset[int] = frozenset()
    led_unit_ids: frozenset[int] = frozenset()
    own_unit_ids: frozenset[int] = frozenset()  # units of the actor's own current employments
    # role → unit ids (subtrees) of unit-scoped assignments / organisations of whole-organisation ones
    units: Mapping[str, frozenset[int]] = field(default_factory=dict)
    organisations: Mapping[str, frozenset[int]] = field(default_factory=dict)
    # role → every organisation in which the role is assigned (organisation-level pages)
    assigned_organisations: Mapping[str, frozenset[int]] = field(default_factory=dict)

    @property
    def is_authenticated(self) -> bool:
        return bool(self.user is not None and self.user.is_authenticated)

    def has(self, *roles: str) -> bool:
        return any(role in self.roles for role in roles)

    def can(self, action: Action) -> bool:
        return any(role in self.roles for role in GRANTS[action])

    def roles_for(self, action: Action) -> frozenset[str]:
        return frozenset(role for role in GRANTS[action] if role in self.roles)


ActorLike = Actor | AbstractBaseUser | AnonymousUser


def active_on(day: datetime.date, prefix: str = "") -> Q:
    """Employments (or anything with start_date/end_date) in force on ``day``."""
    return Q(**{f"{prefix}start_date__lte": day}) & (
        Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gte": day})
    )


def _assignments_on(day: datetime.date) -> Q:
    return Q(valid_from__lte=day) & (Q(valid_to__isnull=True) | Q(valid_to__gte=day))


class UnitTree:
    """The unit trees of some organisations, loaded in one query and walked in memory."""

    def __init__(self, organisation_ids: Iterable[int]) -> None:
        self.children: dict[int | None, list[int]] = {}
        self.parent: dict[int, int | None] = {}
        rows = Unit.objects.filter(organisation_id__in=set(organisation_ids)).values_list(
            "id", "parent_id"
        )
        for unit_id, parent_id in rows:
            self.children.setdefault(parent_id, []).append(unit_id)
            self.parent[unit_id] = parent_id

    def subtree(self, unit_id: int) -> set[int]:
        found, stack = set(), [unit_id]
        while stack:
            current = stack.pop()
            if current not in found:
                found.add(current)
                stack.extend(self.children.get(current, []))
        return found

    def ancestors(self, unit_id: int) -> list[int]:
        """The unit and every unit above it, nearest first."""
        found: list[int] = []
        current: int | None = unit_id
        while current is not None and current not in found:
            found.append(current)
            current = self.parent.get(current)
        return found


def subtree_unit_ids(unit: Unit) -> set[int]:
    """The unit and every unit below it."""
    return UnitTree([unit.organisation_id]).subtree(unit.pk)


def actor_for(user: User | None, on: datetime.date | None = None) -> Actor:
    """Compute the actor: at most five queries (assignments, employee, reports, own units, tree)."""
    day = on or datetime.date.today()
    if user is None or not user.is_authenticated:
        return Actor(user=user, day=day)
    assignments = list(
        RoleAssignment.objects.filter(_assignments_on(day), user=user).values_list(
            "role", "organisation_id", "unit_id"
        )
    )
    roles = {role for role, _org, _unit in assignments}
    if user.is_superuser:
        roles.add(Role.ADMIN)
    employee = Employee.objects.filter(user=user).values_list("pk", "first_name", "last_name")
    employee_id, name = None, user.get_full_name()
    reports: list[tuple[int, int, int]] = []
    own_units: frozenset[int] = frozenset()
    for pk, first_name, last_name in employee[:1]:
        employee_id, name = pk, f"{first_name} {last_name}"
        roles.add(Role.EMPLOYEE)
        reports = list(
            Employment.objects.filter(active_on(day), nearest_leader_id=pk).values_list(
                "pk", "employee_id", "unit_id"
            )
        )
        own_units = frozenset(
            Employment.objects.filter(active_on(day), employee_id=pk).values_list(
                "unit_id", flat=True
            )
        )
    if reports:
        roles.add(Role.NEAREST_LEADER)
    scoped = [(role, org, unit) for role, org, unit in assignments if unit is not None]
    tree = UnitTree({org for _role, org, _unit in scoped}) if scoped else None
    units: dict[str, set[int]] = {}
    organisations: dict[str, set[int]] = {}
    assigned: dict[str, set[int]] = {}
    for role, organisation_id, unit_id in assignments:
        assigned.setdefault(role, set()).add(organisation_id)
        if unit_id is None:
            organisations.setdefault(role, set()).add(organisation_id)
        elif tree is not None:
            units.setdefault(role, set()).update(tree.subtree(unit_id))
    return Actor(
        user=user,
        day=day,
        roles=frozenset(roles),
        employee_id=employee_id,
        name=name,
        report_employment_ids=frozenset(r[0] for r in reports),
        report_employee_ids=frozenset(r[1] for r in reports),
        led_unit_ids=frozenset(r[2] for r in reports),
        own_unit_ids=own_units,
        units={role: frozenset(ids) for role, ids in units.items()},
        organisations={role: frozenset(ids) for role, ids in organisations.items()},
        assigned_organisations={role: frozenset(ids) for role, ids in assigned.items()},
    )


_request_actor: ContextVar[Callable[[], Actor] | None] = ContextVar(
    "naervaer_request_actor", default=None
)
_batch_actors: ContextVar[dict[tuple[int, datetime.date], Actor] | None] = ContextVar(
    "naervaer_batch_actors", default=None
)


@contextmanager
def actors_reused() -> Iterator[None]:
    """For a batch job that acts as many users in turn (the demo load): each user's actor is
    computed once per day instead of once per call. Only for jobs that change no roles,
    reports or units while it is in effect."""
    token = _batch_actors.set({})
    try:
        yield
    finally:
        _batch_actors.reset(token)


def as_actor(who: ActorLike | None, on: datetime.date | None = None) -> Actor:
    """``who`` as an Actor: itself, the current request's actor when it is the request's user, or new."""
    if isinstance(who, Actor) and (on is None or on == who.day):
        return who
    user = who.user if isinstance(who, Actor) else who
    current = _request_actor.get()
    if current is not None and user is not None:
        actor = current()
        if actor.user is not None and actor.user.pk == user.pk and (on is None or on == actor.day):
            return actor
    batch = _batch_actors.get()
    if batch is not None and user is not None and user.pk is not None:
        key = (user.pk, on or datetime.date.today())
        if key not in batch:
            batch[key] = actor_for(user, on)
        return batch[key]
    return actor_for(user, on)


class ActorMiddleware:
    """Attaches ``request.actor`` (computed on first use, once per request)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        cache: list[Actor] = []

        def current() -> Actor:
            if not cache:
                cache.append(actor_for(getattr(request, "user", None)))
            return cache[0]

        request.actor = SimpleLazyObject(current)  # type: ignore[attr-defined]
        token = _request_actor.set(current)
        try:
            return self.get_response(request)
        finally:
            _request_actor.reset(token)


NOTHING = Q(pk__in=[])


def _employment_scope(actor: Actor, role: str, path: str) -> Q:
    q = NOTHING
    if actor.units.get(role):
        q |= Q(**{lookup(path, "unit_id__in"): actor.units[role]})
    if actor.organisations.get(role):
        q |= Q(**{lookup(path, "organisation_id__in"): actor.organisations[role]})
    return q


def _reach_q(actor: Actor, role: str, reach: Reach, subject: Subject) -> Q:
    if subject.employment is not None:
        path = subject.employment
        if reach is Reach.OWN:
            if actor.employee_id is None:
                return NOTHING
            return Q(**{lookup(path, "employee_id"): actor.employee_id})
        if reach is Reach.REPORTS:
            return Q(**{lookup(path, "pk__in"): actor.report_employment_ids})
        return _employment_scope(actor, role, path)
    if subject.employee is not None:
        path = subject.employee or "pk"
        if reach is Reach.OWN:
            return NOTHING if actor.employee_id is None else Q(**{path: actor.employee_id})
        if reach is Reach.REPORTS:
            return Q(**{f"{path}__in": actor.report_employee_ids})
        employments = Employment.objects.filter(_employment_scope(actor, role, ""))
        return Q(**{f"{path}__in": employments.values("employee_id")})
    if subject.unit is not None:
        if reach is Reach.OWN:
            return Q(**{lookup(subject.unit, "pk__in"): actor.own_unit_ids})
        if reach is Reach.REPORTS:
            return Q(**{lookup(subject.unit, "pk__in"): actor.led_unit_ids})
        q = NOTHING
        if actor.units.get(role):
            q |= Q(**{lookup(subject.unit, "pk__in"): actor.units[role]})
        if actor.organisations.get(role):
            q |= Q(**{lookup(subject.unit, "organisation_id__in"): actor.organisations[role]})
        return q
    path = subject.organisation or ""
    if reach is not Reach.SCOPE:
        return NOTHING
    return Q(**{lookup(path, "pk__in"): actor.assigned_organisations.get(role, frozenset())})


def _role_filters(actor: Actor, action: Action, subject: Subject) -> dict[str, Q]:
    filters = {}
    for role, grant in GRANTS[action].items():
        if role not in actor.roles:
            continue
        q = _reach_q(actor, role, grant.reach, subject)
        if grant.where is not None:
            q &= grant.where(actor, subject)
        filters[role] = q
    return filters


def _subject_of(model: type[Model]) -> Subject:
    subject = getattr(model, "access_subject", None)
    if not isinstance(subject, Subject):
        raise TypeError(f"{model.__name__} declares no access_subject; access cannot restrict it")
    return subject


def restrict(queryset: QuerySet[M], who: ActorLike, action: Action) -> QuerySet[M]:
    """The rows of ``queryset`` that the actor may use for ``action``."""
    actor = as_actor(who)
    filters = _role_filters(actor, action, _subject_of(queryset.model))
    if not filters:
        return queryset.none()
    combined = NOTHING
    for q in filters.values():
        combined |= q
    return queryset.filter(combined)


def holds(who: ActorLike, action: Action, obj: Model) -> frozenset[str]:
    """The roles under which the actor may use ``action`` on ``obj`` (one query; empty: none)."""
    return permissions(who, obj, action)[action]


def permissions(who: ActorLike, obj: Model, *actions: Action) -> dict[Action, frozenset[str]]:
    """``holds`` for several actions on one object, in one query (a page's buttons)."""
    actor = as_actor(who)
    subject = _subject_of(type(obj))
    counts: dict[str, Count] = {}
    for action in actions:
        for role, q in _role_filters(actor, action, subject).items():
            counts[f"{action}__{role}"] = Count("pk", filter=q)
    found = type(obj)._default_manager.filter(pk=obj.pk).aggregate(**counts) if counts else {}
    return {
        action: frozenset(role for role in GRANTS[action] if found.get(f"{action}__{role}"))
        for action in actions
    }


def covering_users(
    role: str,
    organisation_id: int,
    unit_id: int,
    on: datetime.date | None = None,
    tree: UnitTree | None = None,
) -> list[Any]:
    """Users assigned ``role`` over the unit: for the whole organisation or a unit above it.

    Pass a ``tree`` of the organisation when asking for many units, so it is loaded once."""
    day = on or datetime.date.today()
    above = (tree or UnitTree([organisation_id])).ancestors(unit_id)
    assignments = (
        RoleAssignment.objects.filter(
            _assignments_on(day), role=role, organisation_id=organisation_id
        )
        .filter(Q(unit__isnull=True) | Q(unit_id__in=above))
        .select_related("user")
    )
    return list({a.user_id: a.user for a in assignments}.values())
