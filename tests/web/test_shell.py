"""The project shell: login, language, security headers, no inline scripts, password hashing."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

PASSWORD = "korrekt-hest-batteri-42"


@pytest.fixture
def user():
    return get_user_model().objects.create_user(
        "kari", password=PASSWORD, first_name="Kari", last_name="Nordmann"
    )


def test_login_page_is_norwegian_by_default(client: Client) -> None:
    response = client.get(reverse("login"))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="nb"' in html
    assert "Logg inn" in html and "Brukernavn" in html


def test_english_is_the_second_language(client: Client) -> None:
    response = client.post(
        reverse("set_language"), {"language": "en", "next": reverse("login")}, follow=True
    )
    html = response.content.decode()
    assert '<html lang="en"' in html
    assert "Log in" in html and "Username" in html


def test_start_page_requires_login(client: Client) -> None:
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_login_reaches_start_page(client: Client, user) -> None:
    response = client.post(
        reverse("login"), {"username": "kari", "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("home")
    assert "Velkommen, Kari Nordmann" in response.content.decode()


def test_wrong_password_is_refused_with_a_message(client: Client, user) -> None:
    response = client.post(reverse("login"), {"username": "kari", "password": "feil"})
    assert response.status_code == 200
    assert "Feil brukernavn eller passord" in response.content.decode()


def test_passwords_are_hashed_with_argon2(user) -> None:
    assert user.password.startswith("argon2$")


def test_security_headers(client: Client) -> None:
    response = client.get(reverse("login"))
    csp = response["Content-Security-Policy"]
    script_src = re.search(r"script-src ([^;]+)", csp).group(1)
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_pages_have_no_inline_scripts_or_remote_assets(client: Client, user) -> None:
    client.force_login(user)
    for url in (reverse("login"), reverse("home")):
        html = client.get(url).content.decode()
        scripts = re.findall(r"<script\b[^>]*>", html)
        assert scripts, "the page should load its scripts from files"
        assert all("src=" in tag for tag in scripts), scripts
        assert not re.search(r"""(src|href)=["']https?://""", html), "assets must be served locally"
        assert not re.search(r"\son[a-z]+=", html), "no inline event handlers"


def test_session_cookie_is_http_only(client: Client, user) -> None:
    client.post(reverse("login"), {"username": "kari", "password": PASSWORD})
    assert client.cookies["sessionid"]["httponly"]
