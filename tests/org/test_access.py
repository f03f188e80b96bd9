"""Each role sees and does exactly its scope (DOMAIN.md §1–2), through the one access layer."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext

from naervaer.org import access, selectors, services
from naervaer.org.access import Action
from naervaer.org.models import Employee, Employment, Organisation, Role, RoleAssignment, Unit
from naervaer.org.restricted import Subject

pytestmark = pytest.mark.django_db


def visible(tree, username: str, action: Action = Action.VIEW_PERSON) -> set[str]:
    by_id = {e.pk: name for name, e in tree["employments"].items()}
    rows = Employment.objects.restrict(tree["users"][username], action)
    return {by_id[e.pk] for e in rows}


EVERYONE = {"lena", "ola", "kari", "per", "siri"}


@pytest.mark.parametrize(
    ("username", "expected"),
    [
        ("ola", {"ola"}),  # employee: only themselves
        ("lena", {"lena", "ola", "kari"}),  # nearest leader: own + direct reports
        ("sector_boss", {"lena", "ola", "kari", "per"}),  # unit leader: health subtree, not school
        ("hr", EVERYONE),  # HR: whole organisation
        ("nav", set()),  # NAV: the NAV side only, no employer-side lists
        ("bht", set()),  # occupational health: referred cases only, no lists
        ("verneombud", set()),
        ("tillitsvalgt", set()),
        ("analytiker", set()),  # aggregates only
        ("sysadmin", set()),  # no case content by default
    ],
)
def test_people_each_role_may_see(org_tree, username, expected):
    assert visible(org_tree, username) == expected


@pytest.mark.parametrize(
    ("username", "expected"),
    [
        ("lena", {"ola", "kari"}),  # not her own employment
        ("sector_boss", {"lena", "ola", "kari", "per"}),
        ("hr", EVERYONE),
        ("ola", set()),
        ("nav", set()),
        ("bht", set()),
        ("sysadmin", set()),
    ],
)
def test_who_may_register_absence_for_whom(org_tree, username, expected):
    assert visible(org_tree, username, Action.REGISTER_ABSENCE) == expected


def test_nav_side_reaches_the_organisation_for_nav_only(org_tree):
    assert visible(org_tree, "nav", Action.NAV_SIDE) == EVERYONE
    for username in ("hr", "bht", "lena", "ola", "sysadmin"):
        assert visible(org_tree, username, Action.NAV_SIDE) == set(), username


def test_employees_follow_the_same_rules(org_tree):
    names = {e.first_name for e in selectors.employee_list(org_tree["users"]["lena"])}
    assert names == {"Lena", "Ola", "Kari"}
    assert selectors.employee_list(org_tree["users"]["hr"]).count() == 5
    for username in ("analytiker", "bht", "nav", "sysadmin"):
        assert not selectors.employee_list(org_tree["users"][username]).exists(), username


def test_roles_derived_from_register_and_assignments(org_tree):
    users = org_tree["users"]
    assert access.actor_for(users["lena"]).roles == {Role.EMPLOYEE, Role.NEAREST_LEADER}
    assert access.actor_for(users["ola"]).roles == {Role.EMPLOYEE}
    assert access.actor_for(users["nav"]).roles == {Role.NAV}
    assert access.actor_for(AnonymousUser()).roles == frozenset()
    assert access.actor_for(users["lena"]).name == "Lena Test"


EMPLOYEE_PREVENTION = {Action.SURVEY_RESULTS, Action.REPORT_DEVIATION}
LEADER_PREVENTION = {
    *EMPLOYEE_PREVENTION,
    Action.VIEW_HSE,
    Action.EDIT_HSE_PLAN,
    Action.FOLLOW_DEVIATION,
    Action.CONVERSATIONS,
}


@pytest.mark.parametrize(
    ("username", "actions"),
    [
        (
            "ola",
            {
                Action.VIEW_CASE,
                Action.VIEW_PERSON,
                Action.APPROVE_PLAN,
                Action.OWN_ACCESS_LOG,
                Action.OWN_DATA,
                *EMPLOYEE_PREVENTION,
            },
        ),
        (
            "lena",
            {
                Action.VIEW_CASE,
                Action.WORK_CASE,
                Action.RECORD_MEETING,
                Action.APPROVE_PLAN,
                Action.VIEW_PERSON,
                Action.REGISTER_ABSENCE,
                Action.VIEW_STATISTICS,
                Action.PLACEMENTS,
                Action.OWN_ACCESS_LOG,
                Action.OWN_DATA,
                *LEADER_PREVENTION,
            },
        ),
        (
            "sector_boss",
            {
                Action.VIEW_CASE,
                Action.VIEW_PERSON,
                Action.REGISTER_ABSENCE,
                Action.VIEW_STATISTICS,
                Action.SET_TARGETS,
                Action.PLACEMENTS,
                *LEADER_PREVENTION,
            },
        ),
        ("bht", {Action.VIEW_CASE, Action.RECORD_MEETING, Action.VIEW_STATISTICS}),
        ("nav", {Action.NAV_SIDE, Action.VIEW_STATISTICS}),
        (
            "verneombud",
            {
                Action.VIEW_STATISTICS,
                Action.SURVEY_RESULTS,
                Action.VIEW_HSE,
                Action.COMMENT_HSE_PLAN,
                Action.REPORT_DEVIATION,
                Action.FOLLOW_DEVIATION,
                Action.AMU,
            },
        ),
        (
            "analytiker",
            {
                Action.VIEW_STATISTICS,
                Action.OVERVIEW,
                Action.SURVEY_RESULTS,
                Action.WORK_ENVIRONMENT_ANALYSIS,
            },
        ),
        ("sysadmin", {Action.VIEW_STATISTICS, Action.ADMINISTER, Action.UNLOCK_LOGINS}),
    ],
)
def test_what_each_role_may_do(org_tree, username, actions):
    actor = access.actor_for(org_tree["users"][username])
    assert {action for action in Action if actor.can(action)} == actions


def test_hr_may_do_everything_on_the_employer_side_and_nothing_on_nav_side(org_tree):
    actor = access.actor_for(org_tree["users"]["hr"])
    refused = {a for a in Action if not actor.can(a)}
    assert refused == {
        Action.NAV_SIDE,
        Action.OWN_ACCESS_LOG,
        Action.OWN_DATA,
        Action.ADMINISTER,
        Action.COMMENT_HSE_PLAN,  # the safety rep's and union rep's voice, not HR's
    }


def test_leader_loses_reports_when_employment_ends(org_tree):
    ola_emp = org_tree["employments"]["ola"]
    ola_emp.end_date = datetime.date(2021, 6, 30)
    ola_emp.save()
    assert visible(org_tree, "lena") == {"lena", "kari"}


def test_expired_assignment_grants_nothing(org_tree):
    assignment = org_tree["users"]["hr"].role_assignments.get()
    assignment.valid_to = datetime.date(2021, 1, 1)
    assignment.save()
    assert visible(org_tree, "hr") == set()
    assert access.actor_for(org_tree["users"]["hr"], datetime.date(2020, 6, 1)).can(Action.COSTS)


def test_unit_scoped_hr_sees_its_subtree_only(org_tree):
    user = org_tree["users"]["hr"]
    assignment = user.role_assignments.get()
    assignment.unit = org_tree["units"]["home"]
    assignment.save()
    assert visible(org_tree, "hr") == {"lena", "ola", "kari"}
    assert access.holds(user, Action.SET_TARGETS, org_tree["units"]["site"]) == {Role.HR}
    assert access.holds(user, Action.SET_TARGETS, org_tree["units"]["school"]) == frozenset()


def test_anonymous_sees_nothing(org_tree):
    assert not Employment.objects.restrict(AnonymousUser(), Action.VIEW_PERSON).exists()
    assert not access.actor_for(AnonymousUser()).can(Action.VIEW_STATISTICS)


def test_statistics_units_for_aggregate_roles(org_tree):
    units = org_tree["units"]

    def stats(username):
        return set(selectors.statistics_units(org_tree["users"][username]))

    assert stats("verneombud") == set(units.values())
    assert stats("sector_boss") == {units[k] for k in ("health", "home", "site", "homecare")}
    assert stats("lena") == {units["site"]}
    assert stats("ola") == set()


def test_placement_units_are_leaders_own_units_and_hr(org_tree):
    units = org_tree["units"]

    def placement_units(username):
        return set(Unit.objects.restrict(org_tree["users"][username], Action.PLACEMENTS))

    assert placement_units("lena") == {units["site"]}
    assert placement_units("hr") == set(units.values())
    for username in ("ola", "bht", "nav", "verneombud", "sysadmin"):
        assert placement_units(username) == set(), username


def test_organisation_pages(org_tree):
    org = org_tree["org"]
    for username, action, sees in [
        ("hr", Action.OVERVIEW, True),
        ("analytiker", Action.OVERVIEW, True),
        ("analytiker", Action.COSTS, False),
        ("sector_boss", Action.OVERVIEW, False),
        ("hr", Action.ATTENTION, True),
        ("lena", Action.ATTENTION, False),
    ]:
        found = Organisation.objects.restrict(org_tree["users"][username], action)
        assert list(found) == ([org] if sees else []), (username, action)


def test_holds_names_the_roles_that_grant(org_tree):
    users, employments = org_tree["users"], org_tree["employments"]
    assert access.holds(users["lena"], Action.VIEW_PERSON, employments["ola"]) == {
        Role.NEAREST_LEADER
    }
    assert access.holds(users["lena"], Action.VIEW_PERSON, employments["lena"]) == {Role.EMPLOYEE}
    assert access.holds(users["lena"], Action.VIEW_PERSON, employments["siri"]) == frozenset()
    assert access.holds(users["ola"], Action.ADMINISTER, org_tree["org"]) == frozenset()


def test_actor_costs_at_most_four_queries(org_tree):
    assignment = org_tree["users"]["hr"].role_assignments.get()
    assignment.unit = org_tree["units"]["health"]
    assignment.save()
    for username in ("hr", "lena", "verneombud"):
        with CaptureQueriesContext(connection) as queries:
            access.actor_for(org_tree["users"][username])
        assert len(queries) <= 4, (username, [q["sql"] for q in queries])


def test_request_actor_is_computed_once_and_reused(org_tree, rf):
    user = org_tree["users"]["lena"]
    request = rf.get("/")
    request.user = user
    seen = []

    def view(req):
        with CaptureQueriesContext(connection) as queries:
            first = access.as_actor(user)
            again = access.as_actor(user)
        seen.append((req.actor.roles, first is again, len(queries)))

    access.ActorMiddleware(view)(request)
    roles, same, _count = seen[0]
    assert roles == {Role.EMPLOYEE, Role.NEAREST_LEADER} and same
    # another user inside the same request gets their own actor
    access.ActorMiddleware(lambda req: seen.append(access.as_actor(org_tree["users"]["hr"])))(
        request
    )
    assert seen[-1].roles == {Role.HR}


def test_covering_users_are_those_assigned_above_the_unit(org_tree):
    users, units = org_tree["users"], org_tree["units"]
    services.role_assign(
        user=users["per"],
        role=Role.HR,
        organisation=org_tree["org"],
        unit=units["school"],
        valid_from=datetime.date(2020, 1, 1),
    )
    site = units["site"]
    covering = access.covering_users(Role.HR, site.organisation_id, site.pk)
    assert {u.username for u in covering} == {"hr"}
    school = units["school"]
    covering = access.covering_users(Role.HR, school.organisation_id, school.pk)
    assert {u.username for u in covering} == {"hr", "per"}


def test_a_model_without_a_subject_cannot_be_restricted(org_tree):
    with pytest.raises(TypeError, match="declares no access_subject"):
        access.restrict(RoleAssignment.objects.all(), org_tree["users"]["hr"], Action.VIEW_PERSON)
    with pytest.raises(ValueError, match="exactly one"):
        Subject(employment="employment", unit="unit")


def test_restrict_is_the_managers_method(org_tree):
    by_manager = Employee.objects.restrict(org_tree["users"]["lena"], Action.VIEW_PERSON)
    by_function = access.restrict(
        Employee.objects.all(), org_tree["users"]["lena"], Action.VIEW_PERSON
    )
    assert set(by_manager) == set(by_function) and by_manager.exists()
