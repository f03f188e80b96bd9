"""The main menu shows only entries the user may use."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from naervaer.web import navigation

pytestmark = pytest.mark.django_db


@pytest.fixture
def registered(monkeypatch):
    monkeypatch.setattr(navigation, "_entries", [])
    navigation.register(
        "admin:index", "Administrasjon", lambda actor: actor.user.is_staff, order=90
    )
    navigation.register("home", "Start", lambda user: True, order=10)
    navigation.register("home", "Start igjen", lambda user: True, order=10)


def test_menu_follows_permissions_and_order(client, registered) -> None:
    user = get_user_model().objects.create_user("per", password="x" * 12)
    client.force_login(user)
    html = client.get(reverse("home")).content.decode()
    assert ">Start</a>" in html and "Start igjen" not in html
    assert "Administrasjon" not in html
    user.is_staff = True
    user.save()
    html = client.get(reverse("home")).content.decode()
    assert html.index(">Start</a>") < html.index(">Administrasjon</a>")


def test_anonymous_users_get_no_menu(client, registered) -> None:
    assert "Administrasjon" not in client.get(reverse("login")).content.decode()


def test_start_page_shows_roles_and_cards(client, registered) -> None:
    from naervaer.org.models import Organisation, Role, RoleAssignment

    user = get_user_model().objects.create_user("hilde", password="x" * 12, is_staff=True)
    organisation = Organisation.objects.create(name="Demo kommune", org_number="974760673")
    RoleAssignment.objects.create(user=user, role=Role.HR, organisation=organisation)
    client.force_login(user)
    html = client.get(reverse("home")).content.decode()
    assert "HR adviser" in html or "HR-rådgiver" in html
    assert 'class="ds-card"' in html and "Administrasjon" in html
    assert "Du har ingen rolle" not in html
