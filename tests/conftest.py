"""Shared test configuration.

Django tests run on SQLite by default and on PostgreSQL when ``DATABASE_URL`` points there; the
Makefile runs them both ways, and an unreachable PostgreSQL server fails that run.
"""

from __future__ import annotations

import pytest
from django.conf import settings as django_settings


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
