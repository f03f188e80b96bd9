"""The menu and the actor cost a handful of queries per page, whatever the role (it was ~30)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

pytestmark = pytest.mark.django_db

# session, user, the second factor's device, then the actor: role assignments, employee, direct
# reports, unit tree
HOME_PAGE_QUERIES = 7


@pytest.mark.parametrize(
    "username",
    ["ola", "lena", "sjef", "hr", "bht", "nav", "verneombud", "analytiker", "sysadmin"],
)
def test_start_page_with_its_menu_costs_a_handful_of_queries(world, username):
    client = Client()
    client.force_login(world["users"][username])
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("home"))
    assert response.status_code == 200
    assert 'class="ds-card"' in response.content.decode()
    assert len(queries) <= HOME_PAGE_QUERIES, [q["sql"] for q in queries]


def test_the_menu_itself_costs_nothing_once_the_actor_is_known(world, rf):
    from naervaer.org import access
    from naervaer.web import navigation

    request = rf.get("/")
    request.user = world["users"]["hr"]
    found = []

    def view(req):
        assert req.actor.roles  # computed here, once
        with CaptureQueriesContext(connection) as queries:
            found.append(navigation.items_for(req))
            found.append(navigation.items_for(req))
        found.append(len(queries))

    access.ActorMiddleware(view)(request)
    assert found[0] and found[0] == found[1]
    assert found[2] == 0
