"""Two-step login (TOTP, django-otp): HR, the administrator, NAV and occupational health must
enrol an authenticator app by QR code and give its code at each login; recovery codes work once;
a password alone never gets past the step or replaces the app."""

from __future__ import annotations

import re
import time

import pytest
from django.contrib.auth import get_user_model
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .conftest import PASSWORD, app_code, is_logged_in, password_login

pytestmark = pytest.mark.django_db


def enrol(client, username: str) -> list[str]:
    """Go through enrolment with the app's code; the recovery codes shown."""
    page = client.get("/konto/tofaktor/")
    assert page.status_code == 200 and "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user__username=username, confirmed=False)
    response = client.post("/konto/tofaktor/", {"code": app_code(device)})
    assert response.status_code == 200
    return re.findall(r"<li><code>([a-z2-7]{8})</code></li>", response.content.decode())


@pytest.mark.parametrize("username", ["hr", "sysadmin", "nav", "bht"])
def test_roles_with_wide_access_cannot_pass_the_password_alone(world, username):
    client, response = password_login(username)
    assert response.status_code == 302 and is_logged_in(client)
    page = client.get("/oppfolging/")
    assert page.status_code == 302
    assert page["Location"] == "/konto/tofaktor/?next=%2Foppfolging%2F"
    assert client.post("/konto/sperrede/", {"kind": "username", "value": "x"}).status_code == 302
    assert client.get("/admin/").status_code == 302


def test_enrolment_by_qr_code_then_login_with_the_app(world):
    client, _ = password_login("hr")
    codes = enrol(client, "hr")
    assert len(codes) == 10 and len(set(codes)) == 10
    assert client.get("/oppfolging/").status_code == 200  # verified by the enrolment
    client.post("/logout/")
    client, _ = password_login("hr")
    assert client.get("/innsikt/")["Location"] == "/konto/kode/?next=%2Finnsikt%2F"
    wrong = client.post("/konto/kode/", {"code": "000000", "next": "/innsikt/"})
    assert wrong.status_code == 200 and "Koden stemmer ikke" in wrong.content.decode()
    device = TOTPDevice.objects.get(user__username="hr", confirmed=True)
    # Right after a wrong code even the right one is refused for a second (throttling).
    throttled = client.post("/konto/kode/", {"code": app_code(device, 1), "next": "/innsikt/"})
    assert throttled.status_code == 200 and "vent litt" in throttled.content.decode()
    time.sleep(1.1)
    response = client.post("/konto/kode/", {"code": app_code(device, 1), "next": "/innsikt/"})
    assert response.status_code == 302 and response["Location"] == "/innsikt/"
    assert client.get("/oppfolging/").status_code == 200


def test_a_recovery_code_logs_in_once(world):
    client, _ = password_login("nav")
    codes = enrol(client, "nav")
    client.post("/logout/")
    client, _ = password_login("nav")
    response = client.post("/konto/kode/", {"code": codes[0]}, follow=True)
    assert response.status_code == 200 and "9 igjen" in response.content.decode()
    assert client.get("/oppfolging/nav/").status_code == 200
    assert StaticToken.objects.filter(device__user__username="nav").count() == 9
    client.post("/logout/")
    client, _ = password_login("nav")
    again = client.post("/konto/kode/", {"code": codes[0]})
    assert again.status_code == 200 and client.get("/oppfolging/nav/").status_code == 302


def test_a_password_alone_cannot_enrol_a_new_app_over_the_old_one(world):
    client, _ = password_login("hr")
    enrol(client, "hr")
    client.post("/logout/")
    thief, _ = password_login("hr")
    response = thief.get("/konto/tofaktor/")
    assert response.status_code == 302 and response["Location"].startswith("/konto/kode/")
    assert TOTPDevice.objects.filter(user__username="hr").count() == 1


def test_new_recovery_codes_replace_the_old_ones(world):
    client, _ = password_login("bht")
    old = enrol(client, "bht")
    response = client.post("/konto/reservekoder/")
    new = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", response.content.decode())
    assert len(new) == 10 and not set(new) & set(old)
    assert set(
        StaticToken.objects.filter(device__user__username="bht").values_list("token", flat=True)
    ) == set(new)


def test_other_roles_go_straight_in_unless_required_for_all(world, settings):
    client, _ = password_login("lena")
    assert client.get("/oppfolging/").status_code == 200
    settings.NAERVAER_2FA = "all"
    assert client.get("/oppfolging/")["Location"].startswith("/konto/tofaktor/")
    settings.NAERVAER_2FA = "off"
    hr, _ = password_login("hr")
    assert hr.get("/oppfolging/").status_code == 200


def test_the_menu_offers_nothing_before_the_second_step(world):
    client, _ = password_login("hr")
    page = client.get("/konto/tofaktor/").content.decode()
    assert 'class="nv-nav"' in page and "/oppfolging/" not in page.split("</header>")[0]
    enrol(client, "hr")
    assert "/oppfolging/" in client.get("/").content.decode().split("</header>")[0]


def test_a_superuser_without_roles_must_pass_the_second_step(world):
    """``is_superuser`` makes the actor an administrator, so the step applies to it too."""
    get_user_model().objects.create_superuser("rot", password=PASSWORD)
    client, response = password_login("rot")
    assert response.status_code == 302 and is_logged_in(client)
    assert client.get("/admin/")["Location"].startswith("/konto/tofaktor/")
    assert client.get("/oppfolging/")["Location"].startswith("/konto/tofaktor/")
