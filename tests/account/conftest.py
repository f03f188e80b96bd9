"""The account tests use the follow-up tests' small organisation (one user per role) and log in
through the real login form, with a second step where the role requires it."""

from __future__ import annotations

import time

import pytest
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.followup.conftest import _english, _fast_passwords, world  # noqa: F401

PASSWORD = "pw-for-tests-123"


@pytest.fixture(autouse=True)
def _second_factor_for_roles(settings):
    settings.NAERVAER_2FA = "roles"


def password_login(username: str, password: str = PASSWORD, address: str = "10.0.0.1") -> tuple:
    """A fresh browser-like client posting the login form; (client, response)."""
    client = Client(REMOTE_ADDR=address)
    response = client.post("/login/", {"username": username, "password": password})
    return client, response


def app_code(device: TOTPDevice, steps_ahead: int = 0) -> str:
    """The code an authenticator app would show now (or ``steps_ahead`` periods later)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def is_logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session
