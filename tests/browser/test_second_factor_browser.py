"""Two-step login in a real browser: HR logs in with a password, enrols an authenticator app by
scanning the QR code (here: typing its key into our own TOTP), sees the recovery codes once, and
at the next login gives the app's code. Accessible, no CSP errors, on a desktop and a phone."""

from __future__ import annotations

import base64
import datetime
import time

import pytest
from django.contrib.auth import get_user_model
from django_otp.oath import TOTP

from naervaer.org import services as org
from naervaer.org.models import Role

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "pw-for-browser-2fa"


@pytest.fixture
def hr_user(settings):
    settings.NAERVAER_2FA = "roles"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    kommune = org.organisation_create(name="Kommune", org_number="974760673")
    user = get_user_model().objects.create_user("hr", password=PASSWORD, first_name="Hanne")
    org.role_assign(
        user=user, role=Role.HR, organisation=kommune, valid_from=datetime.date(2020, 1, 1)
    )
    return user


def app_code(secret: str, steps_ahead: int = 0) -> str:
    """What an authenticator app shows for the key printed under the QR code."""
    key = base64.b32decode(secret.replace(" ", "") + "=" * (-len(secret.replace(" ", "")) % 8))
    totp = TOTP(key)
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"


def password_step(page) -> None:
    page.goto("/login/")
    page.locator("input[name=username]").fill("hr")
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name="Logg inn").click()


@pytest.mark.parametrize("width", [1280, 390])
def test_enrol_and_log_in_with_the_app(page, hr_user, screenshot, serious_axe_violations, width):
    page.set_viewport_size({"width": width, "height": 900})
    password_step(page)
    page.wait_for_url("**/konto/tofaktor/**")
    assert page.locator("figure svg").count() == 1
    assert serious_axe_violations(page) == []
    screenshot(page, f"2fa-enrol-{width}")
    secret = page.locator(".nv-secret").inner_text()
    page.get_by_label("Kode").fill(app_code(secret))
    page.get_by_role("button", name="Bekreft").click()
    codes = page.locator(".nv-codes code").all_inner_texts()
    assert len(codes) == 10
    assert serious_axe_violations(page) == []
    screenshot(page, f"2fa-recovery-codes-{width}")
    page.get_by_role("link", name="Jeg har tatt vare på kodene").click()
    page.wait_for_url("**/")
    page.get_by_role("button", name="Logg ut").click()
    password_step(page)
    page.wait_for_url("**/konto/kode/**")
    assert serious_axe_violations(page) == []
    screenshot(page, f"2fa-code-{width}")
    page.get_by_label("Kode").fill(app_code(secret, 1))
    page.get_by_role("button", name="Fortsett").click()
    page.wait_for_url("**/")
    assert page.get_by_role("heading", name="Velkommen, Hanne").is_visible()
