"""Changing one's own password (Django's validators apply) and the session limits: an idle
timeout besides the absolute session age."""

from __future__ import annotations

import time

import pytest

from naervaer.account.middleware import LAST_SEEN, LOGIN_AT

from .conftest import PASSWORD, is_logged_in, password_login

pytestmark = pytest.mark.django_db


def change(client, old: str, new: str):
    return client.post(
        "/konto/passord/", {"old_password": old, "new_password1": new, "new_password2": new}
    )


def test_the_validators_apply_and_a_good_password_works_at_once(world):
    client, _ = password_login("lena")
    assert client.get("/konto/passord/").status_code == 200
    short = change(client, PASSWORD, "kort1")
    assert short.status_code == 200 and "for kort" in short.content.decode()
    common = change(client, PASSWORD, "password123")
    assert "for vanlig" in common.content.decode()
    like_name = change(client, PASSWORD, "lena@example.org")
    assert "for likt" in like_name.content.decode()
    wrong_old = change(client, "not-my-password", "a-much-better-one-42")
    assert "gamle passord" in wrong_old.content.decode()
    done = change(client, PASSWORD, "a-much-better-one-42")
    assert done.status_code == 302 and done["Location"] == "/konto/"
    assert client.get("/konto/").status_code == 200  # still logged in after the change
    assert password_login("lena", "a-much-better-one-42")[1].status_code == 302
    assert password_login("lena", PASSWORD)[1].status_code == 200


def age_session(client, key: str, seconds: int) -> None:
    session = client.session
    session[key] = int(time.time()) - seconds
    session.save()


def test_idle_timeout_logs_out_after_thirty_minutes_without_activity(world):
    client, _ = password_login("lena")
    age_session(client, LAST_SEEN, 29 * 60)
    assert client.get("/oppfolging/").status_code == 200
    assert time.time() - client.session[LAST_SEEN] < 5  # activity moved the clock
    age_session(client, LAST_SEEN, 31 * 60)
    response = client.get("/oppfolging/")
    assert response.status_code == 302 and response["Location"] == "/login/?next=/oppfolging/"
    assert not is_logged_in(client)
    page = client.get(response["Location"]).content.decode()
    assert "logget ut etter 30 minutter uten aktivitet" in page


def test_idle_timeout_is_a_setting(world, settings):
    settings.NAERVAER_IDLE_TIMEOUT = 5
    client, _ = password_login("lena")
    age_session(client, LAST_SEEN, 6 * 60)
    assert client.get("/oppfolging/").status_code == 302 and not is_logged_in(client)


def test_the_absolute_session_age_holds_however_active_the_user_is(world, settings):
    client, _ = password_login("lena")
    age_session(client, LOGIN_AT, settings.SESSION_COOKIE_AGE + 60)
    response = client.get("/oppfolging/")
    assert response.status_code == 302 and not is_logged_in(client)
    assert "Økten er utløpt" in client.get(response["Location"]).content.decode()
