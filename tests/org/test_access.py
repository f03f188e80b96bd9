"""Each role sees exactly its scope (DOMAIN.md §1–2)."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser

from naervaer.org import access
from naervaer.org.models import Role

pytestmark = pytest.mark.django_db


def visible(tree, username: str) -> set[str]:
    user = tree["users"][username]
    by_id = {e.pk: name for name, e in tree["employments"].items()}
    return {by_id[e.pk] for e in access.employments_visible_to(user)}


@pytest.mark.parametrize(
    ("username", "expected"),
    [
        ("ola", {"ola"}),  # employee: only themselves
        ("lena", {"lena", "ola", "kari"}),  # nearest leader: own + direct reports
        ("sector_boss", {"lena", "ola", "kari", "per"}),  # unit leader: health subtree, not school
        ("hr", {"lena", "ola", "kari", "per", "siri"}),  # HR: whole organisation
        ("nav", {"lena", "ola", "kari", "per", "siri"}),
        ("bht", {"lena", "ola", "kari", "per", "siri"}),
        ("verneombud", set()),
        ("tillitsvalgt", set()),
        ("analytiker", set()),  # aggregates only
        ("sysadmin", set()),  # no case content by default
    ],
)
def test_employment_scope_per_role(org_tree, username, expected):
    assert visible(org_tree, username) == expected


def test_employees_visible_follow_employments(org_tree):
    names = {e.first_name for e in access.employees_visible_to(org_tree["users"]["lena"])}
    assert names == {"Lena", "Ola", "Kari"}


def test_roles_derived_from_register_and_assignments(org_tree):
    users = org_tree["users"]
    assert access.roles_of(users["lena"]) == {Role.EMPLOYEE, Role.NEAREST_LEADER}
    assert access.roles_of(users["ola"]) == {Role.EMPLOYEE}
    assert access.roles_of(users["nav"]) == {Role.NAV}
    assert access.roles_of(AnonymousUser()) == set()


@pytest.mark.parametrize(
    ("username", "individuals", "diagnosis"),
    [
        ("ola", True, False),
        ("lena", True, False),
        ("hr", True, False),
        ("bht", True, False),
        ("nav", True, True),
        ("verneombud", False, False),
        ("tillitsvalgt", False, False),
        ("analytiker", False, False),
        ("sysadmin", False, False),
    ],
)
def test_individual_and_diagnosis_permissions(org_tree, username, individuals, diagnosis):
    user = org_tree["users"][username]
    assert access.can_see_individuals(user) is individuals
    assert access.can_see_diagnosis(user) is diagnosis


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


def test_anonymous_sees_nothing(org_tree):
    assert not access.employments_visible_to(AnonymousUser()).exists()


def test_statistics_units_for_aggregate_roles(org_tree):
    units = org_tree["units"]
    assert set(access.units_for_statistics(org_tree["users"]["verneombud"])) == set(units.values())
    assert set(access.units_for_statistics(org_tree["users"]["sector_boss"])) == {
        units[k] for k in ("health", "home", "site", "homecare")
    }
    assert set(access.units_for_statistics(org_tree["users"]["lena"])) == {units["site"]}
    assert set(access.units_for_statistics(org_tree["users"]["ola"])) == set()


def test_selectors_scope_by_actor(org_tree):
    from naervaer.org import selectors

    assert {e.employee.first_name for e in selectors.direct_reports(org_tree["users"]["lena"])} == {
        "Ola",
        "Kari",
    }
    assert not selectors.direct_reports(org_tree["users"]["hr"]).exists()
    assert selectors.employee_list(org_tree["users"]["hr"]).count() == 5
    assert selectors.employee_list(org_tree["users"]["analytiker"]).count() == 0
