"""Lockout after failed logins: per username (5) and per address (50), a clear Norwegian message
on the login page, and HR unlocking it — written to the access log."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.test import Client

from naervaer.audit.models import AccessLog

from .conftest import PASSWORD, is_logged_in, password_login

pytestmark = pytest.mark.django_db
LOCKED_NB = "for mange mislykkede innlogginger"


def fail(username: str, times: int, address: str = "10.0.0.1") -> None:
    for _ in range(times):
        client, response = password_login(username, "wrong-password", address)
        assert response.status_code in (200, 429) and not is_logged_in(client)


def test_five_wrong_passwords_lock_the_username_even_for_the_right_one(world):
    fail("lena", 4)
    client, response = password_login("lena")  # the fifth try would have been the last: still in
    assert response.status_code == 302 and is_logged_in(client)
    fail("kari", 5)
    client, response = password_login("kari")
    assert response.status_code == 429 and not is_logged_in(client)
    page = response.content.decode()
    assert LOCKED_NB in page and "HR" in page
    # From another address too: the username is locked, not the address.
    client, response = password_login("kari", address="10.0.0.2")
    assert response.status_code == 429 and not is_logged_in(client)
    # Others at the same address still log in.
    client, response = password_login("ola")
    assert response.status_code == 302 and is_logged_in(client)


def test_fifty_failures_from_one_address_lock_the_address(world):
    for n in range(50):
        fail(f"guess{n}", 1, address="10.9.9.9")
    client, response = password_login("ola", address="10.9.9.9")
    assert response.status_code == 429 and not is_logged_in(client)
    assert LOCKED_NB in response.content.decode()
    client, response = password_login("ola", address="10.9.9.8")
    assert response.status_code == 302 and is_logged_in(client)


def test_no_password_is_kept_in_the_attempt_records(world):
    fail("kari", 2)
    assert "wrong-password" not in "".join(
        AccessAttempt.objects.values_list("post_data", flat=True)
    )


def test_hr_sees_the_locked_username_and_unlocks_it_audited(world):
    fail("kari", 5)
    hr = Client()
    hr.force_login(world["users"]["hr"])
    page = hr.get("/konto/sperrede/").content.decode()
    assert "<strong>kari</strong>" in page and "Lås opp" in page
    response = hr.post("/konto/sperrede/", {"kind": "username", "value": "kari"})
    assert response.status_code == 302
    after = hr.get("/konto/sperrede/").content.decode()
    assert "kari er låst opp" in after and "<strong>kari</strong>" not in after
    client, response = password_login("kari", PASSWORD)
    assert response.status_code == 302 and is_logged_in(client)
    entry = AccessLog.objects.get(object_type="login_lockout")
    assert (entry.actor_id, entry.action, entry.object_id, entry.purpose) == (
        world["users"]["hr"].pk,
        "update",
        "kari",
        "unlock login",
    )
    assert entry.subject_employee_id == world["employees"]["kari"].pk


def test_hr_unlocks_an_address(world):
    for n in range(50):
        fail(f"guess{n}", 1, address="10.9.9.9")
    hr = Client()
    hr.force_login(world["users"]["hr"])
    assert "10.9.9.9" in hr.get("/konto/sperrede/").content.decode()
    assert (
        hr.post("/konto/sperrede/", {"kind": "ip_address", "value": "10.9.9.9"}).status_code == 302
    )
    _client, response = password_login("ola", address="10.9.9.9")
    assert response.status_code == 302


def test_only_hr_and_the_administrator_may_unlock(world):
    fail("kari", 5)
    for username in ("lena", "sjef", "nav", "verneombud"):
        client = Client()
        client.force_login(world["users"][username])
        assert client.get("/konto/sperrede/").status_code == 403
        assert (
            client.post("/konto/sperrede/", {"kind": "username", "value": "kari"}).status_code
            == 403
        )
    assert AccessAttempt.objects.filter(username="kari").exists()
    admin = Client()
    admin.force_login(world["users"]["sysadmin"])
    assert "kari" in admin.get("/konto/sperrede/").content.decode()


def test_an_unlock_naming_nothing_is_refused_with_a_message(world):
    hr = Client()
    hr.force_login(world["users"]["hr"])
    response = hr.post("/konto/sperrede/", {"kind": "user", "value": ""})
    assert response.status_code == 400
    assert "Velg et sperret brukernavn" in response.content.decode()
