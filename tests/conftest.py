"""Shared test configuration.

Django tests run on SQLite by default and on PostgreSQL when ``DATABASE_URL`` points there; the
Makefile runs them both ways, and an unreachable PostgreSQL server fails that run.
"""

from __future__ import annotations

import pytest
from django.conf import settings as django_settings
from django.test import Client


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked ``postgres`` check PostgreSQL-only behaviour; they run in the PostgreSQL pass."""
    if django_settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        return
    deselected = [item for item in items if item.get_closest_marker("postgres")]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = [item for item in items if not item.get_closest_marker("postgres")]


@pytest.fixture(autouse=True)
def _plain_static_storage(settings) -> None:
    """Render templates without the collectstatic manifest, which only `make assets` builds."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False


@pytest.fixture(autouse=True)
def _force_login_passes_the_second_factor(monkeypatch) -> None:
    """``Client.force_login`` stands for a finished login, so it also marks the session verified by
    a confirmed authenticator-app device of the user, as the code step does (``django_otp.login``).
    The step itself — enrolment, codes, recovery codes, the redirects before it — is tested
    through the real login form in tests/account and tests/browser."""
    original = Client.force_login

    def force_login(self: Client, user, backend=None) -> None:
        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_totp.models import TOTPDevice

        original(self, user, backend)
        device, _created = TOTPDevice.objects.get_or_create(user=user, name="app", confirmed=True)
        session = self.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()

    monkeypatch.setattr(Client, "force_login", force_login)
