"""A small demo municipality (300 employees, 5 years) loaded into the database, and its users."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache

from naervaer.demo.load import DEMO_PASSWORD, load_into_database
from naervaer.demo.synth import DemoConfig, generate
from naervaer.insight.models import CostRate, ReferenceFigure, Target
from naervaer.org.models import Organisation

TODAY = dt.date(2026, 11, 23)


@pytest.fixture
def demo(db):
    """The loaded organisation; the cache starts empty so every test computes from the engine,
    and without the demo's targets, cost rates and reference figures, which the tests set."""
    cache.clear()
    load_into_database(generate(DemoConfig(end_date=dt.date(2026, 10, 31), employees=300)))
    for model in (Target, CostRate, ReferenceFigure):
        model.objects.all().delete()
    return Organisation.objects.get()


@pytest.fixture
def login(client):
    def as_user(username: str):
        user = get_user_model().objects.get(username=username)
        assert user.check_password(DEMO_PASSWORD)
        client.force_login(user)
        return user

    return as_user
